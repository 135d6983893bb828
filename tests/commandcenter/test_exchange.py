"""Export to one file and import elsewhere, checked by the hash chain."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from commandcenter.cli import main
from commandcenter.exchange import ExchangeError, export_incident, import_incident
from commandcenter.projections.replay import Replay
from commandcenter.store import EventStore, StoreError
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
