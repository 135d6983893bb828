"""Conventions of the plume and puff: upwind zero, centreline maximum, reflection, mass conservation,
finite duration → continuous, the wind floor, stability checks and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gis.hazards.dense_gas import dense_gas_warnings, is_denser_than_air
from gis.hazards.fire import pool_fire_distances, tnt_distance_m, tnt_overpressure_kpa
from gis.hazards.inverse import fit_release_rate
from gis.hazards.plume import plume_concentration
from gis.hazards.scenario import Release, ReleaseError, Weather, build_scenario, concentration, peak_concentration
from gis.hazards.sigmas import sigmas
from gis.hazards.source_term import source_rate
from gis.hazards.stability import StabilityError, check_stability, stability_from_weather
from gis.hazards.substances import SUBSTANCES, UnknownSubstanceError, get_substance, toxic_levels


def _sc(**kw):
    rel = {"substance": "H2S", "rate_kg_s": 0.5} | {k: v for k, v in kw.items() if k in Release.__dataclass_fields__}
    wx = {"wind_speed": 3.0, "stability": "D"} | {k: v for k, v in kw.items() if k in Weather.__dataclass_fields__}
    return build_scenario(Release(**rel), Weather(**wx))


def test_upwind_concentration_is_zero():
    sc = _sc()
    assert np.all(concentration(sc, [-100.0, -1.0, 0.0], 0.0, 0.0) == 0.0)
    assert np.all(concentration(_sc(duration_s=300.0), [-50.0, 0.0], 0.0, 0.0, 200.0) == 0.0)


def test_centreline_is_the_crosswind_maximum():
    sc = _sc()
    y = np.linspace(-200, 200, 401)
    c = concentration(sc, 500.0, y, 0.0)
    assert y[np.argmax(c)] == 0.0
    assert np.all(np.diff(c[200:]) < 0)


def test_concentration_falls_with_distance_far_out():
    c = concentration(_sc(height_m=20.0), np.linspace(2000, 10000, 50), 0.0, 0.0)
    assert np.all(np.diff(c) < 0)


def test_ground_reflection_doubles_ground_level_concentration_of_ground_source():
    sy, sz = sigmas(400.0, "D")
    with_reflection = plume_concentration(1000.0, 3.0, 400.0, 0.0, 0.0, 0.0, sy, sz)
    no_reflection = 1000.0 / (2 * math.pi * 3.0 * sy * sz)
    assert float(with_reflection) == pytest.approx(2 * no_reflection, rel=1e-12)


def test_puff_integral_over_space_equals_released_mass():
    sc = _sc(rate_kg_s=None, mass_kg=10.0, height_m=2.0)
    t = 200.0
    xc = sc.u * t
    sy, sz = sc.sig(xc)
    x = np.linspace(xc - 6 * sy, xc + 6 * sy, 241)
    y = np.linspace(-6 * sy, 6 * sy, 241)
    z = np.linspace(0.0, 2.0 + 8 * sz, 401)
    gx, gy, gz = np.meshgrid(x, y, z, indexing="ij")
    c = concentration(sc, gx, gy, gz, t)
    total_g = np.trapezoid(np.trapezoid(np.trapezoid(c, z, axis=2), y, axis=1), x)
    assert total_g == pytest.approx(10_000.0, rel=1e-3)


def test_long_finite_release_tends_to_the_continuous_plume():
    cont = float(concentration(_sc(), 800.0, 10.0, 0.0))
    long = float(concentration(_sc(duration_s=3000.0), 800.0, 10.0, 0.0, 1500.0))
    short_peak = float(concentration(_sc(duration_s=10.0), 800.0, 10.0, 0.0))
    assert long == pytest.approx(cont, rel=1e-6)
    assert short_peak < 0.2 * cont


def test_continuous_release_has_not_arrived_before_travel_time():
    sc = _sc()
    assert float(concentration(sc, 3000.0, 0.0, 0.0, 100.0)) < 1e-9 * float(concentration(sc, 3000.0, 0.0, 0.0))


def test_peak_within_60_minutes_is_zero_where_the_cloud_never_gets():
    sc = _sc(wind_speed=1.0, stability="F")
    assert float(peak_concentration(sc, 9000.0)) < 1e-6 * float(concentration(sc, 9000.0, 0.0, 0.0))


def test_wind_below_floor_is_refused():
    with pytest.raises(ReleaseError, match="below the 1 m/s floor"):
        _sc(wind_speed=0.5)


def test_wind_profile_correction_applies_only_with_a_measurement_height():
    assert _sc(wind_speed=4.0).u == 4.0
    sc = _sc(wind_speed=4.0, wind_height_m=10.0, height_m=1.0)
    assert sc.u == pytest.approx(4.0 * 0.1 ** 0.15)


@pytest.mark.parametrize("bad", [{"rate_kg_s": -1.0}, {"rate_kg_s": 0.0}, {"duration_s": -5.0},
                                 {"height_m": -1.0}, {"terrain": "forest"}])
def test_bad_release_input_names_the_problem(bad):
    with pytest.raises(ValueError, match=r"rate|duration|height|terrain"):
        _sc(**bad)


def test_unknown_substance_is_refused_with_the_known_list():
    with pytest.raises(UnknownSubstanceError, match=r"'XYZ'.*H2S"):
        get_substance("XYZ")


def test_substances_resolve_by_formula_name_and_cas():
    assert get_substance("h2s").key == "H2S"
    assert get_substance("7782-50-5").key == "Cl2"
    assert get_substance("propane").key == "C3H8"


def test_every_required_substance_has_sourced_levels():
    for key in ("H2S", "NH3", "Cl2", "CO", "SO2", "HCN"):
        levels = toxic_levels(SUBSTANCES[key])
        assert [lvl for lvl, _, _ in levels] == ["red", "orange", "yellow"]
        thr = [t for _, _, t in levels if t is not None]
        assert thr == sorted(thr, reverse=True)
        assert "aegl" in SUBSTANCES[key].sources
    for key in ("LPG", "CH4"):
        assert SUBSTANCES[key].lel
        assert "lel" in SUBSTANCES[key].sources


def test_ppm_conversion_at_25_c_one_atm():
    # 1 ppm of a 24.465 g/mol gas is 1 mg/m3 at 25 °C, 1 atm; H2S: 1 ppm = 1.393 mg/m3
    assert get_substance("H2S").ppm_to_g_m3(1.0) == pytest.approx(1.393e-3, rel=1e-3)
    assert get_substance("H2S").g_m3_to_ppm(get_substance("H2S").ppm_to_g_m3(50.0)) == pytest.approx(50.0)


def test_turner_table_classes():
    assert stability_from_weather(1.5, 0, day=True) == "A"
    assert stability_from_weather(4.0, 6, day=True) == "C"
    assert stability_from_weather(2.5, 2, day=False) == "F"
    assert stability_from_weather(4.0, 6, day=False) == "D"
    assert stability_from_weather(9.0, 10, day=False) == "D"


@pytest.mark.parametrize(("cls", "u", "day"), [("A", 8.0, None), ("F", 6.5, None), ("F", 2.5, True),
                                               ("A", 2.5, False), ("Q", 3.0, None)])
def test_stability_contradicting_the_weather_is_an_error(cls, u, day):
    with pytest.raises(StabilityError):
        check_stability(cls, u, day)


def test_stability_with_overcast_must_be_neutral():
    with pytest.raises(StabilityError, match="allows D"):
        _sc(stability="B", cloud_cover_tenths=10, day=True, wind_speed=3.0)


def test_dense_gas_detected_for_chlorine_not_for_methane():
    assert is_denser_than_air(_sc(substance="Cl2"))
    assert "understates the near-field" in " ".join(dense_gas_warnings(_sc(substance="Cl2", rate_kg_s=5.0)))
    assert not is_denser_than_air(_sc(substance="CH4"))
    assert is_denser_than_air(_sc(substance="CH4", temperature_k=111.7))  # LNG vapour at its boiling point


def test_tnt_distance_inverts_overpressure():
    r = tnt_distance_m(100.0, 24.1)
    assert tnt_overpressure_kpa(100.0, r) == pytest.approx(24.1, rel=1e-6)


def test_pool_fire_distances_shrink_with_flux_level():
    d = [r for _, _, r in pool_fire_distances(get_substance("LPG"), 10.0)]
    assert d[0] < d[1] < d[2]


def test_pressurised_chlorine_tank_releases_liquid():
    r = source_rate(get_substance("Cl2"), 0.01, 7.0, 20.0)
    assert r.phase == "liquid"
    assert r.rate_kg_s > 0


def test_fitted_rate_recovers_the_true_rate():
    sc = _sc(rate_kg_s=0.8)
    xy = np.array([[300.0, 10.0], [600.0, -40.0], [1000.0, 0.0], [-200.0, 0.0]])  # wind from 270: east is downwind
    ppm = sc.substance.g_m3_to_ppm(concentration(sc, xy[:, 0], xy[:, 1], 0.0))
    fit = fit_release_rate(sc, xy, ppm)
    assert fit.rate_kg_s == pytest.approx(0.8, rel=1e-9)
    assert fit.sensors_used == 3
