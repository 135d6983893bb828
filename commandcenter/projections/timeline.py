"""The timeline: one line per notable event (everything except routine position reports and readings)."""

from __future__ import annotations

from commandcenter.projections.base import Projection, State
from vocabulary.events import EVENT_TYPES

ROUTINE = frozenset({"position.reported", "sensor.reading"})
_KEYS = ("title", "plan_id", "level", "from", "to", "sensor_id", "value", "person_id", "assembly_point_id", "task_id",
         "command_id", "by", "text", "resource_id", "reason", "channel", "recipient")


def summary(event_type: str, payload: dict) -> str:
    """A short, language-neutral text of an event: its type and its main fields."""
    parts = [f"{k}={payload[k]}" for k in _KEYS if k in payload]
    return f"{event_type} " + " ".join(str(p) for p in parts)


def _initial() -> State:
    return {"entries": []}


def _entry(s: State, e) -> None:
    s["entries"].append({"seq": e.seq, "t": e.t_us, "type": e.type, "text": summary(e.type, e.payload)})


TIMELINE = Projection("timeline", _initial, {t: _entry for t in EVENT_TYPES - ROUTINE})
