"""Hazard zones in the log: :class:`gis.routing.hazard_graph.Hazard` to and from the ``zones`` of a
``hazard.assessed`` payload, and what the map draws from a recorded assessment.

One zones type flows from the dispersion model into routing, the map and the log; the payload is its
plain-JSON form (GeoJSON geometries in the plant CRS, metres), never a file round trip. The one builder
of ``hazard.assessed`` payloads is :func:`commandcenter.services.assessment.assessed_draft`; this module
only reads them. It reads every zone shape the log may hold, so older logs and simulated drills replay:

* ``{"level", "polygon": {GeoJSON}, "reach_m", "people", …}`` — the assessment service;
* ``{"level", "geometry": {GeoJSON}}`` — :func:`zones_payload` (logs recorded before the service);
* ``{"type": "Feature", "geometry": …, "properties": {"level", "distance_m"}}`` — the drill simulator.
"""

from __future__ import annotations

import json
from typing import Any

import shapely
from shapely.geometry import shape

from gis.routing.hazard_graph import LEVEL_RANK, Hazard

ZONE_LEVELS = ("red", "orange", "yellow")


def zones_payload(hazard: Hazard, ndigits: int = 2) -> list[dict[str, Any]]:
    """``[{"level": "red", "geometry": {GeoJSON geometry}}, …]`` for ``hazard``, most severe first,
    coordinates rounded to ``ndigits`` (centimetres) so the log stays compact."""
    pairs = sorted(zip(hazard.levels, hazard.polygons, strict=True), key=lambda lp: -LEVEL_RANK[lp[0]])
    out = []
    for level, poly in pairs:
        if poly is None or poly.is_empty:
            continue
        geom = shapely.set_precision(poly, 10.0 ** -ndigits)
        out.append({"level": level, "geometry": geojson_of(geom)})
    return out


def geojson_of(geom: shapely.Geometry) -> dict[str, Any]:
    """A GeoJSON geometry of plain JSON values (lists, not the tuples of ``shapely.geometry.mapping``)."""
    return json.loads(shapely.to_geojson(geom))


def _zone_parts(z: Any) -> tuple[Any, Any, dict[str, Any]]:
    """(level, GeoJSON geometry or None, the zone's other fields) of one zone of any recorded shape."""
    if not isinstance(z, dict):
        raise TypeError("not an object")
    props = z.get("properties") if isinstance(z.get("properties"), dict) else {}
    fields = {**props, **{k: v for k, v in z.items() if k not in ("properties", "geometry", "polygon", "type")}}
    geom = z.get("polygon") if "polygon" in z else z.get("geometry")
    return fields.get("level"), geom, fields


def hazard_from_payload(zones: list[dict[str, Any]] | None) -> Hazard:
    """The :class:`Hazard` of a ``hazard.assessed`` payload's ``zones`` (empty for None; a zone recorded
    without a polygon — nothing reached its threshold — is skipped). Raises ValueError naming the zone for
    a geometry that is not a valid polygon or a level that is not red, orange or yellow."""
    polygons, levels = [], []
    for i, z in enumerate(zones or []):
        try:
            level, raw, _ = _zone_parts(z)
        except TypeError:
            raise ValueError(f"zones[{i}]: not an object") from None
        if level not in LEVEL_RANK or level not in ZONE_LEVELS:
            raise ValueError(f"zones[{i}].level: {level!r} is not one of {', '.join(ZONE_LEVELS)}")
        if raw is None:
            continue
        try:
            geom = shape(raw)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"zones[{i}].geometry: not a GeoJSON geometry ({exc})") from None
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"zones[{i}].geometry: a {geom.geom_type}, not a polygon")
        if geom.is_empty:
            continue
        polygons.append(shapely.make_valid(geom) if not geom.is_valid else geom)
        levels.append(str(level))
    return Hazard(polygons, levels)


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def zone_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per zone of a recorded assessment, most severe first: ``level``, ``guideline``,
    ``threshold_ppm``, ``reach_m`` (m or None), ``beyond_10km``, ``people`` (None when not counted),
    ``beyond_fence`` (None when not known), ``drawn`` (a polygon was recorded). Reads every zone shape of the
    module docstring."""
    raw = entry.get("raw") or {}
    summary = {s.get("level"): s for s in raw.get("summary") or [] if isinstance(s, dict)}
    reach = entry.get("reach_m") or {}
    far = entry.get("reach_beyond_10km") or raw.get("beyond_10km") or {}
    inside = raw.get("people_inside") or {}
    fence = entry.get("beyond_fence") or {}
    rows = []
    for z in entry.get("zones") or []:
        try:
            level, geom, f = _zone_parts(z)
        except TypeError:
            continue
        s = summary.get(level, {})
        d = f.get("reach_m", f.get("distance_m", s.get("distance_m", reach.get(level))))
        beyond = bool(f.get("beyond_10km", s.get("beyond_10km", far.get(level, False))) or d == "beyond 10 km")
        people = f.get("people", s.get("people", inside.get(level)))
        rows.append({"level": level, "guideline": f.get("guideline", s.get("guideline")),
                     "threshold_ppm": _number(f.get("threshold_ppm", s.get("threshold_ppm"))),
                     "reach_m": _number(d), "beyond_10km": beyond,
                     "people": int(people) if _number(people) is not None else None,
                     "beyond_fence": f.get("beyond_fence", fence.get(level)), "drawn": geom is not None})
    rows.sort(key=lambda r: -LEVEL_RANK.get(r["level"], 0))
    return rows


def assessment_shown(entry: dict[str, Any]) -> tuple[dict[str, Any], dict[str, shapely.Geometry],
                                                    shapely.Geometry | None]:
    """From a projection entry (``state["hazard"]["current"]``): the report the hazard layer labels (substance,
    source, wind, class, ``zones`` as :func:`zone_rows`, warnings), the zone polygons by level and the wind
    wedge (None when the assessment did not record one)."""
    hz = hazard_from_payload(entry.get("zones"))
    polygons = dict(zip(hz.levels, hz.polygons, strict=True))
    raw = entry.get("raw") or {}
    wedge = None
    if isinstance(raw.get("wedge"), dict):
        w = shape(raw["wedge"])
        wedge = w if not w.is_empty else None
    weather = entry.get("weather") or {}
    report = {"substance": entry.get("substance"), "source": entry.get("source") or {},
              "wind_speed_mps": weather.get("wind_speed_mps"), "wind_from_deg": weather.get("wind_from_deg"),
              "transport_wind_mps": weather.get("transport_wind_mps", weather.get("wind_speed_mps")),
              "stability": weather.get("stability"), "terrain": weather.get("terrain"),
              "zones": zone_rows(entry), "warnings": list(raw.get("warnings") or [])}
    return report, polygons, wedge
