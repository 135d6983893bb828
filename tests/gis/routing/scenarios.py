"""Test fixtures shared by the routing tests and the benchmarks: the bottleneck hall, random crowds, a hazard.

:func:`write_bottleneck_plant` writes a small plant package: ``people`` people
in a hall whose short way out is one narrow door (0.8 m, 1.04 persons/s) and
whose other way out is a wide door (3 m) onto a 170 m detour. Sending everyone
through the narrow door (the shortest route) makes them queue; using both in
the right proportion is close to the lower bound.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import shapely

from gis.routing.hazard_graph import Hazard, hazard_to_geojson
from gis.walkway_graph import WalkwayGraph

__all__ = ["hazard_geojson", "random_crowd", "ring_hazard", "write_bottleneck_plant"]

hazard_geojson = hazard_to_geojson
_X0, _Y0 = 668000.0, 3571000.0
_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32650"}}


def _fc(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "crs": _CRS, "features": features}, ensure_ascii=False)


def _line(fid: str, kind: str, width: float, pts: list[tuple[float, float]], name: str = "",
          name_en: str = "") -> dict:
    props = {"id": fid, "kind": kind, "width_m": width}
    if name:
        props |= {"name": name, "name_en": name_en or name}
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "LineString", "coordinates": [[_X0 + x, _Y0 + y] for x, y in pts]}}


def write_bottleneck_plant(out: str | Path, people: int = 400, speed: float = 1.2, seed: int = 7) -> Path:
    """Write the bottleneck scenario (a GeoJSON plant package with a population file) into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    site = {"type": "Feature", "properties": {"name": "瓶颈测试厂", "name_en": "Bottleneck test plant"},
            "geometry": {"type": "Polygon", "coordinates": [[[_X0, _Y0], [_X0 + 200, _Y0], [_X0 + 200, _Y0 + 200],
                                                             [_X0, _Y0 + 200], [_X0, _Y0]]]}}
    walks = [
        _line("D-N", "door", 0.8, [(100, 100), (100, 90)], "北侧窄门", "narrow door"),
        _line("R-1", "road", 6.0, [(100, 90), (100, 60)], "1号路", "Road 1"),
        _line("D-S", "door", 3.0, [(100, 100), (100, 110)], "南侧宽门", "wide door"),
        _line("R-2", "road", 6.0, [(100, 110), (40, 110), (40, 60), (100, 60)], "2号路", "Road 2"),
    ]
    ap = {"type": "Feature", "properties": {"id": "AP-1", "name": "广场集合点", "name_en": "Plaza assembly point",
                                            "capacity": 2000},
          "geometry": {"type": "Point", "coordinates": [_X0 + 100, _Y0 + 58]}}
    (out / "site.geojson").write_text(_fc([site]), encoding="utf-8")
    (out / "walkways.geojson").write_text(_fc(walks), encoding="utf-8")
    (out / "assembly_points.geojson").write_text(_fc([ap]), encoding="utf-8")
    rng = np.random.default_rng(seed)
    ang = rng.uniform(0, 2 * np.pi, people)
    rad = 2.5 * np.sqrt(rng.uniform(0, 1, people))
    with (out / "population.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "x", "y", "speed_mps", "premovement_s", "mobility"])
        for i in range(people):
            w.writerow([f"H{i + 1:04d}", round(_X0 + 100 + rad[i] * np.cos(ang[i]), 2),
                        round(_Y0 + 100 + rad[i] * np.sin(ang[i]), 2), speed, 0, "normal"])
    return out


def random_crowd(graph: WalkwayGraph, n: int, seed: int = 1, offset_m: float = 10.0) -> np.ndarray:
    """``n`` positions (plant CRS) within ``offset_m`` of random walkway nodes (deterministic), so that
    everyone can join the graph (the plant format joins a person to a node within 50 m)."""
    rng = np.random.default_rng(seed)
    nodes = rng.integers(0, graph.n_nodes, size=n)
    return graph.node_xy[nodes] + rng.uniform(-offset_m, offset_m, (n, 2)) / np.sqrt(2)


def ring_hazard(x: float, y: float, red_m: float = 60.0, orange_m: float = 150.0, yellow_m: float = 300.0) -> Hazard:
    """Concentric red / orange / yellow zones around (x, y), as a dispersion footprint would give."""
    red = shapely.Point(x, y).buffer(red_m)
    orange = shapely.Point(x, y).buffer(orange_m).difference(red)
    yellow = shapely.Point(x, y).buffer(yellow_m).difference(red.union(orange))
    return Hazard([red, orange, yellow], ["red", "orange", "yellow"])
