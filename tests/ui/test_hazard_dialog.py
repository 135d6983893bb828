"""Issue 12 in the window: pick the leaking tank on the map, enter the time and the cloud, see the zone, and
launch the proposed plan at the proposed level with the cordon from the zone — the log holds the assessment."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QDateTime, Qt
from shapely.geometry import shape

from commandcenter.runtime import ManualClock
from commandcenter.ui.hazard_layer import install_hazard_tools
from vocabulary.events import Draft

CST = dt.timezone(dt.timedelta(hours=8))
NIGHT = dt.datetime(2026, 11, 30, 3, 0, tzinfo=CST)


def _incident(win, tmp_path, start=NIGHT):
    win.session.open_log(tmp_path / "log.db", resume=False)
    clock = ManualClock(start)
    win.session.new_incident("H2S drill", exercise=True, clock=clock)
    win.session.timer.stop()
    return clock


def _click_equipment(qtbot, win, tool, equipment_id):
    eq = next(e for e in tool.dialog.equipment if e.id == equipment_id)
    with qtbot.waitSignal(tool.equipmentPicked, timeout=5000) as picked:
        qtbot.mouseClick(win.map_view.viewport(), Qt.MouseButton.LeftButton,
                         pos=win.map_view.plant_to_widget(eq.x, eq.y))
    return picked.args[0]


def _events(win, kind):
    rt = win.session.runtime
    return [e for e in rt.store.events(rt.incident_id) if e.type == kind]


def test_a_tank_picked_on_the_map_at_night_launches_the_proposed_plan_with_the_cordon_from_the_zone(
        demo_window, qtbot, tmp_path):
    win = demo_window
    tool = install_hazard_tools(win)
    _incident(win, tmp_path)
    dialog = tool.open_dialog()
    assert dialog.isVisible()
    assert not dialog.isModal()
    picked = _click_equipment(qtbot, win, tool, "HZ-101")
    assert picked.id == "HZ-101"
    assert dialog.selected.id == "HZ-101"
    assert dialog.substance_entry().key == "H2S"  # prefilled from what the drum holds
    assert "500 kg" in dialog.equipment_label.text()

    dialog.time_edit.setDateTime(QDateTime(2026, 11, 30, 3, 0, 0))  # plant time, 03:00
    dialog.cloud_box.setCurrentIndex(dialog.cloud_box.findData(2.0))  # 2/8: a few clouds
    dialog.wind_spin.setValue(2.0)
    dialog.direction_spin.setValue(45.0)
    dialog.amount_spin.setValue(1.0)
    assert dialog.refusals == []
    # EPA-454/R-99-005 Tables 6-4/6-5 by hand: night with cloud 2/8 (≤ 4/10) → NRI −2; 2 m/s = 4 kt → class 6 = F
    assert "Stability class F" in dialog.stability_label.text()

    with qtbot.waitSignal(tool.zonesShown, timeout=60000):
        qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tool.dialog is None)  # the dialog closes once the zone is recorded and drawn
    (assessed,) = _events(win, "hazard.assessed")
    p = assessed.payload
    assert p["source"]["id"] == "HZ-101"
    assert p["substance"] == "H2S"
    assert p["weather"]["stability"] == "F"
    assert p["weather"]["basis"] == "turner-1964"
    assert p["weather"]["time"].startswith("2026-11-30T03:00")
    assert set(tool.layer.zone_polygons) == {"red", "orange", "yellow"}

    # the proposed level, re-derived from the recorded zones by the documented rule
    site = shapely.union_all(win.plant.layers["site"].geometry.values)
    zones = {z["level"]: shape(z["polygon"]) for z in p["zones"] if z["polygon"]}
    pos = win.positions
    red_people = int(np.count_nonzero(shapely.contains_xy(zones["red"], pos.x, pos.y)))
    crosses = {lv: shapely.difference(g, site).area > 1.0 for lv, g in zones.items()}
    expected = ("L4" if crosses["red"] or crosses["orange"] else "L3" if crosses["yellow"] or red_people else "L2")
    assert p["proposed_level"] == expected
    assert p["people_inside"]["red"] == red_people
    panel = tool.panel_dock.widget()
    qtbot.waitUntil(lambda: tool.panel_dock.isVisible())  # shown when the assessment is recorded
    assert panel.launch_button.isEnabled()
    assert expected in panel.level_label.text()
    assert p["reason"] in panel.reason_label.text()
    assert panel.selected_plan().id == "h2s-release"

    # the cordon: the red zone's furthest reach from the drum (its tip), rounded up to 10 m
    src = shapely.Point(p["source"]["x"], p["source"]["y"])
    tip = max(src.distance(shapely.Point(c)) for c in zones["red"].exterior.coords)
    assert abs(p["cordon_m"] - math.ceil(tip / 10.0) * 10.0) <= 10.0
    assert f"{p['cordon_m']:,.0f} m" in panel.radii_label.text()

    qtbot.mouseClick(panel.launch_button, Qt.MouseButton.LeftButton)
    (launched,) = _events(win, "plan.launched")
    lp = launched.payload
    assert (lp["plan_id"], lp["level"]) == ("h2s-release", expected)
    assert lp["assessment_id"] == p["assessment_id"]
    assert lp["context"]["cordon_m"] == p["cordon_m"]
    cordon_tasks = [e.payload for e in _events(win, "task.assigned") if e.payload["task_id"] == "cordon"]
    assert cordon_tasks, "the plan's cordon task was not opened"
    assert cordon_tasks[0]["params"]["cordon_m"] == p["cordon_m"]
    assert f"{p['cordon_m']:.0f} m" in cordon_tasks[0]["title"]["en"]  # not the YAML's fixed 200 m
    qtbot.waitUntil(lambda: "Running" in panel.status_label.text())
    assert not panel.launch_button.isEnabled()  # launched once; only a higher level could follow


def test_missing_weather_is_explained_with_what_to_enter_and_the_field_marked(window, qtbot, tmp_path):
    tool = install_hazard_tools(window)
    _incident(window, tmp_path)
    dialog = tool.open_dialog()
    assert dialog.selected.id == "H1"
    codes = {(r.code, r.field) for r in dialog.refusals}
    assert ("weather-incomplete", "cloud_oktas") in codes
    assert ("missing", "wind_speed") in codes
    assert ("missing", "wind_from") in codes
    text = dialog.problems_label.text()
    assert "Enter the cloud cover" in text
    assert dialog.cloud_box in dialog.marked_fields()
    assert dialog.wind_spin in dialog.marked_fields()
    assert dialog.compute() is None  # nothing is computed while anything is refused
    assert _events(window, "hazard.assessed") == []
    dialog.cloud_box.setCurrentIndex(dialog.cloud_box.findData(8.0))
    dialog.wind_spin.setValue(3.0)
    dialog.direction_spin.setValue(270.0)
    assert dialog.refusals == []
    assert dialog.marked_fields() == []
    assert "Stability class D" in dialog.stability_label.text()  # overcast, low ceiling assumed: D day or night
    dialog.close()


def test_a_station_class_that_contradicts_the_wind_is_refused_in_chinese_without_class_names(
        window, qtbot, tmp_path, qapp):
    from commandcenter.ui import translations

    tool = install_hazard_tools(window)
    _incident(window, tmp_path)
    window.session.submit(Draft("weather.observed", window.session.now(),
                                {"wind_speed_mps": 8.0, "wind_from_deg": 270.0, "stability": "F",
                                 "station_id": "WS-1"}))
    translations.install_translations(qapp, "zh_CN")
    try:
        dialog = tool.open_dialog()
        assert dialog.wind_spin.value() == 8.0  # prefilled from the station
        assert dialog.direction_spin.value() == 270.0
        assert not dialog.station_label.isHidden()
        assert "WS-1" in dialog.station_label.text()
        (r,) = [r for r in dialog.refusals if r.code == "stability-contradicts"]
        text = dialog.problems_label.text()
        assert r.zh.split("：")[0] in text
        assert "请清空稳定度" in text  # what to change, in the UI language
        assert "Error" not in text
        assert "HazardInput" not in text
        assert dialog.station_class_box in dialog.marked_fields()  # the input to change is marked
        dialog.station_class_box.setChecked(False)  # derive the class instead of the station's
        assert not [r for r in dialog.refusals if r.code == "stability-contradicts"]
        dialog.set_cloud(8.0)
        assert dialog.refusals == []
        assert dialog.resolved.stability == "D"  # 8 m/s under overcast: D (EPA-454/R-99-005 Table 6-5, NRI 0)
        dialog.wind_spin.setValue(3.0)  # edited by hand: no longer the station's reading or class
        assert dialog.station_label.isHidden()
        assert not [r for r in dialog.refusals if r.code == "stability-contradicts"]
        dialog.close()
    finally:
        translations.remove_translations(qapp)


def test_chlorine_at_the_h2s_drum_needs_the_override_which_the_assessment_records(demo_window, qtbot, tmp_path):
    win = demo_window
    tool = install_hazard_tools(win)
    _incident(win, tmp_path)
    dialog = tool.open_dialog()
    dialog.select_equipment("HZ-101")
    dialog.substance_edit.setText("氯气")
    dialog.set_cloud(4.0)
    dialog.set_wind(3.0, 90.0)
    (r,) = dialog.refusals
    assert r.code == "substance-mismatch"
    assert "holds hydrogen sulfide (H2S), not chlorine (Cl2)" in dialog.problems_label.text()
    assert not dialog.override_box.isHidden()
    assert dialog.substance_edit in dialog.marked_fields()
    dialog.override_box.setChecked(True)
    assert dialog.refusals == []
    with qtbot.waitSignal(tool.zonesShown, timeout=60000):
        dialog.compute()
    (assessed,) = _events(win, "hazard.assessed")
    assert assessed.payload["substance"] == "Cl2"
    assert assessed.payload["substance_override"] is True
    panel = tool.panel_dock.widget()
    qtbot.waitUntil(lambda: not panel.override_label.isHidden())
    assert "overridden" in panel.override_label.text()
    assert panel.selected_plan().id == "cl2-release"  # the plan written for chlorine, not the drum's H2S plan


def test_substances_are_found_by_cas_and_chinese_name_and_equipment_by_its_name(window, qtbot, tmp_path):
    tool = install_hazard_tools(window)
    dialog = tool.open_dialog()
    dialog._substance_search("7783-06-4")
    assert dialog.substance_model.stringList()[0].startswith("hydrogen sulfide (H2S)")
    dialog.substance_edit.setText("硫化氢")
    assert dialog.substance_entry().key == "H2S"
    dialog.substance_edit.setText("nerve gas 9")
    assert "substance-unknown" in [r.code for r in dialog.refusals]
    assert "CAS" in dialog.problems_label.text()
    dialog.equipment_box.setEditText("drum")
    dialog._equipment_typed()
    assert dialog.selected.id == "H1"
    dialog.close()


@pytest.mark.parametrize(("mode", "amount", "field"), [("rate", 0.0, "rate_kg_s"), ("hole", 0.0, "hole_diameter_m")])
def test_a_zero_release_names_the_amount(window, mode, amount, field):
    tool = install_hazard_tools(window)
    dialog = tool.open_dialog()
    dialog.mode_box.setCurrentIndex(dialog.mode_box.findData(mode))
    dialog.amount_spin.setValue(amount)
    assert field in {r.field for r in dialog.refusals}
    assert dialog.amount_spin in dialog.marked_fields()
    dialog.close()


def test_a_hole_size_release_takes_its_rate_from_the_drum_pressure(window, qtbot, tmp_path):
    tool = install_hazard_tools(window)
    _incident(window, tmp_path)
    dialog = tool.open_dialog()
    dialog.set_cloud(8.0)
    dialog.set_wind(3.0, 90.0)
    dialog.mode_box.setCurrentIndex(dialog.mode_box.findData("hole"))
    dialog.amount_spin.setValue(10.0)  # mm
    req = dialog.request()
    assert req.hole_diameter_m == pytest.approx(0.010)
    assert req.rate_kg_s is None
    with qtbot.waitSignal(tool.zonesShown, timeout=60000):
        dialog.compute()
    (assessed,) = _events(window, "hazard.assessed")
    rate = assessed.payload["rate_kg_s"]
    # by hand: H2S at 2 bar abs and 20 °C is a gas (boils at −60 °C); 1/2 < 0.54 so the flow through the 10 mm
    # hole is choked (Crowl & Louvar eq. 4-59), discharge coefficient 1 (the conservative choice), γ = 1.32:
    # Q = C0 A P sqrt(γ M / (R T) (2/(γ+1))^((γ+1)/(γ-1)))
    g, m, t = 1.32, 0.034081, 293.15
    q = 1.0 * math.pi * 0.005 ** 2 * 2e5 * math.sqrt(g * m / (8.314 * t) * (2 / (g + 1)) ** ((g + 1) / (g - 1)))
    assert rate == pytest.approx(q, rel=0.05)


def test_the_panel_says_when_the_wind_has_changed_since_the_assessment(window, qtbot, tmp_path):
    tool = install_hazard_tools(window)
    clock = _incident(window, tmp_path)
    dialog = tool.open_dialog()
    dialog.set_cloud(8.0)
    dialog.set_wind(3.0, 90.0)
    with qtbot.waitSignal(tool.zonesShown, timeout=60000):
        dialog.compute()
    panel = tool.panel_dock.widget()
    assert panel.wind_label.isHidden()
    clock.advance(60)
    window.session.submit(Draft("weather.observed", window.session.now(),
                                {"wind_speed_mps": 3.0, "wind_from_deg": 200.0, "station_id": "WS-2"}))
    qtbot.waitUntil(lambda: not panel.wind_label.isHidden())
    assert "WS-2" in panel.wind_label.text()
    with qtbot.waitSignal(tool.zonesShown, timeout=60000) as shown:
        qtbot.mouseClick(panel.rewind_button, Qt.MouseButton.LeftButton)
    assert shown.args[0]["wind_from_deg"] == 200.0
    assert len(_events(window, "hazard.assessed")) == 2
    qtbot.waitUntil(lambda: panel.wind_label.isHidden())
