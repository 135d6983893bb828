"""SQLAlchemy 2 models of the incident log: incidents, events, plan launches, projection snapshots and the
log's identity (``log_meta``).

The migrations in ``migrations/versions`` create exactly these tables; a test checks they agree.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the incident-log tables."""


class IncidentRow(Base):
    """One incident (real or exercise) and the head of its event chain (kept for fast, locked appends)."""

    __tablename__ = "incidents"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    exercise: Mapped[bool] = mapped_column(Boolean, nullable=False)
    tz: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC")
    plant: Mapped[str | None] = mapped_column(Text, nullable=True)
    head_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    head_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    head_t_us: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class EventRow(Base):
    """One event: the payload is stored as its canonical JSON text, so the stored bytes are the hashed ones."""

    __tablename__ = "events"
    incident_id: Mapped[str] = mapped_column(String(64), ForeignKey("incidents.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    v: Mapped[int] = mapped_column(Integer, nullable=False)
    t_us: Mapped[int] = mapped_column(BigInteger, nullable=False)
    type: Mapped[str] = mapped_column(String(40), nullable=False)
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)
    __table_args__ = (Index("ix_events_incident_time", "incident_id", "t_us", "seq"),)


class PlanLaunchRow(Base):
    """One plan launch per (incident, launch key): the unique key that makes concurrent launches one."""

    __tablename__ = "plan_launches"
    incident_id: Mapped[str] = mapped_column(String(64), ForeignKey("incidents.id"), primary_key=True)
    launch_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)


class SnapshotRow(Base):
    """A projection snapshot after event ``seq`` (zlib-compressed canonical JSON); derived data, rebuildable."""

    __tablename__ = "snapshots"
    incident_id: Mapped[str] = mapped_column(String(64), ForeignKey("incidents.id"), primary_key=True)
    proj_version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    t_us: Mapped[int] = mapped_column(BigInteger, nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class LogMetaRow(Base):
    """One fact about the log itself: ``log_id`` (a UUID that binds the heads file to this database),
    ``created`` and ``anchor`` (``heads-file`` or ``none``)."""

    __tablename__ = "log_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


incidents = IncidentRow.__table__
events = EventRow.__table__
plan_launches = PlanLaunchRow.__table__
snapshots = SnapshotRow.__table__
log_meta = LogMetaRow.__table__
