"""Small plant packages for the simulation tests and benchmarks: rooms, doors and corridors as walkways.

Geometry is given in local metres; it is written in EPSG:32650 offset to (668000, 3571000), the way an
exported package would be. A room is walked as its doors' inner nodes: everyone in it walks the straight
line to the nearest one (the access walk of ``gis.routing``), as they would across an open floor; the
door walkway (1 m long, the door's width) is the flow limit; outside, a walkway leads to an assembly
point. Corridors are walkways of their own width.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

X0, Y0 = 668000.0, 3571000.0
_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32650"}}


@dataclass
class Line:
    """A walkway: id, kind, width (m), local points, and an explicit capacity (persons/s) if any."""

    id: str
    kind: str
    width: float
    pts: list[tuple[float, float]]
    capacity: float | None = None
    speed_factor: float | None = None


@dataclass
class Layout:
    """Walkways, assembly points ``(id, (x, y), capacity)`` and the site rectangle (local metres)."""

    lines: list[Line]
    aps: list[tuple[str, tuple[float, float], int]]
    bounds: tuple[float, float, float, float]
    extra_layers: dict[str, list[dict]] = field(default_factory=dict)


def _fc(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "crs": _CRS, "features": features}, ensure_ascii=False)


def _xy(x: float, y: float) -> list[float]:
    return [X0 + x, Y0 + y]


def write_layout(out: str | Path, layout: Layout, people: np.ndarray | None = None,
                 speed: np.ndarray | float | None = None, premovement: np.ndarray | float | None = 0.0,
                 mobility: list[str] | None = None, ids: list[str] | None = None) -> Path:
    """Write ``layout`` as a GeoJSON plant package in ``out`` with a population file of ``people`` (n × 2 local
    metres); speeds and pre-movement times are written when given (None: left to the model's draws)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    x0, y0, x1, y1 = layout.bounds
    ring = [_xy(x0, y0), _xy(x1, y0), _xy(x1, y1), _xy(x0, y1), _xy(x0, y0)]
    site = {"type": "Feature", "properties": {"name": "测试厂", "name_en": "Test plant"},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}
    walks = []
    for ln in layout.lines:
        props: dict = {"id": ln.id, "kind": ln.kind, "width_m": ln.width}
        if ln.capacity is not None:
            props["capacity_pps"] = ln.capacity
        if ln.speed_factor is not None:
            props["speed_factor"] = ln.speed_factor
        walks.append({"type": "Feature", "properties": props,
                      "geometry": {"type": "LineString", "coordinates": [_xy(*p) for p in ln.pts]}})
    aps = [{"type": "Feature", "properties": {"id": i, "name": i, "capacity": c},
            "geometry": {"type": "Point", "coordinates": _xy(*p)}} for i, p, c in layout.aps]
    (out / "site.geojson").write_text(_fc([site]), encoding="utf-8")
    (out / "walkways.geojson").write_text(_fc(walks), encoding="utf-8")
    (out / "assembly_points.geojson").write_text(_fc(aps), encoding="utf-8")
    for name, feats in layout.extra_layers.items():
        (out / f"{name}.geojson").write_text(_fc(feats), encoding="utf-8")
    if people is not None:
        write_population(out / "population.csv", people, speed, premovement, mobility, ids)
    return out


def write_population(path: str | Path, people: np.ndarray, speed=None, premovement=0.0, mobility=None,
                     ids: list[str] | None = None) -> Path:
    """A population CSV (plant CRS) for local positions ``people``."""
    pts = np.asarray(people, dtype=float).reshape(-1, 2)
    n = len(pts)
    sp = None if speed is None else np.broadcast_to(np.asarray(speed, float), (n,))
    pm = None if premovement is None else np.broadcast_to(np.asarray(premovement, float), (n,))
    with Path(path).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "x", "y", "speed_mps", "premovement_s", "mobility"])
        for k in range(n):
            w.writerow([ids[k] if ids else f"P{k + 1:04d}", repr(float(X0 + pts[k, 0])), repr(float(Y0 + pts[k, 1])),
                        "" if sp is None else repr(float(sp[k])), "" if pm is None else repr(float(pm[k])),
                        mobility[k] if mobility else "normal"])
    return Path(path)


def corridor(length: float = 40.0, width: float = 2.0, *, kind: str = "corridor", capacity: float | None = None,
             ap_capacity: int = 10_000) -> Layout:
    """A straight corridor from (0, 0) to (length, 0) with the assembly point at its far end."""
    return Layout([Line("C-1", kind, width, [(0.0, 0.0), (length, 0.0)], capacity)],
                  [("AP-1", (length, 0.0), ap_capacity)], (-60.0, -60.0, length + 60.0, 60.0))


def room(width: float, height: float, doors: list[tuple[str, tuple[float, float], str, float]],
         outside_m: float = 5.0, ap_capacity: int = 10_000) -> Layout:
    """A ``width`` × ``height`` room at the origin with doors ``(id, (x, y) on the wall, side, door width)``;
    side is ``N``/``S``/``E``/``W``. Each door is a 1 m door walkway through the wall to an outside
    walkway (``outside_m`` long, 4 m wide) that ends at an assembly point of its own."""
    step = {"N": (0.0, 1.0), "S": (0.0, -1.0), "E": (1.0, 0.0), "W": (-1.0, 0.0)}
    lines, aps = [], []
    for did, (x, y), side, w in doors:
        dx, dy = step[side]
        inner = (x - 0.5 * dx, y - 0.5 * dy)
        outer = (x + 0.5 * dx, y + 0.5 * dy)
        far = (outer[0] + outside_m * dx, outer[1] + outside_m * dy)
        lines.append(Line(f"{did}", "door", w, [inner, outer]))
        lines.append(Line(f"{did}-OUT", "walkway", 4.0, [outer, far]))
        aps.append((f"AP-{did}", far, ap_capacity))
    return Layout(lines, aps, (-60.0, -60.0, width + 60.0, height + 60.0))


def uniform_positions(n: int, x0: float, y0: float, x1: float, y1: float, *, min_gap: float = 0.45,
                      seed: int = 1) -> np.ndarray:
    """``n`` positions uniform in a rectangle, at least ``min_gap`` apart (rejection sampling)."""
    rng = np.random.default_rng(seed)
    pts: list[np.ndarray] = []
    tries = 0
    while len(pts) < n:
        tries += 1
        if tries > 200 * n:
            raise ValueError(f"cannot place {n} people {min_gap} m apart in the rectangle")
        p = rng.uniform((x0, y0), (x1, y1))
        if not pts or np.min(np.hypot(*(np.asarray(pts) - p).T)) >= min_gap:
            pts.append(p)
    return np.asarray(pts)


def evacuate_package(path: str | Path, *, method: str = "shortest", record_flow: bool = True, hazard=None,
                     until_s: float | None = None):
    """Load the package at ``path`` and evacuate its population (``simulation.evacuation.evacuate``)."""
    from gis.loader import load_plant
    from gis.routing.people import people_of_plant
    from gis.routing.site import Site
    from simulation.evacuation import evacuate

    plant = load_plant(path)
    people = people_of_plant(plant)
    return plant, evacuate(Site.of_plant(plant), people, hazard, method=method, record_flow=record_flow,
                           until_s=until_s)


def walkway_edges(plant, walkway_id: str) -> list[int]:
    """Edge indices of the walkway ``walkway_id``."""
    return [int(e) for e in np.flatnonzero(plant.graph.edge_walkway.astype(str) == walkway_id)]


def entries(run, plant, walkway_id: str) -> np.ndarray:
    """Sorted entry times into walkway ``walkway_id`` (needs ``record_flow``)."""
    out = [t for e in walkway_edges(plant, walkway_id) for t in run.movement.flow.entries.get(e, [])]
    return np.sort(np.asarray(out, dtype=float))
