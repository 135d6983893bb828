"""The movement model: people walking the walkway graph, slowed by crowds, queueing at flow limits.

A mesoscopic, event-driven network-of-queues model in the line of Løvås ("Modeling and simulation of
pedestrian traffic flow", Transportation Research B 28(6), 1994) and the state-dependent M/G/c/c
corridor queues of Yuhaski & Smith (1989) and Cheah & Smith ("Generalized M/G/C/C state dependent
queueing models and pedestrian traffic flows", Queueing Systems 15, 1994):

* **Edges.** Everybody on an edge walks at their own free speed × the edge's speed factor (stairs,
  ladders, and the mobility profile's own factors, from :class:`gis.routing.network.Arcs`) × Weidmann's
  crowd factor at the edge's *current* density (:func:`simulation.walking.moving_factor`). The density
  changes whenever someone enters or leaves the edge, and then everyone on it changes pace. This is
  exact and cheap with one *virtual clock* per edge — the device of processor-sharing queues and fair
  queueing (Demers, Keshav & Shenker, SIGCOMM 1989): the clock advances at the crowd factor's rate,
  a person reaches the end when it has advanced by their free walking time, and the next person out is
  the top of a heap. A change of density reschedules one event per edge, not one per person.
* **Flow limits.** An edge admits at most ``capacity_pps`` people per second (the plant format's
  width × 1.3, :data:`simulation.walking.MAX_SPECIFIC_FLOW`), shared by both directions: one entry
  window of 1/capacity seconds per person. Whoever reaches a node while the next edge's window is
  taken waits there, first come first served — a point queue (Vickrey's bottleneck); queued people
  no longer walk, so they do not slow the edge behind them, and a queue does not spill back into the
  junctions upstream (a stated limit of the model).
* **Access and assembly.** A person walks the straight line from their position to their graph node
  (at free speed, as ``gis.routing`` joins them) and from the assembly point's node to the point.
* **Assembly-point capacity.** An assembly point takes ``capacity`` people; who arrives at a full one is
  sent on to the nearest one with room (a marshal's instruction), or stays, counted over capacity.
* **Routes** come from :mod:`gis.routing`: the hazard-aware shortest routes of
  :func:`gis.routing.shortest.route_shortest` at the start, the route trees of a new
  :class:`~gis.routing.shortest.RoutingNetwork` when the hazard grows (:meth:`Movement.set_network`:
  only people whose remaining route meets a red edge or whose assembly point became unsafe change),
  one search per destination for responders (:meth:`Movement.send`).

Time is in seconds on the caller's clock. :meth:`Movement.run` processes the internal events before a
time and stops early where a caller must act (a responder arrived), so a SimPy process can advance it
with lookahead (:func:`simulation.clocked.mover`) and the arrival times stay exact.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from gis.routing.network import search_to_targets
from gis.routing.people import People
from gis.routing.shortest import RoutingNetwork, route_shortest
from simulation.walking import CRITICAL_DENSITY, CRITICAL_FACTOR, WEIDMANN_GAMMA, WEIDMANN_RHO_MAX

_INV_RHO_MAX = 1.0 / WEIDMANN_RHO_MAX

# person states
IDLE, WAITING, ACCESS, ON_EDGE, QUEUED, FINAL, ARRIVED, HELD, STUCK = range(9)
STATE_NAMES = ("idle", "pre-movement", "access", "walking", "queued", "final-leg", "arrived", "held", "stuck")
# internal event kinds
_START, _JOIN, _ENTER, _EDGE, _FINAL = range(5)


@dataclass
class Arrival:
    """Someone reached the end of a trip: an assembly point (``ap`` ≥ 0) or a node they were sent to."""

    t: float
    row: int
    ap: int
    node: int
    tag: object = None
    over_capacity: bool = False


@dataclass
class FlowLog:
    """Entry times per edge (only filled when the model is built with ``record_flow=True``)."""

    entries: dict[int, list[float]] = field(default_factory=dict)

    def add(self, edge: int, t: float) -> None:
        """Record one entry into ``edge`` at ``t``."""
        self.entries.setdefault(edge, []).append(t)


class Movement:
    """Everyone's movement on one site (see the module docstring).

    ``people`` are joined to the graph by :mod:`gis.routing.people`; ``net`` is the routing network
    (site and hazard). Nobody moves until :meth:`alarm` (evacuation) or :meth:`send` (a trip).
    """

    def __init__(self, net: RoutingNetwork, people: People, *, record_flow: bool = False,
                 min_length_m: float = 1.0, ap_overflow: bool = True):
        self.net = net
        self.people = people
        g = net.graph
        n = len(people)
        self.n = n
        self.min_length_m = float(min_length_m)
        self.ap_overflow = ap_overflow
        self.node_xy = g.node_xy
        self._nx = g.node_xy[:, 0].tolist() if g.n_nodes else []
        self._ny = g.node_xy[:, 1].tolist() if g.n_nodes else []
        self.arc_tail = net.arcs.tail.tolist()
        self.arc_head = net.arcs.head.tolist()
        self.arc_edge = net.arcs.edge.tolist()
        self.unit = [u.tolist() for u in net.unit]
        self.e_len = g.edge_length.astype(float).tolist()
        self.e_width = g.edge_width.astype(float).tolist()
        # the area a crowd on the edge stands on (m²); a door leaf counts as min_length_m long
        self.e_area = (np.maximum(g.edge_length, min_length_m) * np.maximum(g.edge_width, 1e-6)).tolist()
        cap = np.where(np.isfinite(g.edge_capacity) & (g.edge_capacity > 0), g.edge_capacity, np.inf)
        self.e_gap = (1.0 / cap).tolist()  # seconds per entry window
        ne = g.n_edges
        self.e_next_free = [-math.inf] * ne
        self.e_n = [0] * ne
        self.e_g = [1.0] * ne
        self.e_tau = [0.0] * ne
        self.e_t = [0.0] * ne
        self.e_heap: list[list[tuple[float, int, int]]] = [[] for _ in range(ne)]
        self.e_ver = [0] * ne
        self.e_queue = [0] * ne
        self.e_queue_max = [0] * ne
        self.flow = FlowLog() if record_flow else None
        # people
        self.speed = people.speed.astype(float).tolist()
        self.profile = people.impaired.astype(np.int64).tolist()
        self.join = people.node.astype(np.int64).tolist()
        self.access = np.nan_to_num(people.access_m.astype(float), nan=0.0).tolist()
        self.x0 = people.x.astype(float).tolist()
        self.y0 = people.y.astype(float).tolist()
        self.premovement = people.premovement.astype(float).tolist()
        self.state = [IDLE] * n
        self.route: list[list[int]] = [[] for _ in range(n)]
        self.step = [0] * n
        self.goal_ap = [-1] * n  # assembly point index of the trip, or -1 for a trip to a node
        self.goal_tag: list[object] = [None] * n
        self.at_node = [-1] * n
        self.cur_arc = [-1] * n
        self.tau_in = [0.0] * n
        self.tau_out = [0.0] * n
        self.token = [0] * n
        self.alarmed_at = [math.nan] * n
        self.departed_at = [math.nan] * n
        self.arrived_at = [math.nan] * n
        self.arrived_ap = [-1] * n
        self.wait_s = [0.0] * n
        self.over_capacity = [False] * n
        self.redirected = [False] * n
        self.reason: dict[int, str] = {}
        # trajectory: (t, place) points in time order, per person; place ≥ 0 a graph node, -1 the person's
        # own position, -2 - k assembly point k
        self.tr_t: list[list[float]] = [[] for _ in range(n)]
        self.tr_p: list[list[int]] = [[] for _ in range(n)]
        aps = net.site.aps
        self.ap_node = aps.nodes.tolist()
        self.ap_x = aps.xy[:, 0].tolist() if len(aps) else []
        self.ap_y = aps.xy[:, 1].tolist() if len(aps) else []
        self.ap_cap = aps.capacity.astype(float).tolist()
        self.ap_count = [0] * len(aps)  # places taken (arrived, or on the last few metres)
        self.ap_load = [0] * len(aps)  # people heading there or arrived
        self._ap_of_node: dict[int, list[int]] = {}
        for k, nd in enumerate(self.ap_node):
            self._ap_of_node.setdefault(int(nd), []).append(k)
        self._heap: list[tuple[float, int, int, int, int]] = []
        self._seq = 0
        self.now = 0.0
        self.arrivals: list[Arrival] = []
        self._notify: list[Arrival] = []
        self._dest_trees: dict[tuple[int, int, bool], object] = {}
        self._full_trees: dict[tuple[int, frozenset[int]], object] = {}
        self._shortest = None

    # ------------------------------------------------------------------ scheduling
    def _push(self, t: float, kind: int, a: int, b: int = 0) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (t, self._seq, kind, a, b))

    def next_time(self) -> float:
        """Time of the next internal event (inf when nothing is pending)."""
        return self._heap[0][0] if self._heap else math.inf

    def _point(self, i: int, t: float, place: int) -> None:
        self.tr_t[i].append(t)
        self.tr_p[i].append(place)

    def _xy(self, i: int, place: int) -> tuple[float, float]:
        if place >= 0:
            return self._nx[place], self._ny[place]
        if place == -1:
            return self.x0[i], self.y0[i]
        return self.ap_x[-2 - place], self.ap_y[-2 - place]

    # ------------------------------------------------------------------ commands
    def evacuation_routes(self) -> tuple[np.ndarray, list[list[int] | None], dict[int, tuple[str, str]]]:
        """The routes :meth:`alarm` gives: the plan set by :meth:`use_plan`, else everyone's shortest route to
        a safe assembly point now (``gis.routing.shortest``): (assembly point per person, -1 = none; arc
        lists; reasons for who has none)."""
        if self._shortest is None:
            a = route_shortest(self.net, self.people)
            self._shortest = (a.ap, a.routes, a.reasons)
        return self._shortest

    def use_plan(self, ap: np.ndarray, routes: list[list[int] | None], reasons: dict[int, tuple[str, str]]) -> None:
        """Evacuate by a given plan (e.g. the capacity-aware plan of ``gis.routing.plan``): each person's
        assembly point index, arc list from their join node, and why who has none has none."""
        self._shortest = (np.asarray(ap), routes, dict(reasons))

    def alarm(self, rows: Iterable[int], t: float, premovement: Iterable[float] | None = None) -> list[int]:
        """The evacuation alarm reaches ``rows`` at ``t``: each starts walking to their assembly point after
        their pre-movement time (or the given ones). Returns the rows that have no route (reason in
        :attr:`reason`). People already alarmed, walking, held or arrived are left alone."""
        rows = [int(r) for r in rows if self.state[int(r)] == IDLE]
        if not rows:
            return []
        ap, routes, reasons = self.evacuation_routes()
        pm = self.premovement if premovement is None else None
        given = None if premovement is None else [float(p) for p in premovement]
        stuck = []
        for k, i in enumerate(rows):
            self.alarmed_at[i] = t
            if self.join[i] < 0 or ap[i] < 0:
                self.state[i] = STUCK
                code, msg = reasons.get(i, ("no-route", "no route to a safe assembly point"))
                self.reason[i] = f"{code}: {msg}"
                stuck.append(i)
                continue
            self.route[i] = list(routes[i] or [])
            self.step[i] = 0
            self.goal_ap[i] = int(ap[i])
            self.ap_load[int(ap[i])] += 1
            self.goal_tag[i] = None
            self.state[i] = WAITING
            delay = pm[i] if pm is not None else given[k]
            self._push(t + delay, _START, i, self.token[i])
        return stuck

    def send(self, i: int, node: int, t: float, *, tag: object = None, protected: bool = False) -> bool:
        """Send person ``i`` at ``t`` to graph ``node`` by the fastest walking route (through red zones
        only when ``protected``, e.g. wearing breathing apparatus); :meth:`run` reports the arrival with
        ``tag``. Returns False when there is no such route (the person stays where they are)."""
        st = self.state[i]
        start = self._next_node(i)
        if start < 0:
            return False
        tree = self._dest_tree(int(node), self.profile[i], protected)
        if not np.isfinite(tree.dist[start]):
            return False
        self.route[i] = tree.arcs_from(start)
        self.step[i] = 0
        self._set_goal(i, -1)
        self.goal_tag[i] = tag
        if st in (IDLE, WAITING):
            self.token[i] += 1
            self.state[i] = ACCESS
            if math.isnan(self.departed_at[i]):
                self.departed_at[i] = t
            self._point(i, t, -1)
            self._push(t + self.access[i] / self.speed[i], _JOIN, i, self.token[i])
        elif st in (QUEUED, FINAL, ARRIVED, HELD, STUCK):
            self.token[i] += 1
            self._leave_node(i, st)
            self._point(i, t, start)
            self._at_node(i, start, t)
        return True

    def _leave_node(self, i: int, st: int) -> None:
        if st == QUEUED:
            e = self.arc_edge[self.cur_arc[i]]
            self.e_queue[e] -= 1
            self.cur_arc[i] = -1
        elif st in (ARRIVED, FINAL) and self.arrived_ap[i] >= 0:
            self.ap_count[self.arrived_ap[i]] -= 1
            self.arrived_ap[i] = -1

    def _next_node(self, i: int) -> int:
        st = self.state[i]
        if st in (IDLE, WAITING, ACCESS):
            return self.join[i]
        if st == ON_EDGE:
            return self.arc_head[self.cur_arc[i]]
        return self.at_node[i]

    def _dest_tree(self, node: int, profile: int, protected: bool):
        key = (node, profile, protected)
        if key not in self._dest_trees:
            w = self.net.unit[profile] if protected else self.net.weight(profile)
            self._dest_trees[key] = search_to_targets(self.net.arcs, w, np.array([node]))
        return self._dest_trees[key]

    def set_network(self, net: RoutingNetwork, t: float) -> list[int]:
        """The hazard changed at ``t``: people evacuating whose remaining route meets a red edge of ``net``,
        or whose assembly point is no longer safe, get the new shortest route from their next node.
        Returns the rows re-routed. (Trips to nodes are left to their sender.)"""
        self.net = net
        self.unit = [u.tolist() for u in net.unit]
        self._dest_trees.clear()
        self._full_trees.clear()
        self._shortest = None
        red = net.red_arc
        changed = []
        for i in range(self.n):
            st = self.state[i]
            if st not in (WAITING, ACCESS, ON_EDGE, QUEUED) or self.goal_ap[i] < 0:
                continue
            rest = self.route[i][self.step[i]:]
            if st == QUEUED:  # still in front of the arc it was waiting for
                rest = [self.cur_arc[i], *rest]
            if net.ap_safe[self.goal_ap[i]] and not (rest and red[rest].any()):
                continue
            node = self._next_node(i)
            trees = net.trees(self.profile[i])
            in_red = bool(net.hazard is not None and len(net.hazard) and
                          net.hazard.rank_at(np.array([self._nx[node]]), np.array([self._ny[node]]))[0] == 3)
            ap = int(trees.ap(np.array([in_red]), np.array([node]))[0])
            if ap < 0:
                continue  # cut off: keep walking the old route rather than stop in the open
            self.route[i] = trees.route(node, in_red)
            self.step[i] = 0
            self._set_goal(i, ap)
            changed.append(i)
            if st == QUEUED:
                self.token[i] += 1
                self._leave_node(i, st)
                self._at_node(i, node, t)
        return changed

    # ------------------------------------------------------------------ the event loop
    def run(self, until: float = math.inf) -> float | None:
        """Process the internal events before ``until``. Stops early, returning the time, right after a
        responder's arrival (collect it with :meth:`take_notifications`); returns None otherwise."""
        heap = self._heap
        pop, push = heapq.heappop, heapq.heappush
        e_ver, e_tau, e_g, e_t, e_heap, e_n = self.e_ver, self.e_tau, self.e_g, self.e_t, self.e_heap, self.e_n
        e_next_free, e_gap = self.e_next_free, self.e_gap
        cur_arc, arc_head, arc_edge = self.cur_arc, self.arc_head, self.arc_edge
        route, step, at_node = self.route, self.step, self.at_node
        tr_t, tr_p, unit, profile, speed = self.tr_t, self.tr_p, self.unit, self.profile, self.speed
        tau_in, tau_out = self.tau_in, self.tau_out
        reschedule = self._reschedule
        fast = self.flow is None
        while heap and heap[0][0] < until:
            t, _, kind, a, b = pop(heap)
            self.now = t
            if kind == _EDGE:
                if b != e_ver[a]:
                    continue
                # the first person on edge a reaches its end (inlined: the hot path of the model)
                tau = e_tau[a] + e_g[a] * (t - e_t[a])
                e_tau[a] = tau
                e_t[a] = t
                i = pop(e_heap[a])[2]
                e_n[a] -= 1
                reschedule(a, t)
                node = arc_head[cur_arc[i]]
                tr_t[i].append(t)
                tr_p[i].append(node)
                r, k = route[i], step[i]
                if fast and k < len(r):
                    arc = r[k]
                    e = arc_edge[arc]
                    if e_next_free[e] <= t:  # straight on, nobody waiting: enter the next edge now
                        at_node[i] = node
                        step[i] = k + 1
                        e_next_free[e] = t + e_gap[e]
                        tau = e_tau[e] + e_g[e] * (t - e_t[e])
                        e_tau[e] = tau
                        e_t[e] = t
                        out = tau + unit[profile[i]][arc] / speed[i]
                        tau_in[i] = tau
                        tau_out[i] = out
                        cur_arc[i] = arc
                        self._seq += 1
                        push(e_heap[e], (out, self._seq, i))
                        e_n[e] += 1
                        reschedule(e, t)
                        continue
                self._at_node(i, node, t)
            elif kind == _ENTER:
                if b == self.token[a]:
                    self._enter(a, cur_arc[a], t, queued=True)
            elif kind == _START:
                if b == self.token[a] and self.state[a] == WAITING:
                    self.state[a] = ACCESS
                    self.departed_at[a] = t
                    self._point(a, t, -1)
                    self._push(t + self.access[a] / speed[a], _JOIN, a, b)
            elif kind == _JOIN:
                if b == self.token[a]:
                    self._point(a, t, self.join[a])
                    self._at_node(a, self.join[a], t)
            elif kind == _FINAL and b == self.token[a]:
                self._arrive(a, t)
            if self._notify:
                return t
        return None

    def take_notifications(self) -> list[Arrival]:
        """The trip arrivals (not assembly points) since the last call."""
        out, self._notify = self._notify, []
        return out

    def _at_node(self, i: int, node: int, t: float) -> None:
        """Person ``i`` is at ``node`` at ``t``: take the next arc, or finish the trip."""
        self.at_node[i] = node
        route = self.route[i]
        k = self.step[i]
        if k < len(route):
            arc = route[k]
            self.step[i] = k + 1
            e = self.arc_edge[arc]
            entry = self.e_next_free[e]
            if entry <= t:
                self.e_next_free[e] = t + self.e_gap[e]
                self._enter(i, arc, t, queued=False)
            else:
                self.e_next_free[e] = entry + self.e_gap[e]
                self.state[i] = QUEUED
                self.cur_arc[i] = arc
                self.wait_s[i] += entry - t
                q = self.e_queue[e] + 1
                self.e_queue[e] = q
                if q > self.e_queue_max[e]:
                    self.e_queue_max[e] = q
                self._push(entry, _ENTER, i, self.token[i])
            return
        ap = self.goal_ap[i]
        if ap < 0:
            self.state[i] = HELD
            self._notify.append(Arrival(t, i, -1, node, self.goal_tag[i]))
            return
        if self.ap_count[ap] >= self.ap_cap[ap]:
            if self.ap_overflow and not self.redirected[i] and self._redirect(i, node, ap):
                self.redirected[i] = True
                self._at_node(i, node, t)
                return
            self.over_capacity[i] = True
        self.ap_count[ap] += 1  # the place is taken on reaching the point's walkway node
        self.arrived_ap[i] = ap
        self.state[i] = FINAL
        d = math.hypot(self.ap_x[ap] - self._nx[node], self.ap_y[ap] - self._ny[node])
        self._push(t + d / self.speed[i], _FINAL, i, self.token[i])

    def _set_goal(self, i: int, ap: int) -> None:
        old = self.goal_ap[i]
        if old == ap:
            return
        if old >= 0 and self.state[i] not in (IDLE, STUCK):
            self.ap_load[old] -= 1
        if ap >= 0:
            self.ap_load[ap] += 1
        self.goal_ap[i] = ap

    def _redirect(self, i: int, node: int, full_ap: int) -> bool:
        """Send ``i`` on to the nearest safe assembly point with room nobody else is heading for; False
        when there is none."""
        full = frozenset(k for k, c in enumerate(self.ap_load) if c >= self.ap_cap[k] and k != full_ap) | {full_ap}
        key = (self.profile[i], full)
        if key not in self._full_trees:
            offset = np.zeros(len(self.ap_count))
            offset[list(full)] = np.inf
            self._full_trees[key] = self.net.build_trees(self.profile[i], ap_offset=offset)
        trees = self._full_trees[key]
        ap = int(trees.ap(np.array([False]), np.array([node]))[0])
        if ap < 0 or ap == full_ap:
            return False
        self.route[i] = trees.route(node, False)
        self.step[i] = 0
        self._set_goal(i, ap)
        return True

    def _arrive(self, i: int, t: float) -> None:
        ap = self.goal_ap[i]
        self._point(i, t, -2 - ap)
        self.state[i] = ARRIVED
        self.arrived_at[i] = t
        self.arrivals.append(Arrival(t, i, ap, self.ap_node[ap], None, self.over_capacity[i]))

    def _reschedule(self, e: int, t: float) -> None:
        """The crowd on edge ``e`` changed at ``t`` (its virtual clock is at ``t``): new pace, next exit."""
        n1 = self.e_n[e] - 1
        if n1 <= 0:
            g = 1.0
        else:
            rho = n1 / self.e_area[e]
            g = CRITICAL_FACTOR if rho >= CRITICAL_DENSITY else \
                1.0 - math.exp(-WEIDMANN_GAMMA * (1.0 / rho - _INV_RHO_MAX))
        self.e_g[e] = g
        ver = self.e_ver[e] + 1
        self.e_ver[e] = ver
        h = self.e_heap[e]
        if h:
            lag = h[0][0] - self.e_tau[e]
            self._seq += 1
            heapq.heappush(self._heap, (t + lag / g if lag > 0 else t, self._seq, _EDGE, e, ver))

    def _enter(self, i: int, arc: int, t: float, queued: bool) -> None:
        e = self.arc_edge[arc]
        if queued:
            self.e_queue[e] -= 1
            self._point(i, t, self.arc_tail[arc])
        if self.flow is not None:
            self.flow.add(e, t)
        tau = self.e_tau[e] + self.e_g[e] * (t - self.e_t[e])
        self.e_tau[e] = tau
        self.e_t[e] = t
        tau_out = tau + self.unit[self.profile[i]][arc] / self.speed[i]
        self.tau_in[i] = tau
        self.tau_out[i] = tau_out
        self.cur_arc[i] = arc
        self.state[i] = ON_EDGE
        self._seq += 1
        heapq.heappush(self.e_heap[e], (tau_out, self._seq, i))
        self.e_n[e] += 1
        self._reschedule(e, t)

    def _edge_exit(self, e: int, t: float) -> None:
        self.e_tau[e] += self.e_g[e] * (t - self.e_t[e])
        self.e_t[e] = t
        i = heapq.heappop(self.e_heap[e])[2]
        self.e_n[e] -= 1
        self._reschedule(e, t)
        node = self.arc_head[self.cur_arc[i]]
        self.tr_t[i].append(t)
        self.tr_p[i].append(node)
        self._at_node(i, node, t)

    # ------------------------------------------------------------------ reading
    def position(self, i: int, t: float) -> tuple[float, float]:
        """Where person ``i`` is at ``t`` (not before the last processed event), in plant metres. On an edge
        the point moves along the straight line between its nodes."""
        st = self.state[i]
        if st == ON_EDGE:
            arc = self.cur_arc[i]
            e = self.arc_edge[arc]
            tau = self.e_tau[e] + self.e_g[e] * (t - self.e_t[e])
            span = self.tau_out[i] - self.tau_in[i]
            f = 0.0 if span <= 0 else min(1.0, max(0.0, (tau - self.tau_in[i]) / span))
            a, b = self.arc_tail[arc], self.arc_head[arc]
            return (self._nx[a] + f * (self._nx[b] - self._nx[a]), self._ny[a] + f * (self._ny[b] - self._ny[a]))
        if not self.tr_t[i]:
            return self.x0[i], self.y0[i]
        t0 = self.tr_t[i][-1]
        x0, y0 = self._xy(i, self.tr_p[i][-1])
        if st in (ACCESS, FINAL):
            if st == ACCESS:
                x1, y1 = self._nx[self.join[i]], self._ny[self.join[i]]
            else:
                x1, y1 = self.ap_x[self.goal_ap[i]], self.ap_y[self.goal_ap[i]]
            dur = math.hypot(x1 - x0, y1 - y0) / self.speed[i]
            f = 1.0 if dur <= 0 else min(1.0, max(0.0, (t - t0) / dur))
            return x0 + f * (x1 - x0), y0 + f * (y1 - y0)
        return x0, y0

    def positions(self, rows: Iterable[int], t: float) -> np.ndarray:
        """(n, 2) positions of ``rows`` at ``t``."""
        return np.array([self.position(int(i), t) for i in rows], dtype=float).reshape(-1, 2)

    def moving(self) -> list[int]:
        """Rows currently on their way (access walk, on an edge, queued or on the last leg)."""
        return [i for i, s in enumerate(self.state) if s in (ACCESS, ON_EDGE, QUEUED, FINAL)]

    def trajectory(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(t, x, y) points of person ``i``'s path so far; before the first point they are at their own
        position, after the last at the last point."""
        xy = np.array([self._xy(i, p) for p in self.tr_p[i]], dtype=float).reshape(-1, 2)
        return np.asarray(self.tr_t[i], dtype=float), xy[:, 0], xy[:, 1]

    def queue_max(self) -> dict[int, int]:
        """The longest queue seen in front of each edge that had one (edge index → people)."""
        return {e: q for e, q in enumerate(self.e_queue_max) if q > 0}
