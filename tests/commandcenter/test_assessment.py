"""The assessment service: equipment prefill and mismatch, the proposed level and its reason, the radii
for the plan's tasks, and the ``hazard.assessed`` draft."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
from scipy.optimize import brentq

from commandcenter.paths import DATA_DIR, DEMO_PLANT
from commandcenter.services.assessment import assess_equipment, assessed_draft, propose_level, zone_radii
from gis.hazards.equipment import check_substance, find_equipment, nearest_equipment, plant_equipment
from gis.hazards.refusals import HazardInputError
from gis.hazards.weather import ResolvedWeather
from gis.positions import PositionStore

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def plant():
    from gis.loader import load_plant

    return load_plant(DEMO_PLANT)


def _weather(u=3.0, frm=225.0, cls="D") -> ResolvedWeather:
    return ResolvedWeather(u, frm, cls, "given", None, None, None, None, None, "", "")


def _h2s_plan():
    from plans.validation import validate_file

    plan, errors = validate_file(DATA_DIR / "plans" / "h2s_release.yaml")
    assert not errors
    return plan


def test_equipment_is_found_by_chinese_name_and_by_a_click_and_prefills_the_release(plant):
    items = plant_equipment(plant)
    ammonia = find_equipment(items, "液氨卧罐")
    assert [e.id for e in ammonia] == ["HZ-201", "HZ-202"]
    v201 = ammonia[0]
    assert v201.prefill() == {"source_id": "HZ-201", "substance": "NH3", "inventory_kg": 40000.0,
                              "pressure_bar": 10.0, "temperature_c": 20.0, "x": v201.x, "y": v201.y}
    assert v201.substance_zh == "氨"
    assert nearest_equipment(items, v201.x + 3.0, v201.y - 2.0).id == "HZ-201"
    assert nearest_equipment(items, v201.x + 500.0, v201.y + 500.0) is None


def test_chlorine_at_an_h2s_tank_needs_an_explicit_override(plant):
    v101 = find_equipment(plant_equipment(plant), "HZ-101")[0]
    (r,) = check_substance(v101, "氯气")
    assert (r.code, r.field) == ("substance-mismatch", "substance")
    assert "覆盖" in r.zh
    assert "override" in r.en
    assert check_substance(v101, "硫化氢") == []
    assert check_substance(v101, "Cl2", override=True) == []
    with pytest.raises(HazardInputError) as err:
        assess_equipment(plant, "HZ-101", _weather(), substance="Cl2", rate_kg_s=0.5)
    assert [x.code for x in err.value.refusals] == ["substance-mismatch"]
    a = assess_equipment(plant, "HZ-101", _weather(), substance="Cl2", rate_kg_s=0.5, override=True)
    assert a.substance == "Cl2"
    assert a.override is True


def test_every_bad_input_is_refused_at_once(plant):
    with pytest.raises(HazardInputError) as err:
        assess_equipment(plant, "HZ-101", _weather(), rate_kg_s=float("nan"), mass_kg=5.0, height_m=-1.0)
    assert {(r.code, r.field) for r in err.value.refusals} == {
        ("not-finite", "rate_kg_s"), ("out-of-range", "height_m"), ("release-incomplete", "rate_kg_s")}


def test_cordon_is_the_red_reach_by_hand_rounded_up(plant):
    """H2S 0.5 kg/s, ground level, 3 m/s, class D, rural: the centreline concentration Q/(π u σy σz) with
    Briggs' rural D σ's falls to the AEGL-3 (50 ppm) at the red reach; the cordon is that rounded up to 10 m."""
    a = assess_equipment(plant, "HZ-101", _weather(), rate_kg_s=0.5)
    aegl3 = 50.0 * 34.081 / 24.465 * 1e-3  # g/m3 at 25 °C

    def excess(x: float) -> float:
        sy = 0.08 * x / math.sqrt(1 + 0.0001 * x)
        sz = 0.06 * x / math.sqrt(1 + 0.0015 * x)
        return 500.0 / (math.pi * 3.0 * sy * sz) - aegl3

    reach = brentq(excess, 10.0, 9000.0)
    radii = zone_radii(a)
    assert a.reach_m()["red"] == pytest.approx(reach, rel=0.01)
    assert radii["cordon_m"] == math.ceil(a.reach_m()["red"] / 10.0) * 10.0
    assert radii["evacuation_m"] == math.ceil(a.reach_m()["orange"] / 10.0) * 10.0
    assert radii["evacuation_m"] >= radii["cordon_m"]
    assert radii["beyond_10km"] is False


def test_people_inside_the_red_zone_raise_the_proposed_level(plant):
    a0 = assess_equipment(plant, "HZ-101", _weather(6.0, 315.0, "D"), rate_kg_s=0.01)
    red = next(z for z in a0.zones.zones if z.level == "red")
    assert not red.polygon.is_empty
    assert a0.beyond_fence["red"] is False
    # H2S is on the key-supervision list and there is a red zone, nobody inside: L2
    assert a0.proposed_level == "L2"
    store = PositionStore(["p1", "p2", "p3"])
    c = red.polygon.representative_point()
    store.update(["p1", "p2", "p3"], np.array([c.x, c.x, c.x + 5000.0]), np.array([c.y, c.y, c.y]), 0.0)
    a = assess_equipment(plant, "HZ-101", _weather(6.0, 315.0, "D"), rate_kg_s=0.01, positions=store)
    assert a.people["red"] == 2
    assert a.proposed_level == "L3"
    assert "2 people inside the red zone" in a.reason_en
    assert "红区内有 2 人" in a.reason_zh


def test_a_zone_beyond_the_fence_is_l4_and_the_plan_is_named_when_it_does_not_fit(plant):
    a = assess_equipment(plant, "HZ-201", _weather(2.0, 90.0, "F"), rate_kg_s=5.0)
    assert a.beyond_fence["red"] or a.beyond_fence["orange"]
    level, zh, en = propose_level(a, _h2s_plan())
    assert level == "L4"
    assert "fence" in en
    assert "厂界" in zh
    assert "written for H2S, not NH3" in en


def test_the_assessed_draft_is_valid_json_with_numbers_only_for_reach(plant):
    a = assess_equipment(plant, "HZ-301", _weather(4.0, 0.0, "E"), rate_kg_s=20.0)
    d = assessed_draft(a, dt.datetime(2026, 11, 30, 3, tzinfo=CST), by="duty officer")
    p = json.loads(json.dumps(d.payload, allow_nan=False))
    assert p["reach_beyond_10km"]["yellow"] is True
    assert p["reach_m"]["yellow"] is None
    assert isinstance(p["reach_m"]["red"], float)
    assert p["zones"][0]["polygon"]["type"] == "Polygon"
    ring = p["zones"][0]["polygon"]["coordinates"][0]
    assert ring[0] == ring[-1]
    assert p["proposed_level"] == a.proposed_level
    assert p["substance"] == "Cl2"
    assert p["weather"]["stability"] == "E"
    assert p["cordon_m"] == zone_radii(a)["cordon_m"]
    assert zone_radii(a)["beyond_10km"] is True
    assert zone_radii(a)["evacuation_m"] is None or p["reach_beyond_10km"]["orange"] is False
