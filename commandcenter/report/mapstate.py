"""Where people and hazards were (pure): people inside each hazard zone over time, and the picture of the
plant at the key moments (positions, zones, routes, alarms)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from commandcenter.projections.replay import Tracks
from commandcenter.report.data import ALARM_LEVELS, ZONE_ORDER, AssemblyPoint, KeyTime, Snapshot, ZoneOccupancy


def _zone_polys(zones: list[Any]) -> list[tuple[str, Any]]:
    out = []
    for z in zones or []:
        if not isinstance(z, dict):
            continue
        level = z.get("level") or (z.get("properties") or {}).get("level")
        try:
            geom = shape(z["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        out.append((str(level), geom if geom.is_valid else shapely.make_valid(geom)))
    return out


def _level_order(levels: Iterable[str]) -> list[str]:
    known = [lv for lv in ZONE_ORDER if lv in set(levels)]
    return known + sorted(set(levels) - set(ZONE_ORDER))


def _positions_at(tracks: Tracks, t_us: int, mustered: dict[str, tuple[int, str]],
                  aps: Mapping[str, AssemblyPoint]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Everyone's position at t: last report, or their assembly point once mustered (NaN when unknown);
    status 0 on site, 1 mustered."""
    x, y, _ = tracks.at(t_us)
    x, y = x.copy(), y.copy()
    status = np.zeros(len(tracks.ids), dtype=np.int8)
    for i, pid in enumerate(tracks.ids):
        m = mustered.get(pid)
        if m is not None and m[0] <= t_us:
            status[i] = 1
            ap = aps.get(m[1])
            x[i], y[i] = (ap.x, ap.y) if ap is not None else (np.nan, np.nan)
    return x, y, status


def zone_occupancy(records: list[Any], tracks: Tracks, t0: int, t_end: int, aps: Mapping[str, AssemblyPoint],
                   max_samples: int = 720) -> ZoneOccupancy | None:
    """People inside each hazard zone level over time (None without an assessment or positions)."""
    assessments = [(r.t_us, _zone_polys(r.payload.get("zones"))) for r in records if r.type == "hazard.assessed"]
    assessments = [a for a in assessments if a[1]]
    if not assessments or not len(tracks):
        return None
    start = assessments[0][0]
    step_us = max(5_000_000, math.ceil((t_end - start) / max_samples / 1e6) * 1_000_000)
    samples = np.arange(start, t_end + 1, step_us, dtype=np.int64)
    if samples[-1] != t_end:
        samples = np.append(samples, t_end)
    mustered_t = np.full(len(tracks.ids), np.iinfo(np.int64).max, dtype=np.int64)
    ap_x = np.full(len(tracks.ids), np.nan)
    ap_y = np.full(len(tracks.ids), np.nan)
    for r in records:
        if r.type == "person.mustered":
            i = tracks.index.get(str(r.payload["person_id"]))
            if i is not None and mustered_t[i] == np.iinfo(np.int64).max:
                mustered_t[i] = r.t_us
                ap = aps.get(str(r.payload["assembly_point_id"]))
                if ap is not None:
                    ap_x[i], ap_y[i] = ap.x, ap.y
    levels = _level_order({lv for _, polys in assessments for lv, _ in polys})
    counts = {lv: np.zeros(len(samples), dtype=np.int64) for lv in levels}
    a_times = np.array([a[0] for a in assessments], dtype=np.int64)
    which = np.searchsorted(a_times, samples, side="right") - 1
    for k, t in enumerate(samples.tolist()):
        x, y, _ = tracks.at(t)
        done = mustered_t <= t
        x = np.where(done, ap_x, x)
        y = np.where(done, ap_y, y)
        ok = np.isfinite(x) & np.isfinite(y)
        px, py = x[ok], y[ok]
        for lv, geom in assessments[which[k]][1]:
            counts[lv][k] += int(shapely.contains_xy(geom, px, py).sum())
    times = ((samples - t0) / 1e6).tolist()
    peak = {lv: (int(c.max()), float(times[int(c.argmax())])) for lv, c in counts.items()}
    return ZoneOccupancy(times, {lv: c.tolist() for lv, c in counts.items()}, peak)


def snapshot_times(key_times: list[KeyTime], t0: int, t_end: int, limit: int = 4) -> list[tuple[str, int]]:
    """The moments the map is drawn at, at most ``limit``: the launch (else the first alarm), the first hazard
    assessment, 90 % accounted for (else the middle) and the end; moments closer than 1/20 of the incident
    (at least 5 s) to an earlier one are dropped."""
    have = {k.key: k.t_us for k in key_times}
    picks = [("launched", have["launched"]) if "launched" in have else
             ("first_alarm", have["first_alarm"]) if "first_alarm" in have else ("opened", t0)]
    if "first_assessment" in have:
        picks.append(("first_assessment", have["first_assessment"]))
    picks.append(("muster_90", have["muster_90"]) if "muster_90" in have else ("middle", (t0 + t_end) // 2))
    picks.sort(key=lambda kt: kt[1])
    gap = max(5_000_000, (t_end - t0) // 20)
    out: list[tuple[str, int]] = []
    for k, t in picks:
        if out and t - out[-1][1] < gap:
            out[-1] = (k, t)  # too close: the later picture shows more (the zones just computed, …)
        else:
            out.append((k, t))
    out = out[: limit - 1]
    if out and t_end - out[-1][1] < gap:
        out.pop()
    return [*out, ("end", t_end)]


def snapshot_at(key: str, t_us: int, records: list[Any], tracks: Tracks, aps: Mapping[str, AssemblyPoint]
                ) -> Snapshot:
    """Who is where at ``t_us``, with the zones, routes and alarms in force."""
    mustered: dict[str, tuple[int, str]] = {}
    sos: set[str] = set()
    zones: list[dict[str, Any]] = []
    zones_t: int | None = None
    routes: dict[str, list[int]] = {}
    alarms: dict[str, bool] = {}
    for r in records:
        if r.t_us > t_us:
            break
        p = r.payload
        if r.type == "person.mustered":
            mustered.setdefault(str(p["person_id"]), (r.t_us, str(p["assembly_point_id"])))
        elif r.type == "person.sos":
            sos.add(str(p["person_id"]))
        elif r.type == "hazard.assessed":
            zones = [{"level": lv, "geometry": shapely.geometry.mapping(g)} for lv, g in _zone_polys(p.get("zones"))]
            zones_t = r.t_us
        elif r.type == "evacuation.planned":
            routes = {}
            for row in p.get("people") or []:
                if isinstance(row, dict) and row.get("assembly_point_id"):
                    routes.setdefault(str(row["assembly_point_id"]), []).extend(int(e) for e in row.get("edges") or [])
            routes = {ap: sorted(set(v)) for ap, v in routes.items()}
        elif r.type == "sensor.alarm":
            alarms[str(p["sensor_id"])] = p.get("level") in ALARM_LEVELS
    x, y, status = _positions_at(tracks, t_us, mustered, aps)
    for i, pid in enumerate(tracks.ids):
        if pid in sos and status[i] == 0:
            status[i] = 2
    return Snapshot(key, t_us, x, y, status, zones, routes, sorted(s for s, on in alarms.items() if on), zones_t)
