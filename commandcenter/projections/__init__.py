"""Projections of the incident log — each a fold over the events — and the fold that runs them all.

``fold(records, state)`` applies every record to every projection that handles its type; the whole
state is ``{"seq", "t_us", "<projection name>": <its state>, …}``, plain JSON. See :mod:`.replay` for
snapshots and ``state_at(t)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commandcenter.projections.alarms import ALARMS
from commandcenter.projections.base import Projection, State
from commandcenter.projections.commands import COMMANDS
from commandcenter.projections.comms import COMMS
from commandcenter.projections.evidence import EVIDENCE
from commandcenter.projections.hazard import HAZARD
from commandcenter.projections.incident import INCIDENT
from commandcenter.projections.muster import MUSTER
from commandcenter.projections.personnel import PERSONNEL
from commandcenter.projections.resources import RESOURCES
from commandcenter.projections.tasks import TASKS
from commandcenter.projections.timeline import TIMELINE

PROJECTIONS: tuple[Projection, ...] = (INCIDENT, PERSONNEL, TASKS, MUSTER, COMMANDS, TIMELINE, HAZARD, RESOURCES,
                                       ALARMS, EVIDENCE, COMMS)
# Bump when a projection's state shape or rules change: stored snapshots of older versions are ignored.
PROJECTION_VERSION = 7

_DISPATCH: dict[str, list[tuple[str, Any]]] = {}
for _p in PROJECTIONS:
    for _t, _h in _p.handlers.items():
        _DISPATCH.setdefault(_t, []).append((_p.name, _h))


def empty_state() -> State:
    """The state before any event."""
    return {"seq": 0, "t_us": None, **{p.name: p.initial() for p in PROJECTIONS}}


def fold(records: Iterable[Any], state: State | None = None) -> State:
    """Apply ``records`` (in seq order) to ``state`` (mutated; a new empty state when None) and return it."""
    s = empty_state() if state is None else state
    dispatch = _DISPATCH
    seq, t_us = s["seq"], s["t_us"]
    for e in records:
        for name, handler in dispatch.get(e.type, ()):
            handler(s[name], e)
        seq, t_us = e.seq, e.t_us
    s["seq"], s["t_us"] = seq, t_us
    return s


__all__ = ["PROJECTIONS", "PROJECTION_VERSION", "Projection", "State", "empty_state", "fold"]
