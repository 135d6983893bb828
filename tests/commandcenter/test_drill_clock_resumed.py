"""A process that opens a running live drill without a clock — the window, a restarted ``field serve``, a CLI
command — reads the drill's time: the drill clock rebuilt from the ``drill.scenario`` anchor
(``live.played_at``, ``live.speed``, ``live.wall_origin``). A closed drill, or an incident that is not a live
drill, opens on the wall clock as before.

The oracle everywhere is the hand formula of the drill clock, evaluated on wall times read around the call:
drill time = ``played_at + (wall − wall_origin) × speed``. The drills start weeks before the wall clock, so a
drill time and a wall time cannot be mistaken for each other."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

import pytest
import zmq
from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.projections import fold
from commandcenter.runtime import IncidentRuntime, ManualClock, WallClock
from commandcenter.runtime.clock import DrillClock, clock_for
from commandcenter.store import EventStore
from tests.comms.helpers import RawDevice, make_keys, wait_until
from vocabulary.events import UTC

START = dt.datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in the plant's zone: day staff on shift
SPEED = 60.0
TOL = dt.timedelta(milliseconds=50)  # the monotonic and Unix clocks are read a few µs apart; × 60 stays < 1 ms


def _hand(unix_s: float, origin_unix: float, speed: float = SPEED, start: dt.datetime = START) -> dt.datetime:
    """The drill clock by hand: ``start + (wall − wall_origin) × speed`` (never before ``start``)."""
    return start + dt.timedelta(seconds=max(0.0, unix_s - origin_unix) * speed)


def _live(origin: dt.datetime, speed: float = SPEED, **over) -> dict:
    """A ``drill.scenario`` payload as ``drill run --live`` records it (simulation's scenario keys abridged)."""
    live = {"played_at": START.isoformat(), "speed": speed, "endpoint": "tcp://127.0.0.1:5555", "clock": "drill",
            "wall_origin": origin.isoformat(), **over}
    return {"scenario_id": "BLIND-7", "seed": 7, "kind": "toxic_release", "live": live}


def _origin(ago_s: float) -> tuple[dt.datetime, float]:
    """A drill's wall origin ``ago_s`` seconds ago, as recorded (µs) and in Unix seconds."""
    origin = dt.datetime.fromtimestamp(time.time() - ago_s, UTC)
    return origin, origin.timestamp()


@pytest.fixture
def log(tmp_path):
    s = EventStore(tmp_path / "log.db")
    yield s
    s.close()


def _drill_log(store: EventStore, origin: dt.datetime, *, plant=None) -> tuple[str, DrillClock]:
    """The drill process's side: a live drill whose clock began at wall time ``origin`` (in the past, so no
    sleeping), its incident and ``drill.scenario`` recorded on that clock. Returns the incident and the clock."""
    clock = DrillClock.resumed(START, SPEED, origin)
    rt = IncidentRuntime.create(store, title="live drill", exercise=True, plant=plant, clock=clock,
                                engine=plant is not None)
    rt.record("drill.scenario", _live(origin))
    rt.close()
    return rt.incident_id, clock


# ---------------------------------------------------------------------------- the clock alone
def test_a_resumed_drill_clock_reads_start_plus_speed_times_the_wall_seconds_since_its_origin() -> None:
    """Hand calculation at 60×: a drill begun 10 wall seconds ago reads drill second 600 (plus what passes
    while it is read); its wall map is anchored at the origin; ``begin`` does not restart it."""
    origin, origin_unix = _origin(10.0)
    before = time.time()
    clock = DrillClock.resumed(START, SPEED, origin)
    now = clock.now()
    after = time.time()
    assert clock.running
    assert _hand(before, origin_unix) - TOL <= now <= _hand(after, origin_unix) + TOL
    assert now - START >= dt.timedelta(seconds=600) - TOL
    assert clock.wall_at(START) == pytest.approx(origin_unix, abs=1e-6)
    assert abs(clock.at_wall(origin_unix + 2.5) - (START + dt.timedelta(seconds=150))) <= TOL
    assert clock.begin() >= now  # already running: begin keeps the anchor
    assert clock.wall_at(START) == pytest.approx(origin_unix, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 86_400.0), st.floats(0.01, 1000.0))
def test_a_resumed_drill_clock_follows_the_hand_formula_for_any_origin_and_speed(ago_s: float, speed: float) -> None:
    origin, origin_unix = _origin(ago_s)
    before = time.time()
    clock = DrillClock.resumed(START, speed, origin)
    first = clock.now()
    second = clock.now()
    after = time.time()
    tol = dt.timedelta(seconds=1e-3 * speed + 1e-5)  # µs-apart clock reads and µs-rounded datetimes, × speed
    for t in (first, second):
        assert _hand(before, origin_unix, speed) - tol <= t <= _hand(after, origin_unix, speed) + tol
    assert second >= first


def test_a_resumed_drill_clock_whose_origin_is_still_ahead_stands_at_its_start() -> None:
    clock = DrillClock.resumed(START, SPEED, dt.datetime.now(UTC) + dt.timedelta(hours=1))
    assert clock.now() == START


def test_a_resumed_drill_clock_refuses_a_naive_origin_and_a_bad_speed() -> None:
    with pytest.raises(ValueError, match="wall_origin"):
        DrillClock.resumed(START, SPEED, dt.datetime(2026, 11, 30, 12, 0))
    with pytest.raises(ValueError, match="speed"):
        DrillClock.resumed(START, 0.0, dt.datetime.now(UTC))


# ---------------------------------------------------------------------------- the projection
def test_the_incident_projection_keeps_the_live_drills_clock_as_plain_json(log) -> None:
    origin = dt.datetime(2026, 11, 30, 16, 0, 0, 250000, tzinfo=UTC)
    rt = IncidentRuntime.create(log, title="t", exercise=True, clock=ManualClock(START), engine=False)
    assert rt.state["incident"]["drill_clock"] is None
    rt.record("drill.scenario", _live(origin, speed=60))
    rec = rt.state["incident"]["drill_clock"]
    assert rec == {"played_at": START.isoformat(), "speed": 60.0, "wall_origin": origin.isoformat()}
    assert json.loads(json.dumps(rt.state, allow_nan=False)) == rt.state
    assert fold(log.events(rt.incident_id))["incident"] == rt.state["incident"]  # a fresh fold agrees


def test_an_offline_drills_scenario_records_no_drill_clock(log) -> None:
    """An offline drill (SimPy's clock; no ``live``) and a live one on compressed wall time (``live.clock``
    not ``"drill"``: logs written before the drill clock) have no clock to rebuild."""
    rt = IncidentRuntime.create(log, title="t", exercise=True, clock=ManualClock(START), engine=False)
    rt.record("drill.scenario", {"scenario_id": "BLIND-1", "seed": 1})
    rt.record("drill.scenario", {"scenario_id": "BLIND-2", "seed": 2,
                                 "live": {"played_at": START.isoformat(), "speed": 60.0}})
    assert rt.state["incident"]["drill_clock"] is None
    assert clock_for(rt.state) is None


# ---------------------------------------------------------------------------- opening the incident
def test_a_window_opening_a_running_live_drill_reads_the_drills_time(log) -> None:
    """The drill began 10 wall seconds ago at 60×: the window's runtime (``open`` with no clock, as
    ``commandcenter/ui/session.py`` calls it) reads drill second ≈ 600, by the hand formula, not the wall
    time four weeks later; so does a read-only one (a follower)."""
    origin, origin_unix = _origin(10.0)
    iid, _ = _drill_log(log, origin)
    for read_only in (False, True):
        before = time.time()
        rt = IncidentRuntime.open(log, iid, read_only=read_only)
        now = rt.now()
        after = time.time()
        assert isinstance(rt.clock, DrillClock)
        assert _hand(before, origin_unix) - TOL <= now <= _hand(after, origin_unix) + TOL
        assert now - START >= dt.timedelta(seconds=600) - TOL
        assert abs((now - dt.datetime.now(UTC)).total_seconds()) > 86_400


def test_a_tick_after_reopening_a_running_drill_records_the_overdue_tasks_at_drill_time(log, demo_plant) -> None:
    """The drill process launched the plan at drill second 0 and its clock began 9 wall seconds ago (drill
    second ≈ 540). A restarted console's tick records overdue exactly the tasks whose deadline (launch +
    ``deadline_s``, from the log) has passed on the hand-formula drill clock, each stamped at its deadline. On
    the wall clock (four weeks on) every task would be overdue."""
    origin, origin_unix = _origin(9.0)
    drill = ManualClock(START)  # the drill process's clock at drill second 0, when it launched
    rt = IncidentRuntime.create(log, title="live drill", exercise=True, plant=demo_plant, clock=drill)
    rt.record("drill.scenario", _live(origin))
    launch = rt.launch("h2s-release", "L2")
    rt.close()
    deadlines = {e.payload["task_id"]: e.time + dt.timedelta(seconds=e.payload["deadline_s"])
                 for e in launch if e.type == "task.assigned"}
    assert max(deadlines.values()) > START + dt.timedelta(seconds=1200)  # the plan has tasks due after second 540

    assert not [e for e in launch if e.type == "task.unassignable"]  # every task has its deadline in the log
    again = IncidentRuntime.open(log, rt.incident_id, plant=demo_plant)
    before = time.time()
    new = again.tick()
    after = time.time()
    early, late = _hand(before, origin_unix) - TOL, _hand(after, origin_unix) + TOL
    overdue = {e.payload["task_id"]: e.time for e in new if e.type == "task.overdue"}
    assert {t for t, d in deadlines.items() if d <= early} <= set(overdue)
    assert set(overdue) <= {t for t, d in deadlines.items() if d <= late}
    assert overdue
    assert set(overdue) != set(deadlines)
    assert all(t == deadlines[task] for task, t in overdue.items())  # each at its own deadline, in drill time


def test_the_cli_on_a_running_drill_reads_and_records_drill_time(tmp_path, mini_plant, capsys) -> None:
    """During a live drill begun 9 wall seconds ago and launched at drill second 0: ``incident status --json``
    reports ``now`` at the hand-formula drill time (in the plant's zone, to the second); ``incident level``
    (which ticks first) records the level change at that drill time and the tasks overdue by then at their
    drill deadlines — confirm_alarm (60 s) is, the 30-minute report is not."""
    from commandcenter.cli import main
    from vocabulary.events import parse_time

    origin, origin_unix = _origin(9.0)
    db = tmp_path / "log.db"
    with EventStore(db) as store:
        rt = IncidentRuntime.create(store, title="live drill", exercise=True, plant=mini_plant,
                                    clock=ManualClock(START))
        rt.record("drill.scenario", _live(origin))
        rt.launch("h2s-release", "L2")
        iid = rt.incident_id
    before = time.time()
    assert main(["incident", "status", "--db", str(db), "--incident", iid, "--json"]) == 0
    after = time.time()
    now = parse_time(json.loads(capsys.readouterr().out)["now"])
    assert _hand(before, origin_unix) - dt.timedelta(seconds=1) <= now <= _hand(after, origin_unix)
    assert now.utcoffset() == dt.timedelta(hours=8)  # the plant's zone, with its offset

    before = time.time()
    assert main(["incident", "level", "--db", str(db), "--incident", iid, "--to", "L3", "--json"]) == 0
    after = time.time()
    early, late = _hand(before, origin_unix) - TOL, _hand(after, origin_unix) + TOL
    assert late < START + dt.timedelta(seconds=1800)  # the premise: the 30-minute report is not due yet
    with EventStore(db) as store:
        events = list(store.events(iid))
    [raised] = [e for e in events if e.type == "level.changed"]
    assert early <= raised.time <= late
    overdue = {e.payload["task_id"]: e.time for e in events if e.type == "task.overdue"}
    assert overdue["confirm_alarm"] == START + dt.timedelta(seconds=60)
    assert "report:park_30min" not in overdue
    assert all(t <= late for t in overdue.values())


def test_a_closed_live_drill_opens_on_the_wall_clock(log) -> None:
    iid, clock = _drill_log(log, dt.datetime.now(UTC) - dt.timedelta(seconds=10))
    IncidentRuntime.open(log, iid, clock=clock, engine=False).record("incident.closed", {"reason": "end of drill"})
    rt = IncidentRuntime.open(log, iid)
    assert rt.closed
    assert isinstance(rt.clock, WallClock)


def test_an_incident_that_is_not_a_live_drill_opens_on_the_wall_clock(log) -> None:
    real = IncidentRuntime.create(log, title="real", exercise=False, engine=False).incident_id
    before = dt.datetime.now(UTC)
    rt = IncidentRuntime.open(log, real)
    assert isinstance(rt.clock, WallClock)
    assert before <= rt.now() <= dt.datetime.now(UTC)


def test_a_given_clock_wins_over_the_recorded_drill_clock(log) -> None:
    iid, _ = _drill_log(log, dt.datetime.now(UTC) - dt.timedelta(seconds=10))
    cursor = ManualClock(START + dt.timedelta(hours=1))
    assert IncidentRuntime.open(log, iid, clock=cursor).clock is cursor


@pytest.mark.parametrize(("over", "field"), [({"speed": 0.0}, "speed"), ({"wall_origin": None}, "wall_origin"),
                                             ({"played_at": "yesterday"}, "played_at")])
def test_a_drill_clock_that_cannot_be_rebuilt_is_reported_by_name_and_the_wall_clock_used(log, caplog, over,
                                                                                          field) -> None:
    rt = IncidentRuntime.create(log, title="t", exercise=True, clock=ManualClock(START), engine=False)
    payload = _live(dt.datetime.now(UTC), **over)
    payload["live"] = {k: v for k, v in payload["live"].items() if v is not None}
    rt.record("drill.scenario", payload)
    with caplog.at_level(logging.WARNING, logger="commandcenter.runtime.clock"):
        again = IncidentRuntime.open(log, rt.incident_id)
    assert isinstance(again.clock, WallClock)
    assert f"live.{field}" in caplog.text


# ---------------------------------------------------------------------------- a restarted field server
@pytest.mark.slow
def test_a_field_service_given_no_clock_stamps_a_running_drill_on_the_drill_clock(tmp_path, mini_plant) -> None:
    """``field serve`` restarted during a live drill (a FieldService given no clock): a device's hello and
    check-in are recorded at the drill time of their arrival by the hand formula (drill second ≥ 600), not
    at the wall time."""
    from commandcenter.services.field.geo import PlantGeo
    from commandcenter.services.field_service import FieldConfig, FieldService
    from comms.server import ServerConfig

    keys = make_keys(tmp_path / "K", ["DEV-1"])
    store = EventStore(tmp_path / "log.db")
    origin, origin_unix = _origin(10.0)
    clock = DrillClock.resumed(START, SPEED, origin)
    rt = IncidentRuntime.create(store, title="live drill", exercise=True, plant=mini_plant, clock=clock)
    rt.record("drill.scenario", _live(origin))
    rt.record("device.enrolled", {"device_id": "DEV-1", "person_id": "P001", "kind": "phone"})
    iid = rt.incident_id
    rt.close()
    config = FieldConfig(server=ServerConfig(heartbeat_s=5.0), follow_s=0.05, scan_s=0.05)
    svc = FieldService(store, keys, "tcp://127.0.0.1:0", plant=mini_plant, config=config, incidents=[iid],
                       evidence_dir=tmp_path / "ev").start()
    ctx = zmq.Context()
    dev = RawDevice(ctx, svc.endpoint, keys.server_public(), keys.device_keys("DEV-1"), "DEV-1")
    try:
        wait_until(lambda: iid in svc.incidents(), what="the incident served")
        assert isinstance(svc.runtime(iid).clock, DrillClock)

        def send(kind: str, **body) -> bool:
            try:
                dev.send(kind, "DEV-1", **body)
                return True
            except zmq.Again:
                return False

        w0 = time.time()
        wait_until(lambda: send("hello", last_seq=0), what="hello sent")
        [on] = wait_until(lambda: [e for e in store.events(iid) if e.type == "device.online"], what="DEV-1 online")
        assert _hand(w0, origin_unix) - TOL <= on.time <= _hand(time.time(), origin_unix) + TOL

        ap = sorted(PlantGeo(mini_plant).assembly_points)[0]
        w0 = time.time()
        dev.send("checkin", "DEV-1", person_id="P001", assembly_point_id=ap)
        [m] = wait_until(lambda: [e for e in store.events(iid) if e.type == "person.mustered"], what="check-in")
        assert _hand(w0, origin_unix) - TOL <= m.time <= _hand(time.time(), origin_unix) + TOL
        assert m.time - START >= dt.timedelta(seconds=600) - TOL
        assert abs((m.time - dt.datetime.now(UTC)).total_seconds()) > 86_400
    finally:
        dev.close()
        ctx.term()
        svc.stop()
        store.close()


# ---------------------------------------------------------------------------- a real live drill
@pytest.mark.slow
def test_a_window_opened_during_a_real_live_drill_reads_the_time_the_drill_writes(tmp_path) -> None:
    """``drill run --live`` at 10× in a thread; 60 drill seconds into it a second process's runtime opens the log
    with no clock (as the window does). Its clock agrees with the time the drill itself stamps: it is not before
    the last event recorded before it was read, and the next events the drill records are not before it (within
    a 0.5 wall-second lag, 5 drill seconds). A wall clock would be ~54 drill seconds behind."""
    from concurrent.futures import ThreadPoolExecutor

    from commandcenter.services.drill_service import run_live_drill
    from gis.loader import load_plant
    from simulation.response import ResponseParams
    from tests.commandcenter.test_drill_live import _crew_plant

    plant = load_plant(_crew_plant(tmp_path / "plant"))
    params = ResponseParams(duration_s=150.0, officer_reaction=(5.0, 0.1), ack_delay=(5.0, 0.3),
                            position_period_s=10.0, evacuation_scope="site")
    lag = dt.timedelta(seconds=5)
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(run_live_drill, plant, tmp_path / "live.db", seed=3, speed=10.0, params=params)
        wait_until(lambda: (tmp_path / "live.db").exists() or running.done(), timeout=60, what="the drill's log")
        store = EventStore(tmp_path / "live.db")
        try:
            def scenario():
                if running.done():
                    running.result()  # the drill failed: its error, not a time-out
                return next((e for incident in store.incidents() for e in store.events(incident.id)
                             if e.type == "drill.scenario"), None)
            sc = wait_until(scenario, timeout=90, what="drill.scenario")
            sixty = sc.time + dt.timedelta(seconds=60)
            wait_until(lambda: (store.incident(sc.incident).head_t_us or 0) >= sixty.timestamp() * 1e6, timeout=60,
                       what="drill second 60")
            rt = IncidentRuntime.open(store, sc.incident, read_only=True)
            before = rt.seq
            now = rt.clock.now()  # the clock itself: rt.now() is never earlier than the last event anyway
            last = list(store.events(sc.incident, until_seq=before))[-1].time
            assert isinstance(rt.clock, DrillClock)
            assert last - lag <= now
            assert now >= sixty - lag
            nxt = wait_until(lambda: list(store.events(sc.incident, after_seq=before)), timeout=30, what="more")
            assert nxt[0].time >= now - lag
        finally:
            store.close()
        assert running.result()["events"] > before


def test_a_runtime_open_before_the_drill_began_takes_the_drill_clock_when_it_follows_the_scenario(tmp_path) -> None:
    """The window opens the drill incident during its set-up (enrolments, no ``drill.scenario`` yet): wall
    clock. Once it follows the ``drill.scenario`` the drill process records, it reads drill time; after the
    drill closes, the wall clock again."""
    origin, origin_unix = _origin(10.0)
    clock = DrillClock.resumed(START, SPEED, origin)
    log = EventStore(tmp_path / "drill.db")
    drill = IncidentRuntime.create(log, title="live drill", exercise=True, clock=clock, engine=False)
    window = IncidentRuntime.open(EventStore(tmp_path / "drill.db"), drill.incident_id, engine=False)
    try:
        assert isinstance(window.clock, WallClock)
        drill.record("drill.scenario", _live(origin))
        window.follow()
        before = time.time()
        now = window.now()
        after = time.time()
        assert _hand(before, origin_unix) - TOL <= now <= _hand(after, origin_unix) + TOL
        drill.record("incident.closed", {"reason": "end of drill", "by": "simulation"})
        window.follow()
        assert isinstance(window.clock, WallClock)
    finally:
        window.store.close()
        log.close()
