"""The log exactly as stored, for verification: rows read without trusting them.

SQLite stores whatever a tool writes into a column — text that is not UTF-8, a number where text belongs,
text where an integer belongs. The normal readers would stop with a driver error; these read every text
column as bytes, decode strictly, check each value's type, and say which event is unreadable and why,
so ``audit verify`` can name it instead of failing. The payload is kept as its stored text
(:attr:`Event.payload_text`), so the hash is computed over exactly the stored characters.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, cast, select
from sqlalchemy.types import LargeBinary

from commandcenter.store.chain import Event
from commandcenter.store.schema import events, incidents
from vocabulary.events import UTC, from_us

CHUNK = 20_000


class UnreadableRow(ValueError):
    """A stored row that cannot be read as an event or incident; ``seq`` is the event's number (0 for the
    incident row)."""

    def __init__(self, seq: int, message: str):
        super().__init__(message)
        self.seq = seq


@dataclass(frozen=True)
class StoredIncident:
    """An incident row as stored (values unchecked against event 1)."""

    id: str
    title: str
    exercise: Any
    tz: str
    plant: str | None
    head_seq: int
    head_hash: str


def _raw(engine: Engine, column):
    """``column`` as bytes on SQLite (where a column may hold anything); as text elsewhere (PostgreSQL
    guarantees valid UTF-8 text)."""
    return cast(column, LargeBinary) if engine.dialect.name == "sqlite" else column


def _decode(value: Any, what: str, seq: int, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableRow(seq, f"its {what} is not UTF-8 text (byte {exc.start + 1})") from None
    raise UnreadableRow(seq, f"its {what} is {type(value).__name__}, not text")


def _int(value: Any, what: str, seq: int) -> int:
    if type(value) is not int:
        raise UnreadableRow(seq, f"its {what} is {value!r}, not an integer")
    return value


def incident_ids(engine: Engine) -> list[str]:
    """Every incident id in the database (ids that are not UTF-8 are shown with replacement characters)."""
    with engine.connect() as conn:
        rows = conn.execute(select(_raw(engine, incidents.c.id))).all()
    out = []
    for (raw,) in rows:
        out.append(bytes(raw).decode("utf-8", errors="replace") if isinstance(raw, (bytes, memoryview)) else str(raw))
    return sorted(out)


def stored_incident(engine: Engine, incident_id: str) -> StoredIncident | None:
    """The incident row of ``incident_id`` as stored (None when there is none); :class:`UnreadableRow`
    (seq 0) when a column cannot be read."""
    c = incidents.c
    with engine.connect() as conn:
        row = conn.execute(select(_raw(engine, c.title), c.exercise, _raw(engine, c.tz), _raw(engine, c.plant),
                                  c.head_seq, _raw(engine, c.head_hash)).where(c.id == incident_id)).first()
    if row is None:
        return None
    title, exercise, tz, plant, head_seq, head_hash = row
    return StoredIncident(incident_id, _decode(title, "title", 0), exercise, _decode(tz, "time zone", 0),
                          _decode(plant, "plant", 0, nullable=True), _int(head_seq, "head_seq", 0),
                          _decode(head_hash, "head_hash", 0))


def stored_events(engine: Engine, incident_id: str) -> Iterator[Event]:
    """The incident's events in stored order (by seq), each carrying its payload's stored text; raises
    :class:`UnreadableRow` at the first row that cannot be read. Times are shown in UTC (verification
    hashes the stored integer microseconds, not a displayed time)."""
    e = events.c
    cols = (e.seq, e.v, e.t_us, _raw(engine, e.type), _raw(engine, e.payload), _raw(engine, e.prev_hash),
            _raw(engine, e.hash))
    last = None
    while True:
        q = select(*cols).where(e.incident_id == incident_id)
        if last is not None:
            q = q.where(e.seq > last)
        with engine.connect() as conn:
            chunk = conn.execute(q.order_by(e.seq).limit(CHUNK)).all()
        for seq, v, t_us, etype, payload, prev, h in chunk:
            where = _int(seq, "seq", last + 1 if isinstance(last, int) else 1)
            text = _decode(payload, "payload", where)
            try:
                obj = json.loads(text)
            except (ValueError, RecursionError):
                raise UnreadableRow(where, "its payload is not JSON") from None
            if not isinstance(obj, dict):
                raise UnreadableRow(where, "its payload is not a JSON object")
            try:
                time = from_us(_int(t_us, "time", where), UTC)
            except OverflowError:
                raise UnreadableRow(where, f"its time {t_us} µs is out of range") from None
            yield Event(incident_id, where, time, _decode(etype, "type", where), obj,
                        _decode(prev, "prev_hash", where), _decode(h, "hash", where), _int(v, "version", where),
                        payload_text=text)
            last = where
        if len(chunk) < CHUNK:
            return
