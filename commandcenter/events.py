"""The incident event vocabulary: types, payload checks, the canonical form and the hash chain.

This module imports none of the project's packages (only the standard library) so every part of the
project — the plans engine, comms, the store, the projections — can share it.

An event is ``(version, incident, seq, time, type, payload, prev_hash, hash)``:

* ``version`` — the event schema version (:data:`SCHEMA_VERSION`);
* ``seq`` — 1, 2, 3, … per incident, no gaps;
* ``time`` — timezone-aware, on the incident's clock, non-decreasing along ``seq``; it is kept to the
  microsecond and hashed in UTC;
* ``payload`` — a JSON object whose fields are checked per type (:data:`PAYLOAD_FIELDS`);
* ``prev_hash`` — the ``hash`` of event ``seq - 1`` (:data:`GENESIS_HASH` for ``seq`` 1);
* ``hash`` — SHA-256 (hex) of the canonical form, see :func:`canonical_bytes`.

Canonical form (what is hashed): the UTF-8 bytes of ``json.dumps`` of the object
``{"incident", "payload", "prev", "seq", "time", "type", "v"}`` with keys sorted, separators ``","`` and
``":"`` (no whitespace), ``ensure_ascii=False``, NaN/Infinity refused, and ``time`` written as
``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC. Floats use Python's shortest round-trip ``repr``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
GENESIS_HASH = "0" * 64
UTC = dt.UTC

_STR = (str,)
_NUM = (int, float)
_BOOL = (bool,)
_LIST = (list,)
_OBJ = (dict,)

_TITLE = (str, dict)  # plain text, or {"zh": ..., "en": ...} as the plans engine writes it

# type -> (required fields, optional fields); each field -> accepted Python types of its JSON value.
# Field names follow the plans engine (``plans/events.py``): ids end in ``_id``. Optional fields may be
# null. Extra fields are allowed (forward compatible) as long as they are plain JSON.
PAYLOAD_FIELDS: dict[str, tuple[dict[str, tuple[type, ...]], dict[str, tuple[type, ...]]]] = {
    "sensor.reading": ({"sensor_id": _STR, "value": _NUM}, {"unit": _STR, "substance": _STR, "kind": _STR,
                                                            "x": _NUM, "y": _NUM}),
    "sensor.alarm": ({"sensor_id": _STR}, {"level": _STR, "value": _NUM, "unit": _STR, "substance": _STR,
                                           "kind": _STR}),
    "incident.opened": ({"title": _STR, "exercise": _BOOL}, {"level": _STR, "plant": _STR, "source": _STR}),
    "incident.closed": ({}, {"reason": _STR, "by": _STR}),
    "plan.proposed": ({"plan_id": _STR, "level": _STR}, {"reason": _STR, "by": _STR, "trigger_id": _STR,
                                                         "title": _TITLE, "auto_launch": _BOOL}),
    "plan.launched": ({"plan_id": _STR, "level": _STR}, {"launch_key": _STR, "by": _STR, "console": _STR,
                                                         "reason": _STR, "trigger_id": _STR, "title": _TITLE}),
    "level.changed": ({"to": _STR}, {"from": _STR, "reason": _STR, "by": _STR, "plan_id": _STR}),
    "command.sent": ({"command_id": _STR, "to": _STR + _LIST}, {"kind": _STR, "text": _STR, "by": _STR}),
    "command.acknowledged": ({"command_id": _STR, "person_id": _STR}, {"text": _STR}),
    "position.reported": ({"person_id": _STR, "x": _NUM, "y": _NUM}, {"status": _STR, "device_id": _STR,
                                                                      "accuracy_m": _NUM}),
    "person.mustered": ({"person_id": _STR, "assembly_point_id": _STR}, {"by": _STR}),
    "person.sos": ({"person_id": _STR}, {"x": _NUM, "y": _NUM, "text": _STR}),
    "task.assigned": ({"task_id": _STR}, {"person_id": _STR, "title": _TITLE, "deadline_s": _NUM, "plan_id": _STR,
                                          "by": _STR, "kind": _STR, "role": _STR}),
    "task.acknowledged": ({"task_id": _STR}, {"person_id": _STR}),
    "task.started": ({"task_id": _STR}, {"person_id": _STR}),
    "task.done": ({"task_id": _STR}, {"person_id": _STR, "text": _STR}),
    "task.skipped": ({"task_id": _STR}, {"person_id": _STR, "reason": _STR}),
    "task.overdue": ({"task_id": _STR}, {"person_id": _STR, "deadline_s": _NUM, "deadline": _STR, "state": _STR}),
    "task.escalated": ({"task_id": _STR}, {"from_person_id": _STR, "to_person_id": _STR, "reason": _STR}),
    "task.unassignable": ({"task_id": _STR}, {"reason": _STR, "person_id": _STR}),
    "notification.sent": ({"channel": _STR}, {"recipient": _STR, "recipient_kind": _STR, "person_id": _STR,
                                              "contact_id": _STR, "text": _STR, "message": _TITLE, "live": _BOOL,
                                              "delivered": _BOOL, "reason": _STR}),
    "note.added": ({"text": _STR}, {"by": _STR}),
    "resource.dispatched": ({"resource_id": _STR}, {"to": _STR, "by": _STR, "task_id": _STR}),
}
EVENT_TYPES: frozenset[str] = frozenset(PAYLOAD_FIELDS)
LEVELS = ("L1", "L2", "L3", "L4")
_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("sensor.alarm", "level"): ("warn", "alarm", "clear"),
    ("plan.launched", "level"): LEVELS,
    ("plan.proposed", "level"): LEVELS,
    ("level.changed", "to"): LEVELS,
    ("incident.opened", "level"): LEVELS,
}


class EventError(ValueError):
    """An event or payload that cannot be recorded; ``where`` names the field (e.g. ``payload.x``)."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.reason = message


@dataclass(frozen=True)
class Event:
    """One recorded event of an incident (immutable)."""

    incident: str
    seq: int
    time: dt.datetime
    type: str
    payload: dict[str, Any] = field(hash=False)
    prev_hash: str
    hash: str
    version: int = SCHEMA_VERSION

    @property
    def t_us(self) -> int:
        """The time in integer microseconds since the Unix epoch (UTC)."""
        return to_us(self.time)

    def to_dict(self) -> dict[str, Any]:
        """The event as a JSON-ready dict (the export line format)."""
        return {"v": self.version, "incident": self.incident, "seq": self.seq, "time": format_time(self.time),
                "type": self.type, "payload": self.payload, "prev": self.prev_hash, "hash": self.hash}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        """Rebuild an event from :meth:`to_dict` output (hash not re-checked here; see :func:`verify_chain`)."""
        try:
            return cls(incident=str(d["incident"]), seq=int(d["seq"]), time=parse_time(d["time"]),
                       type=str(d["type"]), payload=dict(d["payload"]), prev_hash=str(d["prev"]),
                       hash=str(d["hash"]), version=int(d["v"]))
        except KeyError as exc:
            raise EventError(f"missing field {exc.args[0]!r}", "event") from None
        except (TypeError, ValueError) as exc:
            raise EventError(str(exc), "event") from None


def to_us(t: dt.datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime (exact integer arithmetic)."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise EventError("time must be timezone-aware", "time")
    d = t - dt.datetime(1970, 1, 1, tzinfo=UTC)
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def from_us(us: int, tz: dt.tzinfo = UTC) -> dt.datetime:
    """The aware datetime of ``us`` microseconds since the epoch, shown in ``tz``."""
    return (dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=int(us))).astimezone(tz)


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
    if event_type not in PAYLOAD_FIELDS:
        raise EventError(f"unknown event type {event_type!r} (known: {', '.join(sorted(EVENT_TYPES))})", "type")
    if not isinstance(payload, dict):
        raise EventError(f"must be a JSON object, got {type(payload).__name__}", "payload")
    for k, v in payload.items():
        if not (isinstance(v, _SIMPLE) and isinstance(k, str)) and not (type(v) is float and math.isfinite(v)):
            _check_json(payload, "payload")
            break
    required, optional = PAYLOAD_FIELDS[event_type]
    for name in required:
        if name not in payload:
            raise EventError(f"required for {event_type}", f"payload.{name}")
    for name, value in payload.items():
        types = required.get(name) or optional.get(name)
        if types is None or (value is None and name not in required):
            continue
        ok = not (isinstance(value, bool) and bool not in types) and isinstance(value, types)
        if not ok:
            want = " or ".join(sorted({_json_name(t) for t in types}))
            raise EventError(f"must be {want}, got {_json_name(type(value))} {value!r}", f"payload.{name}")
        if isinstance(value, str) and name in required and not value.strip():
            raise EventError("must not be empty", f"payload.{name}")
        allowed = _ENUMS.get((event_type, name))
        if allowed and value not in allowed:
            raise EventError(f"must be one of {', '.join(allowed)}, got {value!r}", f"payload.{name}")
    return payload


def _json_name(t: type) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "an object", type(None): "null"}.get(t, t.__name__)


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(obj: Any) -> str:
    """The canonical JSON text of ``obj``: sorted keys, no whitespace, UTF-8 characters kept, no NaN."""
    return _CANONICAL.encode(obj)


@functools.lru_cache(maxsize=1024)
def _json_str(text: str) -> str:
    return _CANONICAL.encode(text)


def canonical_bytes(version: int, incident: str, seq: int, time_text: str, event_type: str,
                    payload: dict[str, Any], prev_hash: str) -> bytes:
    """The bytes that are hashed for one event (see the module docstring)."""
    return canonical_json({"v": version, "incident": incident, "seq": seq, "time": time_text,
                           "type": event_type, "payload": payload, "prev": prev_hash}).encode("utf-8")


def hash_with_payload_text(version: int, incident: str, seq: int, time_text: str, event_type: str,
                           payload_text: str, prev_hash: str) -> str:
    """:func:`compute_hash` given the payload's canonical JSON text already (the append path's fast form;
    identical bytes, since the top-level keys are written in sorted order)."""
    text = (f'{{"incident":{_json_str(incident)},"payload":{payload_text},'
            f'"prev":"{prev_hash}","seq":{seq},"time":"{time_text}","type":{_json_str(event_type)},'
            f'"v":{version}}}')
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compute_hash(version: int, incident: str, seq: int, time_text: str, event_type: str,
                 payload: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 hex digest of :func:`canonical_bytes`."""
    return hashlib.sha256(canonical_bytes(version, incident, seq, time_text, event_type, payload,
                                          prev_hash)).hexdigest()


def seal(incident: str, seq: int, time: dt.datetime, event_type: str, payload: dict[str, Any],
         prev_hash: str, version: int = SCHEMA_VERSION) -> Event:
    """Validate and hash a new event that follows ``prev_hash``."""
    validate(event_type, payload)
    h = compute_hash(version, incident, seq, format_time(time), event_type, payload, prev_hash)
    return Event(incident, seq, time, event_type, payload, prev_hash, h, version)


def event_hash_ok(e: Event) -> bool:
    """True when ``e.hash`` is the hash of its content."""
    return e.hash == compute_hash(e.version, e.incident, e.seq, format_time(e.time), e.type, e.payload,
                                  e.prev_hash)


@dataclass(frozen=True)
class ChainBreak:
    """The first place a chain is broken: the event's seq, what happened and a one-line explanation."""

    seq: int
    kind: str  # changed | deleted | inserted | reordered
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"seq": self.seq, "kind": self.kind, "message": self.message}


def _hash_as(e: Event, seq: int) -> bool:
    """True when ``e`` hashes correctly once renumbered to ``seq`` (it was moved from there)."""
    return e.hash == compute_hash(e.version, e.incident, seq, format_time(e.time), e.type, e.payload, e.prev_hash)


def verify_chain(events: Iterable[Event], incident: str,
                 head: tuple[int, str] | None = None) -> tuple[int, ChainBreak | None]:
    """Check events in stored order (streaming, one event of look-ahead).

    Returns ``(count of events checked, first break or None)``. ``head`` is the ``(seq, hash)`` the store
    recorded as the incident's last event; a shorter chain means events were deleted at the end.
    Classification: a content/hash mismatch is *changed*, unless the event hashes correctly under a
    neighbouring seq — then it was moved: *reordered* (two swapped), *inserted* (later events renumbered
    up) or *deleted* (later events renumbered down); a gap in seq is *deleted*; an intact event that does
    not chain to its predecessor means the predecessor was *inserted* (or re-hashed) or the events are
    *reordered* (it chains to an earlier one).
    """
    it = iter(events)
    cur = next(it, None)
    expected, prev_hash, prev_t, count = 1, GENESIS_HASH, None, 0
    seen: dict[str, int] = {}
    while cur is not None:
        nxt = next(it, None)
        e = cur
        if e.incident != incident:
            return count, ChainBreak(e.seq, "inserted", f"event {e.seq} belongs to incident {e.incident!r}")
        if e.seq > expected:
            missing = f"event {expected}" if e.seq == expected + 1 else f"events {expected}–{e.seq - 1}"
            return count, ChainBreak(expected, "deleted", f"{missing} missing before event {e.seq}")
        if e.seq < expected:
            return count, ChainBreak(e.seq, "reordered", f"event {e.seq} is stored after event {expected - 1}")
        if not event_hash_ok(e):
            if _hash_as(e, e.seq + 1):
                if nxt is not None and _hash_as(nxt, nxt.seq - 1):
                    return count, ChainBreak(e.seq, "reordered", f"events {e.seq} and {e.seq + 1} were swapped")
                return count, ChainBreak(e.seq, "deleted", f"event {e.seq} was deleted and later events "
                                         "renumbered")
            if _hash_as(e, e.seq - 1):
                return count, ChainBreak(e.seq - 1, "inserted", f"event {e.seq - 1} was inserted (later events "
                                         "renumbered)")
            if nxt is not None and _hash_as(nxt, nxt.seq - 1):
                return count, ChainBreak(e.seq, "inserted", f"event {e.seq} was inserted (later events renumbered)")
            return count, ChainBreak(e.seq, "changed", f"event {e.seq} ({e.type}) was changed: its content does "
                                     "not match its hash")
        if e.prev_hash != prev_hash:
            if e.prev_hash in seen:
                return count, ChainBreak(e.seq, "reordered", f"event {e.seq} chains to event "
                                         f"{seen[e.prev_hash]}, not to event {e.seq - 1}")
            return count, ChainBreak(e.seq - 1, "inserted", f"event {e.seq - 1} was inserted or re-hashed: "
                                     f"event {e.seq} does not chain to it")
        if prev_t is not None and e.t_us < prev_t:
            return count, ChainBreak(e.seq, "reordered", f"event {e.seq} is earlier than event {e.seq - 1}")
        seen[e.hash] = e.seq
        if len(seen) > 4096:
            seen.pop(next(iter(seen)))
        expected, prev_hash, prev_t, count = e.seq + 1, e.hash, e.t_us, count + 1
        cur = nxt
    if head is not None:
        head_seq, head_hash = head
        if head_seq > count:
            return count, ChainBreak(count + 1, "deleted", f"events {count + 1}–{head_seq} missing at the end "
                                     f"(the incident records {head_seq} events)")
        if head_seq == count and count and head_hash != prev_hash:
            return count, ChainBreak(count, "changed", f"event {count} is not the last event the incident "
                                     "recorded")
    return count, None
