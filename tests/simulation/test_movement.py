"""The movement model's own rules: assembly-point capacity, trips on SimPy's clock, positions, re-routing."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
import simpy

from gis.loader import load_plant
from gis.routing.hazard_graph import Hazard
from gis.routing.people import people_of_plant
from gis.routing.shortest import RoutingNetwork
from gis.routing.site import Site
from simulation.clocked import Mover
from simulation.movement import Movement
from tests.simulation.plants import X0, Y0, Layout, Line, write_layout


def _line_plant(tmp_path, people, speed=1.0, premovement=0.0, caps=(5, 100)):
    """A 40 m walkway with assembly point A at x = 10 (capacity caps[0]) and B at x = 30 (caps[1])."""
    lay = Layout([Line("W1", "walkway", 6.0, [(0.0, 0.0), (10.0, 0.0)]),
                  Line("W2", "walkway", 6.0, [(10.0, 0.0), (30.0, 0.0)]),
                  Line("W3", "walkway", 6.0, [(30.0, 0.0), (40.0, 0.0)])],
                 [("A", (10.0, 0.0), caps[0]), ("B", (30.0, 0.0), caps[1])], (-60.0, -60.0, 100.0, 60.0))
    plant = load_plant(write_layout(tmp_path / "p", lay, people, speed, premovement))
    return plant, Site.of_plant(plant)


def test_a_full_assembly_point_sends_the_rest_on(tmp_path) -> None:
    """Ten people leave x = 0 a second apart at 1 m/s for the nearest point A (capacity 5): the first five
    muster there at pm + 10 s; the next five find it full and walk on to B, arriving at pm + 30 s."""
    plant, site = _line_plant(tmp_path, np.zeros((10, 2)), 1.0, np.arange(10.0))
    m = Movement(RoutingNetwork(site), people_of_plant(plant))
    m.alarm(range(10), 0.0)
    m.run()
    pm = np.arange(10.0)
    assert m.arrived_ap == [0] * 5 + [1] * 5
    assert np.array(m.arrived_at) == pytest.approx(np.r_[pm[:5] + 10.0, pm[5:] + 30.0], abs=1e-4)
    assert not any(m.over_capacity)


def test_when_every_point_is_full_people_stay_counted_over_capacity(tmp_path) -> None:
    plant, site = _line_plant(tmp_path, np.zeros((4, 2)), 1.0, np.arange(4.0), caps=(1, 1))
    m = Movement(RoutingNetwork(site), people_of_plant(plant))
    m.alarm(range(4), 0.0)
    m.run()
    assert m.arrived_ap == [0, 1, 0, 0]
    assert m.over_capacity == [False, False, True, True]


def test_a_trip_arrives_on_the_simpy_clock_at_the_walking_time(tmp_path) -> None:
    """Sent at t = 5 s from x = 0 to the node at x = 30 at 1.5 m/s: arrival at 5 + 30 / 1.5 = 25 s, and the
    waiting process resumes exactly then; half way (t = 15 s) the person is at x = 15."""
    plant, site = _line_plant(tmp_path, np.zeros((1, 2)), 1.5, 0.0)
    m = Movement(RoutingNetwork(site), people_of_plant(plant))
    env = simpy.Environment()
    mover = Mover(env, m)
    node = int(site.graph.nearest_nodes(np.array([[X0 + 30.0, Y0]]))[0][0])
    seen = {}

    def responder():
        yield env.timeout(5.0)
        arrival = yield mover.send(0, node)
        seen["at"], seen["t"] = env.now, arrival.t

    def look():
        yield env.timeout(15.0)
        seen["mid"] = m.position(0, env.now)

    env.process(responder())
    env.process(look())
    env.run()
    assert seen["at"] == pytest.approx(25.0, abs=1e-9)
    assert seen["t"] == pytest.approx(25.0, abs=1e-9)
    assert seen["mid"][0] - X0 == pytest.approx(15.0, abs=1e-9)


def test_a_hazard_re_routes_only_the_people_it_touches(tmp_path) -> None:
    """People walking east to B at x = 30 meet a red zone over x = 24–26 that appears at t = 2 s, while they
    are still short of it: they turn back to A; a person heading for A (not through the zone) keeps their
    route."""
    lay = Layout([Line(f"W{k}", "walkway", 6.0, [(5.0 * k, 0.0), (5.0 * k + 5.0, 0.0)]) for k in range(6)],
                 [("A", (0.0, 0.0), 100), ("B", (30.0, 0.0), 100)], (-60.0, -60.0, 100.0, 60.0))
    pts = np.array([[15.0, 0.0], [16.0, 0.0], [4.0, 0.0]])
    plant = load_plant(write_layout(tmp_path / "p", lay, pts, 1.0, 0.0))
    site = Site.of_plant(plant)
    m = Movement(RoutingNetwork(site), people_of_plant(plant))
    env = simpy.Environment()
    mover = Mover(env, m)
    mover.alarm(range(3))
    zone = Hazard([shapely.box(X0 + 24.0, Y0 - 3, X0 + 26.0, Y0 + 3)], ["red"])
    changed = []

    def close():
        yield env.timeout(2.0)
        changed.extend(mover.set_network(RoutingNetwork(site, zone)))

    env.process(close())
    env.run()
    assert sorted(changed) == [0, 1]
    assert m.arrived_ap == [0, 0, 0]
