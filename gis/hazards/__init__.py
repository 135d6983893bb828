"""Hazard zones: Gaussian plume/puff dispersion, source terms, toxic and flammable threat zones, fire and
explosion distances, the cloud over time, and fitting a release rate to sensor readings.

The entry point for other packages is :func:`hazard_zones` (zones as GeoJSON-like polygons with a
``level``, in the plant CRS) — routing uses it to avoid them.
"""

from __future__ import annotations

from gis.hazards.scenario import Release, ReleaseError, Scenario, Weather, build_scenario, concentration
from gis.hazards.substances import (
    SUBSTANCES,
    Substance,
    SubstanceNotModelled,
    UnknownSubstanceError,
    get_substance,
)
from gis.hazards.zones import ZoneSet, compute_zones


def hazard_zones(release: Release, weather: Weather, source_xy: tuple[float, float],
                 t_s: float | None = None, hazard: str = "auto") -> dict:
    """Zones of one release as a GeoJSON FeatureCollection in the plant CRS (metres): one feature per
    level (``red``/``orange``/``yellow``) with ``guideline``, ``threshold_ppm``, ``distance_m`` in the
    properties, plus ``warnings``. A new wind reading is a new ``weather`` → call again."""
    zs = compute_zones(build_scenario(release, weather), source_xy, hazard, t_s)
    out = zs.as_geojson()
    out["warnings"] = zs.warnings
    return out


__all__ = [
    "SUBSTANCES",
    "Release",
    "ReleaseError",
    "Scenario",
    "Substance",
    "SubstanceNotModelled",
    "UnknownSubstanceError",
    "Weather",
    "ZoneSet",
    "build_scenario",
    "compute_zones",
    "concentration",
    "get_substance",
    "hazard_zones",
]
