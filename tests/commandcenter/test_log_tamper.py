"""Attacks on a SQLite incident log, made with the sqlite3 module straight on the file, and what finds each.

The attacker here can edit the database (and, in some tests, the heads file beside it) but does not hold the
log's key. Hashes an attacker recomputes are built from the canonical form as docs/incident-log.md states
it (stdlib json + hashlib), not with the store's code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3

import pytest

from commandcenter.cli import main
from commandcenter.store import EventStore, LogRefused
from commandcenter.store.audit import verify_incident, verify_store
from commandcenter.store.chain import verify_chain
from tests.commandcenter.conftest import T0

TITLE = "H2S release at Unit 100"


@pytest.fixture
def keys(tmp_path, monkeypatch):
    d = tmp_path / "keys"
    monkeypatch.setenv("CC_LOG_KEY_DIR", str(d))
    return d


@pytest.fixture
def db(tmp_path, keys):
    """A closed log: incident I1 (an exercise, plant 'mini', Asia/Shanghai) with notes n2…n10, one per commit."""
    path = tmp_path / "log.db"
    with EventStore(path) as s:
        s.create_incident("I1", TITLE, exercise=True, time=T0, plant="mini", tz="Asia/Shanghai")
        for i in range(2, 11):
            s.append("I1", "note.added", {"text": f"n{i}"}, T0 + dt.timedelta(seconds=i))
    return path


def _sql(path, sql: str, *params) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def _rows(path) -> dict[int, tuple]:
    con = sqlite3.connect(path)
    try:
        return {r[0]: r[1:] for r in con.execute("SELECT seq, t_us, type, payload, prev_hash, hash FROM events")}
    finally:
        con.close()


def _doc_hash(seq: int, t_us: int, etype: str, payload: dict, prev: str, incident: str = "I1") -> str:
    """SHA-256 of the documented canonical form, computed independently of commandcenter.store.chain."""
    t = (dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=t_us)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    obj = {"v": 1, "incident": incident, "seq": seq, "time": t, "type": etype, "payload": payload, "prev": prev}
    return hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def _audit(path):
    with EventStore(path, anchor="inspect") as s:
        return verify_incident(s, "I1")


def _move_head(path, seq: int) -> None:
    t_us, _ty, _p, _prev, h = _rows(path)[seq]
    _sql(path, "UPDATE incidents SET head_seq = ?, head_hash = ?, head_t_us = ?", seq, h, t_us)


def test_the_untouched_log_verifies_with_its_anchor(db) -> None:
    r = _audit(db)
    assert r.intact
    assert (r.events_ok, r.exercise, r.title) == (10, True, TITLE)
    assert r.anchor["signatures"] == "checked"
    assert r.anchor["committed_seq"] == 10


@pytest.mark.parametrize("stored", ['{"text": "n5"}', '{"text":"forged","text":"n5"}', '{ "text":"n5"}'])
def test_an_edit_that_parses_to_the_same_payload_still_breaks_the_chain(db, stored) -> None:
    assert json.loads(stored) == {"text": "n5"}  # a reader that re-parses sees no change
    _sql(db, "UPDATE events SET payload = ? WHERE seq = 5", stored)
    r = _audit(db)
    assert (r.brk.seq, r.brk.kind) == (5, "changed")


@pytest.mark.parametrize(("column", "value", "word"), [("title", "Harmless test", "title"),
                                                       ("plant", "other-plant", "plant"),
                                                       ("tz", "UTC", "time zone"),
                                                       ("exercise", 0, "exercise")])
def test_the_incident_row_is_checked_against_event_1(db, column, value, word) -> None:
    _sql(db, f"UPDATE incidents SET {column} = ?", value)
    r = _audit(db)
    assert (r.brk.seq, r.brk.kind) == (1, "changed")
    assert word in r.brk.message
    assert (r.exercise, r.title) == (True, TITLE)  # from the sealed event 1, not the edited row
    with EventStore(db, anchor="inspect") as s:
        inc = s.incident("I1")
    assert (inc.title, inc.exercise, inc.plant, inc.tz) == (TITLE, True, "mini", "Asia/Shanghai")


def test_deleted_tail_with_the_head_moved_back_is_found_by_the_heads_file(db, capsys) -> None:
    _sql(db, "DELETE FROM events WHERE seq >= 8")
    _move_head(db, 7)
    with EventStore(db, anchor="inspect") as s:  # inside the database alone the chain looks whole
        assert verify_chain(s.events("I1"), "I1", head=(7, s.incident("I1").head_hash)) == (7, None)
    with pytest.raises(LogRefused, match=r"incident I1: events 8–10"):
        EventStore(db)
    r = _audit(db)
    assert (r.brk.seq, r.brk.kind) == (8, "deleted")
    assert "log.db.heads line" in r.brk.message
    assert main(["audit", "verify", str(db), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["incidents"][0]["break"]["seq"] == 8
    assert "events 8–10" in out["problem"]


def test_history_rewritten_with_recomputed_hashes_is_found(db) -> None:
    rows = _rows(db)
    prev = rows[5][4]  # the hash of event 5
    for seq in range(6, 11):
        t_us, etype, payload, _p, _h = rows[seq]
        obj = {"text": "all clear, no leak"} if seq == 6 else json.loads(payload)
        h = _doc_hash(seq, t_us, etype, obj, prev)
        _sql(db, "UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?",
             json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False), prev, h, seq)
        prev = h
    _move_head(db, 10)
    with EventStore(db, anchor="inspect") as s:
        assert verify_chain(s.events("I1"), "I1", head=(10, prev)) == (10, None)  # a consistent forgery
    r = _audit(db)
    assert (r.brk.seq, r.brk.kind) == (6, "changed")
    assert "not the event committed" in r.brk.message
    with pytest.raises(LogRefused, match="does not vouch"):
        EventStore(db)


def test_an_event_appended_behind_the_programs_back_is_found(db) -> None:
    t_us, *_rest, h10 = _rows(db)[10]
    payload = {"task_id": "T-RESCUE"}
    h = _doc_hash(11, t_us + 1, "task.done", payload, h10)
    _sql(db, "INSERT INTO events VALUES ('I1', 11, 1, ?, 'task.done', ?, ?, ?)", t_us + 1,
         json.dumps(payload, separators=(",", ":")), h10, h)
    _move_head(db, 11)
    with pytest.raises(LogRefused, match="incident I1: head event 11"):
        EventStore(db)
    r = _audit(db)
    assert (r.brk.seq, r.brk.kind) == (11, "unanchored")


@pytest.mark.parametrize(("sql", "params", "why"), [
    ("UPDATE events SET payload = CAST(? AS TEXT) WHERE seq = 5", (b'{"text":"\xff"}',), "not UTF-8"),
    ("UPDATE events SET payload = ? WHERE seq = 5", ("not json",), "not JSON"),
    ("UPDATE events SET payload = ? WHERE seq = 5", ("[1, 2]",), "not a JSON object"),
    ("UPDATE events SET t_us = ? WHERE seq = 5", ("soon",), "not an integer"),
    ("UPDATE events SET type = CAST(? AS TEXT) WHERE seq = 5", (b"note.\xfe",), "not UTF-8"),
])
def test_an_unreadable_row_is_named_not_a_traceback(db, capsys, sql, params, why) -> None:
    _sql(db, sql, *params)
    r = _audit(db)
    assert (r.brk.seq, r.brk.kind) == (5, "changed")
    assert why in r.brk.message
    assert main(["audit", "verify", str(db)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("I1: BROKEN at event 5 (changed): event 5 is unreadable")
    assert "Traceback" not in captured.err


def test_a_whole_incident_deleted_is_found(db) -> None:
    for table in ("events", "plan_launches", "snapshots", "incidents"):
        _sql(db, f"DELETE FROM {table}")
    with pytest.raises(LogRefused, match=r"incident I1: events 1–10"):
        EventStore(db)
    with EventStore(db, anchor="inspect") as s:
        (r,) = verify_store(s)
    assert (r.incident, r.brk.seq, r.brk.kind) == ("I1", 1, "deleted")


def test_a_whole_incident_lost_and_accepted_stays_on_record(db, capsys) -> None:
    for table in ("events", "plan_launches", "snapshots", "incidents"):
        _sql(db, f"DELETE FROM {table}")
    assert main(["audit", "accept-loss", str(db)]) == 0
    assert "incident I1: events 1–10 lost" in capsys.readouterr().out
    with EventStore(db) as s:
        s.create_incident("I2", "the next one", exercise=False, time=T0)
        (r1, r2) = verify_store(s)
    assert (r1.incident, r1.brk.seq, r1.brk.kind) == ("I1", 1, "lost")
    assert (r2.incident, r2.intact) == ("I2", True)


def test_an_altered_heads_line_is_found(db) -> None:
    heads = db.with_name("log.db.heads")
    lines = heads.read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(lines) if '"s":6,' in line and '"st":"c"' in line)
    obj = json.loads(lines[k])
    obj["h"] = "f" * 64
    lines[k] = json.dumps(obj, separators=(",", ":"))
    heads.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = _audit(db)
    assert (r.brk.seq, r.brk.kind) == (6, "anchor")
    assert f"line {k + 1} of log.db.heads" in r.brk.message
    assert "signature" in r.brk.message


def test_a_missing_heads_file_is_refused_until_the_loss_is_accepted(db, capsys) -> None:
    db.with_name("log.db.heads").unlink()
    with pytest.raises(LogRefused, match=r"log\.db\.heads is missing"):
        EventStore(db)
    assert main(["audit", "verify", str(db)]) == 1
    assert "(unanchored)" in capsys.readouterr().out
    assert main(["audit", "accept-loss", str(db), "--json"]) == 0
    assert "re-anchored at event 10" in json.loads(capsys.readouterr().out)["accepted"][0]
    with EventStore(db) as s:  # opens again, and carries on
        s.append("I1", "note.added", {"text": "after"}, T0 + dt.timedelta(seconds=30))
    r = _audit(db)
    assert (r.brk.seq, r.brk.kind) == (10, "unanchored")  # the gap in the evidence stays on record


def test_another_logs_heads_file_is_refused(db, tmp_path) -> None:
    with EventStore(tmp_path / "other.db") as s:
        s.create_incident("X", "other", exercise=False, time=T0)
    shutil.copyfile(tmp_path / "other.db.heads", db.with_name("log.db.heads"))
    with pytest.raises(LogRefused, match="belongs to log"):
        EventStore(db)


def test_a_copy_without_the_key_still_finds_a_deleted_tail(db, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CC_LOG_KEY_DIR", str(tmp_path / "another-machine"))
    r = _audit(db)
    assert r.intact
    assert r.anchor["signatures"].startswith("unchecked")
    _sql(db, "DELETE FROM events WHERE seq = 10")
    _move_head(db, 9)
    with pytest.raises(LogRefused, match="incident I1: event 10 "):
        EventStore(db)


def test_events_appended_without_the_key_are_flagged_where_the_key_is(db, tmp_path, keys, monkeypatch) -> None:
    monkeypatch.setenv("CC_LOG_KEY_DIR", str(tmp_path / "laptop"))
    with EventStore(db) as s:
        s.append("I1", "note.added", {"text": "written elsewhere"}, T0 + dt.timedelta(seconds=20))
    monkeypatch.setenv("CC_LOG_KEY_DIR", str(keys))
    with pytest.raises(LogRefused, match="head event 11"):
        EventStore(db)
    r = _audit(db)
    assert (r.brk.seq, r.brk.kind) == (11, "anchor")
    assert "signature" in r.brk.message
