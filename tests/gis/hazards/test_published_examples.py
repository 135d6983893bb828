"""The models against worked examples with stated answers, to the precision each source gives."""

from __future__ import annotations

import pytest

from gis.hazards.fire import tnt_overpressure_kpa
from gis.hazards.scenario import Release, Weather, build_scenario, concentration
from gis.hazards.sigmas import sigmas
from gis.hazards.source_term import gas_rate, liquid_rate
from gis.hazards.stability import stability_from_weather

PSI = 6894.757
INCH = 0.0254


def test_turner_workbook_burning_dump_ground_source():
    """Turner, Workbook of Atmospheric Dispersion Estimates (EPA AP-26, 1970), chapter 3 example: a burning
    dump emits 3 g/s of NOx, ground-level point source, overcast night, 7 m/s → class D, σy ≈ 190 m,
    σz ≈ 65 m at 3 km (chart readings) and χ = 1.1 × 10⁻⁵ g/m3 directly downwind. NOx is not in our table;
    the mass concentration does not depend on the substance, so H2S carries the 3 g/s."""
    assert stability_from_weather(7.0, 10, day=False) == "D"
    sy, sz = sigmas(3000.0, "D", "pasquill_gifford")
    assert sy == pytest.approx(190, rel=0.05)
    assert sz == pytest.approx(65, rel=0.02)
    sc = build_scenario(Release("H2S", rate_kg_s=0.003), Weather(7.0, stability="D"), scheme="pasquill_gifford")
    assert float(concentration(sc, 3000.0, 0.0, 0.0)) == pytest.approx(1.1e-5, abs=0.05e-5)


def test_crowl_louvar_elevated_so2_stack_briggs_rural():
    """Crowl & Louvar, Chemical Process Safety, 2nd ed., chapter 5 example: SO2 at 80 g/s from a stack of
    effective height 60 m, overcast day, 6 m/s, rural → class D, Briggs σy = 39.0 m, σz = 22.7 m at 500 m;
    ground concentration 500 m downwind 1.45 × 10⁻⁴ g/m3, and 50 m crosswind 6.37 × 10⁻⁵ g/m3."""
    assert stability_from_weather(6.0, 10, day=True) == "D"
    sy, sz = sigmas(500.0, "D", "rural")
    assert sy == pytest.approx(39.0, abs=0.05)
    assert sz == pytest.approx(22.7, abs=0.05)
    sc = build_scenario(Release("SO2", rate_kg_s=0.080, height_m=60.0), Weather(6.0, stability="D"))
    assert float(concentration(sc, 500.0, 0.0, 0.0)) == pytest.approx(1.45e-4, abs=0.005e-4)
    assert float(concentration(sc, 500.0, 50.0, 0.0)) == pytest.approx(6.37e-5, abs=0.05e-5)


def test_crowl_louvar_benzene_leak_through_quarter_inch_hole():
    """Crowl & Louvar, 2nd ed., Example 4-1: benzene (sp. gr. 0.8794) at 100 psig leaks through a 1/4-in
    hole, C0 = 0.61 → 1.48 lbm/s."""
    r = liquid_rate(0.25 * INCH, 100 * PSI, 0.8794 * 999.0, c0=0.61)
    assert r.rate_kg_s / 0.45359237 == pytest.approx(1.48, abs=0.005)


def test_crowl_louvar_nitrogen_choked_through_tenth_inch_hole():
    """Crowl & Louvar, 2nd ed., chapter 4 example: nitrogen at 200 psig and 80 °F escapes through a 0.1-in
    hole (γ = 1.4, C0 = 1) — the flow is choked (0.528 × 214.7 psia > 14.7 psia), about 0.017 kg/s."""
    r = gas_rate(0.1 * INCH, 214.7 * PSI, (80 - 32) / 1.8 + 273.15, 0.028013, 1.4, c0=1.0)
    assert r.choked
    assert r.rate_kg_s == pytest.approx(0.017, abs=0.0005)


def test_crowl_louvar_one_kg_tnt_at_30_m():
    """Crowl & Louvar, 2nd ed., chapter 6 example: 1 kg of TNT, overpressure at 30 m (scaled distance
    30 m/kg^1/3) read from the Kinney–Graham curve as about 5.6–5.7 kPa."""
    assert tnt_overpressure_kpa(1.0, 30.0) == pytest.approx(5.7, abs=0.15)
