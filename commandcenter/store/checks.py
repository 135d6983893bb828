"""What the log accepts: one set of checks for every way an event gets in — ``create_incident``,
``append`` / ``append_many`` / ``launch_plan`` and ``import`` all call these, so an import file cannot
carry anything an append would refuse.

On top of the vocabulary's payload checks (:func:`vocabulary.events.validate`: known type, required fields,
JSON types, finite numbers, enumerations):

* **ids** — the incident id (1–64 characters) and every payload field named ``*_id``, ``launch_key`` and
  the recipients of ``command.sent`` (``to``, ``devices``; 1–128 characters): a string of printable
  characters (no control, format or line/paragraph separator characters, which hide in a one-line
  display or forge one), without leading or trailing whitespace;
* **titles and names** — the incident title and plant name: 1–256 printable characters;
* **shape** — nesting at most 32 levels deep, integers within ±(2⁶³−1) (what every JSON reader and
  SQL column can hold), text that is valid Unicode (no unpaired surrogate), and the canonical payload at
  most 16 Mi characters;
* **time** — from 1970-01-01 to 2199-12-31 UTC.

Each refusal is an :class:`~vocabulary.events.EventError` naming the field.
"""

from __future__ import annotations

from typing import Any

from commandcenter.store.chain import canonical_json
from vocabulary.events import EventError, format_us, validate

INCIDENT_ID_MAX = 64
ID_MAX = 128
TEXT_MAX = 256
MAX_DEPTH = 32
INT_LIMIT = 2**63 - 1
MAX_PAYLOAD_CHARS = 16 * 2**20
T_MIN_US = 0  # 1970-01-01T00:00:00Z
T_MAX_US = 7_258_118_400_000_000  # 2200-01-01T00:00:00Z (exclusive)
ID_LIST_FIELDS = {("command.sent", "to"), ("command.sent", "devices")}


def check_id(value: Any, where: str, max_len: int = ID_MAX) -> str:
    """``value`` if it is a usable id (see the module docstring), else :class:`EventError` naming ``where``."""
    if not isinstance(value, str):
        raise EventError(f"an id must be a string, got {type(value).__name__}", where)
    return _check_line(value, where, max_len, "id")


def check_text(value: Any, where: str, max_len: int = TEXT_MAX) -> str:
    """``value`` if it is a one-line text of 1–``max_len`` printable characters (a title, a plant name)."""
    if not isinstance(value, str):
        raise EventError(f"must be a string, got {type(value).__name__}", where)
    return _check_line(value, where, max_len, "text")


def _check_line(value: str, where: str, max_len: int, what: str) -> str:
    if (value and len(value) <= max_len and value.isprintable()
            and not (what == "id" and (value[0].isspace() or value[-1].isspace()))):
        return value  # the common case, in one pass
    if not value.strip():
        raise EventError("must not be empty", where)
    if len(value) > max_len:
        raise EventError(f"is {len(value)} characters long; at most {max_len} are allowed", where)
    if not value.isprintable():
        i, ch = next((i, c) for i, c in enumerate(value) if not c.isprintable())
        raise EventError(f"contains a control or invisible character (U+{ord(ch):04X} at position {i + 1})", where)
    if what == "id" and value != value.strip():
        raise EventError("must not start or end with whitespace", where)
    return value


def check_time_us(t_us: int, where: str = "time") -> int:
    """``t_us`` (µs since the epoch) if within 1970–2199, else :class:`EventError`."""
    if not T_MIN_US <= t_us < T_MAX_US:
        raise EventError(f"{_describe_us(t_us)} is outside 1970-01-01 … 2199-12-31 UTC", where)
    return t_us


def _describe_us(t_us: int) -> str:
    try:
        return format_us(t_us)
    except (OverflowError, ValueError):
        return f"{t_us} µs since 1970"


def check_payload(event_type: str, payload: Any, *, canonical: bool = True) -> str:
    """Check one event (its type and payload) and return its canonical payload text (what is stored and
    hashed); raises :class:`EventError` naming the field. ``canonical=False`` skips making the text (and so
    the Unicode and size checks) for a caller that makes it next and checks it with :func:`check_text_form`
    — the append path, which must not serialise every payload twice."""
    if not (isinstance(payload, dict) and _flat_and_small(payload)):
        _check_shape(payload)
    validate(event_type, payload)
    for name, value in payload.items():
        if name.endswith("_id") or name == "launch_key":
            if value is not None:
                check_id(value, f"payload.{name}")
        elif (event_type, name) in ID_LIST_FIELDS and value is not None:
            for i, v in enumerate(value if isinstance(value, list) else [value]):
                check_id(v, f"payload.{name}[{i}]" if isinstance(value, list) else f"payload.{name}")
    if not canonical:
        return ""
    text = canonical_json(payload)
    check_text_form(text)
    return text


def check_text_form(text: str) -> None:
    """The canonical payload text can be stored: valid Unicode (UTF-8 encodable) and not too long."""
    if len(text) > MAX_PAYLOAD_CHARS:
        raise EventError(f"is {len(text):,} characters as JSON; at most {MAX_PAYLOAD_CHARS:,} are allowed",
                         "payload")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = ord(exc.object[exc.start])
        raise EventError(f"contains text that is not valid Unicode (unpaired surrogate U+{bad:04X})",
                         "payload") from None


def _flat_and_small(payload: dict[str, Any]) -> bool:
    """True for a payload of plain values only (text, flags, numbers; integers in range): nothing to walk."""
    for v in payload.values():
        t = type(v)
        if t is str or t is bool or t is float or v is None:
            continue
        if t is int and -INT_LIMIT <= v <= INT_LIMIT:
            continue
        return False
    return True


def _check_shape(payload: Any) -> None:
    """Depth and integer range, iteratively (a 200,000-deep payload must not blow the Python stack)."""
    stack: list[tuple[Any, str, int]] = [(payload, "payload", 1)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, bool) or value is None or isinstance(value, (str, float)):
            continue
        if isinstance(value, int):
            if not -INT_LIMIT <= value <= INT_LIMIT:
                raise EventError("integers must lie within ±9,223,372,036,854,775,807", where)
            continue
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise EventError(f"is nested more than {MAX_DEPTH} levels deep", where)
            if isinstance(value, dict):
                for k, v in value.items():
                    if not isinstance(k, str):
                        raise EventError(f"object keys must be strings, got {k!r}", where)
                    stack.append((v, f"{where}.{k}", depth + 1))
            else:
                stack.extend((v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value))
            continue
        raise EventError(f"{type(value).__name__} is not a JSON value", where)
