"""The plan engine against the demo roster: assignments, escalation, levels, triggers, determinism."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from plans.engine import PlanEngine
from plans.roster import Roster, qualification_mask
from plans.shifts import ShiftCalendar
from plans.validation import validate_text
from vocabulary.events import Draft

from .conftest import DAY, NIGHT
from .test_validation import MINI


def _by_type(events, etype):
    return [e for e in events if e.type == etype]


def _check_assignment(engine: PlanEngine, e: Draft) -> None:
    """The assigned person has one of the task's roles, every qualification, and is on shift at e.time."""
    r = engine.roster
    row = r.row[e.payload["person_id"]]
    assert r.roles[row] in e.payload["roles"]
    assert r.roles[row] == e.payload["role"]
    need = qualification_mask(e.payload["qualifications"])
    assert int(r.quals[row]) & need == need
    assert r.shifts[row] in engine.calendar.on_duty(e.time)


def _cases(library):
    return [(pid, lv, when) for pid in sorted(library) for lv in library[pid].level_names for when in ("day", "night")]


def test_every_plan_launches_at_every_level_with_valid_assignments_and_escalations(library, demo_plant):
    checked_escalations = 0
    for pid, level, when in _cases(library):
        engine = PlanEngine(library, Roster.from_plant(demo_plant), ShiftCalendar(demo_plant.timezone))
        t0 = DAY if when == "day" else NIGHT
        plan = library[pid]
        events = engine.launch(pid, level, t0, origin_xy=(669800.0, 3569600.0))
        launched = _by_type(events, "plan.launched")
        assert len(launched) == 1
        assert launched[0].payload["level"] == level
        expected = {t.id for t in plan.tasks_at(level)} | {f"command:{level}"}
        expected |= {f"report:{r.id}" for r in plan.reporting if int(r.level[1]) <= int(level[1])}
        assigned = _by_type(events, "task.assigned")
        unassignable = _by_type(events, "task.unassignable")
        assert {e.payload["task_id"] for e in assigned} | {e.payload["task_id"] for e in unassignable} == expected
        assert not {e.payload["task_id"] for e in assigned} & {e.payload["task_id"] for e in unassignable}
        for e in assigned:
            _check_assignment(engine, e)
        if when == "day":
            assert not unassignable, (pid, level, [e.payload for e in unassignable])
        # nobody acknowledges: advance past every deadline
        last = max([t.deadline_s for t in plan.tasks_at(level)] + [plan.command_ack_s]
                   + [r.deadline_s for r in plan.reporting if int(r.level[1]) <= int(level[1])])
        later = engine.advance(t0 + dt.timedelta(seconds=last + 1))
        overdue = {e.payload["task_id"] for e in _by_type(later, "task.overdue")}
        assert overdue == expected
        for esc in _by_type(later, "task.escalated"):
            p = esc.payload
            if p["to_person_id"] is None:
                continue
            checked_escalations += 1
            assert p["to_person_id"] != p["from_person_id"]
            same_time = [e for e in later if e.time == esc.time and e.payload.get("task_id") == p["task_id"]]
            new = [e for e in same_time if e.type == "task.assigned"]
            assert len(new) == 1
            assert new[0].payload["person_id"] == p["to_person_id"]
            _check_assignment(engine, new[0])
            notes = [e for e in same_time if e.type == "notification.sent" and e.payload["reason"] == "task_overdue"]
            assert len(notes) == 1
            assert notes[0].payload["person_id"] not in (None, p["from_person_id"])
    assert checked_escalations > 100


def test_unacknowledged_task_escalates_to_next_qualified_person_and_notifies_commander(engine):
    events = engine.launch("h2s-release", "L2", DAY)
    first = next(e for e in _by_type(events, "task.assigned") if e.payload["task_id"] == "field_check").payload
    cmd = next(e for e in _by_type(events, "task.assigned") if e.payload["task_id"] == "command:L2").payload
    at = DAY + dt.timedelta(seconds=301)
    later = engine.advance(at)
    mine = [e for e in later if e.payload.get("task_id") == "field_check"]
    assert [e.type for e in mine] == ["task.overdue", "task.escalated", "task.assigned", "notification.sent"]
    assert mine[0].time == DAY + dt.timedelta(seconds=300)
    assert mine[1].payload["from_person_id"] == first["person_id"]
    assert mine[2].payload["person_id"] == mine[1].payload["to_person_id"] != first["person_id"]
    assert mine[2].payload["role"] == "operator"
    assert mine[2].payload["attempt"] == 2
    # the first commander ignored the command task too, so command escalated; the current commander is told
    commander = engine.incidents["INC-0001"].commander
    assert commander != cmd["person_id"]
    assert mine[3].payload["person_id"] == commander
    assert mine[3].payload["reason"] == "task_overdue"
    board = {r["task_id"]: r for r in engine.board("INC-0001")}
    assert board["field_check"]["state"] == "overdue"
    assert board["field_check"]["person_id"] == mine[2].payload["person_id"]


def test_acknowledged_task_is_overdue_but_not_reassigned(engine):
    events = engine.launch("h2s-release", "L1", DAY)
    pid = next(e for e in events if e.payload.get("task_id") == "confirm_alarm" and e.type == "task.assigned")
    pid = pid.payload["person_id"]
    acked = engine.acknowledge("INC-0001", "confirm_alarm", pid, DAY + dt.timedelta(seconds=10))
    assert [e.type for e in acked] == ["task.acknowledged"]
    later = [e for e in engine.advance(DAY + dt.timedelta(seconds=61)) if e.payload.get("task_id") == "confirm_alarm"]
    assert [e.type for e in later] == ["task.overdue", "notification.sent"]
    assert {r["task_id"]: r for r in engine.board("INC-0001")}["confirm_alarm"]["person_id"] == pid


def test_done_task_never_goes_overdue(engine):
    events = engine.launch("fall-from-height", "L1", DAY)
    pid = next(e.payload["person_id"] for e in events if e.payload.get("task_id") == "confirm")
    engine.start("INC-0001", "confirm", pid, DAY + dt.timedelta(seconds=5))
    engine.complete("INC-0001", "confirm", pid, DAY + dt.timedelta(seconds=30))
    later = engine.advance(DAY + dt.timedelta(hours=2))
    assert not [e for e in later if e.payload.get("task_id") == "confirm"]
    assert {r["task_id"]: r for r in engine.board("INC-0001")}["confirm"]["state"] == "done"


def test_ack_from_someone_else_is_ignored(engine):
    engine.launch("fall-from-height", "L1", DAY)
    assert engine.acknowledge("INC-0001", "confirm", "E9999", DAY)[1:] == []
    assert {r["task_id"]: r for r in engine.board("INC-0001")}["confirm"]["state"] == "assigned"


def test_raising_the_level_adds_its_tasks_commander_and_agencies(engine, library):
    engine.launch("nh3-release", "L1", DAY)
    t1 = DAY + dt.timedelta(seconds=30)
    events = engine.raise_level("INC-0001", "L3", t1)
    assert events[0].type == "level.changed"
    assert events[0].payload["from"] == "L1"
    assert events[0].payload["to"] == "L3"
    new = {e.payload["task_id"] for e in _by_type(events, "task.assigned")}
    plan = library["nh3-release"]
    l1 = {t.id for t in plan.tasks_at("L1")}
    assert new == ({t.id for t in plan.tasks_at("L3")} - l1) | {"command:L3", "report:park_30min", "report:bureau_1h",
                                                                  "report:ecology_1h"}
    cordon = next(e for e in events if e.payload.get("task_id") == "cordon")
    assert cordon.payload["deadline"] == (t1 + dt.timedelta(seconds=600)).isoformat()
    notes = _by_type(events, "notification.sent")
    agencies = {e.payload["contact_id"] for e in notes if e.payload["reason"] == "agency"}
    assert agencies == {"fire_119", "medical_120", "police_110", "park_center"}
    with pytest.raises(ValueError, match="not higher"):
        engine.raise_level("INC-0001", "L2", t1)


def test_sensor_alarms_propose_and_auto_launch(engine, demo_plant):
    sensors = demo_plant.layers["sensors"]
    h2s = [s for s in sensors.index if sensors.loc[s, "substance"] == "H2S"][:2]
    out = []
    for i, sid in enumerate(h2s):
        out += engine.handle(Draft("sensor.alarm", DAY + dt.timedelta(seconds=i), {
            "sensor_id": sid, "kind": "gas", "substance": "h2s", "value": 25.0, "unit": "ppm",
            "x": float(sensors.geometry[sid].x), "y": float(sensors.geometry[sid].y)}))
    assert not _by_type(out, "plan.proposed")  # not for long enough yet
    out += engine.advance(DAY + dt.timedelta(seconds=90))
    proposed = _by_type(out, "plan.proposed")
    # first alarm (one detector, 30 s) proposes L1; second alarm on two detectors for 60 s launches L2
    assert [(p.payload["plan_id"], p.payload["level"]) for p in proposed] == [("h2s-release", "L1"),
                                                                              ("h2s-release", "L2")]
    assert proposed[0].time == DAY + dt.timedelta(seconds=30)
    assert proposed[1].time == DAY + dt.timedelta(seconds=61)  # the second detector's 60 s elapsed
    launched = _by_type(out, "plan.launched")
    assert len(launched) == 1
    assert launched[0].payload["level"] == "L2"
    assert launched[0].payload["reason"] == "trigger"
    assert launched[0].payload["origin"] is not None
    # a reading back below the threshold resets; another alarm does not launch twice
    out2 = engine.handle(Draft("sensor.reading", DAY + dt.timedelta(seconds=100), {
        "sensor_id": h2s[0], "kind": "gas", "substance": "H2S", "value": 30.0, "unit": "ppm"}))
    assert not _by_type(out2, "plan.launched")


def test_single_detector_first_alarm_only_proposes(engine):
    out = engine.handle(Draft("sensor.reading", DAY, {"sensor_id": "GD-001", "kind": "gas", "substance": "H2S",
                                                          "value": 12.0, "unit": "ppm"}))
    out += engine.advance(DAY + dt.timedelta(seconds=40))
    assert [(e.type, e.payload["level"]) for e in out] == [("plan.proposed", "L1")]
    assert out[0].payload["auto_launch"] is False
    assert not engine.incidents


def test_oxygen_depletion_trigger_compares_below(engine):
    out = engine.handle(Draft("sensor.reading", DAY, {"sensor_id": "OD-9", "kind": "oxygen", "value": 17.0,
                                                          "unit": "%vol"}))
    out += engine.advance(DAY + dt.timedelta(seconds=15))
    assert [e.payload["plan_id"] for e in _by_type(out, "plan.proposed")] == ["confined-space-rescue"]


def test_role_with_nobody_on_shift_gives_an_unassignable_event(demo_plant):
    plan, _ = validate_text(MINI.replace("role: operator\n  level: L1\n  deadline_s: 60", "role: doctor\n  level: L1\n"
                                         "  deadline_s: 60"), "t.yaml")
    engine = PlanEngine([plan], Roster.from_plant(demo_plant), ShiftCalendar(demo_plant.timezone))
    events = engine.launch("mini", "L1", NIGHT)
    bad = _by_type(events, "task.unassignable")
    assert [(e.payload["task_id"], e.payload["reason"]) for e in bad] == [("a", "no_one_on_shift")]
    note = [e for e in events if e.type == "notification.sent" and e.payload["reason"] == "task_unassignable"]
    assert len(note) == 1
    assert note[0].payload["person_id"] is not None
    assert {r["task_id"]: r for r in engine.board("INC-0001")}["a"]["state"] == "pending"
    engine.advance(NIGHT + dt.timedelta(hours=1))  # no crash, no endless retry


def test_nearest_qualified_person_is_chosen(library, demo_plant):
    roster = Roster.from_plant(demo_plant)
    engine = PlanEngine(library, roster, ShiftCalendar(demo_plant.timezone))
    on = engine.calendar.on_duty(DAY)
    medics = [pid for pid, role, shift in zip(roster.ids, roster.roles, roster.shifts, strict=True)
              if role == "medic" and shift in on]
    assert len(medics) == 1
    firefighters = [pid for pid, role, shift in zip(roster.ids, roster.roles, roster.shifts, strict=True)
                    if role == "operator" and shift in on]
    origin = (669900.0, 3569700.0)
    target = firefighters[-1]
    engine.handle(Draft("position.reported", DAY, {"person_id": target, "x": origin[0] + 3, "y": origin[1]}))
    events = engine.launch("fall-from-height", "L1", DAY, origin_xy=origin)
    secure = next(e for e in events if e.payload.get("task_id") == "secure_area" and e.type == "task.assigned")
    assert secure.payload["person_id"] == target
    assert secure.payload["distance_m"] == pytest.approx(3.0, abs=0.1)


def test_engine_is_deterministic(library, demo_plant):
    def run():
        engine = PlanEngine(library, Roster.from_plant(demo_plant), ShiftCalendar(demo_plant.timezone))
        out = engine.launch("cl2-release", "L2", NIGHT, origin_xy=(669800.0, 3569600.0))
        pid = next(e.payload["person_id"] for e in out if e.payload.get("task_id") == "confirm_alarm")
        out += engine.acknowledge("INC-0001", "confirm_alarm", pid, NIGHT + dt.timedelta(seconds=20))
        out += engine.raise_level("INC-0001", "L3", NIGHT + dt.timedelta(seconds=200))
        out += engine.advance(NIGHT + dt.timedelta(hours=1))
        return [e.to_dict() for e in out]

    a, b = run(), run()
    assert a == b
    assert len(a) > 50


def test_time_cannot_go_backwards(engine):
    engine.launch("fall-from-height", "L1", DAY)
    with pytest.raises(ValueError, match="backwards"):
        engine.advance(DAY - dt.timedelta(seconds=1))
    with pytest.raises(ValueError, match="timezone"):
        engine.advance(dt.datetime(2026, 3, 10, 12))


def test_unknown_plan_or_level_is_refused(engine):
    with pytest.raises(KeyError, match="no launchable plan"):
        engine.launch("no-such-plan", "L1", DAY)
    with pytest.raises(ValueError, match="has no level 'L1'"):
        engine.launch("explosion", "L1", DAY)


def test_events_are_json_serialisable(engine):
    import json

    events = engine.launch("typhoon-flood", "L4", NIGHT)
    events += engine.advance(NIGHT + dt.timedelta(hours=2))
    text = json.dumps([e.to_dict() for e in events], ensure_ascii=False)
    assert [Draft.from_dict(d) for d in json.loads(text)] == events


def test_roster_positions_fall_back_to_home_zone(demo_plant):
    roster = Roster.from_plant(demo_plant)
    where = roster.where()
    assert not np.isnan(where).any()


def test_for_plant_places_a_triggered_incident_at_its_sensors(library, demo_plant):
    engine = PlanEngine.for_plant(library, demo_plant)
    sensors = demo_plant.layers["sensors"]
    nh3 = [s for s in sensors.index if sensors.loc[s, "substance"] == "NH3"][:2]
    for sid in nh3:
        engine.handle(Draft("sensor.alarm", DAY, {"sensor_id": sid, "kind": "gas", "substance": "NH3",
                                                      "value": 80.0, "unit": "ppm"}))
    out = engine.advance(DAY + dt.timedelta(seconds=61))
    launched = _by_type(out, "plan.launched")
    assert [e.payload["plan_id"] for e in launched] == ["nh3-release"]
    origin = launched[0].payload["origin"]
    assert origin["x"] == pytest.approx(np.mean([sensors.geometry[s].x for s in nh3]))
    assert origin["y"] == pytest.approx(np.mean([sensors.geometry[s].y for s in nh3]))
    assigned = [e for e in out if e.type == "task.assigned" and e.payload["distance_m"] is not None]
    assert assigned  # nearest-first used the sensors' position


def test_cordon_and_evacuation_radii_come_from_the_computed_zones(engine):
    """The H2S plan says "a 200 m cordon" only when no zone was computed; launched on an assessment whose red
    zone reaches 683 m, its cordon task says 683 m, the radius evacuation uses the assessed radius, and the
    task carries the radii for field devices."""
    plain = {e.payload["task_id"]: e for e in _by_type(engine.launch("h2s-release", "L2", DAY, incident_id="A"),
                                                        "task.assigned")}
    assert plain["cordon"].payload["title"]["en"] == "Set up a 200 m cordon; keep people and vehicles out"
    assert plain["cordon"].payload["title"]["zh"].startswith("设置警戒区（200 m）")
    assert "params" not in plain["cordon"].payload
    events = engine.launch("h2s-release", "L3", DAY, incident_id="B", radii={"cordon_m": 683.0, "evacuation_m": 1410.0})
    launched = _by_type(events, "plan.launched")[0]
    assert launched.payload["evacuation"]["radius_m"] == 1410.0
    assert launched.payload["evacuation"]["from_zone"] is True
    tasks = {e.payload["task_id"]: e for e in _by_type(events, "task.assigned")}
    assert tasks["cordon"].payload["title"]["en"] == "Set up a 683 m cordon; keep people and vehicles out"
    assert "1410 m" in tasks["public_warning"].payload["title"]["en"]
    assert tasks["cordon"].payload["params"] == {"cordon_m": 683.0, "evacuation_m": 1410.0}
