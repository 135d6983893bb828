"""The incident log's store: SQLAlchemy models, Alembic migrations, the append path and change feeds."""

from commandcenter.store.eventstore import EventStore, HeadMoved, Incident, Rec, StoreError

__all__ = ["EventStore", "HeadMoved", "Incident", "Rec", "StoreError"]
