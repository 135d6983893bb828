"""Drive the plans engine (``plans.engine.PlanEngine``) from recorded injects and turn its ``Draft``s into
drafts for the event store: launches, level changes, task assignments, deadlines, escalations, notices.

The engine keeps its own in-memory state; the store is the record. Only the store's one-launch rule decides
whether a launch happens (the caller asks the store first), so the engine never runs a plan twice.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from vocabulary.events import Draft


class PlanBridge:
    """A plans engine for one incident, fed with the plant's roster, shift calendar and sensor positions."""

    def __init__(self, plant: Any, plans_dir: str | Path, incident_id: str):
        """Load and validate the plan library in ``plans_dir`` (only valid plans can be launched)."""
        from plans.engine import PlanEngine
        from plans.library import load_library, valid_plans
        from plans.roster import Roster
        from plans.shifts import ShiftCalendar

        self.plans = valid_plans(load_library(plans_dir))
        sensors = plant.layers.get("sensors")
        sensor_xy = {} if sensors is None else {str(i): (float(g.x), float(g.y))
                                                 for i, g in zip(sensors.index, sensors.geometry, strict=True)}
        self.engine = PlanEngine(self.plans, Roster.from_plant(plant), ShiftCalendar(plant.timezone),
                                 sensor_xy=sensor_xy, incident_prefix=incident_id)
        self.incident_id = incident_id
        self.launched = False

    @staticmethod
    def _drafts(events: list) -> list[Draft]:
        return sorted(events, key=lambda d: d.time)  # stable: same-time events keep the engine's order

    def advance(self, now: dt.datetime) -> list[Draft]:
        """Deadlines, escalations and trigger proposals up to ``now``."""
        return self._drafts(self.engine.advance(now))

    def launch(self, plan_id: str, level: str, now: dt.datetime, *, origin_xy: tuple[float, float] | None,
               extra: dict[str, Any]) -> list[Draft]:
        """Launch ``plan_id`` at ``level``; the ``plan.launched`` draft gets ``extra`` (by, console, launch_key)."""
        drafts = self._drafts(self.engine.launch(plan_id, level, now, incident_id=self.incident_id,
                                                 origin_xy=origin_xy))
        for d in drafts:
            if d.type == "plan.launched":
                d.payload.update({k: v for k, v in extra.items() if v is not None})
                break
        self.launched = True
        return drafts

    def raise_level(self, level: str, now: dt.datetime, reason: str) -> list[Draft]:
        """Raise the running incident to ``level`` (its tasks, commander, notices)."""
        return self._drafts(self.engine.raise_level(self.incident_id, level, now, reason=reason))

    def feed(self, etype: str, payload: dict[str, Any], now: dt.datetime) -> list[Draft]:
        """What follows from a recorded input event (readings, alarms, positions, task steps)."""
        p = dict(payload)
        if etype.startswith("task.") and self.launched:
            p.setdefault("incident_id", self.incident_id)
        return self._drafts(self.engine.handle(Draft(etype, now, p)))
