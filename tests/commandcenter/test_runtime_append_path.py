"""The runtime's append path: every payload checked exactly once per event, a bad payload refused from any
producer (naming the field), and the batched hand-over of position reports to the plans engine giving the
same record as handing them over one by one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from commandcenter.runtime import IncidentRuntime, ManualClock
from commandcenter.runtime.plan_host import PlanHost
from commandcenter.store import EventStore
from commandcenter.store import checks as store_checks
from vocabulary.events import Draft, EventError

T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def log(tmp_path):
    s = EventStore(tmp_path / "log.db")
    yield s
    s.close()


def _positions(ids, t0: dt.datetime, n: int, step_s: float, seed: int = 3) -> list[Draft]:
    rng = np.random.default_rng(seed)
    return [Draft("position.reported", t0 + dt.timedelta(seconds=k * step_s),
                  {"person_id": str(ids[k % len(ids)]), "x": float(rng.uniform(0, 500)),
                   "y": float(rng.uniform(0, 500))}) for k in range(n)]


def test_each_payload_is_checked_once_per_recorded_event(log, demo_plant, monkeypatch) -> None:
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=ManualClock(T0))
    calls: list[str] = []
    real = store_checks.validate

    def counting(event_type, payload):
        calls.append(event_type)
        return real(event_type, payload)

    monkeypatch.setattr(store_checks, "validate", counting)
    launched = rt.launch("h2s-release", "L2")
    # the submitted request, then each recorded event once: the engine's own, fuller plan.launched replaces
    # the request (a different payload), and every task it derived
    assert calls[0] == "plan.launched"
    assert len(launched) > 5
    assert len(calls) == 1 + len(launched)
    calls.clear()
    ids = list(demo_plant.personnel.index[:50])
    # 400 s of reports: past the first task deadlines (60 s, 180 s, 300 s), so the engine derives events too
    new = rt.submit(_positions(ids, T0 + dt.timedelta(seconds=1), 500, 0.8))
    derived = [e for e in new if e.type != "position.reported"]
    assert derived, "the run crosses task deadlines: overdue / escalation events are derived"
    assert len(calls) == len(new) == 500 + len(derived)


@pytest.mark.parametrize(("payload", "field"), [
    ({"person_id": "E0001", "x": "12", "y": 3.0}, "payload.x"),
    ({"person_id": "E0001", "x": float("nan"), "y": 3.0}, "payload.x"),
    ({"person_id": "E0001", "y": 3.0}, "payload.x"),
    ({"person_id": "E00\u202e01", "x": 1.0, "y": 3.0}, "payload.person_id"),  # the store's id check
    ({"person_id": "E0001", "x": 1.0, "y": 3.0, "deep": {"n": 2**70}}, "payload.deep.n"),
])
def test_a_bad_submitted_payload_is_refused_naming_the_field_and_nothing_is_recorded(
        log, demo_plant, payload, field) -> None:
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=ManualClock(T0))
    good = Draft("position.reported", T0, {"person_id": "E0002", "x": 1.0, "y": 2.0})
    head = log.incident(rt.incident_id).head_seq
    with pytest.raises(EventError, match=field.replace(".", r"\.")) as err:
        rt.submit([good, Draft("position.reported", T0, payload)])
    assert "draft 2" in str(err.value) or "event 2" in str(err.value)
    assert log.incident(rt.incident_id).head_seq == head == rt.seq
    rt.submit(good)  # the runtime is still usable: its engine was not left half-fed
    assert rt.seq == head + 1


def test_a_bad_payload_derived_by_the_engine_is_refused_by_the_store(log, demo_plant, monkeypatch) -> None:
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=ManualClock(T0))
    real = rt.plans.expand_many

    def broken(drafts):
        return [*real(drafts), Draft("task.overdue", T0, {"task_id": 7})]

    monkeypatch.setattr(rt.plans, "expand_many", broken)
    head = rt.seq
    with pytest.raises(EventError, match=r"payload\.task_id"):
        rt.submit(Draft("note.added", T0, {"text": "x"}))
    assert log.incident(rt.incident_id).head_seq == head


def test_a_bad_payload_appended_to_the_store_directly_is_refused(log) -> None:
    log.create_incident("INC-1", "t", exercise=True, time=T0)
    with pytest.raises(EventError, match=r"payload\.y"):
        log.append_many("INC-1", [Draft("position.reported", T0, {"person_id": "E1", "x": 1.0, "y": [1]})])
    assert log.incident("INC-1").head_seq == 1


def _expected_one_by_one(demo_plant, iid: str, launch: Draft, drafts: list[Draft]) -> list[tuple]:
    """Oracle: a fresh engine host fed one draft at a time (the path before batching)."""
    host = PlanHost(demo_plant, None, iid)
    out = host.expand(launch)
    for d in drafts:
        out += host.expand(d)
    return [(d.type, d.time, d.payload) for d in out]


def test_a_batch_of_positions_records_what_one_by_one_expansion_records(log, demo_plant) -> None:
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=ManualClock(T0))
    launched = rt.launch("h2s-release", "L2")
    ids = list(demo_plant.personnel.index[:80])
    batch = _positions(ids, T0 + dt.timedelta(seconds=1), 900, 0.5)  # 450 s: several deadlines and escalations
    new = rt.submit(batch)
    launch = Draft("plan.launched", T0, {"plan_id": "h2s-release", "level": "L2",
                                         "launch_key": f"{rt.incident_id}:launch"})
    expected = _expected_one_by_one(demo_plant, rt.incident_id, launch, batch)
    got = [(e.type, e.time, e.payload) for e in [*launched, *new]]
    assert [g[:2] for g in got] == [x[:2] for x in expected]
    assert [g[2] for g in got] == [x[2] for x in expected]
    assert sum(e.type != "position.reported" for e in new) >= 3


class _LiveManualClock(ManualClock):
    """A live clock the test moves: the runtime treats it as the wall clock of a live incident."""

    live = True


@pytest.mark.parametrize("clock_kind", [_LiveManualClock, ManualClock])
def test_a_draft_a_few_ms_older_than_the_engines_clock_after_a_tick_is_recorded_with_its_own_time(
        log, demo_plant, clock_kind) -> None:
    clock = clock_kind(T0)
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=clock)
    launched = rt.launch("h2s-release", "L2")
    task = next(e.payload for e in launched if e.type == "task.assigned" and e.payload.get("person_id"))
    clock.advance(5.0)
    assert rt.tick() == []  # nothing due at +5 s: nothing recorded, but the engine's clock is at +5 s
    assert rt.plans.engine.now == T0 + dt.timedelta(seconds=5)
    late = T0 + dt.timedelta(seconds=5) - dt.timedelta(milliseconds=3)  # a device's timestamp, 3 ms old
    pos = Draft("position.reported", late, {"person_id": task["person_id"], "x": 10.0, "y": 20.0})
    ack = Draft("task.acknowledged", late + dt.timedelta(milliseconds=1),
                {"task_id": task["task_id"], "person_id": task["person_id"]})
    new = rt.submit([pos, ack])
    assert [(e.type, e.time) for e in new] == [("position.reported", late),
                                               ("task.acknowledged", late + dt.timedelta(milliseconds=1))]
    assert rt.plans.engine.now == T0 + dt.timedelta(seconds=5)  # never moved back
    run = rt.plans.active.tasks[task["task_id"]]
    assert run.state == "acknowledged"  # the engine took the draft in
    # and a reopened runtime (the engine rebuilt from the log) agrees
    again = IncidentRuntime.open(log, rt.incident_id, plant=demo_plant, clock=clock)
    assert again.plans.active.tasks[task["task_id"]].state == "acknowledged"


def test_the_events_an_append_returns_equal_what_the_log_reads_back(log) -> None:
    log.create_incident("INC-1", "t", exercise=True, time=T0)
    drafts = [Draft("position.reported", T0, {"y": -0.0, "x": 1e-7, "person_id": "P\u00e9", "status": None,
                                              "floor": 2**53 + 1, "accuracy_m": 3}),
              Draft("note.added", T0, {"text": "a\u2028b", "by": "x"}),
              Draft("hazard.assessed", T0, {"assessment_id": "H1", "zones": [{"level": "red", "r": [1.5, 2]}]})]
    appended = log.append_many("INC-1", drafts)
    read = list(log.events("INC-1", after_seq=1))
    for a, r in zip(appended, read, strict=True):
        assert list(a.payload.items()) == list(r.payload.items())  # same values, same key order
        assert [type(v) for v in a.payload.values()] == [type(v) for v in r.payload.values()]
        assert a.payload is not drafts[a.seq - 2].payload  # a copy: the producer's later edits change nothing
        assert a.t_us == r.t_us


def test_on_a_live_clock_a_draft_earlier_than_what_precedes_it_is_recorded_at_that_time(log, demo_plant) -> None:
    clock = _LiveManualClock(T0)
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=clock)
    clock.advance(10.0)
    last = rt.record("note.added", {"text": "first"})
    assert last.time == T0 + dt.timedelta(seconds=10)
    t = T0 + dt.timedelta(seconds=10)
    new = rt.submit([Draft("note.added", t - dt.timedelta(seconds=2), {"text": "late device"}),
                     Draft("note.added", t + dt.timedelta(seconds=3), {"text": "b"}),
                     Draft("note.added", t + dt.timedelta(seconds=1), {"text": "c: out of order"})])
    assert [e.time for e in new] == [t, t + dt.timedelta(seconds=3), t + dt.timedelta(seconds=3)]
    assert [e.payload["text"] for e in new] == ["late device", "b", "c: out of order"]


def test_on_a_simulated_clock_a_draft_earlier_than_the_last_event_is_refused(log, demo_plant) -> None:
    clock = ManualClock(T0)
    rt = IncidentRuntime.create(log, title="t", exercise=True, plant=demo_plant, clock=clock)
    clock.advance(10.0)
    rt.record("note.added", {"text": "first"})
    head = rt.seq
    with pytest.raises(EventError, match=r"draft 2 \(note\.added\): time"):
        rt.submit([Draft("note.added", T0 + dt.timedelta(seconds=11), {"text": "ok"}),
                   Draft("note.added", T0 + dt.timedelta(seconds=9), {"text": "from the past"})])
    assert log.incident(rt.incident_id).head_seq == head == rt.seq
