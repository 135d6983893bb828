"""What field comms needs of the plant: WGS 84 ⇄ plant CRS, sensors and their thresholds, zones, the roster,
and an evacuation route's walkway edges as a polyline of [lon, lat].

Devices speak WGS 84 degrees (``shared/spec/field-protocol.md``); the log and every view use metres in the
plant's projected CRS (``shared/spec/plant-format.md``). Transformations use pyproj with ``always_xy``
(x = easting / longitude).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

#: a route sent to a phone is thinned to at most this many points (the first and last kept)
MAX_ROUTE_POINTS = 200


@dataclass(frozen=True)
class Sensor:
    """A plant sensor: its kind, substance, unit, warn and alarm thresholds, and position (m)."""

    id: str
    kind: str
    substance: str | None
    unit: str | None
    warn: float | None
    alarm: float | None
    x: float
    y: float


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    s = str(v).strip()
    return s or None


class PlantGeo:
    """The plant seen from the field: coordinates, sensors, zones, roster, assembly points and routes."""

    def __init__(self, plant: Any):
        self.plant = plant
        self._to_plant = Transformer.from_crs("EPSG:4326", plant.crs, always_xy=True)
        self._to_wgs = Transformer.from_crs(plant.crs, "EPSG:4326", always_xy=True)
        self.sensors: dict[str, Sensor] = {}
        layer = plant.layers.get("sensors")
        if layer is not None:
            for sid, row in layer.iterrows():
                self.sensors[str(sid)] = Sensor(str(sid), str(row.get("kind")), _text(row.get("substance")),
                                                _text(row.get("unit")), _num(row.get("warn")), _num(row.get("alarm")),
                                                float(row.geometry.x), float(row.geometry.y))
        zones = plant.layers.get("zones")
        self.zones: dict[str, Any] = {} if zones is None else {str(i): g for i, g in zip(zones.index, zones.geometry,
                                                                                         strict=True)}
        aps = plant.layers.get("assembly_points")
        self.assembly_points = set() if aps is None else {str(i) for i in aps.index}
        self.roster: dict[str, dict[str, str | None]] = {}
        for pid, row in plant.personnel.iterrows():
            self.roster[str(pid)] = {"team": _text(row.get("team")), "role": _text(row.get("role")),
                                     "device_id": _text(row.get("device_id")), "name": _text(row.get("name"))}
        self.device_person = {r["device_id"]: pid for pid, r in self.roster.items() if r["device_id"]}

    def to_plant(self, lon: np.ndarray | float, lat: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """WGS 84 degrees → plant metres (vectorised)."""
        x, y = self._to_plant.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

    def to_wgs84(self, x: np.ndarray | float, y: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """Plant metres → WGS 84 degrees (vectorised)."""
        lon, lat = self._to_wgs.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return np.asarray(lon), np.asarray(lat)

    def people_in_zone(self, zone_id: str, positions: dict[str, tuple[float, float]]) -> list[str]:
        """The people whose last position (m) lies inside zone ``zone_id`` (KeyError for an unknown zone)."""
        geom = self.zones[zone_id]
        if not positions:
            return []
        ids = list(positions)
        xy = np.array([positions[i] for i in ids], dtype=float)
        inside = shapely.contains_xy(geom, xy[:, 0], xy[:, 1])
        return [i for i, ok in zip(ids, inside.tolist(), strict=True) if ok]

    def route_lonlat(self, edges: list[int], start_xy: tuple[float, float] | None = None) -> list[list[float]]:
        """The walkway edges of a route (in walking order) as one polyline of [lon, lat] (7 decimals),
        each edge turned to continue from the previous one, thinned to :data:`MAX_ROUTE_POINTS`."""
        g = self.plant.graph
        pts: list[np.ndarray] = []
        cur = None if start_xy is None else np.asarray(start_xy, dtype=float)
        for e in edges:
            if not 0 <= int(e) < len(g.edge_coords):
                continue
            c = np.asarray(g.edge_coords[int(e)], dtype=float)
            if cur is not None and np.hypot(*(c[-1] - cur)) < np.hypot(*(c[0] - cur)):
                c = c[::-1]
            pts.append(c if not pts else c[1:])
            cur = c[-1]
        if not pts:
            return []
        xy = np.concatenate(pts)
        if len(xy) > MAX_ROUTE_POINTS:
            keep = np.unique(np.linspace(0, len(xy) - 1, MAX_ROUTE_POINTS).round().astype(int))
            xy = xy[keep]
        lon, lat = self.to_wgs84(xy[:, 0], xy[:, 1])
        return [[round(float(a), 7), round(float(b), 7)] for a, b in zip(lon, lat, strict=True)]
