"""RiMEA verification tests 1, 4, 5, 7, 9 and 12, on small plant packages.

Source: RiMEA e.V., *Richtlinie für Mikroskopische Entfluchtungsanalysen* (Guideline for Microscopic
Evacuation Analysis), version 3.0.0 (2016), section "Verification" (Tests 1–15). Each test's docstring
states the RiMEA set-up and criterion, then how it maps onto a graph model. The oracle is always a
hand calculation or the published relation, never this model's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from gis.routing.people import draw_speed
from tests.simulation.plants import (
    Layout,
    Line,
    corridor,
    entries,
    evacuate_package,
    room,
    uniform_positions,
    write_layout,
)


def test_rimea_1_walking_speed_is_kept_in_a_corridor(tmp_path) -> None:
    """RiMEA Test 1, "Maintaining the specified walking speed in a corridor": one person at 1.33 m/s in a
    2 m × 40 m corridor must cover it in 26–34 s (body size, 1 s pre-movement and 5 % speed as
    tolerances). Hand calculation: 40 m / 1.33 m/s = 30.075 s."""
    path = write_layout(tmp_path / "p", corridor(40.0, 2.0), np.array([[0.0, 0.0]]), 1.33, 0.0)
    _, run = evacuate_package(path)
    t = run.arrival_s[0]
    assert 26.0 <= t <= 34.0
    assert t == pytest.approx(40.0 / 1.33, abs=1e-9)


def _weidmann(rho: float, v0: float = 1.34) -> float:
    """Weidmann (1993): v = v0 [1 − exp(−1.913 (1/ρ − 1/5.4))] (written out here as the oracle)."""
    return v0 * (1.0 - math.exp(-1.913 * (1.0 / rho - 1.0 / 5.4)))


@pytest.mark.parametrize("rho", [0.25, 0.5, 1.0, 1.5])
def test_rimea_4_speed_follows_weidmann_on_one_edge(tmp_path, rho: float) -> None:
    """RiMEA Test 4, "Measurement of the fundamental diagram": a 10 m wide corridor filled at a density ρ,
    speed measured in it, compared with the fundamental diagram. Graph form: ``ρ·L·W`` people all enter one
    100 m × 10 m edge within about a second (its capacity set to 1000 persons/s, the plant format's most, so
    nobody queues); each walks at their speed
    × Weidmann's factor at the density of the others on the edge. Criterion: the measured speed L / t is
    Weidmann's v(ρ) at 1.34 m/s within 1 % (hand-written formula above), on the free branch of the
    diagram (ρ up to the critical density ≈ 1.75 persons/m²)."""
    n = round(rho * 100.0 * 10.0) + 1  # n - 1 others on 1000 m²
    lay = corridor(100.0, 10.0, capacity=1000.0)
    path = write_layout(tmp_path / "p", lay, np.zeros((n, 2)), 1.34, 0.0)
    _, run = evacuate_package(path)
    v = 100.0 / run.arrival_s
    assert np.median(v) == pytest.approx(_weidmann(rho), rel=0.01)


def test_rimea_4_dense_crowd_is_a_queue_at_the_flow_limit_not_a_crawl(tmp_path) -> None:
    """RiMEA Test 4 at 2–6 persons/m² (the congested branch). In this graph model a crowd denser than the
    critical density is the queue in front of a flow limit (SFPE hydraulic model), so the test checks the
    flow instead: 3,000 people pushed into a 2 m corridor of default capacity pass at 2 × 1.3 = 2.6
    persons/s, never faster, and the moving crowd walks no slower than Weidmann's speed at the critical
    density (hand calculation: ρc ≈ 1.75, v(ρc) = 1.34 × 0.5223 ≈ 0.700 m/s)."""
    path = write_layout(tmp_path / "p", corridor(50.0, 2.0), np.zeros((3000, 2)), 1.34, 0.0)
    plant, run = evacuate_package(path)
    t = entries(run, plant, "C-1")
    assert np.min(np.diff(t)) >= 1.0 / 2.6 - 1e-9
    assert (len(t) - 1) / (t[-1] - t[0]) == pytest.approx(2.6, rel=1e-6)
    travel = run.arrival_s - t[np.argsort(np.argsort(run.arrival_s))]  # first in, first out at one speed
    assert np.max(50.0 / travel) <= 1.34 + 1e-9
    assert np.min(50.0 / travel) >= 0.700 - 0.002


def test_rimea_5_everyone_starts_at_their_premovement_time(tmp_path) -> None:
    """RiMEA Test 5, "Premovement time": ten people in an 8 m × 5 m room with a 1 m exit in the middle of a
    5 m wall, pre-movement times 10, 20, …, 100 s; each must start at the specified time (JuPedSim's check:
    within two frames). Here departures must equal the given times exactly, and each arrives no earlier
    than departure + straight walk to the door / speed."""
    pos = np.array([[1.0 + 0.7 * k, 1.0 + 0.3 * k] for k in range(10)])
    pm = np.arange(1, 11) * 10.0
    path = write_layout(tmp_path / "p", room(8.0, 5.0, [("D", (8.0, 2.5), "E", 1.0)]), pos, 1.2, pm)
    _, run = evacuate_package(path)
    dep = np.array(run.movement.departed_at)
    assert dep == pytest.approx(pm, abs=1e-9)
    walk = np.hypot(7.5 - pos[:, 0], 2.5 - pos[:, 1]) / 1.2
    assert np.all(run.arrival_s >= pm + walk - 1e-9)


def test_rimea_7_walking_speeds_follow_weidmann(tmp_path) -> None:
    """RiMEA Test 7, "Allocation of demographic parameters": give 50 adults walking speeds from Weidmann's
    distribution and show the simulated speeds are consistent with it. Here: the drawn speeds (normal,
    mean 1.34 m/s, s.d. 0.26 m/s, Weidmann 1993) of 50 people, each walking a 40 m corridor alone, are
    the speeds realised in the simulation (40 m / walking time), and they pass a Kolmogorov–Smirnov test
    against N(1.34, 0.26) (scipy's CDF as the oracle) at the 5 % level; 20,000 draws have the mean and
    standard deviation within 0.01 m/s."""
    n = 50
    pm = np.arange(n) * 100.0  # 100 s apart: nobody shares the corridor
    path = write_layout(tmp_path / "p", corridor(40.0, 2.0), np.zeros((n, 2)), None, pm)
    _, run = evacuate_package(path)
    realised = 40.0 / (run.arrival_s - pm)
    assert realised == pytest.approx(np.asarray(run.people.speed), rel=1e-9)
    assert stats.kstest(realised, stats.norm(1.34, 0.26).cdf).pvalue > 0.05
    many = draw_speed(np.array([f"A{i}" for i in range(20_000)], dtype=object), np.zeros(20_000, bool))
    assert abs(many.mean() - 1.34) < 0.01
    assert abs(many.std() - 0.26) < 0.01


def _rimea9(tmp_path, name: str, closed_south: bool) -> float:
    doors = [("N1", (4.5, 20.0), "N", 1.0), ("N2", (25.5, 20.0), "N", 1.0)]
    if not closed_south:
        doors += [("S1", (4.5, 0.0), "S", 1.0), ("S2", (25.5, 0.0), "S", 1.0)]
    pos = uniform_positions(1000, 0.5, 0.5, 29.5, 19.5, seed=9)
    path = write_layout(tmp_path / name, room(30.0, 20.0, doors), pos, None, 0.0)
    plant, run = evacuate_package(path)
    for did, *_ in doors:
        t = entries(run, plant, did)
        assert (len(t) - 1) / (t[-1] - t[0]) <= 1.33  # door flow ≤ 1.33 persons/m/s (1 m doors)
    assert np.isfinite(run.arrival_s).all()
    return float(run.evacuation_time_s)


@pytest.mark.slow
def test_rimea_9_two_doors_take_about_twice_as_long_as_four(tmp_path) -> None:
    """RiMEA Test 9, "Crowd leaves large public room": 1,000 people uniformly in a 30 m × 20 m room with
    four 1 m exits, two on each long wall; then the two on one long wall are closed. Criterion: the
    evacuation time roughly doubles (JuPedSim's systemtest accepts a ratio in [1.6, 2.4]), with door flows
    of at most 1.33 persons/m/s. Hand estimate: 1000 / (4 × 1.3) ≈ 192 s vs 1000 / (2 × 1.3) ≈ 385 s."""
    four = _rimea9(tmp_path, "four", closed_south=False)
    two = _rimea9(tmp_path, "two", closed_south=True)
    assert 1.6 <= two / four <= 2.4
    assert four == pytest.approx(1000 / (4 * 1.3), rel=0.15)
    assert two == pytest.approx(1000 / (2 * 1.3), rel=0.15)


def test_rimea_12_congestion_forms_at_the_bottleneck_not_at_the_exit(tmp_path) -> None:
    """RiMEA Test 12, "Effect of bottlenecks": room 1 (10 m × 10 m, 150 adults, pre-movement 0) is joined
    to room 2 by a corridor (here 1 m × 5 m, as in JuPedSim's systemtest geometry); room 2 has a 1 m exit.
    Criterion: as the corridor limits the flow, congestion occurs only in room 1, not at the exit of room
    2 (JuPedSim's check: the flow at the last exit does not exceed the bottleneck's, tolerance 0.05/s).
    RiMEA treats this test as documentation, not exclusion; with a 1 m exit as wide as the corridor the
    exit runs at full load, so a few people may meet there (a handful, against the bottleneck's hundred)."""
    lay = Layout([Line("CORR", "corridor", 1.0, [(10.0, 5.0), (15.0, 5.0)]),
                  Line("ROOM2", "corridor", 10.0, [(15.0, 5.0), (25.0, 5.0)]),
                  Line("EXIT", "door", 1.0, [(25.0, 5.0), (26.0, 5.0)]),
                  Line("OUT", "walkway", 4.0, [(26.0, 5.0), (31.0, 5.0)])],
                 [("AP-1", (31.0, 5.0), 1000)], (-60.0, -60.0, 90.0, 70.0))
    pos = uniform_positions(150, 0.5, 0.5, 9.5, 9.5, seed=12)
    path = write_layout(tmp_path / "p", lay, pos, None, 0.0)
    plant, run = evacuate_package(path)
    q = run.movement.queue_max()
    corr = max(q.get(e, 0) for e in np.flatnonzero(plant.graph.edge_walkway.astype(str) == "CORR"))
    exit_q = max([q.get(int(e), 0) for e in np.flatnonzero(plant.graph.edge_walkway.astype(str) == "EXIT")])
    assert corr >= 100
    assert exit_q <= 0.1 * corr
    t_b, t_e = entries(run, plant, "CORR"), entries(run, plant, "EXIT")
    j_b = (len(t_b) - 1) / (t_b[-1] - t_b[0])
    j_e = (len(t_e) - 1) / (t_e[-1] - t_e[0])
    assert j_b - j_e >= -0.05
