"""Hazard-aware shortest routes for everyone at once.

:class:`RoutingNetwork` puts a hazard on a site: red edges closed, orange and
yellow edges dearer, assembly points inside any zone unsafe. For each mobility
profile it runs **one** multi-source Dijkstra from the safe assembly points
over the reversed arcs (:func:`gis.routing.network.search_to_targets`) — the
*clean tree*, which never uses a red edge — and, for people who start inside a
red zone, one more search over the red arcs only, seeded with every node's
clean cost — the *escape tree*. A person in red thus walks red edges only until
they leave the zone, then the clean tree: they may leave a red zone, never enter
one. No search is ever run per person.

:func:`route_shortest` gives everyone the route of their tree: nearest safe
assembly point by hazard-penalised walking time, respecting one-way edges, the
stair and ladder speed factors and, for impaired mobility, no ladders and slower
stairs. Who cannot be routed is told why (:func:`explain_unroutable`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from gis.routing.hazard_graph import EdgeHazard, Hazard, Penalties, apply_hazard
from gis.routing.network import Arcs, RouteList, SearchGraph, Tree
from gis.routing.people import People
from gis.routing.site import Site


class RouteTrees:
    """The clean tree of one profile and its escape tree (routes out of red zones), built when first used."""

    def __init__(self, clean: Tree, escape: Tree | Callable[[], tuple[Tree, np.ndarray]],
                 escape_roots: np.ndarray | None = None):
        self.clean = clean
        if callable(escape):
            self._build_escape: Callable[[], tuple[Tree, np.ndarray]] | None = escape
            self._escape: Tree | None = None
            self._roots: np.ndarray | None = None
        else:
            self._build_escape = None
            self._escape, self._roots = escape, np.asarray(escape_roots, dtype=np.int64)

    def _built(self) -> tuple[Tree, np.ndarray]:
        if self._escape is None:
            assert self._build_escape is not None
            self._escape, self._roots = self._build_escape()
        assert self._roots is not None
        return self._escape, self._roots

    @property
    def escape(self) -> Tree:
        """The escape tree: red arcs only, toward every node with a clean route."""
        return self._built()[0]

    @property
    def escape_roots(self) -> np.ndarray:
        """The escape search's target index → node."""
        return self._built()[1]

    def _escaping(self, escape: np.ndarray, nodes: np.ndarray) -> np.ndarray:
        """Who leaves by the escape tree: escaping people whose node a red walk leaves (the others' way out
        is their clean route)."""
        return escape & np.isfinite(self.escape.dist[nodes])

    def route(self, node: int, escape: bool) -> list[int]:
        """The arcs from ``node`` to its assembly point (via the escape tree first if ``escape``)."""
        if not escape or not np.isfinite(self.escape.dist[node]):
            return self.clean.arcs_from(node)
        first = self.escape.arcs_from(node)
        return first + self.clean.arcs_from(self.escape.root_of(node))

    def flat_routes(self, escape: np.ndarray, nodes: np.ndarray, sums: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The routes from ``nodes`` (via the escape tree where ``escape``, as :meth:`route`) as one flat arc
        array, its bounds and each route's sums of ``sums`` (arcs x k; NaN where there is no route), all
        vectorised: the escape legs by one walk, the clean legs (from where they end) by another, spliced."""
        nodes = np.asarray(nodes, dtype=np.int64)
        sums = np.asarray(sums, float).reshape(len(sums), -1)
        esc = self._escaping(escape, nodes) if np.any(escape) else np.zeros(len(nodes), bool)
        if not esc.any():
            flat, bounds, total = self.clean.flat_routes(nodes, sums)
            assert total is not None
            total[~np.isfinite(self.clean.dist[nodes])] = np.nan
            return flat, bounds, total
        e_flat, e_bounds, _ = self.escape.flat_routes(nodes[esc])
        e_size = np.zeros(len(nodes), dtype=np.int64)
        e_size[esc] = np.diff(e_bounds)
        starts = nodes.copy()
        starts[esc] = self.escape.ends(nodes[esc])
        c_flat, c_bounds, _ = self.clean.flat_routes(starts)
        c_size = np.diff(c_bounds)
        bounds = np.zeros(len(nodes) + 1, dtype=np.int64)
        np.cumsum(e_size + c_size, out=bounds[1:])
        flat = np.empty(int(bounds[-1]), dtype=np.int64)
        e_lo = np.zeros(len(nodes), dtype=np.int64)
        e_lo[esc] = e_bounds[:-1]
        for src, lo, size, shift in ((e_flat, e_lo, e_size, np.zeros_like(e_size)),
                                     (c_flat, c_bounds[:-1], c_size, e_size)):  # escape leg, then clean leg
            k = np.repeat(np.arange(len(nodes)), size)
            within = np.arange(len(k)) - np.repeat(np.cumsum(size) - size, size)
            flat[bounds[:-1][k] + shift[k] + within] = src[lo[k] + within]
        who = np.repeat(np.arange(len(nodes)), np.diff(bounds))
        total = np.column_stack([np.bincount(who, weights=col[flat], minlength=len(nodes)) for col in sums.T])
        reach = np.where(esc, np.isfinite(self.clean.dist[starts]), np.isfinite(self.clean.dist[nodes]))
        total[~reach] = np.nan
        return flat, bounds, total

    def cost(self, escape: np.ndarray, nodes: np.ndarray) -> np.ndarray:
        """Penalised cost from each node (escape tree where ``escape``)."""
        if not np.any(escape):
            return self.clean.dist[nodes]
        return np.where(self._escaping(escape, nodes), self.escape.dist[nodes], self.clean.dist[nodes])

    def ap(self, escape: np.ndarray, nodes: np.ndarray) -> np.ndarray:
        """Assembly point index reached from each node (-1: none)."""
        if not np.any(escape):
            return self.clean.target[nodes]
        esc = self._escaping(escape, nodes)
        esc_target = self.escape.target[nodes]
        if len(self.escape_roots) == 0:
            return self.clean.target[nodes]
        via = np.where(esc_target >= 0, self.escape_roots[np.maximum(esc_target, 0)], 0)
        return np.where(esc, np.where(esc_target >= 0, self.clean.target[via], -1), self.clean.target[nodes])

    def along(self, arc_value: np.ndarray, escape: np.ndarray, nodes: np.ndarray) -> np.ndarray:
        """Sum of ``arc_value`` (per arc, or arcs x columns) along each node's route."""
        clean = self.clean.accumulate(arc_value)
        if not np.any(escape):
            return clean[nodes]
        esc = self.escape.accumulate(arc_value, np.nan_to_num(clean, nan=np.inf))
        pick = self._escaping(escape, nodes)
        return np.where(pick[:, None] if esc.ndim == 2 else pick, esc[nodes], clean[nodes])


class RoutingNetwork:
    """A site under a hazard: arcs, their unit times per profile, penalties, safe assembly points.

    The arcs, the sparse search graph and the unit times come from the site, built once per plant and
    reused under every hazard; only the hazard's edge levels and the weights are computed here."""

    def __init__(self, site: Site, hazard: Hazard | None = None, penalties: Penalties | None = None,
                 edge_hazard: EdgeHazard | None = None):
        self.site = site
        self.graph = site.graph
        self.hazard = hazard
        self.penalties = penalties or Penalties()
        self.arcs = site.arcs()
        self.search_graph = site.search_graph()
        self.edge_hazard = edge_hazard if edge_hazard is not None else apply_hazard(self.graph, hazard,
                                                                                    site.edge_boxes())
        self.arc_edge = self.arcs.edge
        self.arc_length = self.graph.edge_length[self.arc_edge]
        self.unit = site.unit_times()
        self.red_arc = self.edge_hazard.red[self.arc_edge]
        self.arc_mult = self.edge_hazard.multiplier(self.penalties)[self.arc_edge]
        aps = site.aps
        self.ap_rank = (hazard.rank_at(aps.xy[:, 0], aps.xy[:, 1]) if hazard is not None and len(aps)
                        else np.zeros(len(aps), np.int8))
        self.ap_safe = (self.ap_rank == 0) & (aps.nodes >= 0)
        self.edge_capacity = np.where(self.graph.edge_capacity > 0, self.graph.edge_capacity, np.inf)
        self._trees: dict[int, RouteTrees] = {}
        has_red = hazard is not None and "red" in hazard.levels and self.graph.n_nodes > 0
        self.node_in_red = (hazard.in_red(*self.graph.node_xy.T) if has_red  # type: ignore[union-attr]
                            else np.zeros(self.graph.n_nodes, bool))
        self.red_node = self.node_in_red.copy()  # inside a red zone, or touching a red arc
        self.red_node[self.arcs.tail[self.red_arc]] = True
        self.red_node[self.arcs.head[self.red_arc]] = True

    def _site_list(self, key: str, make: Callable[[], object]) -> object:
        """A plain-list view of site-level arrays, built once per site (every hazard's network shares it)."""
        cache = self.site._cache
        if key not in cache:
            cache[key] = make()
        return cache[key]

    @property
    def arc_edge_list(self) -> list[int]:
        """``arc_edge`` as a plain list (for the per-person loops of the flow model)."""
        return self._site_list("arc_edge_list", self.arc_edge.tolist)  # type: ignore[return-value]

    @property
    def unit_lists(self) -> list[list[float]]:
        """``unit`` as plain lists (for the per-person loops of the flow model)."""
        return self._site_list("unit_lists", lambda: [u.tolist() for u in self.unit])  # type: ignore[return-value]

    @property
    def arc_infos(self) -> list[list[tuple[int, float, float]]]:
        """Per profile, per arc ``(edge, edge capacity or 0 = unlimited, unit time)``: what the planner's walk
        (:meth:`gis.routing.flow_model.SlotTable.walk_arcs`) reads in one lookup (built once per site)."""
        def make() -> list[list[tuple[int, float, float]]]:
            cap = np.where(np.isfinite(self.edge_capacity) & (self.edge_capacity > 0), self.edge_capacity, 0.0)
            edges, caps = self.arc_edge_list, cap[self.arc_edge].tolist()
            return [list(zip(edges, caps, u, strict=True)) for u in self.unit_lists]
        return self._site_list("arc_infos", make)  # type: ignore[return-value]

    def search(self, weight: np.ndarray, target_nodes: np.ndarray, target_offset: np.ndarray | None = None,
               limit: float = np.inf) -> Tree:
        """One multi-source search toward ``target_nodes`` on the site's prebuilt graph (see
        :meth:`gis.routing.network.SearchGraph.search`)."""
        return self.search_graph.search(weight, target_nodes, target_offset, limit)

    def shared_profiles(self) -> tuple[list[int], np.ndarray]:
        """The profiles nowhere faster than the normal one, and per arc: length, normal unit time, and for each
        such profile whether it differs there (built once per site)."""
        cache = self.site._cache
        if "shared_profiles" not in cache:
            u0 = self.unit[0]
            shares = [p for p in range(1, len(self.unit)) if bool(np.all(self.unit[p] >= u0))]
            cols = np.asfortranarray(np.column_stack([self.arc_length, u0] +
                                                     [(self.unit[p] != u0).astype(float) for p in shares]))
            cache["shared_profiles"] = (shares, cols)
        return cache["shared_profiles"]  # type: ignore[return-value]

    def red_search(self, base: np.ndarray, roots: np.ndarray, offset: np.ndarray) -> Tree:
        """The escape search over the red arcs only, on a small graph of just the nodes they touch (a red zone
        covers a small part of a plant), returned as a tree over every node."""
        n = self.graph.n_nodes
        red = np.flatnonzero(self.red_arc & np.isfinite(base))
        local = np.unique(np.concatenate([self.arcs.tail[red], self.arcs.head[red], roots]))
        sub = Arcs(len(local), np.searchsorted(local, self.arcs.tail[red]), np.searchsorted(local, self.arcs.head[red]),
                   self.arcs.edge[red], self.arcs.forward[red])
        small = SearchGraph(sub).search(base[red], np.searchsorted(local, roots), offset)
        tree = Tree(np.full(n, np.inf), np.full(n, -1, np.int64), np.full(n, -1, np.int64), np.full(n, -1, np.int64))
        tree.dist[local] = small.dist
        tree.next[local] = np.where(small.next >= 0, local[np.maximum(small.next, 0)], -1)
        tree.arc[local] = np.where(small.arc >= 0, red[np.maximum(small.arc, 0)], -1)
        tree.target[local] = small.target
        return tree

    def weight(self, profile: int, extra: np.ndarray | None = None) -> np.ndarray:
        """Clean-tree arc weights: unit time x hazard penalty (+ ``extra``), red arcs closed."""
        w = self.unit[profile] * self.arc_mult
        if extra is not None:
            w = w + extra
        return np.where(self.red_arc, np.inf, w)

    def build_trees(self, profile: int, extra: np.ndarray | None = None,
                    ap_offset: np.ndarray | None = None, penalised: bool = True) -> RouteTrees:
        """Clean and escape trees for ``profile`` (``extra`` cost per arc, ``ap_offset`` cost per assembly
        point, ``inf`` to exclude it; ``penalised=False`` ignores the orange/yellow/red penalties). The
        escape tree is searched only when someone needs it."""
        aps = self.site.aps
        offset = np.where(self.ap_safe, 0.0, np.inf)
        if ap_offset is not None:
            offset = offset + ap_offset
        unit = self.unit[profile]
        base = unit * self.arc_mult if penalised else unit.copy()
        if extra is not None:
            base = base + extra
        clean = self.search(np.where(self.red_arc, np.inf, base), aps.nodes, offset)

        def escape() -> tuple[Tree, np.ndarray]:
            # Red arcs only, toward the clean nodes a red walk can end at (those touching a red arc or inside
            # a red zone); a node no red walk leaves escapes by its clean route (see RouteTrees).
            roots = np.flatnonzero(np.isfinite(clean.dist) & self.red_node)
            return self.red_search(base, roots, clean.dist[roots]), roots

        return RouteTrees(clean, escape)

    def trees(self, profile: int) -> RouteTrees:
        """The shortest-route trees of ``profile`` (cached)."""
        if profile not in self._trees:
            self._trees[profile] = self.build_trees(profile)
        return self._trees[profile]

    def starts_in_red(self, people: People) -> np.ndarray:
        """Who starts inside a red zone (their position or their graph node)."""
        if self.hazard is None or len(self.hazard) == 0 or len(people) == 0:
            return np.zeros(len(people), bool)
        red = self.hazard.in_red(people.x, people.y)
        if not self.graph.n_nodes:
            return red
        return red | (self.node_in_red[np.maximum(people.node, 0)] & (people.node >= 0))

    def profile_of(self, people: People) -> np.ndarray:
        """Profile index of each person (0 normal, 1 impaired)."""
        return people.impaired.astype(np.int64)


@dataclass
class Assignment:
    """Everyone's assembly point and route (arc lists) plus per-person figures along it.

    ``ap`` is -1 and ``routes[i]`` None for who has no route; ``reasons`` says why.
    ``unit_s`` is the unpenalised walking time at 1 m/s along the route; ``length_m`` its length.
    """

    ap: np.ndarray
    routes: Sequence[list[int] | None]  # a list, or a RouteList (flat arrays; lists made on access)
    length_m: np.ndarray
    unit_s: np.ndarray
    escape: np.ndarray
    profile: np.ndarray
    reasons: dict[int, tuple[str, str]] = field(default_factory=dict)
    over_capacity: np.ndarray | None = None
    eta_s: np.ndarray | None = None  # arrival times a planner already reserved in ``eta_order`` (flow model)
    eta_order: np.ndarray | None = None

    @property
    def routed(self) -> np.ndarray:
        """Rows with a route."""
        return self.ap >= 0


def route_shortest(net: RoutingNetwork, people: People) -> Assignment:
    """Everyone's shortest (hazard-penalised) route to the nearest safe assembly point.

    The normal profile's tree also serves a profile that is nowhere faster (impaired mobility) for each
    person whose route there touches no arc where the two differ (stairs, ladders): every other route costs
    that profile at least as much, so the same route is its shortest too. Only who is left gets a search
    of their own profile."""
    n = len(people)
    profile = net.profile_of(people)
    escape = net.starts_in_red(people)
    joined = people.node >= 0
    nodes = np.maximum(people.node, 0)
    ap = np.full(n, -1, dtype=np.int64)
    length = np.full(n, np.nan)
    unit = np.full(n, np.nan)
    parts: list[tuple[np.ndarray, np.ndarray]] = []  # flat routes; people at one node share one slot
    slots = 0
    route_of = np.full(n, -1, dtype=np.int64)
    done = np.zeros(n, bool)

    shares, cols = net.shared_profiles()
    via0 = joined & ~escape & ((profile == 0) | np.isin(profile, shares))
    if via0.any():
        tree = net.trees(0).clean
        rows = np.flatnonzero(via0)
        starts, inverse = np.unique(nodes[rows], return_inverse=True)
        inverse = inverse.ravel()
        flat, bounds, totals = tree.flat_routes(starts, cols)
        tot = totals[inverse]
        ok = profile[rows] == 0
        for k, p in enumerate(shares):
            ok |= (profile[rows] == p) & (tot[:, 2 + k] == 0)
        rows, inv, tot = rows[ok], inverse[ok], tot[ok]
        target = tree.target[nodes[rows]]
        reach = target >= 0
        ap[rows] = target
        length[rows] = np.where(reach, tot[:, 0], np.nan)
        unit[rows] = np.where(reach, tot[:, 1], np.nan)
        route_of[rows[reach]] = inv[reach] + slots
        parts.append((flat, bounds))
        slots += len(starts)
        done[rows] = True
    for p in np.unique(profile[joined & ~done]).tolist():
        rows = np.flatnonzero(joined & ~done & (profile == p))
        trees = net.trees(p)
        ap[rows] = trees.ap(escape[rows], nodes[rows])
        clean = rows[(ap[rows] >= 0) & ~escape[rows]]
        starts, inverse = np.unique(nodes[clean], return_inverse=True)
        inverse = inverse.ravel()
        flat, bounds, totals = trees.clean.flat_routes(starts, np.column_stack([net.arc_length, net.unit[p]]))
        length[clean], unit[clean] = totals[inverse, 0], totals[inverse, 1]
        route_of[clean] = inverse + slots
        parts.append((flat, bounds))
        slots += len(starts)
        for i in rows[(ap[rows] >= 0) & escape[rows]].tolist():
            r = trees.route(int(nodes[i]), True)
            route_of[i] = slots
            parts.append((np.asarray(r, dtype=np.int64), np.array([0, len(r)])))
            slots += 1
            length[i], unit[i] = float(net.arc_length[r].sum()), float(net.unit[p][r].sum())
    routes = RouteList.join(parts, route_of)
    out = Assignment(ap, routes, length, unit, escape, profile)
    out.reasons = explain_unroutable(net, people, out)
    return out


def explain_unroutable(net: RoutingNetwork, people: People, a: Assignment) -> dict[int, tuple[str, str]]:
    """Why each person without a route has none: ``row → (code, message)``."""
    reasons = dict(people.problem)
    graph = net.graph
    aps = net.site.aps
    comp_of_ap = graph.node_component[aps.nodes[aps.nodes >= 0]] if graph.n_nodes else np.zeros(0, np.int64)
    safe_comp = set(graph.node_component[aps.nodes[net.ap_safe]].tolist()) if graph.n_nodes else set()
    any_comp = set(comp_of_ap.tolist())
    for i in np.flatnonzero((a.ap < 0) & (people.node >= 0)).tolist():
        comp = int(graph.node_component[people.node[i]])
        if comp not in any_comp:
            reasons[i] = ("unreachable-component", f"walkway component {comp} ({component_text(net, comp)}) "
                          "reaches no assembly point: the walkway network is split")
        elif not net.ap_safe.any():
            reasons[i] = ("no-safe-assembly-point", "every assembly point lies inside a hazard zone")
        elif comp not in safe_comp:
            reasons[i] = ("no-safe-assembly-point", f"every assembly point that walkway component {comp} reaches "
                          "lies inside a hazard zone")
        elif a.profile[i] == 1 and np.isfinite(net.trees(0).cost(a.escape[i:i + 1], people.node[i:i + 1]))[0]:
            reasons[i] = ("no-step-free-route", "every route to a safe assembly point needs a ladder, which a "
                          "person with impaired mobility cannot use")
        else:
            reasons[i] = ("cut-off-by-hazard", "a red zone (with one-way walkways) cuts every path from here "
                          "to a safe assembly point")
    return reasons


def component_text(net: RoutingNetwork, comp: int) -> str:
    """A short description of a walkway component: its walkways and where it is."""
    graph = net.graph
    nodes = graph.component_nodes(comp)
    in_comp = np.isin(graph.edge_u, nodes)
    walkways = sorted({str(w) for w in graph.edge_walkway[in_comp]})
    x, y = graph.node_xy[nodes].mean(axis=0)
    shown = ", ".join(walkways[:5]) + (f" and {len(walkways) - 5} more" if len(walkways) > 5 else "")
    return f"{len(walkways)} walkways around x={x:.0f} y={y:.0f}: {shown}"


def route_sums(net: RoutingNetwork, routes: list[list[int] | None], profile: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Length (m) and unit time (s at 1 m/s, each person's profile) of every route (NaN: no route)."""
    n = len(routes)
    has = np.array([r is not None for r in routes], dtype=bool)
    sizes = np.array([len(r) if r is not None else 0 for r in routes], dtype=np.int64)
    flat = np.fromiter(itertools.chain.from_iterable(r for r in routes if r is not None), dtype=np.int64,
                       count=int(sizes.sum()))
    who = np.repeat(np.arange(n), sizes)
    length = np.bincount(who, weights=net.arc_length[flat], minlength=n)
    unit = np.zeros(n)
    for p in np.unique(profile[has]).tolist():
        sel = profile[who] == p
        unit += np.bincount(who[sel], weights=net.unit[p][flat[sel]], minlength=n)
    return np.where(has, length, np.nan), np.where(has, unit, np.nan)
