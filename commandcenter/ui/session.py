"""The window's link to the incident runtime: which log and incident are open, and the events arriving.

The window holds no incident state of its own: :class:`IncidentSession` owns the open
:class:`commandcenter.runtime.IncidentRuntime`, re-posts every batch of new events to the UI thread as
:attr:`IncidentSession.changed` (the runtime may be fed from the network thread or a worker), ticks the
runtime once a second (deadlines, escalations) and follows the log for other writers (a second console,
the field server). Panels read ``session.state`` — the folded projections — and redraw.

Following other writers (a second console, the field server's thousands of positions a second): a
:class:`LogListener` thread reads what they append (:class:`commandcenter.store.follow.Follower`: on
PostgreSQL it waits on ``LISTEN cc_events``, on SQLite it polls every :data:`FOLLOW_POLL_S`) and posts the
decoded events to the UI thread, which only folds them (:meth:`IncidentRuntime.follow` with the events): the
listener never touches the runtime, and reading and decoding the log — most of the cost of a busy feed — is
off the UI thread. The listener reads the next batch only once the UI thread has taken the last one, so a
slow UI thread gets fewer, larger batches instead of a growing queue. Should the listener fail, the heartbeat
reads the log itself.

Without ``--db`` the window opens the default log, ``incidents.db`` in the user's data directory
(:func:`default_log_path`), and resumes its newest open incident on the plant shown.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from commandcenter.runtime import IncidentRuntime
from commandcenter.services.alarm_grading import AlarmGrader
from commandcenter.services.people import PeopleModel
from commandcenter.store import EventStore, StoreError
from commandcenter.ui import heap
from vocabulary.events import Draft

APP_NAME = "plant-commandcenter"
TICK_MS = 1000
#: how long the listener waits for a notification before it checks whether it should stop (s)
LISTEN_WAIT_S = 0.25
#: how often the listener looks for other writers' events on SQLite, which cannot notify (s)
FOLLOW_POLL_S = 0.1
#: the most events the UI thread folds in one go: a larger batch is handed over in slices, so the map's frames
#: and the views' timers run between them (a field server commits ~1,000 positions at a time)
FOLD_SLICE = 250
#: the pause between two slices of one batch (s): the UI thread's event loop runs its timers and paints in it
SLICE_GAP_S = 0.02


def default_log_path() -> Path:
    """``<user data dir>/incidents.db``: on Linux ``~/.local/share/plant-commandcenter/incidents.db``
    (``$XDG_DATA_HOME`` respected); on Windows under ``%LOCALAPPDATA%``; on macOS under
    ``~/Library/Application Support``."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "incidents.db"


class IncidentSession(QObject):
    """The open incident log and incident of one window (none until :meth:`open_log`)."""

    #: a runtime was opened or closed (new incident, other log): redraw everything
    reset = Signal()
    #: new events (a list of sealed events, in log order), on the UI thread
    changed = Signal(object)
    #: an action was refused: a one-line reason to show
    refused = Signal(str)
    _posted = Signal(object)
    #: the listener read other writers' events (queued to the UI thread)
    _followed = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.store: EventStore | None = None
        self.db: str | None = None
        self.runtime: IncidentRuntime | None = None
        self.plant: Any = None
        self.people: PeopleModel | None = None
        self.verified: Any = None  # the chain check of the open incident (commandcenter.store.audit)
        self.grader: AlarmGrader | None = None
        self.console = "window"
        self._unsubscribe = None
        self._posted_seq = 0  # the last event handed to the UI thread (any thread writes it, under the lock)
        self._seen_seq = 0  # the last event announced as ``changed`` (UI thread)
        self._lock = threading.Lock()
        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._followed.connect(self._take, Qt.ConnectionType.QueuedConnection)
        self._batch: list | None = None  # the batch being announced as ``changed``, and its event types
        self._batch_types: frozenset[str] = frozenset()
        self.listener: LogListener | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.heartbeat)

    # ------------------------------------------------------------------ reading
    @property
    def state(self) -> dict[str, Any] | None:
        """The folded projections of the open incident (None without one)."""
        return self.runtime.state if self.runtime is not None else None

    @property
    def active(self) -> bool:
        """Whether an incident is open."""
        return self.runtime is not None

    # ------------------------------------------------------------------ logs and incidents
    def set_plant(self, plant: Any) -> None:
        """The plant of the window: incidents opened from now on run on it."""
        self.plant = plant
        self.people = PeopleModel(plant) if plant is not None else None
        self.grader = AlarmGrader(plant) if plant is not None else None

    def open_log(self, db: str | Path, incident_id: str | None = None, *, resume: bool = True) -> str | None:
        """Open the log ``db`` (created when missing) and, with ``incident_id`` or ``resume``, an incident in
        it: the given one, else the newest open incident on this plant. Returns the incident id opened."""
        self.close_incident()
        if self.store is not None:
            self.store.close()
        self.db = str(db)
        if "://" not in self.db:
            Path(self.db).parent.mkdir(parents=True, exist_ok=True)
        self.store = EventStore(self.db)
        if incident_id is None and resume:
            incident_id = self._newest_open()
        if incident_id is not None:
            self.open_incident(incident_id)
        else:
            self.reset.emit()
        return incident_id

    def _newest_open(self) -> str | None:
        assert self.store is not None
        name = getattr(self.plant, "name", None)
        open_ids = []
        for inc in self.store.incidents():
            if name is not None and inc.plant not in (None, name):
                continue
            last = list(self.store.events(inc.id, after_seq=max(0, inc.head_seq - 1)))
            if last and last[-1].type != "incident.closed":
                open_ids.append((inc.head_t_us or 0, inc.id))
        return max(open_ids)[1] if open_ids else None

    def open_incident(self, incident_id: str, *, read_only: bool = False, clock: Any = None) -> IncidentRuntime:
        """Open ``incident_id`` of the current log (its chain verified first, see :attr:`verified`); a
        tampered chain opens read-only. ``clock`` defaults to the incident's own (a running live drill's, else
        the wall clock: :func:`commandcenter.runtime.clock.clock_for`)."""
        from commandcenter.store.audit import verify_incident

        if self.store is None:
            raise StoreError("no incident log is open")
        self.close_incident()
        self.verified = verify_incident(self.store, incident_id)
        rt = IncidentRuntime.open(self.store, incident_id, plant=self.plant, clock=clock,
                                  read_only=read_only or not self.verified.intact)
        self._attach(rt)
        return rt

    def new_incident(self, title: str, *, exercise: bool, drill: dict[str, Any] | None = None,
                     clock: Any = None) -> IncidentRuntime:
        """Open a new incident on the window's plant in the current log (the default log when none is open);
        ``clock`` defaults to the wall clock (a drill passes SimPy's)."""
        if self.store is None:
            self.open_log(default_log_path(), resume=False)
        assert self.store is not None
        self.close_incident()
        rt = IncidentRuntime.create(self.store, title=title, exercise=exercise, plant=self.plant, drill=drill,
                                    clock=clock)
        self.verified = None
        self._attach(rt)
        return rt

    def _attach(self, rt: IncidentRuntime) -> None:
        self.runtime = rt
        self._posted_seq = self._seen_seq = rt.seq
        self._unsubscribe = rt.subscribe(self._on_events)
        if not rt.read_only:
            rt.tick()
        self.timer.start()
        self.listener = LogListener(rt.store, rt.incident_id, rt.seq, self._followed.emit,
                                    poll_s=LISTEN_WAIT_S if rt.store.dialect == "postgresql" else FOLLOW_POLL_S)
        self.reset.emit()
        self.grade()
        heap.hold(self)  # see commandcenter.ui.heap: full collections stalled the UI under a busy feed

    def incidents(self) -> list[Any]:
        """The incidents of the open log, newest first (``commandcenter.store`` incident rows)."""
        if self.store is None:
            return []
        return sorted(self.store.incidents(), key=lambda i: (i.head_t_us or 0, i.id), reverse=True)

    def close_incident(self) -> None:
        """Stop showing the open incident (the log keeps it)."""
        self.timer.stop()
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.runtime is not None:
            self.runtime.close()
            self.runtime = None
            heap.release(self)
            self.reset.emit()

    def shutdown(self) -> None:
        """Close the incident and the log (the window is closing)."""
        self.close_incident()
        if self.store is not None:
            self.store.close()
            self.store = None

    # ------------------------------------------------------------------ writing
    def submit(self, drafts: Draft | list[Draft]) -> list:
        """Submit through the runtime; a refusal is emitted as :attr:`refused` and returns ``[]``."""
        from vocabulary.events import EventError

        if self.runtime is None:
            self.refused.emit(self.tr("No incident is open: File → New incident first."))
            return []
        try:
            return self.runtime.submit(drafts)
        except (EventError, StoreError, PermissionError) as exc:
            self.refused.emit(" ".join(str(exc).split()))
            return []
        finally:
            self._announce_missed()

    def launch(self, plan_id: str, level: str, **kwargs: Any) -> list:
        """Launch ``plan_id`` at ``level`` in the open incident (see :meth:`IncidentRuntime.launch`)."""
        from vocabulary.events import EventError

        if self.runtime is None:
            self.refused.emit(self.tr("No incident is open: File → New incident first."))
            return []
        try:
            return self.runtime.launch(plan_id, level, console="window", **kwargs)
        except (EventError, StoreError, PermissionError) as exc:
            self.refused.emit(" ".join(str(exc).split()))
            return []
        finally:
            self._announce_missed()

    def now(self) -> Any:
        """The open incident's clock."""
        assert self.runtime is not None
        return self.runtime.now()

    def positions(self) -> Any:
        """Where everyone is now (the log's last positions, else the population file), or None."""
        if self.people is None:
            return None
        state = self.state
        return self.people.positions(state) if state is not None else self.people.base

    def writable(self) -> bool:
        """Whether actions can be recorded (an incident is open, not read-only, not closed)."""
        rt = self.runtime
        return rt is not None and not rt.read_only and not rt.closed

    def record(self, event_type: str, payload: dict[str, Any]) -> list:
        """Submit one draft of ``event_type`` now, signed by this console (``by``) unless it names someone."""
        if self.runtime is None:
            return self.submit([])
        payload = {**payload}
        if event_type in _SIGNED:
            payload.setdefault("by", self.console)
        return self.submit(Draft(event_type, self.now(), payload))

    # ------------------------------------------------------------------ the duty officer's actions
    def change_level(self, level: str, reason: str = "manual") -> list:
        """Raise or lower the running plan to ``level`` (lowering needs a ``reason``)."""
        return self.record("level.changed", {"to": level, "reason": reason})

    def acknowledge_alarm(self, alarm_id: str) -> list:
        """The console has seen the alarm."""
        return self.record("alarm.acknowledged", {"alarm_id": alarm_id})

    def confirm_alarm(self, alarm_id: str, reason: str = "confirmed_on_site") -> list:
        """The alarm is real (a formal alarm); its check, if any, is done."""
        drafts = [Draft("alarm.confirmed", self.now(), {"alarm_id": alarm_id, "reason": reason, "by": self.console})]
        drafts += self._close_check(alarm_id, "confirmed")
        return self.submit(drafts) if self.runtime is not None else self.submit([])

    def clear_alarm(self, alarm_id: str, *, false_alarm: bool, cause: str = "") -> list:
        """End the alarm: a false alarm with its ``cause``, or a real one dealt with; its check is done."""
        if self.runtime is None:
            return self.submit([])
        payload: dict[str, Any] = {"alarm_id": alarm_id, "false_alarm": bool(false_alarm), "by": self.console}
        if cause:
            payload["cause"] = cause
        drafts = [Draft("alarm.cleared", self.now(), payload)]
        drafts += self._close_check(alarm_id, f"false alarm: {cause}" if false_alarm else "cleared")
        return self.submit(drafts)

    def _close_check(self, alarm_id: str, text: str) -> list[Draft]:
        state = self.state
        a = state["alarms"]["alarms"].get(alarm_id) if state is not None else None
        tid = a.get("check_task") if a else None
        t = state["tasks"]["tasks"].get(tid) if tid else None
        if t is None or t["status"] in ("done", "skipped"):
            return []
        return [Draft("task.done", self.now(), {"task_id": tid, "text": text, "by": self.console})]

    def new_alarm(self, x: float, y: float, *, level: str = "alarm", kind: str = "manual", text: str = "",
                  substance: str | None = None) -> list:
        """An alarm entered by hand at plant coordinates (x, y) (m); at ``alarm`` level it is formal at once."""
        if self.runtime is None:
            return self.submit([])
        now = self.now()
        aid = f"AL-MAN-{now.astimezone(self.runtime.tz):%H%M%S}-{uuid.uuid4().hex[:4].upper()}"
        payload: dict[str, Any] = {"alarm_id": aid, "kind": kind, "level": level, "x": float(x), "y": float(y),
                                   "by": self.console}
        if text:
            payload["text"] = text
        if substance:
            payload["substance"] = substance
        drafts = [Draft("alarm.raised", now, payload)]
        if level == "alarm":
            drafts.append(Draft("alarm.confirmed", now, {"alarm_id": aid, "reason": "entered_as_alarm",
                                                          "by": self.console}))
        return self.submit(drafts)

    def task_done(self, task_id: str, text: str = "") -> list:
        """Record that a task is done (reported to the console)."""
        payload: dict[str, Any] = {"task_id": task_id}
        if text:
            payload["text"] = text
        return self.record("task.done", payload)

    def reassign(self, task_id: str, person_id: str, reason: str = "") -> list:
        """Give a task to someone else."""
        payload: dict[str, Any] = {"task_id": task_id, "to_person_id": person_id}
        if reason:
            payload["reason"] = reason
        return self.record("task.reassigned", payload)

    def roll_call(self, person_id: str, assembly_point_id: str) -> list:
        """Mark ``person_id`` present at ``assembly_point_id`` by hand (a roll call)."""
        return self.record("person.mustered", {"person_id": person_id, "assembly_point_id": assembly_point_id,
                                               "method": "roll_call"})

    def check_in(self, name: str, *, kind: str, company: str, assembly_point_id: str) -> list:
        """Check in a walk-up who is not on the roster (visitor, contractor): added, then mustered."""
        if self.runtime is None:
            return self.submit([])
        now = self.now()
        pid = f"W-{now.astimezone(self.runtime.tz):%H%M%S}-{uuid.uuid4().hex[:4].upper()}"
        added: dict[str, Any] = {"person_id": pid, "name": name, "kind": kind, "assembly_point_id": assembly_point_id,
                                 "by": self.console}
        if company:
            added["company"] = company
        return self.submit([Draft("person.added", now, added),
                            Draft("person.mustered", now, {"person_id": pid, "assembly_point_id": assembly_point_id,
                                                           "method": "walk_up", "by": self.console})])

    # ------------------------------------------------------------------ graded alarms
    def grade(self) -> list:
        """Record what the graded-alarm rules call for now (see :mod:`commandcenter.services.alarm_grading`)."""
        rt = self.runtime
        if rt is None or self.grader is None or rt.read_only or rt.closed:
            return []
        drafts = self.grader.drafts(rt.state, rt.now(), self.positions)
        return self.submit(drafts) if drafts else []

    # ------------------------------------------------------------------ time
    def _on_events(self, events: list) -> None:
        """The runtime's subscriber (on whatever thread submitted or followed): hand the batch to the UI thread."""
        if not events:
            return
        with self._lock:
            self._posted_seq = max(self._posted_seq, events[-1].seq)
        self._posted.emit(events)

    def _announce_missed(self) -> None:
        """Hand over events the runtime folded without announcing them (while catching up with other writers
        inside one of its own appends): read them back from the log."""
        rt = self.runtime
        if rt is None:
            return
        with self._lock:
            since, upto = self._posted_seq, rt.seq
            if upto <= since:
                return
            self._posted_seq = upto
        missed = list(rt.store.events(rt.incident_id, after_seq=since, until_seq=upto))
        if missed:
            self._posted.emit(missed)

    def heartbeat(self) -> None:
        """Once a second: record what fell due, and pick up what other writers appended."""
        rt = self.runtime
        if rt is None:
            return
        try:
            if self.listener is None or not self.listener.alive:
                rt.follow()
            if not rt.read_only and not rt.closed:
                rt.tick()
        except StoreError as exc:
            self.refused.emit(" ".join(str(exc).split()))
            return
        self._announce_missed()
        self.grade()

    def _take(self, events: list) -> None:
        """On the UI thread: fold the events the listener read (another console's, the field server's)."""
        listener, rt = self.listener, self.runtime
        try:
            if rt is not None and events and events[0].incident == rt.incident_id:
                rt.follow(events)
        except StoreError as exc:
            self.refused.emit(" ".join(str(exc).split()))
        finally:
            if listener is not None:
                listener.taken()
        self._announce_missed()

    def types_of(self, events: list) -> frozenset[str]:
        """The event types in ``events``; for the batch being announced as :attr:`changed`, worked out once for
        every view that checks it."""
        if events is self._batch:  # the signals carry the list itself (``object``), not a copy
            return self._batch_types
        return frozenset(e.type for e in events)

    def _deliver(self, events: list) -> None:
        """On the UI thread: announce new events once each, in log order (a gap — events folded but not
        announced by the runtime — is filled from the log first)."""
        rt = self.runtime
        if rt is None or not events or events[0].incident != rt.incident_id:
            return
        if events[0].seq > self._seen_seq + 1:
            gap = list(rt.store.events(rt.incident_id, after_seq=self._seen_seq, until_seq=events[0].seq - 1))
            events = gap + list(events)
        events = [e for e in events if e.seq > self._seen_seq]
        if not events:
            return
        self._seen_seq = events[-1].seq
        self._batch, self._batch_types = events, frozenset(e.type for e in events)
        try:
            self.changed.emit(events)
        finally:
            self._batch = None
        if not _GRADED.isdisjoint(self._batch_types):
            self.grade()


class LogListener:
    """A thread that reads the new events of one incident as other writers append them and hands each batch
    to ``deliver(events)`` (from that thread; the caller re-posts it to the UI thread and calls :meth:`taken`
    once it has folded it). It reads the next batch only after :meth:`taken` and at least
    :data:`FOLLOW_POLL_S` after the last, so batches grow instead of queueing when the UI thread is busy, and
    a feed of many small commits reaches the views at most ten times a second; a batch of more than
    :data:`FOLD_SLICE` events is handed over in slices, each :data:`SLICE_GAP_S` after the one before is
    taken. On PostgreSQL a ``NOTIFY`` wakes it at once; on SQLite it polls every ``poll_s``."""

    def __init__(self, store: EventStore, incident_id: str, after_seq: int, deliver: Any, *,
                 poll_s: float = LISTEN_WAIT_S):
        """Start following after ``after_seq``."""
        from commandcenter.store.follow import Follower

        self._stop = threading.Event()
        self._taken = threading.Event()
        self._taken.set()
        self.error: str | None = None
        self.poll_s = poll_s
        self._follower = Follower(store, incident_id, after_seq=after_seq, poll_s=poll_s)
        self._deliver = deliver
        self.thread = threading.Thread(target=self._run, name=f"log-listener-{incident_id}", daemon=True)
        self.thread.start()

    @property
    def alive(self) -> bool:
        """Whether it is still following (False after an error: the server went away)."""
        return self.thread.is_alive() and self.error is None

    def taken(self) -> None:
        """The last batch is folded: read the next."""
        self._taken.set()

    def _folded(self) -> bool:
        """Wait until the last batch handed over is folded; False when stopping instead."""
        while not self._taken.wait(self.poll_s):
            if self._stop.is_set():
                return False
        return not self._stop.is_set()

    def _run(self) -> None:
        try:
            while self._folded():
                got = self._follower.wait(self.poll_s)
                for k in range(0, len(got), FOLD_SLICE):
                    if k and (not self._folded() or self._stop.wait(SLICE_GAP_S)):
                        return
                    self._taken.clear()
                    self._deliver(got[k:k + FOLD_SLICE])
                if got:
                    self._stop.wait(FOLLOW_POLL_S)
        except Exception as exc:  # the server went away: the heartbeat reads the log itself
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self._follower.close()

    def stop(self, timeout_s: float = 2.0) -> None:
        """Stop following (returns within one wait, ``poll_s``)."""
        self._stop.set()
        self._taken.set()
        self.thread.join(timeout_s)


#: event types after which the graded-alarm rules may have something to record
_GRADED = frozenset({"sensor.alarm", "person.sos"})
#: event types whose payload names who recorded them (``by``)
_SIGNED = frozenset({"level.changed", "alarm.acknowledged", "alarm.confirmed", "alarm.cleared", "task.done",
                     "task.reassigned", "person.mustered", "person.added", "incident.closed", "note.added"})
