"""The substance records of the hazard-zone model, built from the substance library
(:mod:`gis.hazards.library`, ``data/substances/``): every value carries its source and revision there.

Toxic levels: 60-minute AEGL-1/2/3 (US EPA / National Research Council), else ERPG-1/2/3 (AIHA ERPG/WEEL
Handbook 2016), else PAC-1/2/3 (US DOE PAC Rev. 29) — one family per substance, so the three levels stay
consistent. Flammability limits and physical properties come from the ChEDL ``chemicals`` package (IEC
60079-20-1, NFPA 497, DIPPR, …), mixtures and pool-fire burning rates from the typed table with their sources.

Concentrations are converted at 25 °C and 1 atm (molar volume 24.465 L/mol), ALOHA's practice.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from gis.hazards.library import LibraryEntry, UnknownSubstanceError, library

#: molar volume of an ideal gas at 25 °C and 101 325 Pa, m3/mol (R·T/P = 8.314462·298.15/101325)
MOLAR_VOLUME_M3 = 8.314462618 * 298.15 / 101325.0
#: molar mass of dry air, kg/mol
AIR_MOLAR_MASS = 0.028964
#: heat-capacity ratio assumed when the library has no ideal-gas heat capacity (stated in the warnings)
DEFAULT_GAMMA = 1.3


class SubstanceNotModelled(UnknownSubstanceError):
    """The substance is in the library but cannot be modelled as an airborne cloud (solid, explosive,
    mixture without properties); the message says why and what to model instead."""


@dataclass(frozen=True)
class Substance:
    """Physical, toxic and flammable data of one substance (SI units; concentrations in ppm by volume).

    ``aegl``/``erpg``/``pac`` hold the 60-minute levels 1/2/3 in ppm (``None`` for a level not established,
    e.g. AEGL-1 of CO); ``lel``/``uel`` are volume fractions (0.05 = 5 vol%). ``boiling_point_k`` is None for
    a substance that decomposes before boiling. ``sources`` names, per field, where the value comes from;
    ``toxic_pending`` says why an acutely toxic substance has no thresholds yet.
    """

    key: str
    name: str
    molar_mass: float  # kg/mol
    boiling_point_k: float | None
    liquid_density: float | None = None  # kg/m3, saturated liquid at 20 °C (at Tb for cryogens)
    gamma: float = DEFAULT_GAMMA  # heat-capacity ratio cp/cv of the gas at 25 °C
    aegl: tuple[float | None, float | None, float | None] | None = None
    erpg: tuple[float | None, float | None, float | None] | None = None
    lel: float | None = None
    uel: float | None = None
    heat_of_combustion: float | None = None  # J/kg, lower
    burning_rate: float | None = None  # kg/(m2·s), large-pool mass burning rate m''∞
    k_beta: float | None = None  # 1/m, extinction-absorption coefficient of Babrauskas' burning-rate law
    sources: dict[str, str] = field(default_factory=dict)
    pac: tuple[float | None, float | None, float | None] | None = None
    cas: str = ""
    name_zh: str = ""
    vapour_pressure_pa: float | None = None  # at 20 °C; None above the critical temperature
    toxic_pending: str = ""

    @property
    def toxic(self) -> bool:
        """True when the substance has toxic levels (AEGL, ERPG or PAC)."""
        return self.aegl is not None or self.erpg is not None or self.pac is not None

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


_FIELDS = ("boiling_point_k", "liquid_density", "gamma", "lel", "uel", "heat_of_combustion", "burning_rate",
           "k_beta", "vapour_pressure_pa")


def substance_from_entry(e: LibraryEntry) -> Substance:
    """The model record of one library entry. Raises :class:`SubstanceNotModelled` when it has no molar
    mass (a mixture of unknown composition, a polymer)."""
    mm = e.properties.get("molar_mass")
    if mm is None:
        raise SubstanceNotModelled(f"{e.name_en} {e.name_zh} ({e.key}) cannot be modelled as a gas cloud: "
                                   f"{e.note or 'the library has no molar mass for it'}")
    sources = {"molar_mass": f"{mm.source} [{mm.revision}]"}
    vals: dict[str, float | None] = {}
    for f in _FIELDS:
        p = e.properties.get(f)
        vals[f] = None if p is None else p.value
        if p is not None:
            sources[f] = f"{p.source} [{p.revision}]"
    if vals["gamma"] is None:
        vals["gamma"] = DEFAULT_GAMMA
        sources["gamma"] = f"default {DEFAULT_GAMMA} (no ideal-gas heat capacity in the library)"
    levels: dict[str, tuple[float | None, float | None, float | None]] = {}
    for t in e.thresholds:
        levels.setdefault(t.guideline, t.ppm)
        sources.setdefault(t.guideline.lower(), f"{t.source} [{t.revision}]")
    return Substance(e.key, e.name_en, mm.value, vals["boiling_point_k"], vals["liquid_density"],
                     float(vals["gamma"]), levels.get("AEGL"), levels.get("ERPG"), vals["lel"], vals["uel"],
                     vals["heat_of_combustion"], vals["burning_rate"], vals["k_beta"], sources, levels.get("PAC"),
                     e.cas, e.name_zh, vals["vapour_pressure_pa"], e.toxic_pending)


@functools.lru_cache(maxsize=1)
def _all_substances() -> dict[str, Substance]:
    out = {}
    for e in library():
        try:
            out[e.key] = substance_from_entry(e)
        except SubstanceNotModelled:
            continue
    return out


#: key → model record of every library entry that can be modelled (a read-only view; built on first use)
SUBSTANCES: dict[str, Substance] = _all_substances()


def get_substance(name: str) -> Substance:
    """The record of ``name``: key, Chinese or English name, alias, CAS number or a formula only one
    substance has (any case, full- or half-width).

    Raises :class:`UnknownSubstanceError` with the closest names, or :class:`SubstanceNotModelled` for a
    library entry that is not an airborne hazard (it says why)."""
    entry = library().lookup(name)
    if entry.key in SUBSTANCES:
        return SUBSTANCES[entry.key]
    return substance_from_entry(entry)


def toxic_levels(sub: Substance) -> list[tuple[str, str, float | None]]:
    """(zone colour, guideline name, threshold ppm or None) for red/orange/yellow: AEGL first, then ERPG,
    then PAC.

    The guideline family is chosen per substance so the three levels stay mutually consistent; a level the
    family does not define yields ``None`` (no zone drawn)."""
    for fam, vals in (("AEGL", sub.aegl), ("ERPG", sub.erpg), ("PAC", sub.pac)):
        if vals is not None:
            return [("red", f"{fam}-3", vals[2]), ("orange", f"{fam}-2", vals[1]), ("yellow", f"{fam}-1", vals[0])]
    return []
