"""The append-only event store: create incidents, append events (one or a batch), read them back.

"Append returned" guarantees: the events are committed in one transaction together with the incident's
new head — on SQLite the WAL is fsynced (``synchronous=FULL``), on PostgreSQL the commit is durable
(``synchronous_commit`` on, its default) — and, on SQLite, the new head is in the heads file beside the
database (:mod:`.anchor`: written and fsynced before ``COMMIT``, confirmed after it). A batch is
all-or-nothing. Every event is checked (:mod:`.checks`: the vocabulary, ids, shape, time range) before the
database is touched, so a bad payload never leaves anything behind; import goes through the same checks.

Appends to one incident are serialised: SQLite by its database write lock (``BEGIN IMMEDIATE``),
PostgreSQL by ``SELECT … FOR UPDATE`` on the incident row. Inside that lock the head (seq, hash, time)
is read, so consoles in several processes extend one chain. ``plan.launched`` events are deduplicated
by a launch key (``payload.launch_key``, default ``"<plan_id>@<level>"``) with a unique key in
``plan_launches``: a second launch with the same key appends nothing and returns the first launch.
On PostgreSQL each commit sends ``NOTIFY cc_events, '<incident>:<seq>'`` (see :mod:`.follow`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from commandcenter.store.anchor import HeadsFile
from commandcenter.store.chain import GENESIS_HASH, ChainVerifier, Event, canonical_json, hash_with_payload_text
from commandcenter.store.checks import (
    INCIDENT_ID_MAX,
    check_id,
    check_payload,
    check_text,
    check_text_form,
    check_time_us,
)
from commandcenter.store.engine import WRITE, make_engine, sqlite_file
from commandcenter.store.errors import ChainBroken, StoreError
from commandcenter.store.guard import Anchor, open_anchor
from commandcenter.store.schema import events, incidents, plan_launches
from vocabulary.events import SCHEMA_VERSION, UTC, Draft, EventError, format_us, from_us, to_us

_log = logging.getLogger(__name__)
NOTIFY_CHANNEL = "cc_events"
READ_CHUNK = 20_000


class HeadMoved(StoreError):
    """An append made on the assumption that the incident's last event was ``expected`` found ``actual``:
    another writer (a second console, the field server) appended in between. Nothing was written."""

    def __init__(self, incident_id: str, expected: int, actual: int):
        super().__init__(f"incident {incident_id!r} moved on to event {actual} (expected {expected})")
        self.expected, self.actual = expected, actual


@dataclass(frozen=True)
class Incident:
    """An incident's header: id, title, exercise flag, clock time zone, plant and chain head."""

    id: str
    title: str
    exercise: bool
    tz: str
    plant: str | None
    head_seq: int
    head_hash: str
    head_t_us: int | None

    @property
    def tzinfo(self) -> dt.tzinfo:
        """The time zone of the incident's clock."""
        return tzinfo_of(self.tz)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"id": self.id, "title": self.title, "exercise": self.exercise, "tz": self.tz, "plant": self.plant,
                "events": self.head_seq, "head_hash": self.head_hash}


def tzinfo_of(name: str) -> dt.tzinfo:
    """A tzinfo for an IANA name (``Asia/Shanghai``), ``UTC`` or a fixed offset (``+08:00``)."""
    if name.upper() in ("UTC", "Z"):
        return UTC
    if name[:1] in "+-":
        try:
            return dt.datetime.fromisoformat("2000-01-01T00:00:00" + name).tzinfo or UTC
        except ValueError:
            raise StoreError(f"bad UTC offset {name!r}") from None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise StoreError(f"unknown time zone {name!r}") from None


def tz_name(t: dt.datetime) -> str:
    """A storable name for the time zone of ``t`` (IANA key when known, else its UTC offset)."""
    key = getattr(t.tzinfo, "key", None)
    if key:
        return key
    off = t.utcoffset() or dt.timedelta(0)
    if not off:
        return "UTC"
    sign = "-" if off < dt.timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def launch_key(payload: dict[str, Any]) -> str:
    """The deduplication key of a plan launch: ``payload.launch_key`` or ``"<plan_id>@<level>"``."""
    return str(payload.get("launch_key") or f"{payload['plan_id']}@{payload['level']}")


_Checked = tuple[str, dict[str, Any], int | None]  # a validated draft with its time in µs (None: now)


class EventStore:
    """The incident log on one database (a SQLite path or a SQLAlchemy URL)."""

    def __init__(self, target: str | Path | Engine, *, upgrade: bool = True, heads: str | Path | None = None,
                 anchor: str = "check"):
        """Open (and, by default, create or upgrade the schema of) the database at ``target``.

        A SQLite log is held to its heads file (``heads``, default ``<file>.heads``; see :mod:`.guard`):
        ``anchor="check"`` refuses (:class:`~.errors.LogRefused`) a log that lost committed events, lost its
        heads file or holds events no heads line vouches for; ``"inspect"`` opens it anyway for reading
        and verifying (``self.anchor.problem`` says what is wrong; appends are refused); ``"accept"``
        records the finding in the heads file and carries on."""
        self.engine = target if isinstance(target, Engine) else make_engine(target)
        self.dialect = self.engine.dialect.name
        try:
            self.anchor: Anchor = open_anchor(self.engine, upgrade=upgrade, heads=heads, mode=anchor)
        except DBAPIError as exc:
            self.engine.dispose()
            where = sqlite_file(self.engine) or self.engine.url.render_as_string(hide_password=True)
            what = " ".join(str(exc.orig).split()) or type(exc.orig).__name__
            kind = "is not an incident log database" if "not a database" in what else "cannot be opened"
            raise StoreError(f"{where} {kind} ({what})") from None
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        """Release the connections and the heads file."""
        if self.anchor.heads is not None:
            self.anchor.heads.close()
        self.engine.dispose()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ incidents
    def create_incident(self, incident_id: str, title: str, *, exercise: bool, time: dt.datetime,
                        plant: str | None = None, tz: str | None = None, level: str | None = None,
                        extra: dict[str, Any] | None = None) -> Event:
        """Create an incident and record its first event, ``incident.opened`` (carrying the exercise flag,
        so the flag is part of the hash chain; ``extra`` adds fields such as the plant package's path).
        Returns that event."""
        check_id(incident_id, "incident id", INCIDENT_ID_MAX)
        check_text(title, "title")
        if plant:
            check_text(plant, "plant")
        tzn = tz or tz_name(time)
        tzinfo_of(tzn)
        t_us = check_time_us(to_us(time))
        payload: dict[str, Any] = {**(extra or {}), "title": title, "exercise": bool(exercise), "timezone": tzn}
        if plant:
            payload["plant"] = plant
        if level:
            payload["level"] = level
        check_payload("incident.opened", payload)
        with self._write() as conn:
            exists = conn.execute(select(incidents.c.id).where(incidents.c.id == incident_id)).first()
            if exists:
                raise StoreError(f"incident {incident_id!r} already exists")
            conn.execute(insert(incidents).values(id=incident_id, title=title, exercise=bool(exercise), tz=tzn,
                                                  plant=plant, head_seq=0, head_hash=GENESIS_HASH, head_t_us=None))
            return self._append_locked(conn, incident_id, [("incident.opened", payload, t_us)])[0][0]

    def incident(self, incident_id: str) -> Incident:
        """The incident's header; :class:`StoreError` if there is none with this id. Title, exercise flag,
        plant and time zone come from event 1 (``incident.opened``, sealed in the hash chain), not from the
        ``incidents`` row, whose columns nothing protects (``audit verify`` reports when they differ)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(incidents).where(incidents.c.id == incident_id)).first()
            first = conn.execute(select(events.c.type, events.c.payload).where(
                events.c.incident_id == incident_id, events.c.seq == 1)).first()
        if row is None:
            raise StoreError(f"no incident {incident_id!r} in this database")
        opened = _opened_payload(incident_id, first)
        plant = opened.get("plant") if isinstance(opened.get("plant"), str) else None
        tz = opened.get("timezone") if isinstance(opened.get("timezone"), str) else row.tz
        return Incident(row.id, opened["title"], opened["exercise"], tz, plant, row.head_seq, row.head_hash,
                        row.head_t_us)

    def incidents(self) -> list[Incident]:
        """All incidents, by id."""
        with self.engine.connect() as conn:
            ids = [r[0] for r in conn.execute(select(incidents.c.id).order_by(incidents.c.id))]
        return [self.incident(i) for i in ids]

    # ------------------------------------------------------------------ appends
    def append(self, incident_id: str, event_type: str, payload: dict[str, Any],
               time: dt.datetime | None = None) -> Event:
        """Append one event and return it once committed (``time`` None: now, on the incident's clock).
        A ``plan.launched`` whose launch key was already used returns the earlier launch instead."""
        if time is not None:
            return self.append_many(incident_id, [Draft(event_type, time, payload)])[0]
        check_payload(event_type, payload, canonical=False)
        if event_type == "incident.opened":
            raise EventError("recorded only by create_incident", "type")
        return self._append_checked(incident_id, [(event_type, payload, None)])[0][0]

    def append_many(self, incident_id: str, drafts: Sequence[Draft], *, expect_head: int | None = None) -> list[Event]:
        """Append a batch in one transaction (all or nothing) and return the events once committed.

        With ``expect_head``, the batch is written only if the incident's last event is still number
        ``expect_head`` (checked under the incident's row lock); otherwise :class:`HeadMoved` is raised and
        nothing is written — the incident runtime's optimistic concurrency between writers."""
        checked = check_drafts(drafts)
        return self._append_checked(incident_id, checked, expect_head)[0]

    def append_built(self, incident_id: str, build: Callable[[int], Sequence[Draft]], *,
                     checked: Collection[Draft] = ()) -> list[Event]:
        """Lock the incident, call ``build(head_seq)`` for the drafts to append, and append them in the same
        transaction (all or nothing). ``build`` may read the store (the events after the seq it knew): no
        other writer can append to this incident meanwhile. This is how the incident runtime derives
        events from the whole log without racing another console or the field server.

        ``checked``: draft objects the caller has already passed through :func:`check_drafts` (the runtime
        checks what producers submit before its plans engine sees it); they are not checked a second time.
        ``build`` may add to it (a draft re-stamped from a checked one). Every other draft ``build`` returns
        — what the engine derived — is checked here."""
        with self._write() as conn:
            head = conn.execute(select(incidents.c.head_seq).where(incidents.c.id == incident_id)
                                .with_for_update()).first()
            if head is None:
                raise StoreError(f"no incident {incident_id!r} in this database")
            drafts = build(int(head.head_seq))
            ready = check_drafts(drafts, done={id(d) for d in checked})  # read after build: it may add to it
            if not ready:
                return []
            return self._append_locked(conn, incident_id, ready, int(head.head_seq))[0]

    def _append_checked(self, incident_id: str, checked: Sequence[_Checked],
                        expect_head: int | None = None) -> tuple[list[Event], list[bool]]:
        with self._write() as conn:
            return self._append_locked(conn, incident_id, checked, expect_head)

    def launch_plan(self, incident_id: str, plan: str, level: str, *, by: str | None = None,
                    console: str | None = None, time: dt.datetime | None = None,
                    key: str | None = None) -> tuple[Event, bool]:
        """Launch ``plan`` at ``level`` once per incident: returns (the launch event, True if this call
        recorded it; False if another console had launched it already)."""
        payload: dict[str, Any] = {"plan_id": plan, "level": level}
        for name, value in (("by", by), ("console", console), ("launch_key", key)):
            if value:
                payload[name] = value
        check_payload("plan.launched", payload, canonical=False)
        evs, created = self._append_checked(incident_id, [("plan.launched", payload,
                                                            None if time is None else to_us(time))])
        return evs[0], created[0]

    def _write(self):
        return _WriteTx(self.engine, self.anchor.heads)

    def _writable(self) -> None:
        """Refuse to append to a log opened for inspection despite a problem (see :mod:`.guard`)."""
        if self.anchor.problem:
            raise StoreError(f"{self.anchor.problem}; the log is open for inspection only, nothing can be "
                             "appended")

    def _append_locked(self, conn, incident_id: str, drafts: Sequence[_Checked],
                       expect_head: int | None = None) -> tuple[list[Event], list[bool]]:
        head = conn.execute(select(incidents.c.head_seq, incidents.c.head_hash, incidents.c.head_t_us,
                                   incidents.c.tz).where(incidents.c.id == incident_id).with_for_update()).first()
        if head is None:
            raise StoreError(f"no incident {incident_id!r} in this database")
        self._writable()
        if expect_head is not None and head.head_seq != expect_head:
            raise HeadMoved(incident_id, expect_head, head.head_seq)
        seq, prev, last_t = head.head_seq, head.head_hash, head.head_t_us
        tz = tzinfo_of(head.tz)
        keys = {launch_key(p) for t, p, _ in drafts if t == "plan.launched"}
        used: dict[str, int] = {}
        if keys:
            used = dict(conn.execute(select(plan_launches.c.launch_key, plan_launches.c.seq).where(
                plan_launches.c.incident_id == incident_id, plan_launches.c.launch_key.in_(keys))).all())
        out: list[Event | int] = []
        rows: list[tuple] = []
        launches: list[dict[str, Any]] = []
        now_us = to_us(dt.datetime.now(UTC))
        for etype, payload, t_given in drafts:
            if etype == "plan.launched":
                k = launch_key(payload)
                if k in used:
                    out.append(used[k])
                    continue
            if t_given is None:
                t_us = max(now_us, last_t or now_us)
            else:
                t_us = t_given
                if last_t is not None and t_us < last_t:
                    raise EventError(f"{format_us(t_us)} is earlier than the incident's last event "
                                     f"({format_us(last_t)}); times must not go backwards", "time")
            seq += 1
            ptext = canonical_json(payload)
            check_text_form(ptext)
            h = hash_with_payload_text(SCHEMA_VERSION, incident_id, seq, format_us(t_us), etype, ptext, prev)
            rows.append((incident_id, seq, SCHEMA_VERSION, t_us, etype, ptext, prev, h))
            ev = Event(incident_id, seq, from_us(t_us, tz), etype, _stored_copy(payload, ptext), prev, h)
            ev.__dict__["t_us"] = t_us  # known here: the projections' fold need not work it out again
            out.append(ev)
            if etype == "plan.launched":
                used[launch_key(payload)] = seq
                launches.append({"incident_id": incident_id, "launch_key": launch_key(payload), "seq": seq})
            prev, last_t = h, t_us
        if rows:
            _insert_event_tuples(conn, rows)
            if launches:
                conn.execute(insert(plan_launches), launches)
            conn.execute(update(incidents).where(incidents.c.id == incident_id).values(
                head_seq=seq, head_hash=prev, head_t_us=last_t))
            _note_head(conn, incident_id, seq, prev)
            if self.dialect == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_notify('{NOTIFY_CHANNEL}', %(p)s)", {"p": f"{incident_id}:{seq}"})
        resolved = [self._event_by_seq(conn, incident_id, item, tz) if isinstance(item, int) else item
                    for item in out]
        return resolved, [not isinstance(item, int) for item in out]

    def _event_by_seq(self, conn, incident_id: str, seq: int, tz: dt.tzinfo) -> Event:
        row = conn.execute(select(*(events.c[k] for k in _EVENT_COLUMNS)).where(
            events.c.incident_id == incident_id, events.c.seq == seq)).one()
        return _row_event(row, tz)

    # ------------------------------------------------------------------ reads
    def events(self, incident_id: str, *, after_seq: int = 0, until_seq: int | None = None,
               until_t_us: int | None = None) -> Iterator[Event]:
        """The incident's events with ``after_seq < seq [<= until_seq]`` and time ``<= until_t_us``, in
        seq order, read in chunks (constant memory for long incidents)."""
        tz = self.incident(incident_id).tzinfo
        if until_t_us is not None:  # times never decrease along seq: a time bound is a seq bound
            by_time = self.seq_at(incident_id, until_t_us)
            until_seq = by_time if until_seq is None else min(until_seq, by_time)
        mark = driver_mark(self.engine.dialect)
        columns = [events.c[k] for k in _EVENT_COLUMNS]
        # plain SQL through the driver where its placeholder is known: the busy read path (a window following a
        # field server's thousands of positions a second) takes the driver's tuples, ~1/3 less CPU per event
        # than SQLAlchemy's rows
        sql = None if mark is None else (
            f"SELECT {', '.join(_EVENT_COLUMNS)} FROM events WHERE incident_id = {mark} AND seq > {mark}"
            + (f" AND seq <= {mark}" if until_seq is not None else "") + f" ORDER BY seq LIMIT {READ_CHUNK}")
        last = after_seq
        while True:
            with self.engine.connect() as conn:
                if sql is not None:
                    params = (incident_id, last) if until_seq is None else (incident_id, last, until_seq)
                    chunk = conn.exec_driver_sql(sql, params).fetchall()
                else:
                    q = select(*columns).where(events.c.incident_id == incident_id, events.c.seq > last)
                    if until_seq is not None:
                        q = q.where(events.c.seq <= until_seq)
                    chunk = conn.execute(q.order_by(events.c.seq).limit(READ_CHUNK)).all()
            for r in chunk:
                yield _row_event(r, tz)
            if len(chunk) < READ_CHUNK:
                return
            last = chunk[-1][1]

    def rows(self, incident_id: str, *, after_seq: int = 0, until_seq: int | None = None,
             until_t_us: int | None = None) -> Iterator[Any]:
        """Like :meth:`events` but yielding light records ``(seq, t_us, type, payload dict)`` for folds."""
        last = after_seq
        if until_t_us is not None:  # times never decrease along seq: a time bound is a seq bound
            by_time = self.seq_at(incident_id, until_t_us)
            until_seq = by_time if until_seq is None else min(until_seq, by_time)
        while True:
            q = select(events).where(events.c.incident_id == incident_id, events.c.seq > last)
            if until_seq is not None:
                q = q.where(events.c.seq <= until_seq)
            q = q.order_by(events.c.seq).limit(READ_CHUNK)
            with self.engine.connect() as conn:
                chunk = conn.execute(q).all()
            if not chunk:
                return
            for r in chunk:
                yield Rec(r.seq, r.t_us, r.type, json.loads(r.payload))
            last = chunk[-1].seq
            if len(chunk) < READ_CHUNK:
                return

    def count(self, incident_id: str) -> int:
        """How many events are stored for the incident."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(events).where(
                events.c.incident_id == incident_id)).scalar_one())

    def seq_at(self, incident_id: str, t_us: int) -> int:
        """The last seq whose time is ``<= t_us`` (0 if none): times never decrease along seq."""
        with self.engine.connect() as conn:
            v = conn.execute(select(events.c.seq).where(events.c.incident_id == incident_id, events.c.t_us <= t_us)
                             .order_by(events.c.t_us.desc(), events.c.seq.desc()).limit(1)).scalar()
        return int(v or 0)

    # ------------------------------------------------------------------ import
    def import_events(self, info: Incident, evs: Iterable[Event], *, head: tuple[int, str] | None = None) -> int:
        """Insert a sealed chain from elsewhere (export/import) under a new incident row, checked as an
        append is (:mod:`.checks`: ids, payloads, times) and as ``audit verify`` checks a chain (seqs,
        links, hashes over the canonical payload text that is stored, times never decreasing), with event 1
        an ``incident.opened`` agreeing with ``info``; ``head``: the ``(seq, hash)`` the chain must end at.
        All or nothing: raises :class:`EventError` (a refused event) or :class:`~.errors.ChainBroken`
        (``.brk``) naming the event. The incident id must not exist here yet. Returns the number of events."""
        check_id(info.id, "incident.id", INCIDENT_ID_MAX)
        check_text(info.title, "incident.title")
        if info.plant is not None:
            check_text(info.plant, "incident.plant")
        if not isinstance(info.exercise, bool):
            raise EventError(f"must be true or false, got {info.exercise!r}", "incident.exercise")
        check_text(info.tz, "incident.tz", 64)
        tzinfo_of(info.tz)
        verifier = ChainVerifier(info.id)
        with self._write() as conn:
            self._writable()
            if conn.execute(select(incidents.c.id).where(incidents.c.id == info.id)).first():
                raise StoreError(f"incident {info.id!r} already exists in this database")
            conn.execute(insert(incidents).values(id=info.id, title=info.title, exercise=info.exercise, tz=info.tz,
                                                  plant=info.plant, head_seq=0, head_hash=GENESIS_HASH,
                                                  head_t_us=None))
            batch: list[tuple] = []
            launches: dict[str, int] = {}
            for e in evs:
                ptext = _check_imported(info, e, launches)
                brk = verifier.feed(Event(e.incident, e.seq, e.time, e.type, e.payload, e.prev_hash, e.hash,
                                          e.version, payload_text=ptext))
                if brk is not None:
                    raise ChainBroken(f"chain broken at event {brk.seq} ({brk.kind}): {brk.message}", brk)
                batch.append((info.id, e.seq, e.version, e.t_us, e.type, ptext, e.prev_hash, e.hash))
                if len(batch) >= 5000:
                    _insert_event_tuples(conn, batch)
                    batch = []
            brk = verifier.finish(head)
            if brk is not None:
                raise ChainBroken(f"chain broken at event {brk.seq} ({brk.kind}): {brk.message}", brk)
            if verifier.count == 0:
                raise EventError("no events (event 1 must be incident.opened)", "events")
            if batch:
                _insert_event_tuples(conn, batch)
            if launches:
                conn.execute(insert(plan_launches), [{"incident_id": info.id, "launch_key": k, "seq": q}
                                                     for k, q in launches.items()])
            n, last = verifier.count, verifier.last_hash
            last_t = conn.execute(select(events.c.t_us).where(events.c.incident_id == info.id,
                                                              events.c.seq == n)).scalar_one()
            conn.execute(update(incidents).where(incidents.c.id == info.id).values(
                head_seq=n, head_hash=last, head_t_us=last_t))
            _note_head(conn, info.id, n, last)
        return n


def _check_imported(info: Incident, e: Event, launches: dict[str, int]) -> str:
    """The checks an append applies, for one imported event; returns its canonical payload text."""
    where = f"event {e.seq} ({e.type})"
    if e.version != SCHEMA_VERSION:
        raise EventError(f"schema version {e.version} is not supported (this version reads {SCHEMA_VERSION})",
                         f"event {e.seq}: v")
    try:
        ptext = check_payload(e.type, e.payload)
        check_time_us(e.t_us)
    except EventError as exc:
        raise EventError(exc.reason, f"{where}: {exc.where}") from None
    if (e.seq == 1) != (e.type == "incident.opened"):
        raise EventError("event 1, and only event 1, must be incident.opened", f"{where}: type")
    if e.seq == 1:
        p = e.payload
        for name, sealed, said in (("title", p.get("title"), info.title),
                                   ("exercise", p.get("exercise"), info.exercise),
                                   ("plant", p.get("plant"), info.plant)):
            if sealed != said:
                raise EventError(f"the header says {said!r} but event 1 records {sealed!r}", f"incident.{name}")
        if "timezone" in p and p["timezone"] != info.tz:
            raise EventError(f"the header says {info.tz!r} but event 1 records {p['timezone']!r}", "incident.tz")
    if e.type == "plan.launched":
        k = launch_key(e.payload)
        if k in launches:
            raise EventError(f"a second launch with key {k!r} (the first is event {launches[k]}); a log never "
                             "records one", f"{where}: payload.launch_key")
        launches[k] = e.seq
    return ptext


def _opened_payload(incident_id: str, first: Any) -> dict[str, Any]:
    """The payload of event 1 (``incident.opened``), checked enough to show: title and exercise flag."""
    if first is None or first.type != "incident.opened":
        raise StoreError(f"incident {incident_id!r}: event 1 is not incident.opened; the log is damaged — run "
                         "'commandcenter audit verify'")
    try:
        payload = json.loads(first.payload)
    except (ValueError, TypeError, RecursionError):
        payload = None
    if not (isinstance(payload, dict) and isinstance(payload.get("title"), str)
            and isinstance(payload.get("exercise"), bool)):
        raise StoreError(f"incident {incident_id!r}: event 1 (incident.opened) is unreadable; the log is damaged — "
                         "run 'commandcenter audit verify'")
    return payload


_HEADS_KEY = "cc_heads_moved"  # conn.info: the heads this write transaction moved, for the heads file


def _note_head(conn: Any, incident_id: str, seq: int, head: str) -> None:
    """Remember, for :class:`_WriteTx`, that this transaction moves ``incident_id``'s head to (seq, hash)."""
    conn.info.setdefault(_HEADS_KEY, {})[incident_id] = (seq, head)


def check_drafts(drafts: Sequence[Draft], *, done: Collection[int] = ()) -> list[_Checked]:
    """Validate drafts for appending (:mod:`.checks`): (type, payload, time in µs) each; :class:`EventError`
    names the draft and the field. ``done``: the ``id()`` of drafts already checked by this function in the
    same call chain (the incident runtime's submit), passed through without checking them again."""
    checked: list[_Checked] = []
    for i, draft in enumerate(drafts):
        if done and id(draft) in done:
            checked.append((draft.type, draft.payload, to_us(draft.time)))
            continue
        etype, payload = getattr(draft, "type", "?"), getattr(draft, "payload", None)
        try:
            if not isinstance(draft, Draft):
                raise EventError(f"expected a Draft, got {type(draft).__name__}", "draft")
            check_payload(etype, payload, canonical=False)
            if etype == "incident.opened":
                raise EventError("recorded only by create_incident", "type")
            t_us = check_time_us(to_us(draft.time))
        except EventError as exc:
            where = f"event {i + 1} of {len(drafts)}" if len(drafts) > 1 else "event"
            raise EventError(exc.reason, f"{where} ({etype}): {exc.where}") from None
        checked.append((etype, payload, t_us))
    return checked


_FLAT = frozenset({str, int, float, bool, type(None)})


def _stored_copy(payload: dict[str, Any], text: str) -> dict[str, Any]:
    """The payload as it reads back from the log (a copy, keys in canonical order): for a payload of plain
    values a sorted copy is that, without parsing ``text`` again; otherwise ``text`` parsed."""
    if all(type(v) in _FLAT for v in payload.values()):
        return dict(sorted(payload.items()))
    return json.loads(text)


@dataclass(frozen=True, slots=True)
class Rec:
    """A light event record for projections: seq, time (µs since epoch, UTC), type, payload."""

    seq: int
    t_us: int
    type: str
    payload: dict[str, Any]


_EVENT_COLUMNS = ("incident_id", "seq", "v", "t_us", "type", "payload", "prev_hash", "hash")


def _insert_event_tuples(conn: Any, rows: list[tuple]) -> None:
    """Insert event rows (tuples in ``_EVENT_COLUMNS`` order) with the driver's executemany: the append hot
    path, several times faster than a Core insert with a dict per row."""
    mark = driver_mark(conn.dialect)
    if mark is None:
        conn.execute(insert(events), [dict(zip(_EVENT_COLUMNS, r, strict=True)) for r in rows])
        return
    sql = f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) VALUES ({', '.join([mark] * len(_EVENT_COLUMNS))})"
    conn.exec_driver_sql(sql, rows)


def driver_mark(dialect: Any) -> str | None:
    """The placeholder of ``dialect``'s DBAPI driver for plain SQL (``?`` for SQLite, ``%s`` for psycopg), or
    None for a driver whose parameter style is neither (use SQLAlchemy's constructs there)."""
    return {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)


def _row_event(r: Any, tz: dt.tzinfo) -> Event:
    """The event of a row of ``_EVENT_COLUMNS`` (a driver tuple or a SQLAlchemy row, in that order)."""
    e = Event(r[0], r[1], from_us(r[3], tz), r[4], json.loads(r[5]), r[6], r[7], r[2], payload_text=r[5])
    e.__dict__["t_us"] = r[3]  # the stored integer: Event.t_us need not convert the time back
    return e


class _WriteTx:
    """A write transaction: SQLite ``BEGIN IMMEDIATE``; commits on success, rolls back on error. The heads
    it moved go to the heads file: ``p`` lines fsynced before ``COMMIT``, ``c`` lines after it."""

    def __init__(self, engine: Engine, heads: HeadsFile | None = None):
        self.engine, self.heads = engine, heads

    def __enter__(self):
        self.conn = self.engine.connect().execution_options(**{WRITE: True})
        self.conn.info.pop(_HEADS_KEY, None)
        self.tx = self.conn.begin()
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        moved = self.conn.info.pop(_HEADS_KEY, None)
        try:
            if exc_type is not None:
                self.tx.rollback()
                return
            lines = [(i, s, h) for i, (s, h) in moved.items()] if moved and self.heads is not None else []
            if lines:
                try:
                    self.heads.record(lines, "p", sync=True)
                except OSError as err:
                    self.tx.rollback()
                    raise StoreError(f"cannot write the heads file {self.heads.path}: {err}; nothing was "
                                     "recorded") from None
            self.tx.commit()
            if lines:
                try:
                    self.heads.record(lines, "c", sync=False)
                except OSError as err:  # committed and vouched for by its p line; only the loss check is weaker
                    _log.warning("cannot confirm commit in %s: %s", self.heads.path, err)
        finally:
            self.conn.close()
