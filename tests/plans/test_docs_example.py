"""The complete example of docs/plans.md is a valid plan the engine can launch at both its levels."""

from __future__ import annotations

import re

from plans.engine import PlanEngine
from plans.roster import Roster
from plans.shifts import ShiftCalendar
from plans.validation import validate_text

from .conftest import NIGHT, REPO


def _example() -> str:
    text = (REPO / "docs" / "plans.md").read_text(encoding="utf-8")
    block = re.search(r"### A complete example\s+```yaml\n(.*?)```", text, re.S)
    assert block, "docs/plans.md lost its example"
    return block.group(1)


def test_docs_example_validates_and_launches(demo_plant):
    plan, errors = validate_text(_example(), "docs/plans.md")
    assert errors == []
    for level in plan.level_names:
        engine = PlanEngine([plan], Roster.from_plant(demo_plant), ShiftCalendar(demo_plant.timezone))
        events = engine.launch(plan.id, level, NIGHT)
        assigned = {e.payload["task_id"] for e in events if e.type == "task.assigned"}
        assert {t.id for t in plan.tasks_at(level)} <= assigned
