"""The field protocol v1 (``shared/spec/field-protocol.md``): decode and check every frame, encode the center's.

A frame is one UTF-8 JSON object of at most :data:`MAX_FRAME` bytes (``evidence``: :data:`MAX_EVIDENCE_FRAME`).
:func:`decode_device` turns a device's frame into a checked :class:`Message` or raises :class:`ProtocolError`
with a stable ``code`` (the server counts rejections per code, tests match on codes). Every number from the
network must be finite and within its physical range; every id is 1–128 printable characters. Fields the
page does not define are ignored (a receiver ignores fields it does not know), but the defined ones are
checked exactly: a mistyped field is a rejection, never a silent default.

:func:`decode_center` is the device side's decoder (the simulator and test devices use it), so both ends
of the wire are checked by the same rules.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from vocabulary.events import EventError, parse_time

VERSION = 1
MAX_FRAME = 64 * 1024
MAX_EVIDENCE_FRAME = 4 * 1024 * 1024
#: largest integer a seq may take (JSON numbers beyond 2**53 lose precision in most device languages)
MAX_SEQ = 2**53
DEVICE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
MAX_ID = 128
MAX_TEXT = 2000

DEVICE_TYPES = ("hello", "heartbeat", "ack", "position", "checkin", "sos", "reading", "access", "evidence")
CENTER_TYPES = ("welcome", "command", "error")
ACK_STATES = ("received", "done", "rejected")
COMMAND_KINDS = ("evacuate", "shelter", "task", "message", "all_clear", "muster", "actuate")
ACTIONS = ("start", "stop", "open", "close", "sound", "silence")
MEDIA_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}
#: stable rejection codes (what the server counts)
CODES = ("frames", "too_large", "not_utf8", "not_json", "not_object", "bad_version", "unknown_type",
         "missing_field", "bad_field", "bad_hash", "spoofed", "revoked", "unknown_command", "rate")


class ProtocolError(ValueError):
    """A frame that is not a valid message; ``code`` is one of :data:`CODES`, ``field`` names the culprit."""

    def __init__(self, code: str, detail: str, field: str = ""):
        super().__init__(f"{code}: {field + ': ' if field else ''}{detail}")
        self.code = code
        self.detail = detail
        self.field = field


@dataclass(frozen=True, slots=True)
class Message:
    """A checked message: its type, the device id it names, when it was made, and its whole JSON object."""

    type: str
    device: str
    ts: dt.datetime
    body: dict[str, Any]

    def get(self, name: str, default: Any = None) -> Any:
        """A field of the message (``default`` when absent or null)."""
        v = self.body.get(name)
        return default if v is None else v


def _reject_constant(name: str) -> Any:
    raise ProtocolError("not_json", f"{name} is not a JSON number")


_decoder = json.JSONDecoder(parse_constant=_reject_constant)


def _parse(frame: bytes, limit: int) -> dict[str, Any]:
    if len(frame) > limit:
        raise ProtocolError("too_large", f"{len(frame)} bytes > {limit}")
    try:
        text = frame.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("not_utf8", "the frame is not UTF-8 text") from None
    try:
        obj = _decoder.decode(text)
    except ProtocolError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, int too long, nesting too deep
        raise ProtocolError("not_json", str(exc)[:200]) from None
    if not isinstance(obj, dict):
        raise ProtocolError("not_object", f"a JSON {type(obj).__name__}, not an object")
    return obj


def _header(obj: dict[str, Any], types: tuple[str, ...]) -> tuple[str, str, dt.datetime]:
    v = obj.get("v")
    if "v" not in obj:
        raise ProtocolError("missing_field", "required", "v")
    if type(v) is not int or v != VERSION:
        raise ProtocolError("bad_version", f"version {v!r} is not {VERSION}", "v")
    t = obj.get("type")
    if "type" not in obj:
        raise ProtocolError("missing_field", "required", "type")
    if not isinstance(t, str) or t not in types:
        raise ProtocolError("unknown_type", f"{str(t)[:40]!r} is not one of {', '.join(types)}", "type")
    device = _str(obj, "device", required=True, pattern=DEVICE_ID)
    ts = _time(obj, "ts", required=True)
    assert device is not None
    assert ts is not None
    return t, device, ts


def _missing(obj: dict[str, Any], name: str, required: bool) -> bool:
    if obj.get(name) is None:
        if required:
            raise ProtocolError("missing_field", "required", name)
        return True
    return False


def _str(obj: dict[str, Any], name: str, *, required: bool = False, pattern: re.Pattern | None = None,
         max_len: int = MAX_ID, choices: tuple[str, ...] | None = None) -> str | None:
    if _missing(obj, name, required):
        return None
    v = obj[name]
    if not isinstance(v, str):
        raise ProtocolError("bad_field", f"must be a string, got {type(v).__name__}", name)
    if choices is not None:
        if v not in choices:
            raise ProtocolError("bad_field", f"{v[:40]!r} is not one of {', '.join(choices)}", name)
        return v
    if pattern is not None:
        if not pattern.fullmatch(v):
            raise ProtocolError("bad_field", f"{v[:70]!r} is not a valid id", name)
        return v
    if not v.strip() or len(v) > max_len or (max_len <= MAX_ID and not v.isprintable()):
        raise ProtocolError("bad_field", f"must be 1–{max_len} printable characters", name)
    if not v.isascii():
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            raise ProtocolError("bad_field", "holds a lone surrogate (not Unicode text)", name) from None
    return v


def _int(obj: dict[str, Any], name: str, lo: int, *, required: bool = True) -> int | None:
    if _missing(obj, name, required):
        return None
    v = obj[name]
    if type(v) is not int:
        raise ProtocolError("bad_field", f"must be an integer, got {type(v).__name__}", name)
    if not lo <= v <= MAX_SEQ:
        raise ProtocolError("bad_field", f"{v} is out of range [{lo}, 2**53]", name)
    return v


def _num(obj: dict[str, Any], name: str, lo: float, hi: float, *, required: bool = True) -> float | None:
    if _missing(obj, name, required):
        return None
    v = obj[name]
    if type(v) not in (int, float):
        raise ProtocolError("bad_field", f"must be a number, got {type(v).__name__}", name)
    f = float(v) if abs(v) < 1e300 else math.inf
    if not math.isfinite(f) or not lo <= f <= hi:
        raise ProtocolError("bad_field", f"{str(v)[:40]} is out of range [{lo:g}, {hi:g}]", name)
    return f


def _time(obj: dict[str, Any], name: str, *, required: bool = False) -> dt.datetime | None:
    if _missing(obj, name, required):
        return None
    v = obj[name]
    if not isinstance(v, str) or len(v) > 40:
        raise ProtocolError("bad_field", "must be an ISO 8601 time with a UTC offset", name)
    try:
        return parse_time(v)
    except (EventError, ValueError, OverflowError):
        raise ProtocolError("bad_field", f"{v!r} is not an ISO 8601 time with a UTC offset", name) from None


def _check_device_fields(t: str, obj: dict[str, Any]) -> None:
    if t in ("hello", "heartbeat"):
        _int(obj, "last_seq", 0)
        if t == "hello":
            _str(obj, "app", max_len=256)
    elif t == "ack":
        _int(obj, "seq", 1)
        _str(obj, "command_id", required=True)
        _str(obj, "state", required=True, choices=ACK_STATES)
        _str(obj, "reason", max_len=MAX_TEXT)
    elif t == "position":
        _num(obj, "lon", -180.0, 180.0)
        _num(obj, "lat", -90.0, 90.0)
        _num(obj, "accuracy_m", 0.0, 100_000.0)
        _str(obj, "person_id")
        _time(obj, "fix_ts")
    elif t == "checkin":
        _str(obj, "person_id", required=True)
        _str(obj, "assembly_point_id", required=True)
    elif t == "sos":
        _str(obj, "person_id", required=True)
        lon = _num(obj, "lon", -180.0, 180.0, required=False)
        lat = _num(obj, "lat", -90.0, 90.0, required=False)
        if (lon is None) != (lat is None):
            raise ProtocolError("missing_field", "lon and lat come together", "lat" if lat is None else "lon")
        _str(obj, "text", max_len=MAX_TEXT)
    elif t == "reading":
        _str(obj, "sensor_id", required=True)
        _num(obj, "value", -1e9, 1e9)
        _str(obj, "unit", required=True, max_len=16)
    elif t == "access":
        _str(obj, "person_id", required=True)
        _str(obj, "gate_id", required=True)
        _str(obj, "direction", required=True, choices=("in", "out"))
    elif t == "evidence":
        _str(obj, "task_id", required=True)
        _str(obj, "person_id", required=True)
        _str(obj, "media_type", required=True, choices=tuple(MEDIA_TYPES))
        digest = _str(obj, "sha256", required=True, pattern=_HEX64)
        data = _str(obj, "data", required=True, max_len=MAX_EVIDENCE_FRAME)
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError("bad_field", "is not base64", "data") from None
        if not raw:
            raise ProtocolError("bad_field", "is empty", "data")
        if hashlib.sha256(raw).hexdigest() != digest.lower():
            raise ProtocolError("bad_hash", "the data's SHA-256 differs from the sha256 field", "sha256")
        if not raw.startswith(MEDIA_TYPES[obj["media_type"]]):
            raise ProtocolError("bad_field", f"the data is not {obj['media_type']}", "data")


def decode_device(frame: bytes) -> Message:
    """Check a device's frame (device → center) and return it as a :class:`Message`.

    Raises :class:`ProtocolError` for anything the page does not allow: over its size limit (64 KiB; 4 MiB
    for ``evidence``), not UTF-8 JSON, not an object, unknown ``v`` or ``type``, a missing or mistyped field,
    an out-of-range number, or evidence whose bytes do not match its ``sha256`` or ``media_type``.
    """
    obj = _parse(frame, MAX_EVIDENCE_FRAME)
    t, device, ts = _header(obj, DEVICE_TYPES)
    if t != "evidence" and len(frame) > MAX_FRAME:
        raise ProtocolError("too_large", f"{len(frame)} bytes > {MAX_FRAME} for {t}")
    _check_device_fields(t, obj)
    return Message(t, device, ts, obj)


def _check_center_fields(t: str, obj: dict[str, Any]) -> None:
    if t == "welcome":
        _num(obj, "heartbeat_s", 0.001, 86_400.0)
        _time(obj, "server_time", required=True)
    elif t == "error":
        _str(obj, "code", required=True)
        _str(obj, "detail", max_len=MAX_TEXT)
    elif t == "command":
        _int(obj, "seq", 1)
        _str(obj, "command_id", required=True)
        _str(obj, "incident", required=True)
        kind = _str(obj, "kind", required=True, choices=COMMAND_KINDS)
        text = obj.get("text")
        if not isinstance(text, dict) or not all(isinstance(text.get(k), str) for k in ("zh", "en")):
            raise ProtocolError("bad_field", 'must be {"zh": ..., "en": ...}', "text")
        if type(obj.get("exercise")) is not bool:
            raise ProtocolError("bad_field", "must be true or false", "exercise")
        if "expires" not in obj:
            raise ProtocolError("missing_field", "required (a time or null)", "expires")
        _time(obj, "expires")
        _str(obj, "assembly_point_id")
        _str(obj, "task_id")
        route = obj.get("route")
        if route is not None and (not isinstance(route, list) or not all(
                isinstance(p, list) and len(p) == 2 and all(type(c) in (int, float) and math.isfinite(c)
                                                            for c in p) for p in route)):
            raise ProtocolError("bad_field", "must be a list of [lon, lat]", "route")
        if kind == "actuate":
            _str(obj, "equipment_id", required=True)
            _str(obj, "action", required=True, choices=ACTIONS)


def decode_center(frame: bytes) -> Message:
    """Check a center's frame (center → device): what a device built from the page accepts."""
    obj = _parse(frame, MAX_FRAME)
    t, device, ts = _header(obj, CENTER_TYPES)
    _check_center_fields(t, obj)
    return Message(t, device, ts, obj)


def now_text(t: dt.datetime | None = None) -> str:
    """An ISO 8601 time with a UTC offset, to the millisecond (``ts`` of outgoing messages)."""
    t = t or dt.datetime.now(dt.UTC)
    return t.astimezone(dt.UTC).isoformat(timespec="milliseconds")


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def encode(msg_type: str, device: str, fields: dict[str, Any], ts: str | None = None) -> bytes:
    """The frame of one message: ``v``, ``type``, ``device``, ``ts`` and ``fields`` as compact UTF-8 JSON
    (NaN and infinity refused)."""
    return _ENCODER.encode({"v": VERSION, "type": msg_type, "device": device, "ts": ts or now_text(),
                            **fields}).encode("utf-8")


def welcome(device: str, heartbeat_s: float, server_time: dt.datetime | None = None) -> bytes:
    """The answer to ``hello``."""
    return encode("welcome", device, {"heartbeat_s": heartbeat_s, "server_time": now_text(server_time)})


def error(device: str, code: str, detail: str) -> bytes:
    """An ``error`` answer (the center may send one for a rejected frame)."""
    return encode("error", device, {"code": code, "detail": detail[:MAX_TEXT]})
