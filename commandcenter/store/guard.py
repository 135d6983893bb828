"""What opening a log does before anything is read or written: serialise the schema upgrade, and hold the
database to the heads kept outside it (:mod:`.anchor`).

For a SQLite file, under the lock file ``LOG.db.lock`` (several processes opening a new log at once take
turns, see :mod:`.lock` and :mod:`.migrate`):

1. a heads file beside an *empty* database means the log was lost (typically a ``-wal`` holding the
   whole log was deleted after a crash) — refused before a new schema is created over it;
2. the schema is created or upgraded; a new log (or one upgraded from before the heads file existed)
   gets its heads file, its key, and a ``c`` line for every incident's current head;
3. a heads file of another log, or a missing heads file for a log that has events and says it is anchored
   there, is refused;
4. per incident, the heads of the last commits (the last :data:`~.anchor.TAIL_BYTES` of the heads file) are
   compared with the database: a committed head the database does not reach means **committed events
   are missing** (a deleted or lost ``-wal``, an older copy of the file restored over it, a truncated
   tail); a database head no heads line vouches for means **events were appended by something that
   does not hold the log's key** (or the heads file was rolled back). Either is refused, naming the
   incident and the events.

Modes: ``check`` (default) raises :class:`~.errors.LogRefused`; ``inspect`` opens anyway for reading and
verifying (``Anchor.problem`` says what is wrong; appends are refused); ``accept`` records the finding in
the heads file as an ``a`` line (an explicit, signed, permanent note that ``audit verify`` keeps
reporting) and carries on — ``commandcenter audit accept-loss`` is its command.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, cast, inspect, select
from sqlalchemy.types import LargeBinary

from commandcenter.store import migrate
from commandcenter.store.anchor import Anchored, AnchorFileError, HeadsFile, create_key, load_key
from commandcenter.store.engine import sqlite_file
from commandcenter.store.errors import LogRefused
from commandcenter.store.lock import LockError, file_lock
from commandcenter.store.schema import incidents, log_meta

MODES = ("check", "inspect", "accept")
GENESIS = "0" * 64
_HINT = ("run 'commandcenter audit verify {db}' to see the damage; 'commandcenter audit accept-loss {db}' "
         "records it and carries on")


@dataclass
class Anchor:
    """How an open log is anchored: its heads file (None: not anchored — PostgreSQL, in-memory, or a
    pre-anchor log opened without upgrading), the log id, and what opening found."""

    heads: HeadsFile | None
    log_id: str | None
    kind: str  # "heads-file" or "none"
    heads_path: Path | None = None
    problem: str | None = None  # inspect mode: why the log would have been refused (appends refused)
    accepted: list[str] = field(default_factory=list)  # accept mode: what was recorded in the heads file


def open_anchor(engine: Engine, *, upgrade: bool, heads: str | Path | None = None, mode: str = "check") -> Anchor:
    """Upgrade the schema if asked and anchor the log (see the module docstring)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    path = sqlite_file(engine)
    if path is None:
        if upgrade:
            migrate.upgrade(engine)
        meta = read_meta(engine)
        return Anchor(None, meta.get("log_id"), meta.get("anchor", "none"))
    heads_path = Path(heads) if heads is not None else Path(f"{path}.heads")
    with contextlib.ExitStack() as stack:
        locked = False
        try:
            stack.enter_context(file_lock(f"{path}.lock"))
            locked = True
        except LockError:
            pass  # a read-only folder: nothing can be created here anyway
        return _open_sqlite(engine, path, heads_path, upgrade=upgrade, mode=mode, can_create=locked)


def _open_sqlite(engine: Engine, path: Path, heads_path: Path, *, upgrade: bool, mode: str,
                 can_create: bool) -> Anchor:
    db = str(path)
    before = migrate.current_revision(engine)
    header = None
    notes: list[str] = []  # accept mode: heads files set aside
    problem = None  # inspect mode: a heads file that does not fit this database
    if heads_path.exists():
        try:
            header = HeadsFile.read_header(heads_path)
        except AnchorFileError as exc:
            msg = f"{exc}; move it away to start a new heads file for {db}"
            if mode == "check":
                raise LogRefused(msg) from None
            if mode == "inspect":
                problem = msg
            else:
                notes.append(f"the unreadable heads file was moved to {_set_aside(heads_path, 'unreadable').name}")
    if header is not None and before is None:
        msg = (f"{db} holds no incident log, but {heads_path} records commits of log {header['log']}: the "
               "database or its -wal file was lost (deleted after a crash?) or replaced by an empty one; restore "
               f"it, or move {heads_path.name} away to start a new log")
        if mode != "accept":
            raise LogRefused(msg)
        notes.append(f"{msg} — the heads file was moved to {_set_aside(heads_path, 'lost').name}")
        header = None
    if upgrade and before != migrate.HEAD:
        before = migrate.upgrade(engine)
    meta = read_meta(engine)
    if meta.get("anchor") != "heads-file" or "log_id" not in meta:
        return Anchor(None, meta.get("log_id"), meta.get("anchor", "none"))
    log_id = meta["log_id"]
    anchor = Anchor(None, log_id, "heads-file", heads_path, problem, notes)
    if problem is not None:
        return anchor
    if header is not None and header["log"] != log_id:
        msg = (f"{heads_path} belongs to log {header['log']}, not to {db} (log {log_id}): the database was "
               f"replaced by another log's file, or the heads file was")
        if mode == "check":
            raise LogRefused(f"{msg}; {_HINT.format(db=db)}")
        if mode == "inspect":
            anchor.problem = msg
            return anchor
        notes.append(f"{msg} — it was moved to {_set_aside(heads_path, 'other-log').name}")
        header = None
    if header is None:
        heads_now = db_heads(engine)
        fresh = before in (None, "0001") or not any(seq for seq, _ in heads_now.values())
        if fresh:
            if can_create:
                hf = HeadsFile.create(heads_path, log_id, create_key(log_id))
                hf.record([(i, s, h) for i, (s, h) in sorted(heads_now.items()) if s], "c", sync=True)
                anchor.heads = hf
            return anchor  # a read-only open of a log that never had events: nothing to hold it to
        msg = (f"{heads_path} is missing: {db} has been anchored there since {meta.get('created', '?')}, and "
               "without it deleted or rewritten events at the end cannot be found; put it back beside the "
               "database")
        return _refuse_or(anchor, mode, msg, db, lambda hf: _reanchor(hf, heads_now, anchor, msg))
    anchor.heads = HeadsFile(heads_path, log_id, load_key(log_id))
    lost, unvouched, heads_now = _compare(anchor.heads, engine)
    if lost:
        msg = (f"{db} lost committed events — " + "; ".join(
            f"incident {i}: " + (f"event {c}" if c == have + 1 else f"events {have + 1}–{c}")
            for i, have, c in lost[:5]) +
            (f" (and {len(lost) - 5} more incidents)" if len(lost) > 5 else "") +
            f" — {heads_path.name} records them as committed but the database ends before them: was "
            f"{path.name}-wal deleted or lost after a crash, or an older copy of {path.name} restored?")
        return _refuse_or(anchor, mode, msg, db, lambda hf: _accept_lost(hf, lost, heads_now, anchor))
    if unvouched:
        msg = (f"{db} holds events its heads file does not vouch for — " + "; ".join(
            f"incident {i}: head event {s}" for i, s in unvouched[:5]) +
            f" — they were appended by something that does not hold this log's key, or {heads_path.name} "
            "was rolled back")
        return _refuse_or(anchor, mode, msg, db, lambda hf: _reanchor(hf, {i: heads_now[i] for i, _ in unvouched},
                                                                     anchor, msg))
    return anchor


def _refuse_or(anchor: Anchor, mode: str, msg: str, db: str, accept) -> Anchor:
    """``check``: refuse; ``inspect``: note the problem; ``accept``: record it in the heads file (created
    when missing) with ``accept(heads_file)``."""
    if mode == "check":
        raise LogRefused(f"{msg}; {_HINT.format(db=db)}")
    if mode == "inspect":
        anchor.problem = msg
        return anchor
    if anchor.heads is None:
        anchor.heads = HeadsFile.create(anchor.heads_path, anchor.log_id, create_key(anchor.log_id))
    accept(anchor.heads)
    return anchor


def _compare(hf: HeadsFile, engine: Engine
             ) -> tuple[list[tuple[str, int, int]], list[tuple[str, int]], dict[str, tuple[int, str]]]:
    """(incidents whose committed heads the database does not reach, incidents whose database head no line
    vouches for, the database's heads).

    Other processes may be appending meanwhile, so the reads are ordered: the heads file is read *before*
    the database for the first question (a ``c`` line is written after its commit, so every one read is
    visible to the later database read) and *after* it for the second (a ``p`` line is fsynced before its
    commit, so every commit the database read saw has its line there). The tail of the file answers for
    the incidents it mentions; the whole file is read only for the others."""
    before = hf.fold(tail=True, signed_only=True)
    heads_now = db_heads(engine)
    lost = _lost(before, heads_now)
    unvouched = _unvouched(before, heads_now, lost)
    if unvouched:
        after = hf.fold(tail=True, signed_only=True)
        unvouched = _unvouched(after, heads_now, lost)
        if any(i not in after for i, _ in unvouched):
            whole = hf.fold(signed_only=True)
            unvouched = _unvouched(whole, heads_now, lost)
    return lost, unvouched, heads_now


def _lost(folded: dict[str, Anchored], heads_now: dict[str, tuple[int, str]]) -> list[tuple[str, int, int]]:
    out = []
    for inc, a in folded.items():
        have = heads_now.get(inc, (0, GENESIS))[0]
        if have < a.committed_seq:
            out.append((inc, have, a.committed_seq))
    return sorted(out)


def _unvouched(folded: dict[str, Anchored], heads_now: dict[str, tuple[int, str]],
               lost: list[tuple[str, int, int]]) -> list[tuple[str, int]]:
    out = []
    gone = {x[0] for x in lost}
    for inc, (seq, head) in heads_now.items():
        if seq == 0 or inc in gone:
            continue
        a = folded.get(inc)
        if a is None or not (a.committed.get(seq, ("",))[0] == head or head in a.pending.get(seq, {})):
            out.append((inc, seq))
    return sorted(out)


def _accept_lost(hf: HeadsFile, lost: list[tuple[str, int, int]], heads_now: dict[str, tuple[int, str]],
                 anchor: Anchor) -> None:
    for inc, have, c in lost:
        head = heads_now.get(inc, (0, GENESIS))[1]
        hf.record([(inc, have, head)], "a", sync=True, lost=(have + 1, c))
        anchor.accepted.append(f"incident {inc}: " + (f"event {c}" if c == have + 1 else f"events {have + 1}–{c}")
                               + " lost")


def _reanchor(hf: HeadsFile, heads_now: dict[str, tuple[int, str]], anchor: Anchor, why: str) -> None:
    for inc, (seq, head) in sorted(heads_now.items()):
        if seq:
            hf.record([(inc, seq, head)], "a", sync=True, lost=None)
            anchor.accepted.append(f"incident {inc}: re-anchored at event {seq} ({why.split(' — ')[0]})")


def _set_aside(path: Path, why: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.name}.{why}-{stamp}")
    path.rename(dest)
    return dest


def read_meta(engine: Engine) -> dict[str, str]:
    """The ``log_meta`` facts (empty before schema revision 0002)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("log_meta"):
            return {}
        return {str(k): str(v) for k, v in conn.execute(select(log_meta.c.key, log_meta.c.value))}


def db_heads(engine: Engine) -> dict[str, tuple[int, str]]:
    """Each incident's head as the database records it, ``id -> (seq, hash)`` (text read as bytes, so a
    damaged row cannot stop the log from opening for inspection)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("incidents"):
            return {}
        rows = conn.execute(select(cast(incidents.c.id, LargeBinary), incidents.c.head_seq,
                                   cast(incidents.c.head_hash, LargeBinary))).all()
    out = {}
    for raw_id, seq, raw_hash in rows:
        out[_text(raw_id)] = (seq if type(seq) is int else -1, _text(raw_hash))
    return out


def _text(value: object) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)
