"""The capacity-aware plan: routes and departure order so the last person arrives as early as we can.

This is a reservation-based planner in the style of CCRP — *Capacity Constrained
Route Planner*, Q. Lu, B. George and S. Shekhar, "Capacity Constrained Routing
Algorithms for Evacuation Planning: A Summary of Results", SSTD 2005, LNCS 3633,
pp. 291–307. Like CCRP it keeps, for every edge, the capacity already reserved
over time, routes one group at a time in order of earliest arrival, and gives
each group the route on which it *arrives first given the reservations made so
far*, then reserves that route's capacity. Assembly points fill up to their
capacity.

What differs from CCRP, and why:

- CCRP runs a time-aware search per group over the time-expanded reservations.
  That is one search per group; 10,000 people would need thousands of searches.
  Here each group chooses among **candidate routes** produced by a handful of
  whole-network searches (:data:`ROUNDS`): round 0 is the shortest-route tree;
  every further round prices each edge by the congestion the previous rounds'
  assignment put on it (``half the people through it / its capacity``, averaged
  over rounds) and closes assembly points that were over-subscribed, so detours
  around bottlenecks and routes to further assembly points become candidates.
  The choice among candidates is CCRP's: the earliest arrival under the
  reservations (:class:`gis.routing.flow_model.SlotTable`).
- A *group* is everyone who shares a start node and a mobility profile: they
  share the candidate routes (computed once); each member then takes the
  candidate that is best when their turn comes.
- When every candidate of a person ends at a full assembly point, one more
  search is run with the full ones closed (cached until another one fills).
  If no assembly point with room is reachable the person goes to the nearest
  safe one and is flagged over capacity.

The plan's clearance time is then measured by the same flow model as every
other plan (:func:`gis.routing.flow_model.simulate`).
"""

from __future__ import annotations

import numpy as np

from gis.routing.flow_model import SlotTable
from gis.routing.people import People
from gis.routing.shortest import Assignment, RouteTrees, RoutingNetwork

ROUNDS = 4
CONGESTION_WEIGHT = 0.5
REFERENCE_SPEED = 1.34  # m/s: converts a congestion delay (s) into unit time (s at 1 m/s)


def _subtree_counts(trees: RouteTrees, start_counts: np.ndarray) -> np.ndarray:
    """People passing each node on the clean tree (the node's own plus everyone upstream)."""
    tree = trees.clean
    c = start_counts.astype(float)
    reach = np.flatnonzero(np.isfinite(tree.dist) & (tree.next >= 0))
    order = reach[np.argsort(-tree.dist[reach], kind="stable")]
    nxt = tree.next
    cl = c.tolist()
    for n, p in zip(order.tolist(), nxt[order].tolist(), strict=True):
        cl[p] += cl[n]
    return np.asarray(cl)


def candidate_trees(net: RoutingNetwork, people: People, rounds: int = ROUNDS) -> dict[int, list[RouteTrees]]:
    """Per profile, the route trees of each round (round 0 = shortest routes)."""
    profile = net.profile_of(people)
    joined = people.node >= 0
    profiles = np.unique(profile[joined]).tolist()
    out = {p: [net.trees(p)] for p in profiles}
    n_edges = net.graph.n_edges
    flow_avg = np.zeros(n_edges)
    closed = np.zeros(len(net.site.aps), bool)
    cap = net.edge_capacity
    for r in range(1, rounds):
        flow = np.zeros(n_edges)
        load = np.zeros(len(net.site.aps))
        for p in profiles:
            trees = out[p][-1]
            rows = np.flatnonzero(joined & (profile == p))
            counts = np.bincount(people.node[rows], minlength=net.graph.n_nodes)
            through = _subtree_counts(trees, counts)
            has = trees.clean.arc >= 0
            flow += np.bincount(net.arc_edge[trees.clean.arc[has]], weights=through[has], minlength=n_edges)
            tgt = trees.clean.target[people.node[rows]]
            load += np.bincount(tgt[tgt >= 0], minlength=len(load))
        flow_avg = flow_avg + (flow - flow_avg) / r
        closed |= load > net.site.aps.capacity
        extra = CONGESTION_WEIGHT * REFERENCE_SPEED * flow_avg[net.arc_edge] / cap[net.arc_edge]
        offset = np.where(closed, np.inf, 0.0)
        for p in profiles:
            out[p].append(net.build_trees(p, extra=extra, ap_offset=offset))
    return out


def plan_capacity(net: RoutingNetwork, people: People, shortest: Assignment, order: np.ndarray,
                  start_s: np.ndarray, rounds: int = ROUNDS,
                  fixed: dict[int, tuple[int, list[int] | None]] | None = None) -> Assignment:
    """Routes for everyone ``shortest`` could route, chosen by reservation in ``order`` (see the module
    docstring). ``start_s`` is each person's time at their first node; ``fixed`` pins rows to an
    ``(assembly point, route)`` they keep (re-routing), reserved in their turn like everyone else."""
    fixed = fixed or {}
    n = len(people)
    aps = net.site.aps
    trees = candidate_trees(net, people, rounds)
    table = SlotTable(net.edge_capacity)
    remaining = np.floor(aps.capacity).astype(np.int64).tolist()
    ap = np.full(n, -1, dtype=np.int64)
    routes: list[list[int] | None] = [None] * n
    over = np.zeros(n, bool)
    cands: dict[tuple[int, bool, int], list[tuple[int, list[int]]]] = {}
    fallback: dict[tuple[int, tuple[int, ...]], RouteTrees] = {}
    arc_edge = net.arc_edge_list
    profile, escape, node = shortest.profile.tolist(), shortest.escape.tolist(), people.node.tolist()
    speeds, starts = people.speed.tolist(), start_s.tolist()
    for i in order.tolist():
        pinned = fixed.get(i)
        if pinned is not None and pinned[1] is not None:
            t_arr, keys = table.walk(starts[i], pinned[1], arc_edge, net.unit_lists[profile[i]], speeds[i])
            table.take(keys)
            ap[i], routes[i] = pinned
            remaining[pinned[0]] -= 1
            continue
        if shortest.ap[i] < 0:
            continue
        key = (profile[i], escape[i], node[i])
        options = cands.get(key)
        if options is None:
            options = []
            seen: set[tuple[int, ...]] = set()
            for t in trees[key[0]]:
                a = int(t.ap(np.array([key[1]]), np.array([key[2]]))[0])
                if a < 0:
                    continue
                r = t.route(key[2], key[1])
                if tuple(r) not in seen:
                    seen.add(tuple(r))
                    options.append((a, r))
            cands[key] = options
        unit = net.unit_lists[key[0]]
        best: tuple[float, int, list[int], list[int]] | None = None
        for a, r in options:
            if remaining[a] < 1:
                continue
            t_arr, keys = table.walk(starts[i], r, arc_edge, unit, speeds[i])
            if best is None or t_arr < best[0] - 1e-9:
                best = (t_arr, a, r, keys)
        if best is None:
            full = tuple(k for k, left in enumerate(remaining) if left < 1)
            fb = fallback.get((key[0], full))
            if fb is None:
                offset = np.zeros(len(aps))
                offset[list(full)] = np.inf
                fb = fallback[(key[0], full)] = net.build_trees(key[0], ap_offset=offset)
            a = int(fb.ap(np.array([key[1]]), np.array([key[2]]))[0])
            if a >= 0:
                r = fb.route(key[2], key[1])
            else:
                a, r = options[0]
                over[i] = True
            t_arr, keys = table.walk(starts[i], r, arc_edge, unit, speeds[i])
            best = (t_arr, a, r, keys)
        table.take(best[3])
        ap[i], routes[i] = best[1], best[2]
        remaining[best[1]] -= 1
    length = np.full(n, np.nan)
    unit_s = np.full(n, np.nan)
    for i in np.flatnonzero(ap >= 0).tolist():
        r = routes[i]
        length[i] = float(net.arc_length[r].sum()) if r else 0.0
        unit_s[i] = float(net.unit[profile[i]][r].sum()) if r else 0.0
    return Assignment(ap, routes, length, unit_s, shortest.escape, shortest.profile, dict(shortest.reasons), over)
