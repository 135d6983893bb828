"""A replay's runtime is the incident runtime opened read-only without folding its log: its state is the one it
is shown (the projections at the cursor), following the log reads nothing, and the plan library is loaded but
fed nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from commandcenter.projections import fold
from commandcenter.runtime import IncidentRuntime, ManualClock, ReadOnlyError, ReplayCursor
from commandcenter.store import EventStore
from vocabulary.events import Draft

T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)


def test_a_runtime_opened_without_folding_shows_the_state_it_is_given_and_follows_nothing(tmp_path, demo_plant):
    store = EventStore(tmp_path / "log.db")
    clock = ManualClock(T0)
    live = IncidentRuntime.create(store, title="recorded", exercise=True, plant=demo_plant, clock=clock)
    live.launch("h2s-release", "L2")
    clock.advance(5)
    live.submit(Draft("note.added", clock.now(), {"text": "later"}))
    events = list(store.events(live.incident_id))
    launched_at = next(e.seq for e in events if e.type == "plan.launched")
    at_launch = fold(e for e in events if e.seq <= launched_at)  # the oracle: a fold of the log up to the launch

    rt = IncidentRuntime.open(store, live.incident_id, plant=demo_plant, clock=ReplayCursor(T0), read_only=True,
                              fold_log=False, plans_library=True)
    assert rt.seq == 0
    assert rt.state["incident"]["level"] is None  # nothing folded: the log's head is not the replay's state
    assert rt.follow() == []
    rt.show_state(at_launch)
    assert rt.seq == launched_at
    assert rt.level == "L2"
    assert "h2s-release" in rt.plans.plans  # the library, for titles and levels
    assert rt.plans.active is None  # fed nothing
    with pytest.raises(ReadOnlyError):
        rt.submit(Draft("note.added", T0, {"text": "from a replay"}))
    with pytest.raises(ReadOnlyError):
        live.show_state(at_launch)  # a runtime that follows its log never takes a state from outside
    store.close()
