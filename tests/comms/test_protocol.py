"""The wire format of shared/spec/field-protocol.md: what a device may send, and every way a frame is refused.

The valid messages below are written by hand from the spec's tables (the oracle), not from the decoder.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comms import protocol
from comms.protocol import MAX_FRAME, ProtocolError, decode_center, decode_device
from comms.simulator import tiny_png

HEAD = {"v": 1, "device": "PH-0001", "ts": "2026-11-30T10:00:00+08:00"}
PNG = tiny_png("evidence")
SPEC_EXAMPLES = {
    "hello": {"last_seq": 0, "app": "drill-phone/2.1"},
    "heartbeat": {"last_seq": 17},
    "ack": {"seq": 3, "command_id": "CMD-7", "state": "done"},
    "position": {"lon": 118.7312, "lat": 32.2035, "accuracy_m": 4.5, "person_id": "P-0042",
                 "fix_ts": "2026-11-30T02:00:00Z"},
    "checkin": {"person_id": "P-0042", "assembly_point_id": "AP-03"},
    "sos": {"person_id": "P-0042", "lon": 118.73, "lat": 32.20, "text": "trapped"},
    "reading": {"sensor_id": "GD-101", "value": 35.5, "unit": "ppm"},
    "access": {"person_id": "P-0042", "gate_id": "G-1", "direction": "in"},
    "evidence": {"task_id": "T-1", "person_id": "P-0042", "media_type": "image/png",
                 "sha256": hashlib.sha256(PNG).hexdigest(), "data": base64.b64encode(PNG).decode()},
}


def frame(msg_type: str, **fields) -> bytes:
    return json.dumps({**HEAD, "type": msg_type, **fields}).encode()


@pytest.mark.parametrize("msg_type", sorted(SPEC_EXAMPLES))
def test_every_device_message_of_the_spec_is_accepted(msg_type: str) -> None:
    m = decode_device(frame(msg_type, **SPEC_EXAMPLES[msg_type]))
    assert (m.type, m.device) == (msg_type, "PH-0001")
    assert m.ts.utcoffset().total_seconds() == 8 * 3600


def test_unknown_fields_are_ignored_not_refused() -> None:
    m = decode_device(frame("heartbeat", last_seq=1, battery=0.8, vendor={"x": [1, 2]}))
    assert m.body["last_seq"] == 1


def code_of(data: bytes) -> str:
    with pytest.raises(ProtocolError) as info:
        decode_device(data)
    return info.value.code


@pytest.mark.parametrize(("data", "code"), [
    (b"\xff\xfe not utf-8", "not_utf8"),
    (b"{not json", "not_json"),
    (b'{"v": NaN}', "not_json"),
    (b'{"v": 1, "type": "position", "lon": Infinity}', "not_json"),
    (b"[1, 2, 3]", "not_object"),
    (b'"hello"', "not_object"),
    (b"[" * 100_000, "not_json"),
    (json.dumps({**HEAD, "v": 2, "type": "hello", "last_seq": 0}).encode(), "bad_version"),
    (json.dumps({**HEAD, "v": "1", "type": "hello", "last_seq": 0}).encode(), "bad_version"),
    (json.dumps({**HEAD, "v": True, "type": "hello", "last_seq": 0}).encode(), "bad_version"),
    (json.dumps({**HEAD, "v": 1.0, "type": "hello", "last_seq": 0}).encode(), "bad_version"),
    (json.dumps({"device": "A", "ts": HEAD["ts"], "type": "hello", "last_seq": 0}).encode(), "missing_field"),
    (frame("teleport", last_seq=0), "unknown_type"),
    (frame("command", seq=1), "unknown_type"),
    (frame("hello"), "missing_field"),
    (frame("hello", last_seq="3"), "bad_field"),
    (frame("hello", last_seq=3.0), "bad_field"),
    (frame("hello", last_seq=True), "bad_field"),
    (frame("hello", last_seq=-1), "bad_field"),
    (frame("hello", last_seq=10**400), "bad_field"),
    (b'{"v":1,"type":"hello","device":"A","ts":"2026-11-30T10:00:00Z","last_seq":' + b"9" * 5000 + b"}", "not_json"),
    (frame("hello", last_seq=2**60), "bad_field"),
    (frame("ack", seq=0, command_id="C", state="received"), "bad_field"),
    (frame("ack", seq=1, command_id="C", state="maybe"), "bad_field"),
    (frame("ack", seq=1, command_id="", state="done"), "bad_field"),
    (frame("position", lon=181.0, lat=0.0, accuracy_m=1.0), "bad_field"),
    (frame("position", lon=0.0, lat=-90.5, accuracy_m=1.0), "bad_field"),
    (frame("position", lon=0.0, lat=0.0, accuracy_m=-1.0), "bad_field"),
    (frame("position", lon=1e300, lat=0.0, accuracy_m=1.0), "bad_field"),
    (frame("position", lon="118.7", lat=32.2, accuracy_m=1.0), "bad_field"),
    (frame("position", lat=32.2, accuracy_m=1.0), "missing_field"),
    (frame("sos", person_id="P", lon=118.0), "missing_field"),
    (frame("reading", sensor_id="GD-1", value=1e12, unit="ppm"), "bad_field"),
    (frame("access", person_id="P", gate_id="G", direction="sideways"), "bad_field"),
    (frame("checkin", person_id="P\x00", assembly_point_id="AP"), "bad_field"),
    (frame("checkin", person_id=["P"], assembly_point_id="AP"), "bad_field"),
    (json.dumps({**HEAD, "type": "hello", "last_seq": 0, "ts": "2026-11-30T10:00:00"}).encode(), "bad_field"),
    (json.dumps({**HEAD, "type": "hello", "last_seq": 0, "device": "bad id!"}).encode(), "bad_field"),
    (json.dumps({**HEAD, "type": "hello", "last_seq": 0, "device": "x" * 65}).encode(), "bad_field"),
    (b'{"v":1,"type":"checkin","device":"A","ts":"2026-11-30T10:00:00Z","person_id":"\\ud800",'
     b'"assembly_point_id":"AP"}', "bad_field"),
])
def test_malformed_frames_are_refused_with_their_code(data: bytes, code: str) -> None:
    assert code_of(data) == code


def test_a_frame_over_64_kib_is_refused_unless_it_is_evidence() -> None:
    big = frame("reading", sensor_id="GD-1", value=1.0, unit="ppm", pad="x" * MAX_FRAME)
    assert code_of(big) == "too_large"
    payload = PNG + b"\0" * (2_900_000)
    ev = frame("evidence", task_id="T", person_id="P", media_type="image/png",
               sha256=hashlib.sha256(payload).hexdigest(), data=base64.b64encode(payload).decode())
    assert len(ev) > 3_800_000
    assert decode_device(ev).type == "evidence"


def test_evidence_over_4_mib_is_refused_before_parsing() -> None:
    assert code_of(b"{" + b" " * (4 * 1024 * 1024) + b"}") == "too_large"


def test_evidence_whose_bytes_do_not_match_its_hash_or_type_is_refused() -> None:
    good = SPEC_EXAMPLES["evidence"]
    assert code_of(frame("evidence", **{**good, "sha256": "0" * 64})) == "bad_hash"
    assert code_of(frame("evidence", **{**good, "media_type": "image/jpeg"})) == "bad_field"
    assert code_of(frame("evidence", **{**good, "data": "not base64!"})) == "bad_field"


def test_center_command_round_trips_through_the_device_decoder() -> None:
    data = protocol.encode("command", "PH-0001", {
        "seq": 4, "command_id": "C-9", "incident": "I1", "kind": "evacuate", "text": {"zh": "撤离", "en": "Evacuate"},
        "exercise": True, "expires": None, "assembly_point_id": "AP-03", "route": [[118.73, 32.2], [118.74, 32.21]]})
    m = decode_center(data)
    assert m.body["route"][1] == [118.74, 32.21]
    assert m.body["text"]["zh"] == "撤离"


def test_center_refuses_to_encode_nan() -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        protocol.encode("welcome", "A", {"heartbeat_s": float("nan"), "server_time": protocol.now_text()})


def outcome(data: bytes) -> str:
    """The message type when accepted, else the refusal code (any other exception fails the test)."""
    try:
        return decode_device(data).type
    except ProtocolError as exc:
        return exc.code


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                 max_size=4), max_leaves=12)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(sorted(SPEC_EXAMPLES)), st.dictionaries(st.sampled_from(
    ["v", "type", "device", "ts", "last_seq", "seq", "command_id", "state", "lon", "lat", "accuracy_m", "person_id",
     "value", "unit", "sensor_id", "direction", "gate_id", "sha256", "data", "media_type"]), _json, max_size=4))
def test_any_mutation_of_a_valid_message_is_accepted_or_refused_with_a_code(msg_type: str, patch: dict) -> None:
    body = {**HEAD, "type": msg_type, **SPEC_EXAMPLES[msg_type], **patch}
    assert outcome(json.dumps(body).encode()) in (*protocol.CODES, *protocol.DEVICE_TYPES)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_accepted_or_refused_with_a_code(data: bytes) -> None:
    assert outcome(data) in (*protocol.CODES, *protocol.DEVICE_TYPES)
