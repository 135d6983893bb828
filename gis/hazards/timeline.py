"""Zones at a given time after the release starts, so the map can show the cloud growing (and, for a
puff or a finished release, drifting away).

At time t the zone is the footprint of the concentration field at that moment: the Palazzi finite-
duration plume (a continuous release is one with Td = ∞ switched on at t = 0) or the puff at t. As t
grows past the travel time, a continuous release's zones tend to the steady-state zones.
"""

from __future__ import annotations

import numpy as np

from gis.hazards.scenario import Scenario
from gis.hazards.zones import ZoneSet, compute_zones


def zones_at(sc: Scenario, t_s: float, source_xy: tuple[float, float] = (0.0, 0.0), hazard: str = "auto") -> ZoneSet:
    """The threat zones of the cloud ``t_s`` seconds after the release started (t ≥ 0)."""
    if not np.isfinite(t_s) or t_s < 0:
        raise ValueError(f"time after release must be ≥ 0 s, got {t_s}")
    return compute_zones(sc, source_xy, hazard, t_s=max(float(t_s), 1e-3))


def zone_timeline(sc: Scenario, times_s, source_xy: tuple[float, float] = (0.0, 0.0), hazard: str = "auto"  # type: ignore[no-untyped-def]
                  ) -> list[tuple[float, ZoneSet]]:
    """(t, zones) for each time in ``times_s`` (s)."""
    return [(float(t), zones_at(sc, float(t), source_xy, hazard)) for t in times_s]
