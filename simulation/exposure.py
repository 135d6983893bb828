"""The release a drill simulates, and each person's toxic exposure along their path.

:class:`ReleaseField` is one release from a plant's hazard source in one weather, through
``gis.hazards``: the concentration (ppm) at any place and time — the Gaussian plume of a continuous
release switched on at t = 0, or, once the source is isolated, the finite-duration plume of Palazzi et
al. (1982) (see :mod:`gis.hazards.plume`) — and the threat zones at a time
(:func:`gis.hazards.timeline.zones_at`) as a routing :class:`~gis.routing.hazard_graph.Hazard`.
Receptors are at ground level, as the threat zones are.

:func:`exposures` integrates the concentration at each person's position over time, sampled every
``dt_s`` (5 s by default; a person walks about 7 m in that time, the plume varies over tens of metres):

* ``dose_ppm_min`` — ∫ C dt, the concentration × time the issue asks for (ppm·min);
* ``peak_ppm`` — the highest concentration met;
* exceeded AEGL-2 — the toxic-load criterion of the AEGL programme's standing operating procedures
  (NRC, *Standing Operating Procedures for Developing Acute Exposure Guideline Levels for Hazardous
  Chemicals*, National Academy Press 2001, §2.7): the ten Berge relation Cⁿ·t = k scales the 60-minute
  AEGL-2 to other durations with n = 3 for shorter and n = 1 for longer exposures when no
  chemical-specific n is set. For a varying concentration that is: exceeded when ∫ C³ dt ≥ AEGL-2³ ×
  3600 s or ∫ C dt ≥ AEGL-2 × 3600 s (the more protective of the two for any duration). Substances
  without an AEGL-2 fall back to ERPG-2; flammable-only substances are judged by the peak reaching
  60 % of the LEL (the red flammable zone).

A person wearing breathing apparatus (a responder after donning SCBA) is not exposed from then on.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import numpy as np
import shapely

from gis.hazards.scenario import Release, Scenario, Weather, build_scenario, concentration
from gis.hazards.substances import Substance
from gis.hazards.timeline import zones_at
from gis.hazards.zones import to_local
from gis.routing.hazard_graph import Hazard

LOAD_EXPONENTS = (3.0, 1.0)  # NRC (2001) SOP default n for shorter / longer durations
AEGL_WINDOW_S = 3600.0


@dataclass
class ReleaseField:
    """A release at ``source_xy`` (plant CRS, m) starting at ``t0`` s on the drill's clock."""

    scenario: Scenario
    source_xy: tuple[float, float]
    t0: float = 0.0

    @classmethod
    def build(cls, release: Release, weather: Weather, source_xy: tuple[float, float], t0: float = 0.0
              ) -> ReleaseField:
        """Validate the release and weather (``gis.hazards.build_scenario``; ValueError naming the input)."""
        return cls(build_scenario(release, weather), (float(source_xy[0]), float(source_xy[1])), float(t0))

    @property
    def substance(self) -> Substance:
        """The substance record (molar mass, AEGL, LEL …)."""
        return self.scenario.substance

    def isolated(self, at_s: float) -> ReleaseField:
        """The same release stopped at drill time ``at_s`` (the source isolated): a finite release of
        ``at_s - t0`` seconds from then on (times before it are unchanged)."""
        dur = max(float(at_s) - self.t0, 1e-3)
        if self.scenario.release.mass_kg is not None:
            return self
        rel = dataclasses.replace(self.scenario.release, duration_s=dur)
        return ReleaseField(build_scenario(rel, self.scenario.weather), self.source_xy, self.t0)

    def ppm(self, x: np.ndarray, y: np.ndarray, t: np.ndarray | float) -> np.ndarray:
        """Ground-level concentration (ppm) at plant coordinates ``x``, ``y`` (m) at drill times ``t`` (s);
        zero before the release."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        tt = np.broadcast_to(np.asarray(t, float) - self.t0, np.broadcast(x, y).shape)
        xl, yl = to_local(x, y, self.source_xy, self.scenario.weather.wind_from_deg)
        out = np.zeros(tt.shape)
        live = tt > 0
        if live.any():
            c = concentration(self.scenario, xl[live], yl[live], 0.0, tt[live])
            out[live] = self.substance.g_m3_to_ppm(np.asarray(c, float))
        return out

    def zones(self, t: float) -> tuple[Hazard, dict]:
        """The threat zones at drill time ``t``: a routing hazard and their GeoJSON FeatureCollection."""
        zs = zones_at(self.scenario, max(t - self.t0, 0.0), self.source_xy)
        hazard = Hazard.from_zones({z.level: z.polygon for z in zs.zones})
        fc = zs.as_geojson()
        for f in fc["features"]:
            f["geometry"] = shapely.geometry.mapping(shapely.set_precision(shapely.geometry.shape(f["geometry"]), 0.01))
        return hazard, json.loads(json.dumps(fc))

    def criterion(self) -> tuple[str, float, bool]:
        """(guideline, threshold in ppm, toxic?) the exposure is judged by (see the module docstring)."""
        sub = self.substance
        if sub.aegl is not None and sub.aegl[1] is not None:
            return "AEGL-2 (60 min)", float(sub.aegl[1]), True
        if sub.erpg is not None and sub.erpg[1] is not None:
            return "ERPG-2", float(sub.erpg[1]), True
        if sub.lel is not None:
            return "60% LEL", 0.6 * sub.lel * 1e6, False
        raise ValueError(f"{sub.key} has neither toxic guideline levels nor a flammability limit")


@dataclass
class Exposure:
    """Per person (rows of the arrays): dose (ppm·min), peak (ppm), load ratio to the limit, exceeded."""

    dose_ppm_min: np.ndarray
    peak_ppm: np.ndarray
    load_ratio: np.ndarray
    exceeded: np.ndarray
    guideline: str
    threshold_ppm: float


def positions_at(tr_t: np.ndarray, tr_x: np.ndarray, tr_y: np.ndarray, x0: float, y0: float,
                 times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A person's position at ``times`` from their path points (before the first point: at ``(x0, y0)``;
    after the last: at the last; in between: on the straight line)."""
    if len(tr_t) == 0:
        return np.full(len(times), x0), np.full(len(times), y0)
    return np.interp(times, tr_t, tr_x, left=x0), np.interp(times, tr_t, tr_y, left=y0)


def exposures(paths: list[tuple[np.ndarray, np.ndarray, np.ndarray]], start_xy: np.ndarray, field: ReleaseField,
              t_end: float, *, dt_s: float = 5.0, protected_from: np.ndarray | None = None) -> Exposure:
    """Exposure of each person (``paths[i]`` = their (t, x, y) points, ``start_xy[i]`` where they were
    before) to ``field`` from its start to drill time ``t_end`` (see the module docstring)."""
    n = len(paths)
    guideline, thr, toxic = field.criterion()
    times = np.arange(field.t0 + dt_s / 2.0, max(t_end, field.t0), dt_s)
    if n == 0 or len(times) == 0:
        z = np.zeros(n)
        return Exposure(z, z.copy(), z.copy(), np.zeros(n, bool), guideline, thr)
    xs = np.empty((n, len(times)))
    ys = np.empty((n, len(times)))
    for i, (tt, xx, yy) in enumerate(paths):
        xs[i], ys[i] = positions_at(tt, xx, yy, float(start_xy[i, 0]), float(start_xy[i, 1]), times)
    c = field.ppm(xs, ys, np.broadcast_to(times, xs.shape))
    if protected_from is not None:
        c = np.where(times[None, :] >= np.asarray(protected_from, float)[:, None], 0.0, c)
    dose = c.sum(axis=1) * dt_s
    peak = c.max(axis=1)
    if toxic:
        n_short, n_long = LOAD_EXPONENTS
        short = (c ** n_short).sum(axis=1) * dt_s / (thr ** n_short * AEGL_WINDOW_S)
        long = (c ** n_long).sum(axis=1) * dt_s / (thr ** n_long * AEGL_WINDOW_S)
        ratio = np.maximum(short, long)
    else:
        ratio = peak / thr
    return Exposure(dose / 60.0, peak, ratio, ratio >= 1.0, guideline, thr)
