"""Hazard zones in the log: :class:`gis.routing.hazard_graph.Hazard` to and from a ``hazard.assessed``
payload. One zones type flows from the dispersion model into routing, the map and the log; the payload
is its plain-JSON form (GeoJSON geometries in the plant CRS, metres), never a file round trip."""

from __future__ import annotations

import json
from typing import Any

import shapely
from shapely.geometry import shape

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
        out.append({"level": level, "geometry": geojson_of(geom)})
    return out


def geojson_of(geom: shapely.Geometry) -> dict[str, Any]:
    """A GeoJSON geometry of plain JSON values (lists, not the tuples of ``shapely.geometry.mapping``)."""
    return json.loads(shapely.to_geojson(geom))


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


def _reach(zone: dict[str, Any]) -> float | None:
    d = zone.get("distance_m")
    return float(d) if isinstance(d, (int, float)) and not isinstance(d, bool) else None


def assessment_draft(report: dict[str, Any], zone_polygons: dict[str, shapely.Geometry],
                     wedge: shapely.Geometry | None, time: Any, *, by: str | None = None) -> Any:
    """The ``hazard.assessed`` draft of one computed assessment (the report of
    :func:`commandcenter.services.hazard_report.assess`, its zone polygons by level and the wind wedge):
    what the map and the report redraw exactly, as the commander saw it. Reach per level is a number of
    metres or null, with ``beyond_10km`` flags beside it (never a string in a number field)."""
    import uuid

    from vocabulary.events import Draft

    summary = [{k: v for k, v in z.items() if k != "polygon"} for z in report.get("zones", [])]
    for z in summary:
        z["distance_m"] = _reach(z)
    payload: dict[str, Any] = {
        "assessment_id": f"HAZ-{uuid.uuid4().hex[:8].upper()}",
        "zones": zones_payload(Hazard.from_zones(zone_polygons)),
        "substance": str(report.get("substance")),
        "source": dict(report.get("source") or {}),
        "weather": {"wind_speed_mps": report.get("wind_speed_mps"), "wind_from_deg": report.get("wind_from_deg"),
                    "stability": report.get("stability"), "terrain": report.get("terrain"),
                    "transport_wind_mps": report.get("transport_wind_mps")},
        "model": "gaussian-" + ("puff" if (report.get("release") or {}).get("kind") == "instantaneous" else "plume"),
        "reach_m": {z["level"]: z["distance_m"] for z in summary},
        "beyond_10km": {z["level"]: bool(z.get("beyond_10km")) for z in summary},
        "summary": summary,
        "release": dict(report.get("release") or {}),
        "warnings": [str(w) for w in report.get("warnings") or []],
        "people_inside": {z["level"]: int(z.get("people") or 0) for z in summary},
        "wedge": geojson_of(wedge) if wedge is not None and not wedge.is_empty else None,
    }
    rate = payload["release"].get("rate_kg_s")
    if isinstance(rate, (int, float)):
        payload["rate_kg_s"] = float(rate)
    if by:
        payload["by"] = by
    return Draft("hazard.assessed", time, payload)


def assessment_shown(entry: dict[str, Any]) -> tuple[dict[str, Any], dict[str, shapely.Geometry],
                                                    shapely.Geometry | None]:
    """From a projection entry (``state["hazard"]["current"]``): the report, the zone polygons by level and
    the wedge, as the hazard layer draws them."""
    hz = hazard_from_payload(entry.get("zones"))
    polygons = dict(zip(hz.levels, hz.polygons, strict=True))
    raw = entry.get("raw") or {}
    wedge = shape(raw["wedge"]) if raw.get("wedge") else None
    weather = entry.get("weather") or {}
    report = {"substance": entry.get("substance"), "source": entry.get("source") or {},
              "wind_speed_mps": weather.get("wind_speed_mps"), "wind_from_deg": weather.get("wind_from_deg"),
              "transport_wind_mps": weather.get("transport_wind_mps", weather.get("wind_speed_mps")),
              "stability": weather.get("stability"), "terrain": weather.get("terrain"),
              "zones": list(raw.get("summary") or []), "warnings": list(raw.get("warnings") or [])}
    return report, polygons, wedge
