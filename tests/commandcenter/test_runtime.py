"""The incident runtime: the only way into the log; the plans engine rebuilt from it; writers never
duplicate what the engine derives; refusals leave nothing behind."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from commandcenter.runtime import IncidentRuntime, ManualClock, ReadOnlyError
from commandcenter.store import EventStore
from plans.engine import PlanEngine
from plans.library import load_library, valid_plans
from tests.conftest import REPO
from vocabulary.events import Draft, EventError

T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # 10:00 in Nanjing, a Monday: day staff on shift
PLANS = REPO / "data" / "plans"


@pytest.fixture
def log(tmp_path):
    s = EventStore(tmp_path / "log.db")
    yield s
    s.close()


def _types(events) -> list[str]:
    return [e.type for e in events]


def test_launch_records_the_engines_tasks_and_subscribers_see_them_in_order(log, demo_plant) -> None:
    clock = ManualClock(T0)
    rt = IncidentRuntime.create(log, title="H2S at T-101", exercise=True, plant=demo_plant, clock=clock)
    seen: list[int] = []
    rt.subscribe(lambda evs: seen.extend(e.seq for e in evs))
    rt.subscribe(lambda evs: 1 / 0)  # a broken view must not stop the record or the other views
    new = rt.launch("h2s-release", "L2", by="duty officer")
    # oracle: the plans engine on its own, given the same launch at the same time
    engine = PlanEngine.for_plant(valid_plans(load_library(PLANS)), demo_plant)
    expected = engine.launch("h2s-release", "L2", T0, incident_id=rt.incident_id)
    assert _types(new) == [d.type for d in expected]
    assert [e.payload.get("person_id") for e in new] == [d.payload.get("person_id") for d in expected]
    assert seen == [e.seq for e in new] == list(range(2, 2 + len(new)))
    assert rt.level == "L2"
    assert new[0].payload["by"] == "duty officer"


def test_a_second_launch_of_the_running_plan_changes_nothing(log, demo_plant) -> None:
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=ManualClock(T0))
    rt.launch("h2s-release", "L2")
    head = rt.seq
    assert rt.launch("h2s-release", "L2") == []
    assert rt.launch("h2s-release", "L1") == []
    assert log.incident(rt.incident_id).head_seq == head


@pytest.mark.parametrize(("plan", "level", "field"), [
    ("no-such-plan", "L2", "plan_id"),
    ("cl2-release", "L2", "plan_id"),  # another plan while one is running
])
def test_refused_launch_names_the_field_and_records_nothing(log, demo_plant, plan, level, field) -> None:
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=ManualClock(T0))
    if plan != "no-such-plan":
        rt.launch("h2s-release", "L2")
    head = log.incident(rt.incident_id).head_seq
    with pytest.raises(EventError, match=field):
        rt.launch(plan, level)
    assert log.incident(rt.incident_id).head_seq == head == rt.seq


def test_lowering_a_level_is_recorded_and_raising_again_adds_no_task_twice(log, demo_plant) -> None:
    clock = ManualClock(T0)
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=clock)
    rt.launch("h2s-release", "L3")
    tasks = set(rt.state["tasks"]["tasks"])
    clock.advance(60)
    down = rt.change_level("L2", reason="leak isolated")
    assert down[-1].type == "level.changed"
    assert down[-1].payload["from"] == "L3"
    assert [e for e in down if e.type == "level.changed"] == [down[-1]]  # no tasks are opened by lowering
    assert rt.level == "L2"
    with pytest.raises(EventError, match="already at L2"):
        rt.change_level("L2")
    clock.advance(60)
    up = rt.change_level("L3", reason="leak resumed")
    assert rt.level == "L3"
    assert set(rt.state["tasks"]["tasks"]) == tasks
    assert not [e for e in up if e.type == "task.assigned" and e.payload.get("reason") != "escalation"
                and e.payload["task_id"] not in tasks]
    again = IncidentRuntime.open(log, rt.incident_id, plant=demo_plant, clock=clock)
    assert again.state == rt.state


def test_a_bad_draft_in_a_batch_records_none_of_it(log, demo_plant) -> None:
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=ManualClock(T0))
    head = rt.seq
    with pytest.raises(EventError, match=r"payload\.x"):
        rt.submit([Draft("note.added", T0, {"text": "fine"}),
                   Draft("position.reported", T0, {"person_id": "E0001", "x": float("nan"), "y": 0.0})])
    assert log.incident(rt.incident_id).head_seq == head


def test_reopening_rebuilds_the_same_state_and_the_engine_carries_on(log, demo_plant) -> None:
    clock = ManualClock(T0)
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=clock)
    launch = rt.launch("h2s-release", "L2")
    first = next(e for e in launch if e.type == "task.assigned")
    clock.advance(30)
    rt.submit(Draft("task.acknowledged", clock.now(), {"task_id": first.payload["task_id"],
                                                       "person_id": first.payload["person_id"]}))
    again = IncidentRuntime.open(log, rt.incident_id, plant=demo_plant, clock=clock)
    assert again.state == rt.state
    # an hour later the unacknowledged tasks are overdue and escalated, once, by whichever runtime ticks
    clock.advance(3600)
    overdue = {e.payload["task_id"] for e in again.tick() if e.type == "task.overdue"}
    assert rt.tick() == []
    deadlines = {e.payload["task_id"]: e.time + dt.timedelta(seconds=e.payload["deadline_s"])
                 for e in launch if e.type == "task.assigned"}
    expected = {tid for tid, d in deadlines.items() if d <= clock.now()}
    assert overdue == expected  # the acknowledged one too: acknowledged is not done
    assert first.payload["task_id"] in overdue


def test_two_writers_on_one_log_record_what_one_engine_would(tmp_path, demo_plant) -> None:
    """Two consoles on one SQLite file, taking turns; the log must hold exactly the events one plans engine
    fed the same inputs derives — nothing twice, nothing lost."""
    a_store, b_store = EventStore(tmp_path / "shared.db"), EventStore(tmp_path / "shared.db")
    clock = ManualClock(T0)
    a = IncidentRuntime.create(a_store, title="t", exercise=True, plant=demo_plant, clock=clock)
    b = IncidentRuntime.open(b_store, a.incident_id, plant=demo_plant, clock=clock)
    a.launch("h2s-release", "L2")
    clock.advance(200)
    b.tick()
    clock.advance(200)
    a.tick()
    b.change_level("L3", reason="red zone reaches the fence")
    clock.advance(900)
    a.tick()
    b.tick()
    clock.advance(900)
    b.tick()
    a.tick()
    log = list(a_store.events(a.incident_id))
    # oracle: one engine, the same inputs at the same times
    engine = PlanEngine.for_plant(valid_plans(load_library(PLANS)), demo_plant, incident_prefix=a.incident_id)
    one = engine.launch("h2s-release", "L2", T0, incident_id=a.incident_id)
    one += engine.advance(T0 + dt.timedelta(seconds=200)) + engine.advance(T0 + dt.timedelta(seconds=400))
    one += engine.raise_level(a.incident_id, "L3", T0 + dt.timedelta(seconds=400), reason="red zone reaches the fence")
    one += engine.advance(T0 + dt.timedelta(seconds=1300)) + engine.advance(T0 + dt.timedelta(seconds=2200))
    got = [(e.type, e.time, e.payload.get("task_id"), e.payload.get("person_id")) for e in log[1:]]
    want = [(d.type, d.time, d.payload.get("task_id"), d.payload.get("person_id")) for d in one]
    assert got == want
    assert a.state == b.state
    a_store.close()
    b_store.close()


def test_a_replay_runtime_is_read_only(log, demo_plant) -> None:
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=ManualClock(T0))
    ro = IncidentRuntime.open(log, rt.incident_id, read_only=True)
    with pytest.raises(ReadOnlyError):
        ro.submit(Draft("note.added", T0, {"text": "x"}))


def test_the_exercise_flag_comes_from_the_first_event_not_the_mutable_column(log, demo_plant) -> None:
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=ManualClock(T0))
    with log.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE incidents SET exercise = 0")
    assert IncidentRuntime.open(log, rt.incident_id, read_only=True).exercise is True


CHILD = textwrap.dedent("""
    import datetime as dt, os, signal, sys
    from commandcenter.runtime import IncidentRuntime, ManualClock
    from commandcenter.store import EventStore
    from gis.loader import load_plant
    from vocabulary.events import Draft
    T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    store = EventStore(sys.argv[1])
    clock = ManualClock(T0)
    rt = IncidentRuntime.create(store, title="killed", exercise=True, plant=load_plant(sys.argv[2]), clock=clock,
                                incident_id="K-1")
    rt.launch("h2s-release", "L2")
    clock.advance(10)
    rt.submit(Draft("note.added", clock.now(), {"text": "last words"}))
    print(rt.seq, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_after_sigkill_reopening_restores_everything_and_escalation_continues(tmp_path, demo_plant) -> None:
    db = tmp_path / "crash.db"
    proc = subprocess.run([sys.executable, "-c", CHILD, str(db), str(REPO / "data" / "demo_plant")], cwd=REPO,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    acknowledged = int(proc.stdout.strip())
    store = EventStore(db)
    clock = ManualClock(T0 + dt.timedelta(seconds=10))
    rt = IncidentRuntime.open(store, "K-1", plant=demo_plant, clock=clock)
    assert rt.seq == acknowledged
    assert rt.level == "L2"
    assert rt.state["timeline"]["entries"][-1]["type"] == "note.added"
    tasks = rt.state["tasks"]["tasks"]
    clock.advance(3600)
    escalated = [e for e in rt.tick() if e.type == "task.escalated"]
    assert escalated
    assert {e.payload["task_id"] for e in escalated} <= set(tasks)
    store.close()
