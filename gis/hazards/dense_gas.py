"""Is the release denser than air? Then the Gaussian model understates the near field.

Density of the released gas at its temperature versus ambient air (ideal gas, 1 atm, ambient 20 °C):
ρ = P·M/(R·T). When it is denser, the Britter–McQuaid criterion (Britter & McQuaid, "Workbook on the
Dispersion of Dense Gases", HSE contract report 17/1988, §3; CCPS 1999 §2.1.2) decides whether
dense-gas effects matter: for a continuous release,

    (g'₀ q₀ / u³ D)^(1/3) ≥ 0.15,  g'₀ = g (ρ₀ − ρa)/ρa,  q₀ = volume rate (m3/s),  D = √(q₀/u);

for an instantaneous one (g'₀ V₀)^(1/2)/u/V₀^(1/3) ≥ 0.2 (V₀ the released volume). Either way the
result carries a warning; no dense-gas model is run (stated limitation).
"""

from __future__ import annotations

import math

from gis.hazards.scenario import Scenario
from gis.hazards.substances import AIR_MOLAR_MASS

R = 8.314462618
P_ATM = 101325.0
T_AMBIENT = 293.15
G = 9.81


def gas_density(molar_mass: float, temperature_k: float) -> float:
    """Ideal-gas density (kg/m3) at 1 atm."""
    return P_ATM * molar_mass / (R * temperature_k)


def richardson_criterion(sc: Scenario) -> tuple[float, float]:
    """(value, critical value) of the Britter–McQuaid dense-gas criterion for this release; value ≤ 0 when
    the gas is not denser than air."""
    t = sc.release.temperature_k
    rho0 = gas_density(sc.substance.molar_mass, t)
    rhoa = gas_density(AIR_MOLAR_MASS, T_AMBIENT)
    if rho0 <= rhoa:
        return 0.0, 0.15
    gp = G * (rho0 - rhoa) / rhoa
    if sc.instantaneous:
        v0 = sc.release.mass_kg / rho0
        return math.sqrt(gp * v0) / sc.u / v0 ** (1 / 3), 0.2
    q0 = sc.release.rate_kg_s / rho0
    d = math.sqrt(q0 / sc.u)
    return (gp * q0 / (sc.u ** 3 * d)) ** (1 / 3), 0.15


def is_denser_than_air(sc: Scenario) -> bool:
    """True when the released gas (at its release temperature) is denser than ambient air."""
    return gas_density(sc.substance.molar_mass, sc.release.temperature_k) > gas_density(AIR_MOLAR_MASS, T_AMBIENT)


def dense_gas_warnings(sc: Scenario) -> list[str]:
    """Warnings about dense-gas behaviour of this release (empty when it is buoyant or passive)."""
    if not is_denser_than_air(sc):
        return []
    value, crit = richardson_criterion(sc)
    rho = gas_density(sc.substance.molar_mass, sc.release.temperature_k)
    base = (f"{sc.substance.key} is denser than air ({rho:.2f} kg/m3 at {sc.release.temperature_k - 273.15:.0f} °C "
            f"vs 1.20 kg/m3)")
    if value >= crit:
        return [base + f" and the Britter–McQuaid criterion {value:.2f} ≥ {crit}: a heavy-gas cloud; the Gaussian "
                "result understates the near-field concentrations and the cloud width"]
    return [base + f"; Britter–McQuaid criterion {value:.2f} < {crit}, so it should disperse passively, but the "
            "near field may still be understated"]
