"""The incident log's store: SQLAlchemy models, Alembic migrations, the append path and change feeds."""

from commandcenter.store.errors import ChainBroken, LogRefused
from commandcenter.store.eventstore import EventStore, HeadMoved, Incident, Rec, StoreError

__all__ = ["ChainBroken", "EventStore", "HeadMoved", "Incident", "LogRefused", "Rec", "StoreError"]
