"""Programmatic Alembic: bring a database to the newest schema without an ``alembic.ini``.

The script directory is this package's ``migrations`` folder, found next to this file, so it works from a
source checkout and from an installed wheel alike.

Concurrent upgrades: on PostgreSQL an advisory transaction lock serialises them; on SQLite the caller holds
the file lock beside the database (:mod:`.lock`, taken by the store when it opens a log) and the upgrade
runs in a ``BEGIN IMMEDIATE`` transaction, so a second process waits for the first one's write lock
instead of failing half-way with "database is locked" (a deferred transaction that reads first and then
writes cannot wait for a lock upgrade in SQLite). Whoever gets the lock second finds the schema current and
does nothing.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from commandcenter.store.engine import WRITE

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0002"
# pg_advisory_xact_lock key serialising concurrent schema upgrades by several consoles.
_PG_MIGRATION_LOCK = 0x43434C4F47  # "CCLOG"


def alembic_config():
    """An Alembic ``Config`` pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> str | None:
    """Upgrade the database to the newest revision (a no-op when already there) and return the revision it
    was at before (None: it was empty). Safe to run from several processes at once (see the module
    docstring; on SQLite together with the store's file lock)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    before = current_revision(engine)
    if before == HEAD:
        return before
    cfg = alembic_config()
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        before = MigrationContext.configure(conn).get_current_revision()  # again, now under the lock
        if before != HEAD:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return before
