"""Threat-zone polygons: orientation by the wind, nesting, the 10 km limit, LEL zones, the wedge, time."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis.hazards import hazard_zones
from gis.hazards.scenario import Release, Weather, build_scenario, concentration
from gis.hazards.timeline import zones_at
from gis.hazards.zones import BEYOND, compute_zones


def _zones(sub="H2S", rate=0.5, wind_from=270.0, u=3.0, cls="D", **kw):
    sc = build_scenario(Release(sub, rate_kg_s=rate, **kw), Weather(u, wind_from, cls))
    return sc, compute_zones(sc, (1000.0, 2000.0))


def test_wind_from_west_puts_the_zone_east_of_the_source():
    _, zs = _zones(wind_from=270.0)
    minx, miny, maxx, maxy = zs.zones[0].polygon.bounds
    assert minx >= 1000.0 - 1e-6
    assert maxx > 1300.0
    assert miny < 2000.0 < maxy


def test_wind_from_north_puts_the_zone_south():
    _, zs = _zones(wind_from=0.0)
    c = zs.zones[0].polygon.centroid
    assert c.y < 2000.0
    assert abs(c.x - 1000.0) < 1.0


def test_zone_edge_is_at_the_threshold_concentration():
    sc, zs = _zones()
    red = zs.zones[0]
    ppm = sc.substance.g_m3_to_ppm(float(concentration(sc, red.distance_m, 0.0, 0.0)))
    assert ppm == pytest.approx(red.threshold_ppm, rel=0.02)


def test_zones_nest_red_inside_orange_inside_yellow():
    _, zs = _zones()
    red, orange, yellow = (z.polygon for z in zs.zones)
    assert [z.level for z in zs.zones] == ["red", "orange", "yellow"]
    assert orange.buffer(1.0).contains(red)
    assert yellow.buffer(1.0).contains(orange)
    assert zs.wedge.buffer(1.0).contains(yellow)


def test_far_zone_is_reported_beyond_10_km_not_as_a_number():
    _, zs = _zones(sub="Cl2", rate=20.0, u=4.0, cls="E")
    yellow = zs.zones[-1].as_dict()
    assert yellow["distance_m"] == BEYOND
    assert yellow["beyond_10km"]
    assert any(BEYOND in w for w in zs.warnings)


def test_co_has_no_yellow_zone_because_aegl1_is_not_defined():
    _, zs = _zones(sub="CO", rate=2.0)
    assert [z.level for z in zs.zones] == ["red", "orange"]
    assert any("AEGL-1" in w for w in zs.warnings)


@pytest.mark.parametrize("sub", ["LPG", "CH4"])
def test_flammables_get_60_and_10_percent_lel_zones(sub):
    _, zs = _zones(sub=sub, rate=5.0, u=2.0, cls="F")
    assert [(z.level, z.guideline) for z in zs.zones] == [("red", "60% LEL"), ("yellow", "10% LEL")]
    assert zs.zones[0].distance_m < zs.zones[1].distance_m


def test_wedge_widens_in_light_wind():
    _, slow = _zones(u=1.0, cls="D")
    _, fast = _zones(u=9.0, cls="D")
    assert slow.wedge_half_angle_deg == 45.0
    assert fast.wedge_half_angle_deg == 15.0


def test_cloud_grows_with_time_towards_the_steady_zone():
    sc, steady = _zones()
    reach = [zones_at(sc, t, (1000.0, 2000.0)).zones[0].distance_m for t in (30.0, 90.0, 3000.0)]
    assert reach[0] < reach[1] < reach[2]
    assert reach[2] == pytest.approx(steady.zones[0].distance_m, rel=0.01)


def test_new_wind_reading_turns_the_zones():
    rel = Release("NH3", rate_kg_s=2.0)
    a = hazard_zones(rel, Weather(3.0, 270.0, "D"), (0.0, 0.0))
    b = hazard_zones(rel, Weather(3.0, 180.0, "D"), (0.0, 0.0))
    pa = shapely.geometry.shape(a["features"][0]["geometry"]).centroid
    pb = shapely.geometry.shape(b["features"][0]["geometry"]).centroid
    assert pa.x > 0
    assert abs(pa.y) < 1e-6
    assert pb.y > 0
    assert abs(pb.x) < 1e-6
    assert a["features"][0]["properties"]["level"] == "red"


def test_polygons_are_valid():
    for sub in ("H2S", "NH3", "Cl2", "SO2", "HCN", "LPG", "CH4"):
        _, zs = _zones(sub=sub, rate=1.0, duration_s=600.0)
        assert all(z.polygon.is_valid and not z.polygon.is_empty for z in zs.zones)
        assert np.isfinite([z.distance_m for z in zs.zones if not z.beyond_10km]).all()
