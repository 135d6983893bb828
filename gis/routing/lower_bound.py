"""A provably valid lower bound on the clearance time of any plan under the flow model.

The flow model is :mod:`gis.routing.flow_model`: free walking speeds, edges that
admit one person per window of ``1 / capacity`` seconds, pre-movement and the
access walk before the first node. The bound is the larger of two bounds, each
valid for every choice of routes, destinations and waiting:

1. **Individual bound.** Nobody arrives before their own free-flow time: their
   start time plus the fastest route their profile may take to any safe
   assembly point, *without* the orange/yellow/red penalties (which change
   choices, not speeds). ``max_p (start_p + D_p / v_p)``.

2. **Cut bound.** Take a set K of nodes holding N_K people and no safe assembly
   point; every one of them must leave K over one of the arcs ``i`` leaving K
   (capacity ``c_i``). If ``n_i`` of them make their last exit over arc ``i``, they
   use ``n_i`` distinct windows of it, the first no earlier than ``t0_i`` (the
   earliest anyone can reach the arc), so the last enters at
   ``> t0_i + (n_i - 2) / c_i`` (the first window may already be part-gone) and
   arrives at ``> t0_i + (n_i - 2) / c_i + r_i``, where ``r_i`` is the fastest
   time from entering arc ``i`` to any safe assembly point. The clearance time is
   therefore at least ``min over (n_i >= 0, sum n_i = N_K) of max_i (a_i + n_i / c_i)``
   with ``a_i = t0_i - 2 / c_i + r_i``, which is the water level ``T`` solving
   ``sum_i c_i * max(0, T - a_i) = N_K`` ("water-filling").

   Which K? A maximum flow from everyone's start node to the safe assembly points
   (scipy's Dinic, capacities rounded *up* to 1/1000 person/s) gives a minimum
   cut; each connected piece of its source side is a K (every arc leaving a
   piece goes to the sink side, so the argument above holds for each piece on
   its own). Any K gives a valid bound, so rounding and the choice of cut only
   affect how tight it is.

``t0_i`` uses one forward search from everyone's start (each person's start
time converted at the fastest speed present) and ``r_i`` the distance to the
nearest safe assembly point over every arc anyone may use (clean and red)
without re-entering K (after their *last* exit nobody does; for all but the
:data:`EXACT_COMPONENTS` most populated pieces re-entering is allowed, which is
looser), both at the fastest speed present with the cheapest unit times of any
profile — each relaxation only lowers the bound. The bound ignores assembly
point capacities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components, maximum_flow

from gis.routing.network import Arcs, search_to_targets
from gis.routing.people import People
from gis.routing.shortest import Assignment, RoutingNetwork

_SCALE = 1000  # capacities to integers for the max-flow, in 1/1000 person per second
_HUGE = 1 << 28
# Components of the cut (most people first) whose exit times exclude re-entering them; the rest use a
# cheaper distance that allows it (still valid, looser).
EXACT_COMPONENTS = 16


@dataclass
class LowerBound:
    """The bound (s) and its two parts; ``cut_people``/``cut_arcs`` describe the binding cut, if any."""

    value: float
    individual: float
    cut: float
    cut_people: int = 0
    cut_arcs: int = 0


def _water_level(a: np.ndarray, c: np.ndarray, n: float) -> float:
    """The T with sum_i c_i * max(0, T - a_i) = n (a sorted ascending inside)."""
    order = np.argsort(a)
    a, c = a[order], c[order]
    cum_c = np.cumsum(c)
    cum_ca = np.cumsum(c * a)
    for k in range(len(a)):
        t = (n + cum_ca[k]) / cum_c[k]
        if k + 1 == len(a) or t <= a[k + 1]:
            return float(t)
    return float("inf")  # pragma: no cover - the loop always returns


def lower_bound(net: RoutingNetwork, people: People, shortest: Assignment, start_s: np.ndarray) -> LowerBound:
    """The lower bound on the clearance time of everyone ``shortest`` could route (see the module docstring)."""
    routed = np.flatnonzero(shortest.ap >= 0)
    if len(routed) == 0:
        return LowerBound(0.0, 0.0, 0.0)
    individual = 0.0
    for p in np.unique(shortest.profile[routed]).tolist():
        rows = routed[shortest.profile[routed] == p]
        trees = net.build_trees(p, penalised=False)
        cost = trees.cost(shortest.escape[rows], people.node[rows])
        individual = max(individual, float(np.max(start_s[rows] + cost / people.speed[rows])))
    cut, cut_people, cut_arcs = _cut_bound(net, people, routed, start_s)
    return LowerBound(max(individual, cut), individual, cut, cut_people, cut_arcs)


def _cut_bound(net: RoutingNetwork, people: People, routed: np.ndarray, start_s: np.ndarray
               ) -> tuple[float, int, int]:
    arcs = net.arcs
    n = arcs.n_nodes
    unit = np.minimum.reduce(net.unit)  # the cheapest unit time of any profile
    usable = np.isfinite(unit)
    aps = net.site.aps
    safe_nodes = np.unique(aps.nodes[net.ap_safe])
    nodes = people.node[routed]
    at_ap = np.isin(nodes, safe_nodes)
    src_rows = routed[~at_ap]
    if len(src_rows) == 0 or len(safe_nodes) == 0:
        return 0.0, 0, 0
    v_max = float(people.speed[routed].max())
    # Max-flow from the start nodes (super-source n) to the safe assembly points (super-sink n + 1).
    cap = np.ceil(net.edge_capacity[arcs.edge] * _SCALE)
    cap = np.where(np.isfinite(cap), np.minimum(cap, _HUGE), _HUGE).astype(np.int64)
    src_nodes = np.unique(people.node[src_rows])
    rows = np.concatenate([arcs.tail[usable], np.full(len(src_nodes), n), safe_nodes])
    cols = np.concatenate([arcs.head[usable], src_nodes, np.full(len(safe_nodes), n + 1)])
    caps = np.concatenate([cap[usable], np.full(len(src_nodes), _HUGE), np.full(len(safe_nodes), _HUGE)])
    keep = rows != cols
    graph = csr_matrix((caps[keep].astype(np.int32), (rows[keep], cols[keep])), shape=(n + 2, n + 2))
    graph.sum_duplicates()
    graph.data = np.minimum(graph.data, _HUGE).astype(np.int32)
    flow = maximum_flow(graph, n, n + 1, method="dinic").flow
    residual = (graph - flow).tocsr()
    residual.data = (residual.data > 0).astype(np.int8)
    residual.eliminate_zeros()
    source_side = np.zeros(n + 2, bool)
    source_side[breadth_first_order(residual, n, directed=True, return_predecessors=False)] = True
    source_side = source_side[:n]

    # Earliest time anyone can reach each node (forward search from every start, at the fastest speed).
    start_cost = np.full(n, np.inf)
    np.minimum.at(start_cost, people.node[src_rows], start_s[src_rows] * v_max)
    has = np.flatnonzero(np.isfinite(start_cost))
    fwd = _forward_search(net, unit, has, start_cost[has])
    # Fastest unit time from each node to a safe assembly point over every usable arc.
    to_ap = search_to_targets(arcs, unit, aps.nodes, np.where(net.ap_safe, 0.0, np.inf)).dist

    inside = source_side[arcs.tail] & source_side[arcs.head] & usable
    k_count, label = connected_components(
        csr_matrix((np.ones(int(inside.sum())), (arcs.tail[inside], arcs.head[inside])), shape=(n, n)),
        directed=False)
    leaving = np.flatnonzero(usable & source_side[arcs.tail] & ~source_side[arcs.head])
    comp_people = np.bincount(label[people.node[src_rows]], minlength=k_count)
    best, best_people, best_arcs = 0.0, 0, 0
    comp_of_arc = label[arcs.tail[leaving]]
    ranked = np.argsort(-comp_people, kind="stable")
    exact = set(ranked[:EXACT_COMPONENTS].tolist())
    for k in np.flatnonzero(comp_people > 0).tolist():
        out = leaving[comp_of_arc == k]
        c = net.edge_capacity[arcs.edge[out]]
        t0 = fwd[arcs.tail[out]] / v_max
        after = to_ap
        if k in exact:
            # After their last exit people never re-enter K: search without K's nodes (tighter).
            in_k = source_side & (label == k)
            after = search_to_targets(arcs, np.where(in_k[arcs.tail] | in_k[arcs.head], np.inf, unit), aps.nodes,
                                      np.where(net.ap_safe, 0.0, np.inf)).dist
        r = (unit[out] + after[arcs.head[out]]) / v_max
        ok = np.isfinite(t0) & np.isfinite(r) & np.isfinite(c)
        if not ok.any():
            continue
        level = _water_level(t0[ok] - 2.0 / c[ok] + r[ok], c[ok], float(comp_people[k]))
        if level > best:
            best, best_people, best_arcs = level, int(comp_people[k]), int(ok.sum())
    return best, best_people, best_arcs


def _forward_search(net: RoutingNetwork, unit: np.ndarray, sources: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Cheapest unit time from any source (plus its offset) to every node, along the arcs' own direction."""
    arcs = net.arcs
    # search_to_targets runs on reversed arcs; reversing the arcs themselves gives the forward search.
    flipped = Arcs(arcs.n_nodes, arcs.head, arcs.tail, arcs.edge, arcs.forward)
    return search_to_targets(flipped, unit, sources, offset).dist
