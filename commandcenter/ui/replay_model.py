"""The cursor of a replay, Qt-free: the projections of a recorded incident at any time, the markers of its
timeline, everyone's trail, and the read-only runtime the panels read.

Seeking uses the cursor of :class:`commandcenter.projections.replay.Replay` (stored snapshots every
``every`` events, decoded ones cached): a jump loads the nearest snapshot at or before the target and folds
the few events after it; a small step forward — playback, the next event — folds only the events since
the cursor onto the state it holds, and hands those events to the views (they update as they do live).
The markers are read once (one SQL pass over the non-routine events, without their payloads) and kept
as numpy arrays so the timeline draws 10,000 of them and steps by binary search.
Trails come from :class:`commandcenter.projections.replay.Tracks` (every position report as arrays).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from commandcenter.projections import State, fold
from commandcenter.projections.replay import DEFAULT_EVERY, Replay, Tracks
from commandcenter.runtime import IncidentRuntime, ReplayCursor
from commandcenter.store import EventStore
from vocabulary.events import from_us

#: timeline lanes, top to bottom: name and the event types (or type prefixes ending in ".") they hold
LANES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("alarms", ("sensor.alarm", "alarm.", "person.sos")),
    ("plan", ("incident.opened", "plan.proposed", "plan.launched", "level.changed", "incident.closed")),
    ("hazard", ("hazard.assessed", "evacuation.planned", "weather.observed")),
    ("commands", ("command.", "notification.sent")),
    ("checkins", ("person.mustered", "person.added", "person.badged")),
    ("tasks", ("task.",)),
    ("resources", ("resource.",)),
)
#: events that are not markers (routine; they move people and readings, not the story)
ROUTINE = ("position.reported", "sensor.reading", "device.online", "device.offline", "device.heartbeat")
#: markers drawn as bad news (red) in any lane
BAD = frozenset({"task.overdue", "task.escalated", "command.failed", "command.expired", "person.sos",
                 "task.unassignable", "alarm.raised", "alarm.confirmed", "sensor.alarm"})


def lane_of(event_type: str) -> int:
    """The lane index of an event type (-1 for none: such events are not markers)."""
    for i, (_name, types) in enumerate(LANES):
        for t in types:
            if event_type == t or (t.endswith(".") and event_type.startswith(t)):
                return i
    return -1


@dataclass
class Markers:
    """The markers of one incident: seq, time (µs), lane and type of every non-routine event, in log order."""

    seq: np.ndarray
    t_us: np.ndarray
    lane: np.ndarray
    types: list[str]

    def __len__(self) -> int:
        return len(self.seq)


def load_markers(store: EventStore, incident_id: str) -> Markers:
    """Every non-routine event of ``incident_id`` as a marker (seq, time, lane, type), one SQL pass that
    reads no payload."""
    from sqlalchemy import select

    from commandcenter.store.schema import events

    q = (select(events.c.seq, events.c.t_us, events.c.type)
         .where(events.c.incident_id == incident_id, events.c.type.notin_(ROUTINE)).order_by(events.c.seq))
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    types = [str(r[2]) for r in rows]
    return Markers(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
                   np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)),
                   np.array([lane_of(t) for t in types], dtype=np.int64), types)


class ReplayRuntime(IncidentRuntime):
    """What the panels read of a runtime, for a recorded incident at the cursor: the runtime itself, opened
    read-only on a :class:`commandcenter.runtime.ReplayCursor` (every submit raises
    :class:`commandcenter.runtime.ReadOnlyError`, nothing falls due, nothing is followed), whose ``state`` is
    the projections at the cursor (:meth:`show`) instead of the whole log folded. The plans host knows the
    plan library (titles, levels, the calendar) but is fed nothing."""

    def __init__(self, store: EventStore, incident_id: str, plant: Any = None):
        first = next(iter(store.events(incident_id, until_seq=1)), None)
        cursor = ReplayCursor(first.time if first is not None else dt.datetime.now(dt.UTC))
        super().__init__(store, incident_id, plant=plant, clock=cursor, read_only=True, fold_log=False,
                         plans_library=True)

    def show(self, state: State) -> None:
        """Make ``state`` (the projections after some event) the runtime's state at the cursor."""
        self.show_state(state)


class ReplayModel:
    """The projections of one recorded incident at a movable cursor (see the module docstring)."""

    def __init__(self, store: EventStore, incident_id: str, *, plant: Any = None, every: int = DEFAULT_EVERY):
        self.store = store
        self.incident_id = incident_id
        self.replay = Replay(store, incident_id, every)
        self.runtime = ReplayRuntime(store, incident_id, plant)
        self.markers: Markers | None = None
        self.tracks: Tracks | None = None
        self.t0_us = 0
        self.t1_us = 0
        self.head_seq = 0
        self.snapshots_written = 0
        self.snapshot_problem: str | None = None
        self.verified: Any = None

    def prepare(self, progress: Callable[[float, str], None] | None = None, cancel: Any = None) -> ReplayModel:
        """Read what seeking needs (in a worker): the snapshots (written once per log and projection version;
        a log that cannot be written to is replayed without them, slower), the markers and the tracks.
        ``progress(fraction, step)`` after each step; ``cancel.check()`` between them."""
        def step(frac: float, name: str) -> None:
            if cancel is not None:
                cancel.check()
            if progress is not None:
                progress(frac, name)

        from commandcenter.store.audit import verify_incident

        info = self.store.incident(self.incident_id)
        self.head_seq = int(info.head_seq)
        step(0.0, "verify")
        self.verified = verify_incident(self.store, self.incident_id)
        step(0.2, "snapshots")
        try:
            self.snapshots_written = self.replay.ensure_snapshots()
        except Exception as exc:  # a read-only file or a busy database: seek without snapshots
            self.snapshot_problem = f"{type(exc).__name__}: {exc}"
        step(0.7, "markers")
        self.markers = load_markers(self.store, self.incident_id)
        step(0.8, "tracks")
        self.tracks = Tracks.load(self.store, self.incident_id)
        first = next(iter(self.store.rows(self.incident_id, until_seq=1)), None)
        self.t0_us = int(first.t_us) if first is not None else 0
        self.t1_us = int(info.head_t_us or self.t0_us)
        step(1.0, "ready")
        self.seek(self.t0_us)
        return self

    # ------------------------------------------------------------------ the cursor
    @property
    def state(self) -> State:
        """The projections at the cursor."""
        return self.runtime.state

    @property
    def cursor_us(self) -> int:
        """The cursor, µs since the epoch."""
        from vocabulary.events import to_us

        return to_us(self.runtime.now())

    @property
    def seq(self) -> int:
        """The last event at or before the cursor."""
        return self.runtime.seq

    def seek(self, t_us: int) -> list | None:
        """Move the cursor to ``t_us`` (clamped to the incident). Returns the records folded when the state
        moved forward by at most ``every`` events (an incremental step), else None (a jump: the state was
        replaced)."""
        t_us = int(min(max(t_us, self.t0_us), self.t1_us))
        target = self.store.seq_at(self.incident_id, t_us)
        return self._go(target, t_us)

    def seek_seq(self, seq: int) -> list | None:
        """Move the cursor to just after event ``seq`` (its time); see :meth:`seek`."""
        seq = int(min(max(seq, 1), self.head_seq or seq))
        rec = next(iter(self.store.rows(self.incident_id, after_seq=seq - 1, until_seq=seq)), None)
        t_us = int(rec.t_us) if rec is not None else self.t0_us
        return self._go(seq, t_us)

    def _go(self, target: int, t_us: int) -> list | None:
        cur = self.seq
        self.runtime.clock.seek(from_us(t_us, self.runtime.tz))
        if target == cur:
            return []
        if cur < target <= cur + self.replay.every:
            rows = self.replay.records(cur, target)
            self.runtime.show(fold(rows, self.runtime.state))  # the Replay cursor's own state: in step with us
            return rows
        self.runtime.show(self.replay.seek_seq(target) if target > 0 else fold(()))
        return None

    def step(self, direction: int) -> list | None:
        """Move to the next (``+1``) or previous (``-1``) moment with a marked event — everything recorded at
        that moment folded, as a seek there shows it; returns as :meth:`seek` (``[]`` at an end)."""
        m = self.markers
        if m is None or not len(m):
            return []
        now = self.cursor_us
        if direction > 0:
            i = int(np.searchsorted(m.t_us, now, side="right"))
            return [] if i >= len(m) else self.seek(int(m.t_us[i]))
        i = int(np.searchsorted(m.t_us, now, side="left")) - 1
        return self.seek(int(m.t_us[i]) if i >= 0 else self.t0_us)

    def trail(self, person_id: str, since_us: int | None = None) -> np.ndarray:
        """``[t_us, x, y]`` rows of ``person_id``'s reports up to the cursor."""
        if self.tracks is None:
            return np.empty((0, 3))
        return self.tracks.trail(person_id, self.cursor_us, since_us)
