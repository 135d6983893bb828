"""The substance library as data: every supervised chemical resolvable, every value in range and sourced,
the physical properties exactly what the ``chemicals`` package gives."""

from __future__ import annotations

import math

import pytest

from gis.hazards.library import DATA_DIR, UnknownSubstanceError, library, load_library
from gis.hazards.substances import SUBSTANCES, SubstanceNotModelled, get_substance, toxic_levels
from gis.substances import is_valid_cas, normalise_substance

# 重点监管的危险化学品名录 as published: first batch (安监总管三〔2011〕95号) and second batch
# (安监总管三〔2013〕12号), (number, Chinese name, CAS). Typed from the notices, independently of the CSV.
FIRST_BATCH = [
    (1, "氯", "7782-50-5"), (2, "氨", "7664-41-7"), (3, "液化石油气", "68476-85-7"), (4, "硫化氢", "7783-06-4"),
    (5, "甲烷", "74-82-8"), (5, "天然气", "8006-14-2"), (6, "原油", None), (7, "汽油", "8006-61-9"),
    (7, "石脑油", "8030-30-6"), (8, "氢", "1333-74-0"), (9, "苯", "71-43-2"), (10, "碳酰氯", "75-44-5"),
    (11, "二氧化硫", "7446-09-5"), (12, "一氧化碳", "630-08-0"), (13, "甲醇", "67-56-1"), (14, "丙烯腈", "107-13-1"),
    (15, "环氧乙烷", "75-21-8"), (16, "乙炔", "74-86-2"), (17, "氟化氢", "7664-39-3"), (18, "氯乙烯", "75-01-4"),
    (19, "甲苯", "108-88-3"), (20, "氰化氢", "74-90-8"), (21, "乙烯", "74-85-1"), (22, "三氯化磷", "7719-12-2"),
    (23, "硝基苯", "98-95-3"), (24, "苯乙烯", "100-42-5"), (25, "环氧丙烷", "75-56-9"), (26, "一氯甲烷", "74-87-3"),
    (27, "1,3-丁二烯", "106-99-0"), (28, "硫酸二甲酯", "77-78-1"), (29, "氰化钠", "143-33-9"),
    (30, "丙烯", "115-07-1"), (31, "苯胺", "62-53-3"), (32, "甲醚", "115-10-6"), (33, "丙烯醛", "107-02-8"),
    (34, "氯苯", "108-90-7"), (35, "乙酸乙烯酯", "108-05-4"), (36, "二甲胺", "124-40-3"), (37, "苯酚", "108-95-2"),
    (38, "四氯化钛", "7550-45-0"), (39, "甲苯二异氰酸酯", "584-84-9"), (40, "过氧乙酸", "79-21-0"),
    (41, "六氯环戊二烯", "77-47-4"), (42, "二硫化碳", "75-15-0"), (43, "乙烷", "74-84-0"),
    (44, "环氧氯丙烷", "106-89-8"), (45, "丙酮氰醇", "75-86-5"), (46, "磷化氢", "7803-51-2"),
    (47, "氯甲基甲醚", "107-30-2"), (48, "三氟化硼", "7637-07-2"), (49, "烯丙胺", "107-11-9"),
    (50, "异氰酸甲酯", "624-83-9"), (51, "甲基叔丁基醚", "1634-04-4"), (52, "乙酸乙酯", "141-78-6"),
    (53, "丙烯酸", "79-10-7"), (54, "硝酸铵", "6484-52-2"), (55, "三氧化硫", "7446-11-9"),
    (56, "三氯甲烷", "67-66-3"), (57, "甲基肼", "60-34-4"), (58, "一甲胺", "74-89-5"), (59, "乙醛", "75-07-0"),
    (60, "氯甲酸三氯甲酯", "503-38-8"),
]
SECOND_BATCH = [
    (1, "氯酸钠", "7775-09-9"), (2, "氯酸钾", "3811-04-9"), (3, "过氧化甲乙酮", "1338-23-4"),
    (4, "过氧化苯甲酰", "94-36-0"), (5, "硝化纤维素", "9004-70-0"), (6, "硝酸胍", "506-93-4"),
    (7, "高氯酸铵", "7790-98-9"), (8, "过氧化苯甲酸叔丁酯", "614-45-9"), (9, "N,N'-二亚硝基五亚甲基四胺", "101-25-7"),
    (10, "硝基胍", "556-88-7"), (11, "2,2'-偶氮二异丁腈", "78-67-1"), (12, "偶氮二异庚腈", "4419-11-8"),
    (13, "硝化甘油", "55-63-0"), (14, "乙醚", "60-29-7"),
]
RANGES = {  # physical ranges no real value of these properties leaves
    "molar_mass": (0.001, 1.0), "boiling_point_k": (4.0, 2500.0), "vapour_pressure_pa": (1e-6, 1e8),
    "lel": (0.001, 0.2), "uel": (0.01, 1.0), "critical_temperature_k": (5.0, 1500.0),
    "critical_pressure_pa": (1e5, 5e7), "liquid_density": (50.0, 3500.0), "gamma": (1.0, 1.7),
    "heat_of_combustion": (1e6, 1.3e8), "flash_point_k": (100.0, 700.0), "burning_rate": (0.001, 0.3),
    "k_beta": (0.1, 200.0),
}
UNITS = {"molar_mass": "kg/mol", "boiling_point_k": "K", "vapour_pressure_pa": "Pa", "lel": "vol fraction",
         "uel": "vol fraction", "critical_temperature_k": "K", "critical_pressure_pa": "Pa",
         "liquid_density": "kg/m3", "gamma": "1", "heat_of_combustion": "J/kg", "flash_point_k": "K",
         "burning_rate": "kg/(m2·s)", "k_beta": "1/m"}


@pytest.mark.parametrize(("batch", "number", "name", "cas"),
                         [(1, *row) for row in FIRST_BATCH] + [(2, *row) for row in SECOND_BATCH])
def test_every_supervised_chemical_resolves_by_chinese_name_and_cas(batch, number, name, cas):
    entry = library().lookup(name)
    assert entry.supervised == (batch, number)
    if cas is not None:
        assert library().lookup(cas).key == entry.key


def test_the_library_holds_both_batches_and_at_least_100_substances():
    lib = library()
    assert len(lib) >= 100
    first = {e.supervised[1] for e in lib if e.supervised and e.supervised[0] == 1}
    second = {e.supervised[1] for e in lib if e.supervised and e.supervised[0] == 2}
    assert first == set(range(1, 61))
    assert second == set(range(1, 15))


def test_every_value_has_a_unit_a_source_a_revision_and_a_physical_range():
    for e in library():
        assert is_valid_cas(e.cas), e.key
        assert e.name_zh
        assert e.name_en
        for name, v in e.properties.items():
            assert name in RANGES, f"{e.key}: unknown property {name}"
            lo, hi = RANGES[name]
            assert math.isfinite(v.value), f"{e.key} {name}"
            assert lo <= v.value <= hi, f"{e.key} {name} = {v.value}"
            assert v.unit == UNITS[name], f"{e.key} {name} unit {v.unit}"
            assert v.source.strip(), f"{e.key} {name} has no source"
            assert v.revision.strip(), f"{e.key} {name} has no revision"
        if e.value("lel") is not None and e.value("uel") is not None:
            assert e.value("lel") < e.value("uel"), e.key


def test_thresholds_are_ordered_sourced_and_within_ppm_range():
    n_with = 0
    for e in library():
        for t in e.thresholds:
            assert t.guideline in ("AEGL", "ERPG", "PAC")
            assert t.source, e.key
            assert t.revision, e.key
            vals = [v for v in t.ppm if v is not None]
            assert vals, f"{e.key} {t.guideline}: no level at all"
            assert all(0 < v < 1e6 for v in vals)
            assert vals == sorted(vals), f"{e.key} {t.guideline} levels not increasing: {t.ppm}"
        n_with += e.guideline() is not None
    assert n_with >= 50


def test_mg_m3_thresholds_convert_at_25_c():
    # ERPG-2 of TiCl4 is 20 mg/m3; M = 189.68 g/mol → 20 × 24.465 / 189.68 = 2.58 ppm
    t = library().lookup("TiCl4").guideline()
    assert t.unit == "mg/m3"
    assert t.ppm[1] == pytest.approx(20 * 24.465 / 189.68, rel=1e-3)


def test_every_acutely_toxic_entry_has_thresholds_or_says_they_are_pending():
    for key in ("nitrobenzene", "dimethyl-sulfate", "diphosgene", "SO3", "epichlorohydrin"):
        e = library().lookup(key)
        assert e.guideline() is None
        assert e.toxic_pending


@pytest.mark.slow
def test_physical_properties_are_what_the_chemicals_package_gives():
    """Rebuild the generated table from ``chemicals`` and compare it with the file: no hand edits, not stale."""
    from gis.hazards.library_build import build_rows, render

    fresh = render(build_rows(DATA_DIR / "substances.csv"))
    assert fresh == (DATA_DIR / "properties.csv").read_text(encoding="utf-8")


def test_chemicals_values_agree_with_handbook_values():
    """Spot checks against the CRC Handbook (97th ed.): molar mass, normal boiling point, vapour pressure."""
    h2s, benzene, nh3 = (library().lookup(k) for k in ("H2S", "C6H6", "NH3"))
    assert h2s.value("molar_mass") == pytest.approx(0.034081, rel=1e-3)
    assert h2s.value("boiling_point_k") == pytest.approx(-60.3 + 273.15, abs=0.5)
    assert benzene.value("vapour_pressure_pa") == pytest.approx(10.0e3, rel=0.03)  # 10.0 kPa at 20 °C
    assert nh3.value("vapour_pressure_pa") == pytest.approx(857e3, rel=0.02)  # 8.57 bar at 20 °C


@pytest.mark.parametrize(("text", "key"), [
    ("硫化氢", "H2S"), ("7783-06-4", "H2S"), ("Hydrogen Sulfide", "H2S"), ("h2s", "H2S"), ("ＨＣＮ", "HCN"),
    ("天然气", "CH4"), ("natural gas", "CH4"), ("液氯", "Cl2"), ("光气", "COCl2"), ("1，3-丁二烯", "butadiene"),
])
def test_names_resolve_in_any_form(text, key):
    assert get_substance(text).key == key
    assert normalise_substance(text) == key


def test_an_ambiguous_formula_lists_the_candidates():
    with pytest.raises(UnknownSubstanceError, match=r"ambiguous.*ethylene oxide.*acetaldehyde"):
        get_substance("C2H4O")


def test_a_typo_suggests_the_closest_names():
    with pytest.raises(UnknownSubstanceError, match=r"did you mean.*hydrogen sulfide"):
        get_substance("hydrogen sulfid")


def test_a_solid_oxidiser_is_known_but_not_a_gas_cloud():
    with pytest.raises(SubstanceNotModelled, match="cannot be modelled"):
        get_substance("硝化纤维素")
    from gis.hazards import Release, Weather, build_scenario, compute_zones

    sc = build_scenario(Release("硝酸铵", rate_kg_s=1.0), Weather(3.0, 270.0, "D"))
    with pytest.raises(ValueError, match="neither toxic levels"):
        compute_zones(sc)


def test_toxic_levels_fall_back_from_aegl_to_erpg_to_pac():
    assert toxic_levels(SUBSTANCES["H2S"])[0][1] == "AEGL-3"
    assert toxic_levels(get_substance("丙烯腈"))[0][1] == "ERPG-3"
    assert toxic_levels(get_substance("CO2")) == [("red", "PAC-3", 50000.0), ("orange", "PAC-2", 40000.0),
                                                  ("yellow", "PAC-1", 30000.0)]


def test_a_malformed_table_is_refused_naming_the_file_and_line(tmp_path):
    for name in ("substances.csv", "properties.csv", "manual_properties.csv", "thresholds.csv"):
        (tmp_path / name).write_text((DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    p = tmp_path / "manual_properties.csv"
    p.write_text(p.read_text(encoding="utf-8") + "LPG,lel,nan,vol fraction,x,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"manual_properties.csv line \d+ .*not a finite number"):
        load_library(tmp_path)
