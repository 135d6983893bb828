"""What a report reads from the log: the incident header, every event except the position reports (as light
records), the position reports as arrays (:class:`commandcenter.projections.replay.Tracks`), the chain
verdict, and the earlier incidents of the same plan for the trend.

Position reports are most of a drill's log (2,000 people every 7 s: a million an hour); they are read once
by the database's JSON functions into numpy arrays instead of being decoded one by one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from commandcenter.projections.replay import Tracks
from commandcenter.store import EventStore
from commandcenter.store.eventstore import Incident, Rec
from commandcenter.store.schema import events

POSITION = "position.reported"


@dataclass
class LogData:
    """One incident as the report needs it."""

    info: Incident
    opened: dict[str, Any]
    records: list[Rec]
    tracks: Tracks
    chain: dict[str, Any]


def read_records(store: EventStore, incident_id: str, *, positions: bool = False) -> list[Rec]:
    """The incident's events in seq order as :class:`Rec` (``positions`` False: without the position reports)."""
    q = select(events.c.seq, events.c.t_us, events.c.type, events.c.payload).where(
        events.c.incident_id == incident_id)
    if not positions:
        q = q.where(events.c.type != POSITION)
    with store.engine.connect() as conn:
        rows = conn.execute(q.order_by(events.c.seq)).all()
    return [Rec(r.seq, r.t_us, r.type, json.loads(r.payload)) for r in rows]


def chain_verdict(store: EventStore, incident_id: str) -> dict[str, Any]:
    """The hash-chain audit of the incident (:func:`commandcenter.store.audit.verify_incident`) as a small dict:
    ``intact``, ``events_ok``, ``head_seq``, ``head_hash``, ``break`` (text or None)."""
    from commandcenter.store.audit import verify_incident

    res = verify_incident(store, incident_id)
    info = store.incident(incident_id)
    return {"intact": res.intact, "events_ok": res.events_ok, "head_seq": res.head_seq, "head_hash": info.head_hash,
            "break": None if res.brk is None else str(res.brk.to_dict())}


def read_log(store: EventStore, incident_id: str, *, check: Callable[[], None] = lambda: None) -> LogData:
    """Read everything the report of ``incident_id`` needs (``check`` is called between the steps; it raises
    to cancel)."""
    info = store.incident(incident_id)
    chain = chain_verdict(store, incident_id)
    check()
    records = read_records(store, incident_id)
    check()
    tracks = Tracks.load(store, incident_id)
    opened = dict(records[0].payload) if records and records[0].type == "incident.opened" else {}
    return LogData(info, opened, records, tracks, chain)


def first_plan(records: list[Rec]) -> str | None:
    """The id of the first plan launched in ``records`` (None when none was)."""
    return next((str(r.payload["plan_id"]) for r in records if r.type == "plan.launched"), None)


def same_plan_incidents(store: EventStore, incident_id: str, plan_id: str | None) -> list[tuple[Incident, list[Rec]]]:
    """The other incidents of this log that launched ``plan_id`` first, with their records (no positions),
    oldest first: the drills a trend compares."""
    if plan_id is None:
        return []
    out = []
    for inc in store.incidents():
        if inc.id == incident_id:
            continue
        recs = read_records(store, inc.id)
        if first_plan(recs) == plan_id:
            out.append((inc, recs))
    out.sort(key=lambda ir: (ir[1][0].t_us if ir[1] else 0, ir[0].id))
    return out
