"""What the map shows of a recorded incident: its header and everyone's last known position and status.

Read from the incident log through the same projections a replay uses, so after a crash (or on
another console) opening the log restores the screen the duty officer had: the people where they
were last reported, who is mustered, who sent an SOS, and whether this is an exercise. No Qt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from commandcenter.projections.replay import Replay
from commandcenter.store import EventStore, StoreError
from gis.positions import PersonStatus, PositionStore


@dataclass(frozen=True)
class IncidentView:
    """One incident as it stood at ``time`` (the newest event's time unless asked for another)."""

    incident_id: str
    title: str
    exercise: bool
    level: str | None
    open: bool
    seq: int
    time: dt.datetime | None
    plans: list[str]
    alarms: list[str]
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    sos: list[str] = field(default_factory=list)


def load_incident_view(db: str | Path, incident_id: str | None = None, at: dt.datetime | None = None
                       ) -> IncidentView:
    """Read incident ``incident_id`` (default: the one with the newest event) from the log at ``db`` (a SQLite
    path or a SQLAlchemy URL), as it stood at ``at`` (default: now). Raises :class:`StoreError` naming the
    database when it holds no such incident, and FileNotFoundError for a missing SQLite file."""
    if "://" not in str(db) and not Path(db).exists():
        raise FileNotFoundError(f"no incident log at {db}")
    with EventStore(db, upgrade=False) as store:
        if incident_id is None:
            incidents = store.incidents()
            if not incidents:
                raise StoreError(f"the incident log {db} holds no incident")
            incident_id = max(incidents, key=lambda i: (i.head_t_us or 0, i.id)).id
        header = store.incident(incident_id)
        replay = Replay(store, incident_id)
        state = replay.state_at(at) if at is not None else replay.current()
    inc, personnel = state["incident"], state["personnel"]
    t_us = state["t_us"]
    time = (dt.datetime.fromtimestamp(t_us / 1e6, dt.UTC).astimezone(header.tzinfo) if t_us is not None else None)
    return IncidentView(
        incident_id=incident_id,
        title=inc["title"] or header.title,
        exercise=bool(header.exercise),
        level=inc["level"],
        open=bool(inc["open"]),
        seq=int(state["seq"]),
        time=time,
        plans=[p["plan"] for p in inc["plans"]],
        alarms=sorted(inc["alarms"]),
        people=personnel["people"],
        sos=sorted({s["person"] for s in personnel["sos"]}),
    )


def _person_status(person: dict[str, Any]) -> int:
    """The map status of one person of the personnel projection: mustered people are accounted for
    whatever happened before; otherwise an SOS shows as INJURED; else the reported status."""
    status = str(person.get("status") or "on_site")
    if status != "mustered" and person.get("sos"):
        return int(PersonStatus.INJURED)
    try:
        return int(PersonStatus[status.upper()])
    except KeyError:
        return int(PersonStatus.ON_SITE)


def positions_from_view(view: IncidentView, base: PositionStore | None = None) -> PositionStore:
    """Everyone in ``base`` (e.g. the plant's population file, where people were before the log says
    otherwise) plus everyone the log mentions, with the log's last positions and statuses on top
    (see :func:`_person_status`). ``base`` is not changed."""
    base_ids = [] if base is None else [str(i) for i in base.ids]
    ids = list(dict.fromkeys([*base_ids, *view.people]))
    store = PositionStore(ids)
    if base is not None and len(base):
        rows = store.rows(base_ids)
        store.x[rows], store.y[rows] = base.x, base.y
        store.status[rows], store.updated_s[rows] = base.status, base.updated_s
    placed = [pid for pid, p in view.people.items() if p.get("x") is not None and p.get("y") is not None]
    if placed:
        x = np.array([view.people[pid]["x"] for pid in placed], dtype=float)
        y = np.array([view.people[pid]["y"] for pid in placed], dtype=float)
        t = np.array([(view.people[pid].get("t") or 0) / 1e6 for pid in placed], dtype=float)
        store.update(placed, x, y, t)
    if view.people:
        people = list(view.people)
        codes = np.array([_person_status(view.people[p]) for p in people], dtype=np.int8)
        store.set_status(people, codes)
    return store
