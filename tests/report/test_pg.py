"""On PostgreSQL too: the position tracks (read with PostgreSQL's JSON operators) and the cursor agree with a
scan of the log. Skips without a server (CC_TEST_PG_URL), except under CI=true, where it fails."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def pg_url():
    """A brand-new PostgreSQL database next to CC_TEST_PG_URL (dropped afterwards)."""
    base = os.environ.get("CC_TEST_PG_URL")
    if not base:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but CC_TEST_PG_URL is not set")
        pytest.skip("no PostgreSQL server: set CC_TEST_PG_URL=postgresql+psycopg://user:pw@host/db")
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"cc_r_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_tracks_and_seek_on_postgresql(pg_url: str) -> None:
    from commandcenter.projections import fold
    from commandcenter.projections.replay import Replay, Tracks
    from commandcenter.store import EventStore
    from vocabulary.events import Draft

    store = EventStore(pg_url)
    try:
        store.create_incident("PG", "pg", exercise=True, time=T0)
        drafts = [Draft("position.reported", T0 + dt.timedelta(seconds=k),
                        {"person_id": f"P{k % 3}", "x": k * 1.5, "y": -k * 0.25}) for k in range(1, 40)]
        store.append_many("PG", drafts)
        tracks = Tracks.load(store, "PG")
        assert tracks.trail("P1", 10**18)[:, 1].tolist() == [k * 1.5 for k in range(1, 40) if k % 3 == 1]
        replay = Replay(store, "PG", every=7)
        replay.ensure_snapshots()
        for seq in (40, 3, 25, 26, 9):
            assert replay.seek_seq(seq) == fold(list(store.rows("PG", until_seq=seq)))
    finally:
        store.close()
