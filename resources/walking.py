"""Walking time to one place from everywhere on the plant, around the hazard, in one search.

:class:`WalkNetwork` is the walkway graph under a hazard — :class:`gis.routing.shortest.RoutingNetwork`
supplies the arcs, their unit times (seconds at 1 m/s: length / speed factor, so stairs and ladders
are slower), the red arcs and the orange/yellow cost multipliers. It is built once per plant and
hazard. :meth:`WalkNetwork.reach` answers "how long from anywhere to here": **one** multi-source
Dijkstra (:meth:`gis.routing.shortest.RoutingNetwork.search`: scipy's Dijkstra over the reversed arcs)
rooted at the place, giving every node's cost to it and its route. Every resource and person is then
priced by a lookup, never by a search of its own (Dijkstra 1959; complexity O(E + V log V)).

Rules, as for evacuation routing:

- **Red is closed.** A route never uses an arc whose walkway meets a red zone, and an item or person
  standing inside a red zone (or whose straight walk to the walkway crosses one) is not offered.
- **A place inside a red zone** cannot be walked to. Its destination becomes the *staging point*:
  the walkway node outside red from which the place is nearest along the red walkways (the second,
  small search runs over red arcs only). Routes end there; ``inside_red_m`` says how far is left.
- **Orange and yellow** cost more (``Penalties``): the route avoids them when it reasonably can, but
  the reported ``walk_s`` is the real walking time of the route chosen.
- **Joining the graph**: a point joins its nearest walkway node within 50 m (the plant format's rule
  for people) and walks the straight line to it.
- **Direction**: the route goes *from* the item (or person) *to* the place — what bringing it takes;
  one-way walkways are respected in that direction.
- **Walking speed** 1.34 m/s: the mean free walking speed of Weidmann (1993), *Transporttechnik der
  Fussgänger*, ETH Zürich — as in evacuation routing. **Vehicles** (fire trucks) drive on ``road``
  walkways only, at 20 km/h (a planning assumption for plant roads; pass your plant's limit), to the
  road node from which the crew's walk to the place is shortest: one more search, over roads only,
  seeded with the walking cost of every road node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import shapely
from scipy.spatial import cKDTree

from gis import schema
from gis.routing.hazard_graph import LEVEL_RANK, Hazard, Penalties
from gis.routing.network import Tree
from gis.routing.shortest import RoutingNetwork
from gis.routing.site import Site

WALK_SPEED_MPS = 1.34
VEHICLE_SPEED_MPS = 20.0 / 3.6
JOIN_DISTANCE_M = schema.PERSON_JOIN_DISTANCE_M
VEHICLE_KINDS = frozenset({"fire_truck"})
_RED = LEVEL_RANK["red"]


class QueryError(ValueError):
    """A place that cannot be reached at all (off the walkways); the message says why."""


@dataclass
class Joined:
    """Points joined to the graph: ``node`` (-1: not joined), the straight ``access_m`` to it, and ``problem``
    per row: "" when fine, else a stable code (``bad-position``, ``too-far-from-walkway``,
    ``inside-red-zone``)."""

    xy: np.ndarray
    node: np.ndarray
    access_m: np.ndarray
    problem: np.ndarray


class WalkNetwork:
    """The walkway graph of a site under a hazard (None: no hazard), for walking-time queries.

    ``speed_mps`` is the walking speed, ``vehicle_speed_mps`` the driving speed on roads (m/s).
    """

    def __init__(self, site: Site, hazard: Hazard | None = None, penalties: Penalties | None = None,
                 speed_mps: float = WALK_SPEED_MPS, vehicle_speed_mps: float = VEHICLE_SPEED_MPS):
        for name, v in (("speed_mps", speed_mps), ("vehicle_speed_mps", vehicle_speed_mps)):
            if not (np.isfinite(v) and 0.1 <= v <= 50.0):
                raise ValueError(f"{name} must be within [0.1, 50] m/s, got {v!r}")
        self.site = site
        self.hazard = hazard if hazard is not None and len(hazard) else None
        self.net = RoutingNetwork(site, self.hazard, penalties)
        self.graph = site.graph
        self.speed = float(speed_mps)
        self.vehicle_speed = float(vehicle_speed_mps)
        arcs, g = self.net.arcs, self.graph
        self.walk_weight = self.net.weight(0)
        self.unit = self.net.unit[0]
        n = g.n_nodes
        self.node_red = (self.hazard.rank_at(g.node_xy[:, 0], g.node_xy[:, 1]) == _RED if self.hazard is not None
                         else np.zeros(n, bool))
        ok = np.isfinite(self.walk_weight)
        touched = np.zeros(n, bool)
        touched[arcs.tail[ok]] = True
        touched[arcs.head[ok]] = True
        self.node_clean = touched & ~self.node_red
        reds = [p for p, lv in zip(self.hazard.polygons, self.hazard.levels, strict=True) if lv == "red"] \
            if self.hazard is not None else []
        self.red_area = shapely.union_all(np.asarray(reds, dtype=object)) if reds else None
        if self.red_area is not None:
            shapely.prepare(self.red_area)

    @classmethod
    def of_plant(cls, plant, hazard: Hazard | None = None, penalties: Penalties | None = None,
                 **speeds: float) -> WalkNetwork:
        """The walk network of a loaded plant under ``hazard``."""
        return cls(Site.of_plant(plant), hazard, penalties, **speeds)

    def with_hazard(self, hazard: Hazard | None, penalties: Penalties | None = None) -> WalkNetwork:
        """The same site and speeds under another hazard."""
        return WalkNetwork(self.site, hazard, penalties or self.net.penalties, self.speed, self.vehicle_speed)

    def search(self, weight: np.ndarray, targets: np.ndarray, offsets: np.ndarray | None = None) -> Tree:
        """One multi-source search toward ``targets`` over the site's arcs: routing's own search, on the sparse
        graph the site builds once."""
        return self.net.search(weight, targets, offsets)

    @cached_property
    def road_nodes(self) -> tuple[np.ndarray, cKDTree]:
        """Nodes on a ``road`` walkway and a KD-tree over them (vehicles join the graph there)."""
        g = self.graph
        road = g.edge_kind == "road"
        nodes = np.union1d(g.edge_u[road], g.edge_v[road]).astype(np.int64)
        return nodes, cKDTree(g.node_xy[nodes] if len(nodes) else np.zeros((0, 2)))

    def join(self, xy: np.ndarray, road: bool = False) -> Joined:
        """Join points (metres, plant CRS) to the graph — to road nodes only when ``road`` (vehicles) —
        flagging who stands in red or cannot join."""
        xy = np.asarray(xy, float).reshape(-1, 2)
        n = len(xy)
        problem = np.full(n, "", dtype=object)
        good = np.isfinite(xy).all(axis=1)
        problem[~good] = "bad-position"
        node = np.full(n, -1, np.int64)
        dist = np.full(n, np.inf)
        if good.any() and not road:
            node[good], dist[good] = self.graph.nearest_nodes(xy[good])
        elif good.any() and len(self.road_nodes[0]):
            dist[good], k = self.road_nodes[1].query(xy[good])
            node[good] = self.road_nodes[0][k]
        far = good & ~(dist <= JOIN_DISTANCE_M)
        problem[far] = "too-far-from-walkway"
        if self.red_area is not None and good.any():
            rows = np.flatnonzero(good & ~far)
            legs = shapely.linestrings(np.stack([xy[rows], self.graph.node_xy[node[rows]]], axis=1))
            red = shapely.intersects(legs, self.red_area) | self.node_red[node[rows]]
            problem[rows[red]] = "inside-red-zone"
        node[problem != ""] = -1
        return Joined(xy, node, np.where(node >= 0, dist, np.nan), problem)

    def reach(self, x: float, y: float) -> Reach:
        """Every node's walking route to the place (x, y) (to its staging point when it lies in red).

        Raises :class:`QueryError` when the place is more than 50 m from every walkway node, or cut off
        inside a red zone with no walkway leading out of it."""
        if not (np.isfinite(x) and np.isfinite(y)):
            raise QueryError(f"the place ({x}, {y}) is not a finite position")
        g = self.graph
        node, dist = g.nearest_nodes(np.array([[x, y]]))
        qnode, access = int(node[0]), float(dist[0])
        if qnode < 0 or not access <= JOIN_DISTANCE_M:
            where = "there is no walkway" if qnode < 0 else f"the nearest walkway node is {access:.1f} m away"
            raise QueryError(f"the place ({x:.1f}, {y:.1f}) is off the walkways: {where} (at most "
                             f"{JOIN_DISTANCE_M:g} m)")
        in_red = False
        if self.red_area is not None:
            leg = shapely.linestrings([[x, y], g.node_xy[qnode]])
            in_red = bool(shapely.intersects(leg, self.red_area))
        dest, inside_red_m = qnode, 0.0
        if in_red or not self.node_clean[qnode]:
            dest, inside_red_m = self._staging(qnode)
            inside_red_m += access
        tree = self.search(self.walk_weight, np.array([dest]))
        return Reach(self, (float(x), float(y)), qnode, dest, dest != qnode or in_red, inside_red_m,
                     0.0 if (dest != qnode or in_red) else access, tree)

    def _staging(self, qnode: int) -> tuple[int, float]:
        """The node outside red nearest to ``qnode`` along red arcs (walking into the zone), and that distance."""
        if self.red_area is None:
            raise QueryError("no usable walkway leads from the walkway node nearest to the place")
        red_only = np.where(self.net.red_arc & np.isfinite(self.unit), self.unit, np.inf)
        tree = self.search(red_only, np.array([qnode]))
        cand = np.flatnonzero(np.isfinite(tree.dist) & self.node_clean)
        if len(cand) == 0:
            raise QueryError("the place is cut off inside a red zone: no walkway leads from it to the zone's edge")
        best = cand[np.lexsort((cand, tree.dist[cand]))[0]]
        length = tree.accumulate(self.net.arc_length)
        return int(best), float(length[best])

    def arc_coords(self, arcs: list[int]) -> list[list[float]]:
        """The polyline of a list of arcs, in walking order (joints not repeated)."""
        out: list[list[float]] = []
        g, a = self.graph, self.net.arcs
        for k in arcs:
            c = g.edge_coords[int(a.edge[k])]
            c = c if a.forward[k] else c[::-1]
            pts = c.tolist()
            out.extend(pts[1:] if out else pts)
        return out


@dataclass
class Reach:
    """Routes from every node to one place. ``dest`` is the node the routes end at (the place's own node,
    or the staging point when ``staging``); ``inside_red_m`` what is left from there to the place through
    red; ``dest_access_m`` the straight walk from ``dest`` to the place (0 when staging)."""

    network: WalkNetwork
    point: tuple[float, float]
    node: int
    dest: int
    staging: bool
    inside_red_m: float
    dest_access_m: float
    tree: Tree
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @cached_property
    def unit_s(self) -> np.ndarray:
        """Per node: seconds at 1 m/s along its route to ``dest`` (NaN: unreachable)."""
        return self.tree.accumulate(self.network.unit)

    @cached_property
    def length_m(self) -> np.ndarray:
        """Per node: metres along its route to ``dest`` (NaN: unreachable)."""
        return self.tree.accumulate(self.network.net.arc_length)

    @property
    def dest_xy(self) -> tuple[float, float]:
        """Where the routes end: the place itself, or the staging point."""
        if self.staging:
            x, y = self.network.graph.node_xy[self.dest]
            return float(x), float(y)
        return self.point

    def walk(self, joined: Joined) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(walk_s, distance_m, cost_s) from each joined point to the place (NaN where no route); cost_s is
        the hazard-penalised time the route was chosen by."""
        node = np.maximum(joined.node, 0)
        ok = (joined.node >= 0) & np.isfinite(self.tree.dist[node])
        sp = self.network.speed
        dist = np.where(ok, joined.access_m + self.length_m[node] + self.dest_access_m, np.nan)
        walk = np.where(ok, (joined.access_m + self.unit_s[node] + self.dest_access_m) / sp, np.nan)
        cost = np.where(ok, (joined.access_m + self.tree.dist[node] + self.dest_access_m) / sp, np.nan)
        return walk, dist, cost

    def path(self, xy: tuple[float, float], node: int) -> list[list[float]]:
        """The walking path from ``xy`` (joined at ``node``) to the place, as [x, y] points (plant CRS)."""
        pts = [[float(xy[0]), float(xy[1])], *self.network.arc_coords(self.tree.arcs_from(int(node)))]
        if len(pts) == 1:
            pts.append(self.network.graph.node_xy[node].tolist())
        pts.append(list(self.dest_xy))
        return _dedupe(pts)

    def drive_tree(self) -> Tree:
        """Vehicle routes: roads only at the vehicle speed, each ending at the road node from which the
        walk to the place is cheapest (costs in seconds)."""
        if "drive" not in self._cache:
            nw = self.network
            g, arcs = nw.graph, nw.net.arcs
            road = (g.edge_kind[arcs.edge] == "road") & ~nw.net.red_arc
            w = np.where(road, nw.net.arc_length / nw.vehicle_speed * nw.net.arc_mult, np.inf)
            on_road = np.zeros(g.n_nodes, bool)
            on_road[arcs.tail[road]] = True
            on_road[arcs.head[road]] = True
            walk_s = self.tree.dist / nw.speed
            roots = np.flatnonzero(on_road & np.isfinite(walk_s))
            if not self.staging and nw.node_clean[self.dest]:
                roots = np.union1d(roots, [self.dest])
            self._cache["drive"] = nw.search(w, roots, walk_s[roots])
            self._cache["drive_roots"] = roots
        return self._cache["drive"]  # type: ignore[return-value]

    def drive(self, joined: Joined) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(total_s, distance_m, drive_s, cost_s) for vehicles at ``joined`` (joined to road nodes, the
        straight access driven): drive to the best road node, then walk the rest. NaN where no route."""
        nw = self.network
        tree = self.drive_tree()
        roots = self._cache["drive_roots"]
        node = np.maximum(joined.node, 0)
        ok = (joined.node >= 0) & np.isfinite(tree.dist[node])
        park = np.where(ok, roots[np.maximum(tree.target[node], 0)], 0)
        drive_m = tree.accumulate(nw.net.arc_length)
        drive_s = np.where(ok, (drive_m[node] + joined.access_m) / nw.vehicle_speed, np.nan)
        walk_s = (self.unit_s[park] + self.dest_access_m) / nw.speed
        dist = np.where(ok, joined.access_m + drive_m[node] + self.length_m[park] + self.dest_access_m, np.nan)
        cost = np.where(ok, tree.dist[node] + joined.access_m / nw.vehicle_speed + self.dest_access_m / nw.speed,
                        np.nan)
        return np.where(ok, drive_s + walk_s, np.nan), dist, drive_s, cost

    def drive_path(self, xy: tuple[float, float], node: int) -> list[list[float]]:
        """The path of a vehicle at ``xy`` (joined at ``node``): the drive, then the crew's walk."""
        tree = self.drive_tree()
        nw = self.network
        pts = [[float(xy[0]), float(xy[1])], nw.graph.node_xy[node].tolist(),
               *nw.arc_coords(tree.arcs_from(int(node)))]
        park = tree.root_of(int(node))
        pts += nw.arc_coords(self.tree.arcs_from(park))
        pts.append(list(self.dest_xy))
        return _dedupe(pts)

    def destination(self) -> dict[str, object]:
        """Where routes end, as JSON: the place, whether it is a staging point, what is left inside red."""
        x, y = self.dest_xy
        return {"x": x, "y": y, "staging": self.staging, "inside_red_m": round(self.inside_red_m, 1),
                "point": list(self.point)}


def _dedupe(pts: list[list[float]]) -> list[list[float]]:
    out = [pts[0]]
    for p in pts[1:]:
        if abs(p[0] - out[-1][0]) > 1e-6 or abs(p[1] - out[-1][1]) > 1e-6:
            out.append(p)
    if len(out) == 1:
        out.append(list(out[0]))
    return out
