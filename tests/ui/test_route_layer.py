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


def test_the_plan_is_computed_in_a_worker_process_and_equals_the_in_process_plan(window, qtbot):
    """Issue 16, item 6: the pure-Python planning runs in another process; the in-process plan is the oracle."""
    import os

    import numpy as np

    from gis.routing.people import people_of_plant
    from gis.routing.plan import plan_evacuation
    from gis.routing.site import Site

    tool = window.route_tool
    hazard = Hazard([shapely.Point(668040, 3571040).buffer(8)], ["red"])
    with qtbot.waitSignal(tool.planned, timeout=60000) as blocker:
        tool.plan(hazard)
    got = blocker.args[0]
    workers = tool.processes.pids()
    assert workers
    assert os.getpid() not in workers
    from tests.commandcenter.test_jobs import _qt_modules

    assert tool.processes.submit(_qt_modules).result(60) == []  # the window has Qt loaded; its worker has not
    want = plan_evacuation(Site.of_plant(window.plant), people_of_plant(window.plant), hazard, "capacity")
    np.testing.assert_array_equal(got.assignment.ap, want.assignment.ap)
    assert list(got.assignment.routes) == list(want.assignment.routes)
    assert got.evacuation_time_s == want.evacuation_time_s
    assert got.unroutable() == want.unroutable()
    assert tool.layer.plan is got
    assert f"{want.evacuation_time_s:.0f} s" in tool.label.text()


def test_closing_the_window_terminates_the_planning_worker(window, qtbot):
    from pathlib import Path

    tool = window.route_tool
    with qtbot.waitSignal(tool.planned, timeout=60000):
        tool.plan(None)
    workers = tool.processes.pids()
    assert workers
    window.close()
    assert tool.processes.pids() == []
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)  # terminated and reaped: no zombies


def _lab(rgb):  # type: ignore[no-untyped-def]
    """sRGB (0–255) to CIE L*a*b* (D65), by the sRGB and CIE 1976 formulas."""
    import numpy as np

    c = np.asarray(rgb, float) / 255.0
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = c @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def _de2000(lab1, lab2):  # type: ignore[no-untyped-def]
    """CIEDE2000 colour difference (Sharma, Wu & Dalal, Color Res. Appl. 30(1), 2005, eqs. 1–22)."""
    import numpy as np

    l1, a1, b1 = np.moveaxis(np.asarray(lab1, float), -1, 0)
    l2, a2, b2 = np.moveaxis(np.asarray(lab2, float), -1, 0)
    cm = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(cm**7 / (cm**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p, h2p = np.degrees(np.arctan2(b1, a1p)) % 360, np.degrees(np.arctan2(b2, a2p)) % 360
    dh = h2p - h1p
    dh = np.where(c1p * c2p == 0, 0, np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh)))
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    lpm, cpm, hs = (l1 + l2) / 2, (c1p + c2p) / 2, h1p + h2p
    hpm = np.where(c1p * c2p == 0, hs, np.where(np.abs(h1p - h2p) <= 180, hs / 2,
                                                np.where(hs < 360, (hs + 360) / 2, (hs - 360) / 2)))
    t = (1 - 0.17 * np.cos(np.radians(hpm - 30)) + 0.24 * np.cos(np.radians(2 * hpm))
         + 0.32 * np.cos(np.radians(3 * hpm + 6)) - 0.20 * np.cos(np.radians(4 * hpm - 63)))
    rc = 2 * np.sqrt(cpm**7 / (cpm**7 + 25.0**7))
    rt = -np.sin(np.radians(60 * np.exp(-(((hpm - 275) / 25) ** 2)))) * rc
    sl = 1 + 0.015 * (lpm - 50) ** 2 / np.sqrt(20 + (lpm - 50) ** 2)
    sc, sh = 1 + 0.045 * cpm, 1 + 0.015 * cpm * t
    dl, dc = (l2 - l1) / sl, (c2p - c1p) / sc
    return np.sqrt(dl**2 + dc**2 + (d_h / sh) ** 2 + rt * dc * (d_h / sh))


def test_ciede2000_matches_the_published_worked_pairs():
    import pytest

    # Sharma et al. 2005, table 1, pairs 1, 7 and 25
    pairs = [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425), ((50, 0, 0), (50, -1, 2), 2.3669),
             ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644)]
    for a, b, want in pairs:
        assert float(_de2000(a, b)) == pytest.approx(want, abs=1e-4)


def test_route_colours_differ_from_every_person_class_threat_zone_and_risk_class():
    """Each route colour is at least 18 CIEDE2000 units from every colour a person dot, a threat zone (its fill,
    the fill as seen over the white site, its edge) or a risk class can show, and the route colours at least 15
    from each other: a route is never read as a zone or a group of people."""
    import numpy as np

    from commandcenter.ui.hazard_layer import ZONE_EDGE, ZONE_RGBA
    from commandcenter.ui.map_style import ZONE_BY_RISK
    from commandcenter.ui.people_layer import CLASSES
    from commandcenter.ui.route_layer import PALETTE

    def over_white(rgba):
        a = rgba[3] / 255.0
        return tuple(a * np.asarray(rgba[:3], float) + (1 - a) * 255.0)

    others = {f"person {c.key}": c.fill[:3] for c in CLASSES if c.fill[3] == 255}
    others |= {f"person {c.key} outline": c.outline[:3] for c in CLASSES if c.outline[:3] != (255, 255, 255)}
    for level, rgba in ZONE_RGBA.items():
        others |= {f"zone {level}": rgba[:3], f"zone {level} on the site": over_white(rgba),
                   f"zone {level} edge": ZONE_EDGE[level][:3]}
    for risk, style in ZONE_BY_RISK.items():
        others |= {f"risk {risk} outline": style.outline[:3]}
        if style.fill[3]:
            others[f"risk {risk} on the site"] = over_white(style.fill)
    names = list(others)
    d = _de2000(_lab(PALETTE)[:, None], _lab([others[k] for k in names])[None])
    for i, colour in enumerate(PALETTE):
        j = int(np.argmin(d[i]))
        assert d[i, j] >= 18.0, f"route colour {colour} is {d[i, j]:.1f} from {names[j]} {others[names[j]]}"
    mutual = _de2000(_lab(PALETTE)[:, None], _lab(PALETTE)[None])
    np.fill_diagonal(mutual, np.inf)
    assert mutual.min() >= 15.0
    assert len(set(PALETTE)) == len(PALETTE) >= 5


def test_hazard_zones_on_the_map_start_the_planning_worker_with_the_plant_loaded(window, qtbot):
    from commandcenter.ui.hazard_dialog import HazardRequest
    from commandcenter.ui.route_layer import WARM

    tool = window.route_tool
    assert tool.processes.pids() == []  # nothing started before it is needed
    with qtbot.waitSignal(window.hazard_tool.zonesShown, timeout=10000):
        window.hazard_tool.compute(HazardRequest("H1", "H2S", 2.0, None, 2.0, 0.0, "F"))
    warming = tool.runner.live(WARM)
    assert warming is not None
    loaded = warming.result(60)  # the worker's answer: the graph it loaded is the window's plant's
    assert loaded.result(60) == window.plant.graph.n_nodes
    assert tool.processes.pids()
