"""Build ``data/substances/properties.csv`` — the physical properties of the substance library — from the
maintained ChEDL ``chemicals`` package (Bell et al., https://github.com/CalebBell/chemicals), which ships its
data tables offline. Run ``python -m gis.hazards.library_build`` after adding a substance; the test suite
rebuilds the table in memory and compares it with the file, so a hand edit or a stale table is caught.

Each value names the ``chemicals`` function and the data set it came from (the first method
``chemicals`` ranks for that substance), and the revision is the ``chemicals`` version. Derived values say
how they were derived:

* vapour pressure at 20 °C: Wagner (McGarry 1983 / Poling 2001 coefficients), else Antoine (Poling 2001),
  else DIPPR eq. 101 (Perry's 8th ed. Table 2-8), used only inside each fit's temperature range; none above
  the critical temperature (a supercritical gas has no vapour pressure);
* liquid density at 20 °C (at the normal boiling point for a substance whose critical temperature is below
  20 °C): DIPPR eq. 105 (Perry's 8th ed. Table 2-32), else COSTALD (Hankinson & Thomson, AIChE J. 25 (1979)
  653) from Tc, Vc and ω;
* heat-capacity ratio γ = Cp/(Cp − R) from the TRC ideal-gas heat capacity at 25 °C (Kabo & Frenkel);
* lower heat of combustion (flammable substances only) from the gas enthalpy of formation and the
  combustion stoichiometry (``chemicals.combustion``), water as vapour.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

#: the note of an identity row whose substance is not modelled as an airborne cloud
NOT_DISPERSED = "no airborne dispersion threshold"
T_REF = 293.15  # K, the library's reference temperature for vapour pressure and liquid density
R = 8.314462618
FIELDS = ("key", "field", "value", "unit", "source", "revision")
#: methods that estimate (group contribution, correlations) or copy unreviewed web data: never used here
ESTIMATORS = frozenset({"WIKIDATA", "JOBACK", "WILSON_JASPERSON", "FEDORS", "IHMELS", "MEISSNER", "GRIGORAS",
                        "HEKAYATI", "CRITICAL_SURFACE", "SUZUKI", "MATTHEWS", "PINAMARTINES", "LEE_KESLER_OMEGA",
                        "DEFINITION"})
PROPERTY_UNITS = {"molar_mass": "kg/mol", "boiling_point_k": "K", "vapour_pressure_pa": "Pa",
                  "lel": "vol fraction", "uel": "vol fraction", "critical_temperature_k": "K",
                  "critical_pressure_pa": "Pa", "liquid_density": "kg/m3", "gamma": "1",
                  "heat_of_combustion": "J/kg", "flash_point_k": "K"}


def _vapour_pressure(cas: str, tc: float | None) -> tuple[float, str] | None:
    from chemicals.dippr import EQ101
    from chemicals.vapor_pressure import (
        Antoine,
        Psat_data_AntoinePoling,
        Psat_data_Perrys2_8,
        Psat_data_WagnerMcGarry,
        Psat_data_WagnerPoling,
        Wagner,
        Wagner_original,
    )

    if tc is not None and tc <= T_REF:
        return None
    if cas in Psat_data_WagnerMcGarry.index:
        r = Psat_data_WagnerMcGarry.loc[cas]
        if r["Tmin"] <= T_REF:
            return (float(Wagner_original(T_REF, r["Tc"], r["Pc"], r["A"], r["B"], r["C"], r["D"])),
                    "Wagner equation, McGarry (1983) coefficients")
    if cas in Psat_data_WagnerPoling.index:
        r = Psat_data_WagnerPoling.loc[cas]
        if r["Tmin"] <= T_REF <= r["Tmax"]:
            return (float(Wagner(T_REF, r["Tc"], r["Pc"], r["A"], r["B"], r["C"], r["D"])),
                    "Wagner equation, Poling et al. (2001) coefficients")
    if cas in Psat_data_AntoinePoling.index:
        r = Psat_data_AntoinePoling.loc[cas]
        if r["Tmin"] <= T_REF <= r["Tmax"]:
            return float(Antoine(T_REF, r["A"], r["B"], r["C"])), "Antoine equation, Poling et al. (2001) coefficients"
    if cas in Psat_data_Perrys2_8.index:
        r = Psat_data_Perrys2_8.loc[cas]
        if r["Tmin"] <= T_REF <= r["Tmax"]:
            return (float(EQ101(T_REF, r["C1"], r["C2"], r["C3"], r["C4"], r["C5"])),
                    "DIPPR eq. 101, Perry's 8th ed. Table 2-8")
    return None


def _liquid_density(cas: str, mw_kg: float, tc: float | None, tb: float | None) -> tuple[float, str] | None:
    from chemicals.dippr import EQ105
    from chemicals.volume import rho_data_Perry_8E_105_l as perry

    if cas not in perry.index:
        return None
    r = perry.loc[cas]
    t = T_REF if tc is None or tc > T_REF + 5 else tb
    if t is None or not r["Tmin"] <= t <= r["Tmax"]:
        return None
    rho_mol = EQ105(t, r["C1"], r["C2"], r["C3"], r["C4"])
    return rho_mol * mw_kg, f"saturated liquid at {t - 273.15:.1f} °C, DIPPR eq. 105, Perry's 8th ed. Table 2-32"


def _gamma(cas: str) -> tuple[float, str] | None:
    from chemicals.heat_capacity import TRC_gas_data, TRCCp

    if cas not in TRC_gas_data.index:
        return None
    r = TRC_gas_data.loc[cas]
    cp = TRCCp(298.15, *[float(r[k]) for k in ("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7")])
    return cp / (cp - R), "γ = Cp/(Cp − R), TRC ideal-gas Cp at 25 °C"


def _heat_of_combustion(cas: str, formula: str, mw_g: float) -> tuple[float, str] | None:
    from chemicals import Hfg, Hfg_methods
    from chemicals.combustion import combustion_data

    methods = Hfg_methods(cas)
    if not methods:
        return None
    try:
        data = combustion_data(formula, Hf=Hfg(cas))
    except Exception:  # an element combustion_data does not handle
        return None
    if data.HHV is None or data.HHV >= 0:
        return None
    n_h2o = data.stoichiometry.get("H2O", 0.0)
    lhv = -(data.HHV + n_h2o * 44011.0)  # J/mol; 44.011 kJ/mol = latent heat of water at 25 °C
    if lhv <= 0:
        return None
    return lhv / (mw_g / 1000.0), f"lower heat of combustion from Hf(gas) [{methods[0]}] and stoichiometry"


def properties_for(cas: str) -> dict[str, tuple[float, str]]:
    """Physical properties of one CAS number from ``chemicals``: field → (value in SI, how it was obtained).
    Fields are those of :data:`PROPERTY_UNITS`; a field ``chemicals`` has no data for is absent."""
    import chemicals as ch
    from chemicals.volume import COSTALD

    def measured(methods: list[str]) -> list[str]:
        return [m for m in methods if m not in ESTIMATORS]

    out: dict[str, tuple[float, str]] = {}
    meta = ch.search_chemical(cas)
    out["molar_mass"] = (meta.MW / 1000.0, "molar mass from the formula (chemicals identifiers database)")
    tb_m = measured(ch.Tb_methods(cas))
    tb = ch.Tb(cas, method=tb_m[0]) if tb_m else None
    if tb:
        out["boiling_point_k"] = (float(tb), f"Tb, method {tb_m[0]}")
    tc_m = measured(ch.Tc_methods(cas))
    tc = ch.Tc(cas, method=tc_m[0]) if tc_m else None
    if tc:
        out["critical_temperature_k"] = (float(tc), f"Tc, method {tc_m[0]}")
    pc_m = measured(ch.Pc_methods(cas))
    if pc_m:
        out["critical_pressure_pa"] = (float(ch.Pc(cas, method=pc_m[0])), f"Pc, method {pc_m[0]}")
    ps = _vapour_pressure(cas, tc)
    if ps:
        out["vapour_pressure_pa"] = (ps[0], f"Psat at 20 °C, {ps[1]}")
    for field, fn, meth in (("lel", ch.LFL, ch.LFL_methods), ("uel", ch.UFL, ch.UFL_methods)):
        m = measured(meth(CASRN=cas))
        if m:
            v = fn(CASRN=cas, method=m[0])
            if v is not None and 0 < v < 1:
                out[field] = (float(v), f"{field.upper()}, {m[0]}")
    dens = _liquid_density(cas, meta.MW / 1000.0, tc, tb)
    if dens is None:
        vc_m = measured(ch.Vc_methods(cas))
        om_m = measured(ch.omega_methods(cas))
        if tc and vc_m and om_m:
            t = T_REF if tc > T_REF + 5 else tb
            if t and t < tc:
                vm = COSTALD(t, tc, ch.Vc(cas, method=vc_m[0]), ch.omega(cas, method=om_m[0]))
                dens = (meta.MW / 1000.0 / vm, f"saturated liquid at {t - 273.15:.1f} °C, COSTALD "
                        f"(Tc {tc_m[0]}, Vc {vc_m[0]}, ω {om_m[0]})")
    if dens is not None:
        out["liquid_density"] = dens
    g = _gamma(cas)
    if g:
        out["gamma"] = g
    h = _heat_of_combustion(cas, meta.formula, meta.MW) if "lel" in out else None  # fuels only
    if h:
        out["heat_of_combustion"] = h
    fl_m = measured(ch.T_flash_methods(cas))
    if fl_m:
        out["flash_point_k"] = (float(ch.T_flash(cas, method=fl_m[0])), f"flash point, method {fl_m[0]}")
    return out


def build_rows(identity_csv: Path) -> list[dict[str, str]]:
    """Rows of properties.csv for every substance of the identity table that has a CAS number known to
    ``chemicals`` (the substance's own, or its ``surrogate_cas`` for a mixture)."""
    import chemicals as ch

    rows = []
    with identity_csv.open(encoding="utf-8", newline="") as fh:
        for ident in csv.DictReader(fh):
            cas = ident["surrogate_cas"] or ident["cas"]
            if ident["key"] in ("LPG", "crude-oil", "nitrocellulose"):
                continue  # mixtures/polymers: typed in manual_properties.csv or no properties
            try:
                props = properties_for(cas)
            except ValueError:
                continue
            via = f" (surrogate {cas})" if ident["surrogate_cas"] else ""
            if NOT_DISPERSED in ident["note"]:  # solids, explosives, peroxides: identity and molar mass only
                props = {"molar_mass": props["molar_mass"]}
            for field in PROPERTY_UNITS:
                if field in props:
                    value, how = props[field]
                    if not math.isfinite(value):
                        continue
                    rows.append({"key": ident["key"], "field": field, "value": f"{value:.6g}",
                                 "unit": PROPERTY_UNITS[field], "source": f"chemicals: {how}{via}",
                                 "revision": f"chemicals {ch.__version__}"})
    return rows


def render(rows: list[dict[str, str]]) -> str:
    """The CSV text of ``rows``."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main() -> None:
    """Rewrite data/substances/properties.csv from ``chemicals``."""
    from gis.hazards.library import DATA_DIR

    text = render(build_rows(DATA_DIR / "substances.csv"))
    (DATA_DIR / "properties.csv").write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10)) - 1} values to {DATA_DIR / 'properties.csv'}")


if __name__ == "__main__":
    main()
