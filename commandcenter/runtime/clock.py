"""The incident's clock: one small protocol, three kinds — live, drill and replay differ only here.

* :class:`WallClock` — a live incident: the real time (UTC, shown in the plant's zone by the views);
* :class:`SimClock` — a simulated drill: ``start`` plus SimPy's ``env.now`` seconds;
* :class:`DrillClock` — a live drill played ``speed`` times faster than the wall clock;
* :class:`ManualClock` — a scripted incident or a test: the caller moves it;
* :class:`ReplayCursor` — a replay: the time the trainer has scrubbed to (read-only runtimes).

:func:`clock_for` picks the clock of a process that opens a recorded incident without being given one: a
running live drill's, rebuilt from its ``drill.scenario`` (:meth:`DrillClock.resumed`), else none (the wall clock).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from vocabulary.events import parse_time

UTC = dt.UTC
log = logging.getLogger(__name__)


@runtime_checkable
class Clock(Protocol):
    """Anything with ``now()`` returning a timezone-aware datetime that never goes backwards."""

    def now(self) -> dt.datetime:
        """The current time on this clock (timezone-aware)."""
        ...


class WallClock:
    """The real time, in UTC. ``live`` tells the runtime that several threads may stamp drafts, so a
    draft a few milliseconds behind the log's last event is moved up to it rather than refused."""

    live = True

    def now(self) -> dt.datetime:
        """The current UTC time."""
        return dt.datetime.now(UTC)


def _aware(t: dt.datetime, what: str) -> dt.datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"{what} {t.isoformat()} is not timezone-aware")
    return t


class SimClock:
    """SimPy's clock: ``start`` plus ``env.now`` seconds (``env`` is a ``simpy.Environment``)."""

    live = False

    def __init__(self, env: Any, start: dt.datetime):
        self.env = env
        self.start = _aware(start, "start")

    def now(self) -> dt.datetime:
        """``start + env.now`` seconds."""
        return self.start + dt.timedelta(seconds=float(self.env.now))


class DrillClock:
    """A live drill's clock: it stands at ``start`` while the drill is set up, and from :meth:`begin` reads
    ``start + elapsed wall seconds × speed`` (elapsed on the monotonic clock, so it never goes back).

    The network stays on the wall clock (retries, heartbeats, a device's ``expires``); :meth:`at_wall` and
    :meth:`wall_at` map a wall time (Unix seconds, what the field server stamps) onto this clock and back,
    one linear map anchored at :meth:`begin`. ``live``: the drill and the field service stamp drafts from
    two threads."""

    live = True

    def __init__(self, start: dt.datetime, speed: float):
        if not (isinstance(speed, (int, float)) and 0 < speed <= 1e6):
            raise ValueError(f"a drill clock's speed must be in (0, 1e6], got {speed!r}")
        self.start = _aware(start, "start")
        self.speed = float(speed)
        self._mono0: float | None = None
        self._unix0: float | None = None
        self._lock = threading.Lock()

    @classmethod
    def resumed(cls, start: dt.datetime, speed: float, wall_origin: dt.datetime) -> DrillClock:
        """The clock of a live drill that another process began at wall time ``wall_origin`` (its
        ``drill.scenario`` ``live.wall_origin``): already running, it reads ``start + (wall now − wall_origin) ×
        speed`` and from here on advances on this process's monotonic clock, so it never goes back even if the
        wall clock is stepped. Both processes' wall clocks must agree (NTP); an origin still ahead reads
        ``start`` until the wall clock reaches it. :meth:`at_wall` and :meth:`wall_at` use the same anchor."""
        clock = cls(start, speed)
        unix0 = _aware(wall_origin, "wall_origin").timestamp()
        with clock._lock:
            mono, unix = time.monotonic(), time.time()
            clock._mono0, clock._unix0 = mono - (unix - unix0), unix0
        return clock

    @property
    def running(self) -> bool:
        """True once :meth:`begin` was called."""
        return self._mono0 is not None

    def begin(self) -> dt.datetime:
        """Start the clock running (once; a second call changes nothing) and return the time, ``start``."""
        with self._lock:
            if self._mono0 is None:
                self._mono0, self._unix0 = time.monotonic(), time.time()
        return self.now()

    def now(self) -> dt.datetime:
        """``start`` before :meth:`begin`; then ``start + (monotonic − monotonic at begin) × speed``."""
        if self._mono0 is None:
            return self.start
        return self.start + dt.timedelta(seconds=max(0.0, time.monotonic() - self._mono0) * self.speed)

    def at_wall(self, unix_s: float) -> dt.datetime:
        """The drill time of wall time ``unix_s`` (Unix seconds); ``start`` for any wall time before
        :meth:`begin` (the set-up is drill second 0)."""
        if self._unix0 is None:
            return self.start
        return self.start + dt.timedelta(seconds=max(0.0, float(unix_s) - self._unix0) * self.speed)

    def wall_at(self, t: dt.datetime) -> float:
        """The wall time (Unix seconds) at which this clock reads ``t`` (the inverse of :meth:`at_wall`; before
        :meth:`begin`, as if it began now)."""
        unix0 = self._unix0 if self._unix0 is not None else time.time()
        return unix0 + (_aware(t, "time") - self.start).total_seconds() / self.speed


def clock_for(state: Mapping[str, Any]) -> Clock | None:
    """The clock for a runtime opened without one, from its folded ``state``: the resumed :class:`DrillClock`
    of a live drill still running (the incident projection's ``drill_clock``, recorded from a ``drill.scenario``
    with ``live.clock == "drill"``, and the incident not closed), so a window, a restarted field server or a CLI
    command reads the drill's time rather than a wall time hours away from the log at 60×. None for any other
    incident, and for a closed drill (its log is complete: the wall clock, as before). A recorded clock that
    cannot be rebuilt (a field missing or out of range) is logged, naming the field, and None returned."""
    incident = state.get("incident") or {}
    rec = incident.get("drill_clock")
    if not rec or not incident.get("open"):
        return None
    try:
        return _resume(rec)
    except ValueError as exc:
        log.warning("drill.scenario %s; the live drill's clock cannot be rebuilt, the wall clock is used", exc)
        return None


def _resume(rec: Mapping[str, Any]) -> DrillClock:
    """The :class:`DrillClock` of a recorded ``drill_clock``; ValueError naming the ``live`` field at fault."""
    times = {}
    for key in ("played_at", "wall_origin"):
        try:
            times[key] = parse_time(rec.get(key))
        except ValueError as exc:
            raise ValueError(f"live.{key}: {exc}") from None
    try:
        return DrillClock.resumed(times["played_at"], rec.get("speed"), times["wall_origin"])
    except ValueError as exc:
        raise ValueError(f"live.speed: {exc}") from None


class ManualClock:
    """A clock the caller moves forward (scripts and tests)."""

    live = False

    def __init__(self, start: dt.datetime):
        self.start = _aware(start, "start")
        self._t = self.start

    def now(self) -> dt.datetime:
        """The time set last."""
        return self._t

    @property
    def elapsed_s(self) -> float:
        """Seconds since ``start``."""
        return (self._t - self.start).total_seconds()

    def advance_to(self, seconds: float) -> None:
        """Move to ``start + seconds``; a clock never goes back, so an earlier time is refused."""
        self.set(self.start + dt.timedelta(seconds=float(seconds)))

    def advance(self, seconds: float) -> None:
        """Move forward by ``seconds`` (≥ 0)."""
        if not seconds >= 0:
            raise ValueError(f"cannot move a clock by {seconds} s")
        self._t = self._t + dt.timedelta(seconds=float(seconds))

    def set(self, t: dt.datetime) -> None:
        """Move to ``t`` (not earlier than now)."""
        _aware(t, "time")
        if t < self._t:
            raise ValueError(f"the clock cannot go back from {self._t.isoformat()} to {t.isoformat()}")
        self._t = t


class ReplayCursor:
    """A replay's clock: the time a trainer scrubbed to. It may move both ways; a runtime on it is
    read-only."""

    live = False

    def __init__(self, t: dt.datetime):
        self._t = _aware(t, "cursor")

    def now(self) -> dt.datetime:
        """The cursor."""
        return self._t

    def seek(self, t: dt.datetime) -> None:
        """Move the cursor to ``t`` (either direction)."""
        self._t = _aware(t, "cursor")
