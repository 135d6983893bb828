"""The replay's runtime is the incident runtime opened read-only on a replay cursor: the panels read the
projections at the cursor through the same API as live, and nothing can be recorded, fall due or be followed."""

from __future__ import annotations

import datetime as dt

import pytest

from commandcenter.runtime import IncidentRuntime, ManualClock, ReadOnlyError
from commandcenter.store import EventStore
from commandcenter.ui.replay_model import ReplayModel
from vocabulary.events import Draft, to_us

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def log(tmp_path):
    """Opened at 0 s, launched at L2 at 60 s (the h2s plan of the bundled library), raised to L3 at 120 s,
    closed at 180 s."""
    store = EventStore(tmp_path / "log.db")
    clock = ManualClock(T0)
    rt = IncidentRuntime.create(store, title="replayed", exercise=True, clock=clock, incident_id="R-1",
                                engine=False, tz="Asia/Shanghai")
    clock.advance_to(60)
    rt.submit(Draft("plan.launched", clock.now(), {"plan_id": "h2s-release", "level": "L2"}))
    clock.advance_to(120)
    rt.submit(Draft("level.changed", clock.now(), {"to": "L3", "reason": "casualty"}))
    clock.advance_to(180)
    rt.submit(Draft("incident.closed", clock.now(), {"reason": "all clear"}))
    rt.close()
    yield store
    store.close()


def _at(s: float) -> int:
    return to_us(T0 + dt.timedelta(seconds=s))


def test_the_replay_runtime_reads_the_incident_as_it_stood_at_the_cursor(log):
    model = ReplayModel(log, "R-1", every=2).prepare()
    rt = model.runtime
    assert isinstance(rt, IncidentRuntime)
    assert rt.read_only
    assert rt.title == "replayed"
    assert rt.exercise
    for seconds, level, closed in ((30, None, False), (90, "L2", False), (150, "L3", False), (180, "L3", True),
                                   (90, "L2", False)):
        model.seek(_at(seconds))
        assert rt.now() == T0 + dt.timedelta(seconds=seconds)
        assert rt.level == level, seconds
        assert rt.closed is closed, seconds
        assert rt.local(rt.now()).utcoffset() == dt.timedelta(hours=8)
    model.seek(_at(90))
    assert rt.seq == 2  # opened, launched: the events up to the cursor, never the log's head (4)


def test_nothing_can_be_recorded_fall_due_or_be_followed_in_a_replay(log):
    model = ReplayModel(log, "R-1").prepare()
    rt = model.runtime
    model.seek(_at(90))
    with pytest.raises(ReadOnlyError):
        rt.submit(Draft("note.added", rt.now(), {"text": "x"}))
    with pytest.raises(ReadOnlyError):
        rt.change_level("L4")
    assert rt.tick() == []
    assert rt.follow() == []  # the cursor's state is not moved to the head by a follow
    assert rt.level == "L2"
    assert log.incident("R-1").head_seq == 4
