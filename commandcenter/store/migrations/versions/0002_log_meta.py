"""The log's identity: a ``log_meta`` table with the log id (binds the heads file to this database) and
how its chain heads are anchored outside it.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``log_meta`` and record a new log id, the creation time and the anchor kind (SQLite: the
    heads file beside the database; other servers: none)."""
    meta = op.create_table(
        "log_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    anchor = "heads-file" if op.get_bind().dialect.name == "sqlite" else "none"
    op.bulk_insert(meta, [
        {"key": "log_id", "value": str(uuid.uuid4())},
        {"key": "created", "value": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")},
        {"key": "anchor", "value": anchor},
    ])


def downgrade() -> None:
    """Drop ``log_meta`` (the heads file no longer matches: only for development)."""
    op.drop_table("log_meta")
