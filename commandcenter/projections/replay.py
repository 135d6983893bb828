"""Snapshots and ``state_at(t)``: seek to any moment of an incident fast.

Every ``every`` events the full projection state is stored (zlib-compressed JSON) in the ``snapshots``
table. ``state_at(t)`` loads the last snapshot at or before t and folds the few events after it (at most
``every``), since times never decrease along seq. Snapshots are derived data: deleting them only costs
time, and they are never part of the hash chain.

A seek's cost is decoding the snapshot (a 2,000-person drill's state is ~1.4 MB of JSON) plus decoding and
folding the events after it. Four things keep it well under 200 ms (``bench/replay.py``):

* decoded snapshots are kept in memory (the last ``cache`` of them) as :mod:`pickle` bytes made by this
  object (never read from the database), which give a fresh, mutable copy several times faster than parsing
  the JSON again (measured 13 ms against 71 ms for a 2,000-person state) — a scrub revisits the same few;
* the events after a snapshot are read with one driver-level query and decoded with one ``json.loads`` of
  their payloads joined into one JSON array, not one call per event (:meth:`Replay.records`);
* the cyclic garbage collector waits while a state is decoded and folded (it would otherwise traverse the
  whole application several times per seek);
* :meth:`Replay.seek` (the replay cursor) folds forward from where it stands when the target is at most
  ``2 · every`` events ahead — playing, stepping forward and dragging right rarely reload a snapshot.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import pickle
import zlib
from collections import OrderedDict
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from commandcenter.projections import PROJECTION_VERSION, State, empty_state, fold
from commandcenter.store.eventstore import EventStore, Rec, driver_mark
from commandcenter.store.schema import events, snapshots
from vocabulary.events import to_us

DEFAULT_EVERY = 2_500


@contextlib.contextmanager
def _no_gc_pause():
    """Defer the cyclic garbage collector while a state is decoded and folded: decoding allocates ~10^5
    objects, which triggers full collections that traverse everything the application holds (measured on a
    2,000-person state: worst seek 88 ms CPU instead of 183–220 ms). Reference counting still frees memory."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _pack(state: State) -> bytes:
    return zlib.compress(json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), 1)


def _unpack(data: bytes) -> State:
    return json.loads(zlib.decompress(data))


class Replay:
    """Projections of one incident at any time or seq, backed by stored snapshots."""

    def __init__(self, store: EventStore, incident_id: str, every: int = DEFAULT_EVERY, cache: int = 16):
        """``every``: events between snapshots (smaller: faster seeks, more storage); ``cache``: decoded
        snapshots kept in memory."""
        if every < 1:
            raise ValueError("every must be at least 1")
        self.store, self.incident_id, self.every = store, incident_id, every
        store.incident(incident_id)  # raises for an unknown incident
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cache_size = max(0, int(cache))
        self._seen: set[int] = set()
        self._cursor: State | None = None

    def _snapshot_where(self):
        return (snapshots.c.incident_id == self.incident_id, snapshots.c.proj_version == PROJECTION_VERSION)

    def last_snapshot_seq(self) -> int:
        """The seq of the newest stored snapshot (0 when none)."""
        with self.store.engine.connect() as conn:
            v = conn.execute(select(func.max(snapshots.c.seq)).where(*self._snapshot_where())).scalar_one()
        return int(v or 0)

    def ensure_snapshots(self) -> int:
        """Fold from the newest snapshot to the head, storing a snapshot every ``every`` events; returns
        how many were written. Idempotent; run it after a batch of appends or at start-up."""
        start = self.last_snapshot_seq()
        state = self._load_snapshot_seq(start) if start else empty_state()
        written, pending = 0, []
        for rec in self.store.rows(self.incident_id, after_seq=start):
            fold((rec,), state)
            if rec.seq % self.every == 0:
                pending.append({"incident_id": self.incident_id, "proj_version": PROJECTION_VERSION, "seq": rec.seq,
                                "t_us": rec.t_us, "data": _pack(state)})
                if len(pending) >= 10:
                    written += self._write(pending)
                    pending = []
        if pending:
            written += self._write(pending)
        return written

    def _write(self, rows: list[dict[str, Any]]) -> int:
        try:
            with self.store._write() as conn:
                conn.execute(insert(snapshots), rows)
        except IntegrityError:  # another process wrote them first: snapshots are deterministic, keep theirs
            return 0
        return len(rows)

    def drop_snapshots(self) -> None:
        """Delete this incident's snapshots (they are rebuilt by :meth:`ensure_snapshots`)."""
        with self.store._write() as conn:
            conn.execute(delete(snapshots).where(snapshots.c.incident_id == self.incident_id))

    def _load_snapshot_seq(self, seq: int) -> State:
        with self.store.engine.connect() as conn:
            data = conn.execute(select(snapshots.c.data).where(*self._snapshot_where(),
                                                               snapshots.c.seq == seq)).scalar_one()
        return _unpack(data)

    def _snapshot_state(self, seq: int, data: bytes) -> State:
        """A fresh copy of the snapshot after ``seq`` (from the in-memory cache when decoded before)."""
        packed = self._cache.get(seq)
        if packed is None:
            state = _unpack(data)
            if self._cache_size and seq in self._seen:  # cached from its second use: a one-off seek pays nothing
                self._cache[seq] = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            self._seen.add(seq)
            return state
        self._cache.move_to_end(seq)
        return pickle.loads(packed)

    def _base(self, *where: Any) -> tuple[State, int]:
        """The newest snapshot matching ``where`` (else the empty state) and its seq."""
        with self.store.engine.connect() as conn:
            row = conn.execute(select(snapshots.c.seq).where(*self._snapshot_where(), *where)
                               .order_by(snapshots.c.seq.desc()).limit(1)).first()
            if row is None:
                return empty_state(), 0
            if row.seq in self._cache:
                return self._snapshot_state(row.seq, b""), row.seq
            data = conn.execute(select(snapshots.c.data).where(*self._snapshot_where(),
                                                               snapshots.c.seq == row.seq)).scalar_one()
        return self._snapshot_state(row.seq, data), row.seq

    def records(self, after_seq: int, until_seq: int) -> list[Rec]:
        """The events ``after_seq < seq <= until_seq`` in seq order, read with one driver-level query (no
        SQLAlchemy row objects: ~2x faster on a few thousand rows) and their payloads decoded by one
        ``json.loads`` of them joined into a JSON array (not one call per event)."""
        if until_seq <= after_seq:
            return []
        with self.store.engine.connect() as conn:
            mark = driver_mark(conn.dialect)
            if mark is None:
                rows = conn.execute(select(events.c.seq, events.c.t_us, events.c.type, events.c.payload).where(
                    events.c.incident_id == self.incident_id, events.c.seq > after_seq, events.c.seq <= until_seq)
                    .order_by(events.c.seq)).all()
            else:
                rows = conn.exec_driver_sql(
                    f"SELECT seq, t_us, type, payload FROM events WHERE incident_id = {mark} AND seq > {mark} "
                    f"AND seq <= {mark} ORDER BY seq", (self.incident_id, int(after_seq), int(until_seq))).all()
        payloads = json.loads("[" + ",".join([r[3] for r in rows]) + "]")
        return [Rec(r[0], r[1], r[2], p) for r, p in zip(rows, payloads, strict=True)]

    def state_at(self, t: dt.datetime | int) -> State:
        """The projections as they stood at time ``t`` (an aware datetime or µs since the epoch): every
        event with time ``<= t`` folded. A new state the caller may keep and change."""
        t_us = t if isinstance(t, int) else to_us(t)
        return self.state_at_seq(self.store.seq_at(self.incident_id, t_us))

    def state_at_seq(self, seq: int) -> State:
        """The projections after event ``seq`` (a new state the caller may keep and change)."""
        with _no_gc_pause():
            state, after = self._base(snapshots.c.seq <= seq)
            return fold(self.records(after, seq), state)

    def seek(self, t: dt.datetime | int) -> State:
        """The replay cursor: the projections at time ``t``, folded forward from the cursor's last position
        when ``t`` is ahead by at most ``2 · every`` events (folding costs ~20 µs an event against ~100 ms to
        load a snapshot), else from the nearest snapshot. The state returned is the cursor's own: read it, do
        not change it (the next seek folds it further)."""
        t_us = t if isinstance(t, int) else to_us(t)
        return self.seek_seq(self.store.seq_at(self.incident_id, t_us))

    def seek_seq(self, seq: int) -> State:
        """:meth:`seek` to the state after event ``seq`` (step to the next or previous event)."""
        cur = self._cursor
        if cur is not None and cur["seq"] <= seq <= cur["seq"] + 2 * self.every:
            if seq > cur["seq"]:
                with _no_gc_pause():
                    fold(self.records(cur["seq"], seq), cur)
            return cur
        self._cursor = self.state_at_seq(seq)
        return self._cursor

    def current(self) -> State:
        """The projections after the newest event."""
        return self.state_at_seq(self.store.incident(self.incident_id).head_seq)


class Tracks:
    """Every position report of one incident as numpy arrays, read once: the trail of any person up to t
    and everyone's last position at t without touching the database again.

    Rows are sorted by (person, time); ``starts[p]:starts[p + 1]`` is person ``p``'s block, so a trail is a
    slice found by binary search (O(log n)) and everyone's position at t is one vectorised search over the
    combined key ``person · span + (t − t_min)`` (O(P log n)). A seek in a replay needs the selected
    person's trail; scanning the log for it in SQL costs a full pass over the JSON payloads per seek.
    """

    def __init__(self, ids: list[str], t_us: np.ndarray, person: np.ndarray, x: np.ndarray, y: np.ndarray):
        """``t_us`` (µs since the epoch), ``person`` (index into ``ids``), ``x``, ``y`` (m, plant CRS): one
        entry per report, in log order."""
        order = np.lexsort((np.arange(len(t_us)), t_us, person))
        self.ids = list(ids)
        self.index = {p: i for i, p in enumerate(self.ids)}
        self.t_us = np.asarray(t_us, dtype=np.int64)[order]
        self.person = np.asarray(person, dtype=np.int64)[order]
        self.x = np.asarray(x, dtype=float)[order]
        self.y = np.asarray(y, dtype=float)[order]
        self.starts = np.searchsorted(self.person, np.arange(len(self.ids) + 1))
        self.t_min = int(self.t_us.min()) if len(self.t_us) else 0
        self.span = (int(self.t_us.max()) - self.t_min + 1) if len(self.t_us) else 1
        self._key = self.person * self.span + (self.t_us - self.t_min)

    @classmethod
    def load(cls, store: EventStore, incident_id: str, *, until_seq: int | None = None) -> Tracks:
        """The position reports of ``incident_id`` (up to ``until_seq``), fields extracted by the database."""
        return cls.from_rows(_position_rows(store, incident_id, until_seq))

    @classmethod
    def from_rows(cls, rows: Any) -> Tracks:
        """From ``(t_us, person_id, x, y)`` tuples in log order (reports with a non-finite coordinate are
        skipped)."""
        ids: dict[str, int] = {}
        t, p, xs, ys = [], [], [], []
        for t_us, pid, x, y in rows:
            if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
                continue
            k = ids.get(pid)
            if k is None:
                k = ids[pid] = len(ids)
            t.append(t_us)
            p.append(k)
            xs.append(x)
            ys.append(y)
        x_arr, y_arr = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        ok = np.isfinite(x_arr) & np.isfinite(y_arr)
        return cls(list(ids), np.asarray(t, dtype=np.int64)[ok], np.asarray(p, dtype=np.int64)[ok], x_arr[ok],
                   y_arr[ok])

    def __len__(self) -> int:
        return len(self.t_us)

    def trail(self, person_id: str, until_t_us: int, since_t_us: int | None = None) -> np.ndarray:
        """Person ``person_id``'s reports with ``since_t_us <= t <= until_t_us`` as an ``(n, 3)`` array of
        ``[t_us, x, y]`` rows in time order (empty for an unknown person)."""
        k = self.index.get(person_id)
        if k is None:
            return np.empty((0, 3))
        a, b = int(self.starts[k]), int(self.starts[k + 1])
        block = self.t_us[a:b]
        hi = a + int(np.searchsorted(block, until_t_us, side="right"))
        lo = a if since_t_us is None else a + int(np.searchsorted(block, since_t_us, side="left"))
        return np.column_stack((self.t_us[lo:hi].astype(float), self.x[lo:hi], self.y[lo:hi]))

    def at(self, t_us: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Everyone's last reported position at ``t_us``: ``(x, y, t_us of the report)`` per person in
        ``ids`` order; NaN (and -1) for a person with no report yet."""
        n = len(self.ids)
        q = np.arange(n, dtype=np.int64) * self.span + min(max(t_us - self.t_min, -1), self.span - 1)
        idx = np.searchsorted(self._key, q, side="right") - 1
        ok = idx >= self.starts[:n]
        safe = np.where(ok, idx, 0)
        if not len(self.t_us):
            return np.full(n, np.nan), np.full(n, np.nan), np.full(n, -1, dtype=np.int64)
        return (np.where(ok, self.x[safe], np.nan), np.where(ok, self.y[safe], np.nan),
                np.where(ok, self.t_us[safe], -1))


def _position_rows(store: EventStore, incident_id: str, until_seq: int | None) -> Any:
    """``(t_us, person_id, x, y)`` of every ``position.reported``, the JSON fields read by the database."""
    if store.dialect == "sqlite":
        fields = "json_extract(payload, '$.person_id'), json_extract(payload, '$.x'), json_extract(payload, '$.y')"
        mark = "?"
    elif store.dialect == "postgresql":
        fields = ("payload::json->>'person_id', (payload::json->>'x')::float8, "
                  "(payload::json->>'y')::float8")
        mark = "%s"
    else:
        return ((r.t_us, r.payload.get("person_id"), r.payload.get("x"), r.payload.get("y"))
                for r in store.rows(incident_id, until_seq=until_seq) if r.type == "position.reported")
    sql = (f"SELECT t_us, {fields} FROM events WHERE incident_id = {mark} AND type = 'position.reported'"
           + (f" AND seq <= {mark}" if until_seq is not None else "") + " ORDER BY seq")
    args = (incident_id,) if until_seq is None else (incident_id, int(until_seq))
    with store.engine.connect() as conn:
        return conn.exec_driver_sql(sql, args).all()
