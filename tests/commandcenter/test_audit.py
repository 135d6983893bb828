"""Tamper evidence: audit verify finds the first changed, deleted, inserted or reordered event."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from commandcenter.cli import main
from commandcenter.store.audit import verify_incident
from commandcenter.store.chain import canonical_json, hash_with_payload_text
from tests.commandcenter.conftest import T0
from vocabulary.events import format_us


@pytest.fixture
def filled(store):
    for i in range(1, 10):
        store.append("I1", "note.added", {"text": f"n{i}"}, T0 + dt.timedelta(seconds=i))
    return store  # events 1..10


def _sql(store, sql: str, **params) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_intact_chain_verifies_and_cli_exits_0(filled, tmp_path, capsys) -> None:
    assert verify_incident(filled, "I1").intact
    assert main(["audit", "verify", str(tmp_path / "log.db")]) == 0
    assert "I1: intact, 10 events" in capsys.readouterr().out


def test_changed_payload_is_named(filled, tmp_path, capsys) -> None:
    _sql(filled, "UPDATE events SET payload = :p WHERE seq = 5", p='{"text":"forged"}')
    r = verify_incident(filled, "I1")
    assert (r.brk.seq, r.brk.kind) == (5, "changed")
    assert main(["audit", "verify", str(tmp_path / "log.db"), "--incident", "I1", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["intact"] is False
    assert out["incidents"][0]["break"]["seq"] == 5


def test_changed_and_rehashed_event_is_caught_by_the_next_link(filled) -> None:
    row = dict(filled.engine.connect().execute(text("SELECT * FROM events WHERE seq = 5")).mappings().one())
    payload = canonical_json({"text": "forged"})
    h = hash_with_payload_text(1, "I1", 5, format_us(row["t_us"]), row["type"], payload, row["prev_hash"])
    _sql(filled, "UPDATE events SET payload = :p, hash = :h WHERE seq = 5", p=payload, h=h)
    r = verify_incident(filled, "I1")
    assert r.brk.seq == 5
    assert r.brk.kind in ("inserted", "changed")


def test_deleted_event_is_named(filled) -> None:
    _sql(filled, "DELETE FROM events WHERE seq = 4")
    r = verify_incident(filled, "I1")
    assert (r.brk.seq, r.brk.kind) == (4, "deleted")


def test_deleted_and_renumbered_is_named(filled) -> None:
    _sql(filled, "DELETE FROM events WHERE seq = 4")
    for s in range(5, 11):
        _sql(filled, "UPDATE events SET seq = :a WHERE seq = :b", a=s - 1, b=s)
    r = verify_incident(filled, "I1")
    assert (r.brk.seq, r.brk.kind) == (4, "deleted")


def test_deleted_last_event_is_caught_by_the_head(filled) -> None:
    _sql(filled, "DELETE FROM events WHERE seq = 10")
    r = verify_incident(filled, "I1")
    assert (r.brk.seq, r.brk.kind) == (10, "deleted")


def test_inserted_event_is_named(filled) -> None:
    for s in range(10, 5, -1):
        _sql(filled, "UPDATE events SET seq = :a WHERE seq = :b", a=s + 1, b=s)
    prev = filled.engine.connect().execute(text("SELECT hash, t_us FROM events WHERE seq = 5")).one()
    payload = canonical_json({"text": "smuggled"})
    h = hash_with_payload_text(1, "I1", 6, format_us(prev.t_us), "note.added", payload, prev.hash)
    _sql(filled, "INSERT INTO events VALUES ('I1', 6, 1, :t, 'note.added', :p, :prev, :h)", t=prev.t_us,
         p=payload, prev=prev.hash, h=h)
    r = verify_incident(filled, "I1")
    assert (r.brk.seq, r.brk.kind) == (6, "inserted")


def test_swapped_events_are_reordered(filled) -> None:
    _sql(filled, "UPDATE events SET seq = -1 WHERE seq = 6")
    _sql(filled, "UPDATE events SET seq = 6 WHERE seq = 7")
    _sql(filled, "UPDATE events SET seq = 7 WHERE seq = -1")
    r = verify_incident(filled, "I1")
    assert (r.brk.seq, r.brk.kind) == (6, "reordered")


def test_flipped_exercise_flag_is_caught(filled) -> None:
    _sql(filled, "UPDATE incidents SET exercise = 0")
    r = verify_incident(filled, "I1")
    assert (r.brk.seq, r.brk.kind) == (1, "changed")
    assert "exercise" in r.brk.message


def test_missing_database_is_a_usage_error(tmp_path, capsys) -> None:
    assert main(["audit", "verify", str(tmp_path / "none.db")]) == 2
    assert "no database file" in capsys.readouterr().err


def test_file_that_is_not_a_log_is_a_clear_error(tmp_path, capsys) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", encoding="utf-8")
    assert main(["audit", "verify", str(junk)]) == 1
    assert "is not an incident log database" in capsys.readouterr().err
