"""Following a busy log (#15, the window while the field server ingests thousands of positions a second):
events read by a follower thread are folded as given, a run of position reports reaches the plans engine in
one step, and a tick with nothing due takes no write lock."""

from __future__ import annotations

import datetime as dt
import sqlite3

from commandcenter.projections import fold
from commandcenter.runtime import IncidentRuntime, ManualClock
from commandcenter.store import EventStore
from commandcenter.store.follow import Follower
from vocabulary.events import Draft

T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
PLAN, LEVEL = "h2s-release", "L2"


def _positions(clock: ManualClock, people: list[str], k: int) -> list[Draft]:
    return [Draft("position.reported", clock.now(), {"person_id": p, "x": 100.0 + 7.0 * k + i, "y": 50.0 + k})
            for i, p in enumerate(people)]


def _instant(d: Draft) -> tuple:
    """A derived draft with its times as instants (the recording runtime stamps in the plant's zone, a rebuilt
    one may keep UTC: the same time)."""
    p = {k: _when(v) for k, v in d.payload.items()}
    return d.type, d.time.timestamp(), p


def _when(v):
    if isinstance(v, str) and len(v) >= 19 and v[4] == "-" and v[10] == "T":
        return dt.datetime.fromisoformat(v).timestamp()
    return v


def _strip(state: dict) -> dict:
    return {k: v for k, v in state.items() if k not in ("seq", "t_us")}


def test_events_read_elsewhere_are_folded_once_with_gaps_read_from_the_log(tmp_path, demo_plant):
    store = EventStore(tmp_path / "log.db")
    clock = ManualClock(T0)
    a = IncidentRuntime.create(store, title="field", exercise=True, plant=demo_plant, clock=clock)
    b = IncidentRuntime.open(EventStore(tmp_path / "log.db"), a.incident_id, plant=demo_plant, clock=clock)
    heard: list[int] = []
    b.subscribe(lambda events: heard.extend(e.seq for e in events))
    people = [str(p) for p in demo_plant.population["id"][:40]]
    follower = Follower(EventStore(tmp_path / "log.db"), a.incident_id, after_seq=b.seq)
    batches = []
    for k in range(4):
        clock.advance(1)
        a.submit(_positions(clock, people, k))
        batches.append(follower.wait(0))
    a.launch(PLAN, LEVEL)
    batches.append(follower.wait(0))
    assert b.follow(batches[0])
    assert b.follow(batches[0]) == []
    assert b.follow(batches[2] + batches[3] + batches[4])  # batch 1 never handed over: read from the log
    assert b.seq == a.seq
    assert heard == list(range(2, a.seq + 1))
    whole = fold(store.events(a.incident_id))  # the oracle: one fold of the whole log, from scratch
    assert _strip(b.state) == _strip(whole)
    assert b.level == LEVEL
    follower.close()
    b.store.close()
    store.close()


def test_a_run_of_positions_reaches_the_plans_engine_as_one_batch_with_the_same_result(tmp_path, demo_plant):
    """A runtime rebuilt from a log of interleaved position runs and task events derives exactly what the
    runtime that recorded it derives when the deadlines pass (and holds everyone's last position)."""
    store = EventStore(tmp_path / "log.db")
    clock = ManualClock(T0)
    a = IncidentRuntime.create(store, title="field", exercise=True, plant=demo_plant, clock=clock)
    a.launch(PLAN, LEVEL)
    people = [str(p) for p in demo_plant.population["id"][:60]]
    tasks = [t for t, v in a.state["tasks"]["tasks"].items() if v["to"]]
    last: dict[str, tuple[float, float]] = {}
    for k in range(6):
        clock.advance(3)
        drafts = _positions(clock, people, k)
        a.submit(drafts)
        last.update({d.payload["person_id"]: (d.payload["x"], d.payload["y"]) for d in drafts})
        if k < len(tasks):
            a.submit(Draft("task.acknowledged", clock.now(), {"task_id": tasks[k]}))
    b = IncidentRuntime.open(EventStore(tmp_path / "log.db"), a.incident_id, plant=demo_plant, clock=clock)
    roster = b.plans.engine.roster
    for pid, (x, y) in last.items():
        row = roster.row[pid]
        assert tuple(roster.xy[row]) == (x, y)
    clock.advance(3600)  # every deadline passes: both derive the same overdue tasks and escalations
    mine = [_instant(d) for d in a.plans.advance(clock.now())]
    rebuilt = [_instant(d) for d in b.plans.advance(clock.now())]
    assert mine
    assert rebuilt == mine
    b.store.close()
    store.close()


def test_a_tick_with_nothing_due_takes_no_write_lock(tmp_path, demo_plant):
    """While another process holds the log's write lock (a field server committing), a tick with nothing
    due returns at once; one with a deadline due records it when the lock is free."""
    path = tmp_path / "log.db"
    store = EventStore(path)
    clock = ManualClock(T0)
    rt = IncidentRuntime.create(store, title="field", exercise=True, plant=demo_plant, clock=clock)
    rt.launch(PLAN, LEVEL)
    head = rt.seq
    other = sqlite3.connect(path, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")  # the other writer's transaction
    try:
        clock.advance(1)
        assert rt.tick() == []
        assert rt.plans.engine.now == clock.now()  # the engine's clock moved all the same
    finally:
        other.rollback()
        other.close()
    clock.advance(3600)
    due = rt.tick()
    assert any(e.type == "task.overdue" for e in due)
    assert rt.seq > head
    store.close()
