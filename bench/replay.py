"""Replay seek: a one-hour, 2,000-person drill log, used the way a replay cursor uses it (issue 17 item 1).

Target: seeking anywhere answers in under 200 ms. A cursor's answer to a seek is everything the window
draws at t: every projection at t (positions, muster, tasks, commands, timeline, the hazard zones and
the evacuation plan in force) and the trail of the selected person up to t. Measured:

* random seeks (``Replay.state_at`` at uniformly random t) — the drag of the time slider anywhere;
* a scrub: 120 successive seeks 15 s apart, forwards then backwards — a slow drag;
* step to the next / previous event (``seq`` ± 1 with ``state_at_seq``);
* playback at 60× and 10 frames/s: each frame folds only the events since the last one onto the state
  it holds (the baseline a player would use instead of seeking every frame);
* the trail of one person up to t: an SQL scan of the log (the plain baseline) against
  :class:`commandcenter.projections.replay.Tracks`, all positions as numpy arrays read once.

The log is not only position reports: it carries the alarm, launch, 40 tasks with their steps, an
evacuate command to everyone and their acknowledgements, a hazard assessment every 5 minutes, an
evacuation plan with everyone's route (walkway edge ids), and every person's muster, so the snapshots
have the size of a real drill's.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import Figure
from commandcenter.projections.replay import Replay, Tracks
from commandcenter.store import EventStore
from vocabulary.events import Draft, to_us

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
INCIDENT = "BENCH-REPLAY"


def _ring(cx: float, cy: float, r: float, n: int = 48) -> dict:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pts = [[round(cx + r * float(np.cos(t)), 2), round(cy + r * float(np.sin(t)), 2)] for t in a]
    return {"type": "Polygon", "coordinates": [[*pts, pts[0]]]}


def drill_drafts(people: int = 2000, duration_s: float = 3600.0, period_s: float = 7.0, seed: int = 1):
    """Time-ordered drafts of a one-hour drill (see the module docstring), yielded in batches of ~5,000."""
    rng = np.random.default_rng(seed)
    ids = [f"P{i:05d}" for i in range(people)]
    xy = rng.uniform(0, 800, size=(people, 2))
    aps = np.array([[-50.0, 400.0], [850.0, 400.0], [400.0, -50.0]])
    ap_ids = ["AP-01", "AP-02", "AP-03"]
    target = rng.integers(0, len(aps), people)
    muster_t = 120.0 + rng.gamma(3.0, 120.0, people)
    extra: list[Draft] = []

    def at(s: float) -> dt.datetime:
        return T0 + dt.timedelta(seconds=float(s))

    extra.append(Draft("sensor.alarm", at(30), {"sensor_id": "GD-003", "level": "alarm", "value": 26.0}))
    extra.append(Draft("plan.launched", at(90), {"plan_id": "h2s-release", "level": "L2", "by": "E0001"}))
    for k in range(40):
        tid = f"T{k:02d}"
        extra.append(Draft("task.assigned", at(90), {"task_id": tid, "person_id": ids[k], "deadline_s": 60.0 + 30 * k,
                                                     "title": {"zh": f"任务{k}", "en": f"Task {k}"}}))
        extra.append(Draft("task.acknowledged", at(100 + 3 * k), {"task_id": tid, "person_id": ids[k]}))
        extra.append(Draft("task.done", at(200 + 40 * k), {"task_id": tid, "person_id": ids[k]}))
    extra.append(Draft("command.sent", at(95), {"command_id": "CMD-EVAC", "to": ids, "kind": "evacuate"}))
    for i in range(people):
        extra.append(Draft("command.acknowledged", at(96 + rng.exponential(20.0)),
                           {"command_id": "CMD-EVAC", "person_id": ids[i]}))
    extra.append(Draft("evacuation.planned", at(94), {
        "evacuation_id": "EV-1", "method": "capacity",
        "people": [{"person_id": ids[i], "assembly_point_id": ap_ids[target[i]], "eta_s": 300.0,
                    "edges": rng.integers(0, 5000, 30).tolist()} for i in range(people)]}))
    for k, s in enumerate(np.arange(92.0, duration_s, 300.0)):
        extra.append(Draft("hazard.assessed", at(s), {
            "assessment_id": f"HZ-{k}", "zones": [{"level": lv, "geometry": _ring(400, 400, r)}
                                                   for lv, r in (("red", 80.0 + k), ("orange", 200.0 + 2 * k),
                                                                 ("yellow", 350.0 + 3 * k))]}))
    for i in range(people):
        extra.append(Draft("person.mustered", at(muster_t[i]), {"person_id": ids[i],
                                                                "assembly_point_id": ap_ids[target[i]]}))
    extra.sort(key=lambda d: d.time)
    j = 0
    buf: list[Draft] = []
    for r in range(int(duration_s / period_s)):
        offsets = np.sort(rng.uniform(0, period_s, people))
        order = rng.permutation(people)
        t_round = r * period_s
        moving = (t_round > 95.0) & (t_round < muster_t)
        step = aps[target] - xy
        dist = np.hypot(step[:, 0], step[:, 1])[:, None]
        xy = np.where(moving[:, None], xy + step / np.maximum(dist, 1.0) * np.minimum(dist, 1.3 * period_s), xy)
        xy += rng.normal(0, 0.3, size=xy.shape)
        for k in range(people):
            i = order[k]
            t = at(t_round + float(offsets[k]))
            while j < len(extra) and extra[j].time <= t:
                buf.append(extra[j])
                j += 1
            buf.append(Draft("position.reported", t, {"person_id": ids[i], "x": round(float(xy[i, 0]), 2),
                                                      "y": round(float(xy[i, 1]), 2)}))
            if len(buf) >= 5000:
                yield buf
                buf = []
    buf.extend(extra[j:])
    if buf:
        yield buf


def _sql_trail(store: EventStore, person: str, t_us: int) -> np.ndarray:
    """The plain baseline: one person's positions up to t by scanning the log in SQL (JSON field filter)."""
    sql = ("SELECT t_us, json_extract(payload, '$.x'), json_extract(payload, '$.y') FROM events "
           "WHERE incident_id = ? AND type = 'position.reported' AND t_us <= ? "
           "AND json_extract(payload, '$.person_id') = ? ORDER BY seq")
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(sql, (INCIDENT, t_us, person)).all()
    return np.asarray(rows, dtype=float).reshape(-1, 3)


def _ms(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples) * 1000, max(samples) * 1000


def bench_seek(tmp: Path, people: int = 2000, duration_s: float = 3600.0, queries: int = 40) -> list[Figure]:
    """Build the drill log, then time the cursor's operations (see the module docstring)."""
    store = EventStore(tmp / "replay.db")
    store.create_incident(INCIDENT, "replay seek benchmark", exercise=True, time=T0)
    t0 = time.perf_counter()
    for batch in drill_drafts(people, duration_s):
        store.append_many(INCIDENT, batch)
    build = time.perf_counter() - t0
    n = store.incident(INCIDENT).head_seq
    replay = Replay(store, INCIDENT)
    t0 = time.perf_counter()
    replay.ensure_snapshots()
    snap = time.perf_counter() - t0
    t0 = time.perf_counter()
    tracks = Tracks.load(store, INCIDENT)
    tracks_s = time.perf_counter() - t0
    rng = np.random.default_rng(7)
    t_start = to_us(T0)

    def us(s: float) -> int:
        return t_start + int(s * 1e6)

    def timed(fn, args) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
        wall, cpu = [], []
        for a in args:
            w0, c0 = time.perf_counter(), time.process_time()
            fn(a)
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
        return wall, cpu

    person = "P00042"

    def answer(s: float) -> None:
        state = cursor.seek(us(s))
        assert state["seq"] > 0
        assert len(tracks.trail(person, us(s))) > 0

    random_t = rng.uniform(0, duration_s, queries).tolist()
    random_s = timed(lambda s: replay.state_at(us(s)), random_t)
    cursor = Replay(store, INCIDENT)  # a replay window's cursor: its own cache and position
    answer_s = timed(answer, rng.uniform(0, duration_s, queries).tolist())
    scrub = timed(lambda s: cursor.seek(us(s)),
                  [*np.arange(1200.0, 1200.0 + 60 * 15, 15.0), *np.arange(2100.0, 1200.0, -15.0)])
    mid = store.seq_at(INCIDENT, us(1800))
    cursor.seek_seq(mid)
    step = timed(cursor.seek_seq, [*range(mid + 1, mid + 21), *range(mid + 19, mid - 21, -1)])
    cursor.seek(us(600))
    frames = timed(lambda f: cursor.seek(us(600 + 6 * f)), range(1, 101))  # 10 s at 60x, 10 frames/s
    sql_trail = []
    for off in rng.uniform(0, duration_s, 5):
        t1 = time.perf_counter()
        rows = _sql_trail(store, person, us(off))
        sql_trail.append(time.perf_counter() - t1)
        assert np.array_equal(rows[:, 1:], tracks.trail(person, us(off))[:, 1:])
    fast_trail = []
    for off in rng.uniform(0, duration_s, 200):
        t1 = time.perf_counter()
        tracks.trail(person, us(off))
        fast_trail.append(time.perf_counter() - t1)
    store.close()
    load = os.getloadavg()[0]

    def fig(name: str, pair: tuple[list[float], list[float]], target: float = 200.0, note: str = "") -> Figure:
        w_med, w_max = _ms(pair[0])
        c_med, c_max = _ms(pair[1])
        return Figure(name, w_max, "ms", target=f"< {target:.0f} ms", ok=w_max < target,
                      note=f"max wall; median {w_med:.1f} ms; CPU median {c_med:.1f} / max {c_max:.1f} ms"
                           + (f"; {note}" if note else ""))

    q_med, _ = _ms(sql_trail)
    t_med, _ = _ms(fast_trail)
    return [
        fig(f"seek: state_at(t) at random t, {n:,} events, {people:,} people", random_s,
            note=f"{queries} t; snapshot every {replay.every:,} events; load average {load:.1f} on this machine"),
        fig("seek: the cursor's whole answer (seek + trail), random t", answer_s),
        fig("scrub: 120 seeks 15 s apart, forwards and back", scrub),
        fig("step to the next/previous event (seek_seq)", step),
        fig("playback 60x at 10 frames/s: one frame (seek)", frames, 100.0),
        Figure("trail of one person up to t: Tracks (median)", t_med, "ms",
               note=f"baseline SQL JSON scan {q_med:.0f} ms ({q_med / max(t_med, 1e-6):,.0f}x slower)"),
        Figure("opening: Tracks.load (all positions to arrays)", tracks_s, "s", note="once per replay"),
        Figure("opening: ensure_snapshots on a fresh log", snap, "s", note="once per log; stored"),
        Figure("building the log (append)", n / build, "ev/s", note=f"{n:,} events in {build:.1f} s"),
    ]


def run() -> list[Figure]:
    """The seek benchmark in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as d:
        return bench_seek(Path(d))
