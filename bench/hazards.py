"""Hazard zones: one release's threat zones (toxic and flammable), and a 500 × 500 concentration grid.

Targets (issue 4): zones for one release < 50 ms; a 500 × 500 grid < 200 ms (vectorised numpy).
"""

from __future__ import annotations

import numpy as np

from bench.common import Figure, median_ms, time_repeated
from gis.hazards.scenario import Release, Weather, build_scenario, concentration
from gis.hazards.zones import compute_zones, to_local


def _zones(substance: str, rate: float, duration: float | None) -> None:
    sc = build_scenario(Release(substance, rate_kg_s=rate, duration_s=duration), Weather(3.0, 250.0, "D"))
    compute_zones(sc, (500.0, 500.0))


def _grid(n: int = 500) -> np.ndarray:
    sc = build_scenario(Release("NH3", rate_kg_s=2.0, duration_s=900.0), Weather(3.0, 250.0, "D"))
    xs = np.linspace(0.0, 5000.0, n)
    gx, gy = np.meshgrid(xs, xs)
    xl, yl = to_local(gx.ravel(), gy.ravel(), (2500.0, 2500.0), 250.0)
    return concentration(sc, xl, yl, 0.0, 600.0).reshape(n, n)


def run(repeat: int = 20) -> list[Figure]:
    """Median wall times of the zone computation and of the grid."""
    tox = median_ms(time_repeated(lambda: _zones("H2S", 0.5, 600.0), repeat))
    flam = median_ms(time_repeated(lambda: _zones("LPG", 5.0, None), repeat))
    grid = median_ms(time_repeated(_grid, repeat))
    return [
        Figure("zones, one toxic release (H2S, 3 levels + wedge)", tox, "ms", "< 50 ms", tox < 50.0,
               "validate + 300-point axis + polygons"),
        Figure("zones, one flammable release (LPG, 2 LEL levels)", flam, "ms", "< 50 ms", flam < 50.0),
        Figure("concentration grid 500 x 500 (finite release at t)", grid, "ms", "< 200 ms", grid < 200.0,
               "250,000 receptors, rotated to the wind"),
    ]
