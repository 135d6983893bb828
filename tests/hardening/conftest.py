"""Hostile inputs for the hardening suite, built once per session in a temporary folder.

Every path handed to a command lives under that folder (copies of the fixtures, never the repository's
own files), so a command that writes where it is told cannot damage the repository.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import MINI_PLANT, REPO
from tests.hardening.support import deep_json, deep_yaml, yaml_bomb

MINI_SCRIPT = """\
format: commandcenter-incident-script/1
incident: {id: HARD-1, title: "hardening drill", start: "2026-11-22T09:00:00+08:00", exercise: true}
injects:
  - {at: 0, type: note.added, text: "start"}
  - {at: "00:30", type: sensor.reading, sensor_id: S1, value: 12.0, unit: ppm}
"""


def edit_layer(folder: Path, layer: str, fn) -> None:  # type: ignore[no-untyped-def]
    """Rewrite ``folder/layer.geojson`` through ``fn(doc)`` (which may return replacement text)."""
    p = folder / f"{layer}.geojson"
    doc = json.loads(p.read_text(encoding="utf-8"))
    text = fn(doc)
    p.write_text(text if isinstance(text, str) else json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _feature(doc: dict, fid: str) -> dict:
    return next(f for f in doc["features"] if f["properties"].get("id") == fid)


@dataclass
class Pool:
    """Paths for the CLI fuzzer: valid inputs, hostile inputs, and fresh places to write."""

    root: Path
    plant: Path
    gpkg: Path | None
    plans: Path
    script: Path
    population: Path
    readings: Path
    zones: Path | None
    export: Path | None
    db: Path | None
    incident_id: str | None
    inputs: list[Path] = field(default_factory=list)
    hostile: dict[str, Path] = field(default_factory=dict)
    _n: itertools.count = field(default_factory=itertools.count)

    def fresh_dir(self) -> Path:
        """A new empty folder."""
        d = self.root / "out" / f"o{next(self._n)}"
        d.mkdir(parents=True)
        return d


def _plant_variants(root: Path) -> dict[str, Path]:
    """Copies of the mini plant, each broken in one hostile way."""
    out: dict[str, Path] = {}

    def variant(name: str) -> Path:
        d = root / f"plant_{name}"
        shutil.copytree(MINI_PLANT, d)
        out[name] = d
        return d

    (variant("site_yaml_bomb") / "site.yaml").write_text(yaml_bomb(), encoding="utf-8")
    (variant("site_yaml_deep") / "site.yaml").write_text(deep_yaml(), encoding="utf-8")
    d = variant("fifo_layer")
    (d / "walkways.geojson").unlink()
    os.mkfifo(d / "walkways.geojson")
    d = variant("dev_zero_layer")
    (d / "sensors.geojson").unlink()
    os.symlink("/dev/zero", d / "sensors.geojson")
    d = variant("dangling_layer")
    (d / "exits.geojson").unlink()
    os.symlink(d / "exits-moved-away.geojson", d / "exits.geojson")
    (variant("deep_json") / "zones.geojson").write_text(deep_json(), encoding="utf-8")
    (variant("non_utf8") / "buildings.geojson").write_bytes(b'{"type": "FeatureCollection", "features": [\xff\xfe]}')
    edit_layer(variant("nan_token"), "walkways",
               lambda doc: json.dumps(doc).replace('"width_m": 6', '"width_m": NaN', 1))

    def huge(doc: dict) -> None:
        _feature(doc, "R1")["geometry"]["coordinates"][1] = [1e200, 3571040.0]
    edit_layer(variant("huge_coordinates"), "walkways", huge)
    edit_layer(variant("huge_capacity"), "assembly_points", lambda doc: _set(doc, "AP1", capacity=10**400))

    def degenerate(doc: dict) -> None:
        for f in doc["features"]:
            c = f["geometry"]["coordinates"][0]
            f["geometry"]["coordinates"] = [c, c]
    edit_layer(variant("degenerate_walkways"), "walkways", degenerate)

    def stacked(doc: dict) -> None:
        base = _feature(doc, "R1")
        for k in range(3000):
            doc["features"].append({**base, "properties": {**base["properties"], "id": f"COPY-{k}"}})
    edit_layer(variant("stacked_walkways"), "walkways", stacked)
    edit_layer(variant("id_lists"), "buildings", lambda doc: _set(doc, "B1", id=["B1", "B2"]))
    pop = variant("person_far_away") / "population.csv"
    pop.write_text(pop.read_text(encoding="utf-8") + "P005,673000.0,3571080.0,,,normal\n", encoding="utf-8")
    pop = variant("population_non_finite") / "population.csv"
    pop.write_text("id,x,y,speed_mps,premovement_s,mobility\nP001,nan,3571080,inf,-1,normal\n"
                   f"P002,{'1' * 400},3571080,,,normal\n", encoding="utf-8")
    return out


def _set(doc: dict, fid: str, **values: object) -> None:
    _feature(doc, fid)["properties"].update(values)


def _plan_variants(root: Path) -> Path:
    """A plan folder holding one good plan and broken ones: NaN deadline, alias bomb, deep nesting,
    non-UTF-8, a dangling link and a FIFO."""
    d = root / "plans_hostile"
    d.mkdir()
    good = (REPO / "data" / "plans" / "h2s_release.yaml").read_text(encoding="utf-8")
    (d / "good.yaml").write_text(good, encoding="utf-8")
    (d / "nan.yaml").write_text(good.replace("deadline_s: ", "deadline_s: .nan #", 1), encoding="utf-8")
    (d / "bomb.yaml").write_text(yaml_bomb(), encoding="utf-8")
    (d / "deep.yaml").write_text(deep_yaml(), encoding="utf-8")
    (d / "latin1.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    os.symlink(d / "gone.yaml", d / "dangling.yaml")
    os.mkfifo(d / "fifo.yaml")
    return d


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Named hostile inputs: broken plant folders (``plant_*``), files and special files."""
    root = tmp_path_factory.mktemp("hostile")
    files: dict[str, Path] = {f"plant_{k}": v for k, v in _plant_variants(root).items()}
    files["plans_hostile"] = _plan_variants(root)
    files["missing"] = root / "missing" / "nothing.here"
    (root / "empty").mkdir()
    files["empty_dir"] = root / "empty"
    os.mkfifo(root / "fifo")
    files["fifo"] = root / "fifo"
    os.symlink("/dev/zero", root / "zero.geojson")
    files["dev_zero"] = root / "zero.geojson"
    os.symlink(root / "gone", root / "dangling.yaml")
    files["dangling"] = root / "dangling.yaml"
    for name, data in (("non_utf8.yaml", b"a: \xff\xfe\xfd\n"), ("non_utf8.csv", b"id,x\n\xff,\xfe\n"),
                       ("garbage.gz", b"\x1f\x8b\x08\x00not really gzip" * 10), ("garbage.jsonl", b"{{{\n[1,\n"),
                       ("garbage.gpkg", b"SQLite format 3\x00" + b"\x00" * 200), ("empty.yaml", b"")):
        (root / name).write_bytes(data)
        files[name] = root / name
    (root / "deep.json").write_text(deep_json(), encoding="utf-8")
    files["deep.json"] = root / "deep.json"
    (root / "deep.yaml").write_text(deep_yaml(), encoding="utf-8")
    files["deep.yaml"] = root / "deep.yaml"
    (root / "bomb.yaml").write_text(yaml_bomb(), encoding="utf-8")
    files["bomb.yaml"] = root / "bomb.yaml"
    (root / "nan.geojson").write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                                      '"properties": {"band": "red"}, "geometry": {"type": "Point", '
                                      '"coordinates": [NaN, 1e400]}}]}', encoding="utf-8")
    files["nan.geojson"] = root / "nan.geojson"
    return files


@pytest.fixture(scope="session")
def pool(tmp_path_factory: pytest.TempPathFactory, hostile: dict[str, Path]) -> Pool:
    """Valid inputs (copies), an incident log with one incident, and the hostile inputs."""
    from tests.hardening.support import run_cli

    root = tmp_path_factory.mktemp("pool")
    plant = root / "plant"
    shutil.copytree(MINI_PLANT, plant)
    plans = root / "plans"
    shutil.copytree(REPO / "data" / "plans", plans)
    script = root / "script.yaml"
    script.write_text(MINI_SCRIPT, encoding="utf-8")
    population = root / "population.csv"
    shutil.copy(MINI_PLANT / "population.csv", population)
    readings = root / "readings.csv"
    readings.write_text("sensor_id,time,value,unit\nS1,2026-11-22T09:00:00+08:00,12.0,ppm\n"
                        "S2,2026-11-22T09:00:00+08:00,3.0,ppm\n", encoding="utf-8")
    zones: Path | None = root / "zones.geojson"
    rc, _, _ = run_cli(["plume", "--substance", "H2S", "--rate-kg-s", "1", "--wind-speed", "3", "--wind-from", "90",
                        "--stability", "D", "--x", "668100", "--y", "3571040", "--geojson", str(zones)])
    if rc != 0:
        zones = None
    gpkg: Path | None = root / "plant.gpkg"
    rc, _, _ = run_cli(["plant", "convert", str(plant), "--to", str(gpkg)])
    if rc != 0:
        gpkg = None
    db: Path | None = root / "log.db"
    incident_id = None
    rc, out, _ = run_cli(["incident", "open", "--plant", str(plant), "--db", str(db), "--title", "hardening",
                          "--exercise", "--json"])
    if rc == 0:
        try:
            incident_id = str(json.loads(out).get("incident"))
        except (ValueError, AttributeError):
            incident_id = None
    else:
        db = None
    export: Path | None = root / "incident.jsonl"
    if db is None or incident_id is None or run_cli(["incident", "export", str(db), incident_id, "--out",
                                                     str(export)])[0] != 0:
        export = None
    p = Pool(root, plant, gpkg, plans, script, population, readings, zones, export, db, incident_id)
    p.inputs = [x for x in (plant, gpkg, plans, script, population, db) if x is not None] + list(hostile.values())
    p.hostile = hostile
    return p
