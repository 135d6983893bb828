"""Simulated drills as incidents: one drill on SimPy's clock through the incident runtime, an evacuation's
log, and Monte Carlo batches on every core or on an existing Dask cluster.

A drill is an exercise incident whose clock is SimPy's (``SimClock(env, start)``); everything the
simulation does reaches the log as drafts submitted to :class:`commandcenter.runtime.IncidentRuntime`,
the same path a console and the field devices take, so the log replays and reports like a live one
(:class:`simulation.drill.Drill`). Figures are computed from the log (:mod:`simulation.metrics`).

A live drill (:func:`run_live_drill`) plays the same scenario as an exercise incident on a drill clock
(:class:`commandcenter.runtime.clock.DrillClock`: ``speed`` drill seconds per wall second), served by a
field server, with simulated (and optionally real) field devices: what the devices report reaches the log
only through the field service, which stamps it on the drill clock (:mod:`simulation.live`,
docs/simulation.md). Its log reads in drill time with the plan library's real durations, as an offline
drill's does.

A batch runs seeds ``seed0 … seed0 + runs − 1``, each into its own log ``DIR/drill-<seed>.db``, on a
local process pool (one worker per core) or, given a scheduler address, on a Dask cluster
(``distributed``, the optional ``dask`` extra). A run depends on nothing but its seed, the plant, the
plan library and the parameters, so both give the same figures for the same seeds.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from vocabulary.events import Draft

DRILL_TITLE = "演练 Drill"
EVACUATION_TITLE = "疏散模拟 Evacuation simulation"


def load_plans(plans_dir: str | Path | None = None) -> dict[str, Any]:
    """The valid plans of the library in ``plans_dir`` (default: the bundled one), by id."""
    from commandcenter.runtime.plan_host import default_plans_dir
    from plans.library import load_library, valid_plans

    return valid_plans(load_library(Path(plans_dir) if plans_dir else default_plans_dir()))


def _fresh_log(out: str | Path) -> Path:
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out}: the log already exists (a drill writes a new log)")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def run_drill(plant: Any, out: str | Path, *, seed: int, blind: bool = True, plans_dir: str | Path | None = None,
              params: Any = None, population: Any = None, window_start: dt.datetime | None = None,
              plans: dict[str, Any] | None = None) -> dict[str, Any]:
    """Draw the scenario of ``seed`` and play it as an exercise incident into a new log at ``out``.

    Returns ``incident_id``, ``log``, ``scenario`` (the coordinator's view), ``metrics`` (from the log),
    ``events``, ``people``, ``drafts``, ``submits``, ``wall_s`` (the drill itself, without loading the
    plant and the plans), ``cpu_s`` (its processor time) and ``log_s`` (the wall time of it spent recording
    in the incident runtime). Raises
    :class:`simulation.scenario.ScenarioError` when nothing can be drilled and ``FileExistsError`` when
    ``out`` exists."""
    import simpy

    from commandcenter.runtime import IncidentRuntime, SimClock
    from commandcenter.store import EventStore
    from simulation.drill import Drill
    from simulation.metrics import drill_metrics
    from simulation.response import ResponseParams
    from simulation.scenario import blind_scenario

    plans = plans if plans is not None else load_plans(plans_dir)
    scenario = blind_scenario(plant, plans, seed, window_start=window_start, hidden=blind)
    path = _fresh_log(out)
    store = EventStore(path)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        env = simpy.Environment()
        rt = IncidentRuntime.create(store, title=f"{DRILL_TITLE} {scenario.scenario_id}", exercise=True,
                                    plant=plant, plans_dir=plans_dir, clock=SimClock(env, scenario.start),
                                    incident_id=f"DRILL-{seed}", drill=scenario.to_payload())
        drill = Drill(env, rt, plant, scenario, plans, params=params or ResponseParams(), population=population)
        outcome = drill.run()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        events = list(store.events(rt.incident_id))
        rt.close()
    finally:
        store.close()
    return {"incident_id": f"DRILL-{seed}", "log": str(path), "seed": seed, "scenario": scenario.to_payload(),
            "metrics": drill_metrics(events), "events": len(events), "people": outcome.people,
            "drafts": outcome.drafts, "submits": outcome.submits, "wall_s": round(wall, 4),
            "cpu_s": round(cpu, 4), "log_s": round(outcome.log_s, 4)}


LIVE_TITLE = "现场演练 Live drill"


def _frames(server: dict[str, Any], link: Any) -> dict[str, Any]:
    """Frame counts of a live drill: what the field server received, sent and refused, and what the
    simulated devices sent and received."""
    c = server.get("counters", {})
    codes = {k: int(v) for k, v in c.items() if k.startswith(("rejected_", "dropped_")) or k == "spoofed"}
    dev_tx = sum(v for k, v in link.counters.items() if k.startswith("tx_")) + link.counters.get("raw_sent", 0)
    dev_rx = sum(v for k, v in link.counters.items() if k.startswith("rx_"))
    return {"received": int(c.get("frames", 0)), "accepted": int(c.get("accepted", 0)), "sent": int(c.get("sent", 0)),
            "resent": int(c.get("resent", 0)),
            "refused": int(c.get("rejected", 0)) + sum(v for k, v in codes.items() if not k.startswith("rejected_")),
            "refused_by_code": codes,
            "devices_sent": int(dev_tx), "devices_received": int(dev_rx)}


def _settle(svc: Any, link: Any, timeout_s: float) -> bool:
    """Wait until every message the model had the devices send has been accepted by the server (per type:
    positions, readings, SOS, acknowledgements, check-ins) and handled by the service, with nothing new for
    one more look (True), or ``timeout_s`` passed (False: a frame was lost, e.g. on a dropped connection)."""
    end = time.monotonic() + timeout_s
    before: dict[str, int] | None = None
    while time.monotonic() < end:
        asked = link.reports()
        want = {t: n + link.counters.get(f"tx_{t}", 0) for t, n in asked.items()}
        c = svc.server.stats()["counters"]  # runs on the network thread: its last batch is out
        svc.call(lambda s: None)  # and the service has handled it
        got = {t: int(c.get(f"type_{t}", 0)) for t in want}
        if all(got[t] >= want[t] for t in want) and got == before:
            return True
        before = got
        time.sleep(0.02)
    return False


def _wait(cond: Callable[[], Any], timeout_s: float, what: str) -> None:
    end = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError(f"{what} within {timeout_s:g} s")
        time.sleep(0.01)


def run_live_drill(plant: Any, out: str | Path, *, seed: int, blind: bool = True, speed: float = 60.0,
                   endpoint: str = "tcp://127.0.0.1:0", keys_dir: str | Path | None = None,
                   plans_dir: str | Path | None = None, params: Any = None, population: Any = None,
                   window_start: dt.datetime | None = None, plans: dict[str, Any] | None = None,
                   enrol: list[str] | None = None, heartbeat_s: float | None = None,
                   settle_s: float = 30.0) -> dict[str, Any]:
    """Play the scenario of ``seed`` live: an exercise incident in a new log at ``out``, served by a field
    server bound at ``endpoint``, with everyone on site carrying a simulated phone and the gas detectors
    behind a simulated gateway (real ZeroMQ sockets, CurveZMQ keys in ``keys_dir``, default ``OUT.keys``),
    the SimPy model driving what each device says, ``speed`` times faster than the wall clock
    (:mod:`simulation.live`). The incident's clock is a :class:`commandcenter.runtime.clock.DrillClock` from
    the scenario's play time: it stands still while the devices are enrolled and the service picks the
    incident up (drill second 0), then runs ``speed`` × the wall clock from the ``drill.scenario`` event. The
    field service stamps what it records on it, the plans engine runs the library's real durations on it,
    and only the network (retries, heartbeats, expiry on the wire) keeps the wall clock.

    ``enrol`` names real devices (their keys already in ``keys_dir``, their person from the plant roster's
    ``device_id``) enrolled in the exercise beside the simulated ones: they get the exercise's orders and
    what they report is recorded; their person carries no simulated phone. An allow-listed, connected device
    that is *not* enrolled (``SIM-OUTSIDER``) checks the exercise guard: it must receive no command.

    Returns what :func:`run_drill` returns (figures in drill seconds, from the log as it is) plus ``live``:
    ``endpoint``, ``speed``, ``keys``, ``devices`` (simulated), ``enrolled_real``, ``frames`` (received,
    accepted, sent, resent, refused by the server; sent and received by the simulated devices),
    ``outsider_commands`` (must be 0), ``reported`` (device messages by type), ``mustered_in_model`` (who
    reached an assembly point in the model),
    ``settled`` (every device frame recorded before the close)."""
    import simpy.rt

    from commandcenter.runtime import IncidentRuntime
    from commandcenter.runtime.clock import DrillClock
    from commandcenter.services.field_service import FieldConfig, FieldService
    from commandcenter.store import EventStore
    from comms.keys import KeyStore
    from comms.server import ServerConfig
    from comms.simulator import DeviceProfile, SimConfig
    from simulation.drill import on_site
    from simulation.live import DETECTOR_ID, OUTSIDER_ID, FieldLink, LiveDrill, LivePort, device_ids
    from simulation.metrics import drill_metrics
    from simulation.response import ResponseParams
    from simulation.scenario import blind_scenario

    if not (speed > 0 and speed <= 1000):
        raise ValueError(f"speed must be in (0, 1000], got {speed!r}")
    plans = plans if plans is not None else load_plans(plans_dir)
    scenario = blind_scenario(plant, plans, seed, window_start=window_start, hidden=blind)
    path = _fresh_log(out)
    keys_path = Path(keys_dir) if keys_dir is not None else path.with_name(path.name + ".keys")
    existing = (keys_path / "server.key").exists()
    real = sorted(set(enrol or []))
    enrolled_keys = set(KeyStore(keys_path).devices()) if existing else set()
    missing = [d for d in real if d not in enrolled_keys]
    if missing:
        raise ValueError(f"{keys_path}: no key for the device(s) to enrol: {', '.join(missing)} "
                         "(commandcenter keys new-device ID --keys DIR)")
    keys = KeyStore(keys_path) if existing else KeyStore.init(keys_path)
    roster_dev = {str(r): str(d) for r, d in plant.personnel.get("device_id", {}).items()
                  if isinstance(d, str) and d} if len(plant.personnel) else {}
    real_person = {d: p for p, d in roster_dev.items() if d in real}
    heartbeat_s = heartbeat_s or (5.0 if real else 2.0)  # the spec's 5 s for real phones; 2 s for simulated ones
    params = params or ResponseParams()
    played = replace(scenario, start=dt.datetime.now(dt.UTC).astimezone(scenario.start.tzinfo))  # played now
    people = [str(p) for p in on_site(plant, population, played.start)["id"]]
    carried = set(real_person.values())  # people whose real phone takes part carry no simulated one
    phones = {p: d for p, d in device_ids(people).items() if p not in carried}
    have = set(keys.devices())
    for dev, kind in [*((d, "phone") for d in phones.values()), (DETECTOR_ID, "detector"), (OUTSIDER_ID, "phone")]:
        if dev not in have:
            keys.new_device(dev, kind)
    iid = f"LIVE-{seed}-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}"
    clock = DrillClock(played.start, speed)
    store = EventStore(path)
    # a connection that passed ZAP is given 10 s to speak (not one heartbeat): hundreds of devices connect at once
    config = FieldConfig(server=ServerConfig(heartbeat_s=heartbeat_s, position_min_interval_s=0.0, silent_drop_s=10.0),
                         follow_s=0.05, scan_s=0.05, tick_s=0.25)
    svc = FieldService(store, keys, endpoint, plant=plant, plans_dir=plans_dir, config=config, incidents=[iid],
                       clock=clock)
    link = None
    ok = False
    try:
        svc.start()
        profiles = [DeviceProfile(d, "phone", person_id=p) for p, d in phones.items()]
        profiles += [DeviceProfile(DETECTOR_ID, "detector"), DeviceProfile(OUTSIDER_ID, "phone")]
        link = FieldLink(profiles, {p.device_id: keys.device_keys(p.device_id) for p in profiles},
                         SimConfig(endpoint=svc.endpoint, server_public=keys.server_public(), positions=False,
                                   evidence=False, heartbeat_s=heartbeat_s, seed=seed))
        link.start()
        seen: set[str] = set()

        def all_seen() -> bool:  # each has spoken once (under load one may drop out of the online window again)
            seen.update(d for d, on in svc.online().items() if on)
            return all(p.device_id in seen for p in profiles)
        _wait(all_seen, 30.0 + 0.05 * len(profiles), "the simulated devices did not all come online")
        env = simpy.rt.RealtimeEnvironment(initial_time=0.0, factor=1.0 / speed, strict=False)
        port = LivePort()
        drill = LiveDrill(env, port, plant, played, plans, link=link, devices=phones, origin=None, speed=speed,
                          params=params, population=population)
        rt0 = IncidentRuntime.create(store, title=f"{LIVE_TITLE} {scenario.scenario_id}", exercise=True,
                                     plant=plant, plans_dir=plans_dir, clock=clock, incident_id=iid)
        t = rt0.now()
        by = "drill coordinator"
        drafts = [Draft("device.enrolled", t, {"device_id": d, "kind": "phone", "person_id": p, "by": by})
                  for p, d in phones.items()]
        drafts.append(Draft("device.enrolled", t, {"device_id": DETECTOR_ID, "kind": "detector", "by": by}))
        drafts += [Draft("device.enrolled", t, {"device_id": d, "kind": keys.device_kind(d) or "phone", "by": by,
                                                **({"person_id": real_person[d]} if d in real_person else {})})
                   for d in real]
        rt0.submit(drafts)
        rt0.close()
        _wait(lambda: iid in svc.incidents(), 30.0, "the field service did not pick up the drill incident")
        rt = svc.runtime(iid)
        port.bind(rt, lambda fn: svc.call(lambda _svc: fn()))
        t0, c0 = time.perf_counter(), time.process_time()
        clock.begin()
        wall_origin = dt.datetime.fromtimestamp(clock.wall_at(clock.start), dt.UTC)
        opened = port.submit(Draft("drill.scenario", rt.now(), {
            **scenario.to_payload(), "live": {"played_at": played.start.isoformat(), "speed": float(speed),
                                              "endpoint": svc.endpoint, "clock": "drill",
                                              "wall_origin": wall_origin.isoformat()}}))
        drill.wall0 = next(e.time for e in opened if e.type == "drill.scenario")
        env.sync()
        outcome = drill.run()
        settled = _settle(svc, link, settle_s)
        closing = drill.closing or [Draft("incident.closed", rt.now(), {"reason": "end of drill", "by": "simulation"})]
        port.submit([Draft(d.type, rt.now(), d.payload) for d in closing])
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        port.close()
        server_stats = svc.server.stats()
        outsider = link.commands_received().get(OUTSIDER_ID, 0)
        ok = True
    finally:
        if link is not None:
            link.stop()
        svc.stop()
        if not ok:
            store.close()  # failed: the log stays as far as it got
    try:
        events = list(store.events(iid))
    finally:
        store.close()

    return {"incident_id": iid, "log": str(path), "seed": seed, "scenario": scenario.to_payload(),
            "metrics": drill_metrics(events), "events": len(events),
            "people": outcome.people, "drafts": outcome.drafts, "submits": outcome.submits,
            "wall_s": round(wall, 4), "cpu_s": round(cpu, 4), "log_s": round(outcome.log_s, 4),
            "frames": _frames(server_stats, link),
            "live": {"endpoint": svc.endpoint, "speed": float(speed), "keys": str(keys_path), "devices": len(profiles),
                     "enrolled_real": real, "outsider_commands": int(outsider),
                     "reported": link.reports(), "mustered_in_model": sorted(drill.mustered_model),
                     "settled": settled, "unanswerable": drill.unanswerable}}


def record_evacuation(plant: Any, run: Any, out: str | Path, *, start: dt.datetime, hazard_zones: dict | None = None,
                      position_period_s: float = 30.0) -> dict[str, Any]:
    """Write the evacuation ``run`` (:class:`simulation.evacuation.EvacuationRun`) as an exercise incident
    into a new log at ``out``, on a SimPy clock from ``start``: the evacuation plan people act on, the
    hazard zones (when given), a position report of everyone on their way every ``position_period_s``,
    each arrival as ``person.mustered``, then the close. Drafts go in batches, one per report period.
    Returns ``incident_id``, ``log`` and ``events``."""
    import simpy

    from commandcenter.runtime import IncidentRuntime, SimClock
    from commandcenter.store import EventStore
    from simulation.exposure import positions_at
    from vocabulary.events import Draft

    path = _fresh_log(out)
    store = EventStore(path)
    m = run.movement
    ids = [str(i) for i in run.people.ids]
    aps = run.site.aps.ids
    arr = run.arrival_s
    dep = np.asarray(m.departed_at, dtype=float)
    end = float(np.nanmax(arr)) if np.isfinite(arr).any() else 0.0
    if run.until_s is not None:
        end = min(end, run.until_s) if np.isfinite(arr).any() else float(run.until_s)
    paths = [m.trajectory(i) for i in range(len(ids))]
    try:
        env = simpy.Environment()
        rt = IncidentRuntime.create(store, title=EVACUATION_TITLE, exercise=True, plant=plant,
                                    clock=SimClock(env, start), engine=False,
                                    incident_id=f"EVAC-{start.astimezone(dt.UTC):%Y%m%d-%H%M%S}")

        def at(t: float) -> dt.datetime:
            return start + dt.timedelta(seconds=float(t))

        first = []
        if hazard_zones is not None:
            first.append(Draft("hazard.assessed", at(0), {"assessment_id": "HZ-1", "zones": hazard_zones["features"],
                                                          "model": "file", "by": "simulation"}))
        first.append(Draft("evacuation.planned", at(0), {
            "evacuation_id": "EV-1", "method": "simulation", "by": "simulation",
            "people": [{"person_id": ids[i], "assembly_point_id": run.assembly_point_id(i)}
                       for i in range(len(ids)) if run.assembly_point_id(i) is not None],
            "unroutable": [{"person_id": u["id"], "reason": u["reason"]} for u in run.unroutable()]}))
        rt.submit(first)

        def replay():  # type: ignore[no-untyped-def]
            prev = 0.0
            while True:
                t = min(prev + position_period_s, end)
                yield env.timeout(t - env.now)
                drafts = [Draft("person.mustered", at(arr[i]), {"person_id": ids[i], "method": "simulated",
                                                                "assembly_point_id": str(aps[m.arrived_ap[i]])})
                          for i in np.flatnonzero((arr > prev) & (arr <= t)).tolist() if m.arrived_ap[i] >= 0]
                moving = np.flatnonzero((dep <= t) & ~(arr <= t)).tolist()
                for i in moving:
                    x, y = positions_at(*paths[i], float(run.people.x[i]), float(run.people.y[i]), np.array([t]))
                    drafts.append(Draft("position.reported", at(t), {"person_id": ids[i], "x": round(float(x[0]), 2),
                                                                     "y": round(float(y[0]), 2), "status": "moving"}))
                if t >= end:
                    drafts.append(Draft("incident.closed", at(t), {"reason": "end of simulation", "by": "simulation"}))
                rt.submit(sorted(drafts, key=lambda d: d.time))
                if t >= end:
                    return
                prev = t

        env.process(replay())
        env.run()
        n = store.count(rt.incident_id)
        rt.close()
    finally:
        store.close()
    return {"incident_id": rt.incident_id, "log": str(path), "events": n}


# ---------------------------------------------------------------------- batches
_WORKER: dict[str, Any] = {}


def _plant(plant_path: str) -> Any:
    if _WORKER.get("path") != plant_path:
        from gis.loader import load_plant

        _WORKER.update(path=plant_path, plant=load_plant(plant_path), plans={})
    return _WORKER["plant"]


def batch_run(plant_path: str, seed: int, out_dir: str, plans_dir: str | None, params: Any,
              window_start: dt.datetime | None) -> dict[str, Any]:
    """One run of a batch (the unit of work of a worker process or a Dask worker): a drill into
    ``out_dir/drill-<seed>.db``; returns its record (seed, scenario, figures, wall time)."""
    plant = _plant(plant_path)
    key = str(plans_dir)
    if key not in _WORKER["plans"]:
        _WORKER["plans"][key] = load_plans(plans_dir)
    out = Path(out_dir) / f"drill-{seed:05d}.db"
    res = run_drill(plant, out, seed=seed, plans_dir=plans_dir, params=params, window_start=window_start,
                    plans=_WORKER["plans"][key])
    sc = res["scenario"]
    return {"seed": seed, "log": res["log"], "scenario": {k: sc[k] for k in ("source_id", "plan_id", "kind", "start")},
            "substance": sc["params"]["substance"], "wall_s": res["wall_s"], "cpu_s": res["cpu_s"], **res["metrics"]}


def run_batch(plant_path: str | Path, runs: int, out_dir: str | Path, *, seed0: int = 1, workers: int | None = None,
              scheduler: str | None = None, plans_dir: str | Path | None = None, params: Any = None,
              window_start: dt.datetime | None = None,
              progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Run ``runs`` drills (seeds ``seed0 …``) into ``out_dir`` on ``workers`` local processes (default: every
    core) or on the Dask cluster at ``scheduler``; call ``progress(1)`` as each finishes. Writes
    ``out_dir/runs.jsonl`` (one record per run, by seed) and ``out_dir/summary.json``; returns the summary
    with ``runs``, ``figures``, ``late_steps``, ``most_often_late``, ``wall_s``, ``workers``, ``executor``."""
    from simulation.montecarlo import summarise
    from simulation.response import ResponseParams

    params = params if params is not None else ResponseParams(flush_s=300.0)  # nobody watches a batch live
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    clash = [s for s in range(seed0, seed0 + runs) if (out / f"drill-{s:05d}.db").exists()]
    if clash:
        raise FileExistsError(f"{out}: logs of seeds {clash[:5]} already exist (use another directory or --seed0)")
    seeds = list(range(seed0, seed0 + runs))
    args = [(str(Path(plant_path).resolve()), s, str(out.resolve()), None if plans_dir is None else str(plans_dir),
             params, window_start) for s in seeds]
    t0 = time.perf_counter()
    records: list[dict[str, Any]] = []
    if scheduler:
        try:
            from distributed import Client
            from distributed import as_completed as dask_completed
        except ImportError:
            raise RuntimeError("--scheduler needs the optional Dask extra: pip install 'plant-commandcenter[dask]'") \
                from None
        with Client(scheduler, timeout="10s") as client:
            futures = [client.submit(batch_run, *a, key=f"drill-{a[1]}-{os.getpid()}-{t0}", pure=False)
                       for a in args]
            n_workers = len(client.scheduler_info().get("workers", {}))
            for f in dask_completed(futures):
                records.append(f.result())
                if progress:
                    progress(1)
        executor = f"dask {scheduler}"
    else:
        n_workers = max(1, min(workers or os.cpu_count() or 1, runs))
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            futures = [pool.submit(batch_run, *a) for a in args]
            for f in as_completed(futures):
                records.append(f.result())
                if progress:
                    progress(1)
        executor = "processes"
    records.sort(key=lambda r: r["seed"])
    summary = summarise(records)
    summary.update({"wall_s": round(time.perf_counter() - t0, 3), "workers": n_workers, "executor": executor,
                    "seeds": [seed0, seed0 + runs - 1], "out": str(out),
                    "drill_cpu_s": round(sum(r["cpu_s"] for r in records), 3)})
    with (out / "runs.jsonl").open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, allow_nan=False),
                                      encoding="utf-8")
    return summary
