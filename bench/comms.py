"""Field comms on loopback: a plan launch to 1,000 simulated devices, 5,000 positions/s ingested, 100,000 fuzzed frames.

* **Launch**: 1,000 devices connected (CurveZMQ, one simulator process), the plan launched and everyone
  ordered out (one ``evacuate`` command to all); acknowledgement latency per device = the time of its
  ``command.acknowledged`` minus the time of ``command.sent`` in the log (both recorded, durably, by the
  service). Target: p99 < 2 s, none lost. Baseline: the same broadcast through the bare server (no log,
  no runtime), i.e. what the transport alone costs.
* **Ingest**: 1,000 devices reporting at 5 Hz (the server's per-device rate limit off) for 20 s, every
  position projected and recorded; the backlog (messages accepted by the server − events recorded) is
  sampled each second and must not grow. Target 5,000 messages/s. The positions come from a light load
  generator (raw authenticated DEALERs, pre-encoded frames, in ``gen_procs`` processes) so the machine's cores
  go to the center. To tell which side limits the rate, the same generator is also run against a bare CURVE
  ROUTER that only counts, and the CPU time per position of each side is given.
* **Window**: the real command window (offscreen) following the same kind of log while the field service,
  in its own process as in the control room, ingests the same load: the time of each UI update and the
  longest gap of a 10 ms UI-thread timer (see :mod:`bench.comms_window`).
* **Fuzz**: 100,000 invalid frames from one authenticated device while five real devices take commands:
  every frame refused and counted, the real devices served.

Devices run in their own process, as in the field.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import Figure

N_DEVICES = 1000


def _simulate(endpoint: str, server_public: bytes, keys_dir: str, ids: list[str], position_s: float,
              duration_s: float, positions: bool, out: Any) -> None:
    """A simulator process: ``ids`` connect to ``endpoint`` for ``duration_s`` seconds, then report."""
    from comms.keys import KeyStore
    from comms.simulator import DeviceProfile, SimConfig, Simulator

    ks = KeyStore(keys_dir)
    profiles = [DeviceProfile(i, person_id=f"P-{i}", lon=118.73 + k * 1e-6, lat=32.2) for k, i in enumerate(ids)]
    sim = Simulator(profiles, {i: ks.device_keys(i) for i in ids},
                    SimConfig(endpoint, server_public, position_s=position_s, positions=positions, heartbeat_s=5.0))
    with sim:
        time.sleep(duration_s)
    out.put({"applied": sum(len(v) for v in sim.applied().values()), "twice": sim.counters.get("applied_twice", 0),
             "counters": dict(sim.counters)})


def _blast(endpoint: str, server_public: bytes, keys_dir: str, ids: list[str], hz: float, duration_s: float,
           out: Any = None, stop: Any = None) -> None:
    """A light load generator process: one authenticated DEALER per device, ``hello`` first, then a position
    (pre-encoded JSON, valid per the protocol) from every device ``hz`` times a second — so the two cores go to
    the center under test, not to simulating phones. Reports to ``out``: the sends attempted, those its sockets
    refused (the high-water mark full: the server is not reading fast enough) and how far the schedule fell
    behind (the generator itself not keeping up). Stops after ``duration_s`` or when ``stop`` (an event) is set."""
    import zmq

    from comms import protocol
    from comms.keys import KeyStore

    ks = KeyStore(keys_dir)
    ctx = zmq.Context()
    ctx.set(zmq.MAX_SOCKETS, len(ids) + 16)
    socks = []
    frames = []
    for i in ids:
        kp = ks.device_keys(i)
        s = ctx.socket(zmq.DEALER)
        s.linger = 0
        s.routing_id = i.encode()
        s.curve_serverkey, s.curve_publickey, s.curve_secretkey = server_public, kp.public, kp.secret
        s.connect(endpoint)
        s.send(protocol.encode("hello", i, {"last_seq": 0}))
        socks.append(s)
        k = int(i.rsplit("-", 1)[-1])
        frames.append(protocol.encode("position", i, {"lon": 118.73 + k * 1e-6, "lat": 32.2, "accuracy_m": 5.0,
                                                      "person_id": f"P-{i}"}))
    stats = {"attempted": 0, "refused": 0, "behind_s": 0.0, "rounds": 0, "late_rounds": 0}
    c0 = time.process_time()
    end = time.monotonic() + duration_s
    nxt = drain = time.monotonic()
    while time.monotonic() < end and not (stop is not None and stop.is_set()):
        nxt += 1.0 / hz
        for s, f in zip(socks, frames, strict=True):
            try:
                s.send(f, zmq.NOBLOCK)
            except zmq.Again:
                stats["refused"] += 1
        stats["attempted"] += len(socks)
        stats["rounds"] += 1
        if time.monotonic() >= drain:  # welcome and error answers: keep the receive queues short
            drain += 1.0
            for s in socks:
                with contextlib.suppress(zmq.Again):
                    while True:
                        s.recv(zmq.NOBLOCK)
        lag = time.monotonic() - nxt
        if lag > 0:
            stats["late_rounds"] += 1
            stats["behind_s"] = max(stats["behind_s"], lag)
        time.sleep(max(0.0, -lag))
    stats["cpu_s"] = time.process_time() - c0  # this process, its ZeroMQ I/O thread (CURVE encryption) included
    for s in socks:
        s.close(linger=0)
    ctx.term()
    if out is not None:
        out.put(stats)


def _keys(tmp: Path, n: int) -> Any:
    from comms.keys import KeyStore

    ks = KeyStore.init(tmp / "K")
    for i in range(n):
        ks.new_device(f"SIM-{i:04d}")
    return ks


def _spawn(ks: Any, endpoint: str, ids: list[str], *, position_s: float = 60.0, duration_s: float,
           positions: bool = False) -> tuple[Any, Any]:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_simulate, args=(endpoint, ks.server_public(), str(ks.root), ids, position_s, duration_s,
                                            positions, q), daemon=True)
    p.start()
    return p, q


def _wait(cond: Any, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def bench_launch(tmp: Path, ks: Any) -> list[Figure]:
    """The launch broadcast through the full service, and through the bare server (baseline)."""
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.services.field_service import FieldConfig, FieldService
    from commandcenter.store import EventStore
    from comms.server import FieldServer, ServerConfig
    from vocabulary.events import Draft

    ids = [f"SIM-{i:04d}" for i in range(N_DEVICES)]
    store = EventStore(tmp / "launch.db")
    rt = IncidentRuntime.create(store, title="bench launch", exercise=True, engine=False)
    rt.submit([Draft("device.enrolled", rt.now(), {"device_id": i, "person_id": f"P-{i}", "kind": "phone"})
               for i in ids])
    svc = FieldService(store, ks, "tcp://127.0.0.1:0", config=FieldConfig(server=ServerConfig(heartbeat_s=5.0)),
                       evidence_dir=tmp / "ev").start()
    proc, _q = _spawn(ks, svc.endpoint, ids, duration_s=120.0)
    online = _wait(lambda: svc.server.stats()["online"] == N_DEVICES, 120)
    t0 = time.perf_counter()
    svc.call(lambda s: s.runtime(rt.incident_id).submit([
        Draft("plan.launched", rt.now(), {"plan_id": "bench-plan", "level": "L3"}),
        Draft("evacuation.ordered", rt.now(), {"order_id": "ORD-1", "people": [f"P-{i}" for i in ids]})]))
    cid: list[str] = []

    def all_acked() -> bool:
        rows = svc.commands(rt.incident_id)
        if not rows:
            return False
        cid[:] = [rows[0]["command_id"]]
        return all(v != "pending" for v in rows[0]["devices"].values())
    done = _wait(all_acked, 60)
    wall = time.perf_counter() - t0
    svc.stop()
    sent_t = None
    lat: dict[str, float] = {}
    for e in store.events(rt.incident_id):
        if e.type == "command.sent":
            sent_t = e.t_us
        elif e.type == "command.acknowledged" and e.payload["command_id"] in cid and sent_t is not None:
            lat.setdefault(e.payload["device_id"], (e.t_us - sent_t) / 1e6)
    store.close()
    proc.terminate()
    proc.join(10)
    lost = N_DEVICES - len(lat)
    xs = list(lat.values()) or [float("inf")]
    p50, p99 = _pct(xs, 0.5), _pct(xs, 0.99)

    # baseline: the same broadcast on the bare server, no log
    from comms.outbox import Command

    acks: dict[str, float] = {}
    t_sent = [0.0]

    def sink(batch: list) -> None:
        now = time.perf_counter()
        for i in batch:
            if i.kind == "ack" and i.state in ("acked", "done"):
                acks.setdefault(i.device, now - t_sent[0])
    srv = FieldServer("tcp://127.0.0.1:0", ks.server_keys(), ks, sink, ServerConfig(heartbeat_s=5.0)).start()
    proc2, _q2 = _spawn(ks, srv.bound, ids, duration_s=120.0)
    _wait(lambda: srv.stats()["online"] == N_DEVICES, 120)
    cmd = Command("BASE", "B", "evacuate", {"incident": "B", "kind": "evacuate", "text": {"zh": "撤离", "en": "Go"},
                                           "exercise": True, "expires": None})
    t_sent[0] = time.perf_counter()
    srv.enqueue([(i, 1, cmd, "pending") for i in ids])
    _wait(lambda: len(acks) == N_DEVICES, 60)
    srv.stop()
    proc2.terminate()
    proc2.join(10)
    b99 = _pct(list(acks.values()) or [float("inf")], 0.99)
    note = "" if online else "not every device came online"
    return [
        Figure(f"launch to {N_DEVICES:,} devices: ack latency p99 (full service, log)", p99, "s", target="< 2 s",
               ok=p99 < 2.0 and lost == 0, note=note or f"p50 {p50:.3f} s; all acked in {wall:.2f} s"),
        Figure(f"launch to {N_DEVICES:,} devices: devices lost", lost, "dev", target="0", ok=lost == 0 and done),
        Figure(f"baseline: bare server, no log, {N_DEVICES:,} devices: ack p99", b99, "s",
               note=f"{len(acks)} acked; the log and runtime add {max(0.0, p99 - b99):.3f} s at p99"),
    ]


def _generator_ceiling(ks: Any, hz: float, gen_procs: int, seconds: float = 10.0) -> float:
    """Messages/s the same load generator delivers to a bare CURVE ROUTER that only counts them (no ZAP, no
    decoding, no log): what the generator can offer, to tell whether it or the center limits the ingest."""
    import zmq

    ids = [f"SIM-{i:04d}" for i in range(N_DEVICES)]
    zctx = zmq.Context()
    sink = zctx.socket(zmq.ROUTER)
    sink.linger = 0
    sink.curve_server = True
    sk = ks.server_keys()
    sink.curve_publickey, sink.curve_secretkey = sk.public, sk.secret
    port = sink.bind_to_random_port("tcp://127.0.0.1")
    ctx = mp.get_context("spawn")
    q, stop = ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_blast, args=(f"tcp://127.0.0.1:{port}", ks.server_public(), str(ks.root),
                                              ids[k::gen_procs], hz, seconds + 180, q, stop), daemon=True)
             for k in range(gen_procs)]
    for p in procs:
        p.start()
    got, t0, g0 = 0, None, 0
    end = time.monotonic() + 180
    while time.monotonic() < end and (t0 is None or time.monotonic() - t0 < seconds):
        if sink.poll(1000):
            with contextlib.suppress(zmq.Again):
                while True:
                    sink.recv_multipart(zmq.NOBLOCK)
                    got += 1
        if t0 is None and got >= 2 * N_DEVICES:  # every device connected and sending
            t0, g0 = time.monotonic(), got
    rate = (got - g0) / (time.monotonic() - t0) if t0 is not None else 0.0
    stop.set()
    for p in procs:
        p.join(30)
        if p.is_alive():
            p.terminate()
    sink.close(linger=0)
    zctx.term()
    return rate


def _submit_ceiling(tmp: Path, batches: int = 20, size: int = 500) -> float:
    """Events/s that ``runtime.submit`` records for batches of ``size`` positions (the ingest's ceiling: every
    position is validated, hashed into the chain, committed and folded)."""
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.store import EventStore
    from vocabulary.events import Draft

    store = EventStore(tmp / "ceiling.db")
    rt = IncidentRuntime.create(store, title="ceiling", exercise=True, engine=False)
    t0 = time.perf_counter()
    for k in range(batches):
        t = rt.now()
        rt.submit([Draft("position.reported", t, {"person_id": f"P-{i}", "x": 668000.0 + i, "y": 3571000.0 + k,
                                                   "device_id": f"SIM-{i:04d}", "accuracy_m": 5.0, "lon": 118.7,
                                                   "lat": 32.2}) for i in range(size)])
    rate = batches * size / (time.perf_counter() - t0)
    store.close()
    return rate


def bench_ingest(tmp: Path, ks: Any, seconds: float = 20.0, hz: float = 5.0, gen_procs: int = 2) -> list[Figure]:
    """Positions from 1,000 devices at ``hz`` each (``gen_procs`` load generator processes), recorded by the
    service; the rates and whether the backlog grows."""
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.services.field_service import FieldConfig, FieldService
    from commandcenter.store import EventStore
    from comms.server import ServerConfig
    from gis.loader import load_plant
    from vocabulary.events import Draft

    plant = load_plant(Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mini_plant")
    ids = [f"SIM-{i:04d}" for i in range(N_DEVICES)]
    store = EventStore(tmp / "ingest.db")
    rt = IncidentRuntime.create(store, title="bench ingest", exercise=True, engine=False)
    rt.submit([Draft("device.enrolled", rt.now(), {"device_id": i, "person_id": f"P-{i}", "kind": "phone"})
               for i in ids])
    svc = FieldService(store, ks, "tcp://127.0.0.1:0", plant=plant,
                       config=FieldConfig(server=ServerConfig(heartbeat_s=5.0, position_min_interval_s=0.0),
                                          tick_s=3600.0), evidence_dir=tmp / "ev").start()
    ctx = mp.get_context("spawn")
    q, stop = ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_blast, args=(svc.endpoint, ks.server_public(), str(ks.root), ids[k::gen_procs], hz,
                                              seconds + 180, q, stop), daemon=True) for k in range(gen_procs)]
    for p in procs:
        p.start()
    _wait(lambda: svc.server.stats()["online"] == N_DEVICES, 120)

    def counts() -> tuple[int, int, int]:
        return (svc.server.counters.get("type_position", 0), svc.counters["events"],
                svc.ingest.counters["position_superseded"])
    time.sleep(3.0)  # warm-up: every device reporting
    r0, e0, s0 = counts()
    t0, c0 = time.monotonic(), time.process_time()
    backlog = []
    while time.monotonic() - t0 < seconds:
        time.sleep(1.0)
        r, e, sup = counts()
        backlog.append((r - r0) - (e - e0) - (sup - s0))
    r1, e1, s1 = counts()
    dt_s, cpu_s = time.monotonic() - t0, time.process_time() - c0
    load = os.getloadavg()[0]
    stop.set()
    gen = []
    with contextlib.suppress(Exception):
        gen = [q.get(timeout=30) for _ in procs]
    svc.stop()
    store.close()
    for p in procs:
        p.join(10)
        if p.is_alive():
            p.terminate()
    ceiling = _submit_ceiling(tmp)
    offered = _generator_ceiling(ks, hz, gen_procs)
    rate_in = (r1 - r0) / dt_s
    rate_rec = (e1 - e0) / dt_s
    rate_done = rate_rec + (s1 - s0) / dt_s
    k = max(1, len(backlog) // 4)
    growth = (statistics.fmean(backlog[-k:]) - statistics.fmean(backlog[:k])) / max(1.0, dt_s - k)
    refused = sum(g["refused"] for g in gen)
    attempted = sum(g["attempted"] for g in gen)
    behind = max((g["behind_s"] for g in gen), default=float("nan"))
    gen_us = sum(g["cpu_s"] for g in gen) / max(1, attempted) * 1e6
    return [
        Figure(f"positions received from {N_DEVICES:,} devices at {hz:g} Hz", rate_in, "msg/s", target="≥ 5,000/s",
               ok=rate_in >= 5000 * 0.95,
               note=f"load generator: {gen_procs} processes of raw authenticated DEALERs; load average {load:.1f}; "
                    f"center CPU {cpu_s / dt_s:.2f} cores"),
        Figure("load generator alone: delivered to a bare CURVE ROUTER that only counts", offered, "msg/s",
               note="if this is ≥ 5,000/s and the center receives less, the center is the limit"),
        Figure("load generator: sends its sockets refused (server not reading)", refused / max(1, attempted) * 100,
               "%", note=f"{attempted:,} attempted; schedule at most {behind:.2f} s behind"),
        Figure("CPU per position: load generator (encode, CURVE, send)", gen_us, "µs",
               note=f"at 5,000/s: {gen_us * 5000 / 1e6:.2f} cores"),
        Figure("CPU per position: center (decrypt, decode, project, record)", cpu_s / max(1, r1 - r0) * 1e6, "µs",
               note=f"at 5,000/s: {cpu_s / max(1, r1 - r0) * 5000:.2f} cores"),
        Figure("positions ingested (projected; recorded or superseded by a newer one)", rate_done, "msg/s",
               target="= received", ok=rate_done >= rate_in * 0.97),
        Figure("positions recorded (one submit per drained batch)", rate_rec, "ev/s",
               note="a device's older positions in the same batch are superseded"),
        Figure("backlog growth (received − ingested)", growth, "msg/s", target="≈ 0",
               ok=abs(growth) < 0.03 * max(rate_in, 1.0), note=f"backlog at the end {backlog[-1] if backlog else 0}"),
        Figure("ceiling: runtime.submit of 500-position batches, no network", ceiling, "ev/s",
               note="validation, hash chain, commit and fold of the incident runtime"),
    ]


def bench_fuzz(tmp: Path, n: int = 100_000) -> list[Figure]:
    """100,000 invalid frames from an authenticated device while real devices take commands."""
    from tests.comms.test_reliability import fuzz

    out = fuzz(n, seed=2026, tmp_path=tmp / "fuzz")
    ok = out["rejected"] == n and out["fuzz_messages"] == 0 and all(
        v == [(s, f"C{s}") for s in range(1, out["seq"] + 1)] for v in out["applied"].values())
    return [Figure(f"{n:,} fuzzed frames from an authenticated device: refused and counted", out["rejected"], "frames",
                   target=f"{n:,}", ok=ok, note=f"{n / out['seconds']:,.0f} frames/s; real devices got all "
                                                f"{out['seq']} commands; crashes 0")]


def run() -> list[Figure]:
    """The benchmarks in a temporary directory: launch, ingest, the command window while the ingest runs
    (:mod:`bench.comms_window`: the field service in its own process, the window in this one), fuzz."""
    from bench.comms_window import bench_window

    with tempfile.TemporaryDirectory(prefix="cc-bench-comms-") as d:
        tmp = Path(d)
        ks = _keys(tmp, N_DEVICES)
        return bench_launch(tmp, ks) + bench_ingest(tmp, ks) + bench_window(tmp, ks) + bench_fuzz(tmp)
