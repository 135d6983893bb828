"""Toxic exposure: the AEGL toxic-load criterion by hand, and the dose against an independent integration."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from scipy import integrate

from gis.hazards.scenario import Release, Weather, build_scenario, concentration
from simulation.exposure import ReleaseField, exposures, positions_at

AEGL2 = 27.0  # ppm, H2S 60-min AEGL-2 (the substance table's value)


@dataclass
class ConstantField:
    """A stand-in field: ``c`` ppm everywhere from t0 on (an oracle we can integrate by hand)."""

    c: float
    t0: float = 0.0

    def ppm(self, x, y, t):  # type: ignore[no-untyped-def]
        return np.where(np.asarray(t) >= self.t0, self.c, 0.0) * np.ones(np.broadcast(x, y, t).shape)

    def criterion(self) -> tuple[str, float, bool]:
        return "AEGL-2 (60 min)", AEGL2, True


def _still(n: int = 1) -> tuple[list, np.ndarray]:
    return [(np.zeros(0), np.zeros(0), np.zeros(0))] * n, np.zeros((n, 2))


@pytest.mark.parametrize(("factor", "seconds", "ratio", "exceeded"), [
    # n = 3 for short exposures: (2 A)^3 · 600 s / (A^3 · 3600 s) = 8/6 = 1.333 → over AEGL-2
    (2.0, 600.0, 8.0 * 600 / 3600, True),
    # 1.2 A for 30 min: n = 3 gives 1.728 · 0.5 = 0.864, n = 1 gives 0.6 → not over
    (1.2, 1800.0, 1.728 * 0.5, False),
    # 0.9 A for 2 h: n = 1 governs long exposures, 0.9 · 2 = 1.8 → over
    (0.9, 7200.0, 1.8, True),
])
def test_toxic_load_criterion_matches_the_hand_calculation(factor, seconds, ratio, exceeded) -> None:
    paths, xy = _still()
    ex = exposures(paths, xy, ConstantField(factor * AEGL2), seconds, dt_s=5.0)
    assert ex.load_ratio[0] == pytest.approx(ratio, rel=1e-9)
    assert bool(ex.exceeded[0]) is exceeded
    assert ex.dose_ppm_min[0] == pytest.approx(factor * AEGL2 * seconds / 60.0, rel=1e-9)
    assert ex.peak_ppm[0] == pytest.approx(factor * AEGL2)


def test_breathing_apparatus_stops_the_exposure() -> None:
    """Protected from 300 s of a 600 s exposure at 2 × AEGL-2: 8 · 300 / 3600 = 0.667, not over."""
    paths, xy = _still()
    ex = exposures(paths, xy, ConstantField(2 * AEGL2), 600.0, dt_s=5.0, protected_from=np.array([300.0]))
    assert ex.load_ratio[0] == pytest.approx(8.0 * 300 / 3600, rel=1e-9)
    assert not ex.exceeded[0]


def test_walking_out_of_the_cloud_counts_only_the_time_inside() -> None:
    """A person leaves at 100 s from a cloud that covers only x < 10 m, walking at 1 m/s from x = 0:
    inside until 110 s, so the dose is C × 110 s."""

    class Half(ConstantField):
        def ppm(self, x, y, t):  # type: ignore[no-untyped-def]
            return np.where(np.asarray(x) < 10.0, self.c, 0.0) * np.ones(np.broadcast(x, y, t).shape)

    path = (np.array([100.0, 150.0]), np.array([0.0, 50.0]), np.array([0.0, 0.0]))
    ex = exposures([path], np.zeros((1, 2)), Half(60.0), 400.0, dt_s=0.5)
    assert ex.dose_ppm_min[0] * 60.0 == pytest.approx(60.0 * 110.0, rel=0.01)


def test_dose_of_a_person_standing_downwind_matches_direct_integration() -> None:
    """The sampled dose of someone standing 150 m downwind of a 1 kg/s H2S release for 20 min equals the
    time integral of the plume's concentration at that point (scipy quad over gis.hazards directly)."""
    rel, w = Release("H2S", rate_kg_s=1.0, duration_s=600.0), Weather(3.0, 270.0, "D")
    field = ReleaseField.build(rel, w, (0.0, 0.0))
    sc = build_scenario(rel, w)
    # wind from 270° (west) blows east: 150 m downwind is (150, 0); local x = 150, y = 0
    f = lambda t: float(sc.substance.g_m3_to_ppm(concentration(sc, 150.0, 0.0, 0.0, t)))  # noqa: E731
    expected, _ = integrate.quad(f, 1e-6, 1200.0, limit=200, points=[50.0, 600.0, 650.0])
    ex = exposures([(np.zeros(0), np.zeros(0), np.zeros(0))], np.array([[150.0, 0.0]]), field, 1200.0, dt_s=1.0)
    assert ex.dose_ppm_min[0] * 60.0 == pytest.approx(expected, rel=0.02)
    assert field.ppm(np.array([150.0]), np.array([0.0]), -5.0)[0] == 0.0


def test_positions_before_during_and_after_a_path() -> None:
    x, y = positions_at(np.array([10.0, 20.0]), np.array([0.0, 10.0]), np.array([0.0, 0.0]), -3.0, 4.0,
                        np.array([0.0, 10.0, 15.0, 30.0]))
    assert x.tolist() == [-3.0, 0.0, 5.0, 10.0]
    assert y.tolist() == [4.0, 0.0, 0.0, 0.0]
