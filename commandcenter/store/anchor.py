"""The chain heads kept outside the database: a signed, append-only heads file beside a SQLite log.

The hash chain proves the events in the database are the ones written, in order — up to the head the
database itself records. Whoever can edit the database can also delete the last events and move the
head back, and nothing inside the file can tell. So every write transaction that moves a head also
writes that head to ``LOG.db.heads``, a text file beside the database:

* line 1: ``{"format": "commandcenter-log-heads/1", "log": <log id>, "created": <UTC time>}`` — the log id
  is the one in the database's ``log_meta`` table, so a heads file never vouches for another log;
* then one JSON line per head: ``{"i": incident, "s": seq, "h": hash, "st": state, "m": mac}`` where
  ``st`` is ``p`` (about to commit: written and fsynced *before* ``COMMIT``), ``c`` (committed: written
  after ``COMMIT`` returned, before the append returns) or ``a`` (an explicit override accepted a loss:
  ``lost: [first, last]`` seqs, or ``null`` when the heads file itself was re-created);
* ``m`` is HMAC-SHA-256 (first 128 bits, hex) of ``log, i, s, h, st[, first, last]`` under a per-log key
  of 32 random bytes kept in the user's data folder (``CC_LOG_KEY_DIR`` to override), not beside the log;
  ``null`` when this machine has no key for the log (it was copied here).

What a reader concludes (see :mod:`commandcenter.store.audit` and :func:`open_anchor`): a ``c`` line whose
event is not in the database means committed events were lost or deleted; every event must be covered by
a (signed) ``p``/``c`` line whose hash matches, so events appended by anything that does not hold the key
are found; a ``p`` line without its ``c`` and without its event is a commit that never finished (a crash
between the two), not a loss. Lines are single ``write`` calls on an ``O_APPEND`` descriptor, so writers
in several processes never interleave within a line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "commandcenter-log-heads/1"
KEY_ENV = "CC_LOG_KEY_DIR"
TAIL_BYTES = 1 << 20  # what the open-time check reads: the heads of the last ~4,000 commits
MAC_HEX = 32


class AnchorFileError(ValueError):
    """A heads file that cannot be read as one (its first line is not a heads header)."""


def key_dir() -> Path:
    """Where per-log keys live: ``$CC_LOG_KEY_DIR``, else ``<user data dir>/commandcenter/log-keys``."""
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("commandcenter", appauthor=False)) / "log-keys"


def _key_path(log_id: str) -> Path:
    return key_dir() / f"{log_id}.key"


def load_key(log_id: str) -> bytes | None:
    """The HMAC key of log ``log_id`` on this machine, or None (never created here, or unreadable)."""
    try:
        text = _key_path(log_id).read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError):
        return None
    return key if len(key) >= 16 else None


def create_key(log_id: str) -> bytes | None:
    """Create (or load, when it exists) the key of log ``log_id``: 32 random bytes, file mode 0600. None
    when the key folder cannot be written (the log is then anchored without signatures)."""
    path = _key_path(log_id)
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_key(log_id)
    except OSError:
        return None
    try:
        os.write(fd, key.hex().encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return key


def mac(key: bytes, log_id: str, incident: str, seq: int, head: str, state: str,
        lost: tuple[int, int] | None = None) -> str:
    """The signature of one heads line (see the module docstring)."""
    parts = [log_id, incident, str(seq), head, state]
    if lost is not None:
        parts += [str(lost[0]), str(lost[1])]
    return hmac.new(key, "\n".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()[:MAC_HEX]


@dataclass(frozen=True)
class HeadLine:
    """One line of a heads file. ``signed``: True (the signature checks), False (it does not, or is
    missing, while the key is known), None (no key on this machine: unchecked)."""

    lineno: int
    incident: str
    seq: int
    hash: str
    state: str
    lost: tuple[int, int] | None
    signed: bool | None


@dataclass
class Anchored:
    """What a heads file says about one incident, folded in file order."""

    committed: dict[int, tuple[str, int]] = field(default_factory=dict)  # seq -> (hash, line) of c/a lines
    pending: dict[int, dict[str, int]] = field(default_factory=dict)  # seq -> {hash: line} of p lines
    lost: list[tuple[int, int, int]] = field(default_factory=list)  # (first, last, line) from a lines
    restarted: list[tuple[int, int]] = field(default_factory=list)  # (seq, line): heads file re-created
    conflicts: list[tuple[int, int]] = field(default_factory=list)  # (seq, line): two c lines disagree
    last_line: int = 0

    @property
    def committed_seq(self) -> int:
        """The highest seq recorded as committed (0 when none)."""
        return max(self.committed, default=0)

    def add(self, line: HeadLine) -> None:
        """Fold one line in."""
        self.last_line = line.lineno
        if line.state == "a":
            self.committed = {s: v for s, v in self.committed.items() if s <= line.seq}
            self.pending = {s: v for s, v in self.pending.items() if s <= line.seq}
            self.committed[line.seq] = (line.hash, line.lineno)
            if line.lost is None:
                self.restarted.append((line.seq, line.lineno))
            else:
                self.lost.append((line.lost[0], line.lost[1], line.lineno))
        elif line.state == "c":
            old = self.committed.get(line.seq)
            if old is not None and old[0] != line.hash:
                self.conflicts.append((line.seq, line.lineno))
            self.committed[line.seq] = (line.hash, line.lineno)
        else:
            self.pending.setdefault(line.seq, {})[line.hash] = line.lineno


@dataclass(frozen=True)
class BadLine:
    """A line that is not a heads line, or whose signature does not check."""

    lineno: int
    incident: str | None
    seq: int | None
    reason: str


class HeadsFile:
    """The heads file of one log: appends signed lines; reads and folds them."""

    def __init__(self, path: str | Path, log_id: str, key: bytes | None):
        """A heads file at ``path`` for log ``log_id``, signing with ``key`` (None: unsigned lines)."""
        self.path, self.log_id, self.key = Path(path), log_id, key
        self._fd: int | None = None
        self._lock = threading.Lock()

    @classmethod
    def create(cls, path: str | Path, log_id: str, key: bytes | None) -> HeadsFile:
        """Create the file with its header (fails if it exists) and make it durable."""
        path = Path(path)
        header = {"format": FORMAT, "log": log_id,
                  "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, (json.dumps(header) + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_dir(path.parent)
        return cls(path, log_id, key)

    @staticmethod
    def read_header(path: str | Path) -> dict[str, Any]:
        """The header of the heads file at ``path``; :class:`AnchorFileError` if it is not one."""
        try:
            with open(path, "rb") as f:
                first = f.readline(4096)
            header = json.loads(first.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise AnchorFileError(f"{path}: line 1 is not a heads-file header") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT or not isinstance(header.get("log"), str):
            raise AnchorFileError(f"{path}: line 1 is not a heads-file header (format {FORMAT})")
        return header

    # ------------------------------------------------------------------ writing
    def record(self, heads: Iterable[tuple[str, int, str]], state: str, *, sync: bool,
               lost: tuple[int, int] | None = None) -> None:
        """Append one line per ``(incident, seq, hash)`` in one ``write``; ``sync``: fdatasync before
        returning (the ``p`` lines, which must be on disk before the commit they announce)."""
        lines = []
        for incident, seq, head in heads:
            m = mac(self.key, self.log_id, incident, seq, head, state, lost) if self.key else None
            obj: dict[str, Any] = {"i": incident, "s": seq, "h": head, "st": state}
            if state == "a":
                obj["lost"] = list(lost) if lost else None
            obj["m"] = m
            lines.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
        if not lines:
            return
        data = ("\n".join(lines) + "\n").encode("utf-8")
        with self._lock:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            written = os.write(self._fd, data)
            if written != len(data):
                raise OSError(f"short write to {self.path} ({written} of {len(data)} bytes)")
            if sync:
                (getattr(os, "fdatasync", None) or os.fsync)(self._fd)

    def close(self) -> None:
        """Close the descriptor (reopened on the next write)."""
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    # ------------------------------------------------------------------ reading
    def lines(self, *, tail: bool = False, bad: list[BadLine] | None = None) -> Iterator[HeadLine]:
        """The heads lines in file order (``tail``: only those in the last :data:`TAIL_BYTES`). Lines that
        cannot be read or whose signature fails are skipped and, when ``bad`` is given, listed there; a
        last line without its newline (a write cut short by a crash) is ignored."""
        with open(self.path, "rb") as f:
            size = f.seek(0, os.SEEK_END)
            start = max(0, size - TAIL_BYTES) if tail else 0
            f.seek(start)
            lineno = 0
            if start:
                f.readline()  # most likely a part of a line
                lineno = -1  # line numbers are unknown in the tail window
            for raw in f:
                if lineno >= 0:
                    lineno += 1
                if lineno == 1:
                    continue  # the header
                if not raw.endswith(b"\n"):
                    break
                line = self._parse(raw, lineno)
                if isinstance(line, BadLine):
                    if bad is not None:
                        bad.append(line)
                    continue
                if line.signed is False and bad is not None:
                    bad.append(BadLine(lineno, line.incident, line.seq, "its signature does not match: the line "
                                       "was altered or written without this log's key"))
                yield line

    def _parse(self, raw: bytes, lineno: int) -> HeadLine | BadLine:
        try:
            obj = json.loads(raw.decode("utf-8"))
            incident, seq, head, state = obj["i"], obj["s"], obj["h"], obj["st"]
            lost = obj.get("lost")
            if not (isinstance(incident, str) and type(seq) is int and seq >= 0 and isinstance(head, str)
                    and state in ("p", "c", "a")):
                raise ValueError
            if lost is not None:
                if not (isinstance(lost, list) and len(lost) == 2 and all(type(x) is int for x in lost)):
                    raise ValueError
                lost = (lost[0], lost[1])
            m = obj.get("m")
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return BadLine(lineno, None, None, "it is not a heads line")
        signed: bool | None = None
        if self.key is not None:
            signed = isinstance(m, str) and hmac.compare_digest(
                m, mac(self.key, self.log_id, incident, seq, head, state, lost))
        return HeadLine(lineno, incident, seq, head, state, lost, signed)

    def fold(self, *, tail: bool = False, bad: list[BadLine] | None = None,
             signed_only: bool = False) -> dict[str, Anchored]:
        """Per incident, what the lines say (``signed_only``: only lines whose signature checks, or all
        lines when this machine has no key)."""
        out: dict[str, Anchored] = {}
        for line in self.lines(tail=tail, bad=bad):
            if signed_only and line.signed is False:
                continue
            out.setdefault(line.incident, Anchored()).add(line)
        return out


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported (Windows): the file itself was fsynced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
