"""Evacuation routes on the map: planned off the UI thread, drawn, summarised in the status bar."""

from __future__ import annotations

import json

import shapely

from gis.routing.hazard_graph import Hazard
from tests.gis.routing.scenarios import hazard_geojson


def test_plan_evacuation_draws_routes_and_the_summary(window, qtbot, tmp_path):
    tool = window.route_tool
    hz = tmp_path / "hazard.geojson"
    hz.write_text(json.dumps(hazard_geojson(Hazard([shapely.Point(668040, 3571040).buffer(8)], ["red"]),
                                            "EPSG:32650")))
    with qtbot.waitSignal(tool.planned, timeout=30000) as blocker:
        tool.plan(str(hz))
    plan = blocker.args[0]
    assert plan.method == "capacity"
    assert tool.layer.items
    assert tool.label.isVisible()
    assert f"{plan.evacuation_time_s:.0f} s" in tool.label.text()
    assert "×" in tool.label.text()
    # Everyone unroutable is on the map as a cross.
    assert len(tool.layer.unroutable_xy) == len([u for u in plan.unroutable() if u["code"] != "bad-row"])
    tool.clear()
    assert not tool.layer.items
    assert not tool.label.isVisible()


def test_people_without_a_safe_route_are_highlighted(window, qtbot, tmp_path):
    tool = window.route_tool
    everything = shapely.box(667900, 3570900, 668300, 3571200)
    hz = tmp_path / "all.geojson"
    hz.write_text(json.dumps(hazard_geojson(Hazard([everything], ["yellow"]), "EPSG:32650")))
    with qtbot.waitSignal(tool.planned, timeout=30000):
        tool.plan(str(hz))
    assert len(tool.layer.unroutable_xy) == len(window.plant.population)
    assert "safe route" in tool.label.text()


def test_a_broken_hazard_file_fails_with_a_message(window, qtbot, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    with qtbot.waitSignal(window.route_tool.planFailed, timeout=30000) as blocker:
        window.route_tool.plan(str(bad))
    assert "cannot read" in blocker.args[0]


def test_the_emergency_menu_has_the_planning_actions(window):
    texts = [a.text() for a in window.route_tool.menu.actions()]
    assert any("Plan evacuation" in t for t in texts)


def test_routes_follow_the_hazard_zone_and_a_new_wind_reroutes(window, qtbot):
    """Issue 4, item 6: a new wind reading updates the zone and the routes."""
    from commandcenter.ui.hazard_dialog import HazardRequest

    hazard, tool = window.hazard_tool, window.route_tool
    with qtbot.waitSignal(hazard.zonesShown, timeout=10000):
        hazard.compute(HazardRequest("H1", "H2S", 2.0, None, 2.0, 0.0, "F"))  # north wind: the cloud lies south
    with qtbot.waitSignal(tool.planned, timeout=30000) as blocker:
        tool.plan_around_zones()
    first = blocker.args[0]
    assert len(first.net.hazard) == 3  # planned around the red, orange and yellow zones on the map
    p002 = list(first.people.ids).index("P002")
    assert first.assignment.ap[p002] < 0  # the cloud cuts P002 off from both assembly points
    with qtbot.waitSignal(tool.rerouted, timeout=30000) as blocker:
        hazard.update_wind(2.0, 180.0)  # the wind turns: the cloud now drifts north, off the routes
    plan, changes = blocker.args
    assert plan is tool.layer.plan
    assert [(c.id, c.old_assembly_point, c.new_assembly_point) for c in changes] == [("P002", None, "AP1")]
    assert "1 people re-routed" in window.statusBar().currentMessage()
