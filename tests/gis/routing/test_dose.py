"""Dose-optimal routes: away from where the cloud is going, not only from where it is now."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis.hazards.scenario import Release, Weather, build_scenario
from gis.hazards.timeline import zones_at
from gis.routing.dose import Exposure, ReleaseField, aegl2_load, person_loads, toxic_exponent
from gis.routing.dose_plan import compare_with_dose
from gis.routing.hazard_graph import Hazard
from tests.gis.routing import tiny

# H2S, 2 kg/s, wind 3 m/s from the west (the cloud travels east, +x), class D; the release began 60 s
# before the evacuation starts, so the cloud's front is about 180 m east of the source.
SCENARIO = build_scenario(Release("H2S", rate_kg_s=2.0), Weather(3.0, 270.0, "D"))
AGE_S = 60.0
N = toxic_exponent("H2S")


def _exposure(horizon_s: float = 900.0) -> Exposure:
    return Exposure(ReleaseField(SCENARIO, (0.0, 0.0), AGE_S), N, aegl2_load(27.0, N), horizon_s, 10.0)


def _site():
    """A person 300 m downwind of the source, on the plume's axis: the east road (300 m) leads to an assembly
    point further downwind, the north road (400 m) to one out of the plume's way."""
    lines = [("east", "road", 6.0, [(300, 0), (450, 0), (600, 0)]),
             ("north", "road", 6.0, [(300, 0), (300, 200), (300, 400)])]
    return tiny.site(lines, [("AP-EAST", (600, 0), 100), ("AP-NORTH", (300, 400), 100)])


def _zones_now() -> Hazard:
    zs = zones_at(SCENARIO, AGE_S, (0.0, 0.0))
    return Hazard.from_zones({z.level: z.polygon for z in zs.zones})


def test_the_zone_avoiding_route_walks_into_the_growing_cloud_and_the_dose_optimal_one_does_not():
    site = _site()
    people = tiny.people(site, [(300, 0)], speed=1.3, premovement=0.0)
    hazard = _zones_now()
    # The person and both roads are outside today's zones: the cloud has not reached them yet.
    assert not any(shapely.intersects(p, shapely.Point(300, 0)) for p in hazard.polygons)
    cmp = compare_with_dose(site, people, _exposure(), hazard, "shortest")
    assert site.aps.ids[cmp.static.assignment.ap[0]] == "AP-EAST"  # shortest around today's zones
    assert site.aps.ids[cmp.dose.assignment.ap[0]] == "AP-NORTH"
    people_report = cmp.report["people"][0]
    static_load, dose_load = people_report["static_load"], people_report["dose_optimal_load"]
    # Walking east with the cloud (3 m/s against 1.3 m/s) and waiting at an assembly point it then covers
    # is far above the AEGL-2 dose equivalent; leaving the axis northward is below it.
    assert static_load > aegl2_load(27.0, N)
    assert dose_load < aegl2_load(27.0, N)
    assert dose_load < 0.01 * static_load
    assert cmp.report["static"]["share_above_aegl2"] == 1.0
    assert cmp.report["dose_optimal"]["share_above_aegl2"] == 0.0


def test_toxic_load_of_standing_still_matches_the_hand_integral():
    """Someone who never moves (already at the assembly point) breathes c(t) there until the horizon: the
    load equals a direct midpoint-rule integral of c(t)^n over [0, horizon] at that point."""
    site = _site()
    people = tiny.people(site, [(600, 0)], speed=1.3, premovement=0.0)
    exp = _exposure(600.0)
    cmp = compare_with_dose(site, people, exp, None, "shortest")
    assert cmp.static.assignment.routes[0] == []
    load = person_loads(cmp.static.net, people, cmp.static.assignment, cmp.static.start_s, cmp.static.order, exp)
    t = (np.arange(6000) + 0.5) * 0.1
    c = exp.field.ppm(np.full(len(t), 600.0), np.zeros(len(t)), t)
    assert load[0] == pytest.approx(float(np.sum(c ** N) * 0.1 / 60.0), rel=0.02)


def test_nobody_in_the_cloud_takes_the_fastest_route():
    """Upwind of the source the field is zero everywhere they go: the dose plan is the shortest plan."""
    lines = [("a", "road", 6.0, [(-300, 0), (-300, 100)]), ("b", "road", 6.0, [(-300, 0), (-300, -250)])]
    site = tiny.site(lines, [("N", (-300, 100), 100), ("S", (-300, -250), 100)])
    people = tiny.people(site, [(-300, 0)] * 3, speed=1.3, premovement=0.0)
    cmp = compare_with_dose(site, people, _exposure(), None, "shortest")
    assert [site.aps.ids[a] for a in cmp.dose.assignment.ap] == ["N", "N", "N"]
    assert cmp.report["dose_optimal"]["max_load"] == 0.0
