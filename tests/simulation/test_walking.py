"""Weidmann's speed–density relation and the critical density, against hand calculation and his figures."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulation.walking import CRITICAL_DENSITY, CRITICAL_FACTOR, moving_factor, weidmann_factor


@pytest.mark.parametrize(("rho", "expected"), [
    # 1 − exp(−1.913 (1/ρ − 1/5.4)), by hand: 1/5.4 = 0.185185
    (0.5, 1 - np.exp(-1.913 * (2.0 - 0.185185))),   # 0.96894
    (1.0, 1 - np.exp(-1.913 * (1.0 - 0.185185))),   # 0.78960
    (2.0, 1 - np.exp(-1.913 * (0.5 - 0.185185))),   # 0.45242
    (4.0, 1 - np.exp(-1.913 * (0.25 - 0.185185))),  # 0.11661
    (5.4, 0.0),
    (6.0, 0.0),
    (0.0, 1.0),
])
def test_weidmann_factor_matches_the_published_formula(rho: float, expected: float) -> None:
    assert float(weidmann_factor(rho)) == pytest.approx(expected, abs=1e-5)


def test_critical_density_and_capacity_match_weidmann() -> None:
    """Weidmann (1993) gives the largest flow 1.225 persons/(m·s) at 1.75 persons/m² (v0 = 1.34 m/s)."""
    j_max = 1.34 * CRITICAL_DENSITY * CRITICAL_FACTOR
    assert pytest.approx(1.75, abs=0.01) == CRITICAL_DENSITY
    assert pytest.approx(1.225, abs=0.003) == j_max


@given(st.integers(min_value=0, max_value=5000), st.floats(0.1, 500.0), st.floats(0.3, 30.0))
def test_moving_crowd_never_stops_and_never_speeds_up(n: int, length: float, width: float) -> None:
    f = moving_factor(n, length, width)
    assert CRITICAL_FACTOR - 1e-12 <= f <= 1.0


def test_lone_walker_keeps_full_speed_even_in_a_door() -> None:
    assert moving_factor(0, 0.3, 0.8) == 1.0
