"""Multi-console on a REAL PostgreSQL server: consoles in two processes see each other's events within one
second (LISTEN/NOTIFY), and two consoles launching the same plan at once produce one launch."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from commandcenter.projections.replay import Replay
from commandcenter.store import EventStore
from commandcenter.store.audit import verify_incident
from commandcenter.store.follow import Follower
from tests.commandcenter.conftest import T0
from tests.conftest import REPO
from vocabulary.events import Draft


def _child(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.commandcenter.console_child", *args], cwd=REPO,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.fixture
def pg_store(pg_url):
    s = EventStore(pg_url)
    s.create_incident("PG-1", "multi-console", exercise=True, time=T0)
    yield s
    s.close()


def test_two_processes_see_each_others_events_within_a_second(pg_store, pg_url) -> None:
    proc = _child("reply", pg_url, "PG-1")
    try:
        assert proc.stdout.readline().strip() == "ready"
        with Follower(pg_store, "PG-1", after_seq=pg_store.incident("PG-1").head_seq) as follow:
            ping = pg_store.append("PG-1", "note.added", {"text": "ping"})
            mine = follow.wait(1.0)  # our own event arrives through the feed too
            assert mine[0].seq == ping.seq
            # the other process saw "ping" and answered "pong"; we must see it within one second of its commit
            # (it may already have come with the ping, when the other process answered before we read)
            assert proc.stdout.readline().strip() == f"seen {ping.seq}"
            got = mine[1:] or follow.wait(1.0)
        assert [e.payload["text"] for e in got] == ["pong"]
        assert got[0].seq == ping.seq + 1
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stdin.close()
    assert verify_incident(pg_store, "PG-1").intact


def test_follower_wakes_on_notify_without_polling(pg_store) -> None:
    with Follower(pg_store, "PG-1", after_seq=1, poll_s=30.0) as follow:
        other = EventStore(pg_store.engine.url.render_as_string(hide_password=False))
        e = other.append("PG-1", "person.sos", {"person_id": "E0115"})
        other.close()
        got = follow.wait(1.0)  # with poll_s=30 only the NOTIFY can deliver this within the second
    assert [x.hash for x in got] == [e.hash]


@pytest.mark.parametrize("round_", range(3))
def test_two_consoles_launching_at_once_make_one_launch(pg_store, pg_url, round_) -> None:
    procs = [_child("launch", pg_url, "PG-1", f"CCR-{i}") for i in (1, 2)]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready"
        for p in procs:  # release both at once
            p.stdin.write("go\n")
            p.stdin.flush()
        answers = [p.stdout.readline().split() for p in procs]
        for p in procs:
            assert p.wait(timeout=30) == 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stdout.close()
            p.stdin.close()
    created = sorted(int(a[0]) for a in answers)
    assert created == [0, 1]
    assert answers[0][1:] == answers[1][1:]  # both consoles show the same launch event
    launches = [e for e in pg_store.events("PG-1") if e.type == "plan.launched"]
    assert len(launches) == 1
    assert Replay(pg_store, "PG-1").current()["incident"]["plans"][0]["plan"] == "P-1"
    assert verify_incident(pg_store, "PG-1").intact


def test_postgres_store_round_trip_and_snapshots(pg_store) -> None:
    import datetime as dt

    drafts = [Draft("position.reported", T0 + dt.timedelta(seconds=i),
                    {"person_id": f"E{i % 7}", "x": float(i), "y": 1.0})
              for i in range(1, 120)]
    pg_store.append_many("PG-1", drafts)
    r = Replay(pg_store, "PG-1", every=25)
    r.ensure_snapshots()
    s = r.state_at(T0 + dt.timedelta(seconds=60))
    assert s["seq"] == 61
    assert s["personnel"]["people"]["E4"]["x"] == 60.0
    assert verify_incident(pg_store, "PG-1").intact


def test_audit_on_postgres_hashes_the_stored_payload_text(pg_store) -> None:
    from sqlalchemy import text

    for i in range(2, 6):
        pg_store.append("PG-1", "note.added", {"text": f"n{i}"})
    assert verify_incident(pg_store, "PG-1").intact
    assert verify_incident(pg_store, "PG-1").anchor == {"kind": "none"}  # PostgreSQL: no heads file
    with pg_store.engine.begin() as conn:  # parses to the same object, but is not the hashed text
        conn.execute(text("UPDATE events SET payload = :p WHERE incident_id = 'PG-1' AND seq = 3"),
                     {"p": '{"text": "n3"}'})
    r = verify_incident(pg_store, "PG-1")
    assert (r.brk.seq, r.brk.kind) == (3, "changed")
