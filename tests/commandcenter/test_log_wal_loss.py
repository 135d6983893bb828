"""A SQLite log whose committed events are gone — its ``-wal`` deleted after a crash, an older copy of the file
restored, the file emptied — is refused when opened, naming the missing events, until the loss is accepted
explicitly; the loss then stays on record.

What is missing is found out independently: the database file alone (without its ``-wal``) is read with the
sqlite3 module, and compared with what the killed writer acknowledged.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys

import pytest

from commandcenter.cli import main
from commandcenter.store import EventStore, LogRefused
from commandcenter.store.audit import verify_incident
from tests.conftest import REPO

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)  # the clock of tests/commandcenter/console_child.py


@pytest.fixture(autouse=True)
def keys(tmp_path, monkeypatch):
    monkeypatch.setenv("CC_LOG_KEY_DIR", str(tmp_path / "keys"))


def _max_seq_without_wal(db, tmp_path) -> int:
    alone = tmp_path / "alone" / "log.db"
    alone.parent.mkdir()
    shutil.copyfile(db, alone)
    con = sqlite3.connect(alone)
    try:
        return int(con.execute("SELECT COALESCE(MAX(seq), 0) FROM events WHERE incident_id = 'I1'").fetchone()[0])
    finally:
        con.close()


def _kill_writer_after(db, n: int) -> list[int]:
    """Run the writer child with checkpoints off, SIGKILL it after ``n`` acknowledged events; their seqs."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.commandcenter.console_child", "write", str(db), "I1"],
                            cwd=REPO, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO), "CC_TEST_NO_CHECKPOINT": "1"})
    acked: list[int] = []
    try:
        for line in proc.stdout:
            acked.append(int(line.split(" ", 1)[0]))
            if len(acked) >= n:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    return acked


@pytest.mark.slow
def test_a_wal_deleted_after_a_crash_is_refused_naming_the_lost_events(tmp_path, capsys) -> None:
    db = tmp_path / "log.db"
    with EventStore(db) as s:
        s.create_incident("I1", "wal loss", exercise=True, time=T0)
    acked = _kill_writer_after(db, 150)
    wal = db.with_name("log.db-wal")
    assert wal.stat().st_size > 0
    in_file = _max_seq_without_wal(db, tmp_path)
    assert in_file < acked[-1]  # the acknowledged events live only in the -wal
    wal.unlink()
    db.with_name("log.db-shm").unlink(missing_ok=True)

    with pytest.raises(LogRefused) as info:
        EventStore(db)
    first, last = map(int, re.search(r"incident I1: events (\d+)–(\d+)", str(info.value)).groups())
    assert first == in_file + 1
    assert last >= acked[-1]  # every acknowledged event is named (and any committed after the last ack)
    assert "log.db-wal deleted or lost" in str(info.value)

    assert main(["audit", "verify", str(db), "--json"]) == 1
    brk = json.loads(capsys.readouterr().out)["incidents"][0]["break"]
    assert (brk["seq"], brk["kind"]) == (in_file + 1, "deleted")
    assert main(["incident", "export", str(db), "I1", "--out", str(tmp_path / "x.jsonl")]) == 1
    assert "chain broken" in capsys.readouterr().err

    assert main(["audit", "accept-loss", str(db)]) == 0
    assert f"events {first}–{last} lost" in capsys.readouterr().out
    with EventStore(db) as s:  # opens again and carries on from what is left
        e = s.append("I1", "note.added", {"text": "recovered"}, T0 + dt.timedelta(hours=1))
        assert e.seq == in_file + 1
        r = verify_incident(s, "I1")
    assert (r.brk.seq, r.brk.kind) == (first, "lost")  # the loss stays on record


@pytest.mark.slow
def test_the_wal_kept_after_a_crash_opens_with_every_acknowledged_event(tmp_path) -> None:
    db = tmp_path / "log.db"
    with EventStore(db) as s:
        s.create_incident("I1", "wal kept", exercise=True, time=T0)
    acked = _kill_writer_after(db, 150)
    with EventStore(db) as s:  # no false alarm after a crash: the -wal is replayed
        assert s.incident("I1").head_seq >= acked[-1]
        r = verify_incident(s, "I1")
    assert r.intact
    assert r.anchor["committed_seq"] >= acked[-1]


def test_an_older_copy_restored_over_the_log_is_refused(tmp_path) -> None:
    db = tmp_path / "log.db"
    with EventStore(db) as s:
        s.create_incident("I1", "backup", exercise=False, time=T0)
        s.append("I1", "note.added", {"text": "before the backup"}, T0)
    shutil.copyfile(db, tmp_path / "backup.db")  # closed, so the file holds everything
    with EventStore(db) as s:
        s.append("I1", "note.added", {"text": "after the backup"}, T0)
        s.append("I1", "note.added", {"text": "and this"}, T0)
    shutil.copyfile(tmp_path / "backup.db", db)
    with pytest.raises(LogRefused, match=r"incident I1: events 3–4"):
        EventStore(db)


def test_an_emptied_database_beside_its_heads_file_is_refused_before_a_new_log_is_made(tmp_path) -> None:
    db = tmp_path / "log.db"
    with EventStore(db) as s:
        s.create_incident("I1", "gone", exercise=False, time=T0)
    db.unlink()
    with pytest.raises(LogRefused, match=r"holds no incident log, but .*log\.db\.heads records"):
        EventStore(db)
    assert not db.exists() or db.stat().st_size == 0 or _tables(db) == []


def _tables(db) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    finally:
        con.close()
