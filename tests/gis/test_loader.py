"""Loading valid plant packages: projection, defaults, graph joins, warnings and the GeoPackage round trip."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from commandcenter.cli import main
from gis.loader import load_plant
from tests.conftest import MINI_PLANT


def _reproject_folder_to_wgs84(folder: Path) -> None:
    tr = Transformer.from_crs(32650, 4326, always_xy=True)

    def conv(c):
        if isinstance(c[0], (int, float)):
            lon, lat = tr.transform(c[0], c[1])
            return [round(lon, 9), round(lat, 9)]
        return [conv(x) for x in c]

    for f in folder.glob("*.geojson"):
        doc = json.loads(f.read_text(encoding="utf-8"))
        doc.pop("crs")
        for feat in doc["features"]:
            feat["geometry"]["coordinates"] = conv(feat["geometry"]["coordinates"])
        f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    pop = folder / "population.csv"
    lines = pop.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        parts = line.split(",")
        lon, lat = tr.transform(float(parts[1]), float(parts[2]))
        parts[1], parts[2] = repr(lon), repr(lat)
        out.append(",".join(parts))
    pop.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_mini_plant_loads_with_every_layer(mini_plant) -> None:
    assert mini_plant.layer_counts() == {"site": 1, "buildings": 2, "zones": 2, "walkways": 11, "exits": 2,
                                         "assembly_points": 2, "hazard_sources": 1, "sensors": 2, "resources": 2}
    assert mini_plant.crs.to_epsg() == 32650
    assert mini_plant.timezone == "Asia/Shanghai"
    assert len(mini_plant.personnel) == 5
    assert mini_plant.personnel.loc["P001", "qualifications"] == ("incident_command", "scba")
    assert mini_plant.warnings == []


def test_geographic_package_is_projected_to_local_utm(mini_copy: Path, mini_plant) -> None:
    _reproject_folder_to_wgs84(mini_copy)
    plant = load_plant(mini_copy)
    assert plant.source_crs.to_epsg() == 4326
    assert plant.crs.to_epsg() == 32650  # lon ≈ 118.8° E lies in UTM zone 50 N
    a = plant.layers["buildings"].geometry["B1"]
    b = mini_plant.layers["buildings"].geometry["B1"]
    assert a.symmetric_difference(b).area < 0.01
    assert plant.graph.stats()["edges"] == mini_plant.graph.stats()["edges"]
    np.testing.assert_allclose(plant.population[["x", "y"]].to_numpy(),
                               mini_plant.population[["x", "y"]].to_numpy(), atol=1e-3)


def test_site_yaml_crs_applies_to_layers_without_one(mini_copy: Path) -> None:
    for f in mini_copy.glob("*.geojson"):
        doc = json.loads(f.read_text(encoding="utf-8"))
        doc.pop("crs")
        f.write_text(json.dumps(doc), encoding="utf-8")
    (mini_copy / "site.yaml").write_text("name: Mini\ncrs: EPSG:32650\n", encoding="utf-8")
    plant = load_plant(mini_copy)
    assert plant.crs.to_epsg() == 32650
    assert plant.name == "Mini"


def test_layers_in_different_crs_are_brought_together(mini_copy: Path, mini_plant) -> None:
    tr = Transformer.from_crs(32650, 4326, always_xy=True)
    f = mini_copy / "sensors.geojson"
    doc = json.loads(f.read_text(encoding="utf-8"))
    doc.pop("crs")
    for feat in doc["features"]:
        feat["geometry"]["coordinates"] = list(tr.transform(*feat["geometry"]["coordinates"]))
    f.write_text(json.dumps(doc), encoding="utf-8")
    plant = load_plant(mini_copy)
    got = np.array([[g.x, g.y] for g in plant.layers["sensors"].geometry])
    want = np.array([[g.x, g.y] for g in mini_plant.layers["sensors"].geometry])
    np.testing.assert_allclose(got, want, atol=1e-3)


def test_spec_defaults_are_filled(mini_plant) -> None:
    w = mini_plant.layers["walkways"]
    assert w.loc["S2", "speed_factor"] == pytest.approx(0.6)
    assert w.loc["L2", "speed_factor"] == pytest.approx(0.3)
    assert w.loc["R1", "speed_factor"] == pytest.approx(1.0)
    assert w.loc["R1", "capacity_pps"] == pytest.approx(6 * 1.3)
    assert bool(w.loc["E1", "one_way"]) is True
    assert bool(w.loc["R1", "one_way"]) is False
    assert mini_plant.layers["exits"].loc["X2", "width_m"] == pytest.approx(4.0)
    assert bool(mini_plant.layers["assembly_points"].loc["AP2", "sheltered"]) is False
    assert mini_plant.layers["sensors"].loc["S1", "unit"] == "ppm"
    assert pd.isna(mini_plant.layers["sensors"].loc["S2", "unit"])
    assert mini_plant.layers["hazard_sources"].loc["H1", "temperature_c"] == pytest.approx(20.0)
    assert mini_plant.layers["resources"].loc["RS2", "quantity"] == 1


def test_exits_and_assembly_points_join_nearest_node(mini_plant) -> None:
    aps = mini_plant.layers["assembly_points"]
    node = int(aps.loc["AP1", "node"])
    x, y = mini_plant.graph.node_xy[node] - np.array([668000.0, 3571000.0])
    assert (x, y) == pytest.approx((100.0, 0.0))
    assert aps.loc["AP1", "node_distance_m"] == pytest.approx(np.hypot(10, 10), abs=0.01)


def test_one_way_edge_keeps_digitised_direction(mini_plant) -> None:
    g = mini_plant.graph
    k = int(np.flatnonzero(g.edge_walkway == "E1")[0])
    assert g.edge_one_way[k]
    start = g.node_xy[g.edge_u[k]] - np.array([668000.0, 3571000.0])
    assert tuple(start) == pytest.approx((100.0, 40.0))


def test_component_reaching_no_assembly_point_is_warned(mini_copy: Path) -> None:
    f = mini_copy / "walkways.geojson"
    doc = json.loads(f.read_text(encoding="utf-8"))
    doc["features"].append({"type": "Feature", "properties": {"id": "ISLAND", "kind": "walkway"},
                            "geometry": {"type": "LineString",
                                         "coordinates": [[668180.0, 3571100.0], [668190.0, 3571110.0]]}})
    f.write_text(json.dumps(doc), encoding="utf-8")
    plant = load_plant(mini_copy)
    warned = [w for w in plant.warnings if w.code == "unreachable-component"]
    assert len(warned) == 1
    assert "ISLAND" in str(warned[0])
    assert plant.graph.n_components == 2


def test_feature_outside_site_is_warned(mini_copy: Path) -> None:
    f = mini_copy / "resources.geojson"
    doc = json.loads(f.read_text(encoding="utf-8"))
    doc["features"][1]["geometry"]["coordinates"] = [668500.0, 3571500.0]
    f.write_text(json.dumps(doc), encoding="utf-8")
    plant = load_plant(mini_copy)
    assert any(w.code == "outside-site" and "RS2" in str(w) for w in plant.warnings)


def test_personnel_csv_saved_by_chinese_excel_is_read(mini_copy: Path) -> None:
    csv = mini_copy / "personnel.csv"
    csv.write_bytes(csv.read_text(encoding="utf-8").encode("gb18030"))
    plant = load_plant(mini_copy)
    assert plant.personnel.loc["P001", "name"] == "张伟"


def test_single_part_multilinestring_walkway_is_accepted(mini_copy: Path) -> None:
    f = mini_copy / "walkways.geojson"
    doc = json.loads(f.read_text(encoding="utf-8"))
    g = doc["features"][0]["geometry"]
    doc["features"][0]["geometry"] = {"type": "MultiLineString", "coordinates": [g["coordinates"]]}
    f.write_text(json.dumps(doc), encoding="utf-8")
    assert load_plant(mini_copy).layer_counts()["walkways"] == 11


def test_plant_check_json_reports_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plant", "check", str(MINI_PLANT), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["layers"]["walkways"] == 11
    assert out["graph"] == {**out["graph"], "nodes": 17, "edges": 17, "components": 1}
    assert out["personnel"] == 5
    assert out["warnings"] == []
    assert out["errors"] == []


def test_convert_to_geopackage_round_trips(tmp_path: Path, mini_plant,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mini.gpkg"
    assert main(["plant", "convert", str(MINI_PLANT), "--to", str(out)]) == 0
    back = load_plant(out)
    assert back.layer_counts() == mini_plant.layer_counts()
    assert back.graph.stats() == mini_plant.graph.stats()
    assert back.crs == mini_plant.crs
    assert back.name == mini_plant.name
    assert back.timezone == mini_plant.timezone
    for name, layer in mini_plant.layers.items():
        other = back.layers[name]
        assert list(other.index) == list(layer.index), name
        assert other.geometry.geom_equals_exact(layer.geometry, tolerance=1e-6).all(), name
        cols = [c for c in layer.columns if c != "geometry"]
        for c in cols:
            a = layer[c].tolist()
            b = other[c].tolist()
            assert [None if v != v else v for v in a] == [None if v != v else v for v in b], (name, c)
    assert back.personnel.equals(mini_plant.personnel)
    np.testing.assert_allclose(back.population[["x", "y"]].to_numpy(float),
                               mini_plant.population[["x", "y"]].to_numpy(float))
    assert back.population["mobility"].tolist() == mini_plant.population["mobility"].tolist()


def test_convert_refuses_broken_plant(mini_copy: Path, tmp_path: Path) -> None:
    (mini_copy / "walkways.geojson").write_text("{", encoding="utf-8")
    assert main(["plant", "convert", str(mini_copy), "--to", str(tmp_path / "x.gpkg")]) == 1
    assert not (tmp_path / "x.gpkg").exists()


def test_feature_at_finds_points_before_polygons(mini_plant) -> None:
    hit = mini_plant.index.feature_at(668150.5, 3571080.0, tolerance_m=2.0)
    assert hit is not None
    assert (hit.layer, hit.id) == ("sensors", "S1")
    hit = mini_plant.index.feature_at(668130.0, 3571095.0, tolerance_m=2.0)
    assert hit is not None
    assert (hit.layer, hit.id) == ("buildings", "B2")
    hit = mini_plant.index.feature_at(668130.0, 3571095.0, tolerance_m=2.0, layers=("zones",))
    assert hit is not None
    assert (hit.layer, hit.id) == ("zones", "Z2")
    assert mini_plant.index.feature_at(669000.0, 3572000.0, tolerance_m=2.0) is None


def test_multipart_walkway_is_noded_part_by_part(mini_copy: Path, mini_plant) -> None:
    f = mini_copy / "walkways.geojson"
    doc = json.loads(f.read_text(encoding="utf-8"))
    road = next(feat for feat in doc["features"] if feat["properties"]["id"] == "R1")
    (x0, y0), (x1, y1) = road["geometry"]["coordinates"]
    road["geometry"] = {"type": "MultiLineString",
                        "coordinates": [[[x0, y0], [x0 + 30, y0]], [[x0 + 30, y0], [x1, y1]]]}
    other = next(feat for feat in doc["features"] if feat["properties"]["id"] == "R2")
    (a0, b0), (a1, b1) = other["geometry"]["coordinates"]
    other["geometry"] = {"type": "MultiLineString", "coordinates": [[[a0, b0], [a0, b0 + 20]], [[a0, b0 + 60],
                                                                                                  [a1, b1]]]}
    f.write_text(json.dumps(doc), encoding="utf-8")
    plant = load_plant(mini_copy)
    assert any(w.code == "multipart-walkway" and "R2" in str(w) for w in plant.warnings)
    assert "R1" in set(plant.graph.edge_walkway)
    assert plant.graph.edge_length[plant.graph.edge_walkway == "R2"].sum() == pytest.approx(
        mini_plant.graph.edge_length[mini_plant.graph.edge_walkway == "R2"].sum() - 40.0)
