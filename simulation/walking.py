"""How fast people walk in a crowd: Weidmann's speed–density relation and the flow limit.

**Speed–density.** U. Weidmann, *Transporttechnik der Fussgänger*, IVT Schriftenreihe 90, ETH Zürich
(1993), eq. (3.1) with his fitted constants (Table 3.3 / fig. 3.13):

    v(ρ) = v0 · [1 − exp(−γ · (1/ρ − 1/ρmax))],   γ = 1.913 persons/m², ρmax = 5.4 persons/m²

with ρ the crowd density (persons/m²) and v0 the free walking speed (Weidmann's mean 1.34 m/s).
:func:`weidmann_factor` is the bracket, v(ρ)/v0, applied to each person's own free speed.

**The free and the congested branch.** The specific flow J = ρ·v(ρ) peaks at the critical density
:data:`CRITICAL_DENSITY` (≈ 1.75 persons/m², J ≈ 1.22 persons/m/s at v0 = 1.34 m/s). Beyond it, walking
gets slower than the crowd can be fed, so a denser crowd is a jam. In this simulation a jam is the
queue in front of a flow limit (the doors and narrow edges of :data:`MAX_SPECIFIC_FLOW`), as in the
hydraulic model of the SFPE Handbook (Gwynne & Rosenbaum, "Employing the hydraulic model in assessing
emergency movement", SFPE Handbook of Fire Protection Engineering, 5th ed., ch. 59): people on a moving
edge are never slowed below the speed at the critical density (:func:`moving_factor`).

**Flow limit.** :data:`MAX_SPECIFIC_FLOW` = 1.3 persons per metre of width per second, the SFPE maximum
specific flow for corridors, aisles, ramps and doorways, which the plant format uses to derive an
edge's ``capacity_pps`` (width × 1.3).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import minimize_scalar

WEIDMANN_V0 = 1.34  # m/s, mean free walking speed
WEIDMANN_SD = 0.26  # m/s, its standard deviation
WEIDMANN_GAMMA = 1.913  # persons/m²
WEIDMANN_RHO_MAX = 5.4  # persons/m², density at which walking stops
MAX_SPECIFIC_FLOW = 1.3  # persons/(m·s)


def weidmann_factor(rho: np.ndarray | float) -> np.ndarray:
    """v(ρ)/v0 of Weidmann (1993) at densities ``rho`` (persons/m²): 1 at ρ = 0, 0 at ρ ≥ 5.4."""
    r = np.asarray(rho, dtype=float)
    with np.errstate(divide="ignore"):
        inv = np.where(r > 0, 1.0 / np.maximum(r, 1e-12), np.inf)
    f = 1.0 - np.exp(-WEIDMANN_GAMMA * (inv - 1.0 / WEIDMANN_RHO_MAX))
    return np.clip(f, 0.0, 1.0)


def _critical_density() -> float:
    res = minimize_scalar(lambda r: -r * float(weidmann_factor(r)), bounds=(0.1, WEIDMANN_RHO_MAX),
                          method="bounded", options={"xatol": 1e-9})
    return float(res.x)


#: density (persons/m²) of Weidmann's largest specific flow; the free branch ends here
CRITICAL_DENSITY = _critical_density()
#: v/v0 at the critical density: the slowest a moving crowd walks in this model
CRITICAL_FACTOR = float(weidmann_factor(CRITICAL_DENSITY))


def moving_factor(n_others: int, length_m: float, width_m: float, min_length_m: float = 1.0) -> float:
    """v/v0 on an edge of ``length_m`` × ``width_m`` where ``n_others`` other people are walking: Weidmann's
    factor at their density, never below :data:`CRITICAL_FACTOR` (denser crowds queue at flow limits,
    see the module docstring). Edges shorter than ``min_length_m`` count as that long (a door leaf
    holds no crowd of its own)."""
    if n_others <= 0:
        return 1.0
    area = max(length_m, min_length_m) * max(width_m, 1e-6)
    rho = n_others / area
    if rho >= CRITICAL_DENSITY:
        return CRITICAL_FACTOR
    return 1.0 - math.exp(-WEIDMANN_GAMMA * (1.0 / rho - 1.0 / WEIDMANN_RHO_MAX))
