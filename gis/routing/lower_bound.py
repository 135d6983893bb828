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

   An arc without a capacity limit lets everyone through at once: a cut with one
   gives at most that arc's ``t0_i + r_i``.

   Which K? Any K gives a valid bound, so the choice only affects how tight it
   is. Three families are tried and the best kept (``cut_family`` says which):

   - ``min-cut``: a maximum flow from everyone's start node to the safe assembly
     points (scipy's Dinic, capacities rounded *up* to 1/1000 person/s) gives a
     minimum cut; each connected piece of its source side is a K (every arc
     leaving a piece goes to the sink side, so the argument holds for each piece
     on its own). The *largest* minimum cut's source side (everything not
     reaching the sink in the residual graph) is used too;
   - ``distance``: the level sets ``K_d = {nodes farther than d from any safe
     assembly point}`` for :data:`LEVELS` distances ``d`` between the people's
     nearest and farthest — a bottleneck deep inside the plant, behind a wider
     first cut, is the boundary of one of them;
   - ``start``: the start node of each of the :data:`START_NODES` most crowded
     start nodes on its own (the doors of a crowded room).

``t0_i`` uses one forward search from everyone's start (each person's start
time converted at the fastest speed present) and ``r_i`` the distance to the
nearest safe assembly point over every arc anyone may use (clean and red),
allowing re-entry into K (looser, valid); for the :data:`EXACT_COMPONENTS`
min-cut pieces with the highest bound that distance is recomputed without
re-entering K (after their *last* exit nobody does), which can only raise their
bound (a distance level set needs no such step: a fastest route from outside it
never enters it). Both
use the fastest speed present with the cheapest unit times of any profile —
each relaxation only lowers the bound. The bound ignores assembly point
capacities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components, maximum_flow

from gis.routing.people import People
from gis.routing.shortest import Assignment, RoutingNetwork

_SCALE = 1000  # capacities to integers for the max-flow, in 1/1000 person per second
_HUGE = 1 << 28
# Pieces (highest bound first) whose exit times are recomputed without re-entering them.
EXACT_COMPONENTS = 4
LEVELS = 12  # distance level sets tried
START_NODES = 16  # crowded start nodes tried on their own
SPEED_LEVELS = 8  # speed thresholds tried per cut (the slower people of K on their own)


@dataclass
class LowerBound:
    """The bound (s) and its parts; ``cut_people``/``cut_arcs`` describe the binding cut, if any;
    ``time_expanded`` is the time-expanded optimum when it is exact for the flow model (0: not known)."""

    value: float
    individual: float
    cut: float
    cut_people: int = 0
    cut_arcs: int = 0
    time_expanded: float = 0.0
    cut_family: str = ""

    def to_json(self) -> dict[str, object]:
        """JSON-ready form (seconds to 0.1 s)."""
        return {"individual_s": round(self.individual, 1), "cut_s": round(self.cut, 1),
                "cut_people": self.cut_people, "cut_arcs": self.cut_arcs, "cut_family": self.cut_family,
                "time_expanded_s": round(self.time_expanded, 1) if self.time_expanded else None}


def _water_level(a: np.ndarray, c: np.ndarray, n: float) -> float:
    """The T with sum_i c_i * max(0, T - a_i) = n (a sorted ascending inside); an arc of infinite capacity
    caps T at its a_i."""
    inf = ~np.isfinite(c)
    cap_t = float(a[inf].min()) if inf.any() else np.inf
    a, c = a[~inf], c[~inf]
    if len(a) == 0:
        return cap_t
    order = np.argsort(a)
    a, c = a[order], c[order]
    t = (n + np.cumsum(c * a)) / np.cumsum(c)  # the level if the first k+1 arcs carry everyone
    fits = np.flatnonzero(t[:-1] <= a[1:])  # ... and the next arc is not reached by it
    k = int(fits[0]) if len(fits) else len(a) - 1
    return min(float(t[k]), cap_t)


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
    cut, cut_people, cut_arcs, family = _cut_bound(net, people, routed, start_s)
    return LowerBound(max(individual, cut), individual, cut, cut_people, cut_arcs, cut_family=family)


def _cut_bound(net: RoutingNetwork, people: People, routed: np.ndarray, start_s: np.ndarray
               ) -> tuple[float, int, int, str]:
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
        return 0.0, 0, 0, ""
    v_max = float(people.speed[routed].max())
    count = np.bincount(people.node[src_rows], minlength=n)
    start_cost = np.full(n, np.inf)
    np.minimum.at(start_cost, people.node[src_rows], start_s[src_rows] * v_max)
    has = np.flatnonzero(np.isfinite(start_cost))
    fwd = _forward_search(net, unit, has, start_cost[has])  # earliest anyone reaches each node (unit time)
    to_ap = net.search(unit, aps.nodes, np.where(net.ap_safe, 0.0, np.inf)).dist
    cap = net.edge_capacity[arcs.edge]
    t0_arc = fwd[arcs.tail] / v_max
    r_loose = unit + to_ap[arcs.head]
    pieces = _pieces(net, arcs, usable, count, safe_nodes, src_rows, people, to_ap)

    src_node = people.node[src_rows]
    u_idx = np.flatnonzero(usable)  # the usable arcs, their tails and heads (every K's exits are among them)
    u_tail, u_head = arcs.tail[u_idx], arcs.head[u_idx]
    src_speed = people.speed[src_rows]

    def level(k_set: np.ndarray, r_unit: np.ndarray, people_in: int) -> tuple[float, int]:
        """The water level of K; ``r_unit`` is the exit arc's unit time to safety (s at 1 m/s). Also for the
        slower people of K alone: the last of the m people walking at most v leaves K no earlier than the
        water level of m and walks on at most v (:data:`SPEED_LEVELS` thresholds v)."""
        out = u_idx[k_set[u_tail] & ~k_set[u_head]]
        c, t0, rr = cap[out], t0_arc[out], r_unit[out]
        ok = np.isfinite(t0) & np.isfinite(rr)
        if not ok.any():
            return 0.0, 0
        c, t0, rr = c[ok], t0[ok], rr[ok]
        base = t0 - np.where(np.isfinite(c), 2.0 / c, 0.0)
        best = _water_level(base + rr / v_max, c, float(people_in))
        speeds = np.sort(src_speed[k_set[src_node]])
        if len(speeds) and speeds[0] < v_max:
            picks = np.unique(np.quantile(speeds, np.linspace(0.0, 1.0, SPEED_LEVELS)[:-1], method="higher"))
            for v in picks.tolist():
                m = int(np.searchsorted(speeds, v, side="right"))
                best = max(best, _water_level(base + rr / v, c, float(m)))
        return max(0.0, best), len(out[ok])

    scored = []
    for family, k_set in pieces:
        people_in = int(count[k_set].sum())
        if people_in == 0 or k_set[safe_nodes].any():
            continue
        lv, n_arcs = level(k_set, r_loose, people_in)
        scored.append((lv, n_arcs, people_in, family, k_set))
    scored.sort(key=lambda x: -x[0])
    best = (0.0, 0, 0, "")
    for lv, n_arcs, people_in, family, _ in scored[:1]:
        best = (lv, people_in, n_arcs, family)
    # Tighter exits for the best min-cut pieces: after their last exit nobody re-enters K. (A distance level
    # set needs none: a shortest route from outside it never enters it; a single start node gains nothing.)
    for _, _, people_in, family, k_set in [x for x in scored if x[3] == "min-cut"][:EXACT_COMPONENTS]:
        after = net.search(np.where(k_set[arcs.tail] | k_set[arcs.head], np.inf, unit), aps.nodes,
                           np.where(net.ap_safe, 0.0, np.inf)).dist
        tight, n_arcs = level(k_set, unit + after[arcs.head], people_in)
        if tight > best[0]:
            best = (tight, people_in, n_arcs, family)
    return best


def _pieces(net: RoutingNetwork, arcs, usable: np.ndarray, count: np.ndarray, safe_nodes: np.ndarray,  # type: ignore[no-untyped-def]
            src_rows: np.ndarray, people: People, to_ap: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """The candidate sets K of every family (see the module docstring), as boolean node masks."""
    n = arcs.n_nodes
    out: list[tuple[str, np.ndarray]] = []
    # Min cuts: a max-flow from the start nodes (super-source n) to the safe assembly points (super-sink n+1).
    cap = np.ceil(net.edge_capacity[arcs.edge] * _SCALE)
    cap = np.where(np.isfinite(cap), np.minimum(cap, _HUGE), _HUGE).astype(np.int64)
    src_nodes = np.flatnonzero(count > 0)
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
    smallest = np.zeros(n + 2, bool)
    smallest[breadth_first_order(residual, n, directed=True, return_predecessors=False)] = True
    reaches_sink = np.zeros(n + 2, bool)
    reaches_sink[breadth_first_order(residual.T.tocsr(), n + 1, directed=True, return_predecessors=False)] = True
    for side in (smallest[:n], ~reaches_sink[:n]):
        inside = side[arcs.tail] & side[arcs.head] & usable
        k_count, label = connected_components(
            csr_matrix((np.ones(int(inside.sum())), (arcs.tail[inside], arcs.head[inside])), shape=(n, n)),
            directed=False)
        comp_people = np.bincount(label[src_nodes], weights=count[src_nodes], minlength=k_count)
        for k in np.flatnonzero(comp_people > 0).tolist():
            out.append(("min-cut", side & (label == k)))
    # Distance level sets.
    d_people = to_ap[people.node[src_rows]]
    d_people = d_people[np.isfinite(d_people)]
    if len(d_people):
        finite = np.isfinite(to_ap)
        for d in np.unique(np.quantile(d_people, np.linspace(0.0, 1.0, LEVELS + 2)[1:-1]) * (1 - 1e-9)):
            out.append(("distance", finite & (to_ap > d)))
    # The most crowded start nodes on their own.
    for v in src_nodes[np.argsort(-count[src_nodes], kind="stable")[:START_NODES]].tolist():
        k_set = np.zeros(n, bool)
        k_set[v] = True
        out.append(("start", k_set))
    return out


def _forward_search(net: RoutingNetwork, unit: np.ndarray, sources: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Cheapest unit time from any source (plus its offset) to every node, along the arcs' own direction."""
    return net.site.search_graph(forward=True).search(unit, sources, offset).dist
