"""The walkway graph: walkway lines noded into nodes and edges, as the plant format specifies.

Every line end and every crossing of two lines becomes a node; ends closer than
``snap_m`` (0.5 m) are one node. We also snap an end lying within ``snap_m`` of
another line's interior onto that line (an "undershoot", common in CAD exports),
so a door digitised 30 cm short of the corridor still connects. Each edge keeps
its walkway's id, kind, width, speed factor, direction and capacity.

The graph is held as numpy arrays (one entry per edge, one row per node) so that
routing can build sparse matrices directly; :meth:`WalkwayGraph.to_networkx`
gives a ``networkx.MultiGraph`` view for algorithms that want one.

Cost. Candidate meetings come from an STRtree (Guttman 1984; shapely 2's
vectorised ``query``), so noding is O(n log n + k) for n lines meeting at k
places, and the snapping clusters distinct end positions only, so a thousand
ends at one junction cost one point, not a million pairs. Real networks have a
few meetings per line (the demo plant: 2.4); stacked or duplicated copies of a
walkway meet every other copy, k grows as n², and past
:data:`MAX_MEETINGS_PER_LINE` per line on average the build stops with
:class:`NodingLimit`, naming the densest walkway, instead of running for
minutes and gigabytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx
import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

#: average number of other walkways one walkway may meet (cross, touch, overlap or snap to) before
#: noding refuses the network as stacked copies rather than a plan of walkways
MAX_MEETINGS_PER_LINE = 50
#: meetings always allowed, however few walkways (a small plant with one long road crossing everything)
MIN_MEETINGS_BUDGET = 100_000
#: pairs of walkways whose bounding boxes overlap may exceed the meeting budget by this factor (the
#: boxes of diagonal walkways overlap more often than the walkways meet); past it, noding refuses before
#: testing a single pair exactly, which is what keeps a refusal of 20,000 stacked copies near a second
EXTENT_FACTOR = 4


class NodingLimit(ValueError):
    """The walkways meet each other too often to node: ``line`` is the index of the walkway that meets the
    most others in the part examined, ``meetings`` how many."""

    def __init__(self, n_lines: int, budget: int, line: int, meetings: int, extents: bool = False):
        self.n_lines, self.budget, self.line, self.meetings = n_lines, budget, line, meetings
        many, one = ("lie across", "lies across") if extents else ("meet", "meets")
        super().__init__(f"{n_lines} walkways {many} each other at more than {budget:,} places (at most "
                         f"{MAX_MEETINGS_PER_LINE * (EXTENT_FACTOR if extents else 1)} per walkway on average): "
                         f"stacked or duplicated walkways? One of them {one} {meetings:,} others")


def meeting_budget(n_lines: int) -> int:
    """How many meetings between ``n_lines`` walkways noding accepts."""
    return max(MIN_MEETINGS_BUDGET, MAX_MEETINGS_PER_LINE * n_lines)


def _count_extent_overlaps(tree: shapely.STRtree, geoms: np.ndarray) -> None:
    """Raise :class:`NodingLimit` when more pairs of lines have overlapping bounding boxes than
    ``EXTENT_FACTOR`` times the meeting budget (no exact test: the STRtree answers from boxes alone)."""
    n = len(geoms)
    budget = [EXTENT_FACTOR * meeting_budget(n)]
    start, chunk = 0, 256
    while start < n:
        a, b = tree.query(geoms[start:start + chunk])
        a = a + start
        keep = a < b
        budget[0] -= int(keep.sum())
        if budget[0] < 0:
            counts = np.bincount(np.concatenate([a[keep], b[keep]]), minlength=n)
            worst = int(np.argmax(counts))
            raise NodingLimit(n, EXTENT_FACTOR * meeting_budget(n), worst, int(counts[worst]), extents=True)
        start += chunk


def _bounded_query(tree: shapely.STRtree, queries: np.ndarray, n_lines: int, budget: list[int],
                   owner: np.ndarray | None = None, **kw: object) -> tuple[np.ndarray, np.ndarray]:
    """``tree.query(queries, **kw)`` as (query index, tree index) pairs, without pairs of a line with itself
    (or with a lower index, for line-against-line queries: ``owner is None``), spending ``budget[0]``.

    Runs in chunks that grow while the answers stay small, so a pathological input costs at most one small
    chunk of memory before :class:`NodingLimit` is raised."""
    out_a, out_b = [], []
    start, chunk = 0, 64
    while start < len(queries):
        a, b = tree.query(queries[start:start + chunk], **kw)
        a = a + start
        keep = (a < b) if owner is None else (owner[a] != b)
        a, b = a[keep], b[keep]
        budget[0] -= len(a)
        if budget[0] < 0:
            lines = np.concatenate([a, b]) if owner is None else b
            counts = np.bincount(lines, minlength=n_lines)
            worst = int(np.argmax(counts))
            raise NodingLimit(n_lines, meeting_budget(n_lines), worst, int(counts[worst]))
        out_a.append(a)
        out_b.append(b)
        start += chunk
        if len(a) < 4 * chunk:
            chunk = min(chunk * 2, 65536)
    empty = np.zeros(0, dtype=np.int64)
    return (np.concatenate(out_a) if out_a else empty), (np.concatenate(out_b) if out_b else empty)


@dataclass
class WalkwayGraph:
    """Noded walkway network in the plant CRS (metres).

    Node ``i`` is at ``node_xy[i]``. Edge ``k`` joins ``edge_u[k]`` to
    ``edge_v[k]`` in the walkway's digitised direction (which is the only
    allowed direction when ``edge_one_way[k]``), with polyline ``edge_coords[k]``.
    """

    node_xy: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_coords: list[np.ndarray]
    edge_length: np.ndarray
    edge_source: np.ndarray
    edge_walkway: np.ndarray
    edge_kind: np.ndarray
    edge_width: np.ndarray
    edge_speed_factor: np.ndarray
    edge_one_way: np.ndarray
    edge_capacity: np.ndarray
    node_component: np.ndarray = field(init=False)
    n_components: int = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.node_xy)
        if n == 0:
            self.node_component = np.zeros(0, dtype=np.int64)
            self.n_components = 0
            return
        adj = coo_matrix((np.ones(len(self.edge_u)), (self.edge_u, self.edge_v)), shape=(n, n))
        self.n_components, self.node_component = connected_components(adj, directed=False)

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_xy)

    @property
    def n_edges(self) -> int:
        """Number of edges (noded walkway segments; a two-way segment counts once)."""
        return len(self.edge_u)

    def stats(self) -> dict[str, object]:
        """Counts for reports: nodes, edges, components, total length (m) and edges per kind."""
        kinds, counts = np.unique(self.edge_kind.astype(str), return_counts=True)
        return {
            "nodes": self.n_nodes,
            "edges": self.n_edges,
            "components": int(self.n_components),
            "length_m": round(float(self.edge_length.sum()), 1),
            "edges_by_kind": {str(k): int(c) for k, c in zip(kinds, counts, strict=True)},
        }

    @cached_property
    def node_tree(self) -> cKDTree:
        """KD-tree over node positions, for nearest-node queries."""
        return cKDTree(self.node_xy if len(self.node_xy) else np.zeros((0, 2)))

    def nearest_nodes(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each row of ``xy`` (metres), the nearest node index and its distance in metres."""
        pts = np.asarray(xy, dtype=float).reshape(-1, 2)
        if self.n_nodes == 0:
            return np.full(len(pts), -1, dtype=np.int64), np.full(len(pts), np.inf)
        dist, idx = self.node_tree.query(pts)
        return idx.astype(np.int64), dist

    def component_nodes(self, component: int) -> np.ndarray:
        """Indices of the nodes in one connected component."""
        return np.flatnonzero(self.node_component == component)

    def to_networkx(self) -> nx.MultiGraph:
        """The graph as a ``networkx.MultiGraph``: nodes carry ``x``, ``y``; edges carry
        ``walkway``, ``kind``, ``length_m``, ``width_m``, ``speed_factor``, ``one_way``,
        ``capacity_pps`` and ``from_node`` (the digitised start)."""
        g = nx.MultiGraph()
        g.add_nodes_from((i, {"x": float(x), "y": float(y)}) for i, (x, y) in enumerate(self.node_xy))
        g.add_edges_from(
            (int(u), int(v), k, {
                "walkway": w, "kind": kd, "length_m": float(ln), "width_m": float(wd),
                "speed_factor": float(sf), "one_way": bool(ow), "capacity_pps": float(cp),
                "from_node": int(u),
            })
            for k, (u, v, w, kd, ln, wd, sf, ow, cp) in enumerate(zip(
                self.edge_u, self.edge_v, self.edge_walkway, self.edge_kind, self.edge_length,
                self.edge_width, self.edge_speed_factor, self.edge_one_way, self.edge_capacity, strict=True))
        )
        return g


def _split_positions(geoms: np.ndarray, snap_m: float) -> tuple[np.ndarray, np.ndarray]:
    """All cut positions along every line: (line index, distance along it in m).

    Cuts come from the line's own ends, every crossing or touching with another
    line, and every other line's end lying within ``snap_m`` of this line.
    Raises :class:`NodingLimit` when the lines meet too often (see :func:`meeting_budget`).
    """
    n = len(geoms)
    lengths = shapely.length(geoms)
    line_idx = [np.arange(n), np.arange(n)]
    dist = [np.zeros(n), lengths]

    # Count every meeting against the budget before the costly part (GEOS overlay, ~40 µs a pair).
    tree = shapely.STRtree(geoms)
    _count_extent_overlaps(tree, geoms)
    budget = [meeting_budget(n)]
    a, b = _bounded_query(tree, geoms, n, budget, predicate="intersects")
    ends = np.concatenate([shapely.get_point(geoms, 0), shapely.get_point(geoms, -1)])
    end_owner = np.concatenate([np.arange(n), np.arange(n)])
    pi, li = _bounded_query(tree, ends, n, budget, owner=end_owner, predicate="dwithin", distance=snap_m)

    if len(a):
        inter = shapely.intersection(geoms[a], geoms[b])
        coords, which = shapely.get_coordinates(inter, return_index=True)
        if len(coords):
            pts = shapely.points(coords)
            for owner in (a[which], b[which]):
                line_idx.append(owner)
                dist.append(shapely.line_locate_point(geoms[owner], pts))
    if len(pi):
        line_idx.append(li)
        dist.append(shapely.line_locate_point(geoms[li], ends[pi]))

    return np.concatenate(line_idx), np.concatenate(dist)


def _cut(coords: np.ndarray, cum: np.ndarray, a: float, b: float) -> np.ndarray:
    """The part of polyline ``coords`` (cumulative lengths ``cum``) between distances a < b."""
    start = np.array([np.interp(a, cum, coords[:, 0]), np.interp(a, cum, coords[:, 1])])
    end = np.array([np.interp(b, cum, coords[:, 0]), np.interp(b, cum, coords[:, 1])])
    inner = coords[(cum > a) & (cum < b)]
    return np.vstack([start, inner, end])


def _cluster_positions(label: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """One position per cluster: the location most piece ends share (a junction on an
    unbroken line outvotes the dangling end snapped to it), so snapping never drags a
    through line toward a short stub."""
    key = np.round(pts, 3)
    rows, inverse, counts = np.unique(np.column_stack([label, key]), axis=0, return_inverse=True,
                                      return_counts=True)
    inverse = inverse.ravel()
    order = np.lexsort((-counts, rows[:, 0]))
    best = order[np.concatenate([[True], np.diff(rows[order, 0]) != 0])]
    n_clusters = int(label.max()) + 1
    out = np.zeros((n_clusters, 2))
    rep = np.zeros(len(rows), dtype=bool)
    rep[best] = True
    chosen = rep[inverse]
    # Average the exact coordinates of the ends at the winning location.
    np.add.at(out, label[chosen], pts[chosen])
    out /= np.bincount(label[chosen], minlength=n_clusters)[:, None]
    return out


def _pieces(geoms: np.ndarray, line_idx: np.ndarray, dist: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cut every line at its sorted cut positions, vectorised over all lines at once.

    Returns (piece → source line, flat coordinates of all pieces, piece offsets into
    the flat array, cut coordinates). Piece ``p`` is ``coords[offsets[p]:offsets[p + 1]]``.
    """
    n = len(geoms)
    counts = shapely.get_num_coordinates(geoms)
    vcoords = shapely.get_coordinates(geoms)
    vline = np.repeat(np.arange(n), counts)
    seg = np.hypot(*np.diff(vcoords, axis=0).T)
    seg[vline[1:] != vline[:-1]] = 0.0
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    line_start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    vdist = cum - cum[line_start][vline]

    # One sortable key per position: line number scaled past the longest line, plus distance.
    stride = float(shapely.length(geoms).max()) * 2.0 + 10.0
    cut_key = line_idx * stride + dist
    v_key = vline * stride + vdist
    cut_xy = shapely.get_coordinates(shapely.line_interpolate_point(geoms[line_idx], dist))

    same = line_idx[1:] == line_idx[:-1]
    starts = np.flatnonzero(same)
    piece_line = line_idx[starts]
    piece_of_cut = np.full(len(line_idx), -1, dtype=np.int64)
    piece_of_cut[starts] = np.arange(len(starts))

    pos = np.searchsorted(cut_key, v_key, side="right") - 1
    ok = (pos >= 0) & (pos < len(cut_key) - 1)
    pos_c = np.clip(pos, 0, len(cut_key) - 2)
    eps = 1e-7
    ok &= (piece_of_cut[pos_c] >= 0) & (v_key > cut_key[pos_c] + eps) & (v_key < cut_key[pos_c + 1] - eps)
    inner_piece = piece_of_cut[pos_c[ok]]

    m = len(starts)
    piece_id = np.concatenate([np.arange(m), inner_piece, np.arange(m)])
    rank = np.concatenate([np.zeros(m), np.ones(len(inner_piece)), np.full(m, 2.0)])
    key = np.concatenate([cut_key[starts], v_key[ok], cut_key[starts + 1]])
    xy = np.vstack([cut_xy[starts], vcoords[ok], cut_xy[starts + 1]])
    order = np.lexsort((key, rank, piece_id))
    flat = xy[order]
    offsets = np.concatenate([[0], np.cumsum(np.bincount(piece_id, minlength=m))])
    return piece_line, flat, offsets, cut_xy[np.concatenate([starts, starts + 1])]


def build_walkway_graph(
    lines: np.ndarray,
    walkway_ids: np.ndarray,
    kinds: np.ndarray,
    widths: np.ndarray,
    speed_factors: np.ndarray,
    one_way: np.ndarray,
    capacities: np.ndarray,
    snap_m: float = 0.5,
) -> WalkwayGraph:
    """Node the walkway ``lines`` (shapely LineStrings in metres) into a :class:`WalkwayGraph`.

    The per-walkway arrays give each edge its attributes. Pieces shorter than
    ``snap_m`` whose ends collapse into one node are dropped; a closed loop that
    meets the network at one node is kept as two edges through its far point.
    Raises :class:`NodingLimit` for networks of stacked copies (see the module notes).
    """
    geoms = np.asarray(lines, dtype=object)
    n = len(geoms)
    if n == 0:
        empty_f = np.zeros(0)
        return WalkwayGraph(np.zeros((0, 2)), np.zeros(0, np.int64), np.zeros(0, np.int64), [], empty_f,
                            np.zeros(0, np.int64), np.zeros(0, object), np.zeros(0, object), empty_f,
                            empty_f, np.zeros(0, bool), empty_f)

    line_idx, dist = _split_positions(geoms, snap_m)
    order = np.lexsort((dist, line_idx))
    line_idx, dist = line_idx[order], dist[order]
    keep = np.concatenate([[True], (line_idx[1:] != line_idx[:-1]) | (np.diff(dist) > 1e-6)])
    line_idx, dist = line_idx[keep], dist[keep]

    piece_src, flat, offsets, ends = _pieces(geoms, line_idx, dist)
    m = len(piece_src)
    # Cluster distinct positions only: piece ends meet many at a time at every junction.
    spots, spot_of_end = np.unique(np.round(ends, 6), axis=0, return_inverse=True)
    pairs = cKDTree(spots).query_pairs(r=snap_m, output_type="ndarray")
    adj = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(spots), len(spots)))
    _, spot_label = connected_components(adj, directed=False)
    label = spot_label[spot_of_end.ravel()]
    # Renumber nodes in order of first appearance so ids are stable for a given input.
    _, first, inverse = np.unique(label, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    node_of_end = rank[inverse]
    node_xy = _cluster_positions(node_of_end, ends)
    u_all, v_all = node_of_end[:m], node_of_end[m:]
    flat[offsets[:-1]] = node_xy[u_all]
    flat[offsets[1:] - 1] = node_xy[v_all]

    coords_out = np.split(flat, offsets[1:-1])
    u_list, v_list, src_list = u_all.tolist(), v_all.tolist(), piece_src.tolist()
    loops = np.flatnonzero(u_all == v_all)
    drop: set[int] = set(loops.tolist())
    for k in loops:
        c = coords_out[k]
        cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(c, axis=0).T))])
        if cum[-1] <= 2 * snap_m or len(c) < 3:
            continue
        mid = len(node_xy)
        first_half = _cut(c, cum, 0.0, cum[-1] / 2)
        node_xy = np.vstack([node_xy, first_half[-1]])
        for part, a, b in ((first_half, u_all[k], mid), (_cut(c, cum, cum[-1] / 2, cum[-1]), mid, u_all[k])):
            u_list.append(int(a))
            v_list.append(int(b))
            coords_out.append(part)
            src_list.append(int(piece_src[k]))
    kept = [k for k in range(len(u_list)) if k not in drop]
    edge_u = np.asarray(u_list, dtype=np.int64)[kept]
    edge_v = np.asarray(v_list, dtype=np.int64)[kept]
    coords_out = [coords_out[k] for k in kept]
    src = np.asarray(src_list, dtype=np.int64)[kept]

    # Drop nodes no edge uses (ends of pieces that were discarded) and renumber.
    used = np.zeros(len(node_xy), dtype=bool)
    used[edge_u] = True
    used[edge_v] = True
    new_id = np.cumsum(used) - 1
    node_xy = node_xy[used]
    edge_u, edge_v = new_id[edge_u], new_id[edge_v]

    sizes = np.fromiter((len(c) for c in coords_out), dtype=np.int64, count=len(coords_out))
    all_c = np.concatenate(coords_out) if coords_out else np.zeros((0, 2))
    seg = np.hypot(*np.diff(all_c, axis=0).T)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    lengths = cum[bounds[1:] - 1] - cum[bounds[:-1]]
    return WalkwayGraph(
        node_xy=node_xy,
        edge_u=edge_u,
        edge_v=edge_v,
        edge_coords=coords_out,
        edge_length=lengths,
        edge_source=src,
        edge_walkway=np.asarray(walkway_ids, dtype=object)[src],
        edge_kind=np.asarray(kinds, dtype=object)[src],
        edge_width=np.asarray(widths, dtype=float)[src],
        edge_speed_factor=np.asarray(speed_factors, dtype=float)[src],
        edge_one_way=np.asarray(one_way, dtype=bool)[src],
        edge_capacity=np.asarray(capacities, dtype=float)[src],
    )
