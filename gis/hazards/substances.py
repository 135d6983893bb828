"""The substance table of the hazard-zone model: one record per substance, every value with its source.

Toxic levels are the final 60-minute AEGLs (US EPA / National Research Council, "Acute Exposure
Guideline Levels for Selected Airborne Chemicals", volumes 1-20, 2001-2016; values as listed on
https://www.epa.gov/aegl). ERPGs (AIHA, "ERPG/WEEL Handbook", 2016) are kept as the fallback for
substances without AEGLs. Flammability limits are from NFPA 325 / the CRC Handbook; physical data from
the CRC Handbook of Chemistry and Physics; pool-fire burning rates from Babrauskas (SFPE Handbook,
"Heat release rates", Table 3-1.13) and heats of combustion (lower) from the same table.

Concentrations are converted at 25 °C and 1 atm (molar volume 24.465 L/mol), ALOHA's practice.

LPG assumption: a commercial mix of 70 mol% propane and 30 mol% n-butane. Its molar mass is the mole
average (48.3 g/mol), its LEL/UEL follow Le Chatelier's rule (2.0 / 9.1 vol%), its boiling point is
taken as the mix's bubble point (about -35 °C, rounded); burning rate and heat of combustion are those
of propane (the dominant component).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gis.substances import normalise_substance

#: molar volume of an ideal gas at 25 °C and 101 325 Pa, m3/mol (R·T/P = 8.314462·298.15/101325)
MOLAR_VOLUME_M3 = 8.314462618 * 298.15 / 101325.0
#: molar mass of dry air, kg/mol
AIR_MOLAR_MASS = 0.028964

AEGL = "US EPA/NRC final AEGL, 60 min (epa.gov/aegl)"
ERPG = "AIHA ERPG Handbook 2016"
CRC = "CRC Handbook of Chemistry and Physics, 97th ed."
NFPA = "NFPA 325 (1994) / CRC flammability table"
SFPE = "Babrauskas, SFPE Handbook 3rd ed., Table 3-1.13"
LPG_MIX = "70/30 mol% propane/butane mix (stated assumption, see module docstring)"


class UnknownSubstanceError(ValueError):
    """The substance is not in the hazard table."""


@dataclass(frozen=True)
class Substance:
    """Physical, toxic and flammable data of one substance (SI units; concentrations in ppm by volume).

    ``aegl`` holds the 60-minute AEGL-1/2/3 in ppm (``None`` where the NRC made no recommendation, e.g.
    AEGL-1 of CO); ``erpg`` ERPG-1/2/3 in ppm. ``lel``/``uel`` are volume fractions (0.05 = 5 vol%).
    ``sources`` names, per field, where the value comes from.
    """

    key: str
    name: str
    molar_mass: float  # kg/mol
    boiling_point_k: float
    liquid_density: float | None = None  # kg/m3 at the normal boiling point (or 25 °C for liquids)
    gamma: float = 1.3  # heat-capacity ratio cp/cv of the gas at 25 °C
    aegl: tuple[float | None, float | None, float | None] | None = None
    erpg: tuple[float | None, float | None, float | None] | None = None
    lel: float | None = None
    uel: float | None = None
    heat_of_combustion: float | None = None  # J/kg, lower
    burning_rate: float | None = None  # kg/(m2·s), large-pool mass burning rate m''∞
    k_beta: float | None = None  # 1/m, extinction-absorption coefficient of Babrauskas' burning-rate law
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def toxic(self) -> bool:
        """True when the substance has toxic levels (AEGL or ERPG)."""
        return self.aegl is not None or self.erpg is not None

    @property
    def flammable(self) -> bool:
        """True when the substance has a lower flammability limit."""
        return self.lel is not None

    def ppm_to_g_m3(self, ppm: float) -> float:
        """Mass concentration (g/m3) of ``ppm`` parts per million by volume at 25 °C, 1 atm."""
        return ppm * 1e-6 * self.molar_mass * 1000.0 / MOLAR_VOLUME_M3

    def g_m3_to_ppm(self, g_m3):  # type: ignore[no-untyped-def]
        """Parts per million by volume (25 °C, 1 atm) of a mass concentration in g/m3 (scalar or array)."""
        return g_m3 / (self.molar_mass * 1000.0) * MOLAR_VOLUME_M3 * 1e6


def _tox(aegl_src: str = AEGL) -> dict[str, str]:
    return {"molar_mass": CRC, "boiling_point_k": CRC, "liquid_density": CRC, "gamma": CRC,
            "aegl": aegl_src, "erpg": ERPG}


SUBSTANCES: dict[str, Substance] = {
    "H2S": Substance("H2S", "hydrogen sulfide", 0.03408, 212.8, 914.0, 1.32,
                     aegl=(0.51, 27.0, 50.0), erpg=(0.1, 30.0, 100.0), lel=0.040, uel=0.44,
                     heat_of_combustion=15.2e6, sources=_tox() | {"lel": NFPA, "uel": NFPA,
                                                                  "heat_of_combustion": CRC}),
    "NH3": Substance("NH3", "ammonia", 0.01703, 239.8, 682.0, 1.31,
                     aegl=(30.0, 160.0, 1100.0), erpg=(25.0, 150.0, 1500.0), lel=0.15, uel=0.28,
                     heat_of_combustion=18.6e6, sources=_tox() | {"lel": NFPA, "uel": NFPA,
                                                                  "heat_of_combustion": CRC}),
    "Cl2": Substance("Cl2", "chlorine", 0.07090, 239.1, 1563.0, 1.34,
                     aegl=(0.5, 2.0, 20.0), erpg=(1.0, 3.0, 20.0), sources=_tox()),
    # AEGL-1 of carbon monoxide: "not recommended" (NRC vol. 8, 2010) — no yellow zone.
    "CO": Substance("CO", "carbon monoxide", 0.02801, 81.6, 789.0, 1.40,
                    aegl=(None, 83.0, 330.0), erpg=(200.0, 350.0, 500.0), lel=0.125, uel=0.74,
                    heat_of_combustion=10.1e6, sources=_tox() | {"lel": NFPA, "uel": NFPA,
                                                                 "heat_of_combustion": CRC}),
    "SO2": Substance("SO2", "sulfur dioxide", 0.06407, 263.1, 1460.0, 1.29,
                     aegl=(0.20, 0.75, 30.0), erpg=(0.3, 3.0, 15.0), sources=_tox()),
    "HCN": Substance("HCN", "hydrogen cyanide", 0.02703, 299.0, 687.0, 1.31,
                     aegl=(2.0, 7.1, 15.0), erpg=(None, 10.0, 25.0), lel=0.056, uel=0.40,
                     heat_of_combustion=24.0e6, sources=_tox() | {"lel": NFPA, "uel": NFPA,
                                                                  "heat_of_combustion": CRC}),
    "CH4": Substance("CH4", "methane", 0.01604, 111.7, 423.0, 1.31, lel=0.050, uel=0.150,
                     heat_of_combustion=50.0e6, burning_rate=0.078, k_beta=1.1,
                     sources={"molar_mass": CRC, "boiling_point_k": CRC, "liquid_density": CRC, "gamma": CRC,
                              "lel": NFPA, "uel": NFPA, "heat_of_combustion": SFPE + " (LNG)",
                              "burning_rate": SFPE + " (LNG)", "k_beta": SFPE + " (LNG)"}),
    "C3H8": Substance("C3H8", "propane", 0.04410, 231.1, 581.0, 1.13, lel=0.021, uel=0.095,
                      heat_of_combustion=46.0e6, burning_rate=0.099, k_beta=1.1,
                      sources={"molar_mass": CRC, "boiling_point_k": CRC, "liquid_density": CRC, "gamma": CRC,
                               "lel": NFPA, "uel": NFPA, "heat_of_combustion": SFPE, "burning_rate": SFPE,
                               "k_beta": SFPE}),
    "C4H10": Substance("C4H10", "n-butane", 0.05812, 272.7, 601.0, 1.10, lel=0.018, uel=0.084,
                       heat_of_combustion=45.7e6, burning_rate=0.078, k_beta=2.7,
                       sources={"molar_mass": CRC, "boiling_point_k": CRC, "liquid_density": CRC, "gamma": CRC,
                                "lel": NFPA, "uel": NFPA, "heat_of_combustion": SFPE, "burning_rate": SFPE,
                                "k_beta": SFPE}),
    "C7H8": Substance("C7H8", "toluene", 0.09214, 383.8, 867.0, 1.09,
                      aegl=(67.0, 560.0, 3700.0), erpg=(50.0, 300.0, 1000.0), lel=0.011, uel=0.071,
                      heat_of_combustion=40.5e6, sources=_tox() | {"lel": NFPA, "uel": NFPA,
                                                                   "heat_of_combustion": SFPE}),
    "CH3OH": Substance("CH3OH", "methanol", 0.03204, 337.8, 792.0, 1.20,
                       aegl=(530.0, 2100.0, 7200.0), erpg=(200.0, 1000.0, 5000.0), lel=0.060, uel=0.36,
                       heat_of_combustion=20.0e6, burning_rate=0.017, k_beta=100.0,
                       sources=_tox() | {"lel": NFPA, "uel": NFPA, "heat_of_combustion": SFPE,
                                         "burning_rate": SFPE, "k_beta": SFPE + " (fully developed)"}),
    "LPG": Substance("LPG", "liquefied petroleum gas (70/30 mol% propane/butane)", 0.04831, 238.0, 587.0, 1.12,
                     lel=0.020, uel=0.091, heat_of_combustion=46.0e6, burning_rate=0.099, k_beta=1.4,
                     sources={k: LPG_MIX for k in ("molar_mass", "boiling_point_k", "liquid_density", "gamma",
                                                   "lel", "uel", "heat_of_combustion", "burning_rate",
                                                   "k_beta")}),
}


def get_substance(name: str) -> Substance:
    """The record of ``name`` (formula, name as in ``gis.substances`` or CAS number, any case).

    Raises :class:`UnknownSubstanceError` naming the substance and the ones we know."""
    key = normalise_substance(str(name)) if name is not None else None
    if key in SUBSTANCES:
        return SUBSTANCES[key]
    for sub in SUBSTANCES.values():
        if str(name).strip().lower() == sub.name.lower():
            return sub
    raise UnknownSubstanceError(f"unknown substance {name!r}: the hazard table has {', '.join(SUBSTANCES)}")


def toxic_levels(sub: Substance) -> list[tuple[str, str, float | None]]:
    """(zone colour, guideline name, threshold ppm or None) for red/orange/yellow, AEGL first, ERPG fallback.

    The guideline family is chosen per substance (AEGL when it has any, else ERPG) so the three levels
    stay mutually consistent; a level the family does not define yields ``None`` (no zone drawn)."""
    if sub.aegl is not None:
        fam, vals = "AEGL", sub.aegl
    elif sub.erpg is not None:
        fam, vals = "ERPG", sub.erpg
    else:
        return []
    return [("red", f"{fam}-3", vals[2]), ("orange", f"{fam}-2", vals[1]), ("yellow", f"{fam}-1", vals[0])]
