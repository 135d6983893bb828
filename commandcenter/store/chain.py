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

from vocabulary.events import SCHEMA_VERSION, EventError, format_time, format_us, parse_time, to_us, validate

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
    #: the payload's text exactly as stored (the store's canonical JSON); when set, verification hashes these
    #: characters rather than re-serialising ``payload``, so an edit that parses to the same object (a
    #: duplicate key, added whitespace) still breaks the chain
    payload_text: str | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def t_us(self) -> int:
        """The time in integer microseconds since the Unix epoch (UTC)."""
        return to_us(self.time)

    def to_dict(self) -> dict[str, Any]:
        """The event as a JSON-ready dict (the export line format)."""
        return {"v": self.version, "incident": self.incident, "seq": self.seq, "time": format_time(self.time),
                "type": self.type, "payload": self.payload, "prev": self.prev_hash, "hash": self.hash}

    @classmethod
    def from_dict(cls, d: Any) -> Event:
        """Rebuild an event from :meth:`to_dict` output, strictly: every field present with its JSON type
        (no number given as text, no list of pairs for the payload), hashes as 64 hex digits. The hash is
        not re-checked here (see :func:`verify_chain`)."""
        if not isinstance(d, dict):
            raise EventError(f"must be a JSON object, got {_json_type(d)}", "event")
        for name, types in _EVENT_FIELDS.items():
            if name not in d:
                raise EventError("missing", name)
            value = d[name]
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                raise EventError(f"must be {_EVENT_FIELD_NAMES[name]}, got {_json_type(value)}", name)
        for name in ("prev", "hash"):
            if not is_hex64(d[name]):
                raise EventError("must be 64 lower-case hexadecimal digits", name)
        if d["seq"] < 1:
            raise EventError(f"must be 1 or more, got {d['seq']}", "seq")
        return cls(incident=d["incident"], seq=d["seq"], time=parse_time(d["time"]), type=d["type"],
                   payload=d["payload"], prev_hash=d["prev"], hash=d["hash"], version=d["v"])


_EVENT_FIELDS: dict[str, tuple[type, ...]] = {"v": (int,), "incident": (str,), "seq": (int,), "time": (str,),
                                              "type": (str,), "payload": (dict,), "prev": (str,), "hash": (str,)}
_EVENT_FIELD_NAMES = {"v": "an integer", "incident": "a string", "seq": "an integer", "time": "a string",
                      "type": "a string", "payload": "a JSON object", "prev": "a string", "hash": "a string"}
_HEX = frozenset("0123456789abcdef")


def is_hex64(text: str) -> bool:
    """True for a SHA-256 digest as the log writes it: 64 lower-case hexadecimal digits."""
    return len(text) == 64 and _HEX.issuperset(text)


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


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
    """True when ``e.hash`` is the hash of its content (of ``e.payload_text`` exactly, when the event
    carries its stored text)."""
    return _hash_as(e, e.seq)


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
    """True when ``e`` hashes correctly once numbered ``seq`` (False for content that cannot even be
    hashed: not JSON-representable, not valid Unicode)."""
    try:
        if e.payload_text is not None:
            return e.hash == hash_with_payload_text(e.version, e.incident, seq, format_us(e.t_us), e.type,
                                                    e.payload_text, e.prev_hash)
        return e.hash == compute_hash(e.version, e.incident, seq, format_us(e.t_us), e.type, e.payload,
                                      e.prev_hash)
    except (ValueError, TypeError, UnicodeError, OverflowError, RecursionError, EventError):
        return False


class ChainVerifier:
    """Checks a chain one event at a time, in stored order, with one event of look-ahead to tell a moved
    event from a changed one (see :func:`verify_chain` for the classification). Feed events with
    :meth:`feed` until it returns a break, then call :meth:`finish`."""

    def __init__(self, incident: str):
        """Verify the chain of ``incident`` from its event 1."""
        self.incident = incident
        self.count = 0  # events accepted so far
        self.last_hash = GENESIS_HASH
        self._expected, self._prev_t = 1, None
        self._seen: dict[str, int] = {}
        self._pending: Event | None = None
        self.brk: ChainBreak | None = None

    def feed(self, e: Event) -> ChainBreak | None:
        """Check the next stored event; returns the first break once it is known (then stop feeding)."""
        if self.brk is not None:
            return self.brk
        if self._pending is not None:
            self.brk = self._moved_or_changed(self._pending, e)
            return self.brk
        if e.incident != self.incident:
            self.brk = ChainBreak(e.seq, "inserted", f"event {e.seq} belongs to incident {e.incident!r}")
        elif e.seq > self._expected:
            missing = f"event {self._expected}" if e.seq == self._expected + 1 else \
                f"events {self._expected}–{e.seq - 1}"
            self.brk = ChainBreak(self._expected, "deleted", f"{missing} missing before event {e.seq}")
        elif e.seq < self._expected:
            self.brk = ChainBreak(e.seq, "reordered", f"event {e.seq} is stored after event {self._expected - 1}")
        elif not event_hash_ok(e):
            self._pending = e  # classified when the next event (or the end) is known
        elif e.prev_hash != self.last_hash:
            if e.prev_hash in self._seen:
                self.brk = ChainBreak(e.seq, "reordered", f"event {e.seq} chains to event "
                                      f"{self._seen[e.prev_hash]}, not to event {e.seq - 1}")
            else:
                self.brk = ChainBreak(e.seq - 1, "inserted", f"event {e.seq - 1} was inserted or re-hashed: "
                                      f"event {e.seq} does not chain to it")
        elif self._prev_t is not None and e.t_us < self._prev_t:
            self.brk = ChainBreak(e.seq, "reordered", f"event {e.seq} is earlier than event {e.seq - 1}")
        else:
            self._seen[e.hash] = e.seq
            if len(self._seen) > 4096:
                self._seen.pop(next(iter(self._seen)))
            self._expected, self.last_hash, self._prev_t = e.seq + 1, e.hash, e.t_us
            self.count += 1
        return self.brk

    def _moved_or_changed(self, e: Event, nxt: Event | None) -> ChainBreak:
        if _hash_as(e, e.seq + 1):
            if nxt is not None and _hash_as(nxt, nxt.seq - 1):
                return ChainBreak(e.seq, "reordered", f"events {e.seq} and {e.seq + 1} were swapped")
            return ChainBreak(e.seq, "deleted", f"event {e.seq} was deleted and later events renumbered")
        if _hash_as(e, e.seq - 1):
            return ChainBreak(e.seq - 1, "inserted", f"event {e.seq - 1} was inserted (later events renumbered)")
        if nxt is not None and _hash_as(nxt, nxt.seq - 1):
            return ChainBreak(e.seq, "inserted", f"event {e.seq} was inserted (later events renumbered)")
        return ChainBreak(e.seq, "changed", f"event {e.seq} ({e.type}) was changed: its content does not match "
                          "its hash")

    def finish(self, head: tuple[int, str] | None = None) -> ChainBreak | None:
        """The first break after the last event: a pending changed event, or (given the ``(seq, hash)``
        the store recorded as the head) events missing at the end."""
        if self.brk is None and self._pending is not None:
            self.brk = self._moved_or_changed(self._pending, None)
            self._pending = None
        if self.brk is None and head is not None:
            head_seq, head_hash = head
            count = self.count
            if head_seq > count:
                self.brk = ChainBreak(count + 1, "deleted", f"events {count + 1}–{head_seq} missing at the end "
                                      f"(the incident records {head_seq} events)")
            elif head_seq == count and count and head_hash != self.last_hash:
                self.brk = ChainBreak(count, "changed", f"event {count} is not the last event the incident "
                                      "recorded")
        return self.brk


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
    v = ChainVerifier(incident)
    for e in events:
        if v.feed(e) is not None:
            break
    return v.count, v.finish(head)
