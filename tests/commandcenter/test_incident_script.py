"""Scripted incidents: the shipped tabletop plays on the demo plant; bad scripts give file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commandcenter.cli import main
from commandcenter.runtime.incident_script import ScriptError, load_script, parse_offset
from tests.conftest import DEMO_PLANT, REPO

TABLETOP = REPO / "data" / "scripts" / "h2s-tabletop.yaml"


def test_tabletop_plays_through_store_and_projections(tmp_path, capsys) -> None:
    db = tmp_path / "drill.db"
    assert main(["incident", "play", str(TABLETOP), "--plant", str(DEMO_PLANT), "--db", str(db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["exercise"] is True
    assert out["plans_engine"] is True
    assert (out["plan_launches"], out["duplicate_launches"]) == (1, 1)
    s = out["summary"]
    assert s["level"] == "L3"
    assert s["plans"] == ["h2s-release"]
    assert s["sos"] == ["E0115"]
    assert s["by_point"] == {"AP-03": 3}
    assert s["open"] is False
    assert sum(s["tasks"].values()) > 5  # the plans engine assigned the plan's tasks
    assert main(["audit", "verify", str(db)]) == 0
    assert main(["incident", "state", str(db), "H2S-TT-2026-001", "--at", "2026-11-22T09:01:00+08:00"]) == 0
    capsys.readouterr()
    assert main(["incident", "state", str(db), "H2S-TT-2026-001", "--at", "2026-11-22T09:01:00+08:00"]) == 0
    at_1min = json.loads(capsys.readouterr().out)
    assert at_1min["alarms"] == ["GD-001", "GD-003"]
    assert at_1min["plans"] == []


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "bad.yaml"
    p.write_text(body, encoding="utf-8")
    return p


HEAD = "incident: {id: X1, title: t, start: '2026-11-22T09:00:00+08:00'}\ninjects:\n"


@pytest.mark.parametrize(("body", "expected"), [
    (HEAD + "  - {at: 5, type: sensor.reading, sensor_id: GD-999, value: 3}\n",
     "bad.yaml:3: injects[0].sensor_id: unknown sensor 'GD-999'"),
    (HEAD + "  - {at: 5, type: sensor.reading, sensor_id: GD-001}\n", "bad.yaml:3: injects[0].value: required"),
    (HEAD + "  - {at: 1, type: note.added, text: ok}\n  - {at: -3, type: note.added, text: x}\n",
     "bad.yaml:4: injects[1].at: must not be negative"),
    (HEAD + "  - {at: 1, type: explosion}\n", "bad.yaml:3: injects[0].type: must be one of"),
    (HEAD + "  - {at: 1, type: person.mustered, person_id: E0114, assembly_point_id: AP-99}\n",
     "injects[0].assembly_point_id: unknown assembly point 'AP-99'"),
    (HEAD + "  - {at: 1, type: position.reported, person_id: E0114, place: NOWHERE}\n",
     "injects[0].place: no feature 'NOWHERE'"),
    (HEAD + "  - {at: 1, type: position.reported, person_id: E0114, x: 1.0, y: 2.0}\n",
     "bad.yaml:3: injects[0].x: (1.0, 2.0) is far outside the plant"),
    (HEAD + "  - {at: 1, type: note.added, text: a, text: b}\n", "bad.yaml:3: not valid YAML: duplicate key 'text'"),
    ("incident: {id: X1, title: t, start: '2026-11-22T09:00:00'}\ninjects:\n  - {at: 0, type: note.added, text: a}\n",
     "bad.yaml:1: incident.start: needs a UTC offset"),
    ("incident: {id: X1, title: t, start: 2026-11-22T09:00:00+08:00}\ninjects: [\n", "bad.yaml:3: not valid YAML"),
])
def test_bad_script_names_file_line_and_field(tmp_path, demo_plant, body, expected) -> None:
    with pytest.raises(ScriptError) as info:
        load_script(_write(tmp_path, body), demo_plant)
    assert any(expected in p for p in info.value.problems), info.value.problems


def test_cli_reports_every_problem_and_exits_1(tmp_path, capsys) -> None:
    p = _write(tmp_path, HEAD + "  - {at: 5, type: sensor.reading, sensor_id: GD-999, value: x}\n"
                                "  - {at: 6, type: person.sos, person_id: NOBODY}\n")
    assert main(["incident", "play", str(p), "--plant", str(DEMO_PLANT), "--db", str(tmp_path / "d.db")]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:3: injects[0].sensor_id" in err
    assert "bad.yaml:4: injects[1].person_id: unknown person 'NOBODY'" in err
    assert not (tmp_path / "d.db").exists()


def test_offsets_accept_seconds_and_clock_text() -> None:
    assert parse_offset(90) == 90.0
    assert parse_offset("01:30") == 90.0
    assert parse_offset("01:00:05") == 3605.0
    with pytest.raises(ValueError, match="HH:MM:SS"):
        parse_offset("soon")


def test_exercise_script_may_not_notify_a_live_recipient(tmp_path, demo_plant) -> None:
    from commandcenter.runtime.incident_script import play
    from commandcenter.store import EventStore

    p = _write(tmp_path, HEAD + "  - {at: 5, type: notification.sent, recipient: EPB, channel: phone, live: true}\n")
    script = load_script(p, demo_plant)
    store = EventStore(tmp_path / "d.db")
    with pytest.raises(ScriptError, match=r"bad.yaml:3: notification.sent: live: true is not allowed"):
        play(script, store, exercise=True)
    assert store.incidents() == []
    store.close()


def test_without_engine_launches_and_levels_are_recorded_as_written(tmp_path, capsys) -> None:
    db = tmp_path / "d.db"
    assert main(["incident", "play", str(TABLETOP), "--plant", str(DEMO_PLANT), "--db", str(db), "--no-engine",
                 "--exercise", "--incident-id", "T-2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["plans_engine"] is False
    assert out["events"] == 32  # opened + 30 of the 31 injects (the second launch is the first one) + closed
    assert out["summary"]["tasks"] == {"done": 1}


def test_short_field_names_and_nested_payloads_are_accepted(tmp_path, demo_plant) -> None:
    p = _write(tmp_path, HEAD + "  - {at: 5, type: sensor.alarm, sensor: GD-001, level: alarm}\n"
                                "  - {at: 6, type: level.changed, level: L2}\n"
                                "  - at: 7\n    type: person.mustered\n"
                                "    payload: {person: E0114, assembly_point: AP-03}\n")
    script = load_script(p, demo_plant)
    assert [j.payload for j in script.injects] == [{"sensor_id": "GD-001", "level": "alarm"}, {"to": "L2"},
                                                   {"person_id": "E0114", "assembly_point_id": "AP-03"}]


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 10**400, "inf:00", "00:nan", "1e400:00", -1,
                                   "-1:00", 40_000_000, [1], None])
def test_offsets_must_be_finite_non_negative_and_within_a_year(value) -> None:
    with pytest.raises(ValueError, match=r"seconds|negative|finite|year"):
        parse_offset(value)


def test_unreadable_script_files_are_named_not_raised(tmp_path, demo_plant) -> None:
    import os

    from commandcenter.runtime.incident_script import ScriptError, load_script

    os.mkfifo(tmp_path / "pipe.yaml")
    os.symlink(tmp_path / "gone.yaml", tmp_path / "lost.yaml")
    (tmp_path / "latin1.yaml").write_bytes("incident: {title: caf\xe9}\n".encode("latin-1"))
    for name, words in (("pipe.yaml", "FIFO"), ("lost.yaml", "does not exist"), ("latin1.yaml", "UTF-8")):
        with pytest.raises(ScriptError, match=words):
            load_script(tmp_path / name, demo_plant)


def test_a_start_near_year_9999_is_refused(tmp_path, demo_plant) -> None:
    from commandcenter.runtime.incident_script import ScriptError, load_script

    p = tmp_path / "s.yaml"
    p.write_text("incident: {id: X, title: t, start: '9999-12-31T23:00:00+00:00'}\n"
                 "injects:\n  - {at: 0, type: note.added, text: hi}\n", encoding="utf-8")
    with pytest.raises(ScriptError, match="year 9999"):
        load_script(p, demo_plant)
