"""``commandcenter field …``: the headless field server, the device simulator, and drill enrolment.

* ``field serve --plant P --db LOG --keys KEYS --bind tcp://127.0.0.1:PORT`` — serves every open incident of
  LOG until SIGTERM/SIGINT, picking up the commands other processes write to the log. ``--json`` prints
  ``{"event": "serving", "bound", "incidents"}`` once bound and ``{"event": "stopped", "stats"}`` at the end.
* ``field simulate --devices N --endpoint tcp://… --keys KEYS [--drop-rate P] [--offline-seconds S]
  [--plant P]`` — N virtual devices (the first N keys of KEYS) until SIGTERM/SIGINT or ``--duration``;
  ``--json`` prints ``{"devices", "applied", "applied_twice", "counters"}`` at the end.
* ``field enroll --db LOG --incident ID DEVICE… [--person P] [--kind K]`` — enrol devices in an incident (the
  only devices an exercise may command); ``--json`` prints ``{"incident", "enrolled"}``.
"""

from __future__ import annotations

import json
import random
import signal
import threading
from pathlib import Path
from typing import Any

import click

from commandcenter.cli.params import FiniteFloat, finite


def _echo(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, allow_nan=False, default=str), nl=True)


def _load_plant(path: Path) -> Any:
    from gis.issues import PlantError
    from gis.loader import load_plant

    try:
        return load_plant(path)
    except PlantError as exc:
        raise click.ClickException(f"{path}: the plant is invalid ({len(exc.errors)} error(s)); run "
                                   f"'commandcenter plant check {path}'") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read the plant: {exc}") from None


def _keystore(keys: Path) -> Any:
    from comms.keys import KeyStore, KeyStoreError

    ks = KeyStore(keys)
    try:
        ks.server_public()
    except (KeyStoreError, OSError) as exc:
        raise click.BadParameter(str(exc), param_hint="--keys") from None
    return ks


def _until_signal(stop: threading.Event, duration: float | None) -> None:
    """Wait for SIGTERM/SIGINT (or ``duration`` seconds)."""
    previous = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        stop.wait(duration)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@click.group()
def field() -> None:
    """Field comms: serve devices over ZeroMQ, simulate devices, enrol devices in a drill."""


@field.command("serve")
@click.option("--plant", "plant_path", type=click.Path(path_type=Path), required=True, help="The plant package.")
@click.option("--db", required=True, help="The incident log (SQLite file or database URL).")
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The key store (server key and device allow-list).")
@click.option("--bind", "endpoint", default="tcp://*:5570", show_default=True, help="Where the ROUTER binds.")
@click.option("--plans", "plans_dir", type=click.Path(path_type=Path), default=None,
              help="Plan library for the plans engine (default: the bundled one).")
@click.option("--incident", "incidents", multiple=True, help="Serve only these incidents (default: every open one).")
@click.option("--heartbeat", "heartbeat_s", type=finite(0.05, 3600, unit="s"), default=5.0, show_default=True,
              help="heartbeat_s told to devices; online = a message within 3 heartbeats.")
@click.option("--retry-max", "retry_max_s", type=finite(0.05, 3600, unit="s"), default=30.0, show_default=True,
              help="Longest wait between resends of an unacknowledged command.")
@click.option("--no-auto-open", is_flag=True, help="Do not open an incident for an alarm from a device of none.")
@click.option("--evidence", "evidence_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where evidence photos go (default: beside the log).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines (serving, stopped).")
def field_serve(plant_path: Path, db: str, keys_dir: Path, endpoint: str, plans_dir: Path | None,
                incidents: tuple[str, ...], heartbeat_s: float, retry_max_s: float, no_auto_open: bool,
                evidence_dir: Path | None, as_json: bool) -> None:
    """Serve every open incident of LOG to the field devices until SIGTERM/SIGINT."""
    import zmq

    from commandcenter.services.field_service import FieldConfig, FieldService
    from commandcenter.store import EventStore
    from comms.server import ServerConfig

    ks = _keystore(keys_dir)
    plant = _load_plant(plant_path)
    try:
        store = EventStore(db)
    except Exception as exc:  # driver errors differ per backend
        raise click.ClickException(f"cannot open log {db!r}: {exc}") from None
    config = FieldConfig(server=ServerConfig(heartbeat_s=heartbeat_s, retry_base_s=min(1.0, retry_max_s),
                                             retry_max_s=retry_max_s),
                         auto_open=not no_auto_open, evidence_dir=evidence_dir)
    svc = FieldService(store, ks, endpoint, plant=plant, plans_dir=plans_dir, config=config,
                       incidents=list(incidents) or None)
    try:
        svc.start()
    except zmq.ZMQError as exc:
        store.close()
        raise click.ClickException(f"cannot bind {endpoint}: {exc}") from None
    stop = threading.Event()
    if as_json:
        _echo({"event": "serving", "bound": svc.endpoint, "incidents": svc.incidents()})
    else:
        click.echo(f"serving {len(svc.incidents())} incident(s) on {svc.endpoint}; SIGTERM or Ctrl-C stops")
    try:
        _until_signal(stop, None)
    finally:
        stats = svc.stats()
        svc.stop()
        store.close()
    if as_json:
        _echo({"event": "stopped", "stats": stats})
    else:
        click.echo(f"stopped: {stats['counters'].get('accepted', 0)} messages, {stats['counters'].get('sent', 0)} sent")


def _profiles(ids: list[str], plant: Any, ks: Any) -> list[Any]:
    """Who each simulated device is: its person (roster), kind (key metadata), start position (population,
    WGS 84), the gate it badges at, and for a detector the plant's sensors."""
    from comms.simulator import DeviceProfile

    if plant is None:
        return [DeviceProfile(i, kind=ks.device_kind(i) or "phone") for i in ids]
    from commandcenter.services.field.geo import PlantGeo

    geo = PlantGeo(plant)
    pos: dict[str, tuple[float, float]] = {}
    if plant.population is not None and len(plant.population):
        pop = plant.population
        lon, lat = geo.to_wgs84(pop["x"].to_numpy(float), pop["y"].to_numpy(float))
        pos = {str(i): (float(a), float(b)) for i, a, b in zip(pop["id"], lon, lat, strict=True)}
    exits = plant.layers.get("exits")
    gates = [str(g) for g in exits.index] if exits is not None else []
    sensors = [{"sensor_id": s.id, "unit": s.unit or "ppm", "base": 0.0, "alarm": s.alarm or 1.0}
               for s in geo.sensors.values()]
    out = []
    for k, i in enumerate(ids):
        kind = ks.device_kind(i)
        person = geo.device_person.get(i)
        kind = kind or "phone"
        lonlat = pos.get(person or "", (None, None))
        out.append(DeviceProfile(i, kind=kind, person_id=person, lon=lonlat[0], lat=lonlat[1],
                                 gate_id=gates[k % len(gates)] if gates and person else None,
                                 sensors=sensors if kind == "detector" else []))
    return out


@field.command("simulate")
@click.option("--devices", "n", type=click.IntRange(1, 20_000), required=True, help="How many virtual devices.")
@click.option("--endpoint", required=True, help="The field server, e.g. tcp://127.0.0.1:5570.")
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The key store: the first N allow-listed devices with a secret are simulated.")
@click.option("--drop-rate", type=finite(0, 0.95), default=0.0, show_default=True,
              help="Share of received commands and of 'received' acks lost (the server must resend).")
@click.option("--offline-seconds", type=finite(0, 86_400, unit="s"), default=0.0, show_default=True,
              help="At the first command, --offline-fraction of the devices drop off the network this long.")
@click.option("--offline-fraction", type=finite(0, 1), default=0.2, show_default=True)
@click.option("--plant", "plant_path", type=click.Path(path_type=Path), default=None,
              help="Plant package: people, start positions, gates and sensors of the devices.")
@click.option("--position-every", "position_s", type=FiniteFloat(1.0, 3600, unit="s"), default=5.0,
              show_default=True, help="Seconds between positions (the spec allows at most 1 Hz).")
@click.option("--walk-speed", type=finite(0.1, 10, unit="m/s"), default=1.3, show_default=True)
@click.option("--duration", type=finite(0, 86_400 * 7, lo_open=True, unit="s"), default=None,
              help="Stop after this many seconds (default: at SIGTERM/SIGINT).")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object at the end.")
def field_simulate(n: int, endpoint: str, keys_dir: Path, drop_rate: float, offline_seconds: float,
                   offline_fraction: float, plant_path: Path | None, position_s: float, walk_speed: float,
                   duration: float | None, seed: int, as_json: bool) -> None:
    """Run N virtual field devices written to the protocol page."""
    from comms.keys import KeyStoreError
    from comms.simulator import SimConfig, Simulator

    ks = _keystore(keys_dir)
    ids = [d for d in ks.devices() if (ks.devices_dir / f"{d}.key_secret").is_file()][:n]
    if len(ids) < n:
        raise click.ClickException(f"{keys_dir} holds {len(ids)} device(s) with a secret key, not {n}: add them "
                                   "with 'commandcenter keys new-device'")
    try:
        keys = {i: ks.device_keys(i) for i in ids}
    except KeyStoreError as exc:
        raise click.ClickException(str(exc)) from None
    plant = _load_plant(plant_path) if plant_path is not None else None
    config = SimConfig(endpoint, ks.server_public(), position_s=position_s, walk_speed_mps=walk_speed,
                       drop_rate=drop_rate, seed=seed)
    rng = random.Random(seed)
    cut = threading.Event()
    sim_box: list[Any] = []

    def on_message(device: str, msg: Any) -> None:
        if msg.type == "command" and offline_seconds > 0 and not cut.is_set():
            cut.set()
            chosen = rng.sample(ids, max(1, round(offline_fraction * len(ids))))
            sim_box[0].cut_off(chosen, offline_seconds)

    sim = Simulator(_profiles(ids, plant, ks), keys, config, on_message=on_message)
    sim_box.append(sim)
    stop = threading.Event()
    sim.start()
    if not as_json:
        click.echo(f"{len(ids)} device(s) connected to {endpoint}; SIGTERM or Ctrl-C stops")
    try:
        _until_signal(stop, duration)
    finally:
        sim.stop()
    applied = sim.applied()
    out = {"devices": len(ids), "applied": sum(len(v) for v in applied.values()),
           "applied_twice": sim.counters.get("applied_twice", 0), "counters": dict(sim.counters)}
    if as_json:
        _echo(out)
    else:
        click.echo(f"applied {out['applied']} command(s) on {len(ids)} device(s); applied twice: "
                   f"{out['applied_twice']}")


@field.command("enroll")
@click.option("--db", required=True, help="The incident log.")
@click.option("--incident", "incident_id", required=True, help="The incident (a drill's exercise incident).")
@click.argument("devices", nargs=-1, required=True)
@click.option("--person", default=None, help="The person carrying the device (one device only).")
@click.option("--kind", default="phone", show_default=True, help="phone, gateway, detector, reader …")
@click.option("--team", default=None)
@click.option("--role", default=None)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def field_enroll(db: str, incident_id: str, devices: tuple[str, ...], person: str | None, kind: str,
                 team: str | None, role: str | None, as_json: bool) -> None:
    """Enrol DEVICES in an incident: in an exercise, only enrolled devices are ever commanded."""
    from commandcenter.cli.command import open_incident, open_store
    from comms.protocol import DEVICE_ID
    from vocabulary.events import Draft

    bad = [d for d in devices if not DEVICE_ID.fullmatch(d)]
    if bad:
        raise click.BadParameter(f"{bad[0]!r} is not a device id (1–64 of A–Z a–z 0–9 . _ -)", param_hint="DEVICES")
    if person and len(devices) != 1:
        raise click.UsageError("--person names the carrier of one device")
    store = open_store(db)
    try:
        rt, _ = open_incident(store, incident_id, None, need_plant=False)
        t = rt.now()
        drafts = []
        for d in devices:
            p = {"device_id": d, "kind": kind, "person_id": person, "team": team, "role": role, "by": "cli"}
            drafts.append(Draft("device.enrolled", t, {k: v for k, v in p.items() if v is not None}))
        rt.submit(drafts)
    finally:
        store.close()
    if as_json:
        _echo({"incident": incident_id, "enrolled": list(devices)})
    else:
        click.echo(f"enrolled {len(devices)} device(s) in {incident_id}")


COMMANDS = (field,)
