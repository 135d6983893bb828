"""A live drill at ``--speed`` > 1 writes its log on the drill clock: times span the drill's simulated duration
(not duration ÷ speed), and the plans engine runs the library's real durations, so a task's deadline is the
launch plus the plan's stated deadline — as in an offline drill. No divided-durations plan library is kept.

Real sockets on 127.0.0.1 (the field server, the simulated phones and the detector gateway)."""

from __future__ import annotations

import time

import pytest

from tests.commandcenter.test_drill_live import _crew_plant

pytestmark = pytest.mark.slow  # a field server, 14 devices and 150 drill seconds at 10× (about 20 s)
SPEED = 10.0
DURATION_S = 150.0
SEED = 3  # its release reaches the mini plant's H2S detector at drill second 10 and launches the H2S plan


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    """One live drill at 10×, the duty officer quick (5 s) so the launch and its tasks fall inside 150 s."""
    from commandcenter.services.drill_service import run_live_drill
    from commandcenter.store import EventStore
    from gis.loader import load_plant
    from simulation.response import ResponseParams

    tmp = tmp_path_factory.mktemp("clock")
    plant = load_plant(_crew_plant(tmp / "plant"))
    params = ResponseParams(duration_s=DURATION_S, officer_reaction=(5.0, 0.1), ack_delay=(5.0, 0.3),
                            position_period_s=10.0, evacuation_scope="site")
    w0 = time.time()
    res = run_live_drill(plant, tmp / "live.db", seed=SEED, speed=SPEED, params=params)
    w1 = time.time()
    with EventStore(tmp / "live.db") as store:
        [inc] = store.incidents()
        events = list(store.events(inc.id))
    return res, events, tmp, (w0, w1)


def test_the_log_spans_the_drills_simulated_duration_not_the_wall_time(drill) -> None:
    """Oracle: the drill's parameters. The model ran ``DURATION_S`` drill seconds in about ``DURATION_S / SPEED``
    wall seconds; the log, stamped on the drill clock, spans the simulated duration (plus the devices' last
    words before the close, a few drill seconds), where a wall-clock log would span only a tenth of it."""
    from vocabulary.events import parse_time

    res, events, _, drill_started_wall = drill
    assert res["wall_s"] < DURATION_S / 2  # it really ran faster than real time
    scenario = next(e for e in events if e.type == "drill.scenario")
    live = scenario.payload["live"]
    assert live["clock"] == "drill"
    # a follower rebuilds the map: drill time = played_at + (wall − wall_origin) × speed; drill second 0 is the
    # opening, and the drill began on the wall clock within the run
    assert parse_time(live["played_at"]) == events[0].time
    assert drill_started_wall[0] <= parse_time(live["wall_origin"]).timestamp() <= drill_started_wall[1]
    assert (events[-1].time - events[0].time).total_seconds() >= DURATION_S
    reports = [e for e in events if e.type in ("position.reported", "sensor.reading")]
    last = (reports[-1].time - scenario.time).total_seconds()
    assert DURATION_S - 20.0 <= last <= DURATION_S + 50.0, last  # the model's last reports (every 10 s)


def test_device_reports_are_stamped_on_the_drill_clock(drill) -> None:
    """Oracle: the model's reporting period. The detector gateway reports every ``sensor_period_s`` = 10 drill
    seconds (1 wall second at 10×); the field service stamps each reading when the center received it, on the
    drill clock, so one detector's successive readings are 10 s apart in the log (1 s on a wall-clock log)."""
    import numpy as np

    from simulation.response import ResponseParams

    _, events, _, _ = drill
    period = ResponseParams().sensor_period_s
    by_sensor: dict[str, list[float]] = {}
    t0 = events[0].time
    for e in events:
        if e.type == "sensor.reading":
            by_sensor.setdefault(e.payload["sensor_id"], []).append((e.time - t0).total_seconds())
    gaps = np.concatenate([np.diff(v) for v in by_sensor.values() if len(v) > 2])
    assert len(gaps) >= 5
    assert np.median(gaps) == pytest.approx(period, abs=1.0)


def test_a_task_deadline_is_the_launch_plus_the_plans_real_duration(drill) -> None:
    """Oracle: the bundled plan library file. Each task assigned at the launch has ``deadline − launch`` equal
    to the plan's stated ``deadline_s`` (not ÷ speed), and the figures agree."""
    from commandcenter.services.drill_service import load_plans
    from vocabulary.events import parse_time

    res, events, _, _ = drill
    launch = next(e for e in events if e.type == "plan.launched")
    plan = load_plans()[launch.payload["plan_id"]]
    stated = {t.id: t.deadline_s for t in plan.tasks}
    assigned = [e for e in events if e.type == "task.assigned" and e.payload.get("task_id") in stated
                and e.payload.get("deadline")]
    assert assigned
    for e in assigned:
        created = parse_time(e.payload["created"])
        assert created == launch.time, e.payload["task_id"]
        deadline_s = (parse_time(e.payload["deadline"]) - launch.time).total_seconds()
        assert deadline_s == pytest.approx(stated[e.payload["task_id"]], abs=1e-3), e.payload["task_id"]
    by_id = {t["task_id"]: t for t in res["metrics"]["tasks"]}
    for tid, d in stated.items():
        if by_id.get(tid, {}).get("planned_s") is not None:
            assert by_id[tid]["planned_s"] == pytest.approx(d, abs=0.05), tid


def test_no_divided_plan_library_is_written_beside_the_log(drill) -> None:
    """The live drill runs the real plan library: no ``LOG.db.plans`` copy with durations ÷ speed."""
    _, _, tmp, _ = drill
    assert (tmp / "live.db").exists()
    assert not [p for p in tmp.iterdir() if p.name.endswith(".plans")]
