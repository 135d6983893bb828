"""The incident log: sustained append rate on SQLite, and ``state_at(t)`` on a one-hour, 2,000-person incident.

Targets (issue 6): 10,000 events/s sustained; ``state_at(t)`` under 200 ms at any t of an incident of about
a million events. Appends are batches of ``BATCH`` events, each batch one durable commit (WAL fsynced,
``synchronous=FULL``, and the head written to the HMAC-signed heads file beside the log): when ``append_many``
returns, all its events survive a crash or power cut. ``bench_submit`` times the same load through the
incident runtime (``IncidentRuntime.submit``: checks, the plans engine of the demo plant with a launched plan,
the hash chain, the projections), the path every producer takes. Wall time on a shared machine is inflated by
the load; the CPU time of the process (``time.process_time``) is given beside it.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import Figure
from commandcenter.projections.replay import Replay
from commandcenter.store import EventStore
from vocabulary.events import Draft

BATCH = 500
T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _position_batches(n_people: int, duration_s: float, period_s: float, batch: int, seed: int = 1):
    """Position reports of ``n_people`` every ~``period_s`` s for ``duration_s`` s, in time order, as batches."""
    rng = np.random.default_rng(seed)
    n_rounds = int(duration_s / period_s)
    xy = rng.uniform(0, 800, size=(n_people, 2))
    ids = [f"P{i:05d}" for i in range(n_people)]
    buf = []
    for r in range(n_rounds):
        offsets = np.sort(rng.uniform(0, period_s, n_people))
        order = rng.permutation(n_people)
        xy += rng.normal(0, 1.0, size=xy.shape)
        for k in range(n_people):
            i = order[k]
            t = T0 + dt.timedelta(seconds=r * period_s + float(offsets[k]))
            buf.append(Draft("position.reported", t, {"person_id": ids[i], "x": round(float(xy[i, 0]), 2),
                                              "y": round(float(xy[i, 1]), 2)}))
            if len(buf) == batch:
                yield buf
                buf = []
    if buf:
        yield buf


def bench_append(tmp: Path, n: int = 100_000) -> list[Figure]:
    """Sustained append rate over ``n`` events in batches of BATCH, and the single-event commit rate."""
    store = EventStore(tmp / "append.db")
    store.create_incident("BENCH-A", "append benchmark", exercise=True, time=T0)
    batches = list(_position_batches(1000, n / 1000 * 7.0, 7.0, BATCH))
    t0 = time.perf_counter()
    for b in batches:
        store.append_many("BENCH-A", b)
    rate = n / (time.perf_counter() - t0)
    small = list(_position_batches(1000, 20 * 7.0, 7.0, 100))
    shift = batches[-1][-1].time - small[0][0].time + dt.timedelta(seconds=1)
    small = [[Draft(d.type, d.time + shift, d.payload) for d in b] for b in small]
    t0 = time.perf_counter()
    for b in small:
        store.append_many("BENCH-A", b)
    rate_100 = sum(map(len, small)) / (time.perf_counter() - t0)
    single = 300
    t0 = time.perf_counter()
    for _ in range(single):
        store.append("BENCH-A", "note.added", {"text": "x"})
    single_rate = single / (time.perf_counter() - t0)
    store.close()
    return [
        Figure(f"append, {n:,} events in batches of {BATCH} (sustained)", rate, "ev/s", target="≥ 10,000 ev/s",
               ok=rate >= 10_000, note="SQLite WAL, synchronous=FULL, one commit per batch"),
        Figure("append, 20,000 events in batches of 100", rate_100, "ev/s", note="one commit per batch"),
        Figure("append, one event per commit", single_rate, "ev/s", note="each append fsynced before it returns"),
    ]


def bench_submit(tmp: Path, n: int = 100_000, people: int = 1000) -> list[Figure]:
    """Sustained rate of ``IncidentRuntime.submit`` over ``n`` position reports in batches of BATCH, on the demo
    plant with the H2S plan launched at L2 (its deadlines and escalations fall due during the run)."""
    import os

    from commandcenter.runtime import IncidentRuntime, ManualClock
    from gis.loader import load_plant

    plant = load_plant(Path(__file__).resolve().parent.parent / "data" / "demo_plant")
    store = EventStore(tmp / "submit.db")
    rt = IncidentRuntime.create(store, title="submit benchmark", exercise=True, plant=plant,
                                clock=ManualClock(T0 - dt.timedelta(seconds=1)))
    rt.launch("h2s-release", "L2")
    batches = list(_position_batches(people, n / people * 7.0, 7.0, BATCH))
    head = rt.seq
    t0, c0 = time.perf_counter(), time.process_time()
    for b in batches:
        rt.submit(b)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    derived = rt.seq - head - n
    load = os.getloadavg()[0]
    store.close()
    rate = n / wall
    return [
        Figure(f"runtime submit, {n:,} positions in batches of {BATCH} (sustained)", rate, "ev/s",
               target="≥ 10,000 ev/s", ok=rate >= 10_000,
               note=f"SQLite file + heads file; demo plant, plan launched ({derived} derived events); "
                    f"{n / cpu:,.0f} ev/s of CPU time; load average {load:.1f}"),
    ]


def bench_state_at(tmp: Path, people: int = 2000, duration_s: float = 3600.0, period_s: float = 7.0,
                   queries: int = 40) -> list[Figure]:
    """Build a one-hour incident of ``people`` reporting every ``period_s`` s, snapshot it, time ``state_at``."""
    store = EventStore(tmp / "replay.db")
    store.create_incident("BENCH-R", "replay benchmark", exercise=True, time=T0)
    t0 = time.perf_counter()
    for b in _position_batches(people, duration_s, period_s, 5000):
        store.append_many("BENCH-R", b)
    build = time.perf_counter() - t0
    n = store.incident("BENCH-R").head_seq
    replay = Replay(store, "BENCH-R")
    t0 = time.perf_counter()
    replay.ensure_snapshots()
    snap = time.perf_counter() - t0
    rng = np.random.default_rng(7)
    samples = []
    for off in rng.uniform(0, duration_s, queries):
        t = T0 + dt.timedelta(seconds=float(off))
        t1 = time.perf_counter()
        state = replay.state_at(t)
        samples.append(time.perf_counter() - t1)
        assert state["seq"] > 0
    store.close()
    med, worst = statistics.median(samples) * 1000, max(samples) * 1000
    return [
        Figure(f"state_at(t), {n:,} events, {people:,} people (median)", med, "ms", target="< 200 ms", ok=med < 200,
               note=f"{queries} random t; snapshot every {replay.every:,} events"),
        Figure(f"state_at(t), {n:,} events (max)", worst, "ms", target="< 200 ms", ok=worst < 200),
        Figure("building the incident (append)", n / build, "ev/s", note=f"{n:,} events in {build:.1f} s"),
        Figure("building the snapshots (full fold)", snap, "s"),
    ]


def run() -> list[Figure]:
    """Both benchmarks, in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as d:
        tmp = Path(d)
        return bench_append(tmp) + bench_submit(tmp) + bench_state_at(tmp)
