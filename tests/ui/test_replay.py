"""Issue 17 items 1 and 3: a recorded drill replayed in its own read-only window — the timeline with its markers,
play/pause/1×–60×/steps/drag, every view at the cursor, the trail of one person, and the report exported."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from commandcenter.projections import fold
from commandcenter.runtime import IncidentRuntime, ManualClock
from commandcenter.store import EventStore
from commandcenter.ui.replay_window import ReplayWindow, install_replay
from vocabulary.events import Draft, to_us

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
WALKERS = ("E0114", "E0115", "E0116")
ROUTINE = {"position.reported", "sensor.reading", "device.online", "device.offline", "device.heartbeat"}


@pytest.fixture(scope="module")
def drill_log(tmp_path_factory, demo_plant):
    """A played drill on the demo plant: alarm, weather, the assessment at V-101, the launch on it, an
    evacuation plan around its zones, three people walking to the west car park (a report every 10 s), an
    order and its acknowledgement, check-ins, a level change and the all-clear at 10 minutes."""
    from commandcenter.services.assessment import assess_equipment, assessed_draft
    from commandcenter.services.evacuation import evacuation_draft
    from commandcenter.services.zones import hazard_from_payload
    from commandcenter.ui.route_layer import plan_for_plant
    from gis.hazards.weather import WeatherInput, resolve_weather

    db = tmp_path_factory.mktemp("replay") / "drill.db"
    store = EventStore(db)
    clock = ManualClock(T0)
    rt = IncidentRuntime.create(store, title="H2S drill at V-101", exercise=True, plant=demo_plant, clock=clock,
                                incident_id="DRILL-1")
    ap = demo_plant.layers["assembly_points"].geometry["AP-03"] if "AP-03" in demo_plant.layers[
        "assembly_points"].index else demo_plant.layers["assembly_points"].geometry.iloc[0]
    hz = demo_plant.layers["hazard_sources"].geometry["HZ-101"]
    start = {p: (hz.x + 30.0 * k, hz.y - 20.0) for k, p in enumerate(WALKERS)}

    def walk(t_s: float) -> None:
        f = min(max((t_s - 150.0) / 250.0, 0.0), 1.0)
        rt.submit([Draft("position.reported", clock.now(), {
            "person_id": p, "x": round(x0 + f * (ap.x - x0), 2), "y": round(y0 + f * (ap.y - y0), 2)})
            for p, (x0, y0) in start.items()])

    script = {30: lambda: rt.submit(Draft("sensor.alarm", clock.now(), {"sensor_id": "GD-003", "level": "alarm",
                                                                        "value": 26.0, "substance": "H2S"})),
              60: lambda: rt.submit(Draft("weather.observed", clock.now(), {"wind_speed_mps": 3.0,
                                                                           "wind_from_deg": 45.0,
                                                                           "station_id": "WS-1"}))}
    assessment = {}
    for t in range(0, 601, 10):
        clock.advance_to(t)
        if t in script:
            script[t]()
        if t == 90:
            w = resolve_weather(WeatherInput(3.0, 45.0, 8.0, clock.now()), 32.0, 118.8)
            a = assess_equipment(demo_plant, "HZ-101", w, rate_kg_s=0.2)
            ev = rt.submit(assessed_draft(a, clock.now(), by="console"))
            assessment = ev[0].payload
        if t == 100:
            rt.launch("h2s-release", "L2", assessment_id=assessment["assessment_id"],
                      context={"cordon_m": assessment["cordon_m"]})
        if t == 120:
            plan = plan_for_plant(demo_plant, hazard_from_payload(assessment["zones"]), "shortest")
            rt.submit(evacuation_draft(plan, clock.now(), assessment_id=assessment["assessment_id"]))
        if t == 200:
            rt.submit(Draft("command.sent", clock.now(), {"command_id": "CMD-1", "to": list(WALKERS),
                                                          "kind": "evacuate"}))
        if t == 210:
            rt.submit(Draft("command.acknowledged", clock.now(), {"command_id": "CMD-1", "person_id": "E0114"}))
        if t == 400:
            rt.change_level("L3", reason="casualty")
        if t >= 50:
            walk(t)
        if t == 420:
            rt.submit([Draft("person.mustered", clock.now(), {"person_id": p, "assembly_point_id": "AP-03"})
                       for p in WALKERS])
    rt.submit(Draft("incident.closed", clock.now(), {"reason": "end of drill"}))
    head = store.incident("DRILL-1")
    rt.close()
    store.close()
    return db, head.head_seq, head.head_hash


@pytest.fixture
def replay(qtbot, demo_plant, drill_log):
    win = ReplayWindow(demo_plant)
    qtbot.addWidget(win)
    win.resize(1500, 950)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.ready, timeout=60000):
        win.open_replay(drill_log[0], "DRILL-1")
    return win


def _brute_state(db, t_us: int) -> dict:
    """The independent answer: every event up to t folded from the start (no snapshot, no step)."""
    store = EventStore(db)
    try:
        return fold(store.rows("DRILL-1", until_t_us=t_us))
    finally:
        store.close()


def _same(a: dict, b: dict) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def _at(s: int) -> int:
    return to_us(T0 + dt.timedelta(seconds=s))


def test_dragging_the_cursor_shows_every_view_as_it_stood_then(replay, qtbot, drill_log):
    win, s = replay, replay.session
    assert "REPLAY" in win.windowTitle()
    assert s.cursor_us == s.t0_us
    view = win.bar.timeline
    y = int(view.track().top() + 3)
    for seconds in (95, 130, 405, 250, 30, 600, 125):  # forward, back, far, near: every path of a seek
        x = view.x_of(_at(seconds))
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x), y))
        qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x), y))
        qtbot.waitUntil(lambda sec=seconds: abs(s.cursor_us - _at(sec)) <= (s.t1_us - s.t0_us) / view.track().width())
        assert _same(s.state, _brute_state(drill_log[0], s.cursor_us)), seconds
    # at 2:05: launched at L2 on the assessment, zones and routes in force, not yet L3
    qtbot.waitUntil(lambda: bool(win.hazard_tool.layer.zone_polygons))
    assert s.state["incident"]["level"] == "L2"
    assert "L2" in win.incident_label.text()
    assert win.route_tool.layer.items, "the evacuation routes in force at 2:05 are not drawn"
    hazard_panel = win.hazard_tool.panel_dock.widget()
    assert hazard_panel.launch_button.isHidden()  # a replay shows the proposal, never launches
    # back before the assessment: no zones, no routes, no level
    win.session.seek(_at(70))
    assert win.hazard_tool.layer.zone_polygons == {}
    assert win.route_tool.layer.items == []
    assert s.state["incident"]["level"] is None
    win.session.seek(_at(405))
    assert s.state["incident"]["level"] == "L3"
    assert win.route_tool.runner.live("evacuation_route") is None  # new zones in a replay re-plan nothing
    task_panel = win.panels.get("TaskPanel")
    if task_panel is not None:  # the live window's task board, redrawn for the cursor
        qtbot.waitUntil(lambda: not task_panel._timer.isActive())
    win.grab().save(str(drill_log[0].parent / "replay.png"))


def test_positions_and_the_trail_of_a_selected_person_are_those_at_the_cursor(replay, qtbot, drill_log):
    win, s = replay, replay.session
    s.seek(_at(300))
    store = EventStore(drill_log[0])
    reports = [(e.t_us, e.payload["x"], e.payload["y"]) for e in store.events("DRILL-1")
               if e.type == "position.reported" and e.payload["person_id"] == "E0115" and e.t_us <= s.cursor_us]
    store.close()
    i = list(win.positions.ids.astype(str)).index("E0115")
    assert (win.positions.x[i], win.positions.y[i]) == pytest.approx(reports[-1][1:])
    # click the dot: its trail up to the cursor
    pos = win.map_view.plant_to_widget(reports[-1][1], reports[-1][2])
    qtbot.mouseClick(win.map_view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert win.person_id in WALKERS  # the walkers stand 30 m apart: the click picks the one under it
    if win.person_id != "E0115":
        win.select_person("E0115")
    assert np.allclose(win.trail.xy, np.array([r[1:] for r in reports]))
    s.seek(_at(200))
    assert len(win.trail.xy) == sum(1 for r in reports if r[0] <= _at(200))


def test_steps_and_keys_go_from_marker_to_marker(replay, qtbot, drill_log):
    win, s = replay, replay.session
    store = EventStore(drill_log[0])
    moments = sorted({e.t_us for e in store.events("DRILL-1") if e.type not in ROUTINE})
    store.close()
    win.activateWindow()
    win.setFocus()
    s.seek(_at(95))
    nxt = next(t for t in moments if t > _at(95))
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert s.cursor_us == nxt
    qtbot.keyClick(win, Qt.Key.Key_Right)
    assert s.cursor_us == next(t for t in moments if t > nxt)
    qtbot.keyClick(win, Qt.Key.Key_Left)
    assert s.cursor_us == nxt
    assert _same(s.state, _brute_state(drill_log[0], s.cursor_us))  # a step shows what a seek there shows
    qtbot.mouseClick(win.bar.back_button, Qt.MouseButton.LeftButton)
    assert s.cursor_us == max(t for t in moments if t < nxt)
    with qtbot.waitSignal(s.playing, timeout=5000) as on:
        qtbot.keyClick(win, Qt.Key.Key_Space)
    assert on.args == [True]
    with qtbot.waitSignal(s.playing, timeout=5000) as off:
        qtbot.keyClick(win, Qt.Key.Key_Space)
    assert off.args == [False]


def test_playing_at_60x_runs_to_the_end_and_stops(replay, qtbot):
    win, s = replay, replay.session
    win.bar.speed_box.setCurrentIndex(win.bar.speed_box.findData(60))
    assert s.speed == 60
    s.seek(s.t1_us - 120_000_000)  # two seconds of playing at 60×
    seen = []
    s.moved.connect(seen.append)
    qtbot.mouseClick(win.bar.play_button, Qt.MouseButton.LeftButton)
    assert s.is_playing
    qtbot.waitUntil(lambda: not s.is_playing, timeout=10000)
    assert s.cursor_us == s.t1_us
    assert len(seen) >= 2  # several frames, not one jump
    assert seen == sorted(seen)
    assert not s.state["incident"]["open"]  # the all-clear is the last event


def test_a_replay_never_writes_to_the_log(replay, qtbot, drill_log):
    win, s = replay, replay.session
    s.seek(_at(300))
    refused = []
    s.refused.connect(refused.append)
    assert s.submit(Draft("note.added", s.now(), {"text": "x"})) == []
    assert s.launch("h2s-release", "L4") == []
    assert len(refused) == 2
    assert win.ensure_incident("x") is False
    panel = win.resources_dock.widget()
    assert panel.dispatch_selected() == []
    s.step(+1)
    s.step(-1)
    store = EventStore(drill_log[0])
    head = store.incident("DRILL-1")
    store.close()
    assert (head.head_seq, head.head_hash) == drill_log[1:]  # nothing appended, the chain untouched


@pytest.mark.slow
def test_export_report_runs_in_a_worker_and_opens_the_result(replay, qtbot, monkeypatch, tmp_path):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    exporter = replay.exporter
    steps = []
    exporter.progress.connect(lambda f, text: steps.append(f))
    html = tmp_path / "drill.html"
    with qtbot.waitSignal(exporter.finished, timeout=120000) as done:
        exporter.export(replay.session.db, "DRILL-1", None, html, "en")
    assert html.is_file()
    assert "DRILL-1" in html.read_text(encoding="utf-8")
    assert str(done.args[0]["html"]) == str(html)
    assert opened == [str(html)]
    assert steps[0] == 0.0
    assert steps[-1] == 1.0
    assert exporter.dialog is None  # the progress dialog is gone


def test_the_live_window_offers_replay_and_export_of_a_finished_incident(window, qtbot, tmp_path):
    tools = install_replay(window)
    assert install_replay(window) is tools
    names = [a.objectName() for a in window.file_menu.actions()]
    assert {"replayLogAction", "replayCurrentAction", "exportReportAction"} <= set(names)
    assert not tools.export_action.isEnabled()
    window.session.open_log(tmp_path / "live.db", resume=False)
    window.session.new_incident("live one", exercise=True, clock=ManualClock(T0))
    window.session.timer.stop()
    assert not tools.export_action.isEnabled()  # still open: no report yet
    window.session.submit(Draft("incident.closed", window.session.now(), {"reason": "all clear"}))
    qtbot.waitUntil(tools.export_action.isEnabled)
    w = tools.replay_current()
    qtbot.waitUntil(lambda: w.session.active, timeout=30000)
    assert w.session.runtime.incident_id == window.session.runtime.incident_id
    assert w.session.runtime.read_only
    w.close()


def test_a_file_that_is_not_a_log_is_refused_with_a_message(qtbot, demo_plant, tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database", encoding="utf-8")
    win = ReplayWindow(demo_plant)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.openFailed, timeout=10000):
        win.open_replay(bad)
    assert win.last_error_box is not None
    assert str(bad) in win.last_error_box.text()
    win.last_error_box.close()
    assert not win.session.active


def test_a_log_with_several_incidents_asks_which_newest_first(qtbot, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QListWidget

    from commandcenter.ui.replay_window import choose_incident

    db = tmp_path / "two.db"
    store = EventStore(db)
    for iid, start in (("OLDER", T0), ("NEWER", T0 + dt.timedelta(days=1))):
        rt = IncidentRuntime.create(store, title=iid.lower(), exercise=True, clock=ManualClock(start), incident_id=iid)
        rt.close()
    store.close()
    listed = []

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        box = dialog.findChild(QListWidget)
        listed.extend(box.item(i).data(Qt.ItemDataRole.UserRole) for i in range(box.count()))
        box.setCurrentRow(1)
        dialog.accept()

    QTimer.singleShot(0, pick)
    assert choose_incident(None, db) == "OLDER"
    assert listed == ["NEWER", "OLDER"]


def test_a_seek_back_and_forth_across_the_evacuation_plan_shows_its_routes_exactly_while_in_force(
        replay, qtbot, drill_log, demo_plant):
    import pyqtgraph as pg

    from commandcenter.ui.route_layer import Z_ROUTES, ap_colour

    win, s = replay, replay.session
    store = EventStore(drill_log[0])
    plans = [(e.t_us, e.payload) for e in store.events("DRILL-1") if e.type == "evacuation.planned"]
    store.close()
    assert plans, "the drill records an evacuation plan"
    n_edges = len(demo_plant.graph.edge_coords)
    ap_index = {str(a): k for k, a in enumerate(demo_plant.layers["assembly_points"].index)}

    def expected_colours(t_us: int) -> list:
        """The oracle: the colour of each assembly point the last plan recorded at or before t routes anyone
        to (over walkways of this plant), read from the log's events directly (colours repeat past six)."""
        before = [p for t, p in plans if t <= t_us]
        if not before:
            return []
        aps = {ap_index[r["assembly_point_id"]] for r in before[-1]["people"]
               if r.get("assembly_point_id") in ap_index and any(0 <= int(e) < n_edges for e in r.get("edges") or [])}
        return sorted(ap_colour(k) for k in aps)

    def shown() -> list:
        return [i for i in win.map_view.viewbox.childGroup.childItems()
                if isinstance(i, pg.PlotDataItem) and i.zValue() == Z_ROUTES and i.isVisible()]

    t_plan = plans[0][0]
    assert expected_colours(t_plan), "the plan routes people: the test would show nothing otherwise"
    drawn: set[int] = set()
    cache = win.map_view.basemap
    renders: dict[bool, object] = {}  # the map's cached background with and without the routes
    for t in (t_plan + 5_000_000, t_plan - 1, t_plan, t_plan - 30_000_000, s.t1_us, s.t0_us, t_plan + 1,
              t_plan - 10_000_000, t_plan + 60_000_000, t_plan - 1):
        qtbot.waitUntil(lambda: cache.pixmap is not None, timeout=10000)
        s.seek(t)
        lines = shown()
        assert sorted(i.opts["pen"].color().getRgb()[:3] for i in lines) == expected_colours(s.cursor_us), t - t_plan
        assert bool(win.route_tool.layer.items) == bool(lines)
        if lines and not drawn:
            drawn = {id(i) for i in lines}
        elif lines:
            assert {id(i) for i in lines} == drawn, "a crossing back shows the plan's routes, never rebuilds them"
        assert cache.pixmap is not None
        assert cache.check(), "the map's cached background is the one of the cursor"
        before = renders.setdefault(bool(lines), cache.pixmap)
        assert cache.pixmap is before, "a crossing back puts the earlier render back, never paints the map again"


def test_the_map_keeps_its_size_across_seeks_once_the_replay_is_open(replay, qtbot):
    """A view filling at a seek (tasks, check-ins, orders) must not move a dock separator: the map would be
    resized inside that seek and render its whole cached background again (the first-seek spike of
    bench/replay_ui.py). The oracle is the map's size and the docks' minimum sizes at opening."""
    from PySide6.QtWidgets import QApplication, QDockWidget

    win, s = replay, replay.session
    docks = win.findChildren(QDockWidget)
    QApplication.processEvents()
    size, cache = win.map_view.size(), win.map_view.basemap
    minimums = {d.objectName(): d.minimumSizeHint() for d in docks}
    qtbot.waitUntil(lambda: cache.pixmap is not None, timeout=10000)
    for seconds in (405, 95, 600, 30, 125, 420, 250, 600):
        s.seek(_at(seconds))
        for view in (*win.panels.values(), win.plan_dock.widget()):
            if hasattr(view, "refresh"):
                view.refresh()
        QApplication.processEvents()
        assert {d.objectName(): d.minimumSizeHint() for d in docks} == minimums, seconds
        assert win.map_view.size() == size, seconds


def test_an_open_replay_keeps_its_long_lived_objects_out_of_full_collections_until_closed(qtbot, demo_plant,
                                                                                             drill_log):
    """A full garbage collection during playback traversed every object of the application (~220 ms in one
    frame of bench/replay_ui.py); an open replay freezes what is alive at opening, and closing releases it."""
    import gc

    win = ReplayWindow(demo_plant)
    qtbot.addWidget(win)
    win.show()
    before = gc.get_freeze_count()
    with qtbot.waitSignal(win.ready, timeout=60000):
        win.open_replay(drill_log[0], "DRILL-1")
    assert gc.get_freeze_count() > before
    assert gc.get_freeze_count() >= len(gc.get_objects()) // 2  # most of the heap, not a handful
    win.close()
    assert gc.get_freeze_count() == 0


def test_closing_a_replay_keeps_the_live_windows_frozen_heap_frozen(qtbot, demo_plant, drill_log):
    """The live window freezes its incident's heap too; a replay closing beside it must not hand that heap back
    to the full collections (it unfreezes, collects its own garbage, and freezes what still lives)."""
    import gc

    from commandcenter.ui import heap

    live_window = object()
    heap.hold(live_window)  # as the live window's session does when an incident opens
    try:
        live = gc.get_freeze_count()
        win = ReplayWindow(demo_plant)
        qtbot.addWidget(win)
        win.show()
        with qtbot.waitSignal(win.ready, timeout=60000):
            win.open_replay(drill_log[0], "DRILL-1")
        win.close()
        assert gc.get_freeze_count() >= live
    finally:
        heap.release(live_window)
    assert gc.get_freeze_count() == 0  # the last holder gone: everything back in the collector's reach


def test_the_timeline_draws_each_marker_in_its_lane_and_the_cursor_over_them_wherever_it_moves(replay, qtbot):
    """The lanes are painted once and the cursor over them: a marker must stay where its event's time puts it
    (column by hand from the event's time) whatever the cursor did, and the cursor must be drawn where it is."""
    from commandcenter.ui.replay_timeline import BAD_RGB, LANE_H

    win, s = replay, replay.session
    view = win.bar.timeline
    r = view.track()
    alarm = _at(30)  # the sensor alarm: a red mark in the first lane
    col = int(np.floor((alarm - s.t0_us) / (s.t1_us - s.t0_us) * (int(r.width()) - 1)) + r.left())
    mid_alarm_lane = int(r.top() + LANE_H / 2)
    empty_lane_y = int(r.top() + 6 * LANE_H + LANE_H / 2)  # resources: nothing in this drill

    def pixel(x: int, y: int) -> tuple:
        return view.grab().toImage().pixelColor(x, y).getRgb()[:3]

    for t in (s.t1_us, _at(300), s.t0_us, s.t1_us):
        s.seek(t)
        assert pixel(col, mid_alarm_lane) == BAD_RGB, t
        x = round(view.x_of(s.cursor_us))
        assert pixel(min(x, view.width() - 9), empty_lane_y) == (0, 0, 0), t
        if abs(x - col) > 3:
            assert pixel(col, empty_lane_y) != (0, 0, 0), t  # the cursor is not left behind


def test_a_step_hands_every_view_the_same_list_of_records_without_a_copy_per_view(replay, qtbot):
    """A frame at 60x folds ~1,700 records; a ``list`` signal converted them for each of a dozen receivers
    (~0.4 ms each). The views must get the records the session emitted, the very same list."""
    win, s = replay, replay.session
    s.seek(_at(100))
    sent, through_session, through_gate = [], [], []
    s.changed.connect(sent.append)  # connected first: records the list as emitted... and as received
    s.changed.connect(through_session.append)
    win.gates[0].set_open(True)
    win.gates[0].changed.connect(through_gate.append)
    s.seek(_at(140))
    assert through_session
    assert through_gate
    assert through_session[-1] is sent[-1]
    assert through_gate[-1] is sent[-1]
    assert [r.seq for r in sent[-1]] == sorted(r.seq for r in sent[-1])
