"""The hash chain of the incident log: sealed events, their canonical form, and chain verification.

A sealed event is ``(version, incident, seq, time, type, payload, prev_hash, hash)``:

* ``seq`` — 1, 2, 3, … per incident, no gaps;
* ``time`` — timezone-aware, on the incident's clock, non-decreasing along ``seq``; hashed in UTC;
* ``prev_hash`` — the ``hash`` of event ``seq - 1`` (:data:`GENESIS_HASH` for ``seq`` 1);
* ``hash`` — SHA-256 (hex) of the canonical form, see :func:`canonical_bytes`.

Canonical form (what is hashed): the UTF-8 bytes of ``json.dumps`` of the object
``{"incident", "payload", "prev", "seq", "time", "type", "v"}`` with keys sorted, separators ``","`` and
``":"`` (no whitespace), ``ensure_ascii=False``, NaN/Infinity refused, and ``time`` written as
``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC. Floats use Python's shortest round-trip ``repr``.
The vocabulary (types and payload checks) is :mod:`vocabulary.events`; this module is the store's.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vocabulary.events import SCHEMA_VERSION, EventError, format_time, parse_time, to_us, validate

GENESIS_HASH = "0" * 64


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
