"""Export to one file and import elsewhere, checked by the hash chain."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from commandcenter.cli import main
from commandcenter.projections.replay import Replay
from commandcenter.store import EventStore, StoreError
from commandcenter.store.exchange import ExchangeError, export_incident, import_incident
from tests.commandcenter.conftest import T0


@pytest.fixture
def exported(store, tmp_path):
    for i in range(1, 6):
        store.append("I1", "position.reported", {"person_id": f"E{i}", "x": i * 1.5, "y": 2.0},
                     T0 + dt.timedelta(seconds=i))
    store.launch_plan("I1", "P-1", "L2", time=T0 + dt.timedelta(seconds=9))
    path = tmp_path / "i1.jsonl"
    assert export_incident(store, "I1", path).events == 7
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_round_trip_gives_the_same_chain_and_state(store, tmp_path, suffix) -> None:
    path = tmp_path / f"x{suffix}"
    store.append("I1", "note.added", {"text": "演练"}, T0)
    export_incident(store, "I1", path)
    other = EventStore(tmp_path / "trainer.db")
    inc = import_incident(other, path)
    assert inc.exercise is True
    assert inc.head_hash == store.incident("I1").head_hash
    assert [e.hash for e in other.events("I1")] == [e.hash for e in store.events("I1")]
    assert Replay(other, "I1").current() == Replay(store, "I1").current()
    with pytest.raises(StoreError, match="already exists"):
        import_incident(other, path)
    other.close()


def test_import_keeps_the_one_launch_rule(exported, tmp_path) -> None:
    other = EventStore(tmp_path / "t.db")
    import_incident(other, exported)
    _ev, created = other.launch_plan("I1", "P-1", "L2")
    assert created is False
    other.close()


def test_tampered_file_is_refused_naming_the_line(exported, tmp_path, capsys) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    ev = json.loads(lines[3])
    ev["payload"]["x"] = 99.0
    lines[3] = json.dumps(ev)
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ExchangeError, match=r"i1.jsonl:4: chain broken at event 3 \(changed\)"):
        import_incident(EventStore(tmp_path / "t.db"), exported)
    assert main(["incident", "import", str(exported), "--db", str(tmp_path / "t2.db")]) == 1
    assert "refused" in capsys.readouterr().err


def test_truncated_file_is_refused(exported, tmp_path) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    exported.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(ExchangeError, match="deleted"):
        import_incident(EventStore(tmp_path / "t.db"), exported)


def test_not_an_export_is_refused(tmp_path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text('{"format": "something else"}\n', encoding="utf-8")
    with pytest.raises(ExchangeError, match=r"x.jsonl:1: not an incident export"):
        import_incident(EventStore(tmp_path / "t.db"), p)


def test_cli_export_then_import(exported, store, tmp_path, capsys) -> None:
    out = tmp_path / "cli.jsonl"
    assert main(["incident", "export", str(tmp_path / "log.db"), "I1", "--out", str(out)]) == 0
    assert main(["incident", "import", str(out), "--db", str(tmp_path / "new.db"), "--json"]) == 0
    got = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert got["imported"] is True
    assert got["incident"]["events"] == 7


def test_export_of_a_broken_chain_is_refused_unless_allowed(exported, store, tmp_path, capsys) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE events SET payload = '{\"person_id\":\"E3\",\"x\":99.0,\"y\":2.0}' WHERE seq = 4")
    db, out = str(tmp_path / "log.db"), tmp_path / "broken.jsonl"
    assert main(["incident", "export", db, "I1", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "chain broken at event 4 (changed)" in err
    assert "--allow-broken" in err
    assert not out.exists()
    assert main(["incident", "export", db, "I1", "--out", str(out), "--allow-broken", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["intact"], got["break"]["seq"], got["events"]) == (False, 4, 7)
    header = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert header["broken"]["seq"] == 4  # the file says what it is
    with pytest.raises(ExchangeError, match="chain broken at event 4"):
        import_incident(EventStore(tmp_path / "t.db"), out)


def test_export_does_not_overwrite_a_file_unless_forced(exported, tmp_path, capsys) -> None:
    db = str(tmp_path / "log.db")
    assert main(["incident", "export", db, "I1", "--out", str(exported)]) == 1
    assert "exists" in capsys.readouterr().err
    assert main(["incident", "export", db, "I1", "--out", str(exported), "--force"]) == 0
    assert main(["incident", "export", db, "I1", "--out", str(tmp_path / "no" / "such" / "x.jsonl")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_the_exported_payload_is_the_stored_text(exported, store) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT payload FROM events WHERE seq = 3").scalar_one()
    assert f'"payload":{stored},' in lines[3]
