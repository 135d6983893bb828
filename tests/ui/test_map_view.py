"""The plant map: every layer drawn, layer toggles, locked aspect, hover tooltips, colours on screen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage, QPainter

from commandcenter.ui import map_style as st
from commandcenter.ui.layer_catalog import MAP_LAYERS


def _item_rect(item):
    return item.mapRectToParent(item.boundingRect() | item.childrenBoundingRect())


def test_every_layer_of_the_mini_plant_is_drawn(window):
    view = window.map_view
    minx, miny, maxx, maxy = window.plant.bounds
    for name in MAP_LAYERS:
        items = view.layer_items[name]
        assert items, f"no items for layer {name}"
        for item in items:
            rect = _item_rect(item)
            assert rect.width() > 0 or rect.height() > 0, f"{name}: empty item {item}"
            if not hasattr(item, "textItem"):  # name labels may be hidden by zoom or to avoid overlaps
                assert item.isVisible()
        # drawn in the local frame: inside the site, shifted by its lower-left corner
        rect = _item_rect(items[0])
        assert -20 < rect.center().x() < (maxx - minx) + 20, name
        assert -20 < rect.center().y() < (maxy - miny) + 20, name


def test_walkways_are_drawn_one_item_per_kind(window):
    kinds = set(window.plant.layers["walkways"]["kind"])
    assert {k.split("/")[1] for k in window.map_view.sublayer_items if k.startswith("walkways/")} == kinds
    assert len(window.map_view.layer_items["walkways"]) == len(kinds)


def test_toggling_a_layer_hides_its_items(window):
    view, panel = window.map_view, window.layer_panel
    panel.set_checked("sensors", False)
    assert not any(item.isVisible() for item in view.layer_items["sensors"])
    assert all(item.isVisible() for item in view.layer_items["buildings"] if not hasattr(item, "textItem"))
    panel.set_checked("sensors", True)
    assert all(item.isVisible() for item in view.layer_items["sensors"])


def test_toggling_a_walkway_kind_hides_only_that_kind(window):
    view, panel = window.map_view, window.layer_panel
    panel.set_checked("walkways/road", False)
    assert not view.sublayer_items["walkways/road"][0].isVisible()
    assert view.sublayer_items["walkways/stair"][0].isVisible()
    panel.set_checked("walkways", False)
    assert not any(item.isVisible() for item in view.layer_items["walkways"])
    panel.set_checked("walkways", True)
    assert view.sublayer_items["walkways/stair"][0].isVisible()
    assert not view.sublayer_items["walkways/road"][0].isVisible()


def test_the_aspect_ratio_is_locked(window, qtbot):
    view = window.map_view
    assert view.viewbox.state["aspectLocked"]
    for size in ((1500, 600), (700, 900)):
        window.resize(*size)
        qtbot.waitUntil(lambda s=size: window.size().width() == s[0])
        px, py = view.viewbox.viewPixelSize()
        assert px == pytest.approx(py, rel=1e-3)


def test_fit_shows_the_whole_site_in_plant_coordinates(window):
    (x0, x1), (y0, y1) = window.map_view.view_range()
    minx, miny, maxx, maxy = window.plant.bounds
    assert x0 <= minx
    assert x1 >= maxx
    assert y0 <= miny
    assert y1 >= maxy
    assert x1 - x0 < 3 * (maxx - minx) or y1 - y0 < 3 * (maxy - miny)  # not lost in a huge view


def test_scale_bar_follows_the_zoom(window):
    bar = window.map_view.scale_bar
    before = bar.length_m
    window.map_view.zoom_by(5)
    assert bar.length_m < before
    assert 50 <= bar.length_px <= 140
    assert bar.label().endswith("m")


def test_hovering_a_building_gives_its_id_and_attributes(window):
    text = window.map_view.tooltip_text_at(668022.0, 3571098.0)
    assert text is not None
    assert "B1" in text
    assert "Building" in text
    assert "name: Control Room" in text
    assert "kind: control" in text
    assert "occupancy: 6" in text


def test_hovering_a_sensor_gives_its_id_and_attributes(window):
    text = window.map_view.tooltip_text_at(668150.5, 3571080.3)
    assert text is not None
    assert "Sensor S1" in text
    assert "kind: gas" in text
    assert "substance: H2S" in text
    assert "alarm: 20" in text


def test_hovering_a_hidden_layer_finds_what_is_below_it(window):
    window.layer_panel.set_checked("sensors", False)
    text = window.map_view.tooltip_text_at(668150.0, 3571080.0)
    assert text is not None
    assert "Sensor" not in text
    assert "B2" in text  # the sensor stands in the compressor house


def test_hovering_a_person_names_them(window):
    text = window.map_view.tooltip_text_at(668140.0, 3571080.0)
    assert text is not None
    assert "P002" in text
    assert "王芳" in text
    assert "on site" in text


def test_moving_the_mouse_shows_the_tooltip_and_the_coordinates(window, qtbot):
    view = window.map_view
    qtbot.mouseMove(view.viewport(), view.plant_to_widget(668150.0, 3571080.0))
    qtbot.waitUntil(lambda: view.last_tooltip is not None and "S1" in view.last_tooltip)
    label = window.cursor_label.text()
    assert "E 66815" in label
    assert "N 357108" in label
    assert "EPSG:32650" in label
    assert "x 150." in label or "x 149." in label  # local metres from the site's lower-left corner
    qtbot.mouseMove(view.viewport(), QPoint(3, 3))  # off the site, over nothing
    qtbot.waitUntil(lambda: view.last_tooltip is None)


def _over_site(rgba) -> np.ndarray:
    """The on-screen colour of ``rgba`` painted over the site, composited the way the map does it."""
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    image.fill(st.qcolor(st.BACKGROUND))
    painter = QPainter(image)
    painter.fillRect(0, 0, 1, 1, st.qcolor(st.SITE.fill))
    painter.fillRect(0, 0, 1, 1, st.qcolor(rgba))
    painter.end()
    c = image.pixelColor(0, 0)
    return np.array([c.red(), c.green(), c.blue()])


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), dtype=np.uint8)
    return data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(
        image.height(), image.width(), 3)


def test_the_grabbed_map_shows_the_risk_classes_and_never_in_the_threat_zone_colours(window):
    """Risk class A is hatched in its own hue on screen, and no pixel of the plant's fixed risk shading looks like
    a red, orange or yellow threat zone of a release (the two used to be the same colours)."""
    image = window.map_view.grab().toImage()
    px = _pixels(image).astype(int)
    background = np.array(st.BACKGROUND[:3])
    drawn = np.any(np.abs(px - background) > 8, axis=2)
    assert drawn.mean() > 0.4, "the map area is mostly empty"
    hatch = _over_site(st.zone_style("A").fill)
    assert np.all(np.abs(px - hatch) <= 6, axis=2).sum() > 300, "risk A hatching barely on screen"
    for level, style in st.THREAT_ZONES.items():
        look = _over_site(style.fill)
        assert np.all(np.abs(px - look) <= 6, axis=2).sum() < 30, f"the plant map shows the {level} threat colour"


def test_building_names_show_only_when_zoomed_in(window):
    view = window.map_view
    labels = [item for item in view.layer_items["buildings"] if hasattr(item, "textItem")]
    assert sorted(label.textItem.toPlainText() for label in labels) == ["Compressor House", "Control Room"]
    view.zoom_by(1 / 4)
    assert view.metres_per_pixel() > 0.45
    assert not any(label.isVisible() for label in labels)
    view.zoom_by(8)
    assert all(label.isVisible() for label in labels)
    window.layer_panel.set_checked("buildings/control", False)
    assert [label.isVisible() for label in labels if "Control" in label.textItem.toPlainText()] == [False]


def test_assembly_points_and_exits_are_labelled_with_their_names(window):
    def texts(layer):
        items = window.map_view.layer_items[layer]
        return sorted(i.textItem.toPlainText() for i in items if hasattr(i, "textItem"))

    assert texts("assembly_points") == ["Gate square", "West lawn"]
    assert texts("exits") == ["Main gate", "West gate"]
