"""Where everyone is: a vectorised store of personnel positions and status.

Positions live in numpy arrays (one row per person), never in a dict per
person, so a frame update of thousands of position reports and every spatial
query is a handful of array operations. Coordinates are metres in the plant
CRS; times are seconds on the incident clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np
import shapely

if TYPE_CHECKING:
    from gis.plant import Plant
    from gis.spatial_index import PlantIndex


class PersonStatus(IntEnum):
    """Accountability status of one person, as the muster board shows it."""

    UNKNOWN = 0
    ON_SITE = 1
    EVACUATING = 2
    MUSTERED = 3
    SHELTERED = 4
    MISSING = 5
    INJURED = 6
    OFF_SITE = 7


class PositionStore:
    """Positions (x, y in metres), status and last-report time of a fixed set of people.

    Unknown positions are NaN and never match a spatial query.
    """

    def __init__(self, ids: Sequence[str]):
        self.ids = np.asarray(list(ids), dtype=object)
        if len(set(self.ids.tolist())) != len(self.ids):
            raise ValueError("person ids must be unique")
        self._row = {pid: i for i, pid in enumerate(self.ids.tolist())}
        n = len(self.ids)
        self.x = np.full(n, np.nan)
        self.y = np.full(n, np.nan)
        self.status = np.zeros(n, dtype=np.int8)
        self.updated_s = np.full(n, np.nan)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_population(cls, plant: Plant) -> PositionStore:
        """A store holding the plant's population file (everyone ON_SITE at t = 0),
        or the roster with unknown positions when there is no population file."""
        pop = plant.population
        if pop is None or len(pop) == 0:
            return cls(plant.personnel.index.astype(str).tolist())
        store = cls(pop["id"].astype(str).tolist())
        store.update(store.ids, pop["x"].to_numpy(float), pop["y"].to_numpy(float), 0.0, PersonStatus.ON_SITE)
        return store

    def rows(self, ids: Iterable[str]) -> np.ndarray:
        """Row indices of ``ids``; raises KeyError naming the ids that are not in the store."""
        ids = list(ids)
        try:
            return np.fromiter((self._row[i] for i in ids), dtype=np.int64, count=len(ids))
        except KeyError:
            unknown = [i for i in ids if i not in self._row]
            raise KeyError(f"unknown person id(s): {', '.join(map(str, unknown[:10]))}") from None

    def update(self, ids: Iterable[str] | np.ndarray, x: np.ndarray, y: np.ndarray, t_s: float | np.ndarray,
               status: int | np.ndarray | None = None) -> None:
        """Record position reports for ``ids`` (metres) at time(s) ``t_s`` (seconds), optionally with status."""
        r = self.rows(ids)
        self.x[r] = x
        self.y[r] = y
        self.updated_s[r] = t_s
        if status is not None:
            self.status[r] = status

    def set_status(self, ids: Iterable[str], status: int | np.ndarray) -> None:
        """Set the accountability status of ``ids``."""
        self.status[self.rows(ids)] = status

    def _select(self, mask: np.ndarray, status: Iterable[int] | None) -> np.ndarray:
        if status is not None:
            mask &= np.isin(self.status, np.fromiter(status, dtype=np.int8))
        return self.ids[mask]

    def within_radius(self, cx: float, cy: float, radius_m: float, status: Iterable[int] | None = None
                      ) -> np.ndarray:
        """Ids of everyone within ``radius_m`` metres of (cx, cy), optionally only with the given statuses."""
        dx = self.x - cx
        dy = self.y - cy
        return self._select(dx * dx + dy * dy <= radius_m * radius_m, status)

    def inside_polygon(self, polygon: shapely.Geometry, status: Iterable[int] | None = None) -> np.ndarray:
        """Ids of everyone inside ``polygon`` (plant CRS), optionally only with the given statuses."""
        finite = np.isfinite(self.x) & np.isfinite(self.y)
        mask = np.zeros(len(self), dtype=bool)
        if finite.any():
            xmin, ymin, xmax, ymax = polygon.bounds
            cand = finite & (self.x >= xmin) & (self.x <= xmax) & (self.y >= ymin) & (self.y <= ymax)
            idx = np.flatnonzero(cand)
            mask[idx] = shapely.contains_xy(polygon, self.x[idx], self.y[idx])
        return self._select(mask, status)

    def _counts(self, index: PlantIndex, layer: str) -> dict[str, int]:
        finite = np.isfinite(self.x) & np.isfinite(self.y)
        rows = np.full(len(self), -1, dtype=np.int64)
        locate = index.zone_rows if layer == "zones" else index.building_rows
        rows[finite] = locate(self.x[finite], self.y[finite])
        ids = index.ids_of(layer, rows[rows >= 0])
        uniq, counts = np.unique(ids.astype(str), return_counts=True) if len(ids) else ([], [])
        return {str(k): int(c) for k, c in zip(uniq, counts, strict=True)}

    def counts_per_zone(self, index: PlantIndex) -> dict[str, int]:
        """Number of people in each zone (zone id → count; zones with nobody are omitted)."""
        return self._counts(index, "zones")

    def counts_per_building(self, index: PlantIndex) -> dict[str, int]:
        """Number of people in each building (building id → count; empty buildings are omitted)."""
        return self._counts(index, "buildings")
