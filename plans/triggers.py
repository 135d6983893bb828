"""Sensor triggers: which plan triggers a stream of readings meets, and when.

A trigger is met at time t when at least ``min_detectors`` distinct sensors of its kind (and
substance, for gas) have read at or above ``threshold`` (same unit) without interruption for
``duration_s`` up to t (``comparison: "<="``: at or below, for oxygen depletion). A reading on the
safe side resets that sensor. Readings in a different
unit from the trigger's are ignored (no unit conversion).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from gis.substances import normalise_substance
from plans.model import Plan, Trigger


@dataclass
class _TriggerState:
    plan: Plan
    trigger: Trigger
    above_since: dict[str, dt.datetime] = field(default_factory=dict)
    last_value: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class TriggerHit:
    """A met trigger: the plan, the trigger, the sensors meeting it and their highest value."""

    plan: Plan
    trigger: Trigger
    sensor_ids: tuple[str, ...]
    max_value: float


class TriggerMonitor:
    """Tracks sensor readings against every sensor trigger of a set of plans."""

    def __init__(self, plans: list[Plan]):
        self._states = [_TriggerState(p, t) for p in plans for t in p.triggers if t.kind == "sensor"]

    def reading(self, sensor_id: str, kind: str, substance: str | None, value: float, unit: str | None,
                t: dt.datetime) -> None:
        """Record one reading (or alarm value) of a sensor at time ``t``.

        A reading that is not a finite number (NaN, ±inf: a faulty transmitter) is ignored: it neither
        meets a threshold nor clears a sensor that was above one — NaN compares false, and treating it
        as "back to safe" would silently reset an alarm."""
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            return
        sub = normalise_substance(substance) if substance else None
        for s in self._states:
            tr = s.trigger
            unit_clash = bool(tr.unit and unit and unit != tr.unit)
            if tr.sensor_kind != kind or (tr.substance and tr.substance != sub) or unit_clash:
                continue
            if tr.meets(value):
                s.above_since.setdefault(sensor_id, t)
                s.last_value[sensor_id] = float(value)
            else:
                s.above_since.pop(sensor_id, None)
                s.last_value.pop(sensor_id, None)

    def met(self, t: dt.datetime) -> list[TriggerHit]:
        """The triggers met at time ``t``, in plan then trigger order."""
        out = []
        for s in self._states:
            tr = s.trigger
            ok = sorted(sid for sid, since in s.above_since.items() if (t - since).total_seconds() >= tr.duration_s)
            if len(ok) >= tr.min_detectors:
                out.append(TriggerHit(s.plan, tr, tuple(ok), max(s.last_value[i] for i in ok)))
        return out

    def next_due(self) -> list[tuple[dt.datetime, Trigger]]:
        """When each sensor that is above a threshold will have been so for its trigger's duration."""
        return [(since + dt.timedelta(seconds=s.trigger.duration_s), s.trigger)
                for s in self._states for since in s.above_since.values()]
