"""Crash safety: SIGKILL a writer mid-stream; every event whose append returned is there, the chain verifies,
the heads file beside the log records every acknowledged event as committed (and raises no false alarm on
reopening), and the projections equal those folded from the acknowledged events."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from commandcenter.projections import fold
from commandcenter.projections.replay import Replay
from commandcenter.store import EventStore
from commandcenter.store.audit import verify_incident
from commandcenter.store.chain import Event
from tests.conftest import REPO


def test_sigkill_loses_no_acknowledged_event(store, tmp_path) -> None:
    db = str(tmp_path / "log.db")
    proc = subprocess.Popen([sys.executable, "-m", "tests.commandcenter.console_child", "write", db, "I1"],
                            cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    acked: list[Event] = []
    try:
        for line in proc.stdout:
            _seq, _h, body = line.split(" ", 2)
            acked.append(Event.from_dict(json.loads(body)))
            if len(acked) >= 400:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert len(acked) >= 400

    reopened = EventStore(db)  # refuses a log that lost committed events or holds unvouched ones
    stored = {e.seq: e for e in reopened.events("I1")}
    for e in acked:
        assert stored[e.seq].hash == e.hash
        assert stored[e.seq].payload == e.payload
    result = verify_incident(reopened, "I1")
    assert result.intact
    assert result.anchor["committed_seq"] >= acked[-1].seq
    last = acked[-1].seq
    opened = next(reopened.events("I1", until_seq=1))
    assert Replay(reopened, "I1", every=50).state_at_seq(last) == fold([opened, *acked])
    reopened.append("I1", "note.added", {"text": "after restart"})  # the log carries on
    assert verify_incident(reopened, "I1").intact
    reopened.close()


def test_opening_and_verifying_while_another_process_appends_raises_no_alarm(store, tmp_path) -> None:
    db = str(tmp_path / "log.db")
    proc = subprocess.Popen([sys.executable, "-m", "tests.commandcenter.console_child", "write", db, "I1"],
                            cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    checked = []
    try:
        for line in proc.stdout:
            seq = int(line.split(" ", 1)[0])
            if seq % 40 == 0:
                with EventStore(db) as other:
                    result = verify_incident(other, "I1")
                assert result.intact, result.brk
                assert result.events_ok >= seq
                checked.append(seq)
            if len(checked) == 5:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert len(checked) == 5
