"""The incident runtime: one Qt-free owner of an open incident (see :mod:`.runtime`) and its clocks."""

from commandcenter.runtime.clock import Clock, ManualClock, ReplayCursor, SimClock, WallClock
from commandcenter.runtime.runtime import IncidentRuntime, ReadOnlyError

__all__ = ["Clock", "IncidentRuntime", "ManualClock", "ReadOnlyError", "ReplayCursor", "SimClock", "WallClock"]
