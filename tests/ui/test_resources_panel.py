"""Issue 14 item 5: the Resources dock — nearest to the incident by walking time around the hazard, the path to
the chosen one on the map, dispatch and the external request as events through the session."""

from __future__ import annotations

import datetime as dt
import json
import re

import networkx as nx
import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt

from commandcenter.runtime import IncidentRuntime, ManualClock
from commandcenter.store import EventStore
from commandcenter.ui.resources_panel import install_resources_panel
from vocabulary.events import Draft

MORNING = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
BIG_PLAN = """\
id: scba-heavy
title: {zh: 大量呼吸器, en: SCBA-heavy test plan}
plan_type: special
category: toxic_release
scenario: scba
summary: {zh: 测试用, en: For tests}
substances: [H2S]
triggers:
- {id: manual, kind: manual, level: L1, description: {zh: 人工, en: Manual}}
levels:
  L1:
    commander: firefighter
    evacuation: {scope: none}
    description: {zh: 班组级, en: Team}
tasks:
- id: entry
  title: {zh: 进入, en: Entry team}
  role: firefighter
  level: L1
  deadline_s: 300
  resources: [{kind: scba, quantity: 500}]
contacts:
- {id: fire_119, name: {zh: 消防, en: Fire}, phone: '119', kind: agency}
notice_template: {zh: '{place}发生{substance}事故', en: '{substance} accident at {place}'}
"""


def _circle(x: float, y: float, r: float) -> dict:
    return json.loads(shapely.to_geojson(shapely.Point(x, y).buffer(r, quad_segs=16)))


def _open(win, tmp_path, plans_dir=None):
    db = tmp_path / "log.db"
    store = EventStore(db)
    rt = IncidentRuntime.create(store, title="SCBA check", exercise=True, plant=win.plant, plans_dir=plans_dir,
                                clock=ManualClock(MORNING))
    iid = rt.incident_id
    rt.close()
    store.close()
    win.session.open_log(db, iid)
    win.session.timer.stop()


def _assess_at(win, source_id: str, red: dict) -> tuple[float, float]:
    x, y = (float(v) for v in win.plant.layers["hazard_sources"].geometry[source_id].coords[0])
    win.session.submit(Draft("hazard.assessed", win.session.now(), {
        "assessment_id": "A-1", "zones": [{"level": "red", "polygon": red}], "substance": "H2S",
        "source": {"id": source_id, "x": x, "y": y}}))
    return x, y


def _panel(win, qtbot):
    dock = install_resources_panel(win)
    panel = dock.widget()
    with qtbot.waitSignal(panel.refreshed, timeout=30000):
        dock.show()
    return dock, panel


def _walk_oracle(plant, a: tuple[float, float], b: tuple[float, float], red) -> float:
    """Plain networkx: the shortest walkway path length (m) between the nodes nearest to a and b, over edges
    whose midpoint is outside the red zone."""
    g = plant.graph
    xy = np.asarray(g.node_xy, dtype=float)
    na = int(np.argmin(np.hypot(xy[:, 0] - a[0], xy[:, 1] - a[1])))
    nb = int(np.argmin(np.hypot(xy[:, 0] - b[0], xy[:, 1] - b[1])))
    h = nx.Graph()
    for e in range(g.n_edges):
        c = np.asarray(g.edge_coords[e])
        if red is not None and red.contains(shapely.Point(c[len(c) // 2])):
            continue
        u, v, w = int(g.edge_u[e]), int(g.edge_v[e]), float(g.edge_length[e])
        if not h.has_edge(u, v) or h[u][v]["weight"] > w:
            h.add_edge(u, v, weight=w)
    return nx.shortest_path_length(h, na, nb, weight="weight")


def test_nearest_scba_skips_the_cabinet_inside_the_red_zone_and_the_path_is_drawn(demo_window, qtbot, tmp_path):
    win = demo_window
    _open(win, tmp_path)
    inv = win.plant.layers["resources"]
    scba = inv[inv["kind"] == "scba"]
    x, y = (float(v) for v in win.plant.layers["hazard_sources"].geometry["HZ-101"].coords[0])
    d = np.hypot(scba.geometry.x - x, scba.geometry.y - y)
    closest = str(d.idxmin())  # the straight-line nearest SCBA cabinet
    cx, cy = float(scba.geometry[closest].x), float(scba.geometry[closest].y)
    _assess_at(win, "HZ-101", _circle(cx, cy, 12.0))  # the cloud sits on that cabinet
    _dock, panel = _panel(win, qtbot)
    with qtbot.waitSignal(panel.refreshed, timeout=30000):
        panel.kind_box.setCurrentIndex(panel.kind_box.findData("scba"))
    rows = panel.result["resources"]["results"]
    assert rows
    assert {r["kind"] for r in rows} == {"scba"}
    assert closest not in [r["id"] for r in rows]
    assert closest in panel.excluded_label.text()  # said, not silently dropped
    walks = [r["walk_s"] for r in rows]
    assert walks == sorted(walks)
    assert panel.table.item(0, 0).text() == rows[0]["name"]
    # the path on the map is the first row's, from the cabinet to the place
    first = rows[0]
    xy = panel.layer.path
    assert xy is not None
    assert np.allclose(xy, np.asarray(first["path"]))
    fx, fy = float(inv.geometry[first["id"]].x), float(inv.geometry[first["id"]].y)
    assert np.hypot(xy[0, 0] - fx, xy[0, 1] - fy) < 60.0
    assert np.hypot(xy[-1, 0] - x, xy[-1, 1] - y) < 60.0
    # its walking distance against plain Dijkstra on the walkway graph (snapping at both ends aside)
    oracle = _walk_oracle(win.plant, (fx, fy), (x, y), shapely.Point(cx, cy).buffer(12.0))
    assert first["distance_m"] == pytest.approx(oracle, abs=60.0)
    win.grab().save(str(tmp_path / "resources.png"))


def test_dispatch_from_the_panel_is_an_event_and_the_board_counts_it(demo_window, qtbot, tmp_path):
    win = demo_window
    _open(win, tmp_path)
    _assess_at(win, "HZ-101", _circle(0.0, 0.0, 1.0))  # a zone far away: only the place matters
    _dock, panel = _panel(win, qtbot)
    with qtbot.waitSignal(panel.refreshed, timeout=30000):
        panel.kind_box.setCurrentIndex(panel.kind_box.findData("scba"))
    rows = panel.result["resources"]["results"]
    k = next(i for i, r in enumerate(rows) if r["available"] >= 3)  # a cabinet that keeps some after two go
    first = rows[k]
    quantity = int(win.plant.layers["resources"].at[first["id"], "quantity"])
    assert first["available"] == quantity
    panel.table.selectRow(k)
    panel.quantity.setValue(2)
    with qtbot.waitSignal(panel.refreshed, timeout=30000):
        qtbot.mouseClick(panel.dispatch_button, Qt.MouseButton.LeftButton)
    rt = win.session.runtime
    (ev,) = [e for e in rt.store.events(rt.incident_id) if e.type == "resource.dispatched"]
    assert (ev.payload["resource_id"], ev.payload["quantity"]) == (first["id"], 2)
    assert ev.payload["to"].startswith("incident")
    assert ev.payload["walk_s"] == first["walk_s"]
    after = next(r for r in panel.result["resources"]["results"] if r["id"] == first["id"])
    assert after["available"] == quantity - 2  # read back from the log
    panel.table.selectRow([r["id"] for r in panel.result["resources"]["results"]].index(first["id"]))
    panel.quantity.setValue(quantity)  # more than is left on the shelf
    assert panel.quantity.value() == quantity - 2  # the spin box offers only what is free


def test_a_plan_short_of_scba_drafts_the_external_request_and_records_it(demo_window, qtbot, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "scba_heavy.yaml").write_text(BIG_PLAN, encoding="utf-8")
    win = demo_window
    _open(win, tmp_path, plans)
    _assess_at(win, "HZ-101", _circle(0.0, 0.0, 1.0))
    win.session.launch("scba-heavy", "L1")
    _dock, panel = _panel(win, qtbot)
    (short,) = panel.result["shortages"]["shortages"]
    total = int(win.plant.layers["resources"].query("kind == 'scba'")["quantity"].sum())
    assert short["kind"] == "scba"
    assert short["needed"] == 500
    assert short["short"] == 500 - short["available"]
    assert short["available"] <= total
    assert "Short of Breathing apparatus (SCBA)" in panel.short_label.text()
    assert not panel.request_button.isHidden()
    qtbot.mouseClick(panel.request_button, Qt.MouseButton.LeftButton)
    rt = win.session.runtime
    (req,) = [e for e in rt.store.events(rt.incident_id) if e.type == "resource.requested"]
    assert req.payload["kind"] == "scba"
    assert req.payload["quantity"] == short["short"]
    # read back from the log: nothing is left to ask for, so the request cannot be recorded twice
    qtbot.waitUntil(lambda: all(x["short"] == 0 for x in panel.result["shortages"]["shortages"]), timeout=30000)
    assert panel.request_button.isHidden()


def test_a_place_picked_on_the_map_replaces_the_incident_place(demo_window, qtbot, tmp_path):
    win = demo_window
    _open(win, tmp_path)
    _dock, panel = _panel(win, qtbot)
    assert panel.result["place"] is None
    assert "No incident place yet" in panel.place_label.text()
    ap = win.plant.layers["assembly_points"].geometry.iloc[0]
    panel.pick_button.setChecked(True)
    with qtbot.waitSignal(panel.refreshed, timeout=30000):
        qtbot.mouseClick(win.map_view.viewport(), Qt.MouseButton.LeftButton,
                         pos=win.map_view.plant_to_widget(ap.x, ap.y))
    px, py = panel.result["place"]
    assert abs(px - ap.x) < 5 * win.map_view.metres_per_pixel() + 1.0
    assert abs(py - ap.y) < 5 * win.map_view.metres_per_pixel() + 1.0
    assert panel.result["resources"]["results"]
    assert "picked on the map" in panel.place_label.text()
    assert not panel.pick_button.isChecked()


def test_a_read_only_session_shows_no_dispatch(demo_window, qtbot, tmp_path):
    win = demo_window
    _open(win, tmp_path)
    _assess_at(win, "HZ-101", _circle(0.0, 0.0, 1.0))
    win.session.submit(Draft("incident.closed", win.session.now(), {"reason": "all clear"}))
    _dock, panel = _panel(win, qtbot)
    assert panel.result["resources"]["results"]
    assert panel.dispatch_button.isHidden()
    assert panel.send_button.isHidden()
    assert panel.dispatch_selected() == []


def test_in_chinese_resources_and_people_read_in_chinese(demo_window, qtbot, tmp_path, qapp):
    """The query's row names come first in English; a Chinese UI shows the inventory's Chinese names, roles,
    teams and qualifications in words, and English again after switching back."""
    from commandcenter.ui import translations

    win = demo_window
    _open(win, tmp_path)
    layer = win.plant.layers["resources"]
    _assess_at(win, "HZ-101", _circle(0.0, 0.0, 1.0))
    cjk = re.compile(r"[\u4e00-\u9fff]")
    translations.install_translations(qapp, "zh_CN")
    try:
        _dock, panel = _panel(win, qtbot)
        rows = panel.result["resources"]["results"]
        assert rows
        for i, r in enumerate(rows):
            zh = str(layer.loc[r["id"], "name"] or "") or str(layer.loc[r["id"], "name_en"])
            assert panel.table.item(i, 0).text() == zh  # read from the plant file, not the query's name
        assert any(cjk.search(panel.table.item(i, 0).text()) for i in range(len(rows)))
        people = panel.result["people"]["results"]
        assert people
        for i in range(len(people)):
            role = panel.people.item(i, 1).text()
            assert cjk.search(role), role  # a word, not the roster code
            assert "_" not in role
            skills = panel.people.item(i, 3).text()
            assert "_" not in skills
            assert not re.search(r"[a-z]{4,}", skills), skills
    finally:
        translations.remove_translations(qapp)
    panel.retranslate_ui()
    en = str(layer.loc[rows[0]["id"], "name_en"] or "") or str(layer.loc[rows[0]["id"], "name"])
    assert panel.table.item(0, 0).text() == en
    assert not cjk.search(panel.people.item(0, 1).text())
