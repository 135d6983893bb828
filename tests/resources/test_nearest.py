"""Nearest resources and people by walking time around the hazard, against networkx on the same graph."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gis.routing.hazard_graph import Hazard
from plans.roster import Roster
from plans.shifts import ShiftCalendar
from resources.inventory import load_inventory
from resources.nearest import nearest_people, nearest_resources
from resources.teams import load_teams
from resources.walking import WALK_SPEED_MPS, QueryError, WalkNetwork

from .conftest import MORNING, TODAY, brute_nearest_node, oracle_graph
from .plants import E0, N0, P2, RED_CUT, RED_WIDE, P, g

V = WALK_SPEED_MPS


def _ring(ring):
    return shapely.Polygon([g(*p) for p in ring])


def _xy(p):
    return E0 + p[0], N0 + p[1]


def _oracle_walk(plant, oracle, item_xy, place_xy):
    """(seconds, metres, node path) of the oracle from an item to a place: brute-force joins, networkx Dijkstra."""
    graph = plant.graph
    a, da = brute_nearest_node(graph, *item_xy)
    b, db = brute_nearest_node(graph, *place_xy)
    try:
        w, nodes = nx.single_source_dijkstra(oracle, a, b, weight="weight")
    except nx.NetworkXNoPath:
        return math.inf, math.inf, None
    metres = sum(oracle[u][v]["length"] for u, v in itertools.pairwise(nodes))
    return (da + w + db) / V, da + metres + db, nodes


def _path_length(path):
    return float(shapely.LineString(path).length)


@pytest.fixture(scope="module")
def inv(detour):
    return load_inventory(detour, TODAY)


@pytest.fixture(scope="module")
def net(detour):
    return WalkNetwork.of_plant(detour)


def test_straight_line_nearest_is_not_walking_nearest(detour, inv, net):
    px, py = _xy(P)
    straight = sorted(["S1", "S2"], key=lambda r: math.dist(inv.xy[inv.row[r]], (px, py)))
    assert straight[0] == "S1"
    out = nearest_resources(net.reach(px, py), inv, kind="scba", limit=5)
    ids = [r["id"] for r in out["results"]]
    assert ids == ["S3", "S2", "S1"]  # S3 stands on the road 50 m away; S2 before S1 on foot
    oracle = oracle_graph(detour.graph)
    for r in out["results"]:
        s, m, _ = _oracle_walk(detour, oracle, inv.xy[inv.row[r["id"]]], (px, py))
        assert r["walk_s"] == pytest.approx(s, abs=0.06)
        assert r["distance_m"] == pytest.approx(m, abs=0.06)
    # hand figures: S2 3 m to its node, 100 m of road, 2 m to the place; S1 2 + 50 + 30 + 50 + 2 m
    assert out["results"][1]["distance_m"] == pytest.approx(105.0, abs=0.1)
    assert out["results"][2]["distance_m"] == pytest.approx(134.0, abs=0.1)


def test_path_runs_from_the_item_to_the_place_along_the_walkways(inv, net):
    px, py = _xy(P)
    out = nearest_resources(net.reach(px, py), inv, kind="scba", limit=5)
    s1 = next(r for r in out["results"] if r["id"] == "S1")
    assert s1["path"][0] == pytest.approx(g(150, 32))
    assert s1["path"][-1] == pytest.approx([px, py])
    assert _path_length(s1["path"]) == pytest.approx(s1["distance_m"], abs=0.1)
    assert g(200, 30) in s1["path"]
    assert g(200, 0) in s1["path"]


def test_expired_and_unready_items_are_left_out_with_the_reason(inv, net):
    out = nearest_resources(net.reach(*_xy(P)), inv, limit=20)
    why = {e["id"]: e["reason"] for e in out["excluded"]}
    assert why == {"S4": "expired", "K1": "not-ready"}
    assert "S4" not in [r["id"] for r in out["results"]]


def test_red_zone_closes_the_road_and_the_route_goes_round(detour, inv, net):
    red = _ring(RED_CUT)
    reach = net.with_hazard(Hazard([red], ["red"])).reach(*_xy(P))
    out = nearest_resources(reach, inv, kind="scba", limit=5)
    assert [r["id"] for r in out["results"]] == ["S1", "S2"]
    assert {e["id"]: e["reason"] for e in out["excluded"]} == {"S3": "inside-red-zone", "S4": "expired"}
    oracle = oracle_graph(detour.graph, red=red)
    for r in out["results"]:
        assert not shapely.LineString(r["path"]).intersects(red)
        s, _m, _ = _oracle_walk(detour, oracle, inv.xy[inv.row[r["id"]]], _xy(P))
        assert r["walk_s"] == pytest.approx(s, abs=0.06)
    # S2 now: 3 + 50 west + 30 up the stair + 200 + 30 down + 50 west + 2 m; the stair walks at 0.6
    s2 = out["results"][1]
    assert s2["distance_m"] == pytest.approx(365.0, abs=0.1)
    assert s2["walk_s"] == pytest.approx((365.0 - 30.0 + 30.0 / 0.6) / V, abs=0.06)


def test_place_inside_red_is_served_at_the_staging_point(detour, inv, net):
    red = _ring(RED_WIDE)
    reach = net.with_hazard(Hazard([red], ["red"])).reach(*_xy(P2))
    out = nearest_resources(reach, inv, kind="scba", limit=5)
    d = out["destination"]
    assert d["staging"] is True
    assert (d["x"], d["y"]) == pytest.approx(tuple(g(50, 0)))
    # from the staging node (50, 0) along the red road to the place's node (100, 0), then 10.05 m straight
    assert d["inside_red_m"] == pytest.approx(50 + math.hypot(10, 1), abs=0.1)
    assert [r["id"] for r in out["results"]] == ["S2", "S1"]
    assert out["results"][0]["distance_m"] == pytest.approx(3.0, abs=0.01)
    for r in out["results"]:
        assert not shapely.LineString(r["path"]).intersects(red)
        assert r["path"][-1] == pytest.approx(g(50, 0))


def test_orange_costs_more_but_walk_s_is_the_real_time(detour, inv, net):
    orange = _ring([(60, -10), (90, -10), (90, 10), (60, 10)])
    reach = net.with_hazard(Hazard([orange], ["orange"])).reach(*_xy(P))
    s2 = next(r for r in nearest_resources(reach, inv, kind="scba")["results"] if r["id"] == "S2")
    assert s2["distance_m"] == pytest.approx(105.0, abs=0.1)  # still the road: the detour is far longer
    assert s2["walk_s"] == pytest.approx(105.0 / V, abs=0.06)
    mult = 3.0  # the default orange penalty, applied to the road span (50, 0)-(100, 0) that meets the zone
    oracle = oracle_graph(detour.graph, mult=lambda line: mult if line.intersects(orange) else 1.0)
    a, _ = brute_nearest_node(detour.graph, *inv.xy[inv.row["S2"]])
    b, _ = brute_nearest_node(detour.graph, *_xy(P))
    assert s2["cost_s"] == pytest.approx((3 + nx.dijkstra_path_length(oracle, a, b) + 2) / V, abs=0.06)


def test_fire_truck_drives_the_road_then_the_crew_walks(inv, net):
    out = nearest_resources(net.reach(*_xy(P)), inv, kind="fire_truck")
    t1 = out["results"][0]
    assert t1["mode"] == "drive"
    yard = math.hypot(20, 20)  # the truck joins the road at (0, 0)
    drive = (yard + 150.0) / (20 / 3.6)
    assert t1["drive_s"] == pytest.approx(drive, abs=0.06)
    assert t1["walk_s"] == pytest.approx(drive + 2.0 / V, abs=0.06)
    assert t1["distance_m"] == pytest.approx(yard + 150 + 2, abs=0.1)


def test_a_place_off_the_walkways_is_refused(net):
    with pytest.raises(QueryError, match="off the walkways"):
        net.reach(E0 + 100, N0 + 200)


def test_people_nearest_are_qualified_on_shift_and_outside_red(detour, net):
    teams = load_teams(detour, MORNING.date(), ShiftCalendar(detour.timezone))
    xy = Roster.from_plant(detour).where()
    red = _ring(RED_CUT)
    reach = net.with_hazard(Hazard([red], ["red"])).reach(*_xy(P))
    out = nearest_people(reach, teams, MORNING, xy, quals=("scba",))
    # on shift (crew A, day staff): F1, F3, O1, M1; scba valid: F1, O1 (F3's ticket expired 2026-01-01)
    assert [r["id"] for r in out["results"]] == ["F1"]
    assert {e["id"]: e["reason"] for e in out["excluded"]} == {"O1": "inside-red-zone"}
    oracle = oracle_graph(detour.graph, red=red)
    s, _, _ = _oracle_walk(detour, oracle, g(150, 33), _xy(P))
    assert out["results"][0]["walk_s"] == pytest.approx(s, abs=0.06)


def test_demo_plant_nearest_scba_matches_networkx(demo_plant):
    inv = load_inventory(demo_plant, TODAY)
    net = WalkNetwork.of_plant(demo_plant)
    place = (670614.0, 3569918.0)
    out = nearest_resources(net.reach(*place), inv, kind="scba", limit=len(inv))
    oracle = oracle_graph(demo_plant.graph)
    graph = demo_plant.graph
    b, db = brute_nearest_node(graph, *place)
    dist = nx.single_source_dijkstra_path_length(oracle.reverse(copy=False), b, weight="weight")
    expect = {}
    for i in inv.of_kind("scba").tolist():
        if inv.expired[i]:
            continue
        a, da = brute_nearest_node(graph, *inv.xy[i])
        expect[str(inv.ids[i])] = (da + dist[a] + db) / V
    got = {r["id"]: r["walk_s"] for r in out["results"]}
    assert got.keys() == expect.keys()
    for k, v in expect.items():
        assert got[k] == pytest.approx(v, abs=0.06)
    assert [r["walk_s"] for r in out["results"]] == sorted(got.values())


@pytest.fixture(scope="module")
def demo_setup(demo_plant):
    inv = load_inventory(demo_plant, TODAY)
    net = WalkNetwork.of_plant(demo_plant)
    return inv, net, oracle_graph(demo_plant.graph)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(i=st.integers(0, 10_000), dx=st.floats(-20, 20), dy=st.floats(-20, 20),
       kind=st.sampled_from(["extinguisher", "first_aid", "eyewash", "spill_kit"]))
def test_demo_plant_any_place_and_kind_agrees_with_networkx(demo_plant, demo_setup, i, dx, dy, kind):
    inv, net, oracle = demo_setup
    graph = demo_plant.graph
    x, y = graph.node_xy[i % graph.n_nodes] + (dx, dy)
    out = nearest_resources(net.reach(x, y), inv, kind=kind, limit=3)
    b, db = brute_nearest_node(graph, x, y)
    dist = nx.single_source_dijkstra_path_length(oracle.reverse(copy=False), b, weight="weight")
    expect = []
    for r in inv.of_kind(kind).tolist():
        if inv.expired[r] or inv.state[r] != "ready" or inv.quantity[r] == 0:
            continue
        a, da = brute_nearest_node(graph, *inv.xy[r])
        if da <= 50 and a in dist:
            expect.append((da + dist[a] + db) / V)
    expect.sort()
    assert [r["walk_s"] for r in out["results"]] == pytest.approx(expect[:3], abs=0.06)
    for r in out["results"]:
        assert _path_length(r["path"]) == pytest.approx(r["distance_m"], abs=0.1)


def test_demo_plant_red_zone_is_never_entered(demo_plant, demo_setup):
    inv, net, _ = demo_setup
    centre = shapely.Point(670150.0, 3570046.0)
    red, orange = centre.buffer(60.0), centre.buffer(150.0)
    hz = Hazard([red, orange.difference(red)], ["red", "orange"])
    out = nearest_resources(net.with_hazard(hz).reach(670150.0, 3570046.0), inv, limit=40)
    assert out["destination"]["staging"] is True
    assert not red.contains(shapely.Point(out["destination"]["x"], out["destination"]["y"]))
    inside = {str(inv.ids[i]) for i in range(len(inv)) if red.contains(shapely.Point(inv.xy[i]))}
    assert inside
    assert inside <= {e["id"] for e in out["excluded"]}
    oracle = oracle_graph(demo_plant.graph, red=red)
    for r in out["results"]:
        if r["mode"] == "walk":
            assert not shapely.LineString(r["path"]).intersects(red)
    # the staging point is where the oracle (red edges removed) reaches, and the walk times agree
    dest, _ = brute_nearest_node(demo_plant.graph, out["destination"]["x"], out["destination"]["y"])
    dist = nx.single_source_dijkstra_path_length(oracle.reverse(copy=False), dest, weight="weight")
    graph = demo_plant.graph
    for r in out["results"][:10]:
        if r["mode"] != "walk":
            continue
        a, da = brute_nearest_node(graph, *inv.xy[inv.row[r["id"]]])
        assert r["walk_s"] * V >= da + dist[a] - 0.1  # penalised choice: never shorter than the clean optimum
    assert np.all(np.diff([r["walk_s"] for r in out["results"]]) >= 0)
