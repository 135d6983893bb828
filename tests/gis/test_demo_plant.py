"""The bundled demo plant is what the foundation issue asks for, and is exactly the generator's output."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import numpy as np
import pytest

from commandcenter.cli import main
from gis.loader import load_plant
from tests.conftest import DEMO_PLANT
from tools.plantgen import generate_plant


def test_plant_check_reports_demo_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plant", "check", str(DEMO_PLANT), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    layers = out["layers"]
    assert layers["buildings"] >= 30
    assert layers["zones"] >= 6
    assert layers["exits"] >= 2
    assert layers["assembly_points"] >= 5
    assert layers["sensors"] >= 40
    assert layers["resources"] >= 60
    assert out["graph"]["edges"] >= 1500
    assert out["graph"]["components"] == 1
    assert out["personnel"] >= 300
    assert out["errors"] == []
    assert out["warnings"] == []


def test_demo_plant_is_a_mid_size_plant_in_eastern_china(demo_plant) -> None:
    assert demo_plant.source_crs.to_epsg() == 4326
    assert demo_plant.crs.to_epsg() == 32650
    minx, miny, maxx, maxy = demo_plant.bounds
    assert maxx - minx == pytest.approx(1200, rel=0.05)
    assert maxy - miny == pytest.approx(800, rel=0.05)
    assert demo_plant.timezone == "Asia/Shanghai"


def test_demo_plant_has_the_buildings_a_chemical_plant_needs(demo_plant) -> None:
    b = demo_plant.layers["buildings"]
    names = " | ".join(b["name_en"].str.lower())
    for needed in ("control room", "canteen", "substation", "fire station", "gatehouse", "warehouse", "office"):
        assert needed in names, needed
    assert (b["kind"] == "process").sum() >= 10
    tanks = b[b["name_en"].str.contains("tank TK-", regex=False)]
    assert len(tanks) >= 8
    assert set(demo_plant.layers["zones"]["risk"]) == {"A", "B", "C", "D"}


def test_demo_plant_walkways_have_every_kind_with_realistic_widths(demo_plant) -> None:
    w = demo_plant.layers["walkways"]
    assert set(w["kind"]) == {"road", "walkway", "corridor", "stair", "door", "ladder"}
    widths = w.groupby("kind")["width_m"].median()
    assert widths["road"] >= 6
    assert 0.8 <= widths["door"] <= 2.0
    assert widths["walkway"] < widths["road"]
    assert w["one_way"].any()


def test_demo_plant_hazards_cover_the_toxic_and_flammable_cases(demo_plant) -> None:
    h = demo_plant.layers["hazard_sources"]
    assert {"H2S", "NH3", "Cl2", "LPG"} <= set(h["substance"])
    assert (h["inventory_kg"] > 0).all()


def test_demo_roster_covers_three_shifts_and_emergency_roles(demo_plant) -> None:
    p = demo_plant.personnel
    assert {"A", "B", "C"} <= set(p["shift"])
    for role in ("operator", "maintenance_technician", "security_guard", "firefighter", "medic", "contractor",
                 "visitor", "shift_supervisor"):
        assert (p["role"] == role).any(), role
    assert (p["device_id"] != "").all()
    assert p["qualifications"].map(len).sum() > 300


def test_demo_population_is_on_site_and_near_walkways(demo_plant) -> None:
    pop = demo_plant.population
    assert len(pop) >= 150
    xy = pop[["x", "y"]].to_numpy(float)
    assert demo_plant.index.inside_site(xy[:, 0], xy[:, 1]).all()
    _, dist = demo_plant.graph.nearest_nodes(xy)
    assert np.max(dist) <= 50.0
    assert set(pop["id"]) <= set(demo_plant.personnel.index)


def test_committed_demo_plant_is_the_generators_output(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    generate_plant(out)
    committed = sorted(p.name for p in DEMO_PLANT.iterdir())
    assert sorted(p.name for p in out.iterdir()) == committed
    _, mismatch, errors = filecmp.cmpfiles(DEMO_PLANT, out, committed, shallow=False)
    assert errors == []
    assert mismatch == [], "regenerate with: python -m tools.plantgen data/demo_plant"


def test_ten_times_plant_has_over_20000_edges(tmp_path: Path) -> None:
    generate_plant(tmp_path / "park", scale=10)
    plant = load_plant(tmp_path / "park")
    assert plant.graph.n_edges >= 20_000
    assert plant.graph.n_components == 1
    assert plant.layer_counts()["buildings"] >= 300
