"""Evacuation plans in the log: an :class:`gis.routing.plan.EvacuationPlan` as an ``evacuation.planned``
draft, and what the map draws of a recorded one.

The payload keeps, for everyone, the assembly point, the arrival time and the route as walkway edge ids
(compact; the plant's graph gives the geometry), so a restart or a replay draws exactly the routes the
commander saw, and the after-action report can check who reached the point they were sent to.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vocabulary.events import Draft


def _finite_or_none(v: float) -> float | None:
    return round(float(v), 1) if math.isfinite(float(v)) else None


def evacuation_draft(plan: Any, time: dt.datetime, *, assessment_id: str | None = None,
                     by: str | None = None) -> Draft:
    """The ``evacuation.planned`` draft of ``plan`` at ``time``."""
    a, people, net = plan.assignment, plan.people, plan.net
    aps = net.site.aps
    rows = []
    for i in range(len(people.ids)):
        k = int(a.ap[i])
        route = a.routes[i]
        rows.append({"person_id": str(people.ids[i]), "assembly_point_id": str(aps.ids[k]) if k >= 0 else None,
                     "eta_s": _finite_or_none(plan.eta_s[i]) if k >= 0 else None,
                     "edges": [] if route is None else net.arcs.edge[route].astype(int).tolist()})
    payload: dict[str, Any] = {
        "evacuation_id": f"EVAC-{uuid.uuid4().hex[:8].upper()}", "method": str(plan.method), "people": rows,
        "eta_s": _finite_or_none(plan.evacuation_time_s), "bound_s": _finite_or_none(plan.lower_bound_s),
        "unroutable": [{"id": str(u["id"]), "code": str(u.get("code", "")), "reason": str(u.get("reason", ""))}
                       for u in plan.unroutable()]}
    if plan.optimiser and isinstance(plan.optimiser.get("solver"), str):
        payload["solver"] = plan.optimiser["solver"]
    if assessment_id:
        payload["assessment_id"] = assessment_id
    if by:
        payload["by"] = by
    return Draft("evacuation.planned", time, payload)


@dataclass
class RouteView:
    """What the map draws of a recorded evacuation plan: the walkway edges used per assembly point,
    each assembly point's load, and who has no route (with their last position)."""

    method: str
    eta_s: float | None
    bound_s: float | None
    edges_by_ap: dict[str, np.ndarray] = field(default_factory=dict)
    load_by_ap: dict[str, int] = field(default_factory=dict)
    unroutable: list[dict[str, str]] = field(default_factory=list)
    person_ap: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Clearance time over the bound (None without a bound)."""
        return self.eta_s / self.bound_s if self.eta_s and self.bound_s else None


def route_view(payload: dict[str, Any], n_edges: int) -> RouteView:
    """The :class:`RouteView` of an evacuation projection entry (``state["hazard"]["evacuation"]``);
    edge ids outside the plant's ``n_edges`` edges are dropped (a log from another plant)."""
    by_ap: dict[str, list[list[int]]] = {}
    load: dict[str, int] = {}
    person_ap: dict[str, str] = {}
    for row in payload.get("people") or []:
        ap = row.get("assembly_point_id")
        if not ap:
            continue
        person_ap[str(row["person_id"])] = ap
        load[ap] = load.get(ap, 0) + 1
        by_ap.setdefault(ap, []).append([e for e in row.get("edges") or [] if 0 <= int(e) < n_edges])
    edges = {ap: np.unique(np.fromiter((e for r in lists for e in r), dtype=np.int64)) for ap, lists in by_ap.items()}
    return RouteView(method=str(payload.get("method") or ""), eta_s=payload.get("eta_s"),
                     bound_s=payload.get("bound_s"), edges_by_ap=edges, load_by_ap=load,
                     unroutable=list(payload.get("unroutable") or []), person_ap=person_ap)
