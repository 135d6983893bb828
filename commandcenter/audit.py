"""Tamper evidence: verify the hash chain of one incident or of every incident in a database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commandcenter.store.chain import ChainBreak, verify_chain
from commandcenter.store.eventstore import EventStore


@dataclass(frozen=True)
class AuditResult:
    """The verdict for one incident: how many events chained correctly and the first break, if any."""

    incident: str
    events_ok: int
    head_seq: int
    brk: ChainBreak | None

    @property
    def intact(self) -> bool:
        """True when the whole chain verifies."""
        return self.brk is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"incident": self.incident, "intact": self.intact, "events_ok": self.events_ok,
                "head_seq": self.head_seq, "break": self.brk.to_dict() if self.brk else None}


def verify_incident(store: EventStore, incident_id: str) -> AuditResult:
    """Re-hash every event of the incident in stored order; also check the recorded head (catches deletions at
    the end) and that the incident's exercise flag matches the one sealed in its ``incident.opened`` event."""
    inc = store.incident(incident_id)
    count, brk = verify_chain(store.events(incident_id), incident_id, head=(inc.head_seq, inc.head_hash))
    if brk is None and count:
        first = next(store.events(incident_id, until_seq=1))
        if first.type != "incident.opened":
            brk = ChainBreak(1, "changed", "event 1 is not incident.opened")
        elif bool(first.payload.get("exercise")) != inc.exercise:
            brk = ChainBreak(1, "changed", "the incident's exercise flag was changed: event 1 records "
                             f"exercise={first.payload.get('exercise')}")
    return AuditResult(incident_id, count, inc.head_seq, brk)


def verify_store(store: EventStore, incident_id: str | None = None) -> list[AuditResult]:
    """Verify one incident (``incident_id``) or all of them."""
    ids = [incident_id] if incident_id else [i.id for i in store.incidents()]
    return [verify_incident(store, i) for i in ids]
