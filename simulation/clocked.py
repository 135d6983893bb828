"""The movement model on SimPy's clock: one process advances it with lookahead, others act on it.

:class:`Mover` owns a :class:`simulation.movement.Movement` inside a ``simpy.Environment``. Its process
sleeps until the next time any *other* process is scheduled (``env.peek()``) and then lets the model
process every internal event before that time in one tight loop — the model cannot be changed by
anyone in between, so this is exact (the lookahead of conservative discrete-event simulation,
Chandy & Misra, "Distributed simulation", IEEE TSE 5(5), 1979). It stops early only where a process
waits for a person (a responder reaching the resource point): it moves the clock to that instant and
fires the event. So other processes always see the model as it is at ``env.now``.

People are therefore not SimPy processes each; the model's events run in one heap and SimPy carries
the clock (see docs/simulation.md for the measurement behind this choice).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import simpy

from simulation.movement import Arrival, Movement


class Mover:
    """A movement model advanced by a SimPy process (see the module docstring)."""

    def __init__(self, env: simpy.Environment, movement: Movement):
        self.env = env
        self.m = movement
        self._wake = env.event()
        self._trips: dict[int, simpy.Event] = {}
        self._mustered = 0
        self.process = env.process(self._run())

    # ------------------------------------------------------------------ commands (at env.now)
    @property
    def t(self) -> float:
        """The model's time now: ``env.now`` (seconds)."""
        return float(self.env.now)

    def alarm(self, rows: Iterable[int], premovement: Iterable[float] | None = None) -> list[int]:
        """Alarm ``rows`` now (see :meth:`Movement.alarm`); returns who has no route."""
        stuck = self.m.alarm(rows, self.t, premovement)
        self._kick()
        return stuck

    def send(self, row: int, node: int, *, protected: bool = False) -> simpy.Event | None:
        """Send ``row`` to ``node`` now; the returned event succeeds with the :class:`Arrival` when they get
        there (None: no route)."""
        ev = self.env.event()
        self._trips[row] = ev
        if not self.m.send(row, node, self.t, tag=row, protected=protected):
            self._trips.pop(row, None)
            return None
        self._fire(self.m.take_notifications())
        self._kick()
        return ev

    def set_network(self, net) -> list[int]:  # type: ignore[no-untyped-def]
        """The hazard changed now (see :meth:`Movement.set_network`)."""
        changed = self.m.set_network(net, self.t)
        self._kick()
        return changed

    def new_arrivals(self) -> list[Arrival]:
        """Assembly-point arrivals since the last call (all at or before now)."""
        out = self.m.arrivals[self._mustered:]
        self._mustered = len(self.m.arrivals)
        return out

    # ------------------------------------------------------------------ the process
    def _kick(self) -> None:
        if not self._wake.triggered:
            self._wake.succeed()

    def _fire(self, notes: list[Arrival]) -> None:
        for a in notes:
            ev = self._trips.pop(a.row, None)
            if ev is not None and not ev.triggered:
                ev.succeed(a)

    def _run(self):  # type: ignore[no-untyped-def]
        env, m = self.env, self.m
        while True:
            horizon = env.peek()
            t_note = m.run(horizon)
            notes = m.take_notifications()
            if notes:
                wait = 0.0 if t_note is None else max(0.0, t_note - env.now)
                if wait > 0:
                    yield env.timeout(wait)
                self._fire(notes)
                continue
            if math.isinf(horizon):
                self._wake = env.event()
                yield self._wake
                continue
            yield env.timeout(max(0.0, horizon - env.now))
