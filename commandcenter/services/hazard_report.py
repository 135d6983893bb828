"""One hazard-zone assessment, end to end: where the source is, how fast it releases, the zones, the fire
and explosion circles, and who is inside — the dictionary the CLI prints and the map draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry import mapping

from gis.hazards.dense_gas import is_denser_than_air
from gis.hazards.fire import explosion_distances, pool_fire_distances
from gis.hazards.scenario import MAX_DISTANCE_M, Release, Scenario, Weather, build_scenario, peak_concentration
from gis.hazards.source_term import source_rate
from gis.hazards.substances import get_substance
from gis.hazards.zones import ZoneSet, compute_zones

if TYPE_CHECKING:  # the plant types pull in geopandas; a plain CLI release does not need them
    from gis.plant import Plant
    from gis.positions import PositionStore


@dataclass
class HazardSource:
    """A release point: id (or None), position (plant CRS m), substance, inventory (kg), pressure (bar abs),
    temperature (°C)."""

    id: str | None
    x: float
    y: float
    substance: str | None = None
    inventory_kg: float | None = None
    pressure_bar: float = 1.0
    temperature_c: float = 20.0


def plant_source(plant: Plant, source_id: str) -> HazardSource:
    """The hazard source ``source_id`` of a plant (ValueError naming the known ids when absent)."""
    layer = plant.layers["hazard_sources"]
    if source_id not in layer.index:
        known = ", ".join(map(str, layer.index[:20]))
        raise ValueError(f"hazard source {source_id!r} is not in {plant.name}: known sources {known or 'none'}")
    row = layer.loc[source_id]
    return HazardSource(str(source_id), float(row.geometry.x), float(row.geometry.y), str(row["substance"]),
                        float(row["inventory_kg"]), float(row["pressure_bar"]), float(row["temperature_c"]))


def _circle(x: float, y: float, r: float) -> dict:
    return mapping(shapely.Point(x, y).buffer(r, quad_segs=16))


def assess(release: Release, weather: Weather, source: HazardSource | None = None, *, hazard: str = "auto",
           t_s: float | None = None, hole_diameter_m: float | None = None, pool_diameter_m: float | None = None,
           positions: PositionStore | None = None) -> tuple[dict, ZoneSet, Scenario]:
    """Assess one release. Missing rate with a hole diameter: the rate comes from the source's pressure and
    temperature (gas or liquid through a hole). A source inventory caps the release: a rate with no
    duration lasts inventory/rate seconds (stated in the warnings). Returns (report dict, zones, scenario)."""
    src = source or HazardSource(None, 0.0, 0.0)
    warnings: list[str] = []
    if release.rate_kg_s is None and release.mass_kg is None and hole_diameter_m is not None:
        sr = source_rate(get_substance(release.substance), hole_diameter_m, src.pressure_bar, src.temperature_c)
        if sr.rate_kg_s <= 0:
            raise ValueError(f"a {hole_diameter_m} m hole at {src.pressure_bar} bar releases nothing")
        release = replace(release, rate_kg_s=sr.rate_kg_s)
        warnings.append(f"release rate {sr.rate_kg_s:.4g} kg/s estimated: {sr.formula} ({sr.phase}, "
                        f"{src.pressure_bar:g} bar, {src.temperature_c:g} °C, hole {hole_diameter_m:g} m)")
    if (src.inventory_kg and release.rate_kg_s and release.duration_s is None
            and src.inventory_kg / release.rate_kg_s < 3600.0):
        release = replace(release, duration_s=src.inventory_kg / release.rate_kg_s)
        warnings.append(f"inventory {src.inventory_kg:g} kg lasts {release.duration_s:.0f} s at this rate: "
                        "modelled as a finite-duration release")
    sc = build_scenario(release, weather)
    zs = compute_zones(sc, (src.x, src.y), hazard, t_s)
    zs.warnings[:0] = warnings
    zones = []
    for z in zs.zones:
        if positions is not None and not z.polygon.is_empty:
            z.people = len(positions.inside_polygon(z.polygon))
        zones.append(z.as_dict())
    out: dict = {
        "substance": sc.substance.key, "stability": sc.stability, "terrain": weather.terrain,
        "wind_speed_mps": weather.wind_speed, "transport_wind_mps": round(sc.u, 4),
        "wind_from_deg": weather.wind_from_deg,
        "release": {"rate_kg_s": release.rate_kg_s, "mass_kg": release.mass_kg, "duration_s": release.duration_s,
                    "height_m": release.height_m, "kind": ("instantaneous" if sc.instantaneous else
                                                           "continuous" if release.duration_s is None
                                                           else "finite")},
        "source": {"id": src.id, "x": src.x, "y": src.y},
        "t_s": t_s,
        "dense_gas": is_denser_than_air(sc),
        "zones": zones,
        "wedge": {"half_angle_deg": round(zs.wedge_half_angle_deg, 2),
                  "polygon": mapping(zs.wedge) if zs.wedge is not None else None},
    }
    if sc.substance.flammable:
        out["explosion"] = _explosion(sc, src)
        if pool_diameter_m is not None:
            fire = pool_fire_distances(sc.substance, pool_diameter_m)
            out["fire"] = [{"level": lvl, "flux_kw_m2": f, "distance_m": round(r, 1),
                            "polygon": _circle(src.x, src.y, r)} for lvl, f, r in fire]
    elif pool_diameter_m is not None:
        zs.warnings.append(f"{sc.substance.key} is not flammable: no pool fire")
    out["warnings"] = zs.warnings
    return out, zs, sc


def flammable_mass_kg(sc: Scenario) -> float:
    """Fuel mass (kg) in the cloud at or above the LEL: the released mass for a puff whose peak reaches the
    LEL somewhere; for a plume the mass emitted while the gas travels to the LEL distance, Q·x_LEL/u (capped
    by the release duration)."""
    lel_g = sc.substance.ppm_to_g_m3(sc.substance.lel * 1e6)
    x = np.geomspace(1.0, MAX_DISTANCE_M, 400)
    above = peak_concentration(sc, x) >= lel_g
    if not above.any():
        return 0.0
    if sc.instantaneous:
        return float(sc.release.mass_kg)
    x_lel = float(x[len(above) - 1 - np.argmax(above[::-1])])
    return float(sc.release.rate_kg_s * min(x_lel / sc.u, sc.duration_s))


def _explosion(sc: Scenario, src: HazardSource) -> list[dict]:
    m = flammable_mass_kg(sc)
    if m <= 0 or math.isnan(m):
        return []
    return [{"level": lvl, "overpressure_kpa": p, "distance_m": round(r, 1), "flammable_mass_kg": round(m, 3),
             "polygon": _circle(src.x, src.y, r)} for lvl, p, r in explosion_distances(sc.substance, m)]
