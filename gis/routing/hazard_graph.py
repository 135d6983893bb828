"""Hazard zones on the walkway graph: red closes edges, orange and yellow make them dearer.

A hazard is a set of polygons, each with a level: ``red`` (no entry), ``orange``
and ``yellow`` (passable at a cost penalty, configurable). An edge whose line
meets a polygon takes that polygon's level (the worst level when it meets
several). An assembly point inside any zone, of any level, is unsafe and is
never a destination.

Red edges are not deleted outright: a person who *starts* inside a red zone
must still be able to walk out. Routing (``gis.routing.shortest``) lets such a
person use red edges only at the start of the route — leaving the zone, never
entering one — and :class:`Penalties` prices those red metres high so the way
out is the shortest exposure.

:func:`read_hazard_geojson` reads the CLI's hazard file: a GeoJSON
FeatureCollection of (Multi)Polygons with a ``level`` property, in the plant's
CRS or in EPSG:4326 (a ``crs`` member wins; else longitude/latitude-looking
coordinates are EPSG:4326; else the plant's CRS).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import CRS

from gis.crs import WGS84, CRSProblem, looks_geographic, parse_crs, transform_geometries
from gis.walkway_graph import WalkwayGraph

LEVELS: tuple[str, ...] = ("yellow", "orange", "red")  # in increasing severity
LEVEL_RANK = {name: i + 1 for i, name in enumerate(LEVELS)}  # 0 = outside every zone


class HazardFileError(ValueError):
    """A hazard file that cannot be used; the message says why."""


@dataclass(frozen=True)
class Penalties:
    """Cost multipliers for edges in a zone. ``red`` applies only to a person leaving a red zone."""

    yellow: float = 1.5
    orange: float = 3.0
    red: float = 10.0

    def of_rank(self) -> np.ndarray:
        """Multiplier by level rank (0 outside, 1 yellow, 2 orange, 3 red)."""
        return np.array([1.0, self.yellow, self.orange, self.red])


@dataclass
class Hazard:
    """Hazard polygons (plant CRS, metres) and their levels."""

    polygons: list[shapely.Geometry] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        bad = sorted({lv for lv in self.levels if lv not in LEVEL_RANK})
        if bad:
            raise ValueError(f"unknown hazard level(s) {bad}: use red, orange or yellow")
        if len(self.polygons) != len(self.levels):
            raise ValueError("one level per polygon")

    def __len__(self) -> int:
        return len(self.polygons)

    @classmethod
    def from_zones(cls, zones: dict[str, shapely.Geometry | None]) -> Hazard:
        """A hazard from threat zones keyed by level (``{"red": poly, "orange": poly, ...}``, plant CRS),
        as the hazard-zone model produces them; empty or missing levels are skipped."""
        kept = [(level, poly) for level, poly in zones.items() if poly is not None and not poly.is_empty]
        return cls([poly for _, poly in kept], [level for level, _ in kept])

    def in_red(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Whether each point lies inside (or on the edge of) a red zone."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        out = np.zeros(len(x), dtype=bool)
        for poly, level in zip(self.polygons, self.levels, strict=True):
            if level == "red":
                shapely.prepare(poly)
                out |= shapely.intersects_xy(poly, x, y)
        return out

    def rank_at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The worst zone level rank (0-3) at each point."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        out = np.zeros(len(x), dtype=np.int8)
        for poly, level in zip(self.polygons, self.levels, strict=True):
            shapely.prepare(poly)  # many points against one polygon: index it once
            inside = shapely.intersects_xy(poly, x, y)  # inside or on the boundary
            out[inside] = np.maximum(out[inside], LEVEL_RANK[level])
        return out


@dataclass
class EdgeHazard:
    """Per-edge level rank (0 outside, 1 yellow, 2 orange, 3 red) of a graph under a hazard."""

    rank: np.ndarray

    @classmethod
    def none(cls, graph: WalkwayGraph) -> EdgeHazard:
        """No hazard: every edge outside."""
        return cls(np.zeros(graph.n_edges, dtype=np.int8))

    @property
    def red(self) -> np.ndarray:
        """Edges inside a red zone."""
        return self.rank == LEVEL_RANK["red"]

    def multiplier(self, penalties: Penalties) -> np.ndarray:
        """The cost multiplier of every edge (red edges at the red-escape penalty)."""
        return penalties.of_rank()[self.rank]


@dataclass
class EdgeBoxes:
    """Every edge's vertex count, all vertices in one array, and each edge's bounding box (built once per
    graph: a hazard only asks which boxes it meets)."""

    sizes: np.ndarray
    starts: np.ndarray
    coords: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def of(cls, graph: WalkwayGraph) -> EdgeBoxes:
        """The boxes of ``graph``'s edges."""
        sizes = np.fromiter((len(c) for c in graph.edge_coords), dtype=np.int64, count=graph.n_edges)
        coords = np.concatenate(graph.edge_coords) if graph.n_edges else np.zeros((0, 2))
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        lo = np.minimum.reduceat(coords, starts) if graph.n_edges else np.zeros((0, 2))
        hi = np.maximum.reduceat(coords, starts) if graph.n_edges else np.zeros((0, 2))
        return cls(sizes, starts, coords, lo, hi)


def apply_hazard(graph: WalkwayGraph, hazard: Hazard | None, boxes: EdgeBoxes | None = None) -> EdgeHazard:
    """The level of every edge of ``graph`` under ``hazard``. Only edges whose bounding box meets the
    hazard's are turned into lines and tested (pass the graph's ``boxes`` when already built)."""
    out = EdgeHazard.none(graph)
    if hazard is None or len(hazard) == 0 or graph.n_edges == 0:
        return out
    boxes = boxes or EdgeBoxes.of(graph)
    sizes, lo, hi = boxes.sizes, boxes.lo, boxes.hi
    x0, y0, x1, y1 = shapely.total_bounds(np.asarray(hazard.polygons, dtype=object))
    cand = np.flatnonzero((hi[:, 0] >= x0) & (lo[:, 0] <= x1) & (hi[:, 1] >= y0) & (lo[:, 1] <= y1))
    if len(cand) == 0:
        return out
    pick = np.repeat(boxes.starts[cand], sizes[cand]) + (np.arange(int(sizes[cand].sum()))
                                                         - np.repeat(np.cumsum(sizes[cand]) - sizes[cand], sizes[cand]))
    lines = shapely.linestrings(boxes.coords[pick], indices=np.repeat(np.arange(len(cand)), sizes[cand]))
    tree = shapely.STRtree(lines)
    for poly, level in zip(hazard.polygons, hazard.levels, strict=True):
        hit = cand[tree.query(poly, predicate="intersects")]
        out.rank[hit] = np.maximum(out.rank[hit], LEVEL_RANK[level])
    return out


def _features(obj: Any, source: str) -> list[dict[str, Any]]:
    if not isinstance(obj, dict) or obj.get("type") not in ("FeatureCollection", "Feature"):
        raise HazardFileError(f"{source}: expected a GeoJSON FeatureCollection of polygons")
    feats = obj["features"] if obj["type"] == "FeatureCollection" else [obj]
    if not isinstance(feats, list):
        raise HazardFileError(f"{source}: 'features' is not a list")
    return feats


def parse_hazard_geojson(obj: Any, plant_crs: CRS, source: str = "hazard") -> Hazard:
    """A :class:`Hazard` in ``plant_crs`` from a parsed GeoJSON object (see the module docstring)."""
    polygons: list[shapely.Geometry] = []
    levels: list[str] = []
    for i, feat in enumerate(_features(obj, source)):
        props = (feat or {}).get("properties") or {}
        label = f"{source} feature {props.get('id', i + 1)}"
        level = str(props.get("level", "")).strip().lower()
        if level not in LEVEL_RANK:
            raise HazardFileError(f"{label}: 'level' must be red, orange or yellow, not {props.get('level')!r}")
        try:
            geom = shapely.geometry.shape(feat["geometry"])
        except Exception as exc:  # any malformed geometry is the file's fault, reported as such
            raise HazardFileError(f"{label}: malformed geometry ({exc})") from None
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise HazardFileError(f"{label}: a {geom.geom_type}, expected a Polygon")
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        polygons.append(geom)
        levels.append(level)
    geoms = np.asarray(polygons, dtype=object)
    if "crs" in obj:
        try:
            crs = parse_crs(obj["crs"])
        except CRSProblem as exc:
            raise HazardFileError(f"{source}: {exc}") from None
    else:
        crs = WGS84 if len(geoms) and looks_geographic(geoms) else plant_crs
    if len(geoms) and crs != plant_crs:
        geoms = transform_geometries(geoms, crs, plant_crs)
    return Hazard(list(geoms), levels)


def read_hazard_geojson(path: str | Path, plant_crs: CRS) -> Hazard:
    """Read the hazard file at ``path`` into the plant's CRS; raises :class:`HazardFileError`.

    The file is read through :mod:`gis.safe_input` like every plant layer: a regular file only (a FIFO or a
    link to ``/dev/zero`` is refused, never read), at most ``MAX_LAYER_BYTES``, strict JSON (no ``NaN``).
    """
    from gis.safe_input import MAX_LAYER_BYTES, InputProblem, describe_missing, load_json, read_text

    path = Path(path)
    try:
        text = read_text(path, MAX_LAYER_BYTES)
    except FileNotFoundError:
        raise HazardFileError(f"hazard file {path} {describe_missing(path)}") from None
    except InputProblem as exc:
        raise HazardFileError(f"hazard file {exc}") from None
    except OSError as exc:
        raise HazardFileError(f"hazard file {path}: cannot read ({exc.strerror or exc})") from None
    try:
        obj = load_json(text)
    except json.JSONDecodeError as exc:
        raise HazardFileError(f"hazard file {path}: cannot read it as JSON ({exc})") from None
    except InputProblem as exc:
        raise HazardFileError(f"hazard file {path}: {exc}") from None
    stack = [obj]
    while stack:  # iterative: load_json has bounded the depth, a recursion here would not be
        v = stack.pop()
        if isinstance(v, float) and not np.isfinite(v):
            raise HazardFileError(f"hazard file {path}: a number is not finite (1e400 reads as infinity)")
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    hazard = parse_hazard_geojson(obj, plant_crs, path.name)
    if hazard.polygons:
        xy = shapely.get_coordinates(np.asarray(hazard.polygons, dtype=object))
        if not (np.isfinite(xy).all() and (np.abs(xy) <= 1e8).all()):
            raise HazardFileError(f"hazard file {path}: a coordinate is not finite or is beyond 1e8 m in the "
                                  "plant's CRS")
    return hazard


def hazard_to_geojson(hazard: Hazard, crs_name: str | None = None) -> dict:
    """A hazard as the GeoJSON FeatureCollection :func:`parse_hazard_geojson` reads (with a ``crs`` member
    when ``crs_name`` is given, e.g. ``"EPSG:32650"``)."""
    feats = [{"type": "Feature", "properties": {"level": lv}, "geometry": shapely.geometry.mapping(g)}
             for g, lv in zip(hazard.polygons, hazard.levels, strict=True)]
    obj: dict = {"type": "FeatureCollection", "features": feats}
    if crs_name:
        obj["crs"] = {"type": "name", "properties": {"name": crs_name}}
    return obj
