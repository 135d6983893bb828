"""Hazard-aware shortest routes: red closed, orange/yellow penalised, one-way, mobility, unsafe assembly points."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import shapely

from gis.routing.hazard_graph import Hazard, Penalties
from gis.routing.people import people_of_plant
from gis.routing.plan import plan_evacuation
from gis.routing.shortest import RoutingNetwork, route_shortest
from gis.routing.site import Site
from tests.gis.routing import tiny

# A person at (0, 0); the assembly point at (100, 0). Direct road along y = 0 (100 m) or a detour
# through (0, 40) and (100, 40) (180 m).
TWO_WAYS = [
    ("direct", "road", 6.0, [(0, 0), (100, 0)]),
    ("up", "road", 6.0, [(0, 0), (0, 40)]),
    ("top", "road", 6.0, [(0, 40), (100, 40)]),
    ("down", "road", 6.0, [(100, 40), (100, 0)]),
]


def _route_walkways(net: RoutingNetwork, arcs: list[int]) -> list[str]:
    return [str(net.graph.edge_walkway[net.arc_edge[a]]) for a in arcs]


def _one(s, hazard=None, penalties=None, **kw):
    net = RoutingNetwork(s, hazard, penalties)
    return net, route_shortest(net, tiny.people(s, [(0, 0)], **kw))


def test_no_hazard_takes_the_direct_road():
    net, a = _one(tiny.site(TWO_WAYS, [("AP", (100, 0), 100)]))
    assert _route_walkways(net, a.routes[0]) == ["direct"]
    assert a.length_m[0] == pytest.approx(100.0)


def test_route_avoids_a_red_zone():
    red = shapely.box(40, -5, 60, 5)
    s = tiny.site(TWO_WAYS, [("AP", (100, 0), 100)])
    net, a = _one(s, Hazard([red], ["red"]))
    assert _route_walkways(net, a.routes[0]) == ["up", "top", "down"]
    assert not net.edge_hazard.red[net.arc_edge[a.routes[0]]].any()
    assert a.length_m[0] == pytest.approx(180.0)


def test_orange_is_penalised_yellow_less():
    s = tiny.site(TWO_WAYS, [("AP", (100, 0), 100)])
    zone = shapely.box(40, -5, 60, 5)
    # Orange x3 makes the direct road cost 300 > 180: detour. Yellow x1.5 gives 150 < 180: direct, penalised.
    net, a = _one(s, Hazard([zone], ["orange"]))
    assert _route_walkways(net, a.routes[0]) == ["up", "top", "down"]
    net, a = _one(s, Hazard([zone], ["yellow"]))
    assert _route_walkways(net, a.routes[0]) == ["direct"]
    assert net.trees(0).clean.dist[net.arcs.tail[a.routes[0][0]]] == pytest.approx(150.0, rel=1e-6)
    # Penalties are configurable: yellow at x2 makes the direct road cost 200 > 180.
    net, a = _one(s, Hazard([zone], ["yellow"]), Penalties(yellow=2.0))
    assert _route_walkways(net, a.routes[0]) == ["up", "top", "down"]


def test_one_way_is_respected():
    lines = [("direct", "road", 6.0, [(100, 0), (0, 0)], True), *TWO_WAYS[1:]]  # digitised towards the person
    net, a = _one(tiny.site(lines, [("AP", (100, 0), 100)]))
    assert _route_walkways(net, a.routes[0]) == ["up", "top", "down"]
    lines = [("direct", "road", 6.0, [(0, 0), (100, 0)], True), *TWO_WAYS[1:]]  # digitised the right way
    net, a = _one(tiny.site(lines, [("AP", (100, 0), 100)]))
    assert _route_walkways(net, a.routes[0]) == ["direct"]


def test_ladder_avoided_for_impaired_and_stairs_slower():
    lines = [
        ("ladder", "ladder", 0.6, [(0, 0), (0, 6)]),
        ("yard", "walkway", 2.0, [(0, 6), (30, 6)]),
        ("long", "walkway", 2.0, [(0, 0), (60, 0), (60, 6), (30, 6)]),
    ]
    s = tiny.site(lines, [("AP", (30, 6), 100)])
    net = RoutingNetwork(s)
    a = route_shortest(net, tiny.people(s, [(0, 0), (0, 0)], mobility=["normal", "impaired"]))
    assert "ladder" in _route_walkways(net, a.routes[0])  # 6 / 0.3 + 30 = 50 < 96
    assert "ladder" not in _route_walkways(net, a.routes[1])
    stairs = [("stair", "stair", 1.2, [(0, 0), (0, 6)]), *lines[1:]]
    net = RoutingNetwork(tiny.site(stairs, [("AP", (30, 6), 100)]))
    normal, impaired = net.unit
    k = int(np.flatnonzero(net.graph.edge_kind[net.arc_edge] == "stair")[0])
    assert normal[k] == pytest.approx(6 / 0.6)
    assert impaired[k] == pytest.approx(6 / 0.36)


def test_assembly_point_inside_any_zone_is_not_used():
    s = tiny.site(TWO_WAYS, [("NEAR", (100, 0), 100), ("FAR", (100, 40), 100)])
    near_zone = shapely.Point(100, 0).buffer(8)
    net, a = _one(s, Hazard([near_zone], ["yellow"]))
    assert list(net.ap_safe) == [False, True]
    assert s.aps.ids[a.ap[0]] == "FAR"


def test_a_person_inside_red_walks_out_but_nobody_walks_in():
    lines = [("w", "road", 6.0, [(0, 0), (50, 0), (100, 0)]), ("x", "road", 6.0, [(50, 0), (50, 30)])]
    s = tiny.site(lines, [("AP", (100, 0), 100)])
    red = shapely.box(-10, -10, 60, 10)  # covers the person, the node at (50, 0) and the start of "x"
    net = RoutingNetwork(s, Hazard([red], ["red"]))
    # At (0, 0) in red: routed out along w. At (50, 30) outside red: the only way passes through red.
    a = route_shortest(net, tiny.people(s, [(0, 0), (50, 30)]))
    assert a.escape.tolist() == [True, False]
    assert a.ap[0] == 0
    assert a.routes[0]
    assert a.ap[1] == -1
    assert a.reasons[1][0] == "cut-off-by-hazard"


def test_red_edges_only_at_the_start_of_an_escape(demo_plant):
    s = Site.of_plant(demo_plant)
    people = people_of_plant(demo_plant)
    centre = shapely.Point(people.x[0], people.y[0])
    net = RoutingNetwork(s, Hazard([centre.buffer(80)], ["red"]))
    a = route_shortest(net, people)
    assert a.escape.any()
    for i in np.flatnonzero(a.routed):
        red = net.edge_hazard.red[net.arc_edge[a.routes[i]]]
        if not a.escape[i]:
            assert not red.any()
        else:  # a prefix of red edges, then never red again
            k = int(np.argmin(red)) if not red.all() else len(red)
            assert not red[k:].any()


def test_multi_source_equals_one_networkx_search_per_person(demo_plant):
    s = Site.of_plant(demo_plant)
    people = people_of_plant(demo_plant)
    hazard = Hazard([shapely.Point(people.x[5], people.y[5]).buffer(120)], ["orange"])
    net = RoutingNetwork(s, hazard)
    a = route_shortest(net, people)
    for profile in (0, 1):
        w = net.weight(profile)
        g = nx.DiGraph()
        for t, h, wt in zip(net.arcs.tail.tolist(), net.arcs.head.tolist(), w.tolist(), strict=True):
            if np.isfinite(wt) and (not g.has_edge(t, h) or g[t][h]["w"] > wt):
                g.add_edge(t, h, w=wt)
        for k in np.flatnonzero(net.ap_safe):
            g.add_edge(int(s.aps.nodes[k]), "sink", w=0.0)
        rows = np.flatnonzero(a.profile == profile)[:40]
        for i in rows.tolist():
            expect = nx.shortest_path_length(g, int(people.node[i]), "sink", weight="w")
            got = float(net.trees(profile).clean.dist[people.node[i]])
            assert got == pytest.approx(expect, rel=1e-9, abs=1e-6)
            route_cost = float(w[a.routes[i]].sum())
            assert route_cost == pytest.approx(expect, rel=1e-9, abs=1e-6)


def test_everyone_on_the_demo_plant_is_routed(demo_plant):
    plan = plan_evacuation(Site.of_plant(demo_plant), people_of_plant(demo_plant), method="shortest")
    assert plan.routed.all()
    assert plan.unroutable() == []
    # Arrival in the flow model is never before free flow.
    assert np.all(plan.eta_s >= plan.free_eta_s - 1e-9)
