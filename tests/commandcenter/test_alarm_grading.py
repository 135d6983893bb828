"""Graded alarms (commandcenter.services.alarm_grading): a first-level reading asks the post to check; the alarm
becomes formal at the alarm level, when a second detector nearby agrees, when confirmed, or when the check is
not reported in time; false alarms are cleared with their cause. Distances and who is sent are checked
against brute-force loops over the plant's own files."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from commandcenter.runtime import IncidentRuntime, ManualClock
from commandcenter.services.alarm_grading import AGREE_RADIUS_M, CHECK_DEADLINE_S, AlarmGrader
from commandcenter.services.people import PeopleModel
from commandcenter.store import EventStore
from vocabulary.events import Draft, to_us

T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def rig(tmp_path, demo_plant):
    store = EventStore(tmp_path / "log.db")
    clock = ManualClock(T0)
    rt = IncidentRuntime.create(store, title="grading", exercise=True, plant=demo_plant, clock=clock)
    grader, people = AlarmGrader(demo_plant), PeopleModel(demo_plant)

    def grade() -> list:
        drafts = grader.drafts(rt.state, rt.now(), people.positions(rt.state))
        return rt.submit(drafts) if drafts else []

    def detector(sid: str, level: str, value: float) -> list:
        clock.advance(5)
        rt.submit(Draft("sensor.alarm", clock.now(), {"sensor_id": sid, "level": level, "value": value, "unit": "ppm",
                                                      "substance": "H2S", "kind": "gas"}))
        return grade()

    yield rt, clock, grade, detector
    store.close()


def _xy(plant, sid: str) -> tuple[float, float]:
    g = plant.layers["sensors"].geometry[sid]
    return float(g.x), float(g.y)


def _alarms(rt) -> list[dict]:
    return list(rt.state["alarms"]["alarms"].values())


def test_a_first_level_reading_asks_the_nearest_operator_of_the_post_to_check(rig, demo_plant):
    rt, _, _, detector = rig
    new = detector("GD-001", "warn", 12.0)
    assert [e.type for e in new] == ["alarm.raised", "task.assigned"]
    (a,) = _alarms(rt)
    assert (a["level"], a["state"], a["formal"], a["sensors"]) == ("warn", "raised", False, ["GD-001"])
    task = new[1].payload
    assert task["deadline_s"] == CHECK_DEADLINE_S
    assert a["check_task"] == task["task_id"]
    # who: by hand, the nearest operator on site whose home zone holds the detector
    sx, sy = _xy(demo_plant, "GD-001")
    zones = demo_plant.layers["zones"]
    zone = next(str(z) for z, g in zip(zones.index, zones.geometry, strict=True)
                if g.contains(demo_plant.layers["sensors"].geometry["GD-001"]))
    roster = demo_plant.personnel
    best = None
    for pid, x, y in zip(demo_plant.population["id"], demo_plant.population["x"], demo_plant.population["y"],
                         strict=True):
        if roster.at[pid, "role"] == "operator" and roster.at[pid, "home_zone"] == zone:
            d = math.hypot(x - sx, y - sy)
            if best is None or d < best[0]:
                best = (d, pid)
    assert best is not None
    assert task["person_id"] == best[1]


def test_a_second_detector_nearby_makes_it_formal_and_a_far_one_is_another_alarm(rig, demo_plant):
    rt, _, _, detector = rig
    near = math.dist(_xy(demo_plant, "GD-001"), _xy(demo_plant, "GD-002"))
    far = math.dist(_xy(demo_plant, "GD-001"), _xy(demo_plant, "GD-050"))
    assert near <= AGREE_RADIUS_M < far
    detector("GD-001", "warn", 12.0)
    new = detector("GD-002", "warn", 11.0)
    assert [(e.type, e.payload.get("reason"), e.payload.get("sensor_id")) for e in new] == [
        ("alarm.confirmed", "second_detector", "GD-002"),
        ("task.skipped", "alarm confirmed: second_detector", None)]  # the check is no longer asked for
    (a,) = _alarms(rt)
    assert (a["state"], a["formal"], sorted(a["sensors"])) == ("confirmed", True, ["GD-001", "GD-002"])
    detector("GD-050", "warn", 10.5)
    assert len(_alarms(rt)) == 2


def test_the_alarm_level_is_formal_at_once_and_a_warning_reaching_it_is_confirmed(rig):
    rt, _, _, detector = rig
    new = detector("GD-001", "alarm", 25.0)
    assert [e.type for e in new] == ["alarm.raised", "alarm.confirmed"]
    assert new[1].payload["reason"] == "alarm_level"
    detector("GD-050", "warn", 11.0)
    new = detector("GD-050", "alarm", 21.0)
    assert [(e.type, e.payload["reason"]) for e in new] == [("alarm.confirmed", "alarm_level"),
                                                            ("task.skipped", "alarm confirmed: alarm_level")]
    assert all(a["formal"] for a in _alarms(rt))


def test_a_check_not_reported_in_time_is_overdue_and_the_alarm_formal_at_its_deadline(rig):
    rt, clock, grade, detector = rig
    detector("GD-001", "warn", 12.0)
    raised = rt.state["alarms"]["alarms"]
    (a,) = raised.values()
    t_task = rt.state["tasks"]["tasks"][a["check_task"]]["steps"]["assigned"]
    clock.advance(CHECK_DEADLINE_S - 1)
    assert not [e for e in grade() if e.type.startswith(("task.", "alarm."))]
    clock.advance(30)
    new = [e for e in grade() if e.type.startswith(("task.", "alarm."))]  # the plans engine may propose a plan too
    assert [e.type for e in new] == ["task.overdue", "alarm.confirmed"]
    assert new[1].payload["reason"] == "check_overdue"
    assert new[0].t_us == t_task + int(CHECK_DEADLINE_S * 1e6)  # stamped at the deadline, not when noticed
    assert not [e for e in grade() if e.type.startswith(("task.", "alarm."))]  # nothing twice


def test_a_false_alarm_is_cleared_with_its_cause_and_raises_again_only_on_a_new_alarm(rig):
    rt, clock, grade, detector = rig
    detector("GD-001", "warn", 12.0)
    (a,) = _alarms(rt)
    clock.advance(10)
    rt.submit(Draft("alarm.cleared", clock.now(), {"alarm_id": a["id"], "false_alarm": True,
                                                   "cause": "calibration or maintenance", "by": "window"}))
    assert [(e.type, e.payload["reason"]) for e in grade()] == [("task.skipped", "alarm cleared")]
    assert grade() == []
    (a,) = _alarms(rt)
    assert (a["state"], a["false_alarm"], a["cause"]) == ("cleared", True, "calibration or maintenance")
    detector("GD-001", "warn", 13.0)
    assert len(_alarms(rt)) == 2


def test_an_sos_raises_an_sos_alarm_once(rig):
    rt, clock, grade, _ = rig
    clock.advance(3)
    rt.submit(Draft("person.sos", clock.now(), {"person_id": "E0115", "x": 669700.0, "y": 3570000.0}))
    new = grade()
    assert [(e.type, e.payload["kind"], e.payload["person_id"]) for e in new] == [("alarm.raised", "sos", "E0115")]
    assert grade() == []
    assert to_us(rt.now()) >= new[0].t_us


def test_an_sos_the_field_service_already_raised_is_not_raised_twice(rig):
    rt, clock, grade, _ = rig
    clock.advance(3)
    rt.submit([Draft("person.sos", clock.now(), {"person_id": "E0115", "device_id": "DEV-0115"}),
               Draft("alarm.raised", clock.now(), {"alarm_id": "SOS-DEV-0115-1", "kind": "sos", "level": "alarm",
                                                   "person_id": "E0115", "by": "field"})])
    assert grade() == []
    assert len(_alarms(rt)) == 1


def test_an_alarm_the_field_service_raised_at_the_alarm_level_is_confirmed_not_doubled(rig):
    rt, clock, grade, _ = rig
    clock.advance(3)
    rt.submit([Draft("sensor.alarm", clock.now(), {"sensor_id": "GD-001", "level": "alarm", "value": 22.0,
                                                   "unit": "ppm", "substance": "H2S", "kind": "gas"}),
               Draft("alarm.raised", clock.now(), {"alarm_id": "ALM-GD-001-1", "kind": "gas", "level": "alarm",
                                                   "sensor_id": "GD-001", "by": "field"})])
    new = [e for e in grade() if e.type.startswith("alarm.")]
    assert [(e.type, e.payload["alarm_id"], e.payload["reason"]) for e in new] == [
        ("alarm.confirmed", "ALM-GD-001-1", "alarm_level")]
    assert len(_alarms(rt)) == 1


def test_two_detectors_each_raised_by_the_field_service_confirm_the_first_alarm(rig):
    rt, clock, grade, _ = rig
    for n, sid in enumerate(("GD-001", "GD-002"), 1):
        clock.advance(2)
        rt.submit([Draft("sensor.alarm", clock.now(), {"sensor_id": sid, "level": "alarm", "value": 22.0,
                                                       "unit": "ppm", "substance": "H2S", "kind": "gas"}),
                   Draft("alarm.raised", clock.now(), {"alarm_id": f"ALM-{n}", "kind": "gas", "level": "alarm",
                                                       "sensor_id": sid, "substance": "H2S", "by": "field"})])
        grade()
    first = rt.state["alarms"]["alarms"]["ALM-1"]
    assert first["sensors"] == ["GD-001", "GD-002"]
    assert first["confirmed_reason"] == "alarm_level"
    assert grade() == []


def test_a_check_is_withdrawn_when_a_second_detector_makes_the_alarm_formal(rig):
    rt, clock, grade, detector = rig
    detector("GD-001", "warn", 12.0)
    (a,) = _alarms(rt)
    detector("GD-002", "warn", 11.0)  # within AGREE_RADIUS_M: formal by the second detector
    task = rt.state["tasks"]["tasks"][a["check_task"]]
    assert task["status"] == "skipped"
    clock.advance(CHECK_DEADLINE_S + 60)  # the check's deadline passes: nothing is overdue, nothing twice
    assert not [e for e in grade() if e.type.startswith(("task.", "alarm."))]
    assert not rt.state["tasks"]["tasks"][a["check_task"]]["overdue"]


def test_the_field_services_own_alarm_for_a_detector_already_graded_is_cleared_as_a_duplicate(rig):
    rt, clock, grade, detector = rig
    detector("GD-001", "warn", 12.0)
    clock.advance(3)  # the same detector reaches the alarm level; the field service raises an alarm of its own
    rt.submit([Draft("sensor.alarm", clock.now(), {"sensor_id": "GD-001", "level": "alarm", "value": 24.0,
                                                   "unit": "ppm", "substance": "H2S", "kind": "gas"}),
               Draft("alarm.raised", clock.now(), {"alarm_id": "ALM-GD-001-2", "kind": "gas", "level": "alarm",
                                                   "sensor_id": "GD-001", "by": "field"})])
    grade()
    live = [x for x in _alarms(rt) if x["state"] != "cleared"]
    assert [(x["id"].startswith("AL-GD-001"), x["state"]) for x in live] == [(True, "confirmed")]
    dup = rt.state["alarms"]["alarms"]["ALM-GD-001-2"]
    assert (dup["state"], dup["false_alarm"], dup["cleared_reason"]) == ("cleared", False,
                                                                           f"duplicate of {live[0]['id']}")
    assert grade() == []
