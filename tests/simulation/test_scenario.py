"""Blind scenarios: reproducible from the seed, drawn among drillable sources, detectable, consistent weather."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from gis.hazards.scenario import build_scenario, concentration
from gis.hazards.stability import allowed_classes
from gis.substances import normalise_substance
from simulation.scenario import DETECTION_WINDOW_S, DETECTOR_RANGE_M, ScenarioError, blind_scenario
from tests.simulation.plants import corridor, write_layout


@pytest.fixture(scope="module")
def plans():
    from commandcenter.runtime.plan_host import default_plans_dir
    from plans.library import load_library, valid_plans

    return valid_plans(load_library(default_plans_dir()))


def test_same_seed_same_scenario_other_seeds_differ(demo_plant, plans) -> None:
    a = blind_scenario(demo_plant, plans, 11)
    assert blind_scenario(demo_plant, plans, 11) == a
    others = [blind_scenario(demo_plant, plans, s) for s in range(12, 20)]
    assert len({(o.source_id, o.start, o.weather["wind_from_deg"]) for o in [a, *others]}) == 9


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_scenario_is_drillable_and_consistent(demo_plant, plans, seed) -> None:
    """The source has a plan of its substance and a detector of it within range; a detector reaches its
    alarm level within the detection window (checked here by evaluating the plume at the detectors
    directly, rotating to the wind by hand); the weather obeys Turner's table; the start lies in the
    window in plant time, day meaning 06:00–18:00."""
    sc = blind_scenario(demo_plant, plans, seed, window_start=dt.datetime(2027, 3, 1), window_days=10)
    assert sc.substance in {normalise_substance(s) for s in plans[sc.plan_id].substances}
    src = demo_plant.layers["hazard_sources"].geometry.loc[sc.source_id]
    assert (src.x, src.y) == pytest.approx(sc.source_xy, abs=0.01)
    sensors = demo_plant.layers["sensors"]
    mine = sensors[(sensors["kind"] == "gas") & (sensors["substance"].map(
        lambda v: isinstance(v, str) and normalise_substance(v) == sc.substance))]
    d = np.hypot(mine.geometry.x - src.x, mine.geometry.y - src.y)
    assert (d <= DETECTOR_RANGE_M).any()
    s = build_scenario(sc.release(), sc.weather_model())
    th = math.radians(sc.weather["wind_from_deg"])
    down = np.array([-math.sin(th), -math.cos(th)])
    dx, dy = mine.geometry.x.to_numpy() - src.x, mine.geometry.y.to_numpy() - src.y
    xl, yl = dx * down[0] + dy * down[1], -dx * down[1] + dy * down[0]
    seen = False
    for t in np.arange(10.0, DETECTION_WINDOW_S + 1, 10.0):
        ppm = s.substance.g_m3_to_ppm(concentration(s, xl, yl, 0.0, t))
        reading = np.where(mine["unit"].to_numpy() == "%LEL", ppm / (s.substance.lel * 1e6) * 100, ppm) \
            if s.substance.lel else ppm
        seen |= bool((reading >= mine["alarm"].to_numpy(float)).any())
    assert seen
    assert sc.weather["stability"] in allowed_classes(sc.weather["wind_speed_mps"], sc.weather["day"],
                                                      sc.weather["cloud_cover_tenths"])
    assert 1.0 <= sc.weather["wind_speed_mps"] <= 12.0
    local = sc.start.replace(tzinfo=None)
    assert dt.datetime(2027, 3, 1) <= local < dt.datetime(2027, 3, 11)
    assert sc.start.utcoffset() == dt.timedelta(hours=8)
    assert sc.weather["day"] == (6 <= sc.start.hour < 18)
    assert sc.hidden is True
    assert sc.to_payload()["hidden"] is True


def test_a_plant_without_detectors_cannot_be_drilled(tmp_path, plans) -> None:
    from gis.loader import load_plant

    plant = load_plant(write_layout(tmp_path / "p", corridor()))
    with pytest.raises(ScenarioError, match="nothing to drill"):
        blind_scenario(plant, plans, 1)


def test_bad_seed_is_refused(demo_plant, plans) -> None:
    with pytest.raises(ScenarioError, match="seed"):
        blind_scenario(demo_plant, plans, -1)
