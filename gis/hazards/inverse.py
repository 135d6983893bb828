"""From alarming gas sensors back to the release rate.

Every dispersion model here is linear in the release rate: C_i = Q · k_i with k_i the concentration at
sensor i for a unit rate (1 kg/s) in the same weather. The least-squares rate over the readings c_i is

    Q = Σ k_i c_i / Σ k_i²     (clipped at 0),

with the residual standard deviation and the number of sensors the plume reaches reported alongside.
Sensors the model does not reach (k_i = 0: upwind or far off-axis) carry no information and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from gis.hazards.scenario import Scenario, concentration
from gis.hazards.zones import to_local


@dataclass(frozen=True)
class RateFit:
    """The fitted rate (kg/s), the sensors used, and the rms misfit of the readings (ppm)."""

    rate_kg_s: float
    sensors_used: int
    rms_residual_ppm: float


def fit_release_rate(sc: Scenario, sensor_xy, readings_ppm, source_xy: tuple[float, float] = (0.0, 0.0),  # type: ignore[no-untyped-def]
                     sensor_z: float = 0.0, t_s: float | None = None) -> RateFit:
    """Least-squares release rate (kg/s) that best explains ``readings_ppm`` at sensors ``sensor_xy``
    ((n, 2) plant CRS metres) for a source at ``source_xy`` in the scenario's weather."""
    xy = np.asarray(sensor_xy, dtype=float).reshape(-1, 2)
    c = np.asarray(readings_ppm, dtype=float)
    if len(c) != len(xy):
        raise ValueError(f"{len(xy)} sensors but {len(c)} readings")
    if np.any(~np.isfinite(c)) or np.any(c < 0):
        raise ValueError("sensor readings must be finite and ≥ 0 ppm")
    unit = replace(sc, release=replace(sc.release, rate_kg_s=1.0, mass_kg=None))
    xl, yl = to_local(xy[:, 0], xy[:, 1], source_xy, sc.weather.wind_from_deg)
    k = sc.substance.g_m3_to_ppm(concentration(unit, xl, yl, sensor_z, t_s))
    use = k > 0
    if not use.any():
        raise ValueError("no sensor lies in the modelled plume: cannot fit a rate")
    q = max(float(np.dot(k[use], c[use]) / np.dot(k[use], k[use])), 0.0)
    rms = float(np.sqrt(np.mean((q * k[use] - c[use]) ** 2)))
    return RateFit(q, int(use.sum()), rms)
