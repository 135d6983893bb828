"""Dose-optimal evacuation routes through a cloud that grows and drifts, and each person's toxic load.

**What is minimised.** A person breathing a concentration ``c(t)`` (ppm) receives
the toxic load ``TL = ∫ c(t)^n dt`` (ppm^n·min). With ``n = 1`` this is the
inhaled dose; ``n`` is the substance's ten Berge exponent — W. F. ten Berge,
A. Zwart & L. M. Appelman, "Concentration–time mortality response relationship
of irritant and systemically acting vapours and gases", *Journal of Hazardous
Materials* 13 (1986) 301–309 — which makes equal toxic loads equally harmful
whatever the mix of concentration and duration. :data:`TEN_BERGE_N` holds the
exponents the US EPA/NRC AEGL technical support documents use for time scaling
(derived by ten Berge's method): H2S 4.4, NH3 2, Cl2 2, HCN 2.6; other
substances default to ``n = 1`` (dose) unless given.

**The AEGL-2 dose equivalent** is the toxic load of breathing the 60-minute
AEGL-2 concentration for 60 minutes, ``C2^n · 60`` ppm^n·min (ERPG-2 where the
substance has no AEGL-2): a person above it has had an exposure at least as
harmful, on ten Berge's scaling, as the level at which irreversible effects
begin. :func:`dose_report` gives each person's load and the share above it.

**The field.** ``c(x, y, t)`` is the Gaussian plume/puff of :mod:`gis.hazards`
(ground-level receptor, the Palazzi finite-duration plume for a release switched
on at its start), turned to the wind, in the plant CRS; ``t`` counts from the
evacuation's start and the release started ``release_age_s`` before it.

**The routes.** Time is cut into steps of ``step_s``; for each class of people
(mobility profile and walking speed, rounded down to :data:`SPEED_CLASS` m/s)
a backward dynamic programme over (node, step) gives the least toxic load from
each node at each step to an assembly point *and staying there* until the
horizon (an assembly point the cloud later reaches is not safe), a walk along
an arc costing the load of walking it at that time (``c^n`` sampled every
:data:`SAMPLE_M` metres along it). This is the exact minimum of the discretised
time-dependent shortest-path problem (Cooke & Halsey, "The shortest route
through a network with time-dependent internodal transit times", *J. Math.
Anal. Appl.* 14 (1966) 493–498: Bellman's recursion over a time-expanded
network). Walking time breaks ties (a second of walking costs
:data:`TIE_BREAK` of the AEGL-2 load per hour), so a person out of reach of the
cloud takes the fastest route. People then walk their routes in the flow model
— queues at doors as for every plan — and each person's reported load is
integrated along their *timed* path: pre-movement at their position, the walk to
the graph, every arc at the time they walk it, every queue where they wait,
and the assembly point until the horizon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from gis.routing.flow_model import SlotTable
from gis.routing.people import People
from gis.routing.shortest import Assignment, RoutingNetwork, route_sums

TEN_BERGE_N = {"H2S": 4.4, "NH3": 2.0, "Cl2": 2.0, "HCN": 2.6}
SAMPLE_M = 10.0  # spacing of concentration samples along an arc (m)
SPEED_CLASS = 0.2  # m/s: people are routed in classes of speeds rounded down to this
TIE_BREAK = 1e-4  # of the AEGL-2 load per hour of walking
EVAL_STEP_S = 5.0  # time resolution of the load integrated along a timed path (s)


class Field(Protocol):
    """A concentration field: ppm at plant-CRS points (m) at times (s from the evacuation's start)."""

    def ppm(self, x: np.ndarray, y: np.ndarray, t: np.ndarray | float) -> np.ndarray:
        """Concentration (ppm) at each point and time."""
        ...  # pragma: no cover


@dataclass
class ReleaseField:
    """The Gaussian plume/puff of one release (:func:`gis.hazards.scenario.concentration`) at ground level, at
    ``source_xy`` (plant CRS, m), which started ``release_age_s`` seconds before the evacuation's t = 0."""

    scenario: object  # gis.hazards.scenario.Scenario (kept untyped: routing does not import hazards at load)
    source_xy: tuple[float, float]
    release_age_s: float = 0.0

    def ppm(self, x: np.ndarray, y: np.ndarray, t: np.ndarray | float) -> np.ndarray:
        """Concentration (ppm, 25 °C) at plant-CRS points at evacuation times ``t`` (s)."""
        from gis.hazards.scenario import concentration
        from gis.hazards.zones import to_local

        sc = self.scenario
        xl, yl = to_local(x, y, self.source_xy, sc.weather.wind_from_deg)  # type: ignore[attr-defined]
        tt = np.asarray(t, float) + self.release_age_s
        g = concentration(sc, xl, yl, 0.0, np.maximum(tt, 1e-3))
        return np.where(tt > 0, sc.substance.g_m3_to_ppm(g), 0.0)  # type: ignore[attr-defined]


def toxic_exponent(substance_key: str) -> float:
    """The ten Berge exponent ``n`` of a substance (1.0, plain dose, when none is tabulated)."""
    return TEN_BERGE_N.get(substance_key, 1.0)


def aegl2_load(aegl2_ppm: float, n: float) -> float:
    """The AEGL-2 dose equivalent: toxic load (ppm^n·min) of the 60-min AEGL-2 breathed for 60 min."""
    return aegl2_ppm ** n * 60.0


@dataclass
class Exposure:
    """What routing needs: the field, the exponent, the AEGL-2 load (ppm^n·min) and the horizon (s)."""

    field: Field
    n: float
    aegl2_load: float
    horizon_s: float = 1800.0
    step_s: float = 10.0


@dataclass
class _Samples:
    edge: np.ndarray  # edge of each sample
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray  # share of the edge's length
    frac: np.ndarray  # position along the edge in its digitised direction (0-1)


def _samples(net: RoutingNetwork) -> _Samples:
    """Points every ~SAMPLE_M metres along every edge (midpoints of equal pieces)."""
    g = net.graph
    pieces = np.maximum(1, np.ceil(g.edge_length / SAMPLE_M)).astype(np.int64)
    edge = np.repeat(np.arange(g.n_edges), pieces)
    first = np.concatenate([[0], np.cumsum(pieces)[:-1]])
    k = np.arange(len(edge)) - np.repeat(first, pieces)
    frac = (k + 0.5) / pieces[edge]
    import shapely

    lines = shapely.linestrings(np.concatenate(g.edge_coords),
                                indices=np.repeat(np.arange(g.n_edges), [len(c) for c in g.edge_coords]))
    pts = shapely.line_interpolate_point(lines[edge], frac, normalized=True)
    xy = shapely.get_coordinates(pts)
    return _Samples(edge, xy[:, 0], xy[:, 1], 1.0 / pieces[edge], frac)


def _near_edges(net: RoutingNetwork, exp: Exposure, samples: _Samples, times: np.ndarray) -> np.ndarray:
    """Edges with a sample the cloud reaches at one of 17 probe times (the rest are never exposed: at a
    probe spacing under the cloud's travel time over an edge's own neighbourhood)."""
    ever = np.zeros(len(samples.x), bool)
    for t in np.linspace(times[0], times[-1], 17):
        ever |= exp.field.ppm(samples.x, samples.y, t) > 0
    near = np.zeros(net.graph.n_edges, bool)
    near[samples.edge[ever]] = True
    return near


def _sample_field(exp: Exposure, samples: _Samples, keep: np.ndarray, times: np.ndarray) -> np.ndarray:
    """``c^n`` at the kept samples on the time grid (samples x times): the field evaluated once, shared by every
    class of walkers."""
    if len(keep) == 0:
        return np.zeros((0, len(times)))
    c = exp.field.ppm(np.repeat(samples.x[keep][:, None], len(times), 1),
                      np.repeat(samples.y[keep][:, None], len(times), 1),
                      np.broadcast_to(times[None, :], (len(keep), len(times))))
    return np.maximum(c, 0.0) ** exp.n


def _arc_loads(net: RoutingNetwork, samples: _Samples, keep_of: np.ndarray, table: np.ndarray, step: float,
               near_arcs: np.ndarray, secs: np.ndarray, n_steps: int) -> np.ndarray:
    """Toxic load (ppm^n·min) of walking each of ``near_arcs`` when leaving its tail at each step: every sample
    of the arc is met when the walker reaches it (``t + f·τ``), its ``c^n`` read from ``table`` (samples x
    steps, linear in time between steps)."""
    out = np.zeros((len(near_arcs), n_steps))
    if len(near_arcs) == 0:
        return out
    arcs = net.arcs
    order = np.argsort(samples.edge, kind="stable")
    first = np.searchsorted(samples.edge[order], np.arange(net.graph.n_edges))
    count = np.bincount(samples.edge, minlength=net.graph.n_edges)
    e = arcs.edge[near_arcs]
    row = np.repeat(np.arange(len(near_arcs)), count[e])
    pos = order[np.repeat(first[e], count[e]) + (np.arange(len(row)) - np.repeat(np.cumsum(count[e]) - count[e],
                                                                                  count[e]))]
    f = np.where(arcs.forward[near_arcs][row], samples.frac[pos], 1.0 - samples.frac[pos])
    tau = secs[near_arcs][row]
    shift = f * tau / step  # steps after leaving the tail
    k = np.arange(n_steps)[None, :] + shift[:, None]
    k0 = np.floor(k).astype(np.int64)
    frac = k - k0
    last = table.shape[1] - 1
    tab = table[keep_of[pos]]
    rows = np.arange(len(pos))[:, None]
    cn = (1 - frac) * tab[rows, np.minimum(k0, last)] + frac * tab[rows, np.minimum(k0 + 1, last)]
    contrib = cn * (samples.w[pos] * tau / 60.0)[:, None]
    np.add.at(out, row, contrib)
    return out


def dose_routes(net: RoutingNetwork, people: People, shortest: Assignment, start_s: np.ndarray,
                exp: Exposure) -> Assignment:
    """Each routable person's least-toxic-load route to an assembly point (see the module docstring)."""
    n = len(people)
    aps = net.site.aps
    step = exp.step_s
    k_max = math.ceil(exp.horizon_s / step)
    times = (np.arange(k_max + 1) + 0.5) * step
    samples = _samples(net)
    near_edge = _near_edges(net, exp, samples, times)
    keep = np.flatnonzero(near_edge[samples.edge])
    keep_of = np.full(len(samples.x), -1, dtype=np.int64)
    keep_of[keep] = np.arange(len(keep))
    near_arc = near_edge[net.arcs.edge]
    slowest = max(SPEED_CLASS, float(np.floor(people.speed.min() / SPEED_CLASS) * SPEED_CLASS)) if len(people) else 1.0
    unit_near = np.concatenate([u[near_arc] for u in net.unit])
    longest = float(unit_near[np.isfinite(unit_near)].max()) / slowest if np.isfinite(unit_near).any() else 0.0
    grid = np.arange(k_max + 2 + math.ceil(longest / step)) * step  # departure steps + the longest walk of an arc
    table = _sample_field(exp, samples, keep, grid)
    ap_ok = aps.nodes >= 0
    ap_nodes = aps.nodes[ap_ok]
    c_ap = exp.field.ppm(np.repeat(aps.xy[ap_ok, 0][:, None], len(times), 1),
                         np.repeat(aps.xy[ap_ok, 1][:, None], len(times), 1),
                         np.broadcast_to(times[None, :], (len(ap_nodes), len(times))))
    stay_rate = np.maximum(c_ap, 0.0) ** exp.n  # ppm^n at each assembly point and step
    stay = np.cumsum(stay_rate[:, ::-1], axis=1)[:, ::-1] * step / 60.0  # load from step k to the horizon
    lam = TIE_BREAK * exp.aegl2_load / 3600.0  # load per second of walking (tie break)
    arcs = net.arcs
    routable = np.flatnonzero(shortest.ap >= 0)
    ap_out = np.full(n, -1, dtype=np.int64)
    routes: list[list[int] | None] = [None] * n
    speed_class = np.floor(people.speed / SPEED_CLASS + 1e-9) * SPEED_CLASS
    speed_class = np.maximum(speed_class, SPEED_CLASS)
    for p in np.unique(shortest.profile[routable]).tolist():
        for v in np.unique(speed_class[routable][shortest.profile[routable] == p]).tolist():
            rows = routable[(shortest.profile[routable] == p) & (speed_class[routable] == v)]
            unit = net.unit[p]
            ok = np.isfinite(unit)
            secs = unit / v
            tau = np.where(ok, np.maximum(1, np.round(np.where(ok, secs, 0.0) / step)), 0).astype(np.int64)
            near_arcs = np.flatnonzero(ok & near_edge[arcs.edge])
            loads = _arc_loads(net, samples, keep_of, table, step, near_arcs, secs, k_max + 1)
            policy, _ = _backward(net, ok, secs, tau, near_arcs, loads, stay, ap_nodes, k_max, lam)
            k0 = np.minimum(np.floor(start_s[rows] / step).astype(np.int64), k_max)
            for i, k in zip(rows.tolist(), k0.tolist(), strict=True):
                route, end = _follow(policy, arcs, tau, int(people.node[i]), k, k_max)
                if end >= 0:
                    routes[i] = route
                    ap_out[i] = int(np.flatnonzero(ap_ok)[end])
    length, unit_s = route_sums(net, routes, shortest.profile)
    return Assignment(ap_out, routes, length, unit_s, np.zeros(n, bool), shortest.profile, dict(shortest.reasons),
                      np.zeros(n, bool))


def _backward(net: RoutingNetwork, ok: np.ndarray, secs: np.ndarray, tau: np.ndarray, near_arcs: np.ndarray,
              loads: np.ndarray, stay: np.ndarray, ap_nodes: np.ndarray, k_max: int, lam: float
              ) -> tuple[np.ndarray, np.ndarray]:
    """Bellman's recursion backward over steps: togo[v, k] = least load from node v at step k; the policy is the
    arc to take (-1 - j: stop at assembly point j; -(len+1): none)."""
    n = net.graph.n_nodes
    arcs = net.arcs
    idx = np.flatnonzero(ok)
    tail, head, t_s, t_k = arcs.tail[idx], arcs.head[idx], secs[idx], tau[idx]
    order = np.argsort(tail, kind="stable")
    idx, tail, head, t_s, t_k = idx[order], tail[order], head[order], t_s[order], t_k[order]
    load_row = np.full(len(arcs), -1, dtype=np.int64)
    load_row[near_arcs] = np.arange(len(near_arcs))
    row = load_row[idx]
    exposed = np.flatnonzero(row >= 0)
    starts = np.flatnonzero(np.concatenate([[True], tail[1:] != tail[:-1]])) if len(tail) else np.zeros(0, int)
    togo = np.full((n, k_max + 2), np.inf, dtype=np.float64)
    policy = np.full((n, k_max + 1), -(10 ** 9), dtype=np.int64)
    best_stop = np.full((n, k_max + 1), np.inf)
    stop_of = np.full((n, k_max + 1), -(10 ** 9), dtype=np.int64)
    for j, v in enumerate(ap_nodes.tolist()):
        better = stay[j] < best_stop[v]
        best_stop[v] = np.where(better, stay[j], best_stop[v])
        stop_of[v] = np.where(better, -1 - j, stop_of[v])
    for k in range(k_max, -1, -1):
        arrive = np.minimum(k + t_k, k_max + 1)
        cost = lam * t_s + togo[head, arrive]
        cost[exposed] += loads[row[exposed], k]
        val = best_stop[:, k].copy()
        pol = stop_of[:, k].copy()
        if len(cost):
            m = np.minimum.reduceat(cost, starts)
            tails = tail[starts]
            better = m < val[tails]
            val[tails[better]] = m[better]
            # The arc achieving the minimum at each tail (first one on a tie).
            hit = cost == np.repeat(m, np.diff(np.concatenate([starts, [len(cost)]])))
            first = np.full(n, -1, dtype=np.int64)
            sel = np.flatnonzero(hit)[::-1]
            first[tail[sel]] = idx[sel]
            pol[tails[better]] = first[tails[better]]
        togo[:, k] = val
        policy[:, k] = pol
    return policy, togo


def _follow(policy: np.ndarray, arcs, tau: np.ndarray, node: int, k: int, k_max: int  # type: ignore[no-untyped-def]
            ) -> tuple[list[int], int]:
    """The route the policy gives from (node, step k) and the assembly point index it stops at (-1: none)."""
    route: list[int] = []
    while k <= k_max:
        a = int(policy[node, k])
        if a <= -(10 ** 9):
            return route, -1
        if a < 0:
            return route, -1 - a
        route.append(a)
        node = int(arcs.head[a])
        k = k + int(tau[a])
        if len(route) > 100_000:  # pragma: no cover - a policy over a finite horizon always ends
            break
    return route, -1


@dataclass
class TimedPath:
    """Per person, the times (s) they enter and leave each arc of their route in the flow model."""

    enter: list[np.ndarray] = field(default_factory=list)
    leave: list[np.ndarray] = field(default_factory=list)


def timed_paths(net: RoutingNetwork, routes: list[list[int] | None], start_s: np.ndarray, speed: np.ndarray,
                profile: np.ndarray, order: np.ndarray) -> TimedPath:
    """Walk everyone's route in the flow model (same reservations as :func:`gis.routing.flow_model.simulate`)
    and keep when each arc is entered (after any queue) and left."""
    table = SlotTable(net.edge_capacity)
    n = len(routes)
    out = TimedPath([np.zeros(0)] * n, [np.zeros(0)] * n)
    arc_edge, cap, nxt, ne = net.arc_edge_list, table.cap, table._next, table.n_edges
    unit = net.unit_lists
    for i in order.tolist():
        r = routes[i]
        if r is None:
            continue
        t = float(start_s[i])
        v = float(speed[i])
        times_in, times_out = [], []
        ut = unit[int(profile[i])]
        keys = []
        for a in r:
            e = arc_edge[a]
            c = cap[e]
            if c:
                key = int(t * c) * ne + e
                while key in nxt:
                    key = nxt[key]
                t = max(t, (key // ne) / c)
                keys.append(key)
            times_in.append(t)
            t += ut[a] / v
            times_out.append(t)
        table.take(keys)
        out.enter[i], out.leave[i] = np.asarray(times_in), np.asarray(times_out)
    return out


def person_loads(net: RoutingNetwork, people: People, assignment: Assignment, start_s: np.ndarray,
                 order: np.ndarray, exp: Exposure) -> np.ndarray:
    """Each routed person's toxic load (ppm^n·min) along their timed path (see the module docstring); NaN
    for who has no route."""
    paths = timed_paths(net, assignment.routes, start_s, people.speed, assignment.profile, order)
    g = net.graph
    arcs = net.arcs
    xs, ys, ts, ws, who = [], [], [], [], []

    def add(i: int, x: np.ndarray, y: np.ndarray, t: np.ndarray, dt: np.ndarray) -> None:
        xs.append(x)
        ys.append(y)
        ts.append(t)
        ws.append(dt)
        who.append(np.full(len(x), i))

    def stay(i: int, x: float, y: float, t0: float, t1: float) -> None:
        if t1 <= t0:
            return
        k = max(1, math.ceil((t1 - t0) / EVAL_STEP_S))
        tm = t0 + (np.arange(k) + 0.5) * (t1 - t0) / k
        add(i, np.full(k, x), np.full(k, y), tm, np.full(k, (t1 - t0) / k))

    def walk(i: int, p0: np.ndarray, p1: np.ndarray, t0: float, t1: float) -> None:
        if t1 <= t0:
            return
        k = max(1, math.ceil((t1 - t0) / EVAL_STEP_S))
        f = (np.arange(k) + 0.5) / k
        add(i, p0[0] + f * (p1[0] - p0[0]), p0[1] + f * (p1[1] - p0[1]), t0 + f * (t1 - t0),
            np.full(k, (t1 - t0) / k))

    for i in np.flatnonzero(assignment.ap >= 0).tolist():
        pos = np.array([people.x[i], people.y[i]])
        node_xy = g.node_xy[people.node[i]]
        stay(i, pos[0], pos[1], 0.0, float(people.premovement[i]))
        walk(i, pos, node_xy, float(people.premovement[i]), float(start_s[i]))
        t_prev, here = float(start_s[i]), node_xy
        for a, t_in, t_out in zip(assignment.routes[i] or [], paths.enter[i], paths.leave[i], strict=True):
            stay(i, here[0], here[1], t_prev, float(t_in))  # a queue at the entrance
            coords = g.edge_coords[arcs.edge[a]]
            coords = coords if arcs.forward[a] else coords[::-1]
            seg = np.hypot(*np.diff(coords, axis=0).T)
            total = float(seg.sum()) or 1.0
            cum = np.concatenate([[0.0], np.cumsum(seg)]) / total
            for s in range(len(seg)):
                walk(i, coords[s], coords[s + 1], t_in + cum[s] * (t_out - t_in), t_in + cum[s + 1] * (t_out - t_in))
            t_prev, here = float(t_out), coords[-1]
        ap_xy = net.site.aps.xy[assignment.ap[i]]
        stay(i, ap_xy[0], ap_xy[1], t_prev, max(t_prev, exp.horizon_s))
    total = np.zeros(len(people))
    if xs:
        c = exp.field.ppm(np.concatenate(xs), np.concatenate(ys), np.concatenate(ts))
        contrib = np.maximum(c, 0.0) ** exp.n * np.concatenate(ws) / 60.0
        total = np.bincount(np.concatenate(who), weights=contrib, minlength=len(people))
    return np.where(assignment.ap >= 0, total, np.nan)


def dose_report(ids: np.ndarray, static: np.ndarray, optimal: np.ndarray, exp: Exposure) -> dict[str, object]:
    """Side by side: each person's toxic load under the static-zone plan and the dose-optimal plan, and the
    share of people above the AEGL-2 dose equivalent in each (JSON-ready)."""
    def summary(loads: np.ndarray) -> dict[str, object]:
        fin = loads[np.isfinite(loads)]
        if not len(fin):
            return {"people": 0, "above_aegl2": 0, "share_above_aegl2": 0.0, "max_load": 0.0, "mean_load": 0.0}
        above = int(np.sum(fin > exp.aegl2_load))
        return {"people": len(fin), "above_aegl2": above, "share_above_aegl2": round(above / len(fin), 4),
                "max_load": _num(float(fin.max())), "mean_load": _num(float(fin.mean()))}

    people = [{"id": str(pid), "static_load": None if not np.isfinite(s) else _num(float(s)),
               "dose_optimal_load": None if not np.isfinite(o) else _num(float(o)),
               "static_above_aegl2": bool(np.isfinite(s) and s > exp.aegl2_load),
               "dose_optimal_above_aegl2": bool(np.isfinite(o) and o > exp.aegl2_load)}
              for pid, s, o in zip(ids, static, optimal, strict=True)]
    return {"exponent_n": exp.n, "load_unit": f"ppm^{exp.n:g}·min", "aegl2_load": _num(exp.aegl2_load),
            "horizon_s": exp.horizon_s, "static": summary(static), "dose_optimal": summary(optimal),
            "people": people}


def _num(v: float) -> float:
    """A finite number for JSON (loads can be huge with n > 1: keep 4 significant digits)."""
    if not math.isfinite(v):
        return 1e308
    return float(f"{v:.4g}")
