"""The command-line contracts of field comms: ``keys``, ``field enroll``, ``command send`` / ``status``, and
``field serve`` with ``field simulate`` as real processes (SIGTERM stops them cleanly)."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import zmq.auth

from commandcenter.cli import main
from tests.comms.helpers import wait_until
from tests.conftest import MINI_PLANT

REPO = Path(__file__).resolve().parents[2]


def run(capsys, *args: str) -> tuple[int, dict | None, str]:
    rc = main(list(args))
    out = capsys.readouterr()
    try:
        obj = json.loads(out.out) if out.out.strip() else None
    except json.JSONDecodeError:
        obj = None
    return rc, obj, out.err


def test_keys_init_new_device_revoke_write_the_issue_layout(tmp_path, capsys) -> None:
    k = tmp_path / "KEYS"
    rc, out, _ = run(capsys, "keys", "init", str(k), "--json")
    assert rc == 0
    assert set(out) == {"keys", "server_key", "server_public"}
    assert zmq.auth.load_certificate(k / "server.key")[0].decode() == out["server_public"]
    assert stat.S_IMODE((k / "server.key_secret").stat().st_mode) == 0o600
    rc, out, _ = run(capsys, "keys", "new-device", "PH-7", "--keys", str(k), "--kind", "phone", "--json")
    assert rc == 0
    assert out == {"device_id": "PH-7", "kind": "phone", "public_key": str(k / "devices" / "PH-7.key"),
                   "secret_key": str(k / "devices" / "PH-7.key_secret")}
    assert stat.S_IMODE((k / "devices" / "PH-7.key_secret").stat().st_mode) == 0o600
    rc, out, _ = run(capsys, "keys", "revoke", "PH-7", "--keys", str(k), "--json")
    assert rc == 0
    assert out["device_id"] == "PH-7"
    assert not (k / "devices" / "PH-7.key").exists()


@pytest.mark.parametrize("args", [["keys", "new-device", "bad id", "--keys", "{k}"],
                                  ["keys", "revoke", "NOPE", "--keys", "{k}"], ["keys", "init", "{k}"]])
def test_key_mistakes_are_one_line_errors(tmp_path, capsys, args) -> None:
    k = tmp_path / "KEYS"
    assert main(["keys", "init", str(k)]) == 0
    capsys.readouterr()
    rc, _, err = run(capsys, *[a.format(k=k) for a in args])
    assert rc == 1
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.fixture
def drill_log(tmp_path, capsys) -> tuple[str, str]:
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.store import EventStore

    db = str(tmp_path / "log.db")
    with EventStore(db) as store:
        iid = IncidentRuntime.create(store, title="drill", exercise=True, engine=False).incident_id
    for dev, person in (("DEV-1", "P001"), ("DEV-2", "P002")):
        assert main(["field", "enroll", "--db", db, "--incident", iid, dev, "--person", person, "--team", "Crew A",
                     "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {"incident": iid, "enrolled": ["DEV-2"]}
    return db, iid


def test_command_send_prints_the_id_and_the_resolved_devices(drill_log, capsys) -> None:
    db, iid = drill_log
    rc, out, _ = run(capsys, "command", "send", "--db", db, "--incident", iid, "--to", "team:Crew A", "--kind",
                     "evacuate", "--text-zh", "撤离", "--text-en", "Evacuate", "--json")
    assert rc == 0
    assert set(out) == {"command_id", "devices"}
    assert out["devices"] == ["DEV-1", "DEV-2"]
    rc, status, _ = run(capsys, "command", "status", "--db", db, "--incident", iid, "--json")
    assert rc == 0
    assert status == {"commands": [{"command_id": out["command_id"], "kind": "evacuate",
                                    "devices": {"DEV-1": "pending", "DEV-2": "pending"}}]}


@pytest.mark.parametrize(("target", "message"), [
    ("device:STRANGER", "not enrolled in this exercise"), ("person:P999", "resolves to no device"),
    ("everyone", "expected all, device:ID"), ("zone:Z1", "needs the plant")])
def test_command_send_refuses_targets_outside_the_drill(drill_log, capsys, target, message) -> None:
    db, iid = drill_log
    rc, _, err = run(capsys, "command", "send", "--db", db, "--incident", iid, "--to", target, "--kind", "message",
                     "--text-zh", "x", "--text-en", "x")
    assert rc in (1, 2)
    assert message in err
    rc, status, _ = run(capsys, "command", "status", "--db", db, "--incident", iid, "--json")
    assert status == {"commands": []}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str, **kw) -> subprocess.Popen:
    """A ``commandcenter`` process."""
    code = "import sys; from commandcenter.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


@pytest.mark.slow
def test_serve_and_simulate_processes_deliver_a_cli_command_and_stop_on_sigterm(tmp_path, capsys) -> None:
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.store import EventStore

    k = tmp_path / "KEYS"
    assert main(["keys", "init", str(k)]) == 0
    for d in ("DEV-1", "DEV-2", "DEV-3"):
        assert main(["keys", "new-device", d, "--keys", str(k)]) == 0
    db = str(tmp_path / "log.db")
    with EventStore(db) as store:
        iid = IncidentRuntime.create(store, title="real", exercise=False, engine=False).incident_id
    capsys.readouterr()
    ep = f"tcp://127.0.0.1:{free_port()}"
    serve = cli("field", "serve", "--plant", str(MINI_PLANT), "--db", db, "--keys", str(k), "--bind", ep,
                "--heartbeat", "0.5", "--retry-max", "1", "--json")
    sim = None
    try:
        first = json.loads(serve.stdout.readline())
        assert first["event"] == "serving"
        assert first["incidents"] == [iid]
        sim = cli("field", "simulate", "--devices", "3", "--endpoint", ep, "--keys", str(k), "--plant",
                  str(MINI_PLANT), "--json")
        rc, out, err = run(capsys, "command", "send", "--db", db, "--incident", iid, "--to", "all", "--kind",
                           "message", "--text-zh", "测试", "--text-en", "test", "--json")
        assert rc == 0, err
        assert out["devices"] == ["DEV-1", "DEV-2", "DEV-3"]

        def done() -> bool:
            main(["command", "status", "--db", db, "--incident", iid, "--command", out["command_id"], "--json"])
            rows = json.loads(capsys.readouterr().out)["commands"]
            return set(rows[0]["devices"].values()) == {"done"}
        wait_until(done, timeout=30, what="every device done")
        sim.send_signal(signal.SIGTERM)
        summary = json.loads(sim.communicate(timeout=30)[0].splitlines()[-1])
        assert sim.returncode == 0
        assert (summary["devices"], summary["applied"], summary["applied_twice"]) == (3, 3, 0)
        serve.send_signal(signal.SIGTERM)
        last = json.loads(serve.communicate(timeout=30)[0].splitlines()[-1])
        assert serve.returncode == 0
        assert last["event"] == "stopped"
    finally:
        for p in (serve, sim):
            if p is not None and p.poll() is None:
                p.kill()
            if p is not None and p.stdout is not None and not p.stdout.closed:
                p.communicate()
