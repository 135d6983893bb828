"""Export an incident to one file and import it elsewhere, checked by the hash chain.

The file is JSON Lines (UTF-8; gzip-compressed when the name ends in ``.gz``): line 1 is the header
``{"format": "commandcenter-incident", "format_version": 1, "incident": {...}, "events": N,
"head_hash": ...}``, then one event per line as :meth:`commandcenter.store.chain.Event.to_dict`. Import
re-hashes every event and refuses the file at the first break, naming its line.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from commandcenter.store.chain import Event, verify_chain
from commandcenter.store.eventstore import EventStore, Incident
from vocabulary.events import EventError

FORMAT = "commandcenter-incident"
FORMAT_VERSION = 1


class ExchangeError(ValueError):
    """A file that cannot be imported; the message names the file and line."""


def _open(path: Path, mode: str) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")  # type: ignore[return-value]
    return open(path, mode, encoding="utf-8")


def export_incident(store: EventStore, incident_id: str, path: str | Path) -> int:
    """Write the incident to ``path``; returns the number of events written."""
    inc = store.incident(incident_id)
    path = Path(path)
    n = 0
    with _open(path, "w") as f:
        header = {"format": FORMAT, "format_version": FORMAT_VERSION, "events": inc.head_seq,
                  "head_hash": inc.head_hash,
                  "incident": {"id": inc.id, "title": inc.title, "exercise": inc.exercise, "tz": inc.tz,
                               "plant": inc.plant}}
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for e in store.events(incident_id):
            f.write(json.dumps(e.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n")
            n += 1
    return n


def read_header(path: str | Path) -> dict[str, Any]:
    """The header line of an export file (checked for the format name and version)."""
    path = Path(path)
    try:
        with _open(path, "r") as f:
            line = f.readline()
        header = json.loads(line)
    except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        raise ExchangeError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"{path}:1: the header is not JSON ({exc.msg})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ExchangeError(f"{path}:1: not an incident export (format must be {FORMAT!r})")
    if header.get("format_version") != FORMAT_VERSION:
        raise ExchangeError(f"{path}:1: format_version {header.get('format_version')!r} is not supported "
                            f"(this version reads {FORMAT_VERSION})")
    for key in ("id", "title", "exercise", "tz"):
        if key not in header.get("incident", {}):
            raise ExchangeError(f"{path}:1: incident.{key} is missing")
    return header


def _events(path: Path) -> Iterator[Event]:
    with _open(path, "r") as f:
        f.readline()
        for lineno, line in enumerate(f, start=2):
            if not line.strip():
                continue
            try:
                yield Event.from_dict(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ExchangeError(f"{path}:{lineno}: not JSON ({exc.msg})") from None
            except EventError as exc:
                raise ExchangeError(f"{path}:{lineno}: {exc}") from None


def check_file(path: str | Path) -> tuple[dict[str, Any], int]:
    """Verify the whole file's chain against its header; returns (header, event count) or raises."""
    path = Path(path)
    header = read_header(path)
    inc = header["incident"]
    count, brk = verify_chain(_events(path), inc["id"], head=(int(header.get("events", 0)), header.get("head_hash")))
    if brk is not None:
        raise ExchangeError(f"{path}:{brk.seq + 1}: chain broken at event {brk.seq} ({brk.kind}): {brk.message}")
    first = next(_events(path), None)
    if first is None or first.type != "incident.opened":
        raise ExchangeError(f"{path}:2: the first event must be incident.opened")
    if bool(first.payload.get("exercise")) != bool(inc["exercise"]):
        raise ExchangeError(f"{path}:1: incident.exercise={inc['exercise']} contradicts event 1 "
                            f"(exercise={first.payload.get('exercise')})")
    return header, count


def import_incident(store: EventStore, path: str | Path) -> Incident:
    """Verify ``path`` and insert its incident into ``store`` (the id must be new there)."""
    path = Path(path)
    header, _count = check_file(path)
    inc = header["incident"]
    info = Incident(inc["id"], inc["title"], bool(inc["exercise"]), inc["tz"], inc.get("plant"), 0, "", None)
    store.import_events(info, _events(path))
    return store.incident(info.id)
