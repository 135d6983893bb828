"""What happened to the inventory during an incident: the fold of ``resource.*`` events, and the drafts.

The log is the only record. :func:`apply` folds one recorded event into a plain-JSON ledger (the
incident projection ``resources`` is exactly this fold); :func:`free_units` joins the ledger to the
inventory: units on the shelf = quantity − out (taken, not back) − used − damaged (returned not ready)
− committed (dispatched, not yet taken). The draft makers check a change against the inventory and the
ledger first, so a console cannot record taking three SCBA sets from a cabinet that holds two.

Dispatching a team or one person uses ``resource_id`` ``team:<team>`` or ``person:<id>`` (with the
``team`` / ``person_id`` field); their dispatches are listed, and do not touch item counts.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

from resources.inventory import STATES, Inventory
from resources.teams import TEAMS
from vocabulary.events import Draft

Ledger = dict[str, Any]
DISPATCH, TAKE, USE, RETURN, REQUEST = ("resource.dispatched", "resource.taken", "resource.used",
                                        "resource.returned", "resource.requested")
RESOURCE_EVENTS: tuple[str, ...] = (DISPATCH, TAKE, USE, RETURN, REQUEST)
MAX_UNITS = 100_000


class ResourceError(ValueError):
    """A resource change that cannot be recorded; the message names the item and why."""


def empty() -> Ledger:
    """The ledger before any resource event."""
    return {"items": {}, "dispatched": {}, "requests": [], "requested": {}}


def _qty(payload: dict[str, Any]) -> float:
    q = payload.get("quantity")
    return max(float(q), 0.0) if isinstance(q, (int, float)) and math.isfinite(q) else 1.0


def _unit(rid: str) -> bool:
    return rid.startswith(("team:", "person:"))


def _item(s: Ledger, rid: str) -> dict[str, Any]:
    it = s["items"].get(rid)
    if it is None:
        it = s["items"][rid] = {"out": 0.0, "used": 0.0, "damaged": 0.0, "committed": 0.0, "holders": {}}
    return it


def _hold(it: dict[str, Any], who: str | None, q: float) -> None:
    if not who:
        return
    h = it["holders"]
    h[who] = max(h.get(who, 0.0) + q, 0.0)
    if h[who] == 0.0:
        del h[who]


def apply(s: Ledger, event_type: str, payload: dict[str, Any], t_us: int | None = None,
          seq: int | None = None) -> None:
    """Fold one recorded ``resource.*`` event into ledger ``s`` (mutated). Counts never go below zero:
    a return without a recorded take is kept in the log and changes nothing here."""
    q = _qty(payload)
    rid = str(payload.get("resource_id", ""))
    who = payload.get("person_id") or payload.get("by")
    if event_type == REQUEST:
        kind = str(payload["kind"])
        s["requests"].append({**{k: payload.get(k) for k in ("kind", "quantity", "deliver_to", "reason", "by", "x",
                                                              "y")}, "t": t_us, "seq": seq})
        s["requested"][kind] = s["requested"].get(kind, 0.0) + q
        return
    if event_type == DISPATCH:
        fields = ("to", "by", "task_id", "team", "person_id", "walk_s", "x", "y")
        record = {**{k: payload.get(k) for k in fields}, "quantity": q, "t": t_us, "seq": seq}
        s["dispatched"].setdefault(rid, []).append(record)
        if not _unit(rid):
            _item(s, rid)["committed"] += q
        return
    if _unit(rid) or event_type not in (TAKE, USE, RETURN):
        return
    it = _item(s, rid)
    if event_type == TAKE:
        it["out"] += q
        it["committed"] = max(it["committed"] - q, 0.0)
        _hold(it, who, q)
    elif event_type == USE:
        from_out = min(it["out"], q)
        it["out"] -= from_out
        it["committed"] = max(it["committed"] - (q - from_out), 0.0)
        it["used"] += q
        _hold(it, who, -q)
    else:
        back = min(it["out"], q)
        it["out"] -= back
        if payload.get("state") not in (None, "ready"):
            it["damaged"] += back
        _hold(it, who, -back)


def free_units(inv: Inventory, s: Ledger | None) -> np.ndarray:
    """Units of each inventory item on the shelf and not promised (never below zero; before the
    ready/expiry rules, which :func:`resources.nearest.resource_availability` applies)."""
    free = inv.quantity.astype(float).copy()
    for rid, it in (s or empty())["items"].items():
        i = inv.row.get(rid)
        if i is not None:
            free[i] -= it["out"] + it["used"] + it["damaged"] + it["committed"]
    return np.maximum(free, 0.0)


def _count(quantity: Any, what: str) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, (int, float)) or not math.isfinite(quantity):
        raise ResourceError(f"{what}: quantity must be a whole number, got {quantity!r}")
    if quantity != int(quantity) or not 1 <= quantity <= MAX_UNITS:
        raise ResourceError(f"{what}: quantity must be a whole number from 1 to {MAX_UNITS}, got {quantity!r}")
    return int(quantity)


def _row(inv: Inventory, rid: str) -> int:
    i = inv.row.get(rid)
    if i is None:
        raise ResourceError(f"no resource {rid!r} in the plant's inventory")
    return i


def _extra(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def take(inv: Inventory, s: Ledger | None, resource_id: str, time: dt.datetime, quantity: int = 1, *,
         by: str | None = None, person_id: str | None = None, task_id: str | None = None) -> Draft:
    """A ``resource.taken`` draft; refused when the item is expired or not ready, or holds fewer free
    (or dispatched) units than ``quantity``."""
    i = _row(inv, resource_id)
    q = _count(quantity, resource_id)
    it = (s or empty())["items"].get(resource_id, {})
    if inv.expired[i] or inv.state[i] != "ready":
        why = "expired" if inv.expired[i] else f"is {inv.state[i]}"
        raise ResourceError(f"{resource_id} {why}: it cannot be handed out")
    can = free_units(inv, s)[i] + it.get("committed", 0.0)
    if q > can:
        raise ResourceError(f"{resource_id}: {q} taken but only {can:g} of {int(inv.quantity[i])} are there")
    return Draft(TAKE, time, {"resource_id": resource_id, "quantity": q,
                              **_extra(by=by, person_id=person_id, task_id=task_id)})


def use(inv: Inventory, s: Ledger | None, resource_id: str, time: dt.datetime, quantity: int = 1, *,
        by: str | None = None, person_id: str | None = None, task_id: str | None = None) -> Draft:
    """A ``resource.used`` draft (consumed: a discharged extinguisher, an opened kit); refused beyond what
    is out, promised or on the shelf."""
    i = _row(inv, resource_id)
    q = _count(quantity, resource_id)
    it = (s or empty())["items"].get(resource_id, {})
    can = free_units(inv, s)[i] + it.get("out", 0.0) + it.get("committed", 0.0)
    if q > can:
        raise ResourceError(f"{resource_id}: {q} used but only {can:g} are out or on the shelf")
    return Draft(USE, time, {"resource_id": resource_id, "quantity": q,
                             **_extra(by=by, person_id=person_id, task_id=task_id)})


def give_back(inv: Inventory, s: Ledger | None, resource_id: str, time: dt.datetime, quantity: int = 1, *,
              state: str = "ready", by: str | None = None, person_id: str | None = None) -> Draft:
    """A ``resource.returned`` draft; ``state`` other than ``ready`` (e.g. ``maintenance``) keeps the units
    off the shelf. Refused beyond what is out."""
    _row(inv, resource_id)
    q = _count(quantity, resource_id)
    if state not in STATES:
        raise ResourceError(f"{resource_id}: state must be one of {', '.join(STATES)}, got {state!r}")
    out = (s or empty())["items"].get(resource_id, {}).get("out", 0.0)
    if q > out:
        raise ResourceError(f"{resource_id}: {q} returned but only {out:g} are out")
    return Draft(RETURN, time, {"resource_id": resource_id, "quantity": q, "state": state,
                                **_extra(by=by, person_id=person_id)})


def dispatch(inv: Inventory, s: Ledger | None, resource_id: str, time: dt.datetime, *, to: str,
             quantity: int = 1, by: str | None = None, task_id: str | None = None, person_id: str | None = None,
             walk_s: float | None = None, x: float | None = None, y: float | None = None) -> Draft:
    """A ``resource.dispatched`` draft: ``quantity`` units of an item sent ``to`` a place (text; ``x``/``y``
    in metres), carried by ``person_id``. Refused when the item is unusable or short."""
    i = _row(inv, resource_id)
    q = _count(quantity, resource_id)
    if inv.expired[i] or inv.state[i] != "ready":
        why = "expired" if inv.expired[i] else f"is {inv.state[i]}"
        raise ResourceError(f"{resource_id} {why}: it cannot be dispatched")
    free = free_units(inv, s)[i]
    if q > free:
        raise ResourceError(f"{resource_id}: {q} dispatched but only {free:g} of {int(inv.quantity[i])} are free")
    return Draft(DISPATCH, time, {"resource_id": resource_id, "quantity": q, "to": _place(to),
                                  **_extra(by=by, task_id=task_id, person_id=person_id, walk_s=_finite(walk_s),
                                           x=_finite(x), y=_finite(y))})


def dispatch_unit(time: dt.datetime, *, to: str, team: str | None = None, person_id: str | None = None,
                  by: str | None = None, task_id: str | None = None, walk_s: float | None = None,
                  x: float | None = None, y: float | None = None) -> Draft:
    """A ``resource.dispatched`` draft for a team (``team:<team>``) or one person (``person:<id>``)."""
    if (team is None) == (person_id is None):
        raise ResourceError("dispatch either a team or a person")
    if team is not None and team not in TEAMS:
        raise ResourceError(f"unknown team {team!r}; known: {', '.join(TEAMS)}")
    rid = f"team:{team}" if team is not None else f"person:{person_id}"
    return Draft(DISPATCH, time, {"resource_id": rid, "to": _place(to),
                                  **_extra(team=team, person_id=person_id, by=by, task_id=task_id,
                                           walk_s=_finite(walk_s), x=_finite(x), y=_finite(y))})


def request(kind: str, quantity: int, time: dt.datetime, *, deliver_to: str, x: float | None = None,
            y: float | None = None, reason: str | None = None, by: str | None = None) -> Draft:
    """A ``resource.requested`` draft: ask outside for ``quantity`` of ``kind``, delivered to ``deliver_to``."""
    return Draft(REQUEST, time, {"kind": kind, "quantity": _count(quantity, kind), "deliver_to": _place(deliver_to),
                                 **_extra(x=_finite(x), y=_finite(y), reason=reason, by=by)})


def _place(to: str) -> str:
    if not isinstance(to, str) or not to.strip():
        raise ResourceError("say where to: a place, task or person")
    return to.strip()


def _finite(v: float | None) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or abs(v) > 1e8:
        raise ResourceError(f"{v!r} is not a finite number within ±1e8")
    return round(float(v), 2)
