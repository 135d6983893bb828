"""The report's data: plain dataclasses, filled by :mod:`.figures` and :mod:`.mapstate`, held by
:class:`commandcenter.report.model.ReportModel`. Times are µs since the epoch (UTC) or seconds after the
incident opened (``*_s``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

# the alarm levels are the population's (one definition), named here for the report's modules
from plans.population import ALARM_LEVELS as ALARM_LEVELS

#: zone levels from the most to the least severe (gis.routing.hazard_graph), unknown levels after them
ZONE_ORDER = ("red", "orange", "yellow")


@dataclass(frozen=True)
class AssemblyPoint:
    """An assembly point of the plant: id, name, position (m, plant CRS) and capacity (persons)."""

    id: str
    name: str
    x: float
    y: float
    capacity: int | None = None


@dataclass
class KeyTime:
    """One key moment: a stable key (``launched``, ``level:L3``, ``muster_100`` …), its time and detail."""

    key: str
    t_us: int
    elapsed_s: float
    detail: str = ""


@dataclass
class Step:
    """One plan step against its deadline (:func:`plans.evaluation.evaluate`'s row, times in µs)."""

    task_id: str
    title: Any
    kind: str
    level: str | None
    assignees: list[str]
    created_us: int | None
    deadline_us: int | None
    acknowledged_us: int | None
    finished_us: int | None
    outcome: str
    late_s: float | None
    on_time: bool | None
    overdue: bool
    delayed_end_s: float = 0.0
    on_critical_path: bool = False
    evidence_required: list[Any] = field(default_factory=list)


@dataclass
class Muster:
    """The group to account for (:mod:`plans.population`) against time: ``expected`` is its
    size and ``len(mustered_s) + len(on_task_s) + len(missing) == expected``."""

    basis: str  # evacuation_ordered | evacuation_plan | evacuate_command | on_site | none
    expected: int
    mustered_s: list[float]  # first muster times of the group's people who mustered, sorted
    others: int  # people who mustered and were not in the group
    missing: list[str]  # the group's people not accounted for
    by_point: dict[str, int]  # the group's mustered people per assembly point
    t90_s: float | None  # when 90 % / all of the group were accounted for (mustered or at their task)
    t100_s: float | None
    on_task_s: list[float] = field(default_factory=list)  # first task answers of the group's responders
    accounted_s: list[float] = field(default_factory=list)  # when each accounted-for person was, sorted


@dataclass
class Latencies:
    """Acknowledgement latencies (s) and what was never answered."""

    command_s: list[float]
    task_s: list[float]
    command_unanswered: int
    task_unanswered: int
    commands: list[dict[str, Any]]


@dataclass
class ZoneOccupancy:
    """People inside each hazard zone level at the sample times (s after opening)."""

    times_s: list[float]
    counts: dict[str, list[int]]
    peak: dict[str, tuple[int, float]]


@dataclass
class EvidenceItem:
    """One ``evidence.received``: its hash, what it is for, and whether the stored file verified."""

    sha256: str
    t_us: int
    task_id: str | None
    person_id: str | None
    caption: str | None
    mime: str | None
    status: str  # verified | mismatch | missing | unreadable
    file: str | None = None


@dataclass
class AuditRow:
    """One key action in the compliance audit."""

    ref: str  # task id or command id
    kind: str  # task | command | report | actuate
    title: Any
    deadline_us: int | None
    done_us: int | None
    in_time: bool | None
    evidence: list[EvidenceItem]
    evidence_required: bool
    status: str  # compliant | late | not_done | evidence_missing | evidence_mismatch | no_deadline


@dataclass
class Linkage:
    """Equipment linkage: ``actuate`` commands done within their deadline over those sent."""

    sent: int
    done_in_time: int
    done_late: int
    failed: int
    no_answer: int
    rate: float | None
    rows: list[dict[str, Any]]


@dataclass
class Accuracy:
    """Evacuation accuracy: of the group's people who mustered under a plan, those at the point it sent them to."""

    planned: int  # people of the group to account for an evacuation plan sent to a point
    mustered_with_plan: int  # of them, mustered while a plan sent them to a point
    correct: int
    wrong: list[dict[str, str]]
    not_mustered: int  # planned people who did not muster (at their task or not accounted for)
    accuracy: float | None


@dataclass
class Finding:
    """One finding: a stable code, the end delay it caused (s; 0 when none), a magnitude to order the
    rest, and its parameters (the writer turns them into a sentence in the report's language)."""

    code: str
    delay_s: float
    magnitude: float
    params: dict[str, Any]


@dataclass
class TrendPoint:
    """One drill of the same plan, for the trend."""

    incident_id: str
    title: str
    opened_us: int
    exercise: bool
    launch_s: float | None
    muster_100_s: float | None
    on_time_share: float | None
    overrun_s: float | None
    linkage_rate: float | None
    accuracy: float | None
    current: bool = False


@dataclass
class Snapshot:
    """The picture at one key moment: who is where, the zones and routes in force."""

    key: str
    t_us: int
    x: np.ndarray
    y: np.ndarray
    status: np.ndarray  # 0 on site, 1 mustered, 2 SOS
    zones: list[dict[str, Any]]
    routes: dict[str, list[int]]
    alarms: list[str]
    zones_t_us: int | None = None  # when the assessment in force was made
