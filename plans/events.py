"""The events the plan engine consumes and emits: plain, frozen, JSON-serialisable data.

``plans`` may not import the incident log (``commandcenter``), so the engine speaks in
:class:`PlanEvent` values whose ``type`` names are the log's vocabulary. Payload schemas are
documented in ``docs/plans.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

PLAN_PROPOSED = "plan.proposed"
PLAN_LAUNCHED = "plan.launched"
LEVEL_CHANGED = "level.changed"
TASK_ASSIGNED = "task.assigned"
TASK_ACKNOWLEDGED = "task.acknowledged"
TASK_STARTED = "task.started"
TASK_DONE = "task.done"
TASK_SKIPPED = "task.skipped"
TASK_OVERDUE = "task.overdue"
TASK_ESCALATED = "task.escalated"
TASK_UNASSIGNABLE = "task.unassignable"
NOTIFICATION_SENT = "notification.sent"
SENSOR_READING = "sensor.reading"
SENSOR_ALARM = "sensor.alarm"
POSITION_REPORTED = "position.reported"

#: what the engine emits
EMITTED: frozenset[str] = frozenset({
    PLAN_PROPOSED, PLAN_LAUNCHED, LEVEL_CHANGED, TASK_ASSIGNED, TASK_ACKNOWLEDGED, TASK_STARTED, TASK_DONE,
    TASK_SKIPPED, TASK_OVERDUE, TASK_ESCALATED, TASK_UNASSIGNABLE, NOTIFICATION_SENT,
})
#: what the engine consumes (``PlanEngine.handle``)
CONSUMED: frozenset[str] = frozenset({
    SENSOR_READING, SENSOR_ALARM, TASK_ACKNOWLEDGED, TASK_STARTED, TASK_DONE, TASK_SKIPPED, POSITION_REPORTED,
})


@dataclass(frozen=True)
class PlanEvent:
    """One event: its type (e.g. ``task.assigned``), a timezone-aware time, and a JSON-serialisable payload."""

    type: str
    time: dt.datetime
    payload: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.time.tzinfo is None or self.time.utcoffset() is None:
            raise ValueError(f"PlanEvent {self.type!r}: time {self.time.isoformat()} is not timezone-aware")

    def to_dict(self) -> dict[str, Any]:
        """The event as a JSON-ready dict (time as ISO 8601)."""
        return {"type": self.type, "time": self.time.isoformat(), "payload": self.payload}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanEvent:
        """The inverse of :meth:`to_dict`."""
        return cls(str(data["type"]), dt.datetime.fromisoformat(str(data["time"])), dict(data.get("payload") or {}))
