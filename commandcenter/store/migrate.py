"""Programmatic Alembic: bring a database to the newest schema without an ``alembic.ini``.

The script directory is this package's ``migrations`` folder, found next to this file, so it works from a
source checkout and from an installed wheel alike.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0001"
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


def upgrade(engine: Engine) -> None:
    """Upgrade the database to the newest revision (a no-op when already there); safe to run from several
    processes at once on PostgreSQL (an advisory lock serialises them)."""
    from alembic import command

    if current_revision(engine) == HEAD:
        return
    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
