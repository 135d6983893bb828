"""After-action evaluation from the event stream: lateness, critical path, blame, unanswered assignments."""

from __future__ import annotations

import datetime as dt

import pytest

from plans.evaluation import evaluate
from plans.validation import validate_text

from .conftest import DAY
from .test_validation import MINI

CHAIN = MINI.replace("contacts:", """- id: c
  title: {zh: 第三步, en: Step three}
  role: operator
  level: L1
  deadline_s: 300
  depends_on: [b]
- id: side
  title: {zh: 旁支, en: Side step}
  role: control_room_operator
  level: L1
  deadline_s: 100
contacts:""")


def _run(engine_factory):
    plan, errors = validate_text(CHAIN, "chain.yaml")
    assert not errors
    engine = engine_factory(plan)
    out = engine.launch("mini", "L1", DAY)
    who = {e.payload["task_id"]: e.payload["person_id"] for e in out if e.type == "task.assigned"}
    s = dt.timedelta(seconds=1)
    out += engine.acknowledge("INC-0001", "a", who["a"], DAY + 10 * s)
    out += engine.complete("INC-0001", "a", who["a"], DAY + 50 * s)        # 10 s early
    out += engine.acknowledge("INC-0001", "b", who["b"], DAY + 60 * s)
    out += engine.complete("INC-0001", "b", who["b"], DAY + 200 * s)       # 80 s late, all its own fault
    out += engine.complete("INC-0001", "side", None, DAY + 250 * s)        # 150 s late, off the critical path
    # nobody answers c; it escalates at 300 s; the second person does it
    out += engine.advance(DAY + 301 * s)
    second = [e.payload["person_id"] for e in out if e.type == "task.assigned" and e.payload["task_id"] == "c"][-1]
    out += engine.acknowledge("INC-0001", "c", second, DAY + 320 * s)
    out += engine.complete("INC-0001", "c", second, DAY + 400 * s)         # 100 s late, 80 s of it inherited from b
    out += engine.complete("INC-0001", "command:L1", None, DAY + 400 * s)
    return out, who


@pytest.fixture
def factory(demo_plant):
    from plans.engine import PlanEngine
    from plans.roster import Roster
    from plans.shifts import ShiftCalendar

    return lambda plan: PlanEngine([plan], Roster.from_plant(demo_plant), ShiftCalendar(demo_plant.timezone))


def test_task_times_against_deadlines(factory):
    events, _ = _run(factory)
    report = evaluate(events)
    rows = {r["task_id"]: r for r in report["tasks"]}
    assert rows["a"]["late_s"] == -10
    assert rows["a"]["on_time"] is True
    assert rows["b"]["late_s"] == 80
    assert rows["b"]["on_time"] is False
    assert rows["c"]["late_s"] == 100
    assert rows["c"]["overdue"] is True
    assert len(rows["c"]["assignees"]) == 2
    assert report["duration_s"] == 400
    assert report["overrun_s"] == 100
    assert report["unfinished"] == []


def test_critical_path_and_late_steps_ranked_by_their_own_delay(factory):
    report = evaluate(_run(factory)[0])
    assert report["critical_path"] == ["a", "b", "c"]
    ranked = [(s["task_id"], s["delayed_end_s"], s["on_critical_path"]) for s in report["late_steps"]]
    # a was early; b finished 80 s late; c 100 s late of which 80 inherited from b → 20 s its own;
    # the command task and side step were late but off the critical path → delayed the end by 0 s
    assert ranked == [("b", 80.0, True), ("c", 20.0, True), ("command:L1", 0.0, False), ("side", 0.0, False)]
    assert sum(s["delayed_end_s"] for s in report["late_steps"]) == report["overrun_s"]


def test_unanswered_assignments_are_listed(factory):
    events, who = _run(factory)
    report = evaluate([e.to_dict() for e in events])  # the JSON form works too
    silent = {(u["task_id"], u["person_id"]) for u in report["unanswered"]}
    assert ("c", who["c"]) in silent
    assert ("side", who["side"]) in silent  # done by the console, never answered by the assignee
    assert ("a", who["a"]) not in silent


def test_evaluation_needs_a_launch():
    with pytest.raises(ValueError, match=r"no plan\.launched"):
        evaluate([])
