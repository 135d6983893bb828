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
