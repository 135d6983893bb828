"""What the log accepts, and that an import file gets exactly the checks an append gets.

Import files are built here with hashes computed from the canonical form as docs/incident-log.md states it
(stdlib json + hashlib), so the chain is valid and only the content decides; a refusal must then come from
the same check an append would make, naming the same field.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import itertools
import json
import os
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from commandcenter.cli import main
from commandcenter.store import EventStore
from commandcenter.store.exchange import ExchangeError, import_incident
from tests.commandcenter.conftest import T0
from vocabulary.events import EVENT_TYPES, PAYLOAD_FIELDS, EventError

T1 = T0 + dt.timedelta(seconds=1)


def _time_text(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _doc_hash(incident: str, seq: int, time_text: str, etype: str, payload: object, prev: str) -> str:
    obj = {"v": 1, "incident": incident, "seq": seq, "time": time_text, "type": etype, "payload": payload,
           "prev": prev}
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def write_export(path, incident: str, events: list[tuple[str, object]], *, header: dict | None = None,
                 title: str = "drill", exercise: bool = True, tz: str = "+08:00", plant: str | None = None) -> None:
    """An export file of ``incident``: event 1 incident.opened (title, exercise, timezone), then ``events``
    (type, payload) at T1, all correctly chained."""
    opened = {"title": title, "exercise": exercise, "timezone": tz}
    if plant is not None:
        opened["plant"] = plant
    rows, prev = [], "0" * 64
    for seq, (etype, payload) in enumerate([("incident.opened", opened), *events], start=1):
        t = _time_text(T0 if seq == 1 else T1)
        h = _doc_hash(incident, seq, t, etype, payload, prev)
        rows.append({"v": 1, "incident": incident, "seq": seq, "time": t, "type": etype, "payload": payload,
                     "prev": prev, "hash": h})
        prev = h
    head = {"format": "commandcenter-incident", "format_version": 1, "events": len(rows), "head_hash": prev,
            "incident": {"id": incident, "title": title, "exercise": exercise, "tz": tz, "plant": plant}}
    head.update(header or {})
    text = "\n".join(json.dumps(r) for r in [head, *rows]) + "\n"  # ensure_ascii: surrogates as \\u escapes
    if str(path).endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(text)
    else:
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def scratch():
    s = EventStore("sqlite://")
    yield s
    s.close()


# ---------------------------------------------------------------------------------------------- the rules
@pytest.mark.parametrize(("value", "why"), [
    ("x" * 65, "at most 64"), ("I\n1", "U+000A"), ("I\x001", "U+0000"), ("I\u202e1", "U+202E"),
    (" I1", "whitespace"), ("", "empty"), (["I1"], "must be a string"),
])
def test_a_bad_incident_id_is_refused_naming_it(tmp_path, value, why) -> None:
    with EventStore(tmp_path / "log.db") as s, pytest.raises(EventError, match=re.escape(why)) as info:
        s.create_incident(value, "t", exercise=True, time=T0)
    assert info.value.where == "incident id"


@pytest.mark.parametrize(("payload", "where", "why"), [
    ({"person_id": "E" * 129, "x": 1.0, "y": 2.0}, "payload.person_id", "at most 128"),
    ({"person_id": "E1\r", "x": 1.0, "y": 2.0}, "payload.person_id", "U+000D"),
    ({"person_id": ["E1", "E2"], "x": 1.0, "y": 2.0}, "payload.person_id", "a string"),
    ({"person_id": "E1", "x": 1.0, "y": 2.0, "device_id": "D\u200b1"}, "payload.device_id", "U+200B"),
    ({"person_id": "E1", "x": 2**70, "y": 2.0}, "payload.x", "within"),
    ({"person_id": "E1", "x": 1.0, "y": 2.0, "note": "\ud800"}, "payload", "surrogate"),
])
def test_a_bad_payload_is_refused_by_append_naming_the_field(store, payload, where, why) -> None:
    with pytest.raises(EventError, match=re.escape(why)) as info:
        store.append("I1", "position.reported", payload, T1)
    assert info.value.where.endswith(where)
    assert store.count("I1") == 1


@pytest.mark.parametrize("depth", [40, 200_000])
def test_deep_nesting_is_refused_without_blowing_the_stack(store, depth) -> None:
    deep: object = "bottom"
    for _ in range(depth):
        deep = [deep]
    with pytest.raises(EventError, match="nested more than 32 levels"):
        store.append("I1", "note.added", {"text": "x", "extra": deep}, T1)


@pytest.mark.parametrize("when", [dt.datetime(1969, 12, 31, tzinfo=dt.UTC), dt.datetime(2200, 1, 1, tzinfo=dt.UTC)])
def test_a_time_outside_1970_to_2199_is_refused(store, when) -> None:
    with pytest.raises(EventError, match="outside 1970-01-01"):
        store.append("I1", "note.added", {"text": "x"}, when)


def test_command_recipients_are_ids_too(store) -> None:
    with pytest.raises(EventError) as info:
        store.append("I1", "command.sent", {"command_id": "C1", "to": ["E1", "E2\n"]}, T1)
    assert info.value.where.endswith("payload.to[1]")


# ---------------------------------------------------------------------------------------------- import = append
_IDS = st.one_of(st.text(min_size=1, max_size=8), st.text(max_size=3).map(lambda s: s + "\n"),
                 st.just("E" * 129), st.integers(), st.lists(st.just("E1"), max_size=2))
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                  st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=6))
_DEEP = st.integers(min_value=30, max_value=36).map(lambda n: _nest(n))


def _nest(n: int) -> object:
    v: object = 1
    for _ in range(n):
        v = {"a": v}
    return v


_KEYS = st.sampled_from(["person_id", "task_id", "sensor_id", "command_id", "device_id", "launch_key", "to", "x",
                         "y", "value", "text", "level", "extra"])
_VALUES = st.one_of(_IDS, _LEAF, _DEEP, st.lists(_LEAF, max_size=3))
_TYPES = st.sampled_from([*sorted(EVENT_TYPES - {"incident.opened"}), "made.up"])
_PLAIN = {str: "E1", int: 3, float: 1.5, bool: True, list: ["E1"], dict: {}}
_ENUM_OK = {"level": "L2", "to": "L2", "direction": "in"}


def _valid_base(etype: str) -> dict:
    """A payload the vocabulary accepts for ``etype`` (its required fields, each with a plain valid value)."""
    required = PAYLOAD_FIELDS.get(etype, ({}, {}))[0]
    return {name: _ENUM_OK.get(name, _PLAIN[types[0]]) for name, types in required.items()}


@st.composite
def _events(draw) -> tuple[str, dict]:
    """A type and a payload: a valid one, then up to two fields added or replaced by arbitrary values."""
    etype = draw(_TYPES)
    payload = _valid_base(etype)
    for key, value in draw(st.lists(st.tuples(_KEYS, _VALUES), max_size=2)):
        payload[key] = value
    return etype, payload


_counter = itertools.count()


@settings(max_examples=int(os.environ.get("CC_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ev=_events())
def test_import_refuses_exactly_what_append_refuses_naming_the_same_field(store, scratch, tmp_path, ev) -> None:
    etype, payload = ev
    try:
        store.append("I1", etype, payload, T1)
        appended = None
    except EventError as exc:
        appended = exc.where.rsplit(": ", 1)[-1]
    iid = f"IMP-{next(_counter)}"
    path = tmp_path / f"{iid}.jsonl"
    write_export(path, iid, [(etype, payload)])
    try:
        import_incident(scratch, path)
        imported = None
    except ExchangeError as exc:
        imported = str(exc)
    event("both accepted" if appended is None else f"refused at {appended}")
    assert (appended is None) == (imported is None), (appended, imported)
    if appended is not None:
        assert f": {appended}: " in imported
        assert imported.startswith(f"{path}:3: event 2 (")


# ---------------------------------------------------------------------------------------------- the file itself
def _refused(tmp_path, capsys, path, *expected: str) -> str:
    assert main(["incident", "import", str(path), "--db", str(tmp_path / "target.db")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    for text in expected:
        assert text in err, err
    assert not (tmp_path / "target.db").exists()  # nothing was created for a refused file
    return err


@pytest.mark.parametrize(("events", "expected"), [
    ([("made.up", {"x": 1})], ["x.jsonl:3: event 2 (made.up): type: unknown event type"]),
    ([("position.reported", {"person_id": "E1", "x": "far", "y": 0})], ["event 2 (position.reported): payload.x"]),
    ([("note.added", {"text": "x", "by": "E" * 200, "person_id": "P\x07"})], ["payload.person_id", "U+0007"]),
    ([("plan.launched", {"plan_id": "P", "level": "L2"}), ("plan.launched", {"plan_id": "P", "level": "L2"})],
     ["x.jsonl:4: event 3 (plan.launched): payload.launch_key: a second launch"]),
    ([("incident.opened", {"title": "again", "exercise": False})], ["only event 1, must be incident.opened"]),
])
def test_an_import_file_with_a_valid_chain_is_still_checked_like_an_append(tmp_path, capsys, events,
                                                                           expected) -> None:
    path = tmp_path / "x.jsonl"
    write_export(path, "I9", events)
    _refused(tmp_path, capsys, path, *expected)


@pytest.mark.parametrize(("incident", "header", "expected"), [
    ("I\t9", {}, "x.jsonl:1: incident.id: contains a control or invisible character (U+0009"),
    ("I" * 65, {}, "incident.id: is 65 characters long; at most 64"),
    ("I9", {"incident": {"id": "I9", "title": "Not a drill", "exercise": True, "tz": "+08:00", "plant": None}},
     "x.jsonl:1: incident.title: the header says 'Not a drill' but event 1 records 'drill'"),
    ("I9", {"incident": {"id": "I9", "title": "drill", "exercise": False, "tz": "+08:00", "plant": None}},
     "incident.exercise: the header says False but event 1 records True"),
    ("I9", {"incident": {"id": "I9", "title": "drill", "exercise": "yes", "tz": "+08:00", "plant": None}},
     "x.jsonl:1: incident.exercise must be true or false"),
    ("I9", {"events": "2"}, "x.jsonl:1: events must be a whole number"),
])
def test_the_header_is_checked_and_must_agree_with_event_1(tmp_path, capsys, incident, header, expected) -> None:
    path = tmp_path / "x.jsonl"
    write_export(path, incident, [("note.added", {"text": "n"})], header=header)
    _refused(tmp_path, capsys, path, expected)


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda line: line.replace('{"text": "n"}', '{"text": "n", "text": "n"}'), "x.jsonl:3: duplicate key 'text'"),
    (lambda line: line.replace('"seq": 2', '"seq": "2"'), "x.jsonl:3: seq: must be an integer"),
    (lambda line: line.replace('{"text": "n"}', '[["text", "n"]]'), "x.jsonl:3: payload: must be a JSON object"),
    (lambda line: line.replace('{"text": "n"}', '{"text": "n", "v": NaN}'), "x.jsonl:3: NaN is not a JSON number"),
    (lambda line: line.replace('{"text": "n"}', '{"text": "n", "v": ' + "9" * 5000 + "}"), "x.jsonl:3: "),
    (lambda line: line.replace('"hash": "', '"hash": "X'), "x.jsonl:3: hash: must be 64 lower-case"),
])
def test_an_edited_event_line_is_refused_naming_the_line(tmp_path, capsys, edit, expected) -> None:
    path = tmp_path / "x.jsonl"
    write_export(path, "I9", [("note.added", {"text": "n"})])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = edit(lines[2])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _refused(tmp_path, capsys, path, expected)


def test_bytes_that_are_not_utf8_are_refused_naming_the_line(tmp_path, capsys) -> None:
    path = tmp_path / "x.jsonl"
    write_export(path, "I9", [("note.added", {"text": "n"})])
    path.write_bytes(path.read_bytes().replace(b'"n"', b'"\xff"'))
    _refused(tmp_path, capsys, path, "x.jsonl:3: not UTF-8 text")


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_damaged_gzip_is_refused(tmp_path, capsys, cut) -> None:
    path = tmp_path / "x.jsonl.gz"
    write_export(path, "I9", [("note.added", {"text": f"n{i}"}) for i in range(200)])
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)])
    _refused(tmp_path, capsys, path, "x.jsonl.gz:", "gzip stream is damaged")


def test_a_gzip_with_garbage_inside_is_refused(tmp_path, capsys) -> None:
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"not deflate data at all")
    _refused(tmp_path, capsys, path, "x.jsonl.gz:1:")


def test_a_fifo_is_refused_instead_of_read_forever(tmp_path, capsys) -> None:
    fifo = tmp_path / "x.jsonl"
    os.mkfifo(fifo)
    _refused(tmp_path, capsys, fifo, "x.jsonl: not a regular file")
