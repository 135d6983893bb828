"""Fixtures of the incident-log tests: a fresh SQLite store, and a fresh PostgreSQL database when a server is
configured (``CC_TEST_PG_URL``). Without one the PostgreSQL tests skip — except under ``CI=true``, where
they fail: CI must run them on a real server."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def store(tmp_path: Path):
    """A new SQLite event store with one open incident ``I1`` (an exercise) at T0."""
    from commandcenter.store import EventStore

    s = EventStore(tmp_path / "log.db")
    s.create_incident("I1", "test incident", exercise=True, time=T0)
    yield s
    s.close()


def _pg_unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but no PostgreSQL server for the multi-console tests: {reason}")
    pytest.skip(f"no PostgreSQL server ({reason}); set CC_TEST_PG_URL=postgresql+psycopg://user:pw@host/db")


@pytest.fixture
def pg_url():
    """The URL of a brand-new PostgreSQL database (dropped afterwards), created next to CC_TEST_PG_URL."""
    base = os.environ.get("CC_TEST_PG_URL")
    if not base:
        _pg_unavailable("CC_TEST_PG_URL is not set")
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"cc_t_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        _pg_unavailable(f"cannot reach {url.render_as_string()}: {exc}")
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
