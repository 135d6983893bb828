"""Snapshots and ``state_at(t)``: seek to any moment of an incident fast.

Every ``every`` events the full projection state is stored (zlib-compressed JSON) in the ``snapshots``
table. ``state_at(t)`` loads the last snapshot at or before t and folds the few events after it (at most
``every``), since times never decrease along seq. Snapshots are derived data: deleting them only costs
time, and they are never part of the hash chain.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from commandcenter.projections import PROJECTION_VERSION, State, empty_state, fold
from commandcenter.store.eventstore import EventStore
from commandcenter.store.schema import snapshots
from vocabulary.events import to_us

DEFAULT_EVERY = 2_500


def _pack(state: State) -> bytes:
    return zlib.compress(json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), 1)


def _unpack(data: bytes) -> State:
    return json.loads(zlib.decompress(data))


class Replay:
    """Projections of one incident at any time or seq, backed by stored snapshots."""

    def __init__(self, store: EventStore, incident_id: str, every: int = DEFAULT_EVERY):
        """``every``: events between snapshots (smaller: faster seeks, more storage)."""
        if every < 1:
            raise ValueError("every must be at least 1")
        self.store, self.incident_id, self.every = store, incident_id, every
        store.incident(incident_id)  # raises for an unknown incident

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

    def state_at(self, t: dt.datetime | int) -> State:
        """The projections as they stood at time ``t`` (an aware datetime or µs since the epoch): every
        event with time ``<= t`` folded."""
        t_us = t if isinstance(t, int) else to_us(t)
        with self.store.engine.connect() as conn:
            row = conn.execute(select(snapshots.c.seq, snapshots.c.data).where(
                *self._snapshot_where(), snapshots.c.t_us <= t_us).order_by(snapshots.c.seq.desc()).limit(1)).first()
        state, after = (_unpack(row.data), row.seq) if row else (empty_state(), 0)
        return fold(self.store.rows(self.incident_id, after_seq=after, until_t_us=t_us), state)

    def state_at_seq(self, seq: int) -> State:
        """The projections after event ``seq``."""
        with self.store.engine.connect() as conn:
            row = conn.execute(select(snapshots.c.seq, snapshots.c.data).where(
                *self._snapshot_where(), snapshots.c.seq <= seq).order_by(snapshots.c.seq.desc()).limit(1)).first()
        state, after = (_unpack(row.data), row.seq) if row else (empty_state(), 0)
        return fold(self.store.rows(self.incident_id, after_seq=after, until_seq=seq), state)

    def current(self) -> State:
        """The projections after the newest event."""
        return self.state_at_seq(self.store.incident(self.incident_id).head_seq)
