"""Projections: each is a fold; state_at(t) from snapshots equals a full fold of the events up to t."""

from __future__ import annotations

import datetime as dt
import random

from commandcenter.projections import fold
from commandcenter.projections.replay import Replay
from tests.commandcenter.conftest import T0
from vocabulary.events import Draft


def _t(s: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=s)


def _drill(store) -> None:
    store.append_many("I1", [
        Draft("sensor.alarm", _t(10), {"sensor_id": "GD-001", "level": "alarm", "value": 25.0}),
        Draft("position.reported", _t(11), {"person_id": "E1", "x": 10.0, "y": 20.0}),
        Draft("position.reported", _t(12), {"person_id": "E2", "x": 30.0, "y": 40.0, "status": "evacuating"}),
        Draft("command.sent", _t(13), {"command_id": "C1", "to": ["E1", "E2"], "kind": "evacuate"}),
        Draft("command.acknowledged", _t(14), {"command_id": "C1", "person_id": "E2"}),
        Draft("command.acknowledged", _t(14), {"command_id": "C9", "person_id": "E1"}),
        Draft("task.assigned", _t(15), {"task_id": "T1", "person_id": "E2", "deadline_s": 60}),
        Draft("task.started", _t(20), {"task_id": "T1", "person_id": "E2"}),
        Draft("task.overdue", _t(75), {"task_id": "T1"}),
        Draft("task.done", _t(80), {"task_id": "T1", "person_id": "E2"}),
        Draft("person.mustered", _t(90), {"person_id": "E1", "assembly_point_id": "AP-01"}),
        Draft("person.mustered", _t(95), {"person_id": "E1", "assembly_point_id": "AP-02"}),
        Draft("person.sos", _t(100), {"person_id": "E2", "x": 31.0, "y": 41.0}),
        Draft("level.changed", _t(101), {"to": "L3"}),
        Draft("sensor.alarm", _t(120), {"sensor_id": "GD-001", "level": "clear"}),
    ])
    store.launch_plan("I1", "P-1", "L2", time=_t(121))


def test_each_projection_folds_its_events(store) -> None:
    _drill(store)
    s = Replay(store, "I1").current()
    assert s["incident"]["exercise"] is True
    assert s["incident"]["level"] == "L2"  # the launch at 121 s set L2 after the change to L3
    assert s["incident"]["alarms"] == {}
    assert s["personnel"]["people"]["E1"]["status"] == "mustered"
    assert s["personnel"]["people"]["E2"] == {"x": 31.0, "y": 41.0, "status": "evacuating",
                                              "t": s["personnel"]["people"]["E2"]["t"], "sos": True}
    assert s["muster"]["by_point"] == {"AP-01": 0, "AP-02": 1}
    t1 = s["tasks"]["tasks"]["T1"]
    assert (t1["status"], t1["overdue"], t1["to"]) == ("done", True, "E2")
    assert s["commands"]["commands"]["C1"]["acks"].keys() == {"E2"}
    assert s["commands"]["unmatched_acks"][0]["command"] == "C9"
    assert [e["type"] for e in s["timeline"]["entries"]][:2] == ["incident.opened", "sensor.alarm"]
    assert all(e["type"] != "position.reported" for e in s["timeline"]["entries"])


def test_state_at_t_shows_the_incident_as_it_stood(store) -> None:
    _drill(store)
    r = Replay(store, "I1")
    s = r.state_at(_t(50))
    assert s["incident"]["alarms"].keys() == {"GD-001"}
    assert s["tasks"]["tasks"]["T1"]["status"] == "started"
    assert s["muster"]["mustered"] == {}
    assert r.state_at(_t(-1))["seq"] == 0


def test_snapshots_give_the_same_state_as_a_full_fold_at_any_t(store) -> None:
    rng = random.Random(5)
    drafts = []
    for i in range(1, 400):
        kind = rng.choice(["position.reported", "person.mustered", "task.assigned", "task.done", "note.added"])
        p = f"E{rng.randrange(20)}"
        payload = {"position.reported": {"person_id": p, "x": rng.random(), "y": rng.random()},
                   "person.mustered": {"person_id": p, "assembly_point_id": f"AP-{rng.randrange(3)}"},
                   "task.assigned": {"task_id": f"T{rng.randrange(9)}", "person_id": p},
                   "task.done": {"task_id": f"T{rng.randrange(9)}"}, "note.added": {"text": str(i)}}[kind]
        drafts.append(Draft(kind, _t(i // 3), payload))
    store.append_many("I1", drafts)
    r = Replay(store, "I1", every=37)
    assert r.ensure_snapshots() == 400 // 37
    assert r.ensure_snapshots() == 0
    events = list(store.events("I1"))
    for sec in [-1, 0, 1, 17, 50, 99, 132, 133, 500]:
        expected = fold(e for e in events if e.time <= _t(sec))
        assert r.state_at(_t(sec)) == expected
    assert r.state_at_seq(200) == fold(events[:200])
    assert r.current() == fold(events)


def test_snapshots_are_rebuilt_after_being_dropped(store) -> None:
    _drill(store)
    r = Replay(store, "I1", every=4)
    r.ensure_snapshots()
    before = r.state_at(_t(96))
    r.drop_snapshots()
    assert r.last_snapshot_seq() == 0
    assert r.state_at(_t(96)) == before
