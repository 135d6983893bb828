"""What a projection is: a named fold ``apply(state, event)`` over the events of an incident.

A projection's state is plain JSON (dicts, lists, strings, numbers) so it can be snapshotted, compared and
shown. ``apply`` receives records with ``seq``, ``t_us`` (µs since the epoch, UTC), ``type`` and ``payload``
(an :class:`commandcenter.store.chain.Event` or a :class:`commandcenter.store.Rec`) and mutates the state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

State = dict[str, Any]
Handler = Callable[[State, Any], None]


@dataclass(frozen=True)
class Projection:
    """A projection: its name, a factory of its empty state and one handler per event type it folds."""

    name: str
    initial: Callable[[], State]
    handlers: dict[str, Handler]
