"""The main window: opening plants (good and broken), menus, status bar and screenshots."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox

from commandcenter.ui.main_window import MainWindow
from tests.conftest import MINI_PLANT


def _break_walkways(plant_dir: Path) -> None:
    """W1 gets an unknown kind, the second walkway loses its id."""
    path = plant_dir / "walkways.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][2]["properties"]["kind"] = "elevator"
    doc["features"][1]["properties"].pop("id")
    path.write_text(json.dumps(doc), encoding="utf-8")


def _new_window(qtbot) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_opening_a_plant_folder_shows_it(qtbot):
    win = _new_window(qtbot)
    with qtbot.waitSignal(win.plantChanged):
        assert win.open_plant(MINI_PLANT)
    assert "Mini Test Plant" in win.windowTitle()
    label = win.plant_label.text()
    assert "Mini Test Plant" in label
    assert "2 buildings" in label
    assert "11 walkways" in label
    assert "5 people" in label
    assert win.map_view.plant is win.plant
    assert set(win.layer_panel.keys()) >= {"zones", "buildings", "walkways", "walkways/road", "personnel"}


def test_opening_a_broken_plant_lists_the_errors_instead_of_crashing(qtbot, mini_copy, mini_plant):
    win = _new_window(qtbot)
    win.set_plant(mini_plant)
    _break_walkways(mini_copy)
    with qtbot.waitSignal(win.loadFailed) as failed:
        assert not win.open_plant(mini_copy)
    path, errors = failed.args
    assert path == str(mini_copy)
    assert any("walkways.geojson" in e and "W1" in e and "kind" in e for e in errors)
    assert any("walkways.geojson" in e and "'id'" in e for e in errors)
    box = win.last_error_box
    assert box is not None
    assert box.isVisible()
    assert box.icon() == QMessageBox.Icon.Critical
    assert str(mini_copy) in box.text()
    assert "walkways.geojson: feature W1: field 'kind'" in box.informativeText()
    assert "Traceback" not in box.informativeText() + box.detailedText()
    assert win.plant is mini_plant  # the plant shown before stays
    box.close()
    qtbot.waitUntil(lambda: win.last_error_box is None)


def test_opening_an_unreadable_file_shows_an_error(qtbot, mini_copy):
    win = _new_window(qtbot)
    text = (mini_copy / "sensors.geojson").read_text(encoding="utf-8")
    (mini_copy / "sensors.geojson").write_text(text[: len(text) // 2], encoding="utf-8")
    assert not win.open_plant(mini_copy)
    box = win.last_error_box
    assert box is not None
    assert "sensors.geojson" in box.informativeText()
    box.close()


def test_many_errors_are_listed_in_full_under_the_details(qtbot):
    win = _new_window(qtbot)
    errors = [f"walkways.geojson: feature W{i}: field 'kind': bad" for i in range(40)]
    box = win.show_load_errors("plant", errors)
    assert "W11" in box.informativeText()
    assert "W12" not in box.informativeText()
    assert "28 more" in box.informativeText()
    assert box.detailedText().count("\n") == 39
    box.close()


def test_the_file_menu_opens_folders_and_geopackages(qtbot, monkeypatch):
    win = _new_window(qtbot)
    opened: list[str] = []
    monkeypatch.setattr(win, "open_plant", lambda path: opened.append(str(path)) or True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: "/plants/site"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: ("/plants/site.gpkg", "")))
    win.open_folder_action.trigger()
    win.open_gpkg_action.trigger()
    assert opened == ["/plants/site", "/plants/site.gpkg"]
    titles = [a.text() for a in win.menuBar().actions()]
    assert titles[:2] == ["&File", "&View"]  # feature menus (e.g. &Emergency) follow


def test_save_screenshot_writes_the_window_as_png(window, tmp_path, monkeypatch):
    target = tmp_path / "shot.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.screenshot_action.trigger()
    image = QImage(str(target))
    assert image.width() == window.width()
    assert image.height() == window.height()


def test_the_layers_panel_can_be_hidden_from_the_view_menu(window, qtbot):
    assert window.layer_dock.isVisible()
    window.layers_action.trigger()
    qtbot.waitUntil(lambda: not window.layer_dock.isVisible())
    window.layers_action.trigger()
    qtbot.waitUntil(window.layer_dock.isVisible)


def test_a_plant_without_optional_layers_or_population_opens(qtbot, mini_copy):
    for name in ("sensors.geojson", "resources.geojson", "hazard_sources.geojson", "zones.geojson",
                 "population.csv"):
        (mini_copy / name).unlink()
    win = _new_window(qtbot)
    assert win.open_plant(mini_copy)
    assert win.people_shown() == 0
    assert "0 people" in win.plant_label.text()
    assert win.layer_panel.item_for("sensors").text(0) == "Sensors (0)"
    assert win.map_view.tooltip_text_at(668022.0, 3571098.0, tolerance_m=0.5).startswith("Building B1")
