"""Blind drill scenarios: a seeded draw of what happens, where, when and in what weather.

:func:`blind_scenario` picks, from one integer seed (``numpy.random.default_rng``), everything a drill
coordinator sets and participants must not know in a blind (unannounced, 双盲) drill:

* **the source** — uniformly among the plant's hazard sources whose substance a valid plan of the
  library covers (``plan.substances``) and that have a gas detector of that substance within
  :data:`DETECTOR_RANGE_M`, so the drill exercises detection, a plan and its people (whether the cloud
  reaches the detector depends on the wind: a coverage gap is a finding, not a broken drill);
* **the plan** the scenario falls under — uniformly among those plans, release plans (toxic or
  flammable release) first when the substance has any (the one the duty officer is expected to
  launch);
* **the release** — a hole of one of the representative sizes of API RP 581 (¼ in, 1 in, 4 in: 6.35,
  25.4 and 101.6 mm; equal odds, a stated assumption) in the source at its stored pressure and
  temperature; the rate from ``gis.hazards.source_term.source_rate`` (Crowl & Louvar), capped so the
  inventory is not exceeded within the hour; it lasts until the inventory is gone or the source is
  isolated (a task of the plan whose id starts with ``isolate``);
* **the weather** — wind speed log-normal (median 2.5 m/s, log s.d. 0.5, clipped to 1–12 m/s: the
  Gaussian model's floor is 1 m/s), direction uniform, cloud cover uniform 0–10 tenths; day or night
  from the start time (06:00–18:00 local is day) and the Pasquill class from Turner's table
  (``gis.hazards.stability``). These distributions are planning assumptions: replace them with the
  site's wind rose when it is known;
* **the time** — uniform to the minute within ``window_days`` days from ``window_start`` (plant time),
  so night shifts and weekends are drilled too;
* **detectable** — hole and weather are redrawn until a detector of the substance would reach its
  alarm level within :data:`DETECTION_WINDOW_S` (a drill exercises the response; whether the detectors
  cover every source in every wind is a separate question, see ``docs/simulation.md``).

The same seed and window always give the same scenario.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gis.hazards.scenario import Release, Weather
from gis.hazards.source_term import SourceTermError, source_rate
from gis.hazards.stability import stability_from_weather
from gis.hazards.substances import UnknownSubstanceError, get_substance
from gis.substances import normalise_substance

HOLE_SIZES_MM = (6.35, 25.4, 101.6)
WIND_MEDIAN_MPS, WIND_LOG_SD, WIND_RANGE = 2.5, 0.5, (1.0, 12.0)
DAY_HOURS = (6, 18)
MAX_RELEASE_S = 3600.0
DETECTOR_RANGE_M = 150.0
DETECTION_WINDOW_S = 600.0
MAX_DRAWS = 30
RELEASE_CATEGORIES = frozenset({"toxic_release", "flammable_release"})


class ScenarioError(ValueError):
    """No drill can be drawn for this plant and plan library (the message says why)."""


@dataclass(frozen=True)
class DrillScenario:
    """One drawn scenario (see the module docstring); times are plant-local and aware."""

    scenario_id: str
    seed: int
    kind: str
    plan_id: str
    source_id: str
    substance: str
    source_xy: tuple[float, float]
    hole_mm: float
    rate_kg_s: float
    max_duration_s: float
    phase: str
    weather: dict[str, Any]
    start: dt.datetime
    hidden: bool = True
    params: dict[str, Any] = field(default_factory=dict)

    def release(self) -> Release:
        """The release for ``gis.hazards``: at ``rate_kg_s`` until the inventory is gone (a drill ends it
        earlier when the source is isolated)."""
        dur = self.max_duration_s if math.isfinite(self.max_duration_s) and self.max_duration_s < 1e9 else None
        return Release(self.substance, rate_kg_s=self.rate_kg_s, duration_s=dur)

    def weather_model(self) -> Weather:
        """The weather for ``gis.hazards``."""
        w = self.weather
        return Weather(wind_speed=w["wind_speed_mps"], wind_from_deg=w["wind_from_deg"], stability=w["stability"],
                       cloud_cover_tenths=w["cloud_cover_tenths"], day=w["day"])

    def to_payload(self) -> dict[str, Any]:
        """The ``drill.scenario`` event payload (what the coordinator sees; ``hidden`` from participants)."""
        return {
            "scenario_id": self.scenario_id, "seed": self.seed, "kind": self.kind, "source_id": self.source_id,
            "plan_id": self.plan_id, "weather": dict(self.weather), "start": self.start.isoformat(),
            "hidden": self.hidden,
            "params": {"substance": self.substance, "x": self.source_xy[0], "y": self.source_xy[1],
                       "hole_mm": self.hole_mm, "rate_kg_s": self.rate_kg_s, "max_duration_s": self.max_duration_s,
                       "phase": self.phase, **self.params},
        }


def drillable_sources(plant: Any, plans: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(source id, substance, plan ids) of every hazard source a blind drill may use (see the module
    docstring), in source-id order."""
    sensors = plant.layers["sensors"]
    det: dict[str, np.ndarray] = {}
    if len(sensors):
        gas = sensors[(sensors["kind"].astype(str) == "gas") & sensors["substance"].notna()]
        for sub, grp in gas.groupby(gas["substance"].map(lambda v: normalise_substance(str(v)))):
            det[str(sub)] = np.column_stack([grp.geometry.x.to_numpy(float), grp.geometry.y.to_numpy(float)])
    by_sub: dict[str, list[str]] = {}
    for pid in sorted(plans):
        for s in plans[pid].substances:
            key = normalise_substance(str(s))
            if key:
                by_sub.setdefault(key, []).append(pid)
    for key, pids in by_sub.items():
        release = [p for p in pids if plans[p].category in RELEASE_CATEGORIES]
        by_sub[key] = release or pids
    out = []
    src = plant.layers["hazard_sources"]
    for sid in sorted(str(i) for i in src.index):
        sub = normalise_substance(str(src.loc[sid, "substance"]))
        g = src.geometry.loc[sid]
        near = sub in det and bool((np.hypot(det[sub][:, 0] - g.x, det[sub][:, 1] - g.y) <= DETECTOR_RANGE_M).any())
        if sub and near and sub in by_sub:
            try:
                get_substance(sub)
            except UnknownSubstanceError:
                continue
            out.append((sid, sub, by_sub[sub]))
    return out


def _alarm_units(plant: Any, sub_key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions (n, 2), alarm thresholds and ppm→reading factors of the detectors of ``sub_key``."""
    s = plant.layers["sensors"]
    s = s[(s["kind"].astype(str) == "gas") & s["substance"].map(
        lambda v: isinstance(v, str) and normalise_substance(v) == sub_key)]
    lel = get_substance(sub_key).lel
    unit = s["unit"].astype(str).to_numpy()
    per = np.where(unit == "%LEL", 100.0 / (lel * 1e6) if lel else np.nan, np.where(unit == "%vol", 1e-4, 1.0))
    xy = np.column_stack([s.geometry.x.to_numpy(float), s.geometry.y.to_numpy(float)]).reshape(-1, 2)
    return xy, s["alarm"].to_numpy(float), per


def _detected(xy: np.ndarray, alarm: np.ndarray, per: np.ndarray, sub_key: str, rate: float, dur: float,
              weather: dict[str, Any], source_xy: tuple[float, float]) -> bool:
    """Whether a detector reaches its alarm level within :data:`DETECTION_WINDOW_S` of the release start."""
    from simulation.exposure import ReleaseField

    release = Release(sub_key, rate_kg_s=rate, duration_s=dur if dur < 1e9 else None)
    w = Weather(weather["wind_speed_mps"], weather["wind_from_deg"], weather["stability"],
                weather["cloud_cover_tenths"], weather["day"])
    f = ReleaseField.build(release, w, source_xy)
    times = np.arange(10.0, DETECTION_WINDOW_S + 1.0, 10.0)
    c = f.ppm(np.repeat(xy[:, :1], len(times), 1), np.repeat(xy[:, 1:], len(times), 1), times[None, :])
    return bool((np.nan_to_num(c * per[:, None]) >= alarm[:, None]).any())


def blind_scenario(plant: Any, plans: dict[str, Any], seed: int, *, window_start: dt.datetime | None = None,
                   window_days: float = 30.0, hidden: bool = True) -> DrillScenario:
    """Draw the scenario of ``seed`` for ``plant`` and the valid ``plans`` (by id). ``window_start``
    (default: 2026-12-01 00:00 plant time) and ``window_days`` bound the start time. The release and
    weather are redrawn (up to :data:`MAX_DRAWS` times, then another source) until a detector would alarm
    within :data:`DETECTION_WINDOW_S` — a drill exercises the response, so its release is one the plant
    can notice. Raises :class:`ScenarioError` when no source qualifies."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ScenarioError(f"seed must be a whole number ≥ 0, got {seed!r}")
    if not (math.isfinite(window_days) and window_days > 0):
        raise ScenarioError(f"window_days must be a positive number of days, got {window_days!r}")
    tz = zoneinfo.ZoneInfo(plant.timezone)
    start0 = (window_start or dt.datetime(2026, 12, 1)).replace(tzinfo=None)
    candidates = drillable_sources(plant, plans)
    if not candidates:
        raise ScenarioError("no hazard source of the plant has both a valid plan (its substances) and a gas "
                            f"detector of that substance within {DETECTOR_RANGE_M:g} m: nothing to drill")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(candidates))
    minutes = int(rng.integers(0, int(window_days * 24 * 60)))
    start = (start0 + dt.timedelta(minutes=minutes)).replace(tzinfo=tz)
    day = DAY_HOURS[0] <= start.hour < DAY_HOURS[1]
    for k in order.tolist():
        sid, sub_key, plan_ids = candidates[k]
        src = plant.layers["hazard_sources"].loc[sid]
        geom = plant.layers["hazard_sources"].geometry.loc[sid]
        xy = (round(float(geom.x), 2), round(float(geom.y), 2))
        sub = get_substance(sub_key)
        det = _alarm_units(plant, sub_key)
        inventory = float(src["inventory_kg"])
        for attempt in range(MAX_DRAWS):
            hole = float(HOLE_SIZES_MM[int(rng.integers(len(HOLE_SIZES_MM)))])
            try:
                rate = source_rate(sub, hole / 1000.0, float(src["pressure_bar"]), float(src["temperature_c"]))
            except SourceTermError as exc:
                raise ScenarioError(f"source {sid}: {exc}") from None
            q, phase = rate.rate_kg_s, rate.phase
            if q <= 0:  # no overpressure (an atmospheric tank): a spill evaporating at a small assumed rate
                q, phase = min(0.1, inventory / MAX_RELEASE_S), "evaporation"
            q = float(f"{min(q, inventory / 60.0):.4g}")  # never empty the inventory in under a minute
            max_dur = round(inventory / q, 1)
            u = float(np.clip(WIND_MEDIAN_MPS * math.exp(WIND_LOG_SD * rng.standard_normal()), *WIND_RANGE))
            cloud = float(rng.integers(0, 11))
            weather = {"wind_speed_mps": round(u, 2), "wind_from_deg": round(float(rng.uniform(0.0, 360.0)), 1),
                       "stability": stability_from_weather(round(u, 2), cloud, day), "cloud_cover_tenths": cloud,
                       "day": day}
            if not _detected(*det, sub_key, q, max_dur, weather, xy):
                continue
            plan_id = plan_ids[int(rng.integers(len(plan_ids)))]
            return DrillScenario(
                scenario_id=f"BLIND-{seed}", seed=seed, kind=str(plans[plan_id].category), plan_id=plan_id,
                source_id=sid, substance=sub_key, source_xy=xy, hole_mm=hole, rate_kg_s=q, max_duration_s=max_dur,
                phase=phase, weather=weather, start=start, hidden=hidden,
                params={"inventory_kg": inventory, "draws": attempt + 1})
    raise ScenarioError(f"no release of the {len(candidates)} drillable sources reaches a detector's alarm level "
                        f"within {DETECTION_WINDOW_S:g} s in {MAX_DRAWS} weather draws each")
