"""The people of a drill's response: how long they take, which tasks are field work, where they go.

Delays and durations are drawn per drill from one seeded generator. The distributions are planning
assumptions (stated here, overridable in :class:`ResponseParams`); a real drill measures them, and
its log gives the figures to put back here:

* **duty officer's reaction** — from the first detector alarm (or plan proposal) to the launch:
  log-normal, median 45 s, log s.d. 0.5. The plans' own "confirm the alarm" steps allow 60 s.
* **acknowledgement** of an assigned task on the field device: log-normal, median 30 s, log s.d. 0.7;
  with probability 5 % it never comes (device off, hands full) and the plan engine escalates.
* **donning breathing apparatus** (SCBA): log-normal, median 60 s, log s.d. 0.2 (the one-minute
  donning drill of fire services).
* **work on a task** once started: log-normal with median 20 % of the task's deadline window, log
  s.d. 0.5 (plans give deadlines, not durations).

Field work: a task needs the person on the ground when it needs resources or a field qualification
(:data:`FIELD_QUALIFICATIONS`) or falls to a field role (:data:`FIELD_ROLES`); commands and authority
reports are desk work. Field tasks that need breathing apparatus (resource or qualification ``scba``)
are done at the source, after fetching a set from the nearest resource point with one free; the
others at the standoff — the walkway node nearest the source outside every hazard zone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FIELD_ROLES = frozenset({"operator", "firefighter", "fire_captain", "security_guard", "medic", "nurse", "doctor",
                         "maintenance_technician", "electrician", "instrument_technician", "welder", "hse_officer"})
FIELD_QUALIFICATIONS = frozenset({"scba", "gas_testing", "first_aid", "emergency_medical", "hazmat",
                                  "fire_fighting", "confined_space"})
#: roles that stay at their post (the control room) instead of evacuating
POST_ROLES = frozenset({"control_room_operator"})


@dataclass(frozen=True)
class ResponseParams:
    """The response model's parameters (see the module docstring); times in seconds."""

    officer_reaction: tuple[float, float] = (45.0, 0.5)
    ack_delay: tuple[float, float] = (30.0, 0.7)
    ack_miss_p: float = 0.05
    scba_don: tuple[float, float] = (60.0, 0.2)
    task_fraction: float = 0.2
    task_log_sd: float = 0.5
    sensor_period_s: float = 10.0
    hazard_period_s: float = 60.0
    position_period_s: float = 60.0
    position_min_move_m: float = 5.0
    flush_s: float = 60.0
    exposure_dt_s: float = 5.0
    duration_s: float = 1800.0
    route_method: str = "shortest"
    evacuation_scope: str | None = None  # None: the plan's scope per level; "site": everyone at launch

    def __post_init__(self) -> None:
        for name in ("sensor_period_s", "hazard_period_s", "position_period_s", "flush_s", "exposure_dt_s",
                     "duration_s"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v > 0):
                raise ValueError(f"{name} must be a positive number of seconds, got {v!r}")
        if self.evacuation_scope not in (None, "site"):
            raise ValueError(f"evacuation_scope must be None (the plan's) or 'site', got {self.evacuation_scope!r}")
        if not 0.0 <= self.ack_miss_p <= 1.0:
            raise ValueError(f"ack_miss_p must be a probability, got {self.ack_miss_p!r}")


def lognormal(rng: np.random.Generator, median_sd: tuple[float, float]) -> float:
    """One draw of a log-normal given as (median, log s.d.)."""
    median, sd = median_sd
    return float(median * math.exp(sd * rng.standard_normal()))


def is_field_task(kind: str, role: str | None, qualifications: list[str], resources: list[str]) -> bool:
    """True when the task must be done on the ground (see the module docstring)."""
    if kind in ("command", "report"):
        return False
    return bool(resources) or bool(FIELD_QUALIFICATIONS & set(qualifications)) or (role in FIELD_ROLES)


def needs_scba(qualifications: list[str], resources: list[str]) -> bool:
    """True when the task is done in breathing apparatus."""
    return "scba" in qualifications or "scba" in resources
