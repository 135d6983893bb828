"""Helpers of the field-comms tests: key stores, a server with a recording sink, raw test devices, waits."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import zmq

from comms.keys import KeyPair, KeyStore
from comms.outbox import Command
from comms.server import FieldServer, Inbound, ServerConfig


def wait_until(cond: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    """Poll ``cond`` until it is truthy (returning its value) or fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


def make_keys(root: Path, devices: list[str]) -> KeyStore:
    """A key store at ``root`` with a server key and these devices."""
    ks = KeyStore.init(root)
    for d in devices:
        ks.new_device(d)
    return ks


class Recorder:
    """A thread-safe sink that keeps everything the server reports."""

    def __init__(self) -> None:
        self.items: list[Inbound] = []
        self._lock = threading.Lock()

    def __call__(self, batch: list[Inbound]) -> None:
        with self._lock:
            self.items.extend(batch)

    def of(self, kind: str, **match: Any) -> list[Inbound]:
        """The items of ``kind`` whose attributes equal ``match``."""
        with self._lock:
            return [i for i in self.items if i.kind == kind and all(getattr(i, k) == v for k, v in match.items())]


def start_server(ks: KeyStore, sink: Recorder, **cfg: Any) -> FieldServer:
    """A server on a free loopback port."""
    return FieldServer("tcp://127.0.0.1:0", ks.server_keys(), ks, sink, ServerConfig(**cfg)).start()


def command(cid: str, kind: str = "message", incident: str = "I1", expires_at: float | None = None,
            **fields: Any) -> Command:
    """A command as the dispatcher would build it (exercise, bilingual text)."""
    expires = None
    if expires_at is not None:
        import datetime as dt

        expires = dt.datetime.fromtimestamp(expires_at, dt.UTC).isoformat()
    return Command(cid, incident, kind, {"incident": incident, "kind": kind, "text": {"zh": "测试", "en": "test"},
                                         "exercise": True, "expires": expires, **fields}, expires_at)


class RawDevice:
    """A hand-driven device socket: any routing id, any key, raw frames (for the security tests)."""

    def __init__(self, ctx: zmq.Context, endpoint: str, server_public: bytes, keys: KeyPair, routing_id: str):
        self.sock = ctx.socket(zmq.DEALER)
        self.sock.linger = 0
        self.sock.routing_id = routing_id.encode()
        self.sock.curve_serverkey = server_public
        self.sock.curve_publickey = keys.public
        self.sock.curve_secretkey = keys.secret
        self.sock.connect(endpoint)
        self.received: list[bytes] = []

    def send(self, msg_type: str, device: str, **fields: Any) -> None:
        """Send one protocol message (raises zmq.Again when the socket has no connection to queue it on)."""
        body = {"v": 1, "type": msg_type, "device": device, "ts": "2026-11-30T10:00:00+08:00", **fields}
        self.sock.send(json.dumps(body).encode(), zmq.NOBLOCK)  # no connection (refused key): nothing goes out

    def pump(self) -> list[bytes]:
        """Read whatever has arrived."""
        while True:
            try:
                self.received.append(self.sock.recv(zmq.NOBLOCK))
            except zmq.Again:
                return self.received

    def messages(self) -> list[dict]:
        """What arrived, decoded."""
        return [json.loads(f) for f in self.pump()]

    def close(self) -> None:
        """Close the socket."""
        self.sock.close(linger=0)


# ---------------------------------------------------------------------------- the service on the mini plant
MINI_PEOPLE = {"DEV-1": "P001", "DEV-2": "P002", "DEV-3": "P003", "DEV-4": "P004"}


class FieldRig:
    """A log with one exercise incident on the mini plant, its devices enrolled, a running FieldService and
    a Simulator of those devices (phones DEV-1…4, gateway GW-1, detector GD-1)."""

    def __init__(self, tmp: Path, plant: Any, *, exercise: bool = True, enrol: bool = True, extra: tuple = (),
                 drill: dict | None = None, sim: bool = True, **cfg: Any):
        from commandcenter.runtime import IncidentRuntime
        from commandcenter.services.field_service import FieldConfig, FieldService
        from commandcenter.store import EventStore
        from comms.simulator import DeviceProfile, SimConfig, Simulator

        self.plant = plant
        self.devices = [*MINI_PEOPLE, "GW-1", "GD-1", *extra]
        self.keys = make_keys(tmp / "K", [])
        for d in self.devices:
            self.keys.new_device(d, "gateway" if d.startswith("GW") else ("detector" if d.startswith("GD") else None))
        self.store = EventStore(tmp / "log.db")
        self.rt = IncidentRuntime.create(self.store, title="field drill", exercise=exercise, plant=plant,
                                         drill=drill)
        self.iid = self.rt.incident_id
        if enrol:
            drafts = [("device.enrolled", {"device_id": d, "person_id": p, "kind": "phone"})
                      for d, p in MINI_PEOPLE.items()]
            drafts += [("device.enrolled", {"device_id": "GW-1", "kind": "gateway"}),
                       ("device.enrolled", {"device_id": "GD-1", "kind": "detector"})]
            for t, p in drafts:
                self.rt.record(t, p)
        server = ServerConfig(**{"heartbeat_s": 0.5, "retry_base_s": 0.2, "retry_max_s": 1.0,
                                 "position_min_interval_s": 0.0, **cfg.pop("server", {})})
        self.svc = FieldService(self.store, self.keys, "tcp://127.0.0.1:0", plant=plant,
                                config=FieldConfig(server=server, follow_s=0.05, scan_s=0.2, **cfg),
                                evidence_dir=tmp / "evidence").start()
        self.sim = None
        if sim:
            from commandcenter.services.field.geo import PlantGeo

            geo = PlantGeo(plant)
            lon, lat = geo.to_wgs84(668050.0, 3571080.0)
            profiles = [DeviceProfile(d, person_id=p, lon=float(lon), lat=float(lat), gate_id="X1")
                        for d, p in MINI_PEOPLE.items()]
            profiles += [DeviceProfile("GW-1", kind="gateway"),
                         DeviceProfile("GD-1", kind="detector", sensors=[{"sensor_id": "S1", "unit": "ppm",
                                                                          "base": 2.0, "alarm": 20.0}])]
            profiles += [DeviceProfile(d) for d in extra]
            self.sim = Simulator(profiles, {d: self.keys.device_keys(d) for d in self.devices},
                                 SimConfig(self.svc.endpoint, self.keys.server_public(), position_s=1.0,
                                           reading_s=0.5, task_s=0.2, walk_speed_mps=50.0, heartbeat_s=0.5)).start()

    def state(self) -> dict:
        """The incident's folded state as the service holds it (read on the service thread)."""
        return self.svc.call(lambda s: json.loads(json.dumps(s.runtime(self.iid).state)))

    def events(self, etype: str | None = None) -> list:
        """The incident's recorded events (of one type)."""
        return [e for e in self.store.events(self.iid) if etype is None or e.type == etype]

    def close(self) -> None:
        """Stop the simulator and the service, close the log."""
        if self.sim is not None:
            self.sim.stop()
        self.svc.stop()
        self.store.close()
