"""Database engines for the incident log: a SQLite file (WAL, durable commits) or PostgreSQL (psycopg 3).

Durability on SQLite: ``journal_mode=WAL`` and ``synchronous=FULL``, so every commit fsyncs the WAL
before it returns — a committed transaction survives a killed process *and* a power cut. Writers take
the database lock up front (``BEGIN IMMEDIATE``) so two writers never deadlock on lock upgrade;
``busy_timeout`` makes a second writer wait instead of failing.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event

WRITE = "cc_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)
BUSY_TIMEOUT_S = 30.0  # how long a SQLite connection waits for another process's lock


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for ``target``: a URL is kept (``postgresql://`` gets the psycopg 3 driver), a
    path becomes a SQLite file URL."""
    text = str(target)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    if text.startswith("postgresql://") or text.startswith("postgres://"):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    return text


def sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine (None for other servers and in-memory databases)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None  # a URI filename (mode=memory, …): no file we can put anything beside
    return Path(url.database)


def make_engine(target: str | Path) -> Engine:
    """Create the engine for a SQLite path or a SQLAlchemy URL, with the pragmas described above."""
    url = database_url(target)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _begin)
            cur = dbapi_conn.cursor()
            # first, so that switching a new file to WAL waits for another process's lock instead of failing
            cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=2)
