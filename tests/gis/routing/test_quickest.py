"""The capacity plan against the exact quickest evacuation, computed here by an independent method.

The oracle is a time-expanded network solved by networkx's maximum flow, written in this file from the
flow model's definition (docs/routing.md) and sharing no code with gis.routing. On the plants drawn here
(integer lengths, everyone at 1 m/s starting on a node at a whole second, doors and narrow passages of
exactly 1 person/s, open roads without a capacity limit) one-second steps are exact: an edge's windows
are the seconds, a schedule rounded down to whole seconds stays feasible, so the smallest horizon whose
maximum flow carries everyone is the optimum over every choice of routes and waiting (Ford & Fulkerson
1958). The plan must be within 3 % of it, never below it, and the lower bound never above it.
"""

from __future__ import annotations

import functools
import math

import networkx as nx
import numpy as np
import pytest

from gis.routing.plan import plan_evacuation
from tests.gis.routing import tiny

ROOM_DOOR = {"capacity": 1.0, "width": 0.77}
NARROW = {"capacity": 1.0, "width": 0.77}
OPEN = {"capacity": math.inf, "width": 6.0}


def random_plant(seed: int):
    """A grid of roads (some narrow) with rooms around it: a room is joined to the grid by one 1 person/s
    door, or by two doors 5 m long to two neighbouring corners; people in the rooms; one or two assembly
    points on corners of the grid. Every length is a whole number of metres."""
    rng = np.random.default_rng(seed)
    nx_, ny_ = int(rng.integers(3, 5)), int(rng.integers(2, 4))
    sx, sy = int(rng.choice([6, 8])), int(rng.integers(4, 9))
    lines = []
    for i in range(nx_):
        for j in range(ny_):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < nx_ and j + dj < ny_ and (rng.random() < 0.85 or j == 0):
                    kind = NARROW if rng.random() < 0.25 else OPEN
                    lines.append((f"r{len(lines)}", "road", kind, [(i * sx, j * sy), ((i + di) * sx, (j + dj) * sy)]))
    rooms: list[tuple[float, float]] = []
    for r in range(int(rng.integers(2, 5))):
        if rng.random() < 0.5:  # below the grid, two doors (3-4-5 triangles)
            i = int(rng.integers(0, nx_ - 1))
            room = (i * sx + sx / 2, -(4.0 if sx == 6 else 3.0))
            doors = [(i * sx, 0.0), ((i + 1) * sx, 0.0)]
        elif rng.random() < 0.5:  # left of the grid
            j = int(rng.integers(0, ny_))
            room = (-float(rng.integers(2, 4)), j * sy)
            doors = [(0.0, j * sy)]
        else:  # above the grid
            i = int(rng.integers(0, nx_))
            room = (i * sx, (ny_ - 1) * sy + float(rng.integers(2, 4)))
            doors = [(i * sx, (ny_ - 1) * sy)]
        if any(abs(room[0] - q[0]) < 1 and abs(room[1] - q[1]) < 1 for q in rooms):
            continue
        for k, d in enumerate(doors):
            lines.append((f"d{r}{k}", "door", ROOM_DOOR, [room, d]))
        rooms.append(room)
    aps = [("AP1", (float((nx_ - 1) * sx), 0.0), 10_000)]
    if rng.random() < 0.5:
        aps.append(("AP2", (float((nx_ - 1) * sx), float((ny_ - 1) * sy)), 10_000))
    site = tiny.site(lines, aps)
    n_people = int(rng.integers(30, 90))
    where = [rooms[int(rng.integers(len(rooms)))] for _ in range(n_people)]
    start = [float(v) for v in rng.integers(0, 11, size=n_people)]
    return site, tiny.people(site, where, speed=1.0, premovement=start)


def exact_optimum(site, people, lower: int, upper: int) -> int:
    """The smallest horizon T (s) in (lower, upper] at which a one-second time-expanded network carries everyone to an
    assembly point: a capacitated edge is one gadget per second (both ends -> entry -> exit, 1 person,
    -> both ends after the walk), shared by both directions as in the flow model."""
    g = site.graph
    ap_nodes = set(site.aps.nodes.tolist())
    edges = []
    for e in range(g.n_edges):
        tau = round(float(g.edge_length[e]) / float(g.edge_speed_factor[e]))
        assert abs(tau - g.edge_length[e] / g.edge_speed_factor[e]) < 1e-6
        edges.append((int(g.edge_u[e]), int(g.edge_v[e]), tau, float(g.edge_capacity[e])))
    starts = {}
    for i in range(len(people)):
        key = (int(people.node[i]), round(float(people.premovement[i])))
        starts[key] = starts.get(key, 0) + 1

    def carries(horizon: int) -> bool:
        te = nx.DiGraph()
        for (v, t0), count in starts.items():
            if t0 <= horizon:
                te.add_edge("src", (v, t0), capacity=count)
        for t in range(horizon + 1):
            for v in range(g.n_nodes):
                if t < horizon:
                    te.add_edge((v, t), (v, t + 1))
                if v in ap_nodes:
                    te.add_edge((v, t), "sink")
            for k, (u, v, tau, cap) in enumerate(edges):
                if t + tau > horizon:
                    continue
                if math.isinf(cap):
                    te.add_edge((u, t), (v, t + tau))
                    te.add_edge((v, t), (u, t + tau))
                else:
                    te.add_edge((u, t), ("in", k, t))
                    te.add_edge((v, t), ("in", k, t))
                    te.add_edge(("in", k, t), ("out", k, t), capacity=int(cap))
                    te.add_edge(("out", k, t), (v, t + tau))
                    te.add_edge(("out", k, t), (u, t + tau))
        return "src" in te and "sink" in te and nx.maximum_flow_value(te, "src", "sink") >= len(people)

    lo, hi = max(lower, 0), upper
    assert carries(hi)
    assert lower < 0 or not carries(lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if carries(mid):
            hi = mid
        else:
            lo = mid
    return hi


@functools.cache
def _case(seed: int):
    """The plant of ``seed``, its plans and its exact optimum (computed once per seed)."""
    site, people = random_plant(seed)
    shortest = plan_evacuation(site, people, method="shortest")
    capacity = plan_evacuation(site, people, method="capacity")
    opt = exact_optimum(site, people, math.floor(shortest.lower_bound_s) - 1,
                        math.ceil(min(shortest.evacuation_time_s, capacity.evacuation_time_s)) + 1)
    return site, people, shortest, capacity, opt


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_capacity_plan_is_within_3_percent_of_the_exact_optimum(seed):
    _, people, _, plan, opt = _case(seed)
    assert (people.node >= 0).all()
    assert np.allclose(people.access_m, 0.0)
    assert plan.routed.all()
    assert plan.evacuation_time_s >= opt - 1e-6  # a feasible plan is never better than the optimum
    assert plan.evacuation_time_s <= 1.03 * opt + 1e-6
    assert plan.lower_bound_s <= opt + 1e-6


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_time_expanded_solver_finds_the_same_optimum(seed):
    """Our time-expanded solver (scipy, gadgets built with numpy) agrees with the networkx oracle, and says
    the instance is one where one-second steps are exact."""
    _, _, _, plan, opt = _case(seed)
    ten = plan.optimiser["time_expanded"]
    if ten is None:  # the reservation plan met the lower bound: nothing to solve
        assert plan.optimiser["stopped"] == "at the lower bound"
        assert plan.evacuation_time_s == pytest.approx(opt)
        return
    assert ten["exact"] is True
    assert ten["optimum_s"] == pytest.approx(opt)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_shortest_plan_and_cut_bound_respect_the_exact_optimum(seed):
    _, _, shortest, _, opt = _case(seed)
    assert shortest.lower_bound_s <= opt + 1e-6  # the cut families alone (no time-expanded part)
    assert shortest.bound.time_expanded == 0.0
    assert shortest.evacuation_time_s >= opt - 1e-6


def test_the_capacity_plan_beats_the_shortest_where_the_exit_is_a_bottleneck():
    """Seed 7 draws a room whose near door is a 1 person/s bottleneck: the shortest plan queues there,
    the capacity plan uses the far door too and ends within 3 % of the optimum."""
    _, _, shortest, plan, opt = _case(7)
    assert shortest.evacuation_time_s >= 1.2 * opt
    assert plan.evacuation_time_s <= 1.03 * opt
