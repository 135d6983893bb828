"""The replay cursor and the position tracks give exactly what folding the whole log from the start gives
(the oracle), whatever the order of seeks; the snapshot cache never leaks one seek's state into another."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
N_PEOPLE = 5


def _drafts(n: int, seed: int = 3):
    from vocabulary.events import Draft

    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        t = T0 + dt.timedelta(seconds=k * 2 + int(rng.integers(0, 2)))
        pid = f"P{int(rng.integers(0, N_PEOPLE))}"
        if k % 17 == 5:
            out.append(Draft("person.mustered", t, {"person_id": pid, "assembly_point_id": f"AP{k % 3}"}))
        elif k % 23 == 7:
            out.append(Draft("task.assigned", t, {"task_id": f"T{k}", "person_id": pid, "deadline_s": 30.0}))
        else:
            out.append(Draft("position.reported", t, {"person_id": pid, "x": float(k), "y": float(rng.normal())}))
    return out


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory):
    from commandcenter.projections.replay import Replay
    from commandcenter.store import EventStore

    store = EventStore(tmp_path_factory.mktemp("seek") / "seek.db")
    store.create_incident("S", "seek test", exercise=True, time=T0)
    store.append_many("S", _drafts(300))
    replay = Replay(store, "S", every=13, cache=3)
    replay.ensure_snapshots()
    yield store, replay
    store.close()


def _oracle(store, seq: int) -> dict:
    from commandcenter.projections import fold

    return fold(list(store.rows("S", until_seq=seq)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 301), min_size=1, max_size=12))
def test_seek_in_any_order_equals_folding_from_the_start(log, seqs: list[int]) -> None:
    from commandcenter.projections.replay import Replay

    store, _ = log
    cursor = Replay(store, "S", every=13, cache=3)
    for seq in seqs:
        got = cursor.seek_seq(seq)
        assert got == _oracle(store, min(seq, 301))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.floats(-5, 700), min_size=1, max_size=8))
def test_state_at_time_equals_folding_every_event_up_to_it(log, offsets: list[float]) -> None:
    from vocabulary.events import to_us

    store, replay = log
    for off in offsets:
        t_us = to_us(T0) + int(off * 1e6)
        seq = max((r.seq for r in store.rows("S") if r.t_us <= t_us), default=0)
        state = replay.state_at(t_us)
        assert state == _oracle(store, seq)
        state["personnel"]["people"].clear()  # a caller may change its copy: the next seek is unaffected
        assert replay.state_at(t_us) == _oracle(store, seq)


def test_tracks_trail_and_positions_at_t_match_a_scan_of_the_log(log) -> None:
    from commandcenter.projections.replay import Tracks

    store, _ = log
    tracks = Tracks.load(store, "S")
    reports = [r for r in store.rows("S") if r.type == "position.reported"]
    assert len(tracks) == len(reports)
    t_all = sorted({r.t_us for r in reports})
    for t_us in [t_all[0] - 1, t_all[5], t_all[len(t_all) // 2], t_all[-1] + 1]:
        x, y, when = tracks.at(t_us)
        for i, pid in enumerate(tracks.ids):
            mine = [r for r in reports if r.payload["person_id"] == pid and r.t_us <= t_us]
            if mine:
                assert (x[i], y[i], when[i]) == (mine[-1].payload["x"], mine[-1].payload["y"], mine[-1].t_us)
            else:
                assert np.isnan(x[i])
                assert when[i] == -1
        trail = tracks.trail("P1", t_us)
        scan = [(r.t_us, r.payload["x"], r.payload["y"]) for r in reports
                if r.payload["person_id"] == "P1" and r.t_us <= t_us]
        assert trail.tolist() == [list(map(float, row)) for row in scan]
    assert tracks.trail("nobody", t_all[-1]).shape == (0, 3)
