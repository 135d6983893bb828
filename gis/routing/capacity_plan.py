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
  assignment put on it (``w · people through it / its capacity``, averaged over
  rounds, with ``w`` = ½, 1, 2, … doubling each round so that both near and far
  detours appear) and closes assembly points that were over-subscribed, so
  detours around bottlenecks (a room's second door) and routes to further
  assembly points become candidates.
  The choice among candidates is CCRP's: the earliest arrival under the
  reservations (:class:`gis.routing.flow_model.SlotTable`).
- A *group* is everyone who shares a start node and a mobility profile: they
  share the candidate routes (computed once); each member then takes the
  candidate that is best when their turn comes.
- When every candidate of a person ends at a full assembly point, one more
  search is run with the full ones closed (cached until another one fills).
  If no assembly point with room is reachable the person goes to the nearest
  safe one and is flagged over capacity.

The arrival times the planner reserves are exactly what the flow model
(:func:`gis.routing.flow_model.simulate`) gives for the chosen routes in the same
order, so the plan keeps them (``Assignment.eta_s``) instead of timing itself twice.

Speed (10,000 people on the ten-times plant): the candidate routes of every group
are read off each tree at once (vectorised over groups), each candidate carries
its free-flow unit time, and a person walks the candidates cheapest first, each
walk abandoned as soon as it cannot beat the best arrival found (a walk is never
faster than free flow), so most people walk one route.
"""

from __future__ import annotations

import math

import numpy as np

from gis.routing.flow_model import SlotTable
from gis.routing.network import RouteList, Tree
from gis.routing.people import People
from gis.routing.shortest import Assignment, RouteTrees, RoutingNetwork, route_sums

ROUNDS = 4
CONGESTION_WEIGHT = 0.5
REFERENCE_SPEED = 1.34  # m/s: converts a congestion delay (s) into unit time (s at 1 m/s)


def tree_flow(tree: Tree, start_counts: np.ndarray, n_arcs: int) -> np.ndarray:
    """People over each arc when the ``start_counts[n]`` people at each node ``n`` follow ``tree``
    (vectorised: every occupied node's route walked at once, each arc counted with its node's people)."""
    cur = np.flatnonzero(start_counts > 0)
    flat, bounds, _ = tree.flat_routes(cur)
    w = np.repeat(start_counts[cur].astype(float), np.diff(bounds))
    return np.bincount(flat, weights=w, minlength=n_arcs)


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
            arc_flow = tree_flow(trees.clean, counts, len(net.arcs))
            flow += np.bincount(net.arc_edge, weights=arc_flow, minlength=n_edges)
            tgt = trees.clean.target[people.node[rows]]
            load += np.bincount(tgt[tgt >= 0], minlength=len(load))
        flow_avg = flow_avg + (flow - flow_avg) / r
        closed |= load > net.site.aps.capacity
        weight = CONGESTION_WEIGHT * 2.0 ** (r - 1)
        extra = weight * REFERENCE_SPEED * flow_avg[net.arc_edge] / cap[net.arc_edge]
        offset = np.where(closed, np.inf, 0.0)
        for p in profiles:
            out[p].append(net.build_trees(p, extra=extra, ap_offset=offset))
    return out


Candidate = tuple[float, int, int]  # (unit time along the route, assembly point, route reference in a RouteBank)


class RouteBank:
    """Candidate routes by reference, kept as flat arc arrays and turned into arc lists only when a person
    walks one (most are never walked: a person stops at the first candidate nobody else can beat)."""

    def __init__(self) -> None:
        self._flats: list[tuple[np.ndarray, list[int]]] = []  # (flat arcs, bounds) of each batch of routes
        self._batch: list[int] = []  # per reference: its batch, or -1 for an explicit route
        self._slot: list[int] = []  # per reference: its route within the batch
        self._cache: dict[int, list[int]] = {}
        self.length: list[float] = []  # m, per reference (NaN: not known)

    def add_flat(self, flat: np.ndarray, bounds: np.ndarray, slots: np.ndarray, length_m: np.ndarray) -> int:
        """References to the routes ``slots`` of one flat batch (route ``k`` is ``flat[bounds[k]:bounds[k+1]]``);
        returns the first reference (the others follow in order)."""
        first = len(self.length)
        self._flats.append((flat, np.asarray(bounds).tolist()))
        self._batch.extend([len(self._flats) - 1] * len(slots))
        self._slot.extend(np.asarray(slots).tolist())
        self.length.extend(np.asarray(length_m, float).tolist())
        return first

    def add_route(self, route: list[int], length_m: float = math.nan) -> int:
        """A reference to an explicit route."""
        ref = len(self.length)
        self._batch.append(-1)
        self._slot.append(-1)
        self.length.append(length_m)
        self._cache[ref] = route
        return ref

    def route(self, ref: int) -> list[int]:
        """The arc list of a reference (built once)."""
        got = self._cache.get(ref)
        if got is None:
            flat, bounds = self._flats[self._batch[ref]]
            k = self._slot[ref]
            got = self._cache[ref] = flat[bounds[k]:bounds[k + 1]].tolist()
        return got


def group_candidates(net: RoutingNetwork, trees: list[RouteTrees], profile: int, nodes: np.ndarray,
                     escape: np.ndarray, bank: RouteBank,
                     first: tuple[object, np.ndarray, np.ndarray, np.ndarray] | None = None
                     ) -> list[list[Candidate]]:
    """For each group (a start node and whether it escapes a red zone), the distinct routes the trees give
    (told apart by assembly point, length and unit time), cheapest unit time first (vectorised over groups
    and trees). ``first`` gives the groups' routes on the first tree when already built (the shortest
    routes: a :class:`~gis.routing.network.RouteList` with the groups' slots, or a list of arc lists), their
    assembly points, unit times and lengths."""
    g_n = len(nodes)
    cols = np.column_stack([net.unit[profile], net.arc_length])
    aps, units, lengths, refs = [], [], [], []
    for k, t in enumerate(trees):
        if k == 0 and first is not None:  # the shortest routes, already built
            known, ap, u_tot, length = first
            if isinstance(known, tuple):
                (rl, slots) = known
                ref = np.where(slots >= 0, bank.add_flat(rl.flat, rl.bounds, np.maximum(slots, 0), length)
                               + np.arange(g_n), -1)
            else:
                ref = np.array([bank.add_route(r, ln) if r is not None else -1
                                for r, ln in zip(known, np.asarray(length).tolist(), strict=True)], dtype=np.int64)
        else:
            ap = t.ap(escape, nodes)
            flat, bounds, both = t.flat_routes(escape, nodes, cols)
            u_tot, length = both[:, 0], both[:, 1]
            ref = bank.add_flat(flat, bounds, np.arange(g_n), length) + np.arange(g_n)
        aps.append(np.asarray(ap))
        units.append(np.asarray(u_tot, float))
        lengths.append(np.asarray(length, float))
        refs.append(ref)
    ap, u, ln, ref = (np.stack(x) for x in (aps, units, lengths, refs))  # trees x groups
    keep = ap >= 0
    for k in range(1, len(trees)):  # the same route as an earlier tree's (same end, length and time): drop
        for j in range(k):
            keep[k] &= ~((ap[k] == ap[j]) & (np.abs(u[k] - u[j]) <= 1e-6) & (np.abs(ln[k] - ln[j]) <= 1e-6)
                         & keep[j])
    kk, gg = np.nonzero(keep)
    order = np.lexsort((kk, u[kk, gg], gg))
    kk, gg = kk[order], gg[order]
    out: list[list[Candidate]] = [[] for _ in range(g_n)]
    for g, uu, a, r in zip(gg.tolist(), u[kk, gg].tolist(), ap[kk, gg].tolist(), ref[kk, gg].tolist(), strict=True):
        out[g].append((uu, a, r))
    return out


CandidateSet = tuple[np.ndarray, list[list[Candidate]], RouteBank]


def capacity_candidates(net: RoutingNetwork, people: People, shortest: Assignment, rounds: int = ROUNDS
                        ) -> CandidateSet:
    """Each person's group (-1: not routable), each group's candidate routes (one start node, profile and
    red-zone escape per group; cheapest unit time first) and the bank that holds the routes."""
    trees = candidate_trees(net, people, rounds)
    profile, node = shortest.profile, np.maximum(people.node, 0)
    routable = shortest.ap >= 0
    gkey = (node * 2 + shortest.escape.astype(np.int64)) * 2 + profile
    group_of = np.full(len(people), -1, dtype=np.int64)
    options: list[list[Candidate]] = []
    bank = RouteBank()
    for p in np.unique(profile[routable]).tolist():
        rows = np.flatnonzero(routable & (profile == p))
        _, first, inv = np.unique(gkey[rows], return_index=True, return_inverse=True)
        group_of[rows] = inv.ravel() + len(options)
        reps = rows[first]
        known: object = ((shortest.routes, shortest.routes.ref[reps]) if isinstance(shortest.routes, RouteList)
                         else [shortest.routes[i] for i in reps.tolist()])
        options.extend(group_candidates(net, trees[p], p, node[reps], shortest.escape[reps], bank,
                                        (known, shortest.ap[reps], shortest.unit_s[reps], shortest.length_m[reps])))
    return group_of, options, bank


def plan_capacity(net: RoutingNetwork, people: People, shortest: Assignment, order: np.ndarray,
                  start_s: np.ndarray, rounds: int = ROUNDS,
                  fixed: dict[int, tuple[int, list[int] | None]] | None = None,
                  extra_routes: dict[int, list[tuple[int, list[int]]]] | None = None,
                  candidates: CandidateSet | None = None) -> Assignment:
    """Routes for everyone ``shortest`` could route, chosen by reservation in ``order`` (see the module
    docstring). ``start_s`` is each person's time at their first node; ``fixed`` pins rows to an
    ``(assembly point, route)`` they keep (re-routing), reserved in their turn like everyone else;
    ``extra_routes`` adds ``(assembly point, route)`` candidates for given rows (e.g. from the
    time-expanded optimum); ``candidates`` are :func:`capacity_candidates` when already computed. The
    result carries each person's reserved arrival time (``eta_s``)."""
    fixed = fixed or {}
    extra_routes = extra_routes or {}
    n = len(people)
    aps = net.site.aps
    group_of, options, bank = (candidates if candidates is not None
                               else capacity_candidates(net, people, shortest, rounds))
    route_of = bank.route
    table = SlotTable(net.edge_capacity)
    info = net.arc_infos
    remaining = np.floor(aps.capacity).astype(np.int64).tolist()
    ap_l: list[int] = [-1] * n
    routes: list[list[int] | None] = [None] * n
    over = np.zeros(n, bool)
    eta_l, len_l, unit_l = [math.nan] * n, [math.nan] * n, [math.nan] * n
    fallback: dict[tuple[int, tuple[int, ...]], RouteTrees] = {}
    arc_edge = net.arc_edge_list
    unit_lists = net.unit_lists
    profile, node = shortest.profile, np.maximum(people.node, 0)
    speeds, starts, groups = people.speed.tolist(), start_s.tolist(), group_of.tolist()
    profiles = profile.tolist()
    bank_length = bank.length
    walk_arcs, take = table.walk_arcs, table.take
    for i in order.tolist():
        pinned = fixed.get(i) if fixed else None
        if pinned is not None and pinned[1] is not None:
            t_arr, keys = table.walk(starts[i], pinned[1], arc_edge, unit_lists[profiles[i]], speeds[i])
            take(keys)
            ap_l[i], routes[i] = pinned
            eta_l[i] = t_arr
            remaining[pinned[0]] -= 1
            continue
        g = groups[i]
        if g < 0:
            continue
        opts = options[g]
        p_i = profiles[i]
        if extra_routes and i in extra_routes:
            opts = sorted(opts + [(sum(unit_lists[p_i][a] for a in r), a_, bank.add_route(r))
                                  for a_, r in extra_routes[i]], key=lambda x: x[0])
        start, speed = starts[i], speeds[i]
        inv_speed = 1.0 / speed
        arc_info = info[p_i]
        best: tuple[float, int, list[int], list[int]] | None = None
        best_t = math.inf
        for u_tot, a, ref in opts:
            if remaining[a] < 1:
                continue
            if start + u_tot * inv_speed >= best_t - 1e-9:
                break
            r = route_of(ref)
            t_arr, keys = walk_arcs(start, r, arc_info, speed, best_t)
            if t_arr < best_t - 1e-9:
                best, best_t, best_u, best_ref = (t_arr, a, r, keys), t_arr, u_tot, ref
        if best is not None:
            unit_l[i], len_l[i] = best_u, bank_length[best_ref]
        else:
            full = tuple(k for k, left in enumerate(remaining) if left < 1)
            fb = fallback.get((p_i, full))
            if fb is None:
                offset = np.zeros(len(aps))
                offset[list(full)] = np.inf
                fb = fallback[(p_i, full)] = net.build_trees(p_i, ap_offset=offset)
            esc = bool(shortest.escape[i])
            a = int(fb.ap(np.array([esc]), node[i:i + 1])[0])
            if a >= 0:
                r = fb.route(int(node[i]), esc)
            else:
                _, a, ref = opts[0]
                r = route_of(ref)
                over[i] = True
            t_arr, keys = table.walk(start, r, arc_edge, unit_lists[p_i], speed)
            best = (t_arr, a, r, keys)
        take(best[3])
        eta_l[i], ap_l[i], routes[i] = best[0], best[1], best[2]
        remaining[best[1]] -= 1
    ap = np.array(ap_l, dtype=np.int64)
    eta = np.array(eta_l, dtype=float)
    chosen_len, chosen_unit = np.array(len_l, dtype=float), np.array(unit_l, dtype=float)
    known = np.isfinite(chosen_len)
    length, unit_s = chosen_len, chosen_unit
    if not known[ap >= 0].all():  # pinned, fallback and explicit routes: sum them
        rest = np.flatnonzero(~known & (ap >= 0))
        ln, un = route_sums(net, [routes[i] for i in rest.tolist()], profile[rest])
        length[rest], unit_s[rest] = ln, un
    return Assignment(ap, routes, length, unit_s, shortest.escape, shortest.profile, dict(shortest.reasons), over,
                      eta_s=eta, eta_order=order)
