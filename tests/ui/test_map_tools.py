"""The map as the duty officer uses it: people coloured by status, labels that never pile up, find, measure,
draw an area and list who is inside, a background GeoTIFF, the exercise frame and watermark."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely
from matplotlib.path import Path as MplPath
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform

from commandcenter.ui.exercise_marking import FRAME_COLOUR
from commandcenter.ui.map_layers import declutter
from commandcenter.ui.map_tools import people_inside, polyline_length
from commandcenter.ui.people_layer import CLASSES, CODE, PeopleItem, classify
from gis.positions import PersonStatus
from tests.ui.conftest import shown_window


def test_declutter_keeps_the_more_important_of_two_overlapping_labels():
    rects = [(0, 0, 50, 10), (40, 5, 50, 10), (200, 0, 50, 10), (45, 0, 10, 10), (0, 20, 50, 10)]
    priority = [2, 0, 1, 1, 0]
    # by hand: 1 (priority 0) first, then 4 (priority 0, clear of 1), then 2 (far away), 3 hits 1, 0 hits 1
    assert declutter(priority, rects, margin_px=0).tolist() == [False, True, True, False, True]


def test_declutter_on_a_large_plant_matches_a_brute_force_greedy():
    rng = np.random.default_rng(4)
    n = 600
    rects = [(float(x), float(y), float(w), 12.0) for x, y, w in
             zip(rng.uniform(0, 2000, n), rng.uniform(0, 1000, n), rng.uniform(30, 120, n), strict=True)]
    priority = rng.integers(0, 3, n).tolist()
    kept: list[int] = []
    for i in sorted(range(n), key=lambda i: (priority[i], i)):
        x, y, w, h = rects[i]
        if all(not (x < rects[j][0] + rects[j][2] and rects[j][0] < x + w and y < rects[j][1] + rects[j][3]
                    and rects[j][1] < y + h) for j in kept):
            kept.append(i)
    assert np.flatnonzero(declutter(priority, rects, margin_px=0)).tolist() == sorted(kept)


def test_every_status_gets_its_class():
    s = PersonStatus
    status = np.array([s.ON_SITE, s.ON_SITE, s.ON_SITE, s.ON_SITE, s.MUSTERED, s.INJURED, s.ON_SITE, s.ON_SITE,
                       s.MISSING])
    updated = np.array([100.0, 50.0, 95.0, 0.0, 100.0, 100.0, 100.0, np.nan, 100.0])
    zone = np.array([0, 0, 0, 0, 3, 0, 2, 0, 0])
    responder = np.array([False, False, False, False, False, False, False, True, False])
    lost = np.array([False, False, True, True, False, False, False, False, False])
    # now 101 s; the evacuation was ordered at 60 s: person 2 heard 95 s (fresh) → evacuating, person 3 never
    # heard since the order 41 s ago → missing; person 1 heard at 50 s → stale; 6 in the orange zone → inside
    codes = classify(status, updated, 101.0, zone, responder, lost, 60.0)
    keys = [CLASSES[c].key for c in codes]
    assert keys == ["normal", "stale", "evacuating", "missing", "mustered", "sos", "inside", "responder", "missing"]


def test_a_person_marked_evacuating_whose_phone_went_silent_after_the_order_is_missing():
    s = PersonStatus
    status = np.array([s.EVACUATING, s.EVACUATING, s.EVACUATING])
    updated = np.array([95.0, 20.0, 20.0])  # heard 6 s ago; last heard 81 s ago (before the order at 60 s)
    lost = np.array([True, True, False])  # the third has been accounted for by the muster board
    # now 101 s, STALE_S 30 s: the second was silent 41 s since the order → missing, whatever its last status said
    codes = classify(status, updated, 101.0, None, None, lost, 60.0)
    assert [CLASSES[c].key for c in codes] == ["evacuating", "missing", "evacuating"]


def test_the_people_item_paints_each_class_in_its_colour_where_it_stands():
    item = PeopleItem()
    keys = ["normal", "inside", "sos", "mustered", "evacuating"]
    x = np.array([20.0, 60.0, 100.0, 140.0, 180.0])
    y = np.array([20.0, 20.0, 20.0, 20.0, 20.0])
    item.set_people(x, y, np.array([CODE[k] for k in keys], dtype=np.int8))
    image = QImage(200, 40, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(255, 255, 255))
    p = QPainter(image)
    p.setTransform(QTransform())
    item.paint(p, None, None)
    p.end()
    for k, px in zip(keys, x, strict=True):
        c = image.pixelColor(int(px), 20)
        want = next(cl.fill for cl in CLASSES if cl.key == k)
        assert (abs(c.red() - want[0]), abs(c.green() - want[1]), abs(c.blue() - want[2])) <= (40, 40, 40), k
    assert image.pixelColor(40, 20) == QColor(255, 255, 255)  # nothing between them


def test_find_centres_the_map_on_a_person_a_device_and_a_tank(demo_window, demo_plant):
    win = demo_window
    pop = demo_plant.population.set_index(demo_plant.population["id"].astype(str))
    for text, (x, y) in (("E0115", pop.loc["E0115", ["x", "y"]]),
                         (str(demo_plant.personnel.at["E0115", "device_id"]), pop.loc["E0115", ["x", "y"]]),
                         ("HZ-101", demo_plant.layers["hazard_sources"].geometry["HZ-101"].coords[0])):
        win.map_view.fit_plant()
        assert win.find(text) is not None, text
        (x0, x1), (y0, y1) = win.map_view.view_range()
        assert abs((x0 + x1) / 2 - float(x)) < 1.0
        assert abs((y0 + y1) / 2 - float(y)) < 1.0
        assert win.map_view.metres_per_pixel() <= 0.5 + 1e-9
    assert win.find("no such thing") is None


def _click(qtbot, view, x: float, y: float, button=Qt.MouseButton.LeftButton) -> None:
    qtbot.mouseClick(view.viewport(), button, pos=view.plant_to_widget(x, y))


def test_measuring_a_distance_with_the_mouse(demo_window, qtbot):
    win, view = demo_window, demo_window.map_view
    (x0, x1), (y0, y1) = view.view_range()
    pts = [(x0 + 0.3 * (x1 - x0), y0 + 0.4 * (y1 - y0)), (x0 + 0.6 * (x1 - x0), y0 + 0.4 * (y1 - y0)),
           (x0 + 0.6 * (x1 - x0), y0 + 0.7 * (y1 - y0))]
    win.measure_action.trigger()
    for px, py in pts:
        _click(qtbot, view, px, py)
    with qtbot.waitSignal(win.measure_tool.measured) as got:
        _click(qtbot, view, *pts[-1], Qt.MouseButton.RightButton)
    by_hand = sum(float(np.hypot(b[0] - a[0], b[1] - a[1])) for a, b in itertools.pairwise(pts))
    assert got.args[0] == pytest.approx(by_hand, abs=3 * view.metres_per_pixel())
    assert polyline_length(np.array(pts)) == pytest.approx(by_hand)
    assert view.tool is None


def test_an_area_drawn_on_the_map_lists_everyone_inside(demo_window, qtbot, demo_plant):
    win, view = demo_window, demo_window.map_view
    minx, miny, maxx, maxy = demo_plant.bounds
    corners = [(minx + 0.1 * (maxx - minx), miny + 0.1 * (maxy - miny)),
               (minx + 0.5 * (maxx - minx), miny + 0.15 * (maxy - miny)),
               (minx + 0.45 * (maxx - minx), miny + 0.6 * (maxy - miny))]
    win.area_action.trigger()
    for c in corners:
        _click(qtbot, view, *c)
    with qtbot.waitSignal(win.area_tool.drawn):
        _click(qtbot, view, *corners[-1], Qt.MouseButton.RightButton)
    dlg = win.area_dialog
    assert dlg is not None
    drawn = win.area_tool.polygon()
    xy = np.column_stack([win.positions.x, win.positions.y])
    inside = MplPath(np.array(drawn.exterior.coords)).contains_points(xy)  # an independent point-in-polygon
    assert sorted(dlg.people) == sorted(win.positions.ids[inside].astype(str).tolist())
    assert dlg.people
    assert len(people_inside(shapely.box(0, 0, 1, 1), win.positions)) == 0
    dlg.close()


def test_the_exercise_frame_and_watermark_are_in_every_screenshot(window, tmp_path):
    window.set_exercise(True)
    path = tmp_path / "exercise.png"
    assert window.save_screenshot(path)
    image = QImage(str(path))
    h, w = image.height(), image.width()
    for x, y in ((2, h // 2), (w - 3, h // 3), (w // 2, 2), (w // 3, h - 3)):
        assert image.pixelColor(x, y) == FRAME_COLOUR, (x, y)
    window.set_exercise(False)
    assert window.save_screenshot(path)
    image = QImage(str(path))
    assert image.pixelColor(2, h // 2) != FRAME_COLOUR
    assert window.map_view.watermark is None


def test_the_watermark_crosses_the_map(window):
    window.set_exercise(True)
    plain = window.map_view.grab().toImage()
    window.map_view.set_watermark(None)
    bare = window.map_view.grab().toImage()
    window.set_exercise(False)
    w, h = plain.width(), plain.height()
    for qx in (0, w // 2):
        for qy in (0, h // 2):  # in every quarter of the map, not one corner
            changed = sum(plain.pixelColor(x, y) != bare.pixelColor(x, y)
                          for x in range(qx, qx + w // 2, 3) for y in range(qy, qy + h // 2, 3))
            assert changed > 20, (qx, qy)


def test_a_geotiff_background_shows_under_the_plant_where_it_belongs(qtbot, tmp_path, mini_plant):
    rasterio = pytest.importorskip("rasterio")

    win = shown_window(qtbot, mini_plant)
    minx, miny, maxx, maxy = mini_plant.bounds
    # a 100 × 100 m image, 1 m pixels, west of the site (off site: the site's own fill does not cover it)
    left, top = minx - 160.0, maxy
    red = np.zeros((3, 100, 100), dtype=np.uint8)
    red[0] = 220
    path = tmp_path / "ortho.tif"
    with rasterio.open(path, "w", driver="GTiff", width=100, height=100, count=3, dtype="uint8",
                       crs=mini_plant.crs.to_wkt(), transform=_origin(left, top, 1.0, 1.0)) as dst:
        dst.write(red)
    win.map_view.viewbox.setRange(xRange=(left - 50 - minx, maxx - minx), yRange=(miny - miny, maxy - miny),
                                  padding=0)
    win.load_background(path)
    qtbot.waitUntil(lambda: getattr(win.map_view, "background_item", None) is not None, timeout=30_000)
    image = win.map_view.grab().toImage()
    p = win.map_view.plant_to_widget(left + 50, top - 50)
    c = image.pixelColor(p.x(), p.y())
    assert (c.red(), c.green(), c.blue()) == (220, 0, 0)
    q = win.map_view.plant_to_widget(left - 20, top - 50)  # beside the image: the map's background
    assert image.pixelColor(q.x(), q.y()).red() != 220


def test_a_background_without_a_crs_or_far_away_is_refused_naming_the_file(tmp_path, mini_plant):
    rasterio = pytest.importorskip("rasterio")
    from rasterio.errors import NotGeoreferencedWarning

    from commandcenter.ui.background_raster import RasterError, read_background

    bare = tmp_path / "bare.tif"
    with pytest.warns(NotGeoreferencedWarning), rasterio.open(bare, "w", driver="GTiff", width=4, height=4,
                                                              count=1, dtype="uint8") as dst:
        dst.write(np.zeros((1, 4, 4), np.uint8))
    with pytest.raises(RasterError, match=r"bare\.tif: the image has no coordinate reference system"):
        read_background(bare, mini_plant.crs, mini_plant.bounds)
    far = tmp_path / "far.tif"
    with rasterio.open(far, "w", driver="GTiff", width=4, height=4, count=1, dtype="uint8", crs="EPSG:4326",
                       transform=_origin(-70.0, 40.0, 0.01, 0.01)) as dst:
        dst.write(np.zeros((1, 4, 4), np.uint8))
    with pytest.raises(RasterError, match=r"far\.tif: the image lies more than"):
        read_background(far, mini_plant.crs, mini_plant.bounds)
    with pytest.raises(RasterError, match="no such file"):
        read_background(tmp_path / "missing.tif", mini_plant.crs, mini_plant.bounds)


def test_a_geotiff_in_degrees_is_reprojected_onto_the_plant(tmp_path, mini_plant):
    rasterio = pytest.importorskip("rasterio")
    from pyproj import Transformer

    from commandcenter.ui.background_raster import read_background

    to_deg = Transformer.from_crs(mini_plant.crs, "EPSG:4326", always_xy=True)
    minx, miny, maxx, maxy = mini_plant.bounds
    lon, lat = to_deg.transform((minx + maxx) / 2, (miny + maxy) / 2)
    path = tmp_path / "deg.tif"
    with rasterio.open(path, "w", driver="GTiff", width=20, height=20, count=1, dtype="uint8", crs="EPSG:4326",
                       transform=_origin(lon - 0.001, lat + 0.001, 0.0001, 0.0001)) as dst:
        dst.write(np.full((1, 20, 20), 128, np.uint8))
    bg = read_background(path, mini_plant.crs, mini_plant.bounds)
    to_m = Transformer.from_crs("EPSG:4326", mini_plant.crs, always_xy=True)
    x0, _ = to_m.transform(lon - 0.001, lat - 0.001)
    _, y1 = to_m.transform(lon + 0.001, lat + 0.001)
    assert bg.bounds[0] == pytest.approx(x0, abs=15.0)
    assert bg.bounds[3] == pytest.approx(y1, abs=15.0)
    assert (bg.rgba[..., 3] == 255).mean() > 0.8
    assert set(np.unique(bg.rgba[bg.rgba[..., 3] == 255][:, 0]).tolist()) <= {127, 128}



def _origin(left: float, top: float, dx: float, dy: float):  # type: ignore[no-untyped-def]
    """The affine transform of a north-up image (rasterio's own ``from_origin`` warns under affine 3)."""
    from affine import Affine

    return Affine(dx, 0.0, left, 0.0, -dy, top)
