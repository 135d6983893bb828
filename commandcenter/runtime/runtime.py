"""The incident runtime: the one object that owns an open incident, Qt-free.

It holds the store, the clock, the plans engine rebuilt from the log, the projections folded as events
arrive, and the subscribers told of each new event. Every producer — the window, the CLI, scripts,
field comms, the simulator — submits :class:`vocabulary.events.Draft` values to :meth:`IncidentRuntime.submit`;
nothing else appends. A submit is one transaction: the drafts, the deadlines that fell due before them
and everything the plans engine derives from them are committed together, then folded and announced.

Several writers of one log (two consoles, the field server and a console) never interleave blindly:
each append states the last event its writer knew (``expect_head``); when another writer got there
first, the runtime reads what it missed, feeds it to its engine and projections, and tries again.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from commandcenter.projections import fold
from commandcenter.runtime.clock import Clock, WallClock, clock_for
from commandcenter.runtime.plan_host import PlanHost
from commandcenter.store import EventStore, StoreError
from commandcenter.store.chain import Event
from commandcenter.store.eventstore import check_drafts
from vocabulary.events import Draft, EventError, from_us, to_us

log = logging.getLogger(__name__)
Subscriber = Callable[[list[Event]], None]


class ReadOnlyError(PermissionError):
    """A submit to a runtime opened read-only (a replay)."""


#: events after which a runtime opened without a clock looks at the log for its clock again (see clock_for)
_CLOCK_EVENTS = frozenset({"drill.scenario", "incident.closed"})


class IncidentRuntime:
    """One open incident. Build it with :meth:`create` or :meth:`open`."""

    def __init__(self, store: EventStore, incident_id: str, *, plant: Any = None,
                 plans_dir: str | Path | None = None, clock: Clock | None = None, read_only: bool = False,
                 engine: bool = True, fold_log: bool = True, plans_library: bool = False):
        """See :meth:`open`."""
        self.store = store
        self.incident_id = incident_id
        self.plant = plant
        self.clock: Clock = clock or WallClock()
        self.read_only = read_only
        info = store.incident(incident_id)
        self.tz = info.tzinfo
        self.title = info.title
        self._lock = threading.RLock()
        self._notify_lock = threading.Lock()
        self._subscribers: list[Subscriber] = []
        first = next(iter(store.events(incident_id, until_seq=1)), None)
        #: the incident.opened payload: title, exercise flag, plant path, plan library (hash-chained)
        self.opened: dict[str, Any] = dict(first.payload) if first is not None else {}
        #: from the verified first event, never from the incidents table's mutable column
        self.exercise = bool(self.opened.get("exercise", info.exercise))
        self._plans_dir = plans_dir if plans_dir is not None else self.opened.get("plans_dir")
        self._engine_dirty = False
        self._with_engine = engine and not read_only
        self._with_library = plans_library
        self._folds_log = fold_log
        self.plans = self._new_host()
        self.state: dict[str, Any] = fold(())
        self._seq = 0
        self._last_us: int | None = None
        self._clock_from_log = clock is None  # a running live drill opened by another process: the drill's clock
        if fold_log:
            self._catch_up()

    # ------------------------------------------------------------------ construction
    @classmethod
    def create(cls, store: EventStore, *, title: str, exercise: bool, plant: Any = None,
               plans_dir: str | Path | None = None, clock: Clock | None = None, incident_id: str | None = None,
               level: str | None = None, drill: dict[str, Any] | None = None, engine: bool = True,
               tz: str | None = None) -> IncidentRuntime:
        """Open a new incident (its ``incident.opened`` event) and return its runtime. ``incident_id``
        defaults to ``INC-<UTC time>-<4 hex>``; the time zone ``tz`` defaults to the plant's (else UTC).
        ``engine`` False records launches and level changes as written (no plans engine)."""
        clock = clock or WallClock()
        now = clock.now()
        iid = incident_id or f"INC-{now.astimezone(dt.UTC):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:4].upper()}"
        tz = tz or (getattr(plant, "timezone", None) if plant is not None else None)
        tz = tz if isinstance(tz, str) and tz else "UTC"
        extra: dict[str, Any] = {}
        source = getattr(plant, "source", None)
        if source is not None:
            extra["plant_path"] = str(Path(source).resolve())
        if plans_dir is not None:
            extra["plans_dir"] = str(Path(plans_dir).resolve())
        store.create_incident(iid, title, exercise=exercise, time=now, plant=getattr(plant, "name", None), tz=tz,
                              level=level, extra=extra)
        rt = cls(store, iid, plant=plant, plans_dir=plans_dir, clock=clock, engine=engine)
        if drill:
            rt.submit(Draft("drill.scenario", now, dict(drill)))
        return rt

    @classmethod
    def open(cls, store: EventStore, incident_id: str | None = None, *, plant: Any = None,
             plans_dir: str | Path | None = None, clock: Clock | None = None,
             read_only: bool = False, engine: bool = True, fold_log: bool = True,
             plans_library: bool = False) -> IncidentRuntime:
        """The runtime of a recorded incident (the newest when ``incident_id`` is None): the projections and
        the plans engine rebuilt from the log, so deadlines and escalations carry on.

        A replay opens it ``read_only`` with ``fold_log=False`` — its state is whatever :meth:`show_state` is
        given (the projections at a cursor), never the log's head, and :meth:`follow` reads nothing — and
        ``plans_library=True``: the plan library loaded (titles, levels, the calendar) but fed nothing (a
        library that no longer loads falls back to the plans as written)."""
        if incident_id is None:
            incidents = store.incidents()
            if not incidents:
                raise StoreError("the log holds no incident")
            incident_id = max(incidents, key=lambda i: (i.head_t_us or 0, i.id)).id
        return cls(store, incident_id, plant=plant, plans_dir=plans_dir, clock=clock, read_only=read_only,
                   engine=engine, fold_log=fold_log, plans_library=plans_library)

    # ------------------------------------------------------------------ reading
    @property
    def seq(self) -> int:
        """The number of the last event folded."""
        return self._seq

    def now(self) -> dt.datetime:
        """The time on the incident's clock (never earlier than the last recorded event)."""
        t = self.clock.now()
        if self._last_us is not None and to_us(t) < self._last_us and getattr(self.clock, "live", False):
            return self._last_time()
        return t

    def _last_time(self) -> dt.datetime:
        return from_us(self._last_us or 0)

    def local(self, t: dt.datetime) -> dt.datetime:
        """``t`` in the plant's time zone (what every view shows, with its offset)."""
        return t.astimezone(self.tz)

    @property
    def level(self) -> str | None:
        """The incident's current level (from the projections)."""
        return self.state["incident"]["level"]

    @property
    def closed(self) -> bool:
        """True once ``incident.closed`` is recorded."""
        return not self.state["incident"]["open"]

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        """Call ``fn(events)`` with every batch of new events, in log order; returns the unsubscribe call.
        ``fn`` runs on the thread that submitted (or followed): a Qt view re-posts to its own thread."""
        with self._notify_lock:
            self._subscribers.append(fn)

        def unsubscribe() -> None:
            with self._notify_lock:
                if fn in self._subscribers:
                    self._subscribers.remove(fn)
        return unsubscribe

    # ------------------------------------------------------------------ writing
    def submit(self, drafts: Draft | Iterable[Draft]) -> list[Event]:
        """Record ``drafts`` and everything they imply, in one transaction; return the new events.

        Each draft is validated (:class:`EventError` naming the field, nothing recorded); the deadlines
        that fell due before it, the draft itself and what the plans engine derives from it are recorded
        in time order. Subscribers are told after the commit."""
        batch = [drafts] if isinstance(drafts, Draft) else list(drafts)
        if self.read_only:
            raise ReadOnlyError(f"incident {self.incident_id} is open read-only (a replay)")
        for i, d in enumerate(batch):
            if not isinstance(d, Draft):
                raise EventError(f"expected a Draft, got {type(d).__name__}", f"draft {i + 1}")
        # the store's checks, once: before the engine sees a draft, and not again when the store appends it
        times = [t for _, _, t in check_drafts(batch)]
        checked = list(batch)
        new = self._append(lambda: self._expand(batch, times, checked), checked)
        self._announce(new)
        return new

    def record(self, event_type: str, payload: dict[str, Any], time: dt.datetime | None = None) -> Event:
        """Submit one draft at ``time`` (default: now); returns its event."""
        evs = self.submit(Draft(event_type, time or self.now(), payload))
        return next(e for e in reversed(evs) if e.type == event_type)

    def launch(self, plan_id: str, level: str, *, by: str | None = None, console: str | None = None,
               reason: str | None = None, alarm_id: str | None = None, assessment_id: str | None = None,
               origin: tuple[float, float] | None = None, context: dict[str, Any] | None = None) -> list[Event]:
        """Launch ``plan_id`` at ``level`` (once per incident): the launch, its tasks and notices."""
        payload: dict[str, Any] = {"plan_id": plan_id, "level": level}
        for k, v in (("by", by), ("console", console), ("reason", reason), ("alarm_id", alarm_id),
                     ("assessment_id", assessment_id), ("context", context)):
            if v is not None:
                payload[k] = v
        if origin is not None:
            payload["origin"] = {"x": float(origin[0]), "y": float(origin[1])}
        payload.setdefault("launch_key", f"{self.incident_id}:launch")
        return self.submit(Draft("plan.launched", self.now(), payload))

    def change_level(self, level: str, *, by: str | None = None, reason: str = "manual") -> list[Event]:
        """Raise the running plan to ``level`` (its tasks, commander and notices)."""
        payload: dict[str, Any] = {"to": level, "reason": reason}
        if by:
            payload["by"] = by
        return self.submit(Draft("level.changed", self.now(), payload))

    def tick(self) -> list[Event]:
        """Record the deadlines, escalations and trigger proposals due up to now (call it from a timer)."""
        if self.read_only or self.plans.engine is None:
            return []
        if self._engine_dirty:
            self._rebuild_engine()
        if self._idle_tick():
            return []

        def due() -> list[Draft]:
            self._engine_dirty = True
            return self.plans.advance(self.now())

        new = self._append(due)
        self._announce(new)
        return new

    def _idle_tick(self) -> bool:
        """When nothing falls due, move the engine's clock without a write transaction (a busy field feed
        would otherwise wait for, and hold, the log's write lock once a second for nothing) and say so. Only
        when this runtime has folded the whole log: another writer's events must reach the engine before its
        clock passes them."""
        now = self.now()
        if self.plans.due_by(now):
            return False
        with self._lock:
            if self.store.incident(self.incident_id).head_seq != self._seq:
                return True  # behind the log: follow() brings the engine up to date, the next tick moves it
            self._engine_dirty = True
            if self.plans.advance(now):  # due_by said nothing was due: rebuild and take the full path
                return False
            self._engine_dirty = False
        return True

    def follow(self, events: Sequence[Event] | None = None) -> list[Event]:
        """Fold (and announce) the events other writers appended since the last call. ``events``: those
        events already read from the log by a follower thread (:class:`commandcenter.store.follow.Follower`),
        so the caller's thread only folds: the ones already folded (this runtime's own appends catch up too)
        are skipped, and a gap before them is read from the log."""
        if not self._folds_log:
            return []
        with self._lock:
            new = self._catch_up() if events is None else self._take(events)
        if new:
            self._announce(new)
        return new

    def show_state(self, state: dict[str, Any]) -> None:
        """Make ``state`` (the projections after some event, e.g. a replay's at its cursor) this runtime's
        state; for a runtime opened with ``fold_log=False``."""
        if self._folds_log:
            raise ReadOnlyError("this runtime follows its log; its state is the log's")
        self.state = state
        self._seq = int(state.get("seq") or 0)
        self._last_us = state.get("t_us")

    def close(self) -> None:
        """Forget the subscribers (the store stays open; its owner closes it)."""
        with self._notify_lock:
            self._subscribers.clear()

    # ------------------------------------------------------------------ internals
    def _expand(self, batch: Sequence[Draft], times: Sequence[int], checked: list[Draft]) -> list[Draft]:
        """What to record for ``batch`` (drafts with their times in µs): the plans engine's expansion, with
        times that never go backwards. On a live clock a submitted draft earlier than what precedes it (two
        producers' clocks a few ms apart) is recorded at that earlier event's time; on a simulated or replay
        clock it is refused. A re-stamped draft joins ``checked`` (its payload was checked already)."""
        floor = self._last_us
        engine_now = self.plans.engine.now if self.plans.engine is not None else None
        start = max(floor or 0, to_us(engine_now) if engine_now is not None else 0)
        in_order = not times or (times[0] >= start and all(a <= b for a, b in itertools.pairwise(times)))
        if not in_order and not getattr(self.clock, "live", False):
            keep = floor
            for i, (d, t) in enumerate(zip(batch, times, strict=True)):
                if keep is not None and t < keep:
                    raise EventError(f"{d.time.isoformat()} is earlier than the incident's last event; "
                                     "times must not go backwards", f"draft {i + 1} ({d.type}): time")
                keep = t
        self._engine_dirty = True  # until the append commits
        out = self.plans.expand_many(batch)
        if in_order:  # each draft is at or after everything the engine derived before it
            return out
        mine = {id(d) for d in batch}
        for k, x in enumerate(out):
            t = to_us(x.time)
            if floor is not None and t < floor and id(x) in mine:
                x = out[k] = Draft(x.type, from_us(floor, x.time.tzinfo), x.payload)
                checked.append(x)
            elif floor is None or t > floor:
                floor = t
        return out

    def _catch_up(self) -> list[Event]:
        new = list(self.store.events(self.incident_id, after_seq=self._seq))
        if new:
            self.plans.absorb(new)
            self._fold(new)
        return new

    def _take(self, events: Sequence[Event]) -> list[Event]:
        new = [e for e in events if e.seq > self._seq and e.incident == self.incident_id]
        if not new:
            return []
        if new[0].seq != self._seq + 1 or new[-1].seq - new[0].seq + 1 != len(new):
            return self._catch_up()  # not the run that follows the last event folded: read it from the log
        self.plans.absorb(new)
        self._fold(new)
        return new

    def _fold(self, events: list[Event]) -> None:
        fold(events, self.state)
        self._seq = events[-1].seq
        self._last_us = events[-1].t_us
        if self._clock_from_log and any(e.type in _CLOCK_EVENTS for e in events):
            self.clock = clock_for(self.state) or WallClock()  # a live drill began (or closed) in the log

    def _announce(self, events: list[Event]) -> None:
        with self._notify_lock:
            subscribers = list(self._subscribers)
            for fn in subscribers:
                try:
                    fn(events)
                except Exception:  # a broken view must not lose the record or stop the others
                    log.exception("incident subscriber %r failed", fn)

    def _append(self, derive: Callable[[], list[Draft]], checked: Sequence[Draft] = ()) -> list[Event]:
        """Under the incident's lock: catch up with other writers, derive the drafts, append them (``checked``:
        drafts already through the store's checks)."""
        with self._lock:
            if self._engine_dirty:
                self._rebuild_engine()

            caught: list[Event] = []  # other writers' events folded here: subscribers are told of them too

            def build(head_seq: int) -> list[Draft]:
                if head_seq != self._seq:
                    caught.extend(self._catch_up())
                return derive()

            try:
                new = self.store.append_built(self.incident_id, build, checked=checked)
            except BaseException:
                if self._engine_dirty:  # the engine took in drafts that were not recorded
                    self._rebuild_engine()
                raise
            self._engine_dirty = False
            new = [e for e in new if e.seq > self._seq]  # a repeated launch key returns the first launch
            if new:
                self._fold(new)
        if caught:
            self._announce(caught)
        return new

    def _new_host(self) -> PlanHost:
        if self._with_engine:
            return PlanHost(self.plant, self._plans_dir, self.incident_id)
        if self._with_library:  # fed nothing; a library that no longer loads: the plans as written
            try:
                return PlanHost(self.plant, self._plans_dir, self.incident_id)
            except (OSError, ValueError):
                pass
        return PlanHost(None, None, self.incident_id, as_written=True)

    def _rebuild_engine(self) -> None:
        """A fresh plans engine fed with the whole log (after an append that failed half-way)."""
        self.plans = self._new_host()
        self.plans.absorb(self.store.events(self.incident_id, until_seq=self._seq))
        self._engine_dirty = False
