"""Coordinate reference systems: parse what a package says, check it, and pick the plant's metric CRS.

Geographic input (EPSG:4326 and the like) is projected to the local UTM zone;
a projected CRS must have metre axes. Transformations always use x = easting /
longitude, y = northing / latitude (``always_xy``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

WGS84 = CRS.from_epsg(4326)


class CRSProblem(ValueError):
    """A CRS that cannot be used; the message says why."""


def parse_crs(spec: Any) -> CRS:
    """A :class:`pyproj.CRS` from text (``EPSG:32650``, an OGC URN, WKT, PROJ) or a GeoJSON
    2008 ``crs`` member (``{"type": "name", "properties": {"name": ...}}``)."""
    if isinstance(spec, CRS):
        return spec
    if isinstance(spec, dict):
        props = spec.get("properties") or {}
        kind = str(spec.get("type", "")).lower()
        if kind == "name" and "name" in props:
            spec = props["name"]
        elif kind == "epsg" and "code" in props:
            spec = f"EPSG:{props['code']}"
        else:
            raise CRSProblem(f"unsupported crs member {spec!r}: use {{'type': 'name', "
                             "'properties': {'name': 'EPSG:XXXX'}}")
    try:
        return CRS.from_user_input(spec)
    except (CRSError, TypeError, ValueError) as exc:
        raise CRSProblem(f"unknown CRS {spec!r} ({exc})") from None


def check_usable(crs: CRS) -> None:
    """Raise :class:`CRSProblem` unless ``crs`` is geographic or projected with metre axes."""
    if crs.is_geographic:
        return
    if not crs.is_projected:
        raise CRSProblem(f"CRS {crs.to_string()} is neither geographic nor projected")
    units = {(a.unit_name or "").lower() for a in crs.axis_info[:2]}
    if not units <= {"metre", "meter", "m"}:
        raise CRSProblem(f"projected CRS {crs.to_string()} has axes in {', '.join(sorted(units))}, "
                         "not metres; reproject the layer to a metric CRS")


def utm_crs_for(lon: float, lat: float) -> CRS:
    """The WGS 84 / UTM zone CRS that contains (lon, lat) in degrees."""
    zone = int(np.floor((lon + 180.0) / 6.0)) % 60 + 1
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def plant_crs_for(source: CRS, site_geometry: shapely.Geometry) -> CRS:
    """The metric CRS a plant is held in: ``source`` when projected, else the UTM zone of
    the site's centroid (``site_geometry`` in ``source`` coordinates)."""
    if source.is_projected:
        return source
    c = site_geometry.centroid
    lonlat = Transformer.from_crs(source, WGS84, always_xy=True).transform(c.x, c.y)
    return utm_crs_for(float(lonlat[0]), float(lonlat[1]))


def transform_geometries(geoms: np.ndarray, source: CRS, target: CRS) -> np.ndarray:
    """``geoms`` (array of shapely geometries, None allowed) reprojected from ``source`` to ``target``."""
    if source == target:
        return geoms
    tr = Transformer.from_crs(source, target, always_xy=True)

    def _apply(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, _apply)


def transform_xy(x: np.ndarray, y: np.ndarray, source: CRS, target: CRS) -> tuple[np.ndarray, np.ndarray]:
    """Coordinate arrays reprojected from ``source`` to ``target``."""
    if source == target:
        return np.asarray(x, float), np.asarray(y, float)
    tr = Transformer.from_crs(source, target, always_xy=True)
    ox, oy = tr.transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(ox), np.asarray(oy)


def looks_geographic(geoms: np.ndarray) -> bool:
    """True when every coordinate lies within longitude/latitude ranges (RFC 7946 data)."""
    coords = shapely.get_coordinates(geoms[~shapely.is_missing(geoms)])
    if len(coords) == 0:
        return True
    return bool(np.all(np.abs(coords[:, 0]) <= 180.0) and np.all(np.abs(coords[:, 1]) <= 90.0))
