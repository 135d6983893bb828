"""Which source is leaking? Rank the plant's hazard sources, and a free point source, by how well each
explains the gas-detector readings and their timing under the current wind, with the release rate fitted
for each.

Method: Bayesian source-term estimation (Keats, Yee & Lien, "Bayesian inference for source determination
with applications to a complex urban environment", Atmos. Environ. 41 (2007) 465–479; Yee, "Theory for
reconstruction of an unknown number of contaminant sources using probabilistic inference", Boundary-Layer
Meteorol. 127 (2008) 359–394), with the low-dimensional posterior integrated by quadrature instead of MCMC:

* forward model: the Gaussian plume of :mod:`gis.hazards.scenario`, linear in the rate, C_i = q·k_i
  (Briggs σ's, the stability and wind given);
* concentration likelihood: log-normal model error, ln(c_i + c0_i) ~ N(ln(q·k_i + c0_i), σ²), σ = 0.7
  (a factor of two, the usual accuracy of a Gaussian plume), c0_i the detector's noise floor (5 % of its
  alarm level) — a detector reading zero where the model puts gas counts against a candidate as much as a
  reading the model cannot reach;
* timing likelihood: a detector whose readings cross its detection level between two readings has an
  arrival-time interval (taken as its midpoint, with the interval's variance); the model's arrival is
  t0 + x_i/u (x_i the distance downwind), with error N(0, s_i²), s_i = 20 s + 0.25·x_i/u, and the unknown
  start t0 at its best value (a weighted mean, closed form). Readings that are steady over the window carry
  no timing information and cost nothing;
* nuisance parameters: the wind direction error δ (prior N(0, 10°), quadrature over ±30° in 2° steps — a
  near-field plume is only a few degrees wide — and 6° steps for the free point) and ln q (log-uniform
  prior over 10⁻⁴–10³ kg/s, 41 nodes);
* evidence of a plant source: the integral of likelihood × prior over δ and ln q; of the free point, also over
  its position (uniform prior over the search box, a 10 m grid). Each plant source and the free point have
  equal prior odds; ``score`` is the posterior probability, summing to 1 over the candidates.

The fitted rate is the posterior mode (refined by a parabola in ln q); its least-squares counterpart is
:func:`gis.hazards.inverse.fit_release_rate`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.special import logsumexp

from gis.hazards.scenario import Release, Weather, build_scenario, concentration
from gis.hazards.substances import Substance, get_substance

SIGMA_LN = 0.7
SIGMA_WIND_DEG = 10.0
DELTAS_DEG = np.arange(-30.0, 30.0 + 1e-9, 2.0)  # a near-field plume is only a few degrees wide
FREE_DELTAS_DEG = np.arange(-30.0, 30.0 + 1e-9, 6.0)  # the free point's position absorbs the rest
LN_Q = np.linspace(math.log(1e-4), math.log(1e3), 41)
NOISE_FRACTION = 0.05
FREE_GRID_M = 10.0
FREE_MARGIN_M = 250.0
MAX_PPM = 1e6
UNITS = ("ppm", "%LEL", "%vol", "mg/m3")


@dataclass(frozen=True)
class Detector:
    """A fixed gas detector: id, position (plant CRS m), the substance it measures (library key), the unit
    of its readings and its alarm level in that unit."""

    id: str
    x: float
    y: float
    substance: str
    unit: str
    alarm: float


@dataclass(frozen=True)
class Reading:
    """One reading: detector id, aware time, value and unit (``ppm``, ``%LEL``, ``%vol`` or ``mg/m3``)."""

    sensor_id: str
    time: dt.datetime
    value: float
    unit: str


@dataclass(frozen=True)
class SourceCandidate:
    """A possible release point: a plant hazard source (id, name) or, with ``id`` None, the free point."""

    id: str | None
    x: float
    y: float
    substance: str
    name: str = ""


@dataclass
class RankedCandidate:
    """One ranked explanation: the source (``source_id`` None for the free point), its position, the
    fitted rate (kg/s), the posterior probability ``score``, the log evidence, the detectors used, the
    most likely wind-direction correction, and the misfits."""

    source_id: str | None
    substance: str
    rate_kg_s: float
    score: float
    x: float
    y: float
    name: str
    log_evidence: float
    wind_offset_deg: float
    sensors_used: int
    ln_rms: float
    arrival_rms_s: float | None

    def to_dict(self) -> dict:
        """JSON-ready record (numbers rounded; ``arrival_rms_s`` null without timing information)."""
        return {"source_id": self.source_id, "substance": self.substance, "rate_kg_s": float(f"{self.rate_kg_s:.4g}"),
                "score": round(self.score, 6), "x": round(self.x, 2), "y": round(self.y, 2), "name": self.name,
                "log_evidence": round(self.log_evidence, 3), "wind_offset_deg": self.wind_offset_deg,
                "sensors_used": self.sensors_used, "ln_rms": round(self.ln_rms, 3),
                "arrival_rms_s": None if self.arrival_rms_s is None else round(self.arrival_rms_s, 1)}


@dataclass
class LocateResult:
    """The ranking (best first), the substance analysed, the per-detector summary and the warnings."""

    candidates: list[RankedCandidate]
    substance: str
    sensors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def to_ppm(value: float, unit: str, sub: Substance) -> float:
    """A reading in ``unit`` as ppm by volume (25 °C, 1 atm): %LEL via the library's LEL, %vol × 10⁴,
    mg/m3 via the molar volume. ValueError naming the unit when it is unknown or %LEL has no LEL."""
    if unit == "ppm":
        return value
    if unit == "%vol":
        return value * 1e4
    if unit == "%LEL":
        if sub.lel is None:
            raise ValueError(f"a %LEL reading needs the LEL of {sub.key}, which the library does not have")
        return value / 100.0 * sub.lel * 1e6
    if unit == "mg/m3":
        return float(sub.g_m3_to_ppm(value / 1000.0))
    raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")


@dataclass(frozen=True)
class _Obs:
    xy: np.ndarray  # (n, 2)
    c: np.ndarray  # steady value, ppm
    c0: np.ndarray  # noise floor, ppm
    lo: np.ndarray  # arrival interval start, s since t_ref (-inf: arrived before the first reading)
    hi: np.ndarray  # arrival interval end (nan: never detected)
    ids: list[str]


def _observations(detectors: dict[str, Detector], readings: list[Reading], sub: Substance,
                  t_ref: dt.datetime) -> _Obs:
    by: dict[str, list[Reading]] = {}
    for r in readings:
        if r.sensor_id in detectors:
            by.setdefault(r.sensor_id, []).append(r)
    ids = sorted(by)
    xy, c, c0, lo, hi = [], [], [], [], []
    for sid in ids:
        d = detectors[sid]
        rs = sorted(by[sid], key=lambda r: r.time)
        t = np.array([(r.time - t_ref).total_seconds() for r in rs])
        v = np.array([to_ppm(r.value, r.unit, sub) for r in rs])
        floor = max(NOISE_FRACTION * to_ppm(d.alarm, d.unit, sub), 1e-3)
        det = v >= 2.0 * floor
        xy.append((d.x, d.y))
        c0.append(floor)
        if det.any():
            i = int(np.argmax(det))
            c.append(float(np.median(v[i:])))
            lo.append(-np.inf if i == 0 else float(t[i - 1]))
            hi.append(float(t[i]))
        else:
            c.append(float(np.median(v)))
            lo.append(np.nan)
            hi.append(np.nan)
    return _Obs(np.asarray(xy, float).reshape(-1, 2), np.asarray(c), np.asarray(c0), np.asarray(lo),
                np.asarray(hi), ids)


def _local(src_xy: np.ndarray, sens_xy: np.ndarray, wind_from_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(downwind, crosswind) of every sensor from every source for every wind direction: arrays of shape
    (n_dirs, n_src, n_sens)."""
    th = np.radians(wind_from_deg)[:, None, None]
    dx = sens_xy[None, None, :, 0] - src_xy[None, :, None, 0]
    dy = sens_xy[None, None, :, 1] - src_xy[None, :, None, 1]
    ex, ey = -np.sin(th), -np.cos(th)
    return dx * ex + dy * ey, dx * (-ey) + dy * ex


def _unit_field(sc, xl: np.ndarray, yl: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """ppm at 1 kg/s for the local coordinates (steady plume)."""
    return np.minimum(np.asarray(sc.substance.g_m3_to_ppm(concentration(sc, xl, yl, 0.0))), MAX_PPM)


def _timing_ll(xl: np.ndarray, u: float, obs: _Obs) -> np.ndarray:
    """Log-likelihood of the arrival times, maximised over the start time, for each (dir, src): the input
    ``xl`` is (n_dirs, n_src, n_sens). Each detection interval is taken as its midpoint with the interval's
    variance (width²/12) added to the model's s_i²; the best start time is then the weighted mean residual
    (closed form). Detectors the candidate puts upwind carry no timing term (the concentration term
    already counts against it)."""
    timed = np.isfinite(obs.hi) & np.isfinite(obs.lo)
    if timed.sum() < 2:
        return np.zeros(xl.shape[:2])
    x = xl[..., timed]
    mid = 0.5 * (obs.lo[timed] + obs.hi[timed])
    width2 = (obs.hi[timed] - obs.lo[timed]) ** 2 / 12.0
    down = x > 0
    tau = np.where(down, x, 0.0) / u
    w = np.where(down, 1.0 / ((20.0 + 0.25 * tau) ** 2 + width2), 0.0)
    r = mid - tau
    wsum = np.maximum(w.sum(axis=-1, keepdims=True), 1e-300)
    t0 = (w * r).sum(axis=-1, keepdims=True) / wsum
    return -0.5 * np.sum(w * (r - t0) ** 2, axis=-1)


def _score(k: np.ndarray, obs: _Obs, timing: np.ndarray, deltas: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For unit fields k (n_dirs, n_src, n_sens) at the wind corrections ``deltas``: (log evidence per src,
    best ln q per src, best dir index per src, ln residual rms per src)."""
    y = np.log(obs.c + obs.c0)
    q = np.exp(LN_Q)
    pred = np.log(q[:, None, None, None] * k[None] + obs.c0)  # (nq, ndir, nsrc, nsens)
    ll = -0.5 * np.sum(((y - pred) / SIGMA_LN) ** 2, axis=-1) + timing[None]  # (nq, ndir, nsrc)
    w = -0.5 * (deltas / SIGMA_WIND_DEG) ** 2
    w = w - logsumexp(w)
    ev = logsumexp(ll + w[None, :, None], axis=(0, 1)) - math.log(len(LN_Q))
    flat = (ll + w[None, :, None]).reshape(-1, ll.shape[2])
    arg = np.argmax(flat, axis=0)
    iq, idir = np.unravel_index(arg, ll.shape[:2])
    lnq = LN_Q[iq].astype(float)
    src = np.arange(ll.shape[2])
    inner = (iq > 0) & (iq < len(LN_Q) - 1)
    if inner.any():  # parabola through the three nodes around the mode
        a = ll[np.clip(iq - 1, 0, None), idir, src]
        b = ll[iq, idir, src]
        c = ll[np.clip(iq + 1, None, len(LN_Q) - 1), idir, src]
        den = a - 2 * b + c
        h = LN_Q[1] - LN_Q[0]
        off = np.where(inner & (den < 0), 0.5 * (a - c) / np.where(den == 0, -1, den), 0.0)
        lnq = lnq + np.clip(off, -0.5, 0.5) * h
    res = y - pred[iq, idir, src]
    rms = np.sqrt(np.mean(res ** 2, axis=-1))
    return ev, lnq, idir, rms


def rank_sources(sources: list[SourceCandidate], detectors: list[Detector], readings: list[Reading],
                 weather: Weather, *, free_point: bool = True,
                 search_box: tuple[float, float, float, float] | None = None) -> LocateResult:
    """Rank ``sources`` (and, with ``free_point``, a release anywhere in ``search_box`` — default: the
    alarming detectors' box ± 250 m) by their posterior probability given ``readings`` (see the module
    docstring). Only detectors of the analysed substance count: the substance whose detectors alarm the
    most (ties: the higher reading/alarm ratio). ``weather`` must resolve a stability class.

    Raises ValueError naming the problem: no readings of a known detector, a non-finite or negative
    value, an unknown unit, no detector at or above its alarm level."""
    det_by_id = {d.id: d for d in detectors}
    unknown = sorted({r.sensor_id for r in readings} - set(det_by_id))
    warnings = [f"readings of unknown detectors ignored: {', '.join(unknown[:10])}"] if unknown else []
    for r in readings:
        if not math.isfinite(r.value) or r.value < 0:
            raise ValueError(f"reading of {r.sensor_id} at {r.time.isoformat()}: value must be finite and ≥ 0, "
                             f"got {r.value}")
        if r.unit not in UNITS:
            raise ValueError(f"reading of {r.sensor_id}: unit {r.unit!r} is not one of {', '.join(UNITS)}")
    alarms: dict[str, list[float]] = {}
    for d in detectors:
        rs = [r for r in readings if r.sensor_id == d.id]
        if rs:
            sub = get_substance(d.substance)
            peak = max(to_ppm(r.value, r.unit, sub) for r in rs) / max(to_ppm(d.alarm, d.unit, sub), 1e-12)
            if peak >= 1.0:
                alarms.setdefault(sub.key, []).append(peak)
    if not alarms:
        raise ValueError("no detector reads at or above its alarm level: nothing to locate")
    key = max(alarms, key=lambda k: (len(alarms[k]), max(alarms[k])))
    if len(alarms) > 1:
        warnings.append(f"detectors of several substances alarm ({', '.join(sorted(alarms))}); ranking {key}, "
                        "the one with the most alarms")
    sub = get_substance(key)
    dets = {i: d for i, d in det_by_id.items() if get_substance(d.substance).key == key}
    rs = [r for r in readings if r.sensor_id in dets]
    t_ref = min(r.time for r in rs)
    obs = _observations(dets, rs, sub, t_ref)
    sc = build_scenario(Release(key, rate_kg_s=1.0), weather)
    u = sc.u
    dirs = weather.wind_from_deg + DELTAS_DEG
    cands = [s for s in sources if get_substance(s.substance).key == key]
    out: list[RankedCandidate] = []
    if cands:
        sxy = np.array([(s.x, s.y) for s in cands], float)
        xl, yl = _local(sxy, obs.xy, dirs)
        ev, lnq, idir, rms = _score(_unit_field(sc, xl, yl), obs, _timing_ll(xl, u, obs), DELTAS_DEG)
        for i, s in enumerate(cands):
            out.append(RankedCandidate(s.id, key, math.exp(lnq[i]), 0.0, s.x, s.y, s.name, float(ev[i]),
                                       float(DELTAS_DEG[idir[i]]), len(obs.ids), float(rms[i]),
                                       _arrival_rms(xl[idir[i], i], u, obs)))
    if free_point:
        out.append(_free_point(sc, obs, u, weather.wind_from_deg + FREE_DELTAS_DEG, key, search_box))
    logs = np.array([c.log_evidence for c in out])
    post = np.exp(logs - logsumexp(logs))
    for c, p in zip(out, post, strict=True):
        c.score = float(p)
    out.sort(key=lambda c: -c.log_evidence)
    summary = [{"sensor_id": sid, "x": float(obs.xy[i, 0]), "y": float(obs.xy[i, 1]), "ppm": float(obs.c[i]),
                "arrival_s": None if not np.isfinite(obs.hi[i]) else float(obs.hi[i])}
               for i, sid in enumerate(obs.ids)]
    if not cands:
        warnings.append(f"no plant hazard source holds {key}: only the free point is ranked")
    return LocateResult(out, key, summary, warnings)


def _arrival_rms(xl: np.ndarray, u: float, obs: _Obs) -> float | None:
    timed = np.isfinite(obs.hi) & np.isfinite(obs.lo) & (xl > 0)
    if timed.sum() < 2:
        return None
    tau = xl[timed] / u
    mid = 0.5 * (obs.lo[timed] + obs.hi[timed])
    t0 = float(np.mean(mid - tau))
    return float(np.sqrt(np.mean((mid - t0 - tau) ** 2)))


def _free_point(sc, obs: _Obs, u: float, dirs: np.ndarray, key: str,  # type: ignore[no-untyped-def]
                box: tuple[float, float, float, float] | None) -> RankedCandidate:
    hot = obs.c >= 2.0 * obs.c0
    pts = obs.xy[hot] if hot.any() else obs.xy
    if box is None:
        box = (pts[:, 0].min() - FREE_MARGIN_M, pts[:, 1].min() - FREE_MARGIN_M,
               pts[:, 0].max() + FREE_MARGIN_M, pts[:, 1].max() + FREE_MARGIN_M)
    gx = np.arange(box[0], box[2] + 1e-9, FREE_GRID_M)
    gy = np.arange(box[1], box[3] + 1e-9, FREE_GRID_M)
    grid = np.array([(x, y) for y in gy for x in gx], float)
    area = max((box[2] - box[0]) * (box[3] - box[1]), FREE_GRID_M ** 2)
    evs, best = [], None
    for start in range(0, len(grid), 400):  # chunks keep the (q, dir, src, sensor) array small
        g = grid[start:start + 400]
        xl, yl = _local(g, obs.xy, dirs)
        ev, lnq, idir, rms = _score(_unit_field(sc, xl, yl), obs, _timing_ll(xl, u, obs), FREE_DELTAS_DEG)
        evs.append(ev)
        j = int(np.argmax(ev))
        if best is None or ev[j] > best[0]:
            best = (float(ev[j]), g[j], float(lnq[j]), int(idir[j]), float(rms[j]), xl[idir[j], j])
    ev_all = np.concatenate(evs)
    log_ev = float(logsumexp(ev_all) + math.log(FREE_GRID_M ** 2 / area))
    _, xy, lnq, idir, rms, xl_best = best
    return RankedCandidate(None, key, math.exp(lnq), 0.0, float(xy[0]), float(xy[1]), "free point", log_ev,
                           float(FREE_DELTAS_DEG[idir]), len(obs.ids), rms, _arrival_rms(xl_best, u, obs))


def plant_candidates(plant) -> tuple[list[SourceCandidate], list[Detector]]:  # type: ignore[no-untyped-def]
    """The hazard sources and gas detectors of a loaded plant package (plant CRS metres); detectors without
    a substance or an alarm level are left out."""
    hs = plant.layers["hazard_sources"]
    srcs = []
    for sid, row in hs.iterrows():
        try:
            key = get_substance(str(row["substance"])).key
        except ValueError:
            continue
        name = str(row.get("name", "") or "")
        srcs.append(SourceCandidate(str(sid), float(row.geometry.x), float(row.geometry.y), key, name))
    dets = []
    sl = plant.layers.get("sensors")
    if sl is not None:
        for sid, row in sl.iterrows():
            if str(row.get("kind")) != "gas" or row.get("substance") in (None, "") or row.get("alarm") is None:
                continue
            try:
                key = get_substance(str(row["substance"])).key
            except ValueError:
                continue
            alarm = float(row["alarm"])
            if not math.isfinite(alarm) or alarm <= 0:
                continue
            dets.append(Detector(str(sid), float(row.geometry.x), float(row.geometry.y), key,
                                 str(row.get("unit") or "ppm"), alarm))
    return srcs, dets


def simulate_readings(source: SourceCandidate, rate_kg_s: float, detectors: list[Detector], weather: Weather,
                      start: dt.datetime, *, duration_s: float = 600.0, step_s: float = 10.0,
                      rng: np.random.Generator | None = None, noise_ln: float = 0.3, wind_error_deg: float = 0.0,
                      delay_s: float = 60.0) -> list[Reading]:
    """Readings every ``step_s`` seconds for ``duration_s`` of the detectors of ``source``'s substance
    during a release that started ``delay_s`` before the first reading: the finite-time plume (switched on
    at t = 0) in a wind turned by ``wind_error_deg`` from the stated one, with log-normal noise of
    ``noise_ln`` and the detector's resolution (1 % of its alarm level) — test and benchmark data."""
    rng = rng or np.random.default_rng(0)
    sub = get_substance(source.substance)
    sc = build_scenario(Release(sub.key, rate_kg_s=rate_kg_s), replace(weather, wind_from_deg=weather.wind_from_deg
                                                                        + wind_error_deg))
    mine = [d for d in detectors if get_substance(d.substance).key == sub.key]
    xy = np.array([(d.x, d.y) for d in mine], float)
    xl, yl = _local(np.array([[source.x, source.y]]), xy, np.array([sc.weather.wind_from_deg]))
    times = np.arange(0.0, duration_s + 1e-9, step_s)
    out = []
    for i, d in enumerate(mine):
        c = np.asarray(sub.g_m3_to_ppm(concentration(sc, np.full_like(times, xl[0, 0, i]),
                                                     np.full_like(times, yl[0, 0, i]), 0.0, times + delay_s)))
        c = np.minimum(c, MAX_PPM) * np.exp(rng.normal(0.0, noise_ln, len(times)))
        per = to_ppm(d.alarm, d.unit, sub) / 100.0
        c = np.round(c / per) * per
        factor = to_ppm(1.0, d.unit, sub)
        for t, v in zip(times, c, strict=True):
            out.append(Reading(d.id, start + dt.timedelta(seconds=float(t)), float(v / factor), d.unit))
    return out
