"""The command window following the log while the field service ingests 5,000 positions a second (issue #15).

As in the control room, the field service runs in its own process (what ``commandcenter field serve`` starts:
:class:`commandcenter.services.field_service.FieldService` on the SQLite log, here with the per-device rate
limit off as in :func:`bench.comms.bench_ingest`), the load generator of :func:`bench.comms._blast` sends
1,000 authenticated devices' positions at 5 Hz from two more processes, and the real command window
(:class:`commandcenter.ui.main_window.MainWindow`, offscreen, 1600 × 1000, the mini plant) opens the same log
and incident in this process and follows it as it does on SQLite: the session's log listener thread polls the
log every 0.1 s, reads and decodes what the service appended and posts it to the UI thread, which folds it
(:meth:`commandcenter.ui.session.IncidentSession._take` → ``IncidentRuntime.follow(events)``), hands the new
events to the views (``_deliver`` → ``changed``) and, at most every 100 ms, the people controller reclassifies
and redraws the map's people (:meth:`commandcenter.ui.people_controller.PeopleController.draw`, followed here by
a synchronous ``repaint`` of the map so the paint is counted); once a second the heartbeat ticks the runtime.

One *UI update* = a ``_take`` plus everything the UI thread does until the next one (deliveries, people
redraws, a heartbeat); its time is the sum of those calls on the UI thread: CPU (``time.thread_time``) and
wall. The longest single call is printed too. A 10 ms ``QTimer`` on the UI thread records the longest gap
between its ticks. The window's process CPU (``time.process_time``, the UI thread and the listener) is
printed: the service and generators run elsewhere. Targets: the window's own frame
budget (median under 33 ms, issue #16) and no UI gap over 100 ms.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import Figure

MINI_PLANT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mini_plant"


def _serve(db: str, keys_dir: str, plant_dir: str, evidence_dir: str, out: Any, stop: Any) -> None:
    """The field service process: serve ``db`` on a free loopback port, put ``("bound", endpoint)`` on ``out``,
    then once a second ``("counts", t, received, recorded, superseded, online, cpu_s)`` until ``stop`` is set."""
    from commandcenter.services.field_service import FieldConfig, FieldService
    from commandcenter.store import EventStore
    from comms.keys import KeyStore
    from comms.server import ServerConfig
    from gis.loader import load_plant

    store = EventStore(db)
    svc = FieldService(store, KeyStore(keys_dir), "tcp://127.0.0.1:0", plant=load_plant(plant_dir),
                       config=FieldConfig(server=ServerConfig(heartbeat_s=5.0, position_min_interval_s=0.0),
                                          tick_s=3600.0), evidence_dir=Path(evidence_dir)).start()
    out.put(("bound", svc.endpoint))
    try:
        while not stop.wait(1.0):
            out.put(("counts", time.monotonic(), svc.server.counters.get("type_position", 0), svc.counters["events"],
                     svc.ingest.counters["position_superseded"], svc.server.stats()["online"], time.process_time()))
    finally:
        svc.stop()
        store.close()


class _Probe:
    """Times the UI thread's work by wrapping, at class level (before the window is built, so its timers and
    signals connect to the wrappers), the session's slots — ``_take`` (fold a batch the listener thread read),
    ``_deliver`` (hand new events to the views), ``heartbeat`` (tick, grading) — and the people controller's
    draw (plus a synchronous repaint). One *update* starts at each ``_take`` and holds everything the UI thread
    does until the next; :attr:`items` has every top-level call (part, CPU s, wall s). :meth:`restore` puts the
    originals back."""

    PARTS = ("cpu", "wall", "take", "fold", "deliver", "draw", "heartbeat", "tick", "grade", "announce", "events",
             "draws")

    def __init__(self) -> None:
        from commandcenter.runtime import IncidentRuntime
        from commandcenter.ui.people_controller import PeopleController
        from commandcenter.ui.session import IncidentSession

        self.on = False
        self.updates: list[dict[str, float]] = []
        self.items: list[tuple[str, float, float]] = []
        self._depth = 0
        self._saved = [(IncidentSession, "heartbeat", IncidentSession.heartbeat),
                       (IncidentSession, "_deliver", IncidentSession._deliver),
                       (IncidentSession, "_take", IncidentSession._take),
                       (PeopleController, "draw", PeopleController.draw),
                       (IncidentRuntime, "follow", IncidentRuntime.follow),
                       (IncidentRuntime, "tick", IncidentRuntime.tick),
                       (IncidentSession, "grade", IncidentSession.grade),
                       (IncidentSession, "_announce_missed", IncidentSession._announce_missed)]
        IncidentSession._announce_missed = self._wrap(IncidentSession._announce_missed, "announce")  # type: ignore
        IncidentRuntime.tick = self._wrap(IncidentRuntime.tick, "tick")  # type: ignore
        IncidentSession.grade = self._wrap(IncidentSession.grade, "grade")  # type: ignore
        IncidentSession.heartbeat = self._wrap(IncidentSession.heartbeat, "heartbeat")  # type: ignore
        IncidentRuntime.follow = self._wrap(IncidentRuntime.follow, "fold")  # type: ignore
        IncidentSession._deliver = self._count(self._wrap(IncidentSession._deliver, "deliver"))  # type: ignore
        IncidentSession._take = self._wrap(IncidentSession._take, "take", new=True)  # type: ignore

        draw = PeopleController.draw

        def draw_and_paint(ctl: Any) -> None:
            draw(ctl)
            ctl.window.map_view.viewport().repaint()
        PeopleController.draw = self._wrap(draw_and_paint, "draw")  # type: ignore

    def _wrap(self, fn: Any, part: str, new: bool = False) -> Any:
        """``fn`` timed into the current update's ``part``; a call not inside another timed call is also added
        to the update's totals and to :attr:`items`."""
        def timed(obj: Any, *args: Any) -> Any:
            if not self.on:
                return fn(obj, *args)
            if (new and self._depth == 0) or not self.updates:
                self.updates.append(dict.fromkeys(self.PARTS, 0.0))
            c0, t0 = time.thread_time(), time.perf_counter()
            self._depth += 1
            try:
                return fn(obj, *args)
            finally:
                self._depth -= 1
                cpu, wall = time.thread_time() - c0, time.perf_counter() - t0
                u = self.updates[-1]
                if self._depth == 0:
                    u["cpu"] += cpu
                    u["wall"] += wall
                    self.items.append((part, cpu, wall))
                u[part] += cpu
                u["draws"] += part == "draw"
        return timed

    def _count(self, fn: Any) -> Any:
        def counted(obj: Any, events: list) -> Any:
            if self.on and self.updates:
                self.updates[-1]["events"] += len(events)
            return fn(obj, events)
        return counted

    def restore(self) -> None:
        """Put the original methods back."""
        for cls, name, fn in self._saved:
            setattr(cls, name, fn)


def _pct(xs: list[float], q: float) -> float:
    return float(np.percentile(xs, q)) if xs else float("nan")


def _measure(probe: _Probe, seconds: float) -> tuple[list[dict[str, float]], list[float], float, float, list]:
    """Run the window's event loop for ``seconds`` with ``probe`` on and a 10 ms timer ticking: (the updates,
    whole ones only; the timer's gaps s; wall s; this process's CPU s; the UI thread's timed calls)."""
    from PySide6.QtCore import QTimer

    from commandcenter.ui.app import wait_until

    gaps: list[float] = []
    last = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(tick)
    probe.updates = []
    probe.items = []
    probe.on = True
    last[0] = time.perf_counter()
    ticker.start()
    t0, c0 = time.perf_counter(), time.process_time()
    wait_until(lambda: False, int(seconds * 1000), step_ms=5)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    ticker.stop()
    ticker.deleteLater()
    probe.on = False
    return probe.updates[1:-1] or probe.updates, gaps, wall, cpu, list(probe.items)


def bench_window(tmp: Path, ks: Any, seconds: float = 20.0, hz: float = 5.0, gen_procs: int = 2,
                 n_devices: int = 1000, idle_s: float = 10.0) -> list[Figure]:
    """The window's UI updates and UI-thread gaps while ``n_devices`` report at ``hz`` each into the field
    service (another process); see the module docstring."""
    from bench.comms import _blast
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.store import EventStore
    from gis.loader import load_plant
    from vocabulary.events import Draft

    ids = [f"SIM-{i:04d}" for i in range(n_devices)]
    db = tmp / "window.db"
    store = EventStore(db)
    rt = IncidentRuntime.create(store, title="bench window", exercise=True, engine=False)
    incident = rt.incident_id
    rt.submit([Draft("device.enrolled", rt.now(), {"device_id": i, "person_id": f"P-{i}", "kind": "phone"})
               for i in ids])
    rt.close()
    store.close()

    ctx = mp.get_context("spawn")
    sq, sstop, gstop = ctx.Queue(), ctx.Event(), ctx.Event()
    server = ctx.Process(target=_serve, args=(str(db), str(ks.root), str(MINI_PLANT), str(tmp / "ev-window"), sq,
                                              sstop), daemon=True)
    server.start()
    gens: list[Any] = []
    samples: list[tuple] = []

    def drain() -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                samples.append(sq.get_nowait())

    probe = win = None
    try:
        _bound, endpoint = sq.get(timeout=120)
        from commandcenter.ui.app import application, dispose, wait_until
        from commandcenter.ui.main_window import MainWindow

        application()
        probe = _Probe()
        plant = load_plant(MINI_PLANT)
        win = MainWindow()
        win.resize(1600, 1000)
        win.set_plant(plant)
        win.show()
        wait_until(lambda: win.map_view.has_rendered, 10_000)
        win.session.open_log(db, incident)
        wait_until(lambda: False, 2000, step_ms=50)
        idle = _measure(probe, idle_s)
        idle_load = os.getloadavg()[0]

        gens = [ctx.Process(target=_blast, args=(endpoint, ks.server_public(), str(ks.root), ids[k::gen_procs], hz,
                                                 seconds + 180, None, gstop), daemon=True) for k in range(gen_procs)]
        for p in gens:
            p.start()

        def online() -> bool:
            drain()
            return any(s[0] == "counts" and s[5] >= n_devices for s in samples)
        wait_until(online, 120_000, step_ms=100)
        wait_until(lambda: False, 3000, step_ms=50)  # warm-up: every device reporting, the window caught up
        drain()
        s0 = samples[-1]
        busy = _measure(probe, seconds)
        drain()
        s1 = samples[-1]
        load = os.getloadavg()[0]
        shown = win.people_shown()
        with contextlib.closing(EventStore(db)) as reader:
            head = next((i.head_seq for i in reader.incidents() if i.id == incident), 0)
        lag = head - (win.session.runtime.seq if win.session.runtime is not None else 0)
    finally:
        if probe is not None:
            probe.restore()
        if win is not None:
            dispose(win)
        gstop.set()
        sstop.set()
        for p in [*gens, server]:
            p.join(30)
            if p.is_alive():
                p.terminate()

    every, gaps, wall, cpu, items = busy
    ups = [u for u in every if u["events"]] or every  # the updates that took in new events
    work_ms = [(u["take"] + u["deliver"]) * 1000 for u in ups]
    frames_ms = [c * 1000 for part, c, _ in items if part == "draw"]
    frames_wall = [w * 1000 for part, _, w in items if part == "draw"]
    gap_ms = max(gaps or [0.0]) * 1000
    longest = max(items, key=lambda it: it[1], default=("none", float("nan"), float("nan")))
    ui_share = sum(it[1] for it in items) / max(1e-9, wall)
    _i_ups, i_gaps, i_wall, i_cpu, i_items = idle
    i_call_ms = [c * 1000 for _, c, _ in i_items]
    rate = (s1[2] - s0[2]) / max(1e-9, s1[1] - s0[1])
    recorded = (s1[3] - s0[3]) / max(1e-9, s1[1] - s0[1])
    svc_cores = (s1[6] - s0[6]) / max(1e-9, s1[1] - s0[1])
    ev = statistics.median([u["events"] for u in ups]) if ups else 0
    per_ev = sum(u["take"] + u["deliver"] for u in ups) / max(1.0, sum(u["events"] for u in ups)) * 1e6
    part = {k: statistics.median([u[k] for u in ups]) * 1000 if ups else float("nan")
            for k in ("take", "fold", "deliver", "heartbeat", "tick", "grade")}
    med = statistics.median(work_ms) if work_ms else float("nan")
    fmed = statistics.median(frames_ms) if frames_ms else float("nan")
    return [
        Figure(f"window frame while {rate:,.0f} msg/s are ingested: people reclassified, redrawn and repainted, "
               "median CPU", fmed, "ms", target="< 33 ms", ok=fmed < 33.0,
               note=f"p95 {_pct(frames_ms, 95):.1f}, worst {max(frames_ms, default=float('nan')):.1f} ms CPU; wall "
                    f"median {statistics.median(frames_wall) if frames_wall else float('nan'):.1f}, p95 "
                    f"{_pct(frames_wall, 95):.1f} ms; {len(frames_ms)} frames in {wall:.0f} s; {shown:,} people "
                    f"shown, 1600x1000 offscreen, mini plant; load average {load:.1f} (2 cores shared)"),
        Figure("window while that runs: UI-thread work per slice of the feed (fold + views), median CPU", med, "ms",
               target="< 33 ms", ok=med < 33.0,
               note=f"p95 {_pct(work_ms, 95):.1f}, worst {max(work_ms, default=float('nan')):.1f} ms; {len(ups)} "
                    f"slices, median {ev:,.0f} events ({recorded:,.0f} ev/s recorded by the service), "
                    f"{per_ev:.1f} us per event; median parts: fold {part['fold']:.1f}, views {part['deliver']:.1f} "
                    f"ms; heartbeat (tick, grading) {part['heartbeat']:.1f} ms; longest single UI-thread call: "
                    f"{longest[0]} {longest[1] * 1000:.1f} ms CPU; UI thread busy {ui_share:.0%} of the time; read "
                    f"and decoded on the listener thread"),
        Figure("window while that runs: longest gap of a 10 ms UI-thread timer", gap_ms, "ms", target="<= 100 ms",
               ok=gap_ms <= 100.0,
               note=f"99th percentile {_pct(gaps, 99) * 1000:.0f} ms over {wall:.0f} s; window process CPU "
                    f"{cpu / wall:.2f} cores (UI thread and the log listener); field service (own process) "
                    f"{svc_cores:.2f} cores; window {lag:,} events behind the log at the end; load average {load:.1f}"),
        Figure("baseline: the same window and timer, the service running, nothing sent: longest gap",
               max(i_gaps or [0.0]) * 1000, "ms",
               note=f"UI-thread calls: median {statistics.median(i_call_ms) if i_call_ms else float('nan'):.1f} "
                    f"ms CPU, worst {max(i_call_ms, default=float('nan')):.1f} ms; 99th "
                    f"percentile gap {_pct(i_gaps, 99) * 1000:.0f} ms over {i_wall:.0f} s; window process CPU "
                    f"{i_cpu / i_wall:.2f} cores; what the machine's load alone costs; load average {idle_load:.1f}"),
    ]
