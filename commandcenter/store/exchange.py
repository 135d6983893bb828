"""Export an incident to one file and import it elsewhere, checked by the hash chain.

The file is JSON Lines (UTF-8; gzip-compressed when the name ends in ``.gz``): line 1 is the header
``{"format": "commandcenter-incident", "format_version": 1, "incident": {id, title, exercise, tz, plant},
"events": N, "head_hash": ...}``, then one event per line (``v``, ``incident``, ``seq``, ``time``, ``type``,
``payload``, ``prev``, ``hash``) with the payload written exactly as the log stores it.

Export verifies the incident first (:func:`commandcenter.store.audit.verify_incident`) and refuses a broken
chain unless asked to export it anyway. Import goes through the store's own import path
(:meth:`~commandcenter.store.EventStore.import_events`): the same checks an append applies, plus the chain,
all or nothing. The file is read strictly: a regular file, lines of at most :data:`MAX_LINE_BYTES`, UTF-8,
JSON without duplicate keys or NaN/Infinity, every field with its JSON type. Every refusal names the file
and line.
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from commandcenter.store.chain import Event, is_hex64
from commandcenter.store.errors import ChainBroken, StoreError
from commandcenter.store.eventstore import EventStore, Incident
from vocabulary.events import EventError, format_us

FORMAT = "commandcenter-incident"
FORMAT_VERSION = 1
MAX_LINE_BYTES = 128 * 2**20


class ExchangeError(ValueError):
    """A file that cannot be imported or written; the message names the file and line."""


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the event count, whether the chain verified, and its first break."""

    path: Path
    events: int
    head_hash: str
    intact: bool
    brk: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"out": str(self.path), "events": self.events, "head_hash": self.head_hash, "intact": self.intact,
                "break": self.brk}


# ---------------------------------------------------------------------------------------------- export
def export_incident(store: EventStore, incident_id: str, path: str | Path, *, allow_broken: bool = False,
                    force: bool = False) -> Exported:
    """Verify the incident and write it to ``path`` (atomically: a temporary file renamed into place).
    Raises :class:`~commandcenter.store.errors.ChainBroken` when the chain is broken and not
    ``allow_broken``, :class:`ExchangeError` when ``path`` exists and not ``force`` or cannot be written."""
    from commandcenter.store.audit import verify_incident
    from commandcenter.store.stored import UnreadableRow, stored_events

    path = Path(path)
    result = verify_incident(store, incident_id)
    if not result.intact and not allow_broken:
        b = result.brk
        raise ChainBroken(f"incident {incident_id}: chain broken at event {b.seq} ({b.kind}): {b.message}; not "
                          "exported (--allow-broken exports it anyway)", b)
    if path.exists() and not force:
        raise ExchangeError(f"{path} exists; choose another name or pass --force to overwrite it")
    if not path.parent.is_dir():
        raise ExchangeError(f"{path}: the folder {path.parent} does not exist")
    inc = store.incident(incident_id)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    n = 0
    try:
        with _open_write(tmp, gz=path.name.endswith(".gz")) as f:
            header = {"format": FORMAT, "format_version": FORMAT_VERSION, "events": inc.head_seq,
                      "head_hash": inc.head_hash,
                      "incident": {"id": inc.id, "title": inc.title, "exercise": inc.exercise, "tz": inc.tz,
                                   "plant": inc.plant}}
            if result.brk is not None:  # exported with allow_broken: the file says so
                header["broken"] = result.brk.to_dict()
            f.write(json.dumps(header, ensure_ascii=False) + "\n")
            try:
                for e in stored_events(store.engine, incident_id):
                    f.write(_event_line(e) + "\n")
                    n += 1
            except UnreadableRow as exc:
                raise ExchangeError(f"incident {incident_id}: event {exc.seq} cannot be exported: {exc}") from None
        os.replace(tmp, path)
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return Exported(path, n, inc.head_hash, result.intact, result.brk.to_dict() if result.brk else None)


def _event_line(e: Event) -> str:
    """One export line, with the payload's stored text spliced in as it is (keys in the to_dict order)."""
    def j(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)

    return (f'{{"v":{j(e.version)},"incident":{j(e.incident)},"seq":{e.seq},"time":{j(format_us(e.t_us))},'
            f'"type":{j(e.type)},"payload":{e.payload_text},"prev":{j(e.prev_hash)},"hash":{j(e.hash)}}}')


def _open_write(path: Path, *, gz: bool) -> IO[str]:
    if gz:
        return gzip.open(path, "wt", encoding="utf-8")  # type: ignore[return-value]
    return open(path, "w", encoding="utf-8")


# ---------------------------------------------------------------------------------------------- reading
def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(object_pairs_hook=_strict_object, parse_constant=_no_constant)


def strict_json(text: str) -> Any:
    """Parse JSON strictly: no duplicate keys, no NaN/Infinity; raises ValueError with the reason."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise ValueError(exc.msg) from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of a regular file, gunzipped when named ``*.gz``; each line checked for
    length and UTF-8."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ExchangeError(f"{path}: not a regular file")
    lineno = 0
    try:
        with (gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")) as f:
            while True:
                raw = f.readline(MAX_LINE_BYTES + 1)
                if not raw:
                    return
                lineno += 1
                if len(raw) > MAX_LINE_BYTES:
                    raise ExchangeError(f"{path}:{lineno}: the line is longer than {MAX_LINE_BYTES:,} bytes")
                try:
                    yield lineno, raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise ExchangeError(f"{path}:{lineno}: not UTF-8 text (byte {exc.start + 1})") from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ExchangeError(f"{path}:{lineno + 1}: the gzip stream is damaged ({exc or type(exc).__name__})") from None
    except OSError as exc:
        raise ExchangeError(f"{path}:{lineno + 1}: cannot read: {exc.strerror or exc}") from None


def read_header(path: str | Path) -> dict[str, Any]:
    """The header line of an export file, checked (format, version, field types)."""
    path = Path(path)
    it = _lines(path)
    try:
        first = next(it, None)
    finally:
        it.close()
    if first is None:
        raise ExchangeError(f"{path}:1: the file is empty")
    try:
        header = strict_json(first[1])
    except ValueError as exc:
        raise ExchangeError(f"{path}:1: the header is not JSON ({exc})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ExchangeError(f"{path}:1: not an incident export (format must be {FORMAT!r})")
    if header.get("format_version") != FORMAT_VERSION or type(header.get("format_version")) is not int:
        raise ExchangeError(f"{path}:1: format_version {header.get('format_version')!r} is not supported "
                            f"(this version reads {FORMAT_VERSION})")
    inc = header.get("incident")
    if not isinstance(inc, dict):
        raise ExchangeError(f"{path}:1: incident must be a JSON object")
    for key, types, what in (("id", (str,), "a string"), ("title", (str,), "a string"),
                             ("exercise", (bool,), "true or false"), ("tz", (str,), "a string"),
                             ("plant", (str, type(None)), "a string or null")):
        if key not in inc and key != "plant":
            raise ExchangeError(f"{path}:1: incident.{key} is missing")
        if not isinstance(inc.get(key), types):
            raise ExchangeError(f"{path}:1: incident.{key} must be {what}, got {inc.get(key)!r:.60}")
    n = header.get("events")
    if type(n) is not int or n < 1:
        raise ExchangeError(f"{path}:1: events must be a whole number of at least 1, got {n!r:.60}")
    if not isinstance(header.get("head_hash"), str) or not is_hex64(header["head_hash"]):
        raise ExchangeError(f"{path}:1: head_hash must be 64 lower-case hexadecimal digits")
    return header


class _EventLines:
    """The events of an export file in order, remembering which line each recent one came from."""

    def __init__(self, path: Path):
        self.path = path
        self.where: deque[tuple[int, int]] = deque(maxlen=4)  # (seq, line)
        self.last_line = 1

    def __iter__(self) -> Iterator[Event]:
        for lineno, text in _lines(self.path):
            self.last_line = lineno
            if lineno == 1:
                continue
            if not text.strip():
                raise ExchangeError(f"{self.path}:{lineno}: empty line")
            try:
                e = Event.from_dict(strict_json(text))
            except ValueError as exc:  # EventError is a ValueError
                raise ExchangeError(f"{self.path}:{lineno}: {exc}") from None
            self.where.append((e.seq, lineno))
            yield e

    def line_of(self, seq: int) -> int:
        """The line of event ``seq`` if it was read recently, else the last line read."""
        return next((line for s, line in self.where if s == seq), self.last_line)


def import_incident(store: EventStore, path: str | Path) -> Incident:
    """Check ``path`` and insert its incident into ``store`` (the id must be new there): all or nothing,
    through :meth:`EventStore.import_events`. Raises :class:`ExchangeError` naming the file and line,
    or :class:`~commandcenter.store.errors.StoreError` (the id exists; the target log refuses writes)."""
    path = Path(path)
    header = read_header(path)
    inc = header["incident"]
    info = Incident(inc["id"], inc["title"], inc["exercise"], inc["tz"], inc.get("plant"), 0, "", None)
    lines = _EventLines(path)
    try:
        store.import_events(info, lines, head=(header["events"], header["head_hash"]))
    except ChainBroken as exc:
        raise ExchangeError(f"{path}:{lines.line_of(exc.brk.seq)}: {exc}") from None
    except EventError as exc:
        line = 1 if exc.where.startswith("incident.") else lines.last_line
        raise ExchangeError(f"{path}:{line}: {exc}") from None
    except StoreError as exc:
        if "already exists" in str(exc):
            raise
        raise ExchangeError(f"{path}: {exc}") from None
    return store.incident(info.id)


def check_file(path: str | Path) -> tuple[dict[str, Any], int]:
    """Run the whole import of ``path`` into a throw-away in-memory log (the same code path as a real
    import); returns (header, event count) or raises :class:`ExchangeError`."""
    path = Path(path)
    with EventStore("sqlite://") as scratch:
        inc = import_incident(scratch, path)
        return read_header(path), inc.head_seq
