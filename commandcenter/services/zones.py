"""Hazard zones in the log: :class:`gis.routing.hazard_graph.Hazard` to and from a ``hazard.assessed``
payload. One zones type flows from the dispersion model into routing, the map and the log; the payload
is its plain-JSON form (GeoJSON geometries in the plant CRS, metres), never a file round trip."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import mapping, shape

from gis.routing.hazard_graph import LEVEL_RANK, Hazard


def zones_payload(hazard: Hazard, ndigits: int = 2) -> list[dict[str, Any]]:
    """``[{"level": "red", "geometry": {GeoJSON geometry}}, …]`` for ``hazard``, most severe first,
    coordinates rounded to ``ndigits`` (centimetres) so the log stays compact."""
    pairs = sorted(zip(hazard.levels, hazard.polygons, strict=True), key=lambda lp: -LEVEL_RANK[lp[0]])
    out = []
    for level, poly in pairs:
        if poly is None or poly.is_empty:
            continue
        geom = shapely.set_precision(poly, 10.0 ** -ndigits)
        out.append({"level": level, "geometry": mapping(geom)})
    return out


def hazard_from_payload(zones: list[dict[str, Any]] | None) -> Hazard:
    """The :class:`Hazard` of a ``hazard.assessed`` payload's ``zones`` (empty for None). Raises
    ValueError naming the zone for a geometry that is not a valid polygon or a level that is unknown."""
    polygons, levels = [], []
    for i, z in enumerate(zones or []):
        try:
            geom = shape(z["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"zones[{i}].geometry: not a GeoJSON geometry ({exc})") from None
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"zones[{i}].geometry: a {geom.geom_type}, not a polygon")
        if geom.is_empty:
            continue
        polygons.append(shapely.make_valid(geom) if not geom.is_valid else geom)
        levels.append(str(z.get("level")))
    return Hazard(polygons, levels)
