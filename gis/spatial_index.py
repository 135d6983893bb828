"""Spatial index over a plant's layers: what is at a point, which zone or building holds a person.

Built once per plant from shapely STRtrees; every query is vectorised over arrays
of points, so locating thousands of people costs one tree query, not a loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

POINT_LAYERS = ("hazard_sources", "sensors", "exits", "assembly_points", "resources")
POLYGON_LAYERS = ("buildings", "zones", "site")


@dataclass(frozen=True)
class FeatureHit:
    """A feature found at a map position: its layer, id and attributes (without geometry)."""

    layer: str
    id: str
    attributes: dict[str, Any]
    distance_m: float


class PlantIndex:
    """STRtrees over the plant's layers (in the plant CRS, metres)."""

    def __init__(self, layers: dict[str, gpd.GeoDataFrame]):
        self._layers = layers
        self._trees: dict[str, shapely.STRtree] = {}
        self._geoms: dict[str, np.ndarray] = {}
        for name, gdf in layers.items():
            geoms = np.asarray(gdf.geometry.values, dtype=object)
            self._geoms[name] = geoms
            self._trees[name] = shapely.STRtree(geoms)
        self._zone_rank = self._risk_rank(layers.get("zones"))

    @staticmethod
    def _risk_rank(zones: gpd.GeoDataFrame | None) -> np.ndarray:
        if zones is None or len(zones) == 0:
            return np.zeros(0)
        order = {"A": 0, "B": 1, "C": 2, "D": 3}
        return np.array([order.get(r, 4) for r in zones["risk"].fillna("").astype(str)], dtype=float)

    def _containing(self, layer: str, x: np.ndarray, y: np.ndarray, rank: np.ndarray | None = None) -> np.ndarray:
        """Row index (into ``layer``) of the polygon containing each point, -1 where none.

        Where polygons overlap, the one with the lowest ``rank`` wins (zones: highest risk)."""
        x = np.asarray(x, float).ravel()
        y = np.asarray(y, float).ravel()
        out = np.full(len(x), -1, dtype=np.int64)
        if layer not in self._trees or len(self._geoms[layer]) == 0 or len(x) == 0:
            return out
        pts = shapely.points(x, y)
        pi, gi = self._trees[layer].query(pts, predicate="within")
        if len(pi) == 0:
            return out
        key = rank[gi] if rank is not None and len(rank) else gi.astype(float)
        order = np.lexsort((-key, pi))
        out[pi[order]] = gi[order]
        return out

    def zone_rows(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Row in the zones layer containing each point (highest-risk zone where they overlap), -1 if none."""
        return self._containing("zones", x, y, self._zone_rank)

    def building_rows(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Row in the buildings layer containing each point, -1 if none."""
        return self._containing("buildings", x, y)

    def inside_site(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Boolean array: which points lie inside the site polygon."""
        return self._containing("site", x, y) >= 0

    def ids_of(self, layer: str, rows: np.ndarray) -> np.ndarray:
        """Feature ids for row indices (None for -1)."""
        ids = np.asarray(self._layers[layer].index.astype(str), dtype=object)
        out = np.full(len(rows), None, dtype=object)
        ok = rows >= 0
        out[ok] = ids[rows[ok]]
        return out

    def _hit(self, layer: str, row: int, dist: float) -> FeatureHit:
        gdf = self._layers[layer]
        attrs = {k: v for k, v in gdf.iloc[row].items() if k != gdf.geometry.name}
        attrs = {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in attrs.items()}
        return FeatureHit(layer, str(gdf.index[row]), attrs, float(dist))

    def feature_at(self, x: float, y: float, tolerance_m: float, layers: tuple[str, ...] | None = None
                   ) -> FeatureHit | None:
        """The feature a user points at: the nearest point feature within ``tolerance_m``, else the
        nearest walkway within it, else the building, zone or site containing (x, y).
        ``layers`` restricts the search to those layer names (the visible ones)."""
        allowed = set(layers) if layers is not None else None
        pt = shapely.Point(x, y)
        best: tuple[float, str, int] | None = None
        for name in POINT_LAYERS:
            if (allowed is not None and name not in allowed) or name not in self._trees:
                continue
            idx = self._trees[name].query(pt, predicate="dwithin", distance=tolerance_m)
            for i in idx:
                d = float(shapely.distance(pt, self._geoms[name][i]))
                if best is None or d < best[0]:
                    best = (d, name, int(i))
        if best is not None:
            return self._hit(best[1], best[2], best[0])
        if "walkways" in self._trees and (allowed is None or "walkways" in allowed):
            idx = self._trees["walkways"].query(pt, predicate="dwithin", distance=tolerance_m)
            if len(idx):
                d = shapely.distance(pt, self._geoms["walkways"][idx])
                j = int(np.argmin(d))
                return self._hit("walkways", int(idx[j]), float(d[j]))
        for name in POLYGON_LAYERS:
            if (allowed is not None and name not in allowed) or name not in self._trees:
                continue
            rank = self._zone_rank if name == "zones" else None
            row = int(self._containing(name, np.array([x]), np.array([y]), rank)[0])
            if row >= 0:
                return self._hit(name, row, 0.0)
        return None
