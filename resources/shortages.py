"""Shortages of a launched plan: what its tasks need, what is available outside the hazard, what to ask for.

**Need.** A plan at a level needs, per resource kind, the sum over the tasks that apply at that level
(:meth:`plans.model.Plan.tasks_at`) of their ``resources`` — tasks may run at the same time, so a set
used by one team is not assumed free for the next — and at least the quantity the plan's ``supplies``
list says it relies on.

**Available outside the hazard.** Units of that kind that are ready, not expired, not taken, used or
promised (:func:`resources.ledger.free_units`), and reachable on foot (fire trucks by road) from the
incident place without entering a red zone — what :func:`resources.nearest.nearest_resources` would
offer. Units inside red, or cut off, are counted apart as ``in_hazard``.

**Request.** For each short kind, less what was already requested in this incident, a
``resource.requested`` draft: what, how many, and where to deliver — the site gate (exit) outside every
hazard zone from which the incident place is quickest to reach on foot, else the staging point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from resources.inventory import Inventory
from resources.ledger import request
from resources.nearest import nearest_resources
from resources.walking import Reach
from vocabulary.events import Draft


@dataclass
class Need:
    """How many of a kind a plan needs at a level, and which tasks (or ``supplies``) ask for them."""

    kind: str
    quantity: int
    tasks: list[str] = field(default_factory=list)


@dataclass
class Shortage:
    """One kind the plan is short of: needed, available outside the hazard, held inside it, already
    requested, and the units still to ask for (``short``)."""

    kind: str
    needed: int
    available: int
    in_hazard: int
    requested: int
    short: int
    tasks: list[str]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {"kind": self.kind, "needed": self.needed, "available": self.available, "in_hazard": self.in_hazard,
                "requested": self.requested, "short": self.short, "tasks": list(self.tasks)}


def plan_needs(plan, level: str) -> dict[str, Need]:
    """Per kind, what ``plan`` (a :class:`plans.model.Plan`) needs at ``level`` (see the module docstring)."""
    out: dict[str, Need] = {}
    for task in plan.tasks_at(level):
        for r in task.resources:
            need = out.setdefault(r.kind, Need(r.kind, 0))
            need.quantity += int(r.quantity)
            need.tasks.append(task.id)
    for sup in plan.supplies:
        need = out.setdefault(sup.kind, Need(sup.kind, 0))
        if sup.quantity > need.quantity:
            need.quantity = int(sup.quantity)
            need.tasks.append("supplies")
    return out


def shortages(needs: dict[str, Need], inv: Inventory, reach: Reach, free: np.ndarray | None = None,
              requested: dict[str, float] | None = None) -> list[Shortage]:
    """Every kind of ``needs`` with fewer units available outside the hazard than needed (kinds in
    order of the needs), counting what ``requested`` (kind → units) already asked for."""
    requested = requested or {}
    joined = reach.network.join(inv.xy)
    out = []
    for kind, need in needs.items():
        found = nearest_resources(reach, inv, kind=kind, limit=len(inv), free=free, joined=joined, paths=False)
        have = int(sum(r["available"] for r in found["results"]))
        rows = inv.of_kind(kind)
        cut = {e["id"] for e in found["excluded"] if e["reason"] in ("inside-red-zone", "unreachable")}
        in_hazard = int(sum(int(inv.quantity[i]) for i in rows.tolist() if str(inv.ids[i]) in cut))
        asked = int(requested.get(kind, 0))
        missing = need.quantity - have
        if missing > 0:
            out.append(Shortage(kind, need.quantity, have, in_hazard, asked, max(missing - asked, 0), need.tasks))
    return out


def delivery_point(reach: Reach, exits) -> dict[str, object]:
    """Where outside help should bring supplies: the exit (a GeoDataFrame of points, index id, optional
    ``name``) outside every hazard zone with the shortest hazard-aware walk to the incident place
    (``walk_s`` from the gate); else the staging point (or the place itself)."""
    nw = reach.network
    if exits is not None and len(exits):
        xy = np.column_stack([exits.geometry.x.to_numpy(float), exits.geometry.y.to_numpy(float)])
        walk, _, cost = reach.walk(nw.join(xy))
        if nw.hazard is not None:
            cost = np.where(nw.hazard.rank_at(xy[:, 0], xy[:, 1]) == 0, cost, np.nan)
        if np.isfinite(cost).any():
            k = int(np.nanargmin(cost))
            names = exits["name"].astype(str).tolist() if "name" in exits.columns else []
            name = names[k] if names and names[k] not in ("", "nan", "None") else str(exits.index[k])
            return {"id": str(exits.index[k]), "name": name, "x": float(xy[k, 0]), "y": float(xy[k, 1]),
                    "walk_s": round(float(walk[k]), 1)}
    x, y = reach.dest_xy
    return {"id": None, "name": "staging point" if reach.staging else "incident place", "x": x, "y": y,
            "walk_s": 0.0}


def request_drafts(short: list[Shortage], time: dt.datetime, deliver: dict[str, object], *, plan_id: str,
                   level: str, by: str | None = None) -> list[Draft]:
    """One ``resource.requested`` draft per kind still short (``short > 0``), delivered to ``deliver``."""
    where = str(deliver["id"] or deliver["name"])
    return [request(s.kind, s.short, time, deliver_to=where, x=float(deliver["x"]), y=float(deliver["y"]),
                    reason=f"plan {plan_id} at {level} needs {s.needed}, {s.available} available outside the hazard"
                           + (f", {s.requested} already requested" if s.requested else ""), by=by)
            for s in short if s.short > 0]
