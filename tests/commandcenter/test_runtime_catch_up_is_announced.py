"""A runtime that catches up with another writer inside its own append tells its subscribers of those events
too (the window and the field service missed orders when it did not)."""

from __future__ import annotations

import datetime as dt

from commandcenter.runtime import IncidentRuntime, ManualClock
from commandcenter.store import EventStore
from vocabulary.events import Draft

T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)


def test_events_folded_while_appending_reach_the_subscribers_in_log_order(tmp_path):
    store = EventStore(tmp_path / "log.db")
    clock = ManualClock(T0)
    a = IncidentRuntime.create(store, title="two writers", exercise=True, clock=clock, engine=False)
    b = IncidentRuntime.open(EventStore(tmp_path / "log.db"), a.incident_id, clock=clock, engine=False)
    heard: list[int] = []
    a.subscribe(lambda events: heard.extend(e.seq for e in events))
    clock.advance(1)
    b.submit(Draft("note.added", clock.now(), {"text": "from the other console"}))
    b.submit(Draft("note.added", clock.now(), {"text": "and again"}))
    clock.advance(1)
    mine = a.submit(Draft("note.added", clock.now(), {"text": "mine"}))  # catches up with b inside the append
    in_log = [e.seq for e in store.events(a.incident_id)]
    assert [e.seq for e in mine] == in_log[-1:]
    assert heard == in_log[1:]  # every event after the opening one, once each, in order
    b.store.close()
    store.close()
