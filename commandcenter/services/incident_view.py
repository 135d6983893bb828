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

from commandcenter.projections.replay import Replay
from commandcenter.services.people import positions_from_people
from commandcenter.store import EventStore, StoreError
from gis.positions import PositionStore


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


def positions_from_view(view: IncidentView, base: PositionStore | None = None) -> PositionStore:
    """Everyone in ``base`` plus everyone the log mentions, with the log's last positions and statuses on
    top (see :func:`commandcenter.services.people.positions_from_people`)."""
    return positions_from_people(view.people, base)
