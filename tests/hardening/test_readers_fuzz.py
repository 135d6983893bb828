"""The plant, plan and incident-script readers fed mutated inputs: a valid file with one to three things
broken at random (a value swapped for a non-finite, huge or wrongly typed one, a coordinate, a whole
file swapped for a FIFO, a link to /dev/zero, 200,000-deep nesting, non-UTF-8 bytes, an alias bomb,
stacked copies of a walkway). The reader either returns a result whose every number is finite, or
refuses with its own error type naming the problem; nothing else, and never after the time limit.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from gis.issues import PlantError
from gis.loader import load_plant
from plans.validation import PlanError, validate_text
from tests.conftest import MINI_PLANT, REPO
from tests.hardening.support import budget, deep_json, deep_yaml, hostile_scalar, nested, time_limit, yaml_bomb

LAYERS = ("site", "buildings", "zones", "walkways", "exits", "assembly_points", "hazard_sources", "sensors",
          "resources")
PLAN_FILES = sorted((REPO / "data" / "plans").glob("*.yaml"))
SCRIPT = """\
format: commandcenter-incident-script/1
incident: {id: FZ-1, title: "fuzz", start: "2026-11-22T09:00:00+08:00", exercise: true, level: L1, close_at: "00:20:00"}
injects:
  - {at: 0, type: sensor.reading, sensor_id: S1, value: 4.0, unit: ppm}
  - {at: 30, type: sensor.alarm, sensor_id: S1, level: alarm, value: 26.0, unit: ppm, substance: H2S}
  - {at: 50, type: position.reported, person_id: P001, x: 668030.0, y: 3571080.0, status: on_site}
  - {at: 60, type: note.added, by: P001, text: "confirmed"}
  - {at: "01:30", type: plan.launched, plan_id: h2s-release, level: L2, place: S1, by: P001}
  - {at: "03:00", type: person.mustered, person_id: P002, assembly_point_id: AP1}
  - {at: "04:00", type: level.changed, to: L3, reason: "casualty"}
"""


# ------------------------------------------------------------------------------------------------ plants

def _write_json(p: Path, doc: Any) -> None:
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _coords_paths(c: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(c, list) and c and all(isinstance(v, int | float) for v in c):
        return [(*path, i) for i in range(len(c))]
    if isinstance(c, list):
        return [p for i, v in enumerate(c) for p in _coords_paths(v, (*path, i))]
    return []


@st.composite
def plant_mutation(draw: st.DrawFn) -> tuple[str, Any]:
    kind = draw(st.sampled_from(["property", "property", "coordinate", "geometry", "file", "csv", "site_yaml",
                                 "stack", "drop"]))
    layer = draw(st.sampled_from(LAYERS))
    if kind == "property":
        key = draw(st.sampled_from(["id", "name", "kind", "width_m", "capacity", "capacity_pps", "speed_factor",
                                    "one_way", "inventory_kg", "pressure_bar", "temperature_c", "warn", "alarm",
                                    "quantity", "expires", "floors", "occupancy", "risk", "substance", "unit",
                                    "timezone", "extra"]))
        return kind, (layer, draw(st.integers(0, 20)), key, draw(hostile_scalar()))
    if kind == "coordinate":
        return kind, (layer, draw(st.integers(0, 20)), draw(st.integers(0, 50)), draw(hostile_scalar()))
    if kind == "geometry":
        geom = draw(st.sampled_from([None, {}, {"type": "Point"}, {"type": "LineString", "coordinates": []},
                                     {"type": "LineString", "coordinates": [[0, 0]]},
                                     {"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [0, 0], [0, 0]]]},
                                     {"type": "GeometryCollection", "geometries": []},
                                     {"type": "Point", "coordinates": nested(40)},
                                     {"type": "MultiLineString", "coordinates": [[[0, 0], [0, 0]]]}]))
        return kind, (layer, draw(st.integers(0, 20)), geom)
    if kind == "file":
        what = draw(st.sampled_from(["deep", "non_utf8", "truncate", "empty", "null", "list", "no_features",
                                     "fifo", "dev_zero", "dangling", "folder", "bom"]))
        return kind, (layer, what, draw(st.integers(10, 200_000)))
    if kind == "csv":
        table = draw(st.sampled_from(["personnel", "population"]))
        cells = draw(st.lists(st.one_of(hostile_scalar().map(str), st.just("")), min_size=1, max_size=10))
        return kind, (table, cells, draw(st.booleans()))
    if kind == "site_yaml":
        return kind, draw(st.one_of(st.sampled_from([yaml_bomb(), deep_yaml(), "- a\n- b\n", "name: [1, 2]\n",
                                                     "timezone: 5\n", "crs: {a: 1}\n", "crs: EPSG:4326\n",
                                                     "crs: EPSG:2249\n", "name: &a x\nname_en: *a\n"]),
                                    hostile_scalar().map(lambda v: yaml.safe_dump({"name": v}))))
    if kind == "stack":
        return kind, draw(st.sampled_from([1, 30, 300, 3000]))
    return kind, layer


def _readable_doc(p: Path) -> Any:
    """The FeatureCollection in ``p`` if an earlier mutation left one (and a plain file) there, else None."""
    if p.is_symlink() or not p.is_file():
        return None
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (ValueError, RecursionError):
        return None
    ok = isinstance(doc, dict) and isinstance(doc.get("features"), list) and all(
        isinstance(f, dict) and isinstance(f.get("properties"), dict) and isinstance(f.get("geometry"), dict)
        for f in doc["features"])
    return doc if ok else None


def _apply(folder: Path, mutation: tuple[str, Any]) -> None:
    kind, arg = mutation
    if kind in ("property", "coordinate", "geometry"):
        layer, index, *rest = arg
        p = folder / f"{layer}.geojson"
        doc = _readable_doc(p)
        if doc is None or not doc["features"]:
            return
        feats = doc["features"]
        feat = feats[index % len(feats)]
        if kind == "property":
            feat["properties"][rest[0]] = rest[1]
        elif kind == "coordinate":
            spots = _coords_paths(feat["geometry"].get("coordinates"))
            if not spots:
                return
            target = feat["geometry"]["coordinates"]
            *head, last = spots[rest[0] % len(spots)]
            for i in head:
                target = target[i]
            target[last] = rest[1]
        else:
            feat["geometry"] = rest[0]
        p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")  # NaN/Infinity tokens allowed here
    elif kind == "file":
        layer, what, depth = arg
        p = folder / f"{layer}.geojson"
        if p.is_symlink() or not p.is_file():
            return
        text = p.read_text(encoding="utf-8", errors="replace")
        p.unlink()
        if what == "deep":
            p.write_text(deep_json(depth), encoding="utf-8")
        elif what == "non_utf8":
            p.write_bytes(text[:40].encode() + b"\xff\xfe\xc0\x80" + text[40:].encode())
        elif what == "truncate":
            p.write_text(text[: depth % max(1, len(text))], encoding="utf-8")
        elif what in ("empty", "null", "list", "no_features"):
            p.write_text({"empty": "", "null": "null", "list": "[]",
                          "no_features": '{"type": "FeatureCollection"}'}[what], encoding="utf-8")
        elif what == "fifo":
            os.mkfifo(p)
        elif what == "dev_zero":
            os.symlink("/dev/zero", p)
        elif what == "dangling":
            os.symlink(folder / "elsewhere.geojson", p)
        elif what == "folder":
            p.mkdir()
        else:
            p.write_text("\ufeff" + text, encoding="utf-8")
    elif kind == "csv":
        table, cells, replace = arg
        p = folder / f"{table}.csv"
        line = ",".join(c.replace("\n", " ").replace("\r", " ") for c in cells)
        if replace:
            p.write_text(p.read_text(encoding="utf-8").splitlines()[0] + "\n" + line + "\n", encoding="utf-8")
        else:
            p.write_text(p.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    elif kind == "site_yaml":
        (folder / "site.yaml").write_text(arg, encoding="utf-8")
    elif kind == "stack":
        doc = _readable_doc(folder / "walkways.geojson")
        if doc is None or not doc["features"]:
            return
        base = doc["features"][0]
        doc["features"] += [{**base, "properties": {**base["properties"], "id": f"S{k}"}} for k in range(arg)]
        _write_json(folder / "walkways.geojson", doc)
    elif kind == "drop":
        p = folder / f"{arg}.geojson"
        if p.is_symlink() or p.is_file():
            p.unlink()


def _assert_finite_plant(plant: Any) -> None:
    for name, gdf in plant.layers.items():
        for col in gdf.columns:
            if col != gdf.geometry.name and gdf[col].dtype.kind == "f":
                values = gdf[col].to_numpy(float)
                assert not np.isinf(values).any(), f"{name}.{col} holds infinity"
        coords = np.asarray(gdf.geometry.get_coordinates().to_numpy(float))
        assert np.isfinite(coords).all(), f"{name} has non-finite coordinates"
    g = plant.graph
    for arr in (g.node_xy, g.edge_length, g.edge_width, g.edge_speed_factor, g.edge_capacity):
        assert np.isfinite(arr).all()
    if plant.population is not None and len(plant.population):
        assert np.isfinite(plant.population[["x", "y"]].to_numpy(float)).all()
    json.dumps(plant.summary(), allow_nan=False, default=str)


def _load_or_refuse(folder: Path) -> None:
    refusal: PlantError | None = None
    try:
        with time_limit():
            plant = load_plant(folder)
    except PlantError as exc:
        refusal = exc
    if refusal is None:
        _assert_finite_plant(plant)
        return
    assert refusal.errors, "PlantError without errors"
    for e in refusal.errors:
        assert e.code
        assert e.source
        assert e.message
        assert "\n" not in str(e)


@given(mutations=st.lists(plant_mutation(), min_size=1, max_size=3))
@budget(default=15, fuzz=2000)
def test_plant_reader_returns_a_finite_plant_or_named_errors(mutations: list, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("plant") / "p"
    shutil.copytree(MINI_PLANT, folder)
    for m in mutations:
        _apply(folder, m)
    _load_or_refuse(folder)


# ------------------------------------------------------------------------------------------------- plans

def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def _mutate_tree(doc: Any, where: int, value: Any, delete: bool) -> Any:
    paths = [p for p in _paths(doc) if p]
    if not paths:
        return value
    path = paths[where % len(paths)]
    target = doc
    for k in path[:-1]:
        target = target[k]
    if delete and isinstance(target, dict):
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@st.composite
def yaml_mutation(draw: st.DrawFn, base: str) -> str:
    kind = draw(st.sampled_from(["value", "value", "value", "delete", "bomb", "deep", "truncate", "alias"]))
    if kind in ("value", "delete"):
        doc = yaml.safe_load(base)
        value = draw(st.one_of(hostile_scalar(), st.sampled_from([nested(60), "L9", "*", "&"])))
        doc = _mutate_tree(doc, draw(st.integers(0, 10**6)), value, kind == "delete")
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    if kind == "bomb":
        return base + yaml_bomb(draw(st.integers(2, 9)), draw(st.integers(2, 12)))
    if kind == "deep":
        return base + "extra: " + "[" * draw(st.integers(40, 200_000)) + "]" * 3 + "\n"
    if kind == "alias":
        return "x: &x " + json.dumps(base[:200]) + "\n" + base.replace("id:", "id: *x #", 1)
    return base[: draw(st.integers(0, len(base)))]


@given(data=st.data())
@budget(default=15, fuzz=2000)
def test_plan_reader_validates_or_names_errors_and_what_validates_launches(data: st.DataObject,
                                                                         mini_plant: Any) -> None:
    from plans.engine import PlanEngine

    base = data.draw(st.sampled_from(PLAN_FILES)).read_text(encoding="utf-8")
    text = data.draw(yaml_mutation(base))
    with time_limit():
        plan, errors = validate_text(text, "fuzz.yaml")
    for e in errors:
        assert isinstance(e, PlanError)
        assert e.message
        json.dumps(e.to_dict(), allow_nan=False)
    if plan is None:
        assert errors
        return
    assert not errors
    with time_limit():
        engine = PlanEngine.for_plant({plan.id: plan}, mini_plant)
        for level in plan.level_names:
            drafts = engine.launch(plan.id, level, dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC))
            json.dumps([d.to_dict() if hasattr(d, "to_dict") else d.payload for d in drafts], allow_nan=False,
                       default=str)
            break


# ----------------------------------------------------------------------------------------------- scripts

@given(data=st.data())
@budget(default=15, fuzz=2000)
def test_script_reader_returns_a_finite_script_or_named_problems(data: st.DataObject, mini_plant: Any,
                                                                 tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.runtime.incident_script import ScriptError, load_script

    text = data.draw(yaml_mutation(SCRIPT))
    p = tmp_path_factory.mktemp("script") / "s.yaml"
    p.write_bytes(text.encode("utf-8", "surrogatepass"))
    refusal: ScriptError | None = None
    try:
        with time_limit():
            script = load_script(p, mini_plant)
    except ScriptError as exc:
        refusal = exc
    if refusal is not None:
        assert refusal.problems
        assert all(isinstance(x, str) and x for x in refusal.problems)
        return
    assert script.injects
    for j in script.injects:
        assert math.isfinite(j.at_s)
        assert j.at_s >= 0
        json.dumps(j.payload, allow_nan=False)
    assert script.close_at_s is None or math.isfinite(script.close_at_s)


def test_the_unmutated_inputs_are_accepted(mini_plant: Any, tmp_path: Path) -> None:
    """The fuzzers start from inputs the readers accept, so a refusal is caused by the mutation."""
    from commandcenter.runtime.incident_script import load_script

    for f in PLAN_FILES:
        plan, errors = validate_text(f.read_text(encoding="utf-8"), f.name)
        assert plan is not None, errors
    (tmp_path / "s.yaml").write_text(SCRIPT, encoding="utf-8")
    assert len(load_script(tmp_path / "s.yaml", mini_plant).injects) == 7
    _assert_finite_plant(mini_plant)


@pytest.mark.parametrize("what", ["fifo", "dev_zero", "dangling", "folder", "deep", "non_utf8"])
def test_each_file_level_fault_is_refused(what: str, mini_copy: Path) -> None:
    _apply(mini_copy, ("file", ("walkways", what, 200_000)))
    with time_limit(), pytest.raises(PlantError) as info:
        load_plant(mini_copy)
    assert any("walkways" in e.source for e in info.value.errors)
