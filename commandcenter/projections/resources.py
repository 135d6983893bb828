"""The resources board: what is taken, used, damaged or promised, what was dispatched where, what was
requested from outside. The rules of the fold are the resources package's (:func:`resources.ledger.apply`),
so a console checking a new draft and a replay showing the board count the same way; units on the
shelf are the inventory joined to this state (:func:`resources.ledger.free_units`)."""

from __future__ import annotations

from commandcenter.projections.base import Projection, State
from resources import ledger


def _initial() -> State:
    return ledger.empty()


def _apply(s: State, e) -> None:
    ledger.apply(s, e.type, e.payload, e.t_us, e.seq)


RESOURCES = Projection("resources", _initial, dict.fromkeys(ledger.RESOURCE_EVENTS, _apply))
