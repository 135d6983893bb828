"""The fast shortest path (one search per profile on the site's prebuilt graph, routes by a vectorised walk,
kept flat) gives the same routes and arrival times as the plain way: a scipy multi-source Dijkstra on a matrix
built here from the arc weights, and a Python predecessor walk per person."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from gis.routing.flow_model import priority_order, simulate
from gis.routing.network import RouteList
from gis.routing.people import make_people, site_polygon
from gis.routing.plan import plan_evacuation
from gis.routing.site import Site
from tests.gis.routing.scenarios import random_crowd, ring_hazard


def _plain_routes(net, people, profile: np.ndarray):  # type: ignore[no-untyped-def]
    """Per person (not leaving a red zone): the node path and the arc path of the plain way, or None."""
    n = net.arcs.n_nodes
    targets = np.unique(net.site.aps.nodes[net.ap_safe])
    out_nodes: list[list[int] | None] = [None] * len(people)
    out_arcs: list[list[int] | None] = [None] * len(people)
    for p in np.unique(profile).tolist():
        w = net.weight(p)
        best: dict[tuple[int, int], tuple[float, int]] = {}  # reversed arc (head, tail) -> cheapest (w, arc)
        for a, (t, h, wt) in enumerate(zip(net.arcs.tail.tolist(), net.arcs.head.tolist(), w.tolist(), strict=True)):
            if np.isfinite(wt) and ((h, t) not in best or wt < best[(h, t)][0]):
                best[(h, t)] = (wt, a)
        keys = list(best)
        m = csr_matrix(([best[k][0] for k in keys], ([k[0] for k in keys], [k[1] for k in keys])), shape=(n, n))
        dist, pred, _ = dijkstra(m, directed=True, indices=targets, min_only=True, return_predecessors=True)
        for i in np.flatnonzero((profile == p) & (people.node >= 0)).tolist():
            v = int(people.node[i])
            if not np.isfinite(dist[v]):
                continue
            nodes, arcs = [v], []
            while pred[v] >= 0:
                arcs.append(best[(int(pred[v]), v)][1])
                v = int(pred[v])
                nodes.append(v)
            out_nodes[i], out_arcs[i] = nodes, arcs
    return out_nodes, out_arcs


@pytest.fixture(scope="module")
def crowd_plan(demo_plant):  # type: ignore[no-untyped-def]
    site = Site.of_plant(demo_plant)
    n = 3000
    xy = random_crowd(demo_plant.graph, n, seed=4)
    mobility = np.where(np.arange(n) % 10 == 0, "impaired", "normal")
    people = make_people(demo_plant.graph, [f"P{i}" for i in range(n)], xy[:, 0], xy[:, 1], mobility=mobility,
                         site=site_polygon(demo_plant))
    src = demo_plant.layers["hazard_sources"].geometry.iloc[0]
    hazard = ring_hazard(src.x, src.y, 40.0, 120.0, 250.0)
    return plan_evacuation(site, people, hazard, "shortest", with_bound=False)


def test_fast_routes_are_the_plain_searchs_routes(crowd_plan):
    plan = crowd_plan
    a, people = plan.assignment, plan.people
    assert isinstance(a.routes, RouteList)
    nodes, _ = _plain_routes(plan.net, people, a.profile)
    compared = 0
    for i in range(len(people)):
        if a.escape[i]:
            continue  # leaving a red zone: not the plain search's job (red arcs are closed there)
        assert (nodes[i] is None) == (a.ap[i] < 0), people.ids[i]
        if nodes[i] is not None:
            assert plan.path_nodes(i) == nodes[i], people.ids[i]
            assert plan.net.site.aps.nodes[a.ap[i]] == nodes[i][-1]
            compared += 1
    assert compared > 2500
    assert a.escape.sum() > 0
    assert a.routed[a.escape].all()


def test_fast_routes_give_the_plain_searchs_arrival_times(crowd_plan):
    plan = crowd_plan
    a, people, net = plan.assignment, plan.people, plan.net
    _, arcs = _plain_routes(net, people, a.profile)
    keep = ~a.escape
    plain = [r if k else None for r, k in zip(arcs, keep.tolist(), strict=True)]
    ours = [r if k else None for r, k in zip(a.routes, keep.tolist(), strict=True)]
    unit = np.array([sum(net.unit[p][r]) if r is not None else np.nan for r, p in zip(plain, a.profile, strict=True)])
    free = plan.start_s + unit / people.speed
    np.testing.assert_allclose(plan.free_eta_s[keep], free[keep], rtol=1e-12, atol=1e-9)
    order = priority_order(np.where(np.isfinite(free), free, np.inf))
    args = (plan.start_s, people.speed, a.profile, net.unit_lists, net.arc_edge_list, net.edge_capacity, order)
    np.testing.assert_array_equal(simulate(ours, *args), simulate(plain, *args))


def test_a_route_list_reads_like_a_list_of_arc_lists():
    flat = np.array([4, 5, 6, 7, 8])
    rl = RouteList(flat, np.array([0, 2, 2, 5]), np.array([2, -1, 0, 1, 0]))
    assert rl[0] == [6, 7, 8]
    assert rl[1] is None
    assert rl[2] == [4, 5]
    assert rl[3] == []
    assert rl[-1] == [4, 5]
    assert list(rl) == [[6, 7, 8], None, [4, 5], [], [4, 5]]
    assert rl[1:3] == [None, [4, 5]]
    assert rl == [[6, 7, 8], None, [4, 5], [], [4, 5]]
    rl[0].append(99)  # a fresh list each time: nobody can change another person's route
    assert rl[0] == [6, 7, 8]


def test_flat_routes_with_red_zone_escapes_are_the_one_by_one_routes(crowd_plan):
    net = crowd_plan.net
    trees = net.trees(0)
    nodes = np.arange(net.graph.n_nodes)
    escape = net.red_node.copy()  # every node a red walk can leave from escapes; the others go clean
    assert trees._escaping(escape, nodes).any()
    cols = np.column_stack([net.arc_length, net.unit[0]])
    flat, bounds, total = trees.flat_routes(escape, nodes, cols)
    for v in nodes.tolist():
        one = trees.route(v, bool(escape[v]))  # the plain per-node walk along next/arc
        assert flat[bounds[v]:bounds[v + 1]].tolist() == one, v
        if np.isfinite(total[v, 0]):
            np.testing.assert_allclose(total[v], cols[one].sum(axis=0) if one else [0.0, 0.0], rtol=1e-12, atol=1e-9)
