"""The verification tests of NIST TN 1822 that apply to a graph (network) evacuation model.

Source: E. Ronchi, E. D. Kuligowski, P. A. Reneke, R. D. Peacock, D. Nilsson, *The Process of Verification
and Validation of Building Fire Evacuation Models*, NIST Technical Note 1822 (2013), chapter 5, tests by
core component: 1 pre-evacuation time; 2 movement and navigation (2.1 speed in a corridor, 2.2 speed on
stairs, 2.3 movement around a corner, 2.4 assigned demographics, 2.8 horizontal counter-flows, 2.10 people
with movement disabilities); 3 exit usage (3.1 exit route allocation); 4 route availability (4.1 dynamic
availability of exits); 5 flow constraints (5.1 congestion, 5.2 maximum flow rates). Not applicable to this
model and not tested: 2.5 reduced visibility, 2.6 incapacitation, 2.7 elevators, 2.9 group behaviour,
3.2 social influence, 3.3 affiliation. Test 2.4 is RiMEA Test 7 (tests/simulation/test_rimea.py). The
geometries are ours where TN 1822 leaves them to the tester; every expected value is a hand calculation.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
import simpy
from scipy import stats

from gis.loader import load_plant
from gis.routing.hazard_graph import Hazard
from gis.routing.people import draw_premovement, people_of_plant
from gis.routing.shortest import RoutingNetwork
from gis.routing.site import Site
from simulation.clocked import Mover
from simulation.movement import Movement
from tests.simulation.plants import X0, Y0, Layout, Line, corridor, entries, evacuate_package, room, write_layout


def test_nist_1_premovement_times_follow_the_assigned_distribution(tmp_path) -> None:
    """Test 1 (pre-evacuation time): occupants start moving at the pre-evacuation times drawn from the
    assigned distribution. Drawn: log-normal, median 60 s, log s.d. 0.6 (PD 7974-6 form); 2,000 draws pass a
    Kolmogorov–Smirnov test against scipy's log-normal at 5 %; 20 simulated people depart exactly then."""
    draws = draw_premovement(np.array([f"X{i}" for i in range(2000)], dtype=object))
    assert stats.kstest(draws, stats.lognorm(s=0.6, scale=60.0).cdf).pvalue > 0.05
    pos = np.column_stack([np.zeros(20), np.arange(20) * 0.5 - 5.0])
    path = write_layout(tmp_path / "p", corridor(30.0, 2.0), pos, 1.3, None)
    _, run = evacuate_package(path)
    assert np.array(run.movement.departed_at) == pytest.approx(np.asarray(run.people.premovement), abs=1e-9)


@pytest.mark.parametrize("speed", [0.5, 1.0, 1.5])
def test_nist_2_1_speed_in_a_corridor(tmp_path, speed: float) -> None:
    """Test 2.1 (speed in a corridor): one occupant at an assigned speed walks a straight 100 m × 2 m
    corridor in 100 m / speed."""
    path = write_layout(tmp_path / "p", corridor(100.0, 2.0), np.array([[0.0, 0.0]]), speed, 0.0)
    _, run = evacuate_package(path)
    assert run.arrival_s[0] == pytest.approx(100.0 / speed, abs=1e-9)


def _stairs() -> Layout:
    return Layout([Line("FLOOR", "corridor", 2.0, [(0.0, 0.0), (10.0, 0.0)]),
                   Line("STAIR", "stair", 1.2, [(10.0, 0.0), (20.0, 0.0)])],
                  [("AP-1", (20.0, 0.0), 100)], (-60.0, -60.0, 80.0, 60.0))


def test_nist_2_2_speed_on_stairs(tmp_path) -> None:
    """Test 2.2 (speed on stairs): on a stair the occupant walks at the stair speed. The plant format's
    stair speed factor is 0.6: 10 m of floor at 1 m/s then 10 m of stair take 10 + 10 / 0.6 = 26.667 s."""
    path = write_layout(tmp_path / "p", _stairs(), np.array([[0.0, 0.0]]), 1.0, 0.0)
    _, run = evacuate_package(path)
    assert run.arrival_s[0] == pytest.approx(10.0 + 10.0 / 0.6, abs=1e-9)


def test_nist_2_3_no_corner_is_cut(tmp_path) -> None:
    """Test 2.3 (movement around a corner): occupants turn a corner without passing through walls. A graph
    model walks the walkway lines: an L of 10 m + 10 m at 1 m/s takes 20 s, not the 14.1 s of the diagonal."""
    lay = Layout([Line("L", "corridor", 2.0, [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)])],
                 [("AP-1", (10.0, 10.0), 100)], (-60.0, -60.0, 70.0, 70.0))
    path = write_layout(tmp_path / "p", lay, np.array([[0.0, 0.0]]), 1.0, 0.0)
    _, run = evacuate_package(path)
    assert run.arrival_s[0] == pytest.approx(20.0, abs=1e-9)


def test_nist_2_8_counter_flows_share_a_door(tmp_path) -> None:
    """Test 2.8 (horizontal counter-flows): two groups cross a door in opposite directions (each allocated the
    assembly point on the far side). The door's capacity (1 m × 1.3 = 1.3 persons/s) is shared by both
    directions, so 2 × 40 people need at least 79 / 1.3 = 60.8 s of door time, twice one group's, and no
    two entries are closer than 1 / 1.3 s."""
    lay = Layout([Line("W", "corridor", 4.0, [(-20.0, 0.0), (0.0, 0.0)]),
                  Line("D", "door", 1.0, [(0.0, 0.0), (1.0, 0.0)]),
                  Line("E", "corridor", 4.0, [(1.0, 0.0), (21.0, 0.0)])],
                 [("AP-W", (-20.0, 0.0), 100), ("AP-E", (21.0, 0.0), 100)], (-80.0, -60.0, 80.0, 60.0))
    west = np.column_stack([np.full(40, -0.2), np.linspace(-1.0, 1.0, 40)])
    east = np.column_stack([np.full(40, 1.2), np.linspace(-1.0, 1.0, 40)])
    path = write_layout(tmp_path / "p", lay, np.vstack([west, east]), 1.2, 0.0)
    plant = load_plant(path)
    net = RoutingNetwork(Site.of_plant(plant))
    people = people_of_plant(plant)
    to_east = net.build_trees(0, ap_offset=np.array([np.inf, 0.0]))
    to_west = net.build_trees(0, ap_offset=np.array([0.0, np.inf]))
    routes = [(to_east if k < 40 else to_west).route(int(n), False) for k, n in enumerate(people.node)]
    m = Movement(net, people, record_flow=True)
    m.use_plan(np.repeat([1, 0], 40), routes, {})
    m.alarm(range(80), 0.0)
    m.run()
    door = np.flatnonzero(plant.graph.edge_walkway.astype(str) == "D")
    t = np.sort([x for e in door for x in m.flow.entries.get(int(e), [])])
    assert len(t) == 80
    assert np.min(np.diff(t)) >= 1 / 1.3 - 1e-9
    assert t[-1] - t[0] >= 79 / 1.3 - 1e-6
    assert m.arrived_ap == [1] * 40 + [0] * 40


def test_nist_2_10_impaired_mobility_avoids_ladders_and_slows_on_stairs(tmp_path) -> None:
    """Test 2.10 (people with movement disabilities): a 5 m ladder (factor 0.3) is the short way; the long
    way is 10 m of floor and a 10 m stair. At 1 m/s a walker takes the ladder (5 / 0.3 = 16.7 s); an impaired
    person (no ladders, stairs at a further 0.6, see docs/routing.md) at 0.8 m/s takes the long way in
    10 / 0.8 + 10 / (0.8 × 0.6 × 0.6) = 12.5 + 34.72 = 47.22 s."""
    lay = Layout([Line("LAD", "ladder", 0.8, [(0.0, 0.0), (0.0, 5.0)]),
                  Line("FLOOR", "corridor", 2.0, [(0.0, 0.0), (10.0, 0.0)]),
                  Line("STAIR", "stair", 1.2, [(10.0, 0.0), (10.0, 5.0), (0.0, 5.0)])],
                  [("AP-1", (0.0, 5.0), 100)], (-60.0, -60.0, 70.0, 70.0))
    path = write_layout(tmp_path / "p", lay, np.zeros((2, 2)), [1.0, 0.8], [0.0, 100.0],
                        mobility=["normal", "impaired"])
    _, run = evacuate_package(path)
    assert run.arrival_s[0] == pytest.approx(5.0 / 0.3, abs=1e-9)
    assert run.arrival_s[1] - 100.0 == pytest.approx(12.5 + 15.0 / (0.8 * 0.36), abs=1e-9)


def test_nist_3_1_allocated_exits_are_used(tmp_path) -> None:
    """Test 3.1 (exit route allocation): occupants allocated to an exit use it even when another is nearer.
    Everyone is allocated the far exit of a 30 m hall; all arrive there. By hand: each joins the hall's west
    end (the nearest walkway node), x m behind them, then walks 30 m at 1 m/s: arrival x + 30 s."""
    lay = Layout([Line("HALL", "corridor", 4.0, [(0.0, 0.0), (30.0, 0.0)])],
                 [("NEAR", (0.0, 0.0), 100), ("FAR", (30.0, 0.0), 100)], (-60.0, -60.0, 90.0, 60.0))
    path = write_layout(tmp_path / "p", lay, np.column_stack([np.linspace(1, 5, 10), np.zeros(10)]), 1.0, 0.0)
    plant = load_plant(path)
    net = RoutingNetwork(Site.of_plant(plant))
    people = people_of_plant(plant)
    trees = net.build_trees(0, ap_offset=np.array([np.inf, 0.0]))
    m = Movement(net, people)
    m.use_plan(np.ones(len(people), int), [trees.route(int(n), False) for n in people.node], {})
    m.alarm(range(len(people)), 0.0)
    m.run()
    assert m.arrived_ap == [1] * 10
    assert np.array(m.arrived_at) == pytest.approx(30.0 + people.x - X0, abs=1e-6)


def test_nist_4_1_a_closed_exit_is_abandoned(tmp_path) -> None:
    """Test 4.1 (dynamic availability of exits): an exit becomes unavailable during the evacuation and the
    occupants who have not used it go to another one. A 20 m hall has doors at both ends; at t = 10 s a
    red hazard zone covers the west door: everyone who had not gone through it by then leaves by the east
    door (only someone caught inside the zone may cross it, on the shortest way out), and all arrive."""
    lay = Layout([Line("DW", "door", 1.0, [(-1.0, 0.0), (0.0, 0.0)]),
                  Line("HALL", "corridor", 6.0, [(0.0, 0.0), (20.0, 0.0)]),
                  Line("DE", "door", 1.0, [(20.0, 0.0), (21.0, 0.0)]),
                  Line("OW", "walkway", 4.0, [(-1.0, 0.0), (-6.0, 0.0)]),
                  Line("OE", "walkway", 4.0, [(21.0, 0.0), (26.0, 0.0)])],
                 [("AP-W", (-6.0, 0.0), 500), ("AP-E", (26.0, 0.0), 500)], (-70.0, -60.0, 90.0, 60.0))
    pos = np.column_stack([np.linspace(0.5, 6.0, 60), np.zeros(60)])
    path = write_layout(tmp_path / "p", lay, pos, 1.2, 0.0)
    plant = load_plant(path)
    site = Site.of_plant(plant)
    m = Movement(RoutingNetwork(site), people_of_plant(plant), record_flow=True)
    env = simpy.Environment()
    mover = Mover(env, m)
    mover.alarm(range(60))
    closed = Hazard([shapely.box(X0 - 1.5, Y0 - 3, X0 - 0.6, Y0 + 3)], ["red"])

    def close_west():
        yield env.timeout(10.0)
        mover.set_network(RoutingNetwork(site, closed))

    env.process(close_west())
    env.run()
    west = [t for e in np.flatnonzero(plant.graph.edge_walkway.astype(str) == "DW") for t in m.flow.entries.get(e, [])]
    before = sum(1 for t in west if t <= 10.0)
    assert 0 < before < 60
    assert np.isfinite(m.arrived_at).all()
    assert sum(1 for a in m.arrived_ap if a == 0) <= before
    assert sum(1 for a in m.arrived_ap if a == 1) >= 60 - before


def test_nist_5_congestion_forms_and_flow_never_exceeds_the_maximum(tmp_path) -> None:
    """Tests 5.1 (congestion) and 5.2 (maximum flow rates): 100 occupants leaving a room by a 1 m door queue
    in front of it, and the flow through it never exceeds the maximum (1.3 persons/s/m: entries at least
    1 / 1.3 s apart); while the queue lasts the door runs at exactly that flow (99 / 1.3 = 76.2 s)."""
    pos = np.column_stack([np.tile(np.linspace(1, 9, 10), 10), np.repeat(np.linspace(1, 9, 10), 10)])
    path = write_layout(tmp_path / "p", room(10.0, 10.0, [("D", (10.0, 5.0), "E", 1.0)]), pos, 1.3, 0.0)
    plant, run = evacuate_package(path)
    t = entries(run, plant, "D")
    assert max(run.movement.queue_max().values()) >= 50
    assert np.min(np.diff(t)) >= 1 / 1.3 - 1e-9
    assert t[-1] - t[0] == pytest.approx(99 / 1.3, abs=1e-6)
