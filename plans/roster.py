"""The roster as arrays the engine can filter at once: role, qualification bits, shift, position.

Positions: a person's last reported position (``position.reported`` or a
:class:`gis.positions.PositionStore`) when known, else the centroid of their home zone, else
unknown (NaN, sorted after everyone with a position).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from plans.vocabulary import QUALIFICATIONS

_QBIT = {q: 1 << i for i, q in enumerate(QUALIFICATIONS)}


def qualification_mask(quals) -> int:
    """The bit mask of a collection of qualification names (unknown names are ignored)."""
    m = 0
    for q in quals or ():
        m |= _QBIT.get(str(q).strip(), 0)
    return m


@dataclass
class Roster:
    """Parallel arrays over people: ``ids``, ``names``, ``roles``, ``quals`` (bit masks), ``shifts``,
    ``home_xy`` (home-zone centroid, metres) and ``xy`` (last known position, NaN when unknown)."""

    ids: np.ndarray
    names: np.ndarray
    roles: np.ndarray
    quals: np.ndarray
    shifts: np.ndarray
    home_xy: np.ndarray
    xy: np.ndarray

    def __post_init__(self) -> None:
        self.row = {pid: i for i, pid in enumerate(self.ids.tolist())}

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_frame(cls, personnel: pd.DataFrame, zone_xy: dict[str, tuple[float, float]] | None = None) -> Roster:
        """From a roster DataFrame (index id; columns role, qualifications (tuple or ';' text),
        shift, home_zone, optional name) and home-zone centroids in metres."""
        zone_xy = zone_xy or {}
        n = len(personnel)
        quals = personnel["qualifications"] if "qualifications" in personnel else pd.Series([()] * n)
        masks = np.array([qualification_mask(q.split(";") if isinstance(q, str) else q) for q in quals],
                         dtype=np.int64)
        shifts = (personnel["shift"].fillna("day").astype(str).str.strip() if "shift" in personnel
                  else pd.Series(["day"] * n))
        zones = personnel["home_zone"] if "home_zone" in personnel else pd.Series([None] * n)
        home = np.array([zone_xy.get(z, (np.nan, np.nan)) if isinstance(z, str) else (np.nan, np.nan)
                         for z in zones], dtype=float).reshape(n, 2)
        names = personnel["name"].astype(str).to_numpy() if "name" in personnel else np.array([""] * n)
        return cls(ids=personnel.index.astype(str).to_numpy(), names=names,
                   roles=personnel["role"].astype(str).to_numpy(), quals=masks,
                   shifts=np.asarray(shifts, dtype=object), home_xy=home, xy=np.full((n, 2), np.nan))

    @classmethod
    def from_plant(cls, plant) -> Roster:
        """From a loaded :class:`gis.plant.Plant`: its personnel, zone centroids and population positions."""
        zone_xy = {}
        zones = plant.layers.get("zones")
        if zones is not None and len(zones):
            cent = zones.geometry.centroid
            zone_xy = {str(z): (float(p.x), float(p.y)) for z, p in zip(zones.index, cent, strict=True)}
        roster = cls.from_frame(plant.personnel, zone_xy)
        pop = plant.population
        if pop is not None and len(pop):
            roster.set_positions(pop["id"].astype(str).tolist(), pop["x"].to_numpy(float), pop["y"].to_numpy(float))
        return roster

    def set_positions(self, ids, x, y) -> None:
        """Record known positions (metres, plant CRS); ids not on the roster, and positions that are not
        finite (unknown, or a broken report), are ignored."""
        for pid, xi, yi in zip(ids, np.atleast_1d(x), np.atleast_1d(y), strict=True):
            r = self.row.get(str(pid))
            if r is not None and np.isfinite(xi) and np.isfinite(yi):
                self.xy[r] = (xi, yi)

    def set_positions_from_store(self, store) -> None:
        """Copy positions from a :class:`gis.positions.PositionStore` (rows with a NaN x are skipped)."""
        ids = [str(i) for i in store.ids]
        ok = ~np.isnan(store.x)
        self.set_positions(np.asarray(ids)[ok], store.x[ok], store.y[ok])

    def where(self) -> np.ndarray:
        """Best known position per person: reported, else home-zone centroid, else NaN."""
        known = ~np.isnan(self.xy[:, 0])
        return np.where(known[:, None], self.xy, self.home_xy)
