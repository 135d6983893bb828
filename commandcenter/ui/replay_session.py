"""A session over a replay: the same face as :class:`commandcenter.ui.session.IncidentSession`, so the same
panels draw a recorded incident at the time a trainer scrubs to.

Panels read ``session.state`` and ``session.runtime`` and redraw on ``reset`` / ``changed``. Here the state
is the projections at the cursor (:class:`commandcenter.ui.replay_model.ReplayModel`); a step forward emits
``changed`` with the events folded (panels update incrementally, as live), a jump (back, or far ahead)
emits ``reset`` (panels redraw everything). Every action a panel may try — submit, launch, record, a level
change, an alarm — is refused with the reason on ``refused``: a replay never writes to the log (its
snapshots, derived data outside the hash chain, aside).

Playback: :meth:`play` advances the cursor by ``speed`` seconds of incident time per second of wall time
on a timer (10 frames a second), stopping at the end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from commandcenter.services.people import PeopleModel
from commandcenter.store import EventStore, StoreError
from commandcenter.ui.replay_model import ReplayModel

FRAME_MS = 100
SPEEDS = (1, 2, 5, 10, 30, 60)


class ReplaySession(QObject):
    """One recorded incident at a cursor. Open with :meth:`open_log` (synchronous) or give a prepared
    :class:`ReplayModel` to :meth:`attach` (the window prepares it in a worker)."""

    #: another incident (or a jump of the cursor): redraw everything
    reset = Signal()
    #: the cursor stepped forward over these records (a list, in log order). Declared ``object``: a ``list``
    #: signal converts the whole list for every receiver (~0.4 ms per receiver for a 60x frame's 1,700 records,
    #: a dozen receivers), an ``object`` signal hands every receiver the same list
    changed = Signal(object)
    #: an action was refused: a one-line reason
    refused = Signal(str)
    #: the cursor moved (µs since the epoch)
    moved = Signal(object)
    #: playback started (True) or stopped (False)
    playing = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.store: EventStore | None = None
        self.db: str | None = None
        self.model: ReplayModel | None = None
        self.plant: Any = None
        self.people: PeopleModel | None = None
        self.verified: Any = None
        self.grader = None
        self.console = "replay"
        self.speed = 10
        self._own_store = False
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._frame)
        self._clock = QElapsedTimer()

    # ------------------------------------------------------------------ reading (as IncidentSession)
    @property
    def runtime(self) -> Any:
        """The read-only runtime at the cursor (None before a replay is opened)."""
        return self.model.runtime if self.model is not None else None

    @property
    def state(self) -> dict[str, Any] | None:
        """The projections at the cursor."""
        return self.model.state if self.model is not None else None

    @property
    def active(self) -> bool:
        """Whether a replay is open."""
        return self.model is not None

    def set_plant(self, plant: Any) -> None:
        """The plant the replay is drawn on."""
        self.plant = plant
        self.people = PeopleModel(plant) if plant is not None else None
        if self.model is not None:
            self.model.runtime.plant = plant

    def positions(self) -> Any:
        """Where everyone was at the cursor (the population file before their first report), or None."""
        if self.people is None:
            return None
        return self.people.positions(self.state) if self.state is not None else self.people.base

    def writable(self) -> bool:
        """Never: a replay is read-only."""
        return False

    def incidents(self) -> list[Any]:
        """The incidents of the open log, newest first."""
        if self.store is None:
            return []
        return sorted(self.store.incidents(), key=lambda i: (i.head_t_us or 0, i.id), reverse=True)

    def now(self) -> Any:
        """The cursor (aware datetime)."""
        assert self.model is not None
        return self.model.runtime.now()

    @staticmethod
    def types_of(events: list) -> frozenset[str]:
        """The event types in ``events`` (the views' test of a batch, as :meth:`IncidentSession.types_of`)."""
        return frozenset(e.type for e in events)

    # ------------------------------------------------------------------ opening
    def open_log(self, db: str | Path, incident_id: str | None = None, *, resume: bool = True) -> str | None:
        """Open the log ``db`` read-only and replay ``incident_id`` (default: its newest incident), prepared
        here (the snapshots are written the first time: slow on a long log — the window does this in a
        worker). Returns the incident id."""
        self.close_incident()
        self.open_store(db)
        assert self.store is not None
        if incident_id is None:
            found = self.incidents()
            if not found:
                raise StoreError(f"the log {db} holds no incident")
            incident_id = found[0].id
        self.attach(ReplayModel(self.store, incident_id, plant=self.plant).prepare())
        return incident_id

    def open_store(self, db: str | Path) -> None:
        """Open the log ``db`` (it must exist: a replay never creates one); no incident is replayed yet."""
        if self.store is not None and self._own_store:
            self.store.close()
        self.db = str(db)
        if "://" not in self.db and not Path(self.db).is_file():
            raise StoreError(f"no incident log at {self.db}")
        self.store = EventStore(self.db)
        self._own_store = True

    def use_store(self, store: EventStore, db: str | None = None) -> None:
        """Replay from an already open ``store`` (the caller keeps it open)."""
        self.close_incident()
        if self.store is not None and self._own_store:
            self.store.close()
        self.store, self.db, self._own_store = store, db, False

    def attach(self, model: ReplayModel) -> None:
        """Show a prepared replay (its chain check is :attr:`verified`: a broken chain is named, not hidden)."""
        self.pause()
        self.model = model
        model.runtime.plant = self.plant
        self.verified = model.verified
        self.reset.emit()
        self.moved.emit(model.cursor_us)

    def open_incident(self, incident_id: str, **_: Any) -> Any:
        """Replay another incident of the open log (prepared here)."""
        if self.store is None:
            raise StoreError("no incident log is open")
        self.attach(ReplayModel(self.store, incident_id, plant=self.plant).prepare())
        return self.runtime

    def close_incident(self) -> None:
        """Stop the replay (the log is untouched)."""
        self.pause()
        if self.model is not None:
            self.model = None
            self.reset.emit()

    def shutdown(self) -> None:
        """Close the replay and the log it opened."""
        self.close_incident()
        if self.store is not None and self._own_store:
            self.store.close()
        self.store = None

    # ------------------------------------------------------------------ writing: always refused
    def _refuse(self, *_: Any, **__: Any) -> list:
        self.refused.emit(self.tr("This is a replay: nothing can be recorded. Open the incident itself to act."))
        return []

    submit = launch = record = change_level = acknowledge_alarm = confirm_alarm = clear_alarm = _refuse
    new_alarm = task_done = reassign = roll_call = check_in = new_incident = _refuse

    def grade(self) -> list:
        """Nothing is graded in a replay."""
        return []

    def heartbeat(self) -> None:
        """Nothing falls due in a replay."""

    # ------------------------------------------------------------------ the cursor
    @property
    def t0_us(self) -> int:
        """The first event's time (µs)."""
        return self.model.t0_us if self.model is not None else 0

    @property
    def t1_us(self) -> int:
        """The last event's time (µs)."""
        return self.model.t1_us if self.model is not None else 0

    @property
    def cursor_us(self) -> int:
        """The cursor (µs)."""
        return self.model.cursor_us if self.model is not None else 0

    def seek(self, t_us: int) -> None:
        """Move the cursor to ``t_us`` and tell the panels (``changed`` for a step forward, else ``reset``)."""
        if self.model is None:
            return
        self._announce(self.model.seek(int(t_us)))

    def seek_seq(self, seq: int) -> None:
        """Move the cursor to event ``seq``."""
        if self.model is None:
            return
        self._announce(self.model.seek_seq(int(seq)))

    def step(self, direction: int) -> None:
        """To the next (+1) or previous (-1) marked event (alarm, launch, level, command, check-in, task…)."""
        if self.model is None:
            return
        self.pause()
        self._announce(self.model.step(direction))

    def _announce(self, rows: list | None) -> None:
        if rows is None:
            self.reset.emit()
        elif rows:
            self.changed.emit(rows)
        self.moved.emit(self.cursor_us)

    # ------------------------------------------------------------------ playback
    def set_speed(self, speed: float) -> None:
        """Seconds of incident time per second of wall time (1–60)."""
        self.speed = float(min(max(speed, 1.0), 60.0))

    def play(self) -> None:
        """Play from the cursor (from the start when at the end)."""
        if self.model is None or self.timer.isActive():
            return
        if self.cursor_us >= self.t1_us:
            self.seek(self.t0_us)
        self._clock.start()
        self.timer.start()
        self.playing.emit(True)

    def pause(self) -> None:
        """Stop playing (the cursor stays)."""
        if self.timer.isActive():
            self.timer.stop()
            self.playing.emit(False)

    def toggle(self) -> None:
        """Play or pause."""
        if self.timer.isActive():
            self.pause()
        else:
            self.play()

    @property
    def is_playing(self) -> bool:
        """Whether the replay is playing."""
        return self.timer.isActive()

    def _frame(self) -> None:
        elapsed_ms = self._clock.restart()
        target = self.cursor_us + int(elapsed_ms * 1000 * self.speed)
        self.seek(min(target, self.t1_us))
        if self.cursor_us >= self.t1_us:
            self.pause()
