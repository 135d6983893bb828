"""The plant as the report draws it: outlines, walkway segments, assembly points and sensors as plain arrays
(m, plant CRS), taken once from a loaded plant package (:func:`gis.loader.load_plant`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from commandcenter.report.data import AssemblyPoint


@dataclass
class PlantGeometry:
    """What the snapshots and the HTML map draw of the plant."""

    name: str
    crs: Any  # a pyproj CRS (or its string), for the HTML map's lon/lat
    timezone: str | None
    site: list[np.ndarray] = field(default_factory=list)  # exterior rings
    buildings: list[tuple[str, str, np.ndarray]] = field(default_factory=list)  # id, name, exterior ring
    edges: list[np.ndarray] = field(default_factory=list)  # walkway graph edge polylines (index = edge id)
    assembly_points: list[AssemblyPoint] = field(default_factory=list)
    sensors: dict[str, tuple[float, float]] = field(default_factory=dict)

    def bounds(self) -> tuple[float, float, float, float] | None:
        """``(xmin, ymin, xmax, ymax)`` of the site (else the buildings), None when empty."""
        rings = self.site or [b[2] for b in self.buildings]
        if not rings:
            return None
        allpts = np.concatenate(rings)
        return (float(allpts[:, 0].min()), float(allpts[:, 1].min()), float(allpts[:, 0].max()),
                float(allpts[:, 1].max()))


def _rings(geom: Any) -> list[np.ndarray]:
    if geom is None or geom.is_empty:
        return []
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom] if geom.geom_type == "Polygon" else []
    return [np.asarray(p.exterior.coords)[:, :2] for p in polys]


def _text(row: Any, key: str, default: str) -> str:
    v = row.get(key) if hasattr(row, "get") else None
    return default if v is None or (isinstance(v, float) and not np.isfinite(v)) else str(v)


def plant_geometry(plant: Any) -> PlantGeometry:
    """The drawable geometry of a loaded plant."""
    layers = plant.layers
    out = PlantGeometry(name=str(plant.name), crs=getattr(plant, "crs", None),
                        timezone=getattr(plant, "timezone", None))
    site = layers.get("site")
    if site is not None:
        for g in site.geometry:
            out.site += _rings(g)
    b = layers.get("buildings")
    if b is not None:
        for fid, row in b.iterrows():
            for ring in _rings(row.geometry):
                out.buildings.append((str(fid), _text(row, "name", str(fid)), ring))
    graph = getattr(plant, "graph", None)
    if graph is not None:
        out.edges = [np.asarray(c)[:, :2] for c in graph.edge_coords]
    ap = layers.get("assembly_points")
    if ap is not None:
        for fid, row in ap.iterrows():
            pt = row.geometry
            if pt is None or pt.is_empty:
                continue
            cap = row.get("capacity")
            out.assembly_points.append(AssemblyPoint(str(fid), _text(row, "name", str(fid)), float(pt.x), float(pt.y),
                                                     int(cap) if cap is not None and np.isfinite(cap) else None))
    sensors = layers.get("sensors")
    if sensors is not None:
        for fid, row in sensors.iterrows():
            pt = row.geometry
            if pt is not None and not pt.is_empty:
                c = shapely.get_coordinates(pt)[0]
                out.sensors[str(fid)] = (float(c[0]), float(c[1]))
    return out


def strings_of(geo: PlantGeometry | None) -> str:
    """Every name the drawings may print (for the font subset)."""
    if geo is None:
        return ""
    return geo.name + "".join(a.name + a.id for a in geo.assembly_points)
