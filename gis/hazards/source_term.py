"""Release rates from a hole: gas (choked or not) and liquid (Bernoulli), after Crowl & Louvar,
"Chemical Process Safety: Fundamentals with Applications", 2nd ed. (2002), chapter 4 "Source models":
§4-2 "Flow of liquid through a hole" (eq. 4-6) and §4-5 "Flow of vapor through holes" (eqs. 4-50 and 4-59);
the same equations are in CCPS "Guidelines for Consequence Analysis of Chemical Releases" (1999) §2.1.

Liquid:         Qm = C0 A √(2 ρ ΔP)                         (ΔP gauge pressure, Pa; C0 = 0.61 sharp hole)
Gas, unchoked:  Qm = C0 A P √(2 M/(R T) · γ/(γ−1) · [(Pa/P)^(2/γ) − (Pa/P)^((γ+1)/γ)])
Gas, choked:    Qm = C0 A P √(γ M/(R T) · (2/(γ+1))^((γ+1)/(γ−1))),   when Pa/P ≤ (2/(γ+1))^(γ/(γ−1))

A liquid released through a hole is taken as wholly airborne (flash plus aerosol) — conservative; no
pool evaporation model is run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gis.hazards.substances import Substance

R = 8.314462618
P_ATM = 101325.0


class SourceTermError(ValueError):
    """Impossible source-term input (named in the message)."""


@dataclass(frozen=True)
class SourceRate:
    """An estimated release: rate (kg/s), phase (``gas``/``liquid``), whether choked, and the formula used."""

    rate_kg_s: float
    phase: str
    choked: bool
    formula: str


def _check(name: str, v: float) -> None:
    if not math.isfinite(v) or v <= 0:
        raise SourceTermError(f"{name} must be a positive number, got {v}")


def hole_area(diameter_m: float) -> float:
    """Area (m2) of a round hole of ``diameter_m``."""
    _check("hole diameter (m)", diameter_m)
    return math.pi * diameter_m ** 2 / 4.0


def choked_pressure_ratio(gamma: float) -> float:
    """Pa/P below which gas flow through a hole is choked: (2/(γ+1))^(γ/(γ−1))."""
    return (2.0 / (gamma + 1.0)) ** (gamma / (gamma - 1.0))


def gas_rate(diameter_m: float, pressure_pa: float, temperature_k: float, molar_mass: float, gamma: float,
             c0: float = 1.0, ambient_pa: float = P_ATM) -> SourceRate:
    """Mass rate (kg/s) of gas through a hole from a vessel at absolute ``pressure_pa`` and ``temperature_k``
    (isentropic nozzle flow; Crowl & Louvar eqs. 4-50/4-59; C0 = 1 is conservative)."""
    _check("pressure (Pa)", pressure_pa)
    _check("temperature (K)", temperature_k)
    a = hole_area(diameter_m)
    if pressure_pa <= ambient_pa:
        return SourceRate(0.0, "gas", False, "no overpressure: no outflow")
    ratio = ambient_pa / pressure_pa
    if ratio <= choked_pressure_ratio(gamma):
        k = gamma * molar_mass / (R * temperature_k) * (2.0 / (gamma + 1.0)) ** ((gamma + 1.0) / (gamma - 1.0))
        return SourceRate(c0 * a * pressure_pa * math.sqrt(k), "gas", True, "choked gas flow, Crowl & Louvar eq. 4-59")
    k = (2.0 * molar_mass / (R * temperature_k) * gamma / (gamma - 1.0)
         * (ratio ** (2.0 / gamma) - ratio ** ((gamma + 1.0) / gamma)))
    return SourceRate(c0 * a * pressure_pa * math.sqrt(k), "gas", False, "unchoked gas flow, Crowl & Louvar eq. 4-50")


def liquid_rate(diameter_m: float, gauge_pressure_pa: float, density: float, c0: float = 0.61,
                liquid_head_m: float = 0.0) -> SourceRate:
    """Mass rate (kg/s) of liquid through a hole under ``gauge_pressure_pa`` plus a liquid head (m)
    (Bernoulli with a discharge coefficient; Crowl & Louvar eq. 4-6; C0 = 0.61 for a sharp-edged hole)."""
    _check("liquid density (kg/m3)", density)
    a = hole_area(diameter_m)
    dp = gauge_pressure_pa + density * 9.80665 * liquid_head_m
    if dp <= 0:
        return SourceRate(0.0, "liquid", False, "no driving pressure: no outflow")
    return SourceRate(c0 * a * math.sqrt(2.0 * density * dp), "liquid", False, "liquid through a hole, "
                      "Crowl & Louvar eq. 4-6")


def source_rate(sub: Substance, diameter_m: float, pressure_bar: float, temperature_c: float) -> SourceRate:
    """Release rate (kg/s) of a hazard source through a hole: liquid when the storage temperature is below
    the normal boiling point or the substance is stored liquefied under pressure (above 1 atm and with a
    liquid density in the table and a boiling point above -50 °C), gas otherwise. ``pressure_bar`` is
    absolute (the plant format's default 1.0 bar is atmospheric)."""
    _check("pressure (bar)", pressure_bar)
    if sub.boiling_point_k is None:
        raise SourceTermError(f"{sub.key} has no boiling point in the substance library: give the release rate")
    t = temperature_c + 273.15
    p = pressure_bar * 1e5
    liquefied = sub.liquid_density is not None and (t < sub.boiling_point_k or
                                                    (p > P_ATM and sub.boiling_point_k > 223.15))
    if liquefied:
        return liquid_rate(diameter_m, p - P_ATM, sub.liquid_density)
    return gas_rate(diameter_m, p, t, sub.molar_mass, sub.gamma)
