"""The capacity-aware plan, the flow model and the lower bound."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from gis.loader import load_plant
from gis.routing.people import people_of_plant
from gis.routing.plan import plan_evacuation
from gis.routing.site import Site
from tests.gis.routing import tiny
from tests.gis.routing.scenarios import write_bottleneck_plant
from tests.gis.routing.test_quickest import exact_optimum


@pytest.fixture(scope="module")
def bottleneck(tmp_path_factory):
    plant = load_plant(write_bottleneck_plant(tmp_path_factory.mktemp("bottleneck") / "plant"))
    return Site.of_plant(plant), people_of_plant(plant)


def test_capacity_plan_beats_shortest_on_the_bottleneck(bottleneck):
    site, people = bottleneck
    short = plan_evacuation(site, people, method="shortest")
    cap = plan_evacuation(site, people, method="capacity")
    assert short.lower_bound_s == pytest.approx(cap.lower_bound_s)
    assert short.evacuation_time_s >= short.lower_bound_s
    assert cap.evacuation_time_s >= cap.lower_bound_s
    assert cap.ratio <= 1.10
    assert short.ratio >= 1.40
    # The shortest plan sends everyone through the narrow door; the capacity plan uses both.
    first = {str(site.graph.edge_walkway[cap.net.arc_edge[r[0]]]) for r in cap.assignment.routes}
    assert first == {"D-N", "D-S"}
    assert {str(site.graph.edge_walkway[short.net.arc_edge[r[0]]]) for r in short.assignment.routes} == {"D-N"}


def test_the_narrow_door_queue_matches_the_hand_calculation(bottleneck):
    """Hand calculation of the flow model: the shortest plan sends all 400 people (1.2 m/s, start 0, within
    2.5 m of the door's node) through the 0.8 m door (0.8 x 1.3 = 1.04 persons/s). They enter one per
    window of 1/1.04 s from the window of the first arrival (within 2.5 / 1.2 s), so the last enters
    between 399/1.04 s and (399 + 3)/1.04 s, then walks the 10 m door and the 30 m road (40 m / 1.2 m/s);
    the 7.8 persons/s road never queues."""
    site, people = bottleneck
    short = plan_evacuation(site, people, method="shortest")
    walk = 40 / 1.2
    assert 399 / 1.04 + walk <= short.evacuation_time_s <= 402 / 1.04 + walk


def test_the_planner_reserves_what_a_fresh_simulation_gives(bottleneck):
    """The capacity planner keeps the arrival times it reserved; timing its routes again from scratch in
    the flow model gives the same times (two code paths: the planner's incremental reservations with
    early-abandoned candidate walks, and one walk per person)."""
    from gis.routing.flow_model import simulate

    site, people = bottleneck
    cap = plan_evacuation(site, people, method="capacity", optimise_s=0.0)
    eta = simulate(cap.assignment.routes, cap.start_s, people.speed, cap.assignment.profile, cap.net.unit_lists,
                   cap.net.arc_edge_list, cap.net.edge_capacity, cap.order)
    assert np.allclose(eta, cap.eta_s)


def test_assembly_point_capacity_is_respected_by_the_capacity_plan():
    lines = [("a", "road", 6.0, [(0, 0), (50, 0)]), ("b", "road", 6.0, [(0, 0), (-80, 0)])]
    s = tiny.site(lines, [("NEAR", (50, 0), 3), ("FAR", (-80, 0), 100)])
    people = tiny.people(s, [(0, 0)] * 5)
    short = plan_evacuation(s, people, method="shortest")
    cap = plan_evacuation(s, people, method="capacity")
    assert short.assembly_points()[0]["over_capacity"] == 2
    loads = {d["id"]: d["assigned"] for d in cap.assembly_points()}
    assert loads == {"NEAR": 3, "FAR": 2}


@pytest.mark.parametrize("seed", range(12))
def test_lower_bound_never_exceeds_the_exact_optimum(seed):
    rng = np.random.default_rng(seed)
    # A 3 x 3 grid, 2 m spacing, some links missing; capacity 1 person/s everywhere.
    pts = [(x * 2.0, y * 2.0) for x in range(3) for y in range(3)]
    links = [(a, b) for a, b in itertools.combinations(range(9), 2)
             if abs(pts[a][0] - pts[b][0]) + abs(pts[a][1] - pts[b][1]) == 2.0]
    keep = [lk for lk in links if rng.random() < 0.8]
    lines = [(f"w{k}", "walkway", {"capacity": 1.0}, [pts[a], pts[b]]) for k, (a, b) in enumerate(keep)]
    used = sorted({p for lk in keep for p in lk})
    ap_pt = pts[used[int(rng.integers(len(used)))]]
    s = tiny.site(lines, [("AP", ap_pt, 1000)])
    reach = [pts[p] for p in used if s.graph.node_component[s.graph.nearest_nodes(np.array([pts[p]]))[0][0]]
             == s.graph.node_component[s.aps.nodes[0]] and pts[p] != ap_pt]
    if not reach:
        pytest.skip("degenerate draw")
    k = int(rng.integers(3, 7))
    where = [reach[int(i)] for i in rng.integers(len(reach), size=k)]
    people = tiny.people(s, where, speed=1.0, premovement=[float(v) for v in rng.integers(0, 3, size=k)])
    plan = plan_evacuation(s, people, method="capacity")
    upper = math.ceil(plan_evacuation(s, people, method="shortest").evacuation_time_s) + 1
    opt = exact_optimum(s, people, -1, upper)
    assert plan.lower_bound_s <= opt + 1e-6
    assert plan.evacuation_time_s >= opt - 1e-9  # a feasible plan is never better than the optimum
    shortest = plan_evacuation(s, people, method="shortest")
    assert shortest.evacuation_time_s >= opt - 1e-9


def test_lower_bound_water_filling_matches_the_hand_computation(bottleneck):
    site, people = bottleneck
    plan = plan_evacuation(site, people, method="shortest")
    # Doors 1.04 and 3.9 persons/s; 40 m and 180 m to the assembly point at 1.2 m/s; 400 people.
    a1, a2 = 40 / 1.2 - 2 / 1.04, 180 / 1.2 - 2 / 3.9
    level = (400 + 1.04 * a1 + 3.9 * a2) / (1.04 + 3.9)
    assert plan.bound.cut == pytest.approx(level, abs=0.5)  # t0 (the nearest person's access walk) is ~0
    assert plan.bound.cut_arcs == 2
