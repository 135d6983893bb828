"""Threat zones: red/orange/yellow toxic zones (60-min AEGL-3/2/1, ERPG fallback) or 60 %/10 % LEL
flammable zones, as polygons in the plant CRS, plus the wind-direction confidence wedge.

Each zone is the ground-level footprint where the peak concentration within 60 minutes reaches the
threshold. Along the downwind axis the peak Cc(x) is computed on a log-spaced grid from 1 m to 10 km;
because the crosswind profile is Gaussian, the half-width at x is σy·√(2 ln(Cc/threshold)) in closed
form, so one release needs a few hundred evaluations, not a grid. The footprint is turned to the wind:
``wind_from_deg`` is where the wind blows FROM (clockwise from north), so the cloud travels towards
wind_from + 180°.

Confidence wedge (our rule, after ALOHA's "wind direction confidence lines", which widen as the wind
drops): the footprint of the largest zone swept through ±θ about the mean direction, with
θ = clip(45°/√u, 15°, 45°) (u in m/s: 45° at 1 m/s, 26° at 3 m/s, 15° from 9 m/s).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Polygon, mapping

from gis.hazards.scenario import MAX_DISTANCE_M, Scenario, peak_concentration
from gis.hazards.substances import toxic_levels

BEYOND = "beyond 10 km"
N_AXIS = 300
_AXIS = np.concatenate([np.geomspace(1.0, MAX_DISTANCE_M, N_AXIS)])


@dataclass
class Zone:
    """One threat zone: colour level, guideline, threshold (ppm), reach downwind (m, or None when beyond
    10 km) and the polygon in the plant CRS (m); ``people`` is filled in by callers that know positions."""

    level: str
    guideline: str
    threshold_ppm: float
    distance_m: float | None
    polygon: Polygon
    beyond_10km: bool = False
    people: int | None = None

    def as_dict(self) -> dict:
        """GeoJSON-like record: level, guideline, threshold_ppm, distance_m (number or "beyond 10 km"),
        beyond_10km, polygon (GeoJSON geometry in the plant CRS)."""
        d = {"level": self.level, "guideline": self.guideline, "threshold_ppm": self.threshold_ppm,
             "distance_m": BEYOND if self.beyond_10km else (None if self.distance_m is None
                                                            else round(self.distance_m, 1)),
             "beyond_10km": self.beyond_10km,
             "polygon": mapping(self.polygon) if not self.polygon.is_empty else None}
        if self.people is not None:
            d["people"] = self.people
        return d


@dataclass
class ZoneSet:
    """The zones of one release at one time, the wedge, the source point and the warnings."""

    zones: list[Zone]
    wedge: Polygon | None
    source_xy: tuple[float, float]
    wind_from_deg: float
    wedge_half_angle_deg: float
    warnings: list[str] = field(default_factory=list)

    def as_geojson(self) -> dict:
        """The zones as a GeoJSON FeatureCollection (plant CRS) with ``level`` etc. in the properties —
        what routing consumes to avoid them."""
        feats = []
        for z in self.zones:
            if z.polygon.is_empty:
                continue
            props = z.as_dict()
            geom = props.pop("polygon")
            feats.append({"type": "Feature", "properties": props, "geometry": geom})
        return {"type": "FeatureCollection", "features": feats}


def levels_for(sc: Scenario, hazard: str = "auto") -> list[tuple[str, str, float | None]]:
    """(colour, guideline, threshold ppm) of the zones of this substance: toxic (AEGL/ERPG/PAC) or flammable
    (60 % / 10 % LEL). ``hazard`` = ``auto`` picks, for a substance that is both, the hazard whose red
    threshold is the lower concentration (the one that reaches farther): H2S, CO, methanol → toxic;
    propane → flammable."""
    sub = sc.substance
    if hazard not in ("auto", "toxic", "flammable"):
        raise ValueError(f"hazard must be auto, toxic or flammable, got {hazard!r}")
    if hazard == "auto" and not sub.toxic and not sub.flammable:
        why = f" ({sub.toxic_pending})" if sub.toxic_pending else ""
        raise ValueError(f"{sub.key} has neither toxic levels (AEGL/ERPG/PAC) nor flammability limits in the "
                         f"substance library{why}: no threat zone can be drawn")
    if hazard == "auto" and sub.toxic and sub.flammable:
        red = next((t for lvl, _, t in toxic_levels(sub) if lvl == "red" and t is not None), None)
        hazard = "toxic" if red is not None and red <= 0.6 * sub.lel * 1e6 else "flammable"
    if hazard == "toxic" or (hazard == "auto" and sub.toxic):
        if not sub.toxic:
            why = f" ({sub.toxic_pending})" if sub.toxic_pending else ""
            raise ValueError(f"{sub.key} has no toxic levels (AEGL/ERPG/PAC) in the substance library{why}")
        return toxic_levels(sub)
    if not sub.flammable:
        raise ValueError(f"{sub.key} has no flammability limits in the substance library")
    lel_ppm = sub.lel * 1e6
    return [("red", "60% LEL", 0.6 * lel_ppm), ("yellow", "10% LEL", 0.1 * lel_ppm)]


def wedge_half_angle(u: float) -> float:
    """Half-angle (degrees) of the wind-direction confidence wedge at wind speed u (m/s)."""
    return float(np.clip(45.0 / math.sqrt(max(u, 1e-9)), 15.0, 45.0))


def _rotation(wind_from_deg: float) -> tuple[np.ndarray, np.ndarray]:
    th = math.radians(wind_from_deg)
    d = np.array([-math.sin(th), -math.cos(th)])  # downwind (east, north)
    n = np.array([-d[1], d[0]])  # left of downwind
    return d, n


def to_world(xl, yl, source_xy: tuple[float, float], wind_from_deg: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Local (downwind, crosswind-left) metres → plant CRS coordinates, as an (n, 2) array."""
    d, n = _rotation(wind_from_deg)
    xl = np.asarray(xl, dtype=float)
    yl = np.asarray(yl, dtype=float)
    return np.column_stack([source_xy[0] + xl * d[0] + yl * n[0], source_xy[1] + xl * d[1] + yl * n[1]])


def to_local(xw, yw, source_xy: tuple[float, float], wind_from_deg: float) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Plant CRS coordinates → (downwind, crosswind-left) metres from the source."""
    d, n = _rotation(wind_from_deg)
    dx = np.asarray(xw, dtype=float) - source_xy[0]
    dy = np.asarray(yw, dtype=float) - source_xy[1]
    return dx * d[0] + dy * d[1], dx * n[0] + dy * n[1]


def footprint(x: np.ndarray, cc: np.ndarray, sy: np.ndarray, thr_g_m3: float
              ) -> tuple[np.ndarray, np.ndarray, float | None, bool]:
    """Half-widths of the footprint where the centreline peak ``cc`` (g/m3) on the axis ``x`` (m) reaches
    ``thr_g_m3``; returns (x, half-width) of the outline, the reach (m, None if never reached) and
    whether it reaches past the last axis point."""
    inside = cc >= thr_g_m3
    if not inside.any():
        return np.empty(0), np.empty(0), None, False
    i0, i1 = int(np.argmax(inside)), int(len(inside) - 1 - np.argmax(inside[::-1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(inside, sy * np.sqrt(2.0 * np.log(np.maximum(cc / thr_g_m3, 1.0))), 0.0)
    xs, ws = list(x[i0:i1 + 1]), list(w[i0:i1 + 1])
    beyond = i1 == len(x) - 1
    reach = float(x[i1])
    if not beyond:  # interpolate the far end in log concentration
        la, lb = math.log(cc[i1]), math.log(max(cc[i1 + 1], 1e-300))
        f = (la - math.log(thr_g_m3)) / (la - lb) if la != lb else 0.0
        reach = float(x[i1] + f * (x[i1 + 1] - x[i1]))
        xs.append(reach)
        ws.append(0.0)
    if i0 > 0:
        xs.insert(0, float(x[i0 - 1]))
        ws.insert(0, 0.0)
    return np.asarray(xs), np.asarray(ws), reach, beyond


def compute_zones(sc: Scenario, source_xy: tuple[float, float] = (0.0, 0.0), hazard: str = "auto",
                  t_s: float | None = None, receptor_z: float = 0.0) -> ZoneSet:
    """Threat zones of a scenario as polygons in the plant CRS (metres) around ``source_xy``.

    ``t_s`` None: the peak within the first 60 minutes (ALOHA's threat zone); a time gives the zones of
    the cloud at that moment (see :mod:`gis.hazards.timeline`). Zones are listed red first."""
    from gis.hazards.dense_gas import dense_gas_warnings
    from gis.hazards.scenario import concentration

    x = _AXIS
    sy, _ = sc.sig(x)
    if t_s is None:
        cc = peak_concentration(sc, x, 0.0, receptor_z)
    else:
        cc = concentration(sc, x, 0.0, receptor_z, t_s)
        if sc.instantaneous:  # the puff's σy is that of its centre, not of x
            sy, _ = sc.sig(np.full_like(x, max(sc.u * t_s, 1e-9)))
    warnings = list(sc.warnings) + dense_gas_warnings(sc)
    if sc.substance.toxic_pending and not sc.substance.toxic:
        warnings.append(f"{sc.substance.key} is acutely toxic but its toxic thresholds are not in the library yet "
                        "— these zones show the fire hazard only, NOT the toxic hazard")
    zones: list[Zone] = []
    largest = None
    for level, guideline, thr in levels_for(sc, hazard):
        if thr is None:
            warnings.append(f"{sc.substance.key}: {guideline} is not defined — no {level} zone")
            continue
        xs, ws, reach, beyond = footprint(x, cc, sy, sc.substance.ppm_to_g_m3(thr))
        if reach is None:
            poly = Polygon()
        else:
            pts = to_world(np.concatenate([xs, xs[::-1]]), np.concatenate([ws, -ws[::-1]]), source_xy,
                           sc.weather.wind_from_deg)
            poly = shapely.make_valid(Polygon(pts)) if len(pts) >= 3 else Polygon()
            if poly.geom_type != "Polygon":
                poly = shapely.convex_hull(poly) if not poly.is_empty else Polygon()
            largest = poly
        if reach is None:
            warnings.append(f"{level} zone ({guideline} {thr:g} ppm): the threshold is not reached anywhere")
        if beyond:
            warnings.append(f"{level} zone ({guideline}) reaches {BEYOND}; the polygon is cut at 10 km")
        elif reach is not None and reach < 100.0:
            warnings.append(f"{level} zone ({guideline}) ends {reach:.0f} m downwind, inside 100 m where the "
                            "Briggs coefficients are extrapolated and the Gaussian model is least reliable")
        zones.append(Zone(level, guideline, float(thr), reach, poly, beyond))
    theta = wedge_half_angle(sc.u)
    wedge = None
    if largest is not None and not largest.is_empty:
        sx, sy0 = source_xy
        parts = [shapely.affinity.rotate(largest, a, origin=(sx, sy0)) for a in (-theta, -theta / 2, 0.0,
                                                                                theta / 2, theta)]
        wedge = shapely.convex_hull(shapely.union_all([*parts, shapely.Point(sx, sy0)]))
    return ZoneSet(zones, wedge, source_xy, sc.weather.wind_from_deg, theta, warnings)
