"""``kill -9`` of the field server mid-broadcast: the outbox is the log, so a new server sends what is owed —
every command reaches every device once, in order, and no device seq is ever given twice."""

from __future__ import annotations

import json
import signal
import subprocess

import pytest

from comms.simulator import DeviceProfile, SimConfig, Simulator
from tests.commandcenter.test_field_cli import cli, free_port
from tests.comms.helpers import make_keys, wait_until
from tests.conftest import MINI_PLANT
from vocabulary.events import Draft

pytestmark = pytest.mark.slow
N = 30


def serve(db: str, keys: str, ep: str) -> subprocess.Popen:
    """A ``field serve`` process, up and bound."""
    p = cli("field", "serve", "--plant", str(MINI_PLANT), "--db", db, "--keys", keys, "--bind", ep, "--heartbeat",
            "0.5", "--retry-max", "1", "--json")
    line = p.stdout.readline()
    assert json.loads(line)["event"] == "serving", p.stderr.read()
    return p


def test_server_killed_mid_broadcast_and_restarted_delivers_everything_once(tmp_path) -> None:
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.services.field.orders import command_draft
    from commandcenter.store import EventStore

    ids = [f"PH-{i:02d}" for i in range(N)]
    ks = make_keys(tmp_path / "K", ids)
    db = str(tmp_path / "log.db")
    store = EventStore(db)
    rt = IncidentRuntime.create(store, title="drill", exercise=True, engine=False)
    rt.submit([Draft("device.enrolled", rt.now(), {"device_id": d, "kind": "phone"}) for d in ids])

    def order(n: int) -> str:
        rt.follow()
        d = command_draft(rt.incident_id, True, rt.state, rt.now(), kind="message", devices=ids, to="all",
                          text_zh=f"第{n}条", text_en=f"order {n}")
        rt.submit(d)
        return d.payload["command_id"]

    ep = f"tcp://127.0.0.1:{free_port()}"
    first = serve(db, str(ks.root), ep)
    second = None
    sim = Simulator([DeviceProfile(i) for i in ids], {i: ks.device_keys(i) for i in ids},
                    SimConfig(ep, ks.server_public(), positions=False, heartbeat_s=0.5, drop_rate=0.3, seed=5))
    try:
        sim.start()
        cids = [order(1), order(2), order(3)]

        def acks() -> int:
            return sum(1 for e in store.events(rt.incident_id) if e.type == "command.acknowledged")
        wait_until(lambda: acks() >= 5, timeout=30, what="the broadcast under way")
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
        assert acks() < 3 * N, "the broadcast finished before the kill"
        cids.append(order(4))  # written while no server runs: the log is the outbox
        second = serve(db, str(ks.root), ep)
        wait_until(lambda: all(len(v) == 4 for v in sim.applied().values()), timeout=90,
                   what="every device applied four commands")
        assert sim.counters.get("applied_twice", 0) == 0
        assert all(v == [(s + 1, c) for s, c in enumerate(cids)] for v in sim.applied().values())
        seqs: dict[str, list[int]] = {}
        for e in store.events(rt.incident_id):
            if e.type == "command.queued":
                for dev, s in e.payload["seqs"].items():
                    seqs.setdefault(dev, []).append(s)
        assert all(sorted(v) == [1, 2, 3, 4] for v in seqs.values())
        assert len(seqs) == N
    finally:
        sim.stop()
        for p in (first, second):
            if p is not None and p.poll() is None:
                p.send_signal(signal.SIGTERM)
            if p is not None:
                p.communicate(timeout=30)
        store.close()
