"""Broken variants of the mini plant: each function breaks one thing in a copy of it.

Each case names the error code the loader must report and text its message must
contain (the file or layer and the feature id), so a safety engineer could find
and fix the problem from the message alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _edit(path: Path, layer: str, fn: Callable[[dict[str, Any]], None]) -> None:
    p = path / f"{layer}.geojson"
    doc = json.loads(p.read_text(encoding="utf-8"))
    fn(doc)
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _feature(doc: dict[str, Any], fid: str) -> dict[str, Any]:
    return next(f for f in doc["features"] if f["properties"].get("id") == fid)


def _props(path: Path, layer: str, fid: str, **changes: Any) -> None:
    def fn(doc: dict[str, Any]) -> None:
        props = _feature(doc, fid)["properties"]
        for k, v in changes.items():
            if v is _DELETE:
                props.pop(k, None)
            else:
                props[k] = v
    _edit(path, layer, fn)


_DELETE = object()
E0, N0 = 668000.0, 3571000.0


@dataclass(frozen=True)
class BadCase:
    """One way to break a plant: what to do, the error code expected and text the message must hold."""

    name: str
    apply: Callable[[Path], None]
    code: str
    must_contain: tuple[str, ...]


def _missing_attribute(p: Path) -> None:
    _props(p, "assembly_points", "AP1", capacity=_DELETE)


def _wrong_geometry(p: Path) -> None:
    def fn(doc: dict[str, Any]) -> None:
        _feature(doc, "X1")["geometry"] = {"type": "LineString", "coordinates": [[E0, N0], [E0 + 5, N0]]}
    _edit(p, "exits", fn)


def _no_crs(p: Path) -> None:
    for f in p.glob("*.geojson"):
        doc = json.loads(f.read_text(encoding="utf-8"))
        doc.pop("crs", None)
        f.write_text(json.dumps(doc), encoding="utf-8")


def _crs_in_feet(p: Path) -> None:
    def fn(doc: dict[str, Any]) -> None:
        doc["crs"] = {"type": "name", "properties": {"name": "EPSG:2249"}}
    _edit(p, "walkways", fn)


def _unknown_crs(p: Path) -> None:
    def fn(doc: dict[str, Any]) -> None:
        doc["crs"] = {"type": "name", "properties": {"name": "EPSG:999999"}}
    _edit(p, "sensors", fn)


def _duplicate_id(p: Path) -> None:
    _props(p, "buildings", "B2", id="B1")


def _invalid_polygon(p: Path) -> None:
    def fn(doc: dict[str, Any]) -> None:
        ring = [[E0 + 5, N0 + 55], [E0 + 95, N0 + 115], [E0 + 95, N0 + 55], [E0 + 5, N0 + 115], [E0 + 5, N0 + 55]]
        _feature(doc, "Z1")["geometry"] = {"type": "Polygon", "coordinates": [ring]}
    _edit(p, "zones", fn)


def _unknown_enum(p: Path) -> None:
    _props(p, "walkways", "W1", kind="elevator")


def _negative_capacity(p: Path) -> None:
    _props(p, "assembly_points", "AP2", capacity=-5)


def _assembly_point_too_far(p: Path) -> None:
    def fn(doc: dict[str, Any]) -> None:
        _feature(doc, "AP2")["geometry"] = {"type": "Point", "coordinates": [E0 + 50, N0 + 110]}
    _edit(p, "assembly_points", fn)


def _empty_required_layer(p: Path) -> None:
    _edit(p, "walkways", lambda doc: doc.update(features=[]))


def _missing_required_layer(p: Path) -> None:
    (p / "assembly_points.geojson").unlink()


def _unreadable_file(p: Path) -> None:
    text = (p / "sensors.geojson").read_text(encoding="utf-8")
    (p / "sensors.geojson").write_text(text[: len(text) // 2], encoding="utf-8")


def _person_without_role(p: Path) -> None:
    csv = p / "personnel.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[3] = "P003,李强,,Fire Watch 1,13800000003,scba,Z1,DEV-3"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _duplicate_device(p: Path) -> None:
    csv = p / "personnel.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("DEV-4", "DEV-2"), encoding="utf-8")


def _unknown_substance(p: Path) -> None:
    _props(p, "hazard_sources", "H1", substance="H2SS")


def _gas_sensor_without_substance(p: Path) -> None:
    _props(p, "sensors", "S1", substance=_DELETE)


def _two_site_features(p: Path) -> None:
    def fn(doc: dict[str, Any]) -> None:
        doc["features"].append(json.loads(json.dumps(doc["features"][0])))
    _edit(p, "site", fn)


def _bad_date(p: Path) -> None:
    _props(p, "resources", "RS1", expires="next summer")


def _not_a_number(p: Path) -> None:
    _props(p, "walkways", "R1", width_m="wide")


def _bad_timezone(p: Path) -> None:
    (p / "site.yaml").write_text("name: Mini Test Plant\ntimezone: Mars/Olympus_Mons\n", encoding="utf-8")


def _population_bad_xy(p: Path) -> None:
    csv = p / "population.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[2] = "P002,east of the tank,3571080,,,normal"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _dangling_layer_link(p: Path) -> None:
    (p / "exits.geojson").unlink()
    (p / "exits.geojson").symlink_to(p / "exits-renamed.geojson")


def _fifo_layer(p: Path) -> None:
    import os

    (p / "walkways.geojson").unlink()
    os.mkfifo(p / "walkways.geojson")


def _huge_coordinate(p: Path) -> None:
    def fn(doc: dict[str, Any]) -> None:
        _feature(doc, "R1")["geometry"]["coordinates"][1] = [1e200, N0 + 40]
    _edit(p, "walkways", fn)


def _huge_capacity(p: Path) -> None:
    _props(p, "assembly_points", "AP1", capacity=10**400)


def _id_as_list(p: Path) -> None:
    _props(p, "buildings", "B1", id=["B1", "B2"])


def _zero_length_walkway(p: Path) -> None:
    def fn(doc: dict[str, Any]) -> None:
        _feature(doc, "W1")["geometry"]["coordinates"] = [[E0 + 40, N0 + 40], [E0 + 40, N0 + 40]]
    _edit(p, "walkways", fn)


def _nan_token(p: Path) -> None:
    f = p / "walkways.geojson"
    f.write_text(json.dumps(json.loads(f.read_text(encoding="utf-8"))).replace('"width_m": 6', '"width_m": NaN', 1),
                 encoding="utf-8")


def _site_yaml_alias_bomb(p: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    (p / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _stacked_walkways(p: Path) -> None:
    def fn(doc: dict[str, Any]) -> None:
        base = _feature(doc, "R1")
        doc["features"] += [{**base, "properties": {**base["properties"], "id": f"R1-COPY-{k}"}} for k in range(3000)]
    _edit(p, "walkways", fn)


BAD_CASES: tuple[BadCase, ...] = (
    BadCase("missing_required_attribute", _missing_attribute, "missing-attribute",
            ("assembly_points.geojson", "AP1", "capacity")),
    BadCase("wrong_geometry_type", _wrong_geometry, "wrong-geometry-type", ("exits.geojson", "X1", "LineString")),
    BadCase("no_crs", _no_crs, "no-crs", ("walkways.geojson", "no CRS")),
    BadCase("projected_crs_not_in_metres", _crs_in_feet, "crs-not-metres", ("walkways.geojson", "not metres")),
    BadCase("unknown_crs", _unknown_crs, "bad-crs", ("sensors.geojson", "EPSG:999999")),
    BadCase("duplicate_ids", _duplicate_id, "duplicate-id", ("buildings.geojson", "B1")),
    BadCase("invalid_polygon", _invalid_polygon, "invalid-polygon", ("zones.geojson", "Z1", "Self-intersection")),
    BadCase("unknown_enum_value", _unknown_enum, "unknown-enum", ("walkways.geojson", "W1", "elevator")),
    BadCase("negative_capacity", _negative_capacity, "negative-capacity", ("assembly_points.geojson", "AP2", "-5")),
    BadCase("assembly_point_too_far_from_walkway", _assembly_point_too_far, "too-far-from-walkway",
            ("assembly_points.geojson", "AP2", "25 m")),
    BadCase("empty_required_layer", _empty_required_layer, "empty-layer", ("walkways.geojson", "no features")),
    BadCase("missing_required_layer", _missing_required_layer, "missing-layer", ("assembly_points",)),
    BadCase("unreadable_file", _unreadable_file, "unreadable-file", ("sensors.geojson", "line")),
    BadCase("person_without_role", _person_without_role, "missing-attribute", ("personnel.csv", "P003", "role")),
    BadCase("duplicate_device_id", _duplicate_device, "duplicate-id", ("personnel.csv", "DEV-2")),
    BadCase("unknown_substance", _unknown_substance, "bad-value", ("hazard_sources.geojson", "H1", "H2SS")),
    BadCase("gas_sensor_without_substance", _gas_sensor_without_substance, "missing-attribute",
            ("sensors.geojson", "S1", "substance")),
    BadCase("site_with_two_features", _two_site_features, "too-many-features", ("site.geojson", "exactly one")),
    BadCase("bad_date", _bad_date, "bad-value", ("resources.geojson", "RS1", "ISO date")),
    BadCase("not_a_number", _not_a_number, "bad-value", ("walkways.geojson", "R1", "width_m", "wide")),
    BadCase("unknown_timezone", _bad_timezone, "bad-value", ("site.yaml", "Mars/Olympus_Mons")),
    BadCase("population_bad_coordinates", _population_bad_xy, "bad-value", ("population.csv", "P002", "x")),
    BadCase("layer_behind_dangling_link", _dangling_layer_link, "dangling-link", ("exits.geojson", "does not exist")),
    BadCase("layer_is_a_fifo", _fifo_layer, "unreadable-file", ("walkways.geojson", "FIFO")),
    BadCase("coordinate_1e200", _huge_coordinate, "out-of-range", ("walkways.geojson", "R1", "1e+200")),
    BadCase("capacity_10_to_the_400", _huge_capacity, "out-of-range", ("assembly_points.geojson", "AP1", "capacity")),
    BadCase("id_given_as_a_list", _id_as_list, "bad-value", ("buildings.geojson", "#1", "'id'", "list")),
    BadCase("zero_length_walkway", _zero_length_walkway, "degenerate-geometry", ("walkways.geojson", "W1")),
    BadCase("nan_token_in_json", _nan_token, "unreadable-file", ("walkways.geojson", "NaN")),
    BadCase("site_yaml_alias_bomb", _site_yaml_alias_bomb, "unreadable-file", ("site.yaml", "billion laughs")),
    BadCase("stacked_walkways", _stacked_walkways, "too-dense", ("walkways.geojson", "stacked")),
)
