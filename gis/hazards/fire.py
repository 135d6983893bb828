"""Fire and explosion distances, drawn as circles around the source.

Pool fire (point-source model; CCPS "Guidelines for Consequence Analysis of Chemical Releases" (1999)
§3.3.2; Mudan & Croce, SFPE Handbook): the burning rate per area m'' = m''∞ (1 − e^(−kβ D)) (Babrauskas),
the heat release Q = m''·(π D²/4)·ΔHc, a radiative fraction χr = 0.35 and transmissivity τ = 1
(conservative), so the flux at distance r is q = τ χr Q / (4π r²) and the distance for a flux q is
r = √(τ χr Q / (4π q)). Levels 37.5 kW/m² (equipment damage), 12.5 (piloted ignition of wood, 1 % lethality
in 1 min) and 5 kW/m² (2nd-degree burns in 60 s) — ALOHA's thermal levels are 10/5/2 kW/m²; these follow
the issue.

Vapour-cloud explosion (TNT equivalence; Crowl & Louvar 2nd ed. §6-13): W_TNT = η M ΔHc / E_TNT with
η = 0.03 (stated yield; the literature range is 1–10 %) and E_TNT = 4.686 MJ/kg; the side-on overpressure
at scaled distance ze = r / W^(1/3) from the Kinney & Graham (1985) fit (Crowl & Louvar eq. 6-24):

    p°/pa = 1616 [1 + (ze/4.5)²] / (√(1 + (ze/0.048)²) √(1 + (ze/0.32)²) √(1 + (ze/1.35)²)),

inverted numerically. Levels 55.2 kPa (8 psi, destruction of buildings), 24.1 kPa (3.5 psi, serious
injury likely) and 6.9 kPa (1 psi, glass shatters) — ALOHA's overpressure levels.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from gis.hazards.substances import Substance

FLUX_LEVELS_KW_M2 = (("red", 37.5), ("orange", 12.5), ("yellow", 5.0))
OVERPRESSURE_LEVELS_KPA = (("red", 55.2), ("orange", 24.1), ("yellow", 6.9))
E_TNT = 4.686e6  # J/kg
YIELD = 0.03
CHI_R = 0.35
P_ATM_KPA = 101.325


def kinney_graham(ze):  # type: ignore[no-untyped-def]
    """Side-on overpressure ratio p°/pa at scaled distance ze (m/kg^1/3) of a TNT surface burst."""
    ze = np.asarray(ze, dtype=float)
    return (1616.0 * (1.0 + (ze / 4.5) ** 2)
            / np.sqrt((1.0 + (ze / 0.048) ** 2) * (1.0 + (ze / 0.32) ** 2) * (1.0 + (ze / 1.35) ** 2)))


def tnt_overpressure_kpa(tnt_kg: float, distance_m: float) -> float:
    """Side-on overpressure (kPa) at ``distance_m`` from ``tnt_kg`` of TNT (Kinney & Graham)."""
    if tnt_kg <= 0 or distance_m <= 0:
        raise ValueError("TNT mass and distance must be positive")
    return float(kinney_graham(distance_m / tnt_kg ** (1 / 3))) * P_ATM_KPA


def tnt_distance_m(tnt_kg: float, overpressure_kpa: float) -> float:
    """Distance (m) at which ``tnt_kg`` of TNT gives ``overpressure_kpa`` (inverse of Kinney & Graham)."""
    target = overpressure_kpa / P_ATM_KPA
    ze = brentq(lambda z: float(kinney_graham(z)) - target, 1e-3, 1e5, xtol=1e-9, rtol=1e-10)
    return ze * tnt_kg ** (1 / 3)


def tnt_equivalent_kg(flammable_mass_kg: float, heat_of_combustion: float, yield_factor: float = YIELD) -> float:
    """TNT mass (kg) equivalent to ``flammable_mass_kg`` of fuel with the given heat of combustion (J/kg)."""
    return yield_factor * flammable_mass_kg * heat_of_combustion / E_TNT


def explosion_distances(sub: Substance, flammable_mass_kg: float, yield_factor: float = YIELD
                        ) -> list[tuple[str, float, float]]:
    """(level, overpressure kPa, radius m) of a vapour-cloud explosion of ``flammable_mass_kg``."""
    if not sub.flammable or sub.heat_of_combustion is None:
        raise ValueError(f"{sub.key} is not flammable in the table")
    if flammable_mass_kg <= 0:
        return []
    w = tnt_equivalent_kg(flammable_mass_kg, sub.heat_of_combustion, yield_factor)
    return [(lvl, p, tnt_distance_m(w, p)) for lvl, p in OVERPRESSURE_LEVELS_KPA]


def pool_fire_distances(sub: Substance, diameter_m: float, chi_r: float = CHI_R, tau: float = 1.0
                        ) -> list[tuple[str, float, float]]:
    """(level, flux kW/m², distance m from the pool centre) of a pool fire of ``diameter_m``; a distance
    inside the pool radius is reported as the pool radius."""
    if sub.burning_rate is None or sub.heat_of_combustion is None:
        raise ValueError(f"{sub.key} has no pool burning rate in the table")
    if not math.isfinite(diameter_m) or diameter_m <= 0:
        raise ValueError(f"pool diameter must be a positive number of metres, got {diameter_m}")
    m2 = sub.burning_rate * (1.0 - math.exp(-(sub.k_beta or 1.0) * diameter_m))
    q_total = m2 * math.pi * diameter_m ** 2 / 4.0 * sub.heat_of_combustion
    out = []
    for lvl, flux in FLUX_LEVELS_KW_M2:
        r = math.sqrt(tau * chi_r * q_total / (4.0 * math.pi * flux * 1000.0))
        out.append((lvl, flux, max(r, diameter_m / 2.0)))
    return out
