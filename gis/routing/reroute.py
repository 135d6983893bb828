"""Re-routing when the hazard changes: re-plan only the people it affects, and say who changed.

A person is **affected** when the new hazard touches their plan:

- their route uses an edge whose hazard level changed (closed, opened, or
  penalised differently);
- their assembly point became unsafe (or safe again — they may have a nearer one);
- they now start inside a red zone, or no longer do;
- (shortest plans) a cheaper route now exists than their current one under the
  new hazard — possible only where a zone shrank or was lifted;
- they had no route before.

Everyone else keeps their route and assembly point unchanged. Affected people
get new routes: their new shortest routes, or, for a capacity plan, the
reservation planner run with everyone unaffected pinned to their route (pinned
people reserve their own route when their turn in the priority order comes, so
their arrival times may shift as the queues around them change; their route and
assembly point do not).
:class:`Change` lists who got a different route or assembly point, and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gis.routing.capacity_plan import plan_capacity
from gis.routing.hazard_graph import Hazard
from gis.routing.plan import EvacuationPlan, finish_plan, timing_inputs
from gis.routing.shortest import Assignment, RoutingNetwork, route_shortest


@dataclass
class Change:
    """One person whose plan changed: old and new assembly point ids (None: no route), and why."""

    id: str
    old_assembly_point: str | None
    new_assembly_point: str | None
    reason: str
    route_changed: bool

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return dict(self.__dict__)


def affected_people(old: EvacuationPlan, net: RoutingNetwork, new_shortest: Assignment) -> dict[int, str]:
    """``row → reason`` for everyone the new hazard affects (see the module docstring)."""
    a = old.assignment
    changed_edge = old.net.edge_hazard.rank != net.edge_hazard.rank
    changed_ap = old.net.ap_safe != net.ap_safe
    out: dict[int, str] = {}
    weights = [net.weight(p) for p in range(len(net.unit))]
    for i in range(len(old.people)):
        if old.people.node[i] < 0:
            continue
        if a.ap[i] < 0:
            out[i] = "had no route"
            continue
        route = a.routes[i] or []
        edges = net.arc_edge[route]
        if bool(new_shortest.escape[i]) != bool(a.escape[i]):
            out[i] = "now starts inside a red zone" if new_shortest.escape[i] else "no longer inside a red zone"
        elif changed_ap[a.ap[i]]:
            out[i] = "assembly point is now inside a hazard zone" if not net.ap_safe[a.ap[i]] else \
                "assembly point is safe again"
        elif changed_edge[edges].any():
            lv = net.edge_hazard.rank[edges[changed_edge[edges]]].max()
            out[i] = "route crosses a new red zone" if lv == 3 else "hazard level changed along the route"
        elif old.method == "shortest" and not a.escape[i]:
            old_cost = float(weights[a.profile[i]][route].sum()) if route else 0.0
            new_cost = float(net.trees(int(a.profile[i])).clean.dist[old.people.node[i]])
            if new_cost < old_cost - 1e-6:
                out[i] = "a faster route opened"
    return out


def reroute(old: EvacuationPlan, hazard: Hazard | None, *,
            net: RoutingNetwork | None = None) -> tuple[EvacuationPlan, list[Change]]:
    """The plan under the new ``hazard`` with only the affected people re-planned, and the list of changes.
    ``net``: the routing network of the new hazard when the caller has built it already (same site and
    penalties as ``old``)."""
    if net is None:
        net = RoutingNetwork(old.net.site, hazard, old.net.penalties)
    people = old.people
    new_shortest = route_shortest(net, people)
    affected = affected_people(old, net, new_shortest)
    keep = np.array([i not in affected for i in range(len(people))]) & old.assignment.routed
    a_old = old.assignment
    start, _, order = timing_inputs(people, new_shortest)
    if old.method == "shortest":
        chosen = _merge(new_shortest, a_old, keep)
    else:
        fixed = {int(i): (int(a_old.ap[i]), a_old.routes[i]) for i in np.flatnonzero(keep)}
        chosen = plan_capacity(net, people, new_shortest, order, start, fixed=fixed)
    plan = finish_plan(old.method, net, people, chosen, new_shortest, start, order, {})
    ids = net.site.aps.ids
    changes = []
    for i, why in sorted(affected.items()):
        o, n = int(a_old.ap[i]), int(chosen.ap[i])
        same_route = a_old.routes[i] == chosen.routes[i]
        if o == n and same_route:
            continue
        changes.append(Change(str(people.ids[i]), str(ids[o]) if o >= 0 else None, str(ids[n]) if n >= 0 else None,
                              why if n >= 0 else f"{why}; no safe route now", not same_route))
    return plan, changes


def _merge(new: Assignment, old: Assignment, keep: np.ndarray) -> Assignment:
    """``new`` with the rows of ``keep`` taken from ``old``."""
    out = Assignment(np.where(keep, old.ap, new.ap), [o if k else n for o, n, k in zip(old.routes, new.routes, keep,
                                                                                          strict=True)],
                     np.where(keep, old.length_m, new.length_m), np.where(keep, old.unit_s, new.unit_s),
                     new.escape, new.profile, {i: r for i, r in new.reasons.items() if not keep[i]})
    return out
