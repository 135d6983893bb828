"""The event vocabulary: payload checks with clear errors, and the canonical form that is hashed."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from commandcenter.store.chain import (
    GENESIS_HASH,
    canonical_bytes,
    canonical_json,
    compute_hash,
    hash_with_payload_text,
    seal,
)
from vocabulary.events import EventError, format_time, validate


def test_canonical_form_is_sorted_compact_utf8_with_utc_microseconds() -> None:
    t = dt.datetime(2026, 11, 22, 9, 0, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    raw = canonical_bytes(1, "I1", 2, format_time(t), "note.added", {"text": "中", "by": "E1"}, GENESIS_HASH)
    assert raw == ('{"incident":"I1","payload":{"by":"E1","text":"中"},"prev":"' + "0" * 64 +
                   '","seq":2,"time":"2026-11-22T01:00:01.000005Z","type":"note.added","v":1}').encode()
    assert compute_hash(1, "I1", 2, format_time(t), "note.added", {"text": "中", "by": "E1"},
                        GENESIS_HASH) == hashlib.sha256(raw).hexdigest()


def test_fast_hash_path_equals_canonical_hash() -> None:
    p = {"z": [1, 2.5, {"b": None, "a": True}], "a": "é"}
    assert hash_with_payload_text(1, "X", 9, "2026-01-01T00:00:00.000000Z", "note.added", canonical_json(p),
                                  "ab" * 32) == compute_hash(1, "X", 9, "2026-01-01T00:00:00.000000Z",
                                                             "note.added", p, "ab" * 32)


@pytest.mark.parametrize(("etype", "payload", "where"), [
    ("sensor.reading", {"sensor_id": "GD-1"}, "payload.value"),
    ("sensor.reading", {"sensor_id": "GD-1", "value": "high"}, "payload.value"),
    ("sensor.reading", {"sensor_id": "GD-1", "value": float("nan")}, "payload.value"),
    ("position.reported", {"person_id": "E1", "x": True, "y": 1.0}, "payload.x"),
    ("sensor.alarm", {"sensor_id": "GD-1", "level": "panic"}, "payload.level"),
    ("level.changed", {"to": "L9"}, "payload.to"),
    ("note.added", {"text": "x", "extra": {1, 2}}, "payload.extra"),
    ("note.added", "just text", "payload"),
    ("task.assigned", {"task_id": ""}, "payload.task_id"),
    ("made.up", {}, "type"),
])
def test_garbage_payload_is_refused_naming_the_field(etype, payload, where) -> None:
    with pytest.raises(EventError) as info:
        validate(etype, payload)
    assert info.value.where == where
    assert where in str(info.value)


def test_naive_time_is_refused() -> None:
    with pytest.raises(EventError, match="timezone-aware"):
        seal("I1", 1, dt.datetime(2026, 1, 1), "note.added", {"text": "x"}, GENESIS_HASH)


def test_extra_json_fields_are_allowed_for_forward_compatibility() -> None:
    assert validate("note.added", {"text": "x", "lang": "zh", "tags": ["a"]})["lang"] == "zh"
