"""Directed arcs of the walkway graph, mobility profiles and the one multi-source search.

Every walkway edge gives an arc in its digitised direction and, unless it is
one-way, an arc back. Costs are *unit times*: seconds a person walking at 1 m/s
needs, ``length / speed_factor``; a person with speed ``v`` needs ``unit / v``.
Because every person's time on every arc scales with the same ``1 / v``, the
shortest route of a profile does not depend on ``v``, so one search per profile
serves everybody.

:func:`search_to_targets` is that search: one scipy Dijkstra over the
**reversed** arcs from a virtual super-source joined to every target node (an
assembly point, or for the red-zone escape every node with a known clean cost)
with a per-target offset. It returns a :class:`Tree`: for every node the cost
to the best target, the next node toward it and the arc taken.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from gis.walkway_graph import WalkwayGraph

# Added to the super-source arcs (and the floor of any arc weight): scipy treats an explicit 0 in a sparse
# graph as "no arc". Subtracted once from the result; walkway arcs always have a positive length.
_EPS = 1e-9


@dataclass(frozen=True)
class MobilityProfile:
    """How a class of people moves: which kinds they cannot use and how kinds slow them.

    ``kind_factor`` multiplies the edge's own speed factor for that kind (stairs are already
    0.6 in the data; impaired people take them at a further 0.6, i.e. 0.36 of their speed).
    """

    name: str
    forbidden_kinds: frozenset[str] = frozenset()
    kind_factor: tuple[tuple[str, float], ...] = ()


NORMAL = MobilityProfile("normal")
# Impaired mobility: no ladders; stairs at 0.6 x the edge's factor (see docs/routing.md for the sources).
IMPAIRED = MobilityProfile("impaired", frozenset({"ladder"}), (("stair", 0.6),))
PROFILES: tuple[MobilityProfile, ...] = (NORMAL, IMPAIRED)


@dataclass
class Arcs:
    """The directed arcs of a walkway graph: arc ``a`` goes ``tail[a] → head[a]`` along edge ``edge[a]``
    (``forward[a]`` when in the digitised direction). Edges without capacity or length give no arc."""

    n_nodes: int
    tail: np.ndarray
    head: np.ndarray
    edge: np.ndarray
    forward: np.ndarray

    @classmethod
    def of(cls, graph: WalkwayGraph) -> Arcs:
        """Arcs of ``graph``: every usable edge forward, and backward unless one-way."""
        usable = (graph.edge_capacity > 0) & (graph.edge_length > 0) & (graph.edge_speed_factor > 0)
        fwd = np.flatnonzero(usable)
        back = np.flatnonzero(usable & ~graph.edge_one_way.astype(bool))
        return cls(
            n_nodes=graph.n_nodes,
            tail=np.concatenate([graph.edge_u[fwd], graph.edge_v[back]]).astype(np.int64),
            head=np.concatenate([graph.edge_v[fwd], graph.edge_u[back]]).astype(np.int64),
            edge=np.concatenate([fwd, back]).astype(np.int64),
            forward=np.concatenate([np.ones(len(fwd), bool), np.zeros(len(back), bool)]),
        )

    def __len__(self) -> int:
        return len(self.tail)

    def unit_time(self, graph: WalkwayGraph, profile: MobilityProfile) -> np.ndarray:
        """Seconds per arc at 1 m/s for ``profile`` (``inf`` where the profile may not go)."""
        kinds = graph.edge_kind[self.edge]
        factor = graph.edge_speed_factor[self.edge].astype(float).copy()
        for kind, f in profile.kind_factor:
            factor[kinds == kind] *= f
        out = graph.edge_length[self.edge] / factor
        for kind in profile.forbidden_kinds:
            out[kinds == kind] = np.inf
        return out


@dataclass
class Tree:
    """Result of one search toward a set of target nodes.

    ``dist[n]`` is the cost from node ``n`` to its best target (``inf``: none reachable);
    ``next[n]`` the next node on that route and ``arc[n]`` the arc taken (both -1 at a target
    and where unreachable); ``target[n]`` is the index (into the targets given) of the target
    the route ends at (-1 where unreachable).
    """

    dist: np.ndarray
    next: np.ndarray
    arc: np.ndarray
    target: np.ndarray
    _lists_cache: tuple[list[int], list[int]] | None = field(default=None, repr=False, compare=False)
    _calls: int = field(default=0, repr=False, compare=False)

    def reachable(self, nodes: np.ndarray) -> np.ndarray:
        """Whether each of ``nodes`` has a route."""
        return np.isfinite(self.dist[nodes])

    def arcs_from(self, node: int) -> list[int]:
        """The arcs of the route from ``node`` to its target (empty at a target)."""
        out: list[int] = []
        nxt, arc = self._lists()
        n = node
        while nxt[n] >= 0:
            out.append(int(arc[n]))
            n = int(nxt[n])
        return out

    def routes_from(self, nodes: np.ndarray, sums: np.ndarray | None = None):  # type: ignore[no-untyped-def]
        """The arc lists of the routes from each of ``nodes``. With ``sums`` (per arc, or arcs x k), also each
        route's sum of it: ``(routes, totals)``. See :meth:`flat_routes` (the same walk, kept as arrays)."""
        flat, bounds, total = self.flat_routes(nodes, sums)
        out = flat.tolist()
        b = bounds.tolist()
        routes = [out[a:z] for a, z in itertools.pairwise(b)]
        return routes if sums is None else (routes, total)

    def flat_routes(self, nodes: np.ndarray, sums: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The routes from each of ``nodes`` as one flat arc array and its bounds (route ``k`` is
        ``flat[bounds[k]:bounds[k + 1]]``), and with ``sums`` (per arc, or arcs x k) each route's sum of it.
        Vectorised predecessor walk: one step of every route at a time, written straight into the flat array."""
        nodes = np.asarray(nodes, dtype=np.int64)
        steps: list[tuple[np.ndarray, np.ndarray]] = []
        arcs = self.arc[nodes] if len(nodes) else np.zeros(0, np.int64)
        live = np.flatnonzero(arcs >= 0)
        cur, arcs = nodes[live], arcs[live]
        nxt, arc_of = self.next, self.arc
        while len(live):
            steps.append((live, arcs))
            cur = nxt[cur]
            arcs = arc_of[cur]
            keep = arcs >= 0
            if not keep.all():
                live, cur, arcs = live[keep], cur[keep], arcs[keep]
        depth = np.zeros(len(nodes), dtype=np.int64)
        for live, _ in steps:
            depth[live] += 1
        bounds = np.zeros(len(nodes) + 1, dtype=np.int64)
        np.cumsum(depth, out=bounds[1:])
        flat = np.empty(int(bounds[-1]), dtype=np.int64)
        pos = bounds[:-1]
        for k, (live, arcs) in enumerate(steps):
            flat[pos[live] + k] = arcs
        if sums is None:
            return flat, bounds, None
        sums = np.asarray(sums, float)
        by_column = sums.reshape(len(sums), -1).T  # one contiguous gather and reduceat per column
        total = np.zeros((len(nodes), by_column.shape[0]))
        has = depth > 0
        if has.any():
            starts = pos[has]
            for c, col in enumerate(by_column):
                total[has, c] = np.add.reduceat(np.ascontiguousarray(col)[flat], starts)
        return flat, bounds, total.reshape((len(nodes), *sums.shape[1:]))

    def ends(self, nodes: np.ndarray) -> np.ndarray:
        """The node where the route from each of ``nodes`` ends (vectorised walk)."""
        cur = np.asarray(nodes, dtype=np.int64).copy()
        live = np.flatnonzero(self.next[cur] >= 0)
        while len(live):
            cur[live] = self.next[cur[live]]
            live = live[self.next[cur[live]] >= 0]
        return cur

    def root_of(self, node: int) -> int:
        """The node where the route from ``node`` ends."""
        nxt, _ = self._lists()
        n = node
        while nxt[n] >= 0:
            n = int(nxt[n])
        return n

    def _lists(self):  # type: ignore[no-untyped-def]
        """``next`` and ``arc`` for one route at a time: the arrays for the first few routes, plain lists
        (faster to index, costly to build on a big plant) once many routes are asked for."""
        if self._lists_cache is None:
            self._calls += 1
            if self._calls < 256:
                return self.next, self.arc
            self._lists_cache = (self.next.tolist(), self.arc.tolist())
        return self._lists_cache

    def accumulate(self, arc_value: np.ndarray, root_value: np.ndarray | float = 0.0) -> np.ndarray:
        """For every node, the sum of ``arc_value`` over its route plus ``root_value`` at the route's
        end (NaN where unreachable); ``arc_value`` may have columns (arcs x k, summed column by column).
        Pointer jumping: log2(longest route) vectorised steps."""
        n = len(self.next)
        has_next = self.next >= 0
        arc_value = np.asarray(arc_value, float)
        shape = (n, *arc_value.shape[1:])
        roots = np.asarray(root_value, float)
        roots = np.broadcast_to(roots.reshape(roots.shape + (1,) * (len(shape) - roots.ndim)), shape)
        pick = has_next.reshape((n,) + (1,) * (len(shape) - 1))
        val = np.where(pick, arc_value[np.maximum(self.arc, 0)], roots).astype(float)
        val[~np.isfinite(self.dist)] = np.nan
        ptr = self.next.copy()
        while True:
            live = np.flatnonzero(ptr >= 0)
            if len(live) == 0:
                return val
            p = ptr[live]
            val[live] = val[live] + val[p]
            ptr[live] = ptr[p]


class RouteList(Sequence):
    """Everyone's route, kept as one flat arc array: person ``i``'s route is the arcs
    ``flat[bounds[ref[i]]:bounds[ref[i] + 1]]`` (``ref[i]`` -1: no route). People at one start node share a
    slot. Reading item ``i`` gives a fresh list of arcs (or None); iterating gives all of them at once."""

    def __init__(self, flat: np.ndarray, bounds: np.ndarray, ref: np.ndarray):
        self.flat = np.asarray(flat, dtype=np.int64)
        self.bounds = np.asarray(bounds, dtype=np.int64)
        self.ref = np.asarray(ref, dtype=np.int64)

    @classmethod
    def join(cls, parts: list[tuple[np.ndarray, np.ndarray]], ref: np.ndarray) -> RouteList:
        """One list from ``(flat, bounds)`` parts; ``ref`` numbers the slots of the parts one after another."""
        if not parts:
            return cls(np.zeros(0, np.int64), np.zeros(1, np.int64), ref)
        sizes = np.concatenate([np.diff(b) for _, b in parts])
        bounds = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=bounds[1:])
        return cls(np.concatenate([f for f, _ in parts]), bounds, ref)

    @classmethod
    def of(cls, routes: Sequence[Sequence[int] | None]) -> RouteList:
        """One list from a list of routes (arc indices; None for a person with no route)."""
        sizes = np.array([len(r) if r is not None else 0 for r in routes], np.int64)
        bounds = np.zeros(len(sizes) + 1, np.int64)
        np.cumsum(sizes, out=bounds[1:])
        flat = np.fromiter((arc for r in routes if r for arc in r), np.int64, count=int(bounds[-1]))
        ref = np.where(np.array([r is not None for r in routes], bool), np.arange(len(routes)), -1)
        return cls(flat, bounds, ref)

    def __len__(self) -> int:
        return len(self.ref)

    def __getitem__(self, i):  # type: ignore[no-untyped-def,override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        k = int(self.ref[i])
        if k < 0:
            return None
        return self.flat[self.bounds[k]:self.bounds[k + 1]].tolist()

    def __iter__(self) -> Iterator[list[int] | None]:
        out = self.flat.tolist()
        b = self.bounds.tolist()
        for k in self.ref.tolist():
            yield out[b[k]:b[k + 1]] if k >= 0 else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(
            a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


class SearchGraph:
    """The reversed arcs of a walkway graph as one scipy CSR matrix, built once and reused by every search.

    Row ``n`` is a virtual super-source with a slot to every node (a target's offset goes there); each
    search only writes the weights into ``data`` (``inf`` = no arc). Parallel arcs (two walkways
    between one pair of nodes) share a slot that takes the cheapest of them.
    """

    def __init__(self, arcs: Arcs):
        n = arcs.n_nodes
        self.n_nodes = n
        self.n_arcs = len(arcs)
        rows = np.concatenate([arcs.head, np.full(n, n)])  # reversed: tail -> head becomes head -> tail
        cols = np.concatenate([arcs.tail, np.arange(n)])
        key = rows * (n + 1) + cols
        self.keys, slot = np.unique(key, return_inverse=True)
        self.slot = slot.ravel().astype(np.int64)  # arc k (k >= n_arcs: the super arc to node k - n_arcs)
        count = np.bincount(self.slot, minlength=len(self.keys))
        self.single = count[self.slot] == 1  # arcs alone in their slot
        self.multi = np.flatnonzero(~self.single)  # arcs sharing a slot (parallel walkways)
        self.indptr = np.searchsorted(self.keys // (n + 1), np.arange(n + 2)).astype(np.int32)
        self.indices = (self.keys % (n + 1)).astype(np.int32)
        self.n_real = int(self.indptr[n])  # slots of real arcs (the super-source's row comes last)
        self.matrix = csr_matrix((np.ones(len(self.keys)), self.indices, self.indptr), shape=(n + 1, n + 1))
        self.tail_arr, self.head_arr = arcs.tail, arcs.head  # a node leaves by an arc it is the tail of

    def search(self, weight: np.ndarray, target_nodes: np.ndarray, target_offset: np.ndarray | None = None,
               limit: float = np.inf) -> Tree:
        """One multi-source Dijkstra (see :func:`search_to_targets`); nodes farther than ``limit`` (with
        targets that cost nothing) are left unreached."""
        n = self.n_nodes
        target_nodes = np.asarray(target_nodes, dtype=np.int64)
        offset = np.zeros(len(target_nodes)) if target_offset is None else np.asarray(target_offset, float)
        node_offset = np.full(n, np.inf)
        np.minimum.at(node_offset, target_nodes, offset)
        target_of_node = np.full(n, -1, dtype=np.int64)
        first = np.isfinite(offset)
        order = np.lexsort((np.arange(len(offset)), offset))[::-1]  # the cheapest (first listed) written last
        target_of_node[target_nodes[order[first[order]]]] = order[first[order]]
        plain = bool(np.all(offset[first] == 0.0))
        n_arcs = self.n_arcs
        w_arc = np.maximum(weight, _EPS)
        data = np.empty(self.n_real if plain else len(self.keys))
        data[self.slot[:n_arcs]] = w_arc  # slots of one arc; parallel arcs are resolved below
        if not plain:
            data[self.slot[n_arcs:]] = node_offset + _EPS
        multi = self.multi[self.multi < n_arcs]  # the super arcs never share a slot
        if len(multi):
            data[self.slot[multi]] = np.inf
            np.minimum.at(data, self.slot[multi], w_arc[multi])
        if plain:  # every target costs nothing: scipy's own multi-source search, no super-source needed
            graph = csr_matrix((data, self.indices[:self.n_real], self.indptr[:n + 1]), shape=(n, n), copy=False)
            sources = np.unique(target_nodes[first])
            dist, pred, src = dijkstra(graph, directed=True, indices=sources, min_only=True,
                                       return_predecessors=True, limit=limit)
            is_source = np.zeros(n, bool)
            is_source[sources] = True
            pred = np.where(is_source, n, pred)
            dist = dist + _EPS
        else:
            graph = csr_matrix((data, self.indices, self.indptr), shape=self.matrix.shape, copy=False)
            dist, pred = dijkstra(graph, directed=True, indices=n, return_predecessors=True)
            dist, pred = dist[:n], pred[:n]
        reached = np.isfinite(dist)
        at_target = reached & (pred == n)
        # The arc each node leaves by: the arc tail -> pred[tail] (the cheapest of parallel ones).
        hop = np.where(reached & ~at_target, pred, -1)
        m = np.flatnonzero(self.head_arr == hop[self.tail_arr])
        used = np.full(n, -1, dtype=np.int64)
        if len(m):
            m = m[np.isfinite(w_arc[m])]
            dup = np.bincount(self.tail_arr[m], minlength=n)[self.tail_arr[m]] > 1
            if dup.any():  # parallel walkways: the first of the cheapest (what the slot kept)
                d = m[dup]
                best = np.full(n, np.inf)
                np.minimum.at(best, self.tail_arr[d], w_arc[d])
                d = d[w_arc[d] == best[self.tail_arr[d]]]
                first_of = np.full(n, len(w_arc))
                np.minimum.at(first_of, self.tail_arr[d], d)
                m = np.concatenate([m[~dup], d[first_of[self.tail_arr[d]] == d]])
            used[self.tail_arr[m]] = m
        nxt = np.where(reached & ~at_target, pred, -1).astype(np.int64)
        arc = np.where(reached & ~at_target, used, -1).astype(np.int64)
        tree = Tree(dist=np.where(reached, dist - _EPS, np.inf), next=nxt, arc=arc, target=np.full(n, -1))
        if plain:
            tree.target = np.where(reached, target_of_node[np.maximum(src, 0)], -1).astype(np.int64)
        else:
            root_target = np.where(at_target, target_of_node, -1).astype(np.int64)
            tree.target = _propagate_roots(tree, root_target)
        return tree


def search_to_targets(arcs: Arcs, weight: np.ndarray, target_nodes: np.ndarray,
                      target_offset: np.ndarray | None = None, graph: SearchGraph | None = None) -> Tree:
    """One multi-source Dijkstra: for every node, the cheapest route along ``arcs`` (costs ``weight``;
    ``inf`` = unusable) to any of ``target_nodes``, each target costing its ``target_offset`` on
    arrival (default 0). A target node listed twice keeps its cheaper offset (the first listed on a tie).
    Pass the arcs' prebuilt ``graph`` (:class:`SearchGraph`) to skip building the sparse matrix."""
    return (graph or SearchGraph(arcs)).search(weight, target_nodes, target_offset)


def _propagate_roots(tree: Tree, root_target: np.ndarray) -> np.ndarray:
    """Copy each root's target index to every node whose route ends there (pointer jumping)."""
    out = root_target.copy()
    ptr = tree.next.copy()
    while True:
        live = np.flatnonzero(ptr >= 0)
        if len(live) == 0:
            return out
        nxt = ptr[live]
        done = ptr[nxt] < 0
        out[live[done]] = out[nxt[done]]
        ptr[live] = ptr[nxt]
        ptr[live[done]] = -1
