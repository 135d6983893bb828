"""Writing the demo plant package: tiling copies into a park, projecting local metres to
longitude/latitude, and formatting the GeoJSON, CSV and YAML files byte for byte the same every time.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from tools.plantgen import people as staffing
from tools.plantgen import tables
from tools.plantgen.layout import LAYERS, SITE_H, SITE_W, Feat, build_layout

SITE_LON = 118.80
SITE_LAT = 32.25
UTM_CRS = "EPSG:32650"
PARK_GAP = 100.0  # gap between plants of a park, m
PARK_COLS = 5
PERSONNEL_COLUMNS = ("id", "name", "role", "team", "phone", "qualifications", "home_zone", "device_id",
                     "shift")
POPULATION_COLUMNS = ("id", "x", "y", "speed_mps", "premovement_s", "mobility")
_ID_PROPS = ("id", "owner", "building", "zone")


class _Writer:
    """Converts local metres to longitude/latitude and formats the package files."""

    def __init__(self) -> None:
        to_utm = Transformer.from_crs("EPSG:4326", UTM_CRS, always_xy=True)
        e0, n0 = to_utm.transform(SITE_LON, SITE_LAT)
        self.e0, self.n0 = float(round(e0)), float(round(n0))
        self.to_ll = Transformer.from_crs(UTM_CRS, "EPSG:4326", always_xy=True)

    def ll(self, xy: np.ndarray) -> np.ndarray:
        """(n, 2) local metres -> (n, 2) longitude/latitude rounded to 8 decimals."""
        lon, lat = self.to_ll.transform(xy[:, 0] + self.e0, xy[:, 1] + self.n0)
        return np.round(np.column_stack([lon, lat]), 8)

    def geometry(self, g: BaseGeometry) -> dict[str, Any]:
        """GeoJSON geometry of a local Point, LineString or Polygon (exterior ring counter-clockwise)."""
        if isinstance(g, Point):
            c = self.ll(np.array([[g.x, g.y]]))[0]
            return {"type": "Point", "coordinates": [float(c[0]), float(c[1])]}
        if isinstance(g, LineString):
            return {"type": "LineString", "coordinates": self.ll(np.asarray(g.coords)).tolist()}
        if isinstance(g, Polygon):
            g = orient(g, 1.0)
            rings = [g.exterior, *g.interiors]
            return {"type": "Polygon", "coordinates": [self.ll(np.asarray(r.coords)).tolist() for r in rings]}
        raise TypeError(type(g).__name__)

    def geojson(self, feats: list[Feat]) -> str:
        """An RFC 7946 FeatureCollection, one feature per line, keys sorted."""
        lines = [json.dumps({"type": "Feature", "properties": f.props, "geometry": self.geometry(f.geom)},
                            ensure_ascii=False, sort_keys=True, separators=(",", ":")) for f in feats]
        return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _csv_text(columns: Sequence[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _copy(f: Feat, prefix: str, dx: float, dy: float, owners: dict[str, str]) -> Feat:
    """Feature ``f`` of one plant of a park: owner roles resolved to ids, ids prefixed, shifted (m)."""
    props = dict(f.props)
    if "owner" in props:
        props["owner"] = owners[props["owner"]]
    for key in _ID_PROPS:
        if key in props:
            props[key] = prefix + str(props[key])
    geom = shapely.transform(f.geom, lambda c: c + np.array([dx, dy])) if (dx or dy) else f.geom
    return Feat(geom, props)


def _park(n: int, origins: list[tuple[float, float]],
          gates: dict[str, tuple[float, float]]) -> tuple[list[Feat], list[Feat], Polygon]:
    """Park roads round the ``n`` plants, a link road from every plant gate, two park gates, the site."""
    cols, rows = min(n, PARK_COLS), math.ceil(n / PARK_COLS)
    half = PARK_GAP / 2
    xs = [-half + k * (SITE_W + PARK_GAP) for k in range(cols + 1)]
    ys = [-half + k * (SITE_H + PARK_GAP) for k in range(rows + 1)]
    walks: list[Feat] = []
    exits: list[Feat] = []

    def road(coords: list[tuple[float, float]], width: float, name: str, name_en: str) -> None:
        walks.append(Feat(LineString(coords), {"id": f"PK-RD-{len(walks) + 1:03d}", "kind": "road",
                                                "width_m": width, "name": name, "name_en": name_en}))

    for j, y in enumerate(ys):
        road([(xs[0], y), (xs[-1], y)], 9.0, f"园区纬{j + 1}路", f"Park Road E{j + 1}")
    for i, x in enumerate(xs):
        road([(x, ys[0]), (x, ys[-1])], 9.0, f"园区经{i + 1}路", f"Park Road N{i + 1}")
    for p, (ox, oy) in enumerate(origins):
        for gate in tables.gates():
            name, name_en, side = gate["name"], gate["name_en"], gate["side"]
            gx, gy = gates[side][0] + ox, gates[side][1] + oy
            end = {"S": (gx, oy - half), "N": (gx, oy + SITE_H + half), "W": (ox - half, gy),
                   "E": (ox + SITE_W + half, gy)}[side]
            road([(gx, gy), end], 7.0, f"P{p + 1:02d}{name}连接路", f"P{p + 1:02d} {name_en} link road")
    y_gate = ys[len(ys) // 2]
    park_gates = (("PK-EX-W", xs[0] - half, xs[0], "园区西门", "Park west gate"),
                  ("PK-EX-E", xs[-1] + half, xs[-1], "园区东门", "Park east gate"))
    for gid, x_gate, x_road, name, name_en in park_gates:
        road([(x_gate, y_gate), (x_road, y_gate)], 9.0, f"{name}道路", f"{name_en} road")
        exits.append(Feat(Point(x_gate, y_gate), {"id": gid, "name": name, "name_en": name_en,
                                                    "width_m": 12.0}))
    return walks, exits, box(xs[0] - half, ys[0] - half, xs[-1] + half, ys[-1] + half)


def generate_plant(out_dir: str | Path, scale: int = 1, seed: int = 20261122) -> dict[str, int]:
    """Write a plant package folder and return the number of features per layer.

    The folder gets the nine layers as RFC 7946 GeoJSON (longitude/latitude, EPSG:4326), plus
    ``personnel.csv``, ``population.csv`` (x = longitude, y = latitude, in degrees) and ``site.yaml``.
    ``scale=1`` is the demo plant, about 1.2 km × 0.8 km; ``scale=N`` tiles N copies of it in rows of
    five with 100 m gaps, joined by park roads, inside one site polygon, and prefixes every id of copy
    k with ``Pkk-``. The same arguments always give byte-identical files. The returned dict also
    holds the ``personnel`` and ``population`` row counts.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    layout = build_layout(rng)
    gate_side = {g["id"]: g["side"] for g in tables.gates()}
    gates = {gate_side[f.props["id"]]: (f.geom.x, f.geom.y) for f in layout.layers["exits"]}
    layers: dict[str, list[Feat]] = {name: [] for name in LAYERS}
    personnel: list[dict[str, Any]] = []
    population: list[dict[str, Any]] = []
    phones: set[str] = set()
    origins = [((k % PARK_COLS) * (SITE_W + PARK_GAP), (k // PARK_COLS) * (SITE_H + PARK_GAP))
               for k in range(scale)]
    for k, (ox, oy) in enumerate(origins):
        prefix = f"P{k + 1:02d}-" if scale > 1 else ""
        people, owners = staffing.roster(rng, phones)
        for name in LAYERS:
            if name != "site" or scale == 1:
                layers[name] += [_copy(f, prefix, ox, oy, owners) for f in layout.layers[name]]
        for person in people:
            row = dict(person.row)
            for key in ("id", "home_zone", "device_id"):
                row[key] = prefix + row[key]
            personnel.append(row)
        for r in staffing.population(rng, layout, people):
            population.append({**r, "id": prefix + r["id"], "x": r["x"] + ox, "y": r["y"] + oy})
    if scale > 1:
        walks, exits, site = _park(scale, origins, gates)
        layers["walkways"] += walks
        layers["exits"] += exits
        layers["site"] = [Feat(site, {
            "name": f"江北新材料科技园示范化工园区({scale}座工厂)",
            "name_en": f"Jiangbei New Materials Park demonstration park ({scale} plants)",
            "timezone": "Asia/Shanghai"})]
    writer = _Writer()
    for name in LAYERS:
        (out / f"{name}.geojson").write_text(writer.geojson(layers[name]), encoding="utf-8")
    (out / "personnel.csv").write_text(_csv_text(PERSONNEL_COLUMNS, personnel), encoding="utf-8")
    if population:
        lonlat = writer.ll(np.array([[r["x"], r["y"]] for r in population]))
        population = [{**r, "x": f"{lon:.8f}", "y": f"{lat:.8f}"}
                      for r, (lon, lat) in zip(population, lonlat, strict=True)]
    (out / "population.csv").write_text(_csv_text(POPULATION_COLUMNS, population), encoding="utf-8")
    site_props = layers["site"][0].props
    site_yaml = "".join(f"{key}: {json.dumps(site_props[key], ensure_ascii=False)}\n"
                        for key in ("name", "name_en", "timezone"))
    (out / "site.yaml").write_text(site_yaml, encoding="utf-8")
    counts = {name: len(layers[name]) for name in LAYERS}
    counts["personnel"] = len(personnel)
    counts["population"] = len(population)
    return counts

