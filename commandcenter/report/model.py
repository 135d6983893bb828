"""The after-action report model: a pure function of the incident's events (and the plant's assembly points).

Nothing here reads files or clocks; :mod:`.source` reads the log, :mod:`.evidence` checks the photos, and
the PDF and the map are drawn from this model. Times are µs since the epoch (UTC) and seconds after the
incident opened (``*_s``); the writers show them in the plant's time zone with its offset.

Definitions (the ones a trainer and AQ/T 9009 drill evaluation ask for):

* **key times** — first detector alarm (``sensor.alarm`` at ``warn``/``alarm`` or ``alarm.raised``),
  alarm confirmed, plan launched, each level change, first command, first hazard assessment, first
  evacuation plan, 90 % and 100 % mustered, last step finished, incident closed;
* **plan steps** — each task's deadline, finish and deviation, the critical path and each late step's
  share of the end's delay: :func:`plans.evaluation.evaluate` (a step late only because its predecessor
  was late is not blamed);
* **people** — one set of named groups every people figure counts (:mod:`.population`): on site at the
  alarm, ordered to evacuate, walk-ups, and the group to account for (ordered ∪ walk-ups), each of whom
  is mustered, at their task (a responder who answered a task and did not muster) or not accounted for;
* **muster curve** — the group to account for against time: each person counts from their first muster
  or task answer; 90 % and 100 % are of the group's size. (Unlike :mod:`simulation.metrics`, responders
  stay in the group: the 90 % time can differ from the drill summary's, whose group leaves them out);
* **acknowledgement latency** — per recipient, command sent → ``command.acknowledged``, and per
  assignment, ``task.assigned`` → the assignee's first answer;
* **people inside each hazard zone** — at every sample time, each person's last reported position (a
  person who has mustered is at their assembly point when the plant is known, else counted out), tested
  against the zones of the assessment in force (the last ``hazard.assessed`` at or before t);
* **equipment linkage** — ``actuate`` commands done within their deadline (``expires_s`` after sending,
  else ``params.deadline_s``, else the linked task's deadline) over those sent;
* **evacuation accuracy** — of the group's people who mustered while an evacuation plan sent them to a point,
  the share who mustered at that point;
* **findings** — late steps ranked by how much each delayed the end, then the other problems (silent
  assignees, people not accounted for, wrong assembly points, linkage failures, evidence that does not
  verify, SOS calls), each with a stable code.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from commandcenter.projections.replay import Tracks
from commandcenter.report.data import (
    ALARM_LEVELS,
    Accuracy,
    AssemblyPoint,
    AuditRow,
    EvidenceItem,
    Finding,
    KeyTime,
    Latencies,
    Linkage,
    Muster,
    Snapshot,
    Step,
    TrendPoint,
    ZoneOccupancy,
)
from commandcenter.report.figures import (
    accuracy_of,
    audit_of,
    evaluate_steps,
    evidence_items,
    findings_of,
    key_times_of,
    latencies_of,
    linkage_of,
    median_or_none,
    muster_of,
    round3,
    trend_point,
)
from commandcenter.report.mapstate import snapshot_at, snapshot_times, zone_occupancy
from plans.population import Population, population_of


@dataclass
class ReportModel:
    """Everything the after-action report shows."""

    incident_id: str
    title: str
    exercise: bool
    plant: str | None
    tz: str
    opened_us: int
    ended_us: int
    scenario: dict[str, Any] | None
    plans: list[dict[str, Any]]
    levels: list[dict[str, Any]]
    key_times: list[KeyTime]
    steps: list[Step]
    critical_path: list[str]
    overrun_s: float | None
    muster: Muster
    latencies: Latencies
    zones: ZoneOccupancy | None
    snapshots: list[Snapshot]
    audit: list[AuditRow]
    evidence: list[EvidenceItem]
    linkage: Linkage
    accuracy: Accuracy
    findings: list[Finding]
    trend: list[TrendPoint]
    chain: dict[str, Any]
    people_ids: list[str]
    assembly_points: list[AssemblyPoint]
    counts: dict[str, int]
    alarm_times: dict[str, list[int]] = field(default_factory=dict)
    population: Population | None = None

    @property
    def duration_s(self) -> float:
        """Seconds from opening to the last event."""
        return (self.ended_us - self.opened_us) / 1e6

    def summary(self) -> dict[str, Any]:
        """The headline figures as plain JSON (the CLI's ``--json`` and the window's result)."""
        steps_timed = [s for s in self.steps if s.on_time is not None]
        return {
            "incident": self.incident_id, "exercise": self.exercise, "title": self.title,
            "duration_s": round(self.duration_s, 3),
            "steps": len(self.steps), "steps_on_time": sum(1 for s in steps_timed if s.on_time),
            "steps_late": sum(1 for s in steps_timed if not s.on_time),
            "overrun_s": round3(self.overrun_s),
            "people": self.population.counts() if self.population is not None else None,
            "muster_expected": self.muster.expected, "mustered": len(self.muster.mustered_s),
            "on_task": len(self.muster.on_task_s), "not_accounted_for": len(self.muster.missing),
            "muster_90_s": round3(self.muster.t90_s), "muster_100_s": round3(self.muster.t100_s),
            "ack_median_s": round3(median_or_none(self.latencies.command_s + self.latencies.task_s)),
            "linkage_rate": round3(self.linkage.rate), "actuate_sent": self.linkage.sent,
            "evacuation_accuracy": round3(self.accuracy.accuracy),
            "evidence": len(self.evidence), "evidence_verified": sum(1 for e in self.evidence
                                                                     if e.status == "verified"),
            "findings": len(self.findings), "trend_drills": len(self.trend),
            "chain_intact": bool(self.chain.get("intact")),
        }

    def to_dict(self) -> dict[str, Any]:
        """The model as plain JSON (snapshot arrays as lists)."""
        d = asdict(self)
        for s in d["snapshots"]:
            for k in ("x", "y", "status"):
                s[k] = [None if isinstance(v, float) and not math.isfinite(v) else v for v in np.asarray(s[k]).tolist()]
        return d


def build_model(*, incident_id: str, title: str, exercise: bool, plant: str | None, tz: dt.tzinfo, tz_name: str,
                records: list[Any], tracks: Tracks, assembly_points: Iterable[AssemblyPoint] = (),
                evidence_checks: Mapping[str, tuple[str, str | None]] | None = None,
                evidence_required: Mapping[str, list[Any]] | None = None,
                earlier: Iterable[TrendPoint] = (), chain: dict[str, Any] | None = None) -> ReportModel:
    """The report model of one incident from its records (no positions), its position tracks, the plant's
    assembly points, the verified evidence (sha256 → (status, file)), the evidence each plan task requires
    (task id → texts) and the earlier drills of the same plan."""
    if not records:
        raise ValueError(f"incident {incident_id} has no events")
    aps = {a.id: a for a in assembly_points}
    t0 = records[0].t_us
    t_end = max(records[-1].t_us, int(tracks.t_us.max()) if len(tracks) else 0)
    steps, path, overrun, unanswered = evaluate_steps(records, tz)
    required = evidence_required or {}
    for s in steps:
        base = s.task_id.split(":")[0]
        s.evidence_required = list(required.get(s.task_id) or required.get(base) or [])
    population = population_of(records, tracks.ids)
    muster = muster_of(records, t0, population=population)
    lat = latencies_of(records)
    keys = key_times_of(records, t0, muster, steps)
    link = linkage_of(records, {s.task_id: s.deadline_us for s in steps if s.deadline_us is not None})
    acc = accuracy_of(records, population.group)
    evidence = evidence_items(records, evidence_checks or {})
    audit = audit_of(steps, link, evidence)
    findings = findings_of(steps, unanswered, muster, acc, link, evidence, records, t0)
    zones = zone_occupancy(records, tracks, t0, t_end, aps)
    snaps = [snapshot_at(k, t, records, tracks, aps) for k, t in snapshot_times(keys, t0, t_end)]
    scenario = next((dict(r.payload) for r in records if r.type == "drill.scenario"), None)
    plans = [{"plan_id": r.payload["plan_id"], "level": r.payload["level"], "title": r.payload.get("title"),
              "t_us": r.t_us, "by": r.payload.get("by")} for r in records if r.type == "plan.launched"]
    opened = records[0].payload if records[0].type == "incident.opened" else {}
    levels = ([{"t_us": t0, "from": None, "to": opened["level"], "reason": "opened"}] if opened.get("level") else [])
    levels += [{"t_us": p["t_us"], "from": None, "to": p["level"], "reason": "launch"} for p in plans[:1]]
    levels += [{"t_us": r.t_us, "from": r.payload.get("from"), "to": r.payload["to"],
                "reason": r.payload.get("reason"), "by": r.payload.get("by")}
               for r in records if r.type == "level.changed"]
    here = trend_point(incident_id, title, exercise, records, tz, current=True)
    trend = [*earlier, here] if plans else []
    counts: dict[str, int] = {}
    for r in records:
        counts[r.type] = counts.get(r.type, 0) + 1
    counts["position.reported"] = len(tracks)
    alarm_times: dict[str, list[int]] = {}
    for r in records:
        if r.type == "sensor.alarm" and r.payload.get("level") in ALARM_LEVELS:
            alarm_times.setdefault(str(r.payload["sensor_id"]), []).append(r.t_us)
    return ReportModel(
        incident_id=incident_id, title=title, exercise=exercise, plant=plant, tz=tz_name, opened_us=t0,
        ended_us=t_end, scenario=scenario, plans=plans, levels=levels, key_times=keys, steps=steps,
        critical_path=path, overrun_s=overrun, muster=muster, latencies=lat, zones=zones, snapshots=snaps,
        audit=audit, evidence=evidence, linkage=link, accuracy=acc, findings=findings, trend=trend,
        chain=chain or {}, people_ids=list(tracks.ids), assembly_points=list(aps.values()), counts=counts,
        alarm_times=alarm_times, population=population)
