"""The incident event vocabulary: event types, payload checks, levels, times, and the one draft type.

This module imports nothing of the project (only the standard library), so every package — the plans
engine, resources, the simulator, comms, the incident log — speaks the same words. What a producer
hands to the incident runtime is a :class:`Draft` (type, time, payload); the store seals drafts into
hash-chained events (``commandcenter/store/chain.py``).

A payload is a JSON object whose fields are checked per type (:data:`PAYLOAD_FIELDS`): required
fields must be present and non-empty, known fields must have their JSON type, numbers must be finite,
enumerated fields must take one of their values. Extra fields are allowed (forward compatible) as
long as they are plain JSON. Times are timezone-aware, kept to the microsecond.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
UTC = dt.UTC

_STR = (str,)
_NUM = (int, float)
_BOOL = (bool,)
_LIST = (list,)
_OBJ = (dict,)

_TITLE = (str, dict)  # plain text, or {"zh": ..., "en": ...} as the plans engine writes it

# type -> (required fields, optional fields); each field -> accepted Python types of its JSON value.
# Field names follow the plans engine: ids end in ``_id``. Optional fields may be
# null. Extra fields are allowed (forward compatible) as long as they are plain JSON.
PAYLOAD_FIELDS: dict[str, tuple[dict[str, tuple[type, ...]], dict[str, tuple[type, ...]]]] = {
    # --- the incident itself
    "incident.opened": ({"title": _STR, "exercise": _BOOL}, {"level": _STR, "plant": _STR, "source": _STR,
                                                             "timezone": _STR, "drill": _OBJ, "plant_path": _STR,
                                                             "plans_dir": _STR}),
    "incident.closed": ({}, {"reason": _STR, "by": _STR}),
    "note.added": ({"text": _STR}, {"by": _STR}),
    # --- detection: sensors, weather, alarms
    "sensor.reading": ({"sensor_id": _STR, "value": _NUM}, {"unit": _STR, "substance": _STR, "kind": _STR,
                                                            "x": _NUM, "y": _NUM, "device_id": _STR}),
    "sensor.alarm": ({"sensor_id": _STR}, {"level": _STR, "value": _NUM, "unit": _STR, "substance": _STR,
                                           "kind": _STR}),
    "weather.observed": ({"wind_speed_mps": _NUM, "wind_from_deg": _NUM},
                         {"station_id": _STR, "stability": _STR, "cloud_oktas": _NUM, "temperature_c": _NUM,
                          "device_id": _STR}),
    "alarm.raised": ({"alarm_id": _STR}, {"kind": _STR, "level": _STR, "sensor_id": _STR, "person_id": _STR,
                                          "device_id": _STR, "x": _NUM, "y": _NUM, "text": _STR, "by": _STR,
                                          "substance": _STR, "value": _NUM, "unit": _STR}),
    "alarm.acknowledged": ({"alarm_id": _STR}, {"by": _STR}),
    "alarm.confirmed": ({"alarm_id": _STR}, {"by": _STR, "reason": _STR}),
    "alarm.cleared": ({"alarm_id": _STR}, {"by": _STR, "false_alarm": _BOOL, "cause": _STR, "reason": _STR}),
    # --- assessment: computed results a person acts on are events too
    "hazard.assessed": ({"assessment_id": _STR, "zones": _LIST},
                        {"source": _OBJ, "weather": _OBJ, "model": _STR, "substance": _STR, "rate_kg_s": _NUM,
                         "reach_m": _OBJ, "by": _STR, "people_inside": _OBJ, "warnings": _LIST,
                         "proposed_level": _STR, "reason": _STR, "summary": _LIST, "wedge": _OBJ,
                         "release": _OBJ, "beyond_10km": _OBJ}),
    "evacuation.ordered": ({"order_id": _STR, "people": _LIST},
                           {"scope": _STR, "radius_m": _NUM, "level": _STR, "plan_id": _STR, "x": _NUM, "y": _NUM,
                            "alarm_id": _STR, "by": _STR}),
    "evacuation.planned": ({"evacuation_id": _STR, "method": _STR, "people": _LIST},
                           {"eta_s": _NUM, "bound_s": _NUM, "assessment_id": _STR, "by": _STR,
                            "unroutable": _LIST, "solver": _STR, "gap": _NUM}),
    # --- the plan
    "plan.proposed": ({"plan_id": _STR, "level": _STR}, {"reason": _STR, "by": _STR, "trigger_id": _STR,
                                                         "title": _TITLE, "auto_launch": _BOOL,
                                                         "alarm_id": _STR, "assessment_id": _STR}),
    "plan.launched": ({"plan_id": _STR, "level": _STR}, {"launch_key": _STR, "by": _STR, "console": _STR,
                                                         "reason": _STR, "trigger_id": _STR, "title": _TITLE,
                                                         "alarm_id": _STR, "assessment_id": _STR,
                                                         "context": _OBJ}),
    "level.changed": ({"to": _STR}, {"from": _STR, "reason": _STR, "by": _STR, "plan_id": _STR}),
    "task.assigned": ({"task_id": _STR}, {"person_id": _STR, "title": _TITLE, "deadline_s": _NUM, "plan_id": _STR,
                                          "by": _STR, "kind": _STR, "role": _STR, "text": _TITLE,
                                          "equipment": _LIST, "params": _OBJ}),
    "task.acknowledged": ({"task_id": _STR}, {"person_id": _STR}),
    "task.started": ({"task_id": _STR}, {"person_id": _STR}),
    "task.done": ({"task_id": _STR}, {"person_id": _STR, "text": _STR, "by": _STR}),
    "task.skipped": ({"task_id": _STR}, {"person_id": _STR, "reason": _STR, "by": _STR}),
    "task.overdue": ({"task_id": _STR}, {"person_id": _STR, "deadline_s": _NUM, "deadline": _STR, "state": _STR}),
    "task.escalated": ({"task_id": _STR}, {"from_person_id": _STR, "to_person_id": _STR, "reason": _STR}),
    "task.reassigned": ({"task_id": _STR, "to_person_id": _STR}, {"from_person_id": _STR, "by": _STR,
                                                                  "reason": _STR}),
    "task.unassignable": ({"task_id": _STR}, {"reason": _STR, "person_id": _STR}),
    "notification.sent": ({"channel": _STR}, {"recipient": _STR, "recipient_kind": _STR, "person_id": _STR,
                                              "contact_id": _STR, "text": _STR, "message": _TITLE, "live": _BOOL,
                                              "delivered": _BOOL, "reason": _STR}),
    # --- field comms (shared/spec/field-protocol.md): the outbox is the log
    "command.sent": ({"command_id": _STR, "to": _STR + _LIST}, {"kind": _STR, "text": _STR, "by": _STR,
                                                                "devices": _LIST, "text_zh": _STR,
                                                                "text_en": _STR, "params": _OBJ,
                                                                "task_id": _STR, "expires_s": _NUM}),
    "command.queued": ({"command_id": _STR, "seqs": _OBJ}, {"reason": _STR}),  # per-device seqs, before sending
    "command.delivered": ({"command_id": _STR, "device_id": _STR}, {"attempt": _NUM}),
    "command.acknowledged": ({"command_id": _STR}, {"person_id": _STR, "device_id": _STR, "text": _STR}),
    "command.done": ({"command_id": _STR, "device_id": _STR}, {"text": _STR, "result": _OBJ}),
    "command.failed": ({"command_id": _STR, "device_id": _STR}, {"reason": _STR}),
    "command.expired": ({"command_id": _STR}, {"device_id": _STR, "reason": _STR}),
    "device.enrolled": ({"device_id": _STR}, {"kind": _STR, "person_id": _STR, "by": _STR}),
    "device.online": ({"device_id": _STR}, {"address": _STR, "firmware": _STR}),
    "device.offline": ({"device_id": _STR}, {"reason": _STR, "last_seen_s": _NUM}),
    "device.revoked": ({"device_id": _STR}, {"by": _STR, "reason": _STR}),
    "evidence.received": ({"sha256": _STR}, {"task_id": _STR, "device_id": _STR, "person_id": _STR,
                                             "mime": _STR, "bytes": _NUM, "path": _STR, "caption": _STR}),
    # --- people
    "position.reported": ({"person_id": _STR, "x": _NUM, "y": _NUM}, {"status": _STR, "device_id": _STR,
                                                                      "accuracy_m": _NUM, "lon": _NUM,
                                                                      "lat": _NUM, "floor": _NUM}),
    "person.mustered": ({"person_id": _STR, "assembly_point_id": _STR}, {"by": _STR, "method": _STR,
                                                                         "device_id": _STR}),
    "person.badged": ({"person_id": _STR, "gate_id": _STR, "direction": _STR}, {"device_id": _STR}),
    "person.added": ({"person_id": _STR}, {"name": _STR, "kind": _STR, "company": _STR, "by": _STR,
                                           "assembly_point_id": _STR}),
    "person.sos": ({"person_id": _STR}, {"x": _NUM, "y": _NUM, "text": _STR, "device_id": _STR}),
    # --- resources
    "resource.dispatched": ({"resource_id": _STR}, {"to": _STR, "by": _STR, "task_id": _STR, "team": _STR,
                                                    "person_id": _STR, "quantity": _NUM, "walk_s": _NUM,
                                                    "x": _NUM, "y": _NUM}),
    "resource.taken": ({"resource_id": _STR}, {"quantity": _NUM, "by": _STR, "person_id": _STR, "task_id": _STR}),
    "resource.used": ({"resource_id": _STR}, {"quantity": _NUM, "by": _STR, "person_id": _STR, "task_id": _STR}),
    "resource.returned": ({"resource_id": _STR}, {"quantity": _NUM, "by": _STR, "person_id": _STR,
                                                  "state": _STR}),
    "resource.requested": ({"kind": _STR, "quantity": _NUM}, {"deliver_to": _STR, "reason": _STR, "by": _STR,
                                                              "x": _NUM, "y": _NUM}),
    # --- drills
    "drill.scenario": ({"scenario_id": _STR}, {"seed": _NUM, "kind": _STR, "source_id": _STR, "plan_id": _STR,
                                               "weather": _OBJ, "start": _STR, "hidden": _BOOL, "params": _OBJ}),
    "exposure.assessed": ({"assessment_id": _STR, "people": _LIST},
                          {"substance": _STR, "guideline": _STR, "threshold_ppm": _NUM, "exceeded": _LIST,
                           "model": _STR, "by": _STR}),
}
EVENT_TYPES: frozenset[str] = frozenset(PAYLOAD_FIELDS)

# Names for the types the plans engine consumes and emits (``ev.TASK_DONE`` reads better than a string).
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
TASK_REASSIGNED = "task.reassigned"
TASK_UNASSIGNABLE = "task.unassignable"
NOTIFICATION_SENT = "notification.sent"
SENSOR_READING = "sensor.reading"
SENSOR_ALARM = "sensor.alarm"
POSITION_REPORTED = "position.reported"
#: L1 team (班组), L2 workshop (车间), L3 plant (厂级), L4 group / outside agencies (公司/社会)
LEVELS: tuple[str, ...] = ("L1", "L2", "L3", "L4")
LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "L1": ("班组级", "team"),
    "L2": ("车间级", "workshop"),
    "L3": ("厂级", "plant"),
    "L4": ("公司/社会级", "group and outside agencies"),
}
COMMAND_STATES: tuple[str, ...] = ("pending", "delivered", "acked", "done", "failed", "expired")
_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("sensor.alarm", "level"): ("warn", "alarm", "clear"),
    ("plan.launched", "level"): LEVELS,
    ("plan.proposed", "level"): LEVELS,
    ("level.changed", "to"): LEVELS,
    ("incident.opened", "level"): LEVELS,
    ("hazard.assessed", "proposed_level"): LEVELS,
    ("person.badged", "direction"): ("in", "out"),
    ("alarm.raised", "level"): ("warn", "alarm"),
}


def level_rank(level: str) -> int:
    """1 for L1 … 4 for L4 (the order in which levels widen the response)."""
    return LEVELS.index(level) + 1


@dataclass(frozen=True)
class Draft:
    """An event not yet recorded: its type, a timezone-aware time on the incident's clock, and its payload.

    Every producer (the plans engine, the window, the CLI, field comms, the simulator) makes drafts and
    submits them to the incident runtime; the store seals them (sequence number, hash chain).
    """

    type: str
    time: dt.datetime
    payload: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.time.tzinfo is None or self.time.utcoffset() is None:
            raise EventError(f"draft {self.type!r}: time {self.time.isoformat()} is not timezone-aware", "time")

    def checked(self) -> Draft:
        """This draft after :func:`validate` (raises :class:`EventError` naming the field)."""
        validate(self.type, self.payload)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The draft as a JSON-ready dict (time as ISO 8601)."""
        return {"type": self.type, "time": self.time.isoformat(), "payload": self.payload}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        """The inverse of :meth:`to_dict`."""
        return cls(str(data["type"]), parse_time(str(data["time"])), dict(data.get("payload") or {}))


class EventError(ValueError):
    """An event or payload that cannot be recorded; ``where`` names the field (e.g. ``payload.x``)."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.reason = message


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = dt.timedelta(microseconds=1)


def to_us(t: dt.datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime (exact integer arithmetic)."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise EventError("time must be timezone-aware", "time")
    return (t - _EPOCH) // _ONE_US


def from_us(us: int, tz: dt.tzinfo = UTC) -> dt.datetime:
    """The aware datetime of ``us`` microseconds since the epoch, shown in ``tz``."""
    return (_EPOCH + dt.timedelta(microseconds=int(us))).astimezone(tz)


def format_time(t: dt.datetime) -> str:
    """The canonical time text: UTC, microseconds, ``Z`` suffix."""
    return format_us(to_us(t))


@functools.lru_cache(maxsize=4096)
def _format_second(sec: int) -> str:
    return (dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(seconds=sec)).strftime("%Y-%m-%dT%H:%M:%S")


def format_us(t_us: int) -> str:
    """The canonical time text of ``t_us`` microseconds since the epoch (``2026-11-22T01:00:00.000000Z``)."""
    sec, us = divmod(int(t_us), 1_000_000)
    return f"{_format_second(sec)}.{us:06d}Z"


def parse_time(text: str) -> dt.datetime:
    """Parse an ISO 8601 time with an offset (``Z`` accepted); naive times are refused."""
    try:
        t = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise EventError(f"not an ISO 8601 time: {text!r}", "time") from None
    if t.tzinfo is None:
        raise EventError(f"time {text!r} has no UTC offset", "time")
    return t


_SIMPLE = (str, bool, int)


def _check_json(value: Any, where: str) -> None:
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EventError("numbers must be finite (no NaN or infinity)", where)
        return
    if isinstance(value, list):
        for i, v in enumerate(value):
            _check_json(v, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise EventError(f"object keys must be strings, got {k!r}", where)
            _check_json(v, f"{where}.{k}")
        return
    raise EventError(f"{type(value).__name__} is not a JSON value", where)


def validate(event_type: str, payload: Any) -> dict[str, Any]:
    """Check ``payload`` against the fields of ``event_type``; return it, or raise :class:`EventError`
    naming the offending field (``payload.<field>``)."""
    spec = _spec(event_type)
    if not isinstance(payload, dict):
        raise EventError(f"must be a JSON object, got {type(payload).__name__}", "payload")
    for k, v in payload.items():
        if not (isinstance(v, _SIMPLE) and isinstance(k, str)) and not (type(v) is float and math.isfinite(v)):
            _check_json(payload, "payload")
            break
    required, fields = spec[1], spec[2]
    for name in required:
        if name not in payload:
            raise EventError(f"required for {event_type}", f"payload.{name}")
    for name, value in payload.items():
        f = fields.get(name)
        if f is None:
            continue
        types, is_required, allowed = f
        if value is None and not is_required:
            continue
        if not isinstance(value, types) or ((value is True or value is False) and bool not in types):
            want = " or ".join(sorted({_json_name(t) for t in types}))
            raise EventError(f"must be {want}, got {_json_name(type(value))} {value!r}", f"payload.{name}")
        if is_required and isinstance(value, str) and not value.strip():
            raise EventError("must not be empty", f"payload.{name}")
        if allowed and value not in allowed:
            raise EventError(f"must be one of {', '.join(allowed)}, got {value!r}", f"payload.{name}")
    return payload


_Field = tuple[tuple[type, ...], bool, tuple[str, ...] | None]  # accepted types, required, allowed values
_Spec = tuple[Any, tuple[str, ...], dict[str, _Field]]
_SPECS: dict[str, _Spec] = {}


def _spec(event_type: str) -> _Spec:
    """The checks of ``event_type`` in one table per type: (its PAYLOAD_FIELDS entry, required names, field ->
    (types, required, allowed values)); rebuilt when the entry changes."""
    entry = PAYLOAD_FIELDS.get(event_type)
    if entry is None:
        raise EventError(f"unknown event type {event_type!r} (known: {', '.join(sorted(PAYLOAD_FIELDS))})", "type")
    spec = _SPECS.get(event_type)
    if spec is None or spec[0] is not entry:
        required, optional = entry
        fields = {name: (types, False, _ENUMS.get((event_type, name))) for name, types in optional.items()}
        fields.update({name: (types, True, _ENUMS.get((event_type, name))) for name, types in required.items()})
        spec = _SPECS[event_type] = (entry, tuple(required), fields)
    return spec


def _json_name(t: type) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "an object", type(None): "null"}.get(t, t.__name__)


