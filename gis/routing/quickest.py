"""The quickest evacuation on a time-expanded network, solved by maximum flow.

**The method.** Time is cut into steps of ``Δ`` seconds. The *time-expanded
network* (Ford & Fulkerson, "Constructing maximal dynamic flows from static
flows", Operations Research 6 (1958) 419–433; Ford & Fulkerson, *Flows in
Networks*, 1962, ch. III; for the quickest transshipment, Hoppe & Tardos, "The
quickest transshipment problem", Mathematics of Operations Research 25 (2000)
36–62) has a copy of every walkway node per step; an arc ``u → v`` of travel time
``τ`` joins ``(u, t)`` to ``(v, t + τ/Δ)``, waiting is an arc ``(v, t) → (v, t+1)``,
everyone enters at their start node and start step, and every safe assembly point
drains into a sink (through its capacity). With a horizon of ``H`` steps, everyone
can be out by ``H·Δ`` exactly when the maximum flow reaches the number of people;
the quickest evacuation is the smallest such ``H``, found by bisection between the
lower bound and the reservation plan's clearance time.

The flow model's capacity (one person per window of ``1/c`` s, **shared by both
directions**) is kept exactly by a gadget per edge and step: both ends feed an
entry node, the entry node feeds an exit node through the step's capacity, and the
exit node feeds both ends ``τ`` steps later. The step's capacity is
``⌊(t+1)·cΔ⌋ − ⌊t·cΔ⌋`` persons, so the long-run rate is ``c`` at any ``Δ``.

**Coarse then fine.** A first solve at a coarse step (about 48 steps over the
horizon) places the optimum; the step is then refined (÷4 each time) and the
bisection rerun in a window around the coarse answer, while the network fits
:data:`MAX_TEN_ARCS` and the time budget (:data:`ARCS_PER_SECOND` of budget: one maximum flow
cannot be interrupted, so the network is sized to the time left). The finest step is the instance's own
*exact step* when it has one (below), else ``MAX_REFINE`` refinements.

**When it is exact.** If everyone walks at one speed, every start time and arc
travel time is a multiple of ``Δ`` and every capacitated edge has ``c·Δ = 1`` (its
windows are the steps), a schedule of the flow model maps onto a flow of the
time-expanded network and back (entries rounded down to their window), so the
minimum horizon is the flow model's optimum over every choice of routes *and* of
waiting (:attr:`TimeExpanded.exact`). Otherwise it is the optimum of a
discretisation (one reference speed — the routed people's median —, travel times
rounded to steps) and a good plan, not a proof.

**From flow to routes.** The flow is cut into one path per person (flow
decomposition; the network is acyclic because every arc moves forward in time),
each path's walkway arcs become a route, and people of one start node and step
take its paths, the fastest walkers the paths that arrive last. The routes are
then timed by the flow model like any plan (:mod:`gis.routing.flow_model`).
Assembly point capacities are kept (each assembly point drains into the sink
through its capacity). Red-zone escapes are fixed to their shortest way out; the
network starts where they leave the zone.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from gis.routing.people import People
from gis.routing.shortest import Assignment, RoutingNetwork

MAX_TEN_ARCS = 3_000_000  # memory budget: arcs of one time-expanded network
ARCS_PER_SECOND = 150_000  # time budget: one max-flow is not interrupted, so its network is sized to the budget
COARSE_STEPS = 48  # steps over the horizon at the coarse level
MAX_REFINE = 3  # refinements (each ÷4) after the coarse level when the instance has no exact step
_REL = 1e-7


@dataclass
class TimeExpanded:
    """The time-expanded optimum: the step, the minimum horizon and its time, whether it is the flow model's
    exact optimum, each routed person's route (arc list, None where not routed) and how the solve went."""

    step_s: float
    horizon_steps: int
    value_s: float
    exact: bool
    routes: list[list[int] | None]
    ap: np.ndarray
    levels: list[dict[str, float]] = field(default_factory=list)
    complete: bool = True


@dataclass
class _Instance:
    rows: np.ndarray  # routed rows
    node: np.ndarray  # start node in the network (after any red-zone escape)
    start: np.ndarray  # start time there (s)
    prefix: list[list[int]]  # escape arcs walked before the network, per row of ``rows``
    speed: float
    arc_ok: np.ndarray
    arc_time: np.ndarray  # seconds per arc at ``speed``
    exact_step: float | None


def _instance(net: RoutingNetwork, people: People, shortest: Assignment, start_s: np.ndarray) -> _Instance | None:
    rows = np.flatnonzero(shortest.ap >= 0)
    if len(rows) == 0:
        return None
    node = people.node[rows].copy()
    start = start_s[rows].astype(float).copy()
    speed = float(np.median(people.speed[rows]))
    prefix: list[list[int]] = [[] for _ in rows]
    profiles = np.unique(shortest.profile[rows]).tolist()
    unit = np.max(np.stack([net.unit[p] for p in profiles]), axis=0)
    for k in np.flatnonzero(shortest.escape[rows]).tolist():
        i = int(rows[k])
        trees = net.trees(int(shortest.profile[i]))
        arcs = trees.escape.arcs_from(int(people.node[i]))
        prefix[k] = arcs
        node[k] = trees.escape.root_of(int(people.node[i]))
        start[k] += float(net.unit[int(shortest.profile[i])][arcs].sum()) / float(people.speed[i])
    arc_ok = np.isfinite(unit) & ~net.red_arc
    arc_time = np.where(arc_ok, unit, np.inf) / speed
    return _Instance(rows, node, start, prefix, speed, arc_ok, arc_time,
                     _exact_step(net, people.speed[rows], start, arc_time[arc_ok], net.arc_edge[arc_ok]))


def _multiple(x: np.ndarray, step: float) -> bool:
    q = x / step
    return bool(np.all(np.abs(q - np.round(q)) <= 1e-6 * np.maximum(1.0, np.abs(q))))


def _exact_step(net: RoutingNetwork, speeds: np.ndarray, start: np.ndarray, arc_time: np.ndarray,
                arc_edge: np.ndarray) -> float | None:
    """The step at which the discretisation is exact (see the module docstring), or None."""
    if np.ptp(speeds) > 1e-12 * speeds.max():
        return None
    cap = net.edge_capacity[np.unique(arc_edge)]
    finite = np.unique(cap[np.isfinite(cap)])
    if len(finite) > 1 and np.ptp(finite) > 1e-9 * finite.max():
        return None
    step = 1.0 / float(finite[0]) if len(finite) else 1.0
    if _multiple(arc_time, step) and _multiple(start, step) and np.all(arc_time >= step * (1 - 1e-9)):
        return step
    return None


class _Network:
    """One time-expanded network for a step and a horizon, as arrays (built vectorised)."""

    def __init__(self, net: RoutingNetwork, inst: _Instance, step: float, horizon: int):
        n = net.graph.n_nodes
        arcs = net.arcs
        ok = np.flatnonzero(inst.arc_ok)
        tau = np.maximum(1, np.round(inst.arc_time[ok] / step - _REL)).astype(np.int64)
        cap = net.edge_capacity[arcs.edge[ok]]
        edges, _first = np.unique(arcs.edge[ok], return_index=True)
        # Capacitated edges usable both ways share a gadget; the others are direct arcs.
        both = np.bincount(np.searchsorted(edges, arcs.edge[ok]), minlength=len(edges)) == 2
        gadget_edge = edges[both & np.isfinite(net.edge_capacity[edges])]
        is_gadget = np.isin(arcs.edge[ok], gadget_edge)
        g_index = np.searchsorted(gadget_edge, arcs.edge[ok])
        n_g = len(gadget_edge)
        self.width = n + 2 * n_g  # TEN nodes per step: walkway nodes, gadget entries, gadget exits
        self.layers = horizon + 1
        self.source = self.layers * self.width
        self.sink = self.source + 1
        aps = net.site.aps
        safe = np.flatnonzero(net.ap_safe)
        self.n_nodes = self.sink + 1 + len(safe)
        t = np.arange(self.layers)
        w = self.width
        big = max(len(inst.rows), 1)

        def per_step(c: np.ndarray) -> np.ndarray:
            """Persons per step (rows: arcs, cols: steps) for capacities c (persons/s)."""
            cd = np.where(np.isfinite(c), c * step, 0.0)[:, None]
            per = np.floor((t[None, :] + 1) * cd + 1e-9) - np.floor(t[None, :] * cd + 1e-9)
            return np.where(np.isfinite(c)[:, None], per, big).astype(np.int64)

        tails, heads, caps, kinds = [], [], [], []
        # Waiting.
        v = np.arange(n)
        tails.append((t[:-1, None] * w + v[None, :]).ravel())
        heads.append(((t[:-1, None] + 1) * w + v[None, :]).ravel())
        caps.append(np.full(len(tails[-1]), big))
        kinds.append(np.full(len(tails[-1]), -1))
        # Direct arcs.
        d = np.flatnonzero(~is_gadget)
        if len(d):
            tt = np.broadcast_to(t[None, :], (len(d), self.layers))
            live = tt + tau[d][:, None] <= horizon
            tails.append((tt * w + arcs.tail[ok[d]][:, None])[live])
            heads.append(((tt + tau[d][:, None]) * w + arcs.head[ok[d]][:, None])[live])
            caps.append(per_step(cap[d])[live])
            kinds.append(np.broadcast_to(ok[d][:, None], live.shape)[live])
        # Gadgets: both ends -> entry; entry -> exit (capacity); exit -> both ends tau steps later.
        g = np.flatnonzero(is_gadget)
        if len(g):
            gi = g_index[g]
            entry = n + gi
            tails.append((t[None, :] * w + arcs.tail[ok[g]][:, None]).ravel())
            heads.append((t[None, :] * w + entry[:, None]).ravel())
            caps.append(np.full(len(tails[-1]), big))
            kinds.append(np.full(len(tails[-1]), -1))
            tt = np.broadcast_to(t[None, :], (len(g), self.layers))
            live = tt + tau[g][:, None] <= horizon
            tails.append((tt * w + n + n_g + gi[:, None])[live])
            heads.append(((tt + tau[g][:, None]) * w + arcs.head[ok[g]][:, None])[live])
            caps.append(np.full(int(live.sum()), big))
            kinds.append(np.broadcast_to(ok[g][:, None], live.shape)[live])
            ge, gfirst = np.unique(gi, return_index=True)
            tails.append((t[None, :] * w + (n + ge)[:, None]).ravel())
            heads.append((t[None, :] * w + (n + n_g + ge)[:, None]).ravel())
            caps.append(per_step(cap[g][gfirst]).ravel())
            kinds.append(np.full(len(tails[-1]), -1))
        # Source -> start (node, step); assembly points -> their sink node -> sink.
        s_step = np.floor(inst.start / step + _REL).astype(np.int64)
        keep = s_step <= horizon
        src_key, src_count = np.unique(s_step[keep] * w + inst.node[keep], return_counts=True)
        tails.append(np.full(len(src_key), self.source))
        heads.append(src_key)
        caps.append(src_count)
        kinds.append(np.full(len(src_key), -1))
        ap_sink = self.sink + 1 + np.arange(len(safe))
        tails.append((t[None, :] * w + aps.nodes[safe][:, None]).ravel())
        heads.append(np.repeat(ap_sink, self.layers))
        caps.append(np.full(len(tails[-1]), big))
        kinds.append(np.full(len(tails[-1]), -1))
        tails.append(ap_sink)
        heads.append(np.full(len(safe), self.sink))
        caps.append(np.minimum(np.floor(aps.capacity[safe]), big).astype(np.int64))
        kinds.append(np.full(len(safe), -1))
        self.safe = safe
        self.tail = np.concatenate(tails)
        self.head = np.concatenate(heads)
        self.cap = np.concatenate(caps)
        self.kind = np.concatenate(kinds)  # walkway arc of a travel arc, -1 otherwise
        self.s_step = s_step

    @staticmethod
    def size(net: RoutingNetwork, inst: _Instance, horizon: int) -> int:
        """About how many arcs the network has at this horizon."""
        n_ok = int(inst.arc_ok.sum())
        return (net.graph.n_nodes + 2 * n_ok + len(net.site.aps)) * (horizon + 1)

    def max_flow(self) -> tuple[int, csr_matrix, csr_matrix]:
        """The maximum flow value, the flow and the capacity matrix."""
        keep = (self.cap > 0) & (self.tail != self.head)
        graph = csr_matrix((self.cap[keep].astype(np.int32), (self.tail[keep], self.head[keep])),
                           shape=(self.n_nodes, self.n_nodes))
        graph.sum_duplicates()
        res = maximum_flow(graph, self.source, self.sink, method="dinic")
        return int(res.flow_value), res.flow, graph


class _Probe:
    """Feasibility probes of one step; remembers the network and flow of the smallest feasible horizon."""

    def __init__(self, net: RoutingNetwork, inst: _Instance, step: float):
        self.net, self.inst, self.step = net, inst, step
        self.best: tuple[int, _Network, csr_matrix] | None = None

    def __call__(self, horizon: int) -> bool:
        ten = _Network(self.net, self.inst, self.step, horizon)
        value, flow, _ = ten.max_flow()
        ok = value >= len(self.inst.rows)
        if ok and (self.best is None or horizon < self.best[0]):
            self.best = (horizon, ten, flow)
        return ok


def _min_horizon(net: RoutingNetwork, inst: _Instance, step: float, lo_s: float, hi_s: float,
                 deadline: float, max_arcs: int) -> tuple[int, _Network, csr_matrix] | None:
    """The smallest horizon (steps) at which everyone gets out, searched between lo_s and hi_s (widened when
    needed), with its network and flow; None when the network outgrows the budget or the time runs out."""
    feasible = _Probe(net, inst, step)
    lo = max(0, math.floor(lo_s / step) - 1)
    hi = max(lo + 1, math.ceil(hi_s / step))
    while not feasible(hi):
        if time.process_time() > deadline or _Network.size(net, inst, 2 * hi) > max_arcs:
            return None
        lo, hi = hi, 2 * hi
    while lo > 0 and feasible(lo):
        hi, lo = lo, lo // 2
    while hi - lo > 1:
        if time.process_time() > deadline:
            return None
        mid = (lo + hi) // 2
        if feasible(mid):
            hi = mid
        else:
            lo = mid
    assert feasible.best is not None
    assert feasible.best[0] == hi
    return feasible.best


def quickest_time_expanded(net: RoutingNetwork, people: People, shortest: Assignment, start_s: np.ndarray,
                           lower_s: float, upper_s: float, budget_s: float = 2.0) -> TimeExpanded | None:
    """The quickest evacuation of everyone ``shortest`` routes (see the module docstring), searched between
    ``lower_s`` (a valid lower bound) and ``upper_s`` (a feasible plan's clearance time); None when even the
    coarse network does not fit :data:`MAX_TEN_ARCS` or ``budget_s``."""
    inst = _instance(net, people, shortest, start_s)
    if inst is None or not np.isfinite(upper_s) or upper_s <= 0:
        return None
    deadline = time.process_time() + budget_s  # processor time: load-independent
    max_arcs = int(min(MAX_TEN_ARCS, ARCS_PER_SECOND * budget_s))
    finest = inst.exact_step
    step = max(upper_s / COARSE_STEPS, finest or 0.0)
    if finest is not None:
        step = finest * max(1, math.floor(step / finest))
    best: tuple[float, int, _Network, csr_matrix] | None = None
    levels: list[dict[str, float]] = []
    lo_s, hi_s = lower_s, upper_s
    refinements = 0
    while True:
        if _Network.size(net, inst, math.ceil(hi_s / step) + 2) > max_arcs:
            break
        t0 = time.perf_counter()
        found = _min_horizon(net, inst, step, lo_s, hi_s, deadline, max_arcs)
        if found is None:
            break
        h = found[0]
        best = (step, *found)
        levels.append({"step_s": step, "horizon_s": h * step, "seconds": time.perf_counter() - t0})
        at_exact = finest is not None and abs(step - finest) <= 1e-9 * finest
        if at_exact or (finest is None and refinements >= MAX_REFINE) or time.process_time() > deadline:
            break
        # The coarse answer moves by at most a few coarse steps per arc rounding: search around it.
        lo_s = max(lower_s, (h - 2) * step - _slack(inst, step))
        hi_s = (h + 2) * step + _slack(inst, step)
        new = step / 4.0
        if finest is not None:
            new = finest * max(1, math.floor(new / finest))
            if new >= step:
                new = finest
        step = new
        refinements += 1
    if best is None:
        return None
    step, h, ten, flow = best
    value = len(inst.rows)
    routes, ap = _routes(net, people, inst, ten, flow)
    exact = finest is not None and abs(step - finest) <= 1e-9 * finest and _aps_roomy(net, len(inst.rows))
    return TimeExpanded(step, h, h * step, exact, routes, ap, levels, complete=value >= len(inst.rows))


def _slack(inst: _Instance, step: float) -> float:
    """How far rounding travel times to a step may move the optimum: a step per arc of a long route."""
    finite = inst.arc_time[np.isfinite(inst.arc_time)]
    return step * min(64.0, max(4.0, float(np.median(finite)) / step if len(finite) else 4.0))


def _aps_roomy(net: RoutingNetwork, n: int) -> bool:
    return bool(np.all(net.site.aps.capacity[net.ap_safe] >= n))


def _routes(net: RoutingNetwork, people: People, inst: _Instance, ten: _Network, flow: csr_matrix
            ) -> tuple[list[list[int] | None], np.ndarray]:
    """One path per unit of flow (decomposition), turned into each person's route and assembly point."""
    f = flow.tocsr()
    f.data = np.maximum(f.data, 0)
    f.eliminate_zeros()
    # Walkway arc of each (tail, head) TEN pair (the first listed of parallel arcs).
    pair = ten.tail * ten.n_nodes + ten.head
    travel = ten.kind >= 0
    keys, idx = np.unique(pair[travel], return_index=True)
    kind_of = dict(zip(keys.tolist(), ten.kind[travel][idx].tolist(), strict=True))
    indptr, indices = f.indptr.tolist(), f.indices.tolist()
    left = f.data.astype(np.int64).tolist()
    cursor = indptr[:-1]
    w, n_nodes = ten.width, ten.n_nodes
    tails, heads = net.arcs.tail.tolist(), net.arcs.head.tolist()
    paths: dict[int, list[tuple[int, list[int], int]]] = {}  # start TEN node -> (arrival step, arcs, ap)
    ap_base = ten.sink + 1
    while True:
        u = ten.source
        k = cursor[u]
        while k < indptr[u + 1] and left[k] <= 0:
            k += 1
        cursor[u] = k
        if k >= indptr[u + 1]:
            break
        first = indices[k]
        arcs: list[int] = []
        ap = -1
        arrive = 0
        here = first % w
        while u != ten.sink:
            k = cursor[u]
            while left[k] <= 0:
                k += 1
            cursor[u] = k
            left[k] -= 1
            v = indices[k]
            a = kind_of.get(u * n_nodes + v)
            if a is not None and tails[a] == here:  # (a turn back inside a shared-edge gadget is a wait)
                arcs.append(a)
                here = heads[a]
            if v >= ap_base:
                ap = int(ten.safe[v - ap_base])
                arrive = u // w
            u = v
        paths.setdefault(first, []).append((arrive, arcs, ap))
    n = len(people)
    routes: list[list[int] | None] = [None] * n
    aps = np.full(n, -1, dtype=np.int64)
    key = ten.s_step * w + inst.node
    for start_key in np.unique(key).tolist():
        members = np.flatnonzero(key == start_key)
        members = members[np.argsort(-people.speed[inst.rows[members]], kind="stable")]
        got = sorted(paths.get(start_key, []), key=lambda p: -p[0])
        for k, (_, arcs, ap) in zip(members.tolist(), got, strict=False):
            i = int(inst.rows[k])
            routes[i] = inst.prefix[k] + arcs
            aps[i] = ap
    return routes, aps
