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
* **muster curve** — people accounted for against time. Who is expected: everyone an evacuation plan
  (``evacuation.planned``) sent to an assembly point or could not route, minus responders (people who
  acknowledged a task), as in :mod:`simulation.metrics`; without a plan, everyone an ``evacuate`` or
  ``muster`` command went to; without either, everyone the log saw on site;
* **acknowledgement latency** — per recipient, command sent → ``command.acknowledged``, and per
  assignment, ``task.assigned`` → the assignee's first answer;
* **people inside each hazard zone** — at every sample time, each person's last reported position (a
  person who has mustered is at their assembly point when the plant is known, else counted out), tested
  against the zones of the assessment in force (the last ``hazard.assessed`` at or before t);
* **equipment linkage** — ``actuate`` commands done within their deadline (``expires_s`` after sending,
  else ``params.deadline_s``, else the linked task's deadline) over those sent;
* **evacuation accuracy** — of the people who mustered while an evacuation plan sent them to a point,
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
import shapely
from shapely.geometry import shape

from commandcenter.projections.replay import Tracks
from vocabulary.events import Draft, from_us, to_us

ALARM_LEVELS = ("warn", "alarm")
EVACUATE_KINDS = ("evacuate", "muster")
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
    """People accounted for against time."""

    basis: str  # evacuation_plan | evacuate_command | on_site | none
    expected: int
    mustered_s: list[float]  # arrival times of the expected people who mustered, sorted
    others: int  # mustered people who were not expected
    missing: list[str]
    by_point: dict[str, int]
    t90_s: float | None
    t100_s: float | None


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
    """Evacuation accuracy: mustered at the point the plan sent them to."""

    planned: int
    mustered_with_plan: int
    correct: int
    wrong: list[dict[str, str]]
    not_mustered: int
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
            "overrun_s": _r(self.overrun_s),
            "muster_expected": self.muster.expected, "mustered": len(self.muster.mustered_s),
            "muster_90_s": _r(self.muster.t90_s), "muster_100_s": _r(self.muster.t100_s),
            "ack_median_s": _r(_median(self.latencies.command_s + self.latencies.task_s)),
            "linkage_rate": _r(self.linkage.rate), "actuate_sent": self.linkage.sent,
            "evacuation_accuracy": _r(self.accuracy.accuracy),
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


def _r(v: float | None) -> float | None:
    return None if v is None else round(float(v), 3)


def _median(v: list[float]) -> float | None:
    return float(np.median(v)) if v else None


def _iso_us(text: Any) -> int | None:
    if not isinstance(text, str):
        return None
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        return None
    return to_us(t)


def _drafts_for_evaluation(records: list[Any], tz: dt.tzinfo) -> list[Draft]:
    """Task events as drafts for :func:`plans.evaluation.evaluate`: steps recorded without an incident id get
    the launch's (a log holds one incident), and assignments given only ``deadline_s`` get the absolute
    deadline it implies."""
    launch = next((r for r in records if r.type == "plan.launched"), None)
    if launch is None:
        return []
    iid = launch.payload.get("incident_id") or "incident"
    out = [Draft("plan.launched", from_us(launch.t_us, tz), {**launch.payload, "incident_id": iid})]
    for r in records:
        if not r.type.startswith("task.") or "task_id" not in r.payload:
            continue
        p = dict(r.payload)
        p.setdefault("incident_id", iid)
        if not p.get("incident_id"):
            p["incident_id"] = iid
        t = from_us(r.t_us, tz)
        if r.type == "task.assigned" and not p.get("deadline") and isinstance(p.get("deadline_s"), (int, float)):
            p["deadline"] = (t + dt.timedelta(seconds=float(p["deadline_s"]))).isoformat()
        out.append(Draft(r.type, t, p))
    return out


def evaluate_steps(records: list[Any], tz: dt.tzinfo) -> tuple[list[Step], list[str], float | None,
                                                                   list[dict[str, Any]]]:
    """Each plan step against its deadline, the critical path, the overrun (s) and the silent assignments."""
    from plans.evaluation import evaluate

    drafts = _drafts_for_evaluation(records, tz)
    if not drafts:
        return [], [], None, []
    ev = evaluate(drafts)
    delays = {x["task_id"]: x for x in ev["late_steps"]}
    steps = []
    for row in ev["tasks"]:
        d = delays.get(row["task_id"], {})
        steps.append(Step(
            task_id=row["task_id"], title=row["title"], kind=row["kind"], level=row["level"],
            assignees=[a for a in row["assignees"] if a], created_us=_iso_us(row["created"]),
            deadline_us=_iso_us(row["deadline"]), acknowledged_us=_iso_us(row["acknowledged"]),
            finished_us=_iso_us(row["finished"]), outcome=row["outcome"], late_s=row["late_s"],
            on_time=row["on_time"], overdue=bool(row["overdue"]), delayed_end_s=float(d.get("delayed_end_s", 0.0)),
            on_critical_path=bool(d.get("on_critical_path", row["task_id"] in ev["critical_path"]))))
    steps.sort(key=lambda s: (s.deadline_us if s.deadline_us is not None else 2**62, s.created_us or 0, s.task_id))
    return steps, list(ev["critical_path"]), ev["overrun_s"], list(ev["unanswered"])


def _key_times(records: list[Any], t0: int, muster: Muster, steps: list[Step]) -> list[KeyTime]:
    out: list[KeyTime] = []

    def add(key: str, t_us: int | None, detail: str = "") -> None:
        if t_us is not None:
            out.append(KeyTime(key, int(t_us), (t_us - t0) / 1e6, detail))

    def first(pred) -> Any:  # type: ignore[no-untyped-def]
        return next((r for r in records if pred(r)), None)

    add("opened", t0)
    a = first(lambda r: (r.type == "sensor.alarm" and r.payload.get("level") in ALARM_LEVELS)
              or r.type == "alarm.raised")
    if a is not None:
        add("first_alarm", a.t_us, str(a.payload.get("sensor_id") or a.payload.get("alarm_id") or ""))
    c = first(lambda r: r.type == "alarm.confirmed")
    if c is not None:
        add("alarm_confirmed", c.t_us, str(c.payload.get("by") or ""))
    launch = first(lambda r: r.type == "plan.launched")
    if launch is not None:
        add("launched", launch.t_us, f"{launch.payload.get('plan_id')} {launch.payload.get('level')}")
    for r in records:
        if r.type == "level.changed":
            add(f"level:{r.payload['to']}", r.t_us, str(r.payload.get("reason") or ""))
    cmd = first(lambda r: r.type == "command.sent")
    if cmd is not None:
        add("first_command", cmd.t_us, str(cmd.payload.get("kind") or ""))
    hz = first(lambda r: r.type == "hazard.assessed")
    if hz is not None:
        add("first_assessment", hz.t_us, str(hz.payload.get("substance") or ""))
    ev = first(lambda r: r.type == "evacuation.planned")
    if ev is not None:
        add("evacuation_planned", ev.t_us, str(ev.payload.get("method") or ""))
    if muster.t90_s is not None:
        add("muster_90", t0 + int(muster.t90_s * 1e6), f"{math.ceil(0.9 * muster.expected)}/{muster.expected}")
    if muster.t100_s is not None:
        add("muster_100", t0 + int(muster.t100_s * 1e6), f"{muster.expected}/{muster.expected}")
    finished = [s.finished_us for s in steps if s.finished_us is not None]
    if steps and len(finished) == len(steps):
        add("steps_done", max(finished), str(len(steps)))
    closed = first(lambda r: r.type == "incident.closed")
    if closed is not None:
        add("closed", closed.t_us, str(closed.payload.get("reason") or ""))
    out.sort(key=lambda k: k.t_us)  # stable: the definition order breaks ties (90 % before 100 %)
    return out


def _as_list(v: Any) -> list[str]:
    if v is None:
        return []
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def muster_of(records: list[Any], t0: int, people_seen: Iterable[str]) -> Muster:
    """The muster curve's data (see the module docstring for who is expected)."""
    planned: set[str] = set()
    has_plan = False
    ordered: set[str] = set()
    responders: set[str] = set()
    mustered: dict[str, tuple[int, str]] = {}
    on_site = set(people_seen)
    for r in records:
        p = r.payload
        if r.type == "evacuation.planned":
            has_plan = True
            planned |= {str(x.get("person_id")) for x in p.get("people") or [] if isinstance(x, dict)}
            planned |= {str(x.get("person_id") or x.get("id")) for x in p.get("unroutable") or []
                        if isinstance(x, dict) and (x.get("person_id") or x.get("id"))}
        elif r.type == "command.sent" and p.get("kind") in EVACUATE_KINDS:
            ordered |= set(_as_list(p.get("to")))
        elif r.type == "task.acknowledged" and p.get("person_id"):
            responders.add(str(p["person_id"]))
        elif r.type == "person.mustered":
            mustered.setdefault(str(p["person_id"]), (r.t_us, str(p["assembly_point_id"])))
            on_site.add(str(p["person_id"]))
        elif r.type in ("person.added", "person.sos") or (r.type == "person.badged" and p.get("direction") == "in"):
            on_site.add(str(p["person_id"]))
    if has_plan:
        basis, expected = "evacuation_plan", planned - responders
    elif ordered:
        basis, expected = "evacuate_command", ordered
    elif on_site:
        basis, expected = "on_site", on_site
    else:
        basis, expected = "none", set()
    times = sorted((mustered[p][0] - t0) / 1e6 for p in expected if p in mustered)
    by_point: dict[str, int] = {}
    for _t, ap in mustered.values():
        by_point[ap] = by_point.get(ap, 0) + 1
    n = len(expected)

    def when(frac: float) -> float | None:
        need = max(1, math.ceil(frac * n - 1e-9)) if n else 0
        return times[need - 1] if n and len(times) >= need else None

    return Muster(basis, n, times, sum(1 for p in mustered if p not in expected),
                  sorted(p for p in expected if p not in mustered), by_point, when(0.9), when(1.0))


def latencies_of(records: list[Any]) -> Latencies:
    """Acknowledgement latencies of commands and task assignments (see the module docstring)."""
    sent: dict[str, tuple[int, list[str], str | None]] = {}
    acks: dict[tuple[str, str], int] = {}
    assigned: list[tuple[str, str, int]] = []
    answered: dict[tuple[str, str], list[int]] = {}
    for r in records:
        p = r.payload
        if r.type == "command.sent":
            sent.setdefault(str(p["command_id"]), (r.t_us, _as_list(p.get("to")), p.get("kind")))
        elif r.type == "command.acknowledged" and p.get("person_id"):
            acks.setdefault((str(p["command_id"]), str(p["person_id"])), r.t_us)
        elif r.type == "task.assigned" and p.get("person_id"):
            assigned.append((str(p["task_id"]), str(p["person_id"]), r.t_us))
        elif r.type in ("task.acknowledged", "task.started", "task.done") and p.get("person_id"):
            answered.setdefault((str(p["task_id"]), str(p["person_id"])), []).append(r.t_us)
    cmd_lat, rows, cmd_silent = [], [], 0
    for cid, (t, to, kind) in sent.items():
        lat = [(acks[(cid, who)] - t) / 1e6 for who in to if (cid, who) in acks]
        silent = sum(1 for who in to if (cid, who) not in acks)
        cmd_lat += lat
        cmd_silent += silent
        rows.append({"command_id": cid, "kind": kind, "sent_us": t, "recipients": len(to), "acked": len(lat),
                     "median_s": _median(lat), "max_s": max(lat) if lat else None})
    task_lat, task_silent = [], 0
    for tid, who, t in assigned:
        later = [x for x in answered.get((tid, who), []) if x >= t]
        if later:
            task_lat.append((min(later) - t) / 1e6)
        else:
            task_silent += 1
    rows.sort(key=lambda r: (r["sent_us"], r["command_id"]))
    return Latencies(cmd_lat, task_lat, cmd_silent, task_silent, rows)


def _zone_polys(zones: list[Any]) -> list[tuple[str, Any]]:
    out = []
    for z in zones or []:
        if not isinstance(z, dict):
            continue
        level = z.get("level") or (z.get("properties") or {}).get("level")
        try:
            geom = shape(z["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        out.append((str(level), geom if geom.is_valid else shapely.make_valid(geom)))
    return out


def _level_order(levels: Iterable[str]) -> list[str]:
    known = [lv for lv in ZONE_ORDER if lv in set(levels)]
    return known + sorted(set(levels) - set(ZONE_ORDER))


def _positions_at(tracks: Tracks, t_us: int, mustered: dict[str, tuple[int, str]],
                  aps: Mapping[str, AssemblyPoint]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Everyone's position at t: last report, or their assembly point once mustered (NaN when unknown);
    status 0 on site, 1 mustered."""
    x, y, _ = tracks.at(t_us)
    x, y = x.copy(), y.copy()
    status = np.zeros(len(tracks.ids), dtype=np.int8)
    for i, pid in enumerate(tracks.ids):
        m = mustered.get(pid)
        if m is not None and m[0] <= t_us:
            status[i] = 1
            ap = aps.get(m[1])
            x[i], y[i] = (ap.x, ap.y) if ap is not None else (np.nan, np.nan)
    return x, y, status


def zone_occupancy(records: list[Any], tracks: Tracks, t0: int, t_end: int, aps: Mapping[str, AssemblyPoint],
                   max_samples: int = 720) -> ZoneOccupancy | None:
    """People inside each hazard zone level over time (None without an assessment or positions)."""
    assessments = [(r.t_us, _zone_polys(r.payload.get("zones"))) for r in records if r.type == "hazard.assessed"]
    assessments = [a for a in assessments if a[1]]
    if not assessments or not len(tracks):
        return None
    start = assessments[0][0]
    step_us = max(5_000_000, math.ceil((t_end - start) / max_samples / 1e6) * 1_000_000)
    samples = np.arange(start, t_end + 1, step_us, dtype=np.int64)
    if samples[-1] != t_end:
        samples = np.append(samples, t_end)
    mustered_t = np.full(len(tracks.ids), np.iinfo(np.int64).max, dtype=np.int64)
    ap_x = np.full(len(tracks.ids), np.nan)
    ap_y = np.full(len(tracks.ids), np.nan)
    for r in records:
        if r.type == "person.mustered":
            i = tracks.index.get(str(r.payload["person_id"]))
            if i is not None and mustered_t[i] == np.iinfo(np.int64).max:
                mustered_t[i] = r.t_us
                ap = aps.get(str(r.payload["assembly_point_id"]))
                if ap is not None:
                    ap_x[i], ap_y[i] = ap.x, ap.y
    levels = _level_order({lv for _, polys in assessments for lv, _ in polys})
    counts = {lv: np.zeros(len(samples), dtype=np.int64) for lv in levels}
    a_times = np.array([a[0] for a in assessments], dtype=np.int64)
    which = np.searchsorted(a_times, samples, side="right") - 1
    for k, t in enumerate(samples.tolist()):
        x, y, _ = tracks.at(t)
        done = mustered_t <= t
        x = np.where(done, ap_x, x)
        y = np.where(done, ap_y, y)
        ok = np.isfinite(x) & np.isfinite(y)
        px, py = x[ok], y[ok]
        for lv, geom in assessments[which[k]][1]:
            counts[lv][k] += int(shapely.contains_xy(geom, px, py).sum())
    times = ((samples - t0) / 1e6).tolist()
    peak = {lv: (int(c.max()), float(times[int(c.argmax())])) for lv, c in counts.items()}
    return ZoneOccupancy(times, {lv: c.tolist() for lv, c in counts.items()}, peak)


def _deadline_of_command(p: dict[str, Any], t_us: int, task_deadlines: dict[str, int]) -> int | None:
    if isinstance(p.get("expires_s"), (int, float)):
        return t_us + int(float(p["expires_s"]) * 1e6)
    params = p.get("params") or {}
    if isinstance(params.get("deadline_s"), (int, float)):
        return t_us + int(float(params["deadline_s"]) * 1e6)
    tid = p.get("task_id")
    return task_deadlines.get(str(tid)) if tid else None


def linkage_of(records: list[Any], task_deadlines: dict[str, int]) -> Linkage:
    """Equipment linkage success (see the module docstring)."""
    cmds: dict[str, dict[str, Any]] = {}
    for r in records:
        p = r.payload
        if r.type == "command.sent" and p.get("kind") == "actuate" and str(p["command_id"]) not in cmds:
            params = p.get("params") or {}
            cmds[str(p["command_id"])] = {
                "command_id": str(p["command_id"]), "sent_us": r.t_us,
                "equipment_id": params.get("equipment_id") or p.get("equipment_id"),
                "action": params.get("action") or p.get("action"), "task_id": p.get("task_id"),
                "deadline_us": _deadline_of_command(p, r.t_us, task_deadlines), "done_us": None, "failed_us": None,
                "reason": None}
        elif r.type in ("command.done", "command.failed", "command.expired") and str(p["command_id"]) in cmds:
            c = cmds[str(p["command_id"])]
            if r.type == "command.done" and c["done_us"] is None:
                c["done_us"] = r.t_us
            elif r.type != "command.done" and c["failed_us"] is None and c["done_us"] is None:
                c["failed_us"], c["reason"] = r.t_us, p.get("reason") or r.type.split(".")[1]
    rows = []
    ok = late = failed = silent = 0
    for c in cmds.values():
        if c["done_us"] is not None:
            in_time = c["deadline_us"] is None or c["done_us"] <= c["deadline_us"]
            c["result"] = "done" if in_time else "late"
            ok += in_time
            late += not in_time
            c["latency_s"] = (c["done_us"] - c["sent_us"]) / 1e6
        elif c["failed_us"] is not None:
            c["result"], c["latency_s"] = "failed", None
            failed += 1
        else:
            c["result"], c["latency_s"] = "no_answer", None
            silent += 1
        rows.append(c)
    n = len(rows)
    return Linkage(n, ok, late, failed, silent, ok / n if n else None, rows)


def accuracy_of(records: list[Any]) -> Accuracy:
    """Evacuation accuracy against the plan in force when each person mustered."""
    plan: dict[str, str] = {}
    ever: set[str] = set()
    done: set[str] = set()
    correct, wrong = 0, []
    for r in records:
        p = r.payload
        if r.type == "evacuation.planned":
            plan = {str(x["person_id"]): str(x["assembly_point_id"]) for x in p.get("people") or []
                    if isinstance(x, dict) and x.get("person_id") and x.get("assembly_point_id")}
            ever |= set(plan)
        elif r.type == "person.mustered":
            pid = str(p["person_id"])
            if pid in done or pid not in plan:
                continue
            done.add(pid)
            if plan[pid] == str(p["assembly_point_id"]):
                correct += 1
            else:
                wrong.append({"person_id": pid, "sent_to": plan[pid], "reached": str(p["assembly_point_id"])})
    n = len(done)
    return Accuracy(len(ever), n, correct, wrong, len(ever - done), correct / n if n else None)


def _evidence_items(records: list[Any], checks: Mapping[str, tuple[str, str | None]]) -> list[EvidenceItem]:
    out = []
    for r in records:
        if r.type != "evidence.received":
            continue
        p = r.payload
        sha = str(p["sha256"]).lower()
        status, file = checks.get(sha, ("missing", None))
        out.append(EvidenceItem(sha, r.t_us, p.get("task_id"), p.get("person_id"), p.get("caption"),
                                p.get("mime"), status, file))
    return out


def audit_of(steps: list[Step], linkage: Linkage, evidence: list[EvidenceItem]) -> list[AuditRow]:
    """The compliance audit: every plan step and every actuate command with its evidence and timing."""
    by_task: dict[str, list[EvidenceItem]] = {}
    for e in evidence:
        if e.task_id:
            by_task.setdefault(str(e.task_id), []).append(e)
    rows = []
    for s in steps:
        ev = by_task.get(s.task_id, [])
        required = bool(s.evidence_required)
        in_time = None if s.finished_us is None or s.deadline_us is None else s.finished_us <= s.deadline_us
        rows.append(AuditRow(s.task_id, s.kind, s.title, s.deadline_us, s.finished_us if s.outcome == "done" else None,
                             in_time if s.outcome == "done" else None, ev, required,
                             _audit_status(s.outcome == "done", in_time, s.deadline_us, ev, required)))
    for c in linkage.rows:
        ev = by_task.get(str(c["task_id"]), []) if c.get("task_id") else []
        in_time = None if c["done_us"] is None or c["deadline_us"] is None else c["done_us"] <= c["deadline_us"]
        title = " ".join(str(v) for v in (c.get("equipment_id"), c.get("action")) if v) or c["command_id"]
        rows.append(AuditRow(c["command_id"], "actuate", title, c["deadline_us"], c["done_us"], in_time, ev, False,
                             _audit_status(c["done_us"] is not None, in_time, c["deadline_us"], ev, False)))
    return rows


def _audit_status(done: bool, in_time: bool | None, deadline: int | None, ev: list[EvidenceItem],
                  required: bool) -> str:
    if any(e.status in ("mismatch", "unreadable") for e in ev):
        return "evidence_mismatch"
    if not done:
        return "not_done"
    if deadline is None:
        return "no_deadline"
    if in_time is False:
        return "late"
    if (required and not ev) or any(e.status == "missing" for e in ev):
        return "evidence_missing"
    return "compliant"


def findings_of(steps: list[Step], unanswered: list[dict[str, Any]], muster: Muster, accuracy: Accuracy,
                linkage: Linkage, evidence: list[EvidenceItem], records: list[Any], t0: int) -> list[Finding]:
    """Late steps ranked by the end delay each caused, then the other problems by magnitude."""
    out = [Finding("late_step", s.delayed_end_s, float(s.late_s or 0.0),
                   {"task_id": s.task_id, "title": s.title, "late_s": s.late_s, "delayed_end_s": s.delayed_end_s,
                    "critical": s.on_critical_path})
           for s in steps if s.late_s is not None and s.late_s > 0]
    silent: dict[str, list[dict[str, Any]]] = {}
    for u in unanswered:
        silent.setdefault(str(u["task_id"]), []).append(u)
    for tid, us in silent.items():
        out.append(Finding("silent_assignees", 0.0, max(float(u["silent_s"]) for u in us),
                           {"task_id": tid, "people": [str(u["person_id"]) for u in us],
                            "silent_s": max(float(u["silent_s"]) for u in us)}))
    t_end = max((r.t_us for r in records), default=t0)
    for s in steps:
        if s.outcome == "open":
            over = None if s.deadline_us is None else (t_end - s.deadline_us) / 1e6
            out.append(Finding("step_not_done", 0.0, 1e9 + (over or 0.0),
                               {"task_id": s.task_id, "title": s.title, "overdue_s": over}))
    if muster.missing:
        out.append(Finding("not_accounted", 0.0, float(len(muster.missing)),
                           {"count": len(muster.missing), "people": muster.missing[:20], "expected": muster.expected}))
    if accuracy.wrong:
        out.append(Finding("wrong_assembly_point", 0.0, float(len(accuracy.wrong)),
                           {"count": len(accuracy.wrong), "people": accuracy.wrong[:20]}))
    bad_link = [r for r in linkage.rows if r["result"] != "done"]
    if bad_link:
        out.append(Finding("linkage_failed", 0.0, float(len(bad_link)),
                           {"count": len(bad_link), "commands": [r["command_id"] for r in bad_link][:20]}))
    bad_ev = [e for e in evidence if e.status != "verified"]
    if bad_ev:
        out.append(Finding("evidence_not_verified", 0.0, float(len(bad_ev)) * 1e6,
                           {"count": len(bad_ev), "items": [{"sha256": e.sha256[:12], "status": e.status,
                                                             "task_id": e.task_id} for e in bad_ev][:20]}))
    for r in records:
        if r.type == "person.sos":
            out.append(Finding("sos", 0.0, 0.0, {"person_id": r.payload["person_id"], "t_s": (r.t_us - t0) / 1e6,
                                                 "text": r.payload.get("text")}))
    out.sort(key=lambda f: (-f.delay_s, f.code != "late_step", -f.magnitude, f.code))
    return out


def snapshot_times(key_times: list[KeyTime], t0: int, t_end: int, limit: int = 4) -> list[tuple[str, int]]:
    """The moments the map is drawn at, at most ``limit``: the launch (else the first alarm), the first hazard
    assessment, 90 % accounted for (else the middle) and the end; moments closer than 1/20 of the incident
    (at least 5 s) to an earlier one are dropped."""
    have = {k.key: k.t_us for k in key_times}
    picks = [("launched", have["launched"]) if "launched" in have else
             ("first_alarm", have["first_alarm"]) if "first_alarm" in have else ("opened", t0)]
    if "first_assessment" in have:
        picks.append(("first_assessment", have["first_assessment"]))
    picks.append(("muster_90", have["muster_90"]) if "muster_90" in have else ("middle", (t0 + t_end) // 2))
    picks.sort(key=lambda kt: kt[1])
    gap = max(5_000_000, (t_end - t0) // 20)
    out: list[tuple[str, int]] = []
    for k, t in picks:
        if out and t - out[-1][1] < gap:
            out[-1] = (k, t)  # too close: the later picture shows more (the zones just computed, …)
        else:
            out.append((k, t))
    out = out[: limit - 1]
    if out and t_end - out[-1][1] < gap:
        out.pop()
    return [*out, ("end", t_end)]


def snapshot_at(key: str, t_us: int, records: list[Any], tracks: Tracks, aps: Mapping[str, AssemblyPoint]
                ) -> Snapshot:
    """Who is where at ``t_us``, with the zones, routes and alarms in force."""
    mustered: dict[str, tuple[int, str]] = {}
    sos: set[str] = set()
    zones: list[dict[str, Any]] = []
    zones_t: int | None = None
    routes: dict[str, list[int]] = {}
    alarms: dict[str, bool] = {}
    for r in records:
        if r.t_us > t_us:
            break
        p = r.payload
        if r.type == "person.mustered":
            mustered.setdefault(str(p["person_id"]), (r.t_us, str(p["assembly_point_id"])))
        elif r.type == "person.sos":
            sos.add(str(p["person_id"]))
        elif r.type == "hazard.assessed":
            zones = [{"level": lv, "geometry": shapely.geometry.mapping(g)} for lv, g in _zone_polys(p.get("zones"))]
            zones_t = r.t_us
        elif r.type == "evacuation.planned":
            routes = {}
            for row in p.get("people") or []:
                if isinstance(row, dict) and row.get("assembly_point_id"):
                    routes.setdefault(str(row["assembly_point_id"]), []).extend(int(e) for e in row.get("edges") or [])
            routes = {ap: sorted(set(v)) for ap, v in routes.items()}
        elif r.type == "sensor.alarm":
            alarms[str(p["sensor_id"])] = p.get("level") in ALARM_LEVELS
    x, y, status = _positions_at(tracks, t_us, mustered, aps)
    for i, pid in enumerate(tracks.ids):
        if pid in sos and status[i] == 0:
            status[i] = 2
    return Snapshot(key, t_us, x, y, status, zones, routes, sorted(s for s, on in alarms.items() if on), zones_t)


def trend_point(incident_id: str, title: str, exercise: bool, records: list[Any], tz: dt.tzinfo,
                current: bool = False) -> TrendPoint:
    """The headline figures of one drill of the plan (no positions needed)."""
    t0 = records[0].t_us
    launch = next((r for r in records if r.type == "plan.launched"), None)
    steps, _path, overrun, _silent = evaluate_steps(records, tz)
    timed = [s for s in steps if s.on_time is not None]
    m = muster_of(records, t0, ())
    link = linkage_of(records, {s.task_id: s.deadline_us for s in steps if s.deadline_us is not None})
    return TrendPoint(incident_id, title, t0, exercise, None if launch is None else (launch.t_us - t0) / 1e6,
                      m.t100_s, (sum(1 for s in timed if s.on_time) / len(timed)) if timed else None, overrun,
                      link.rate, accuracy_of(records).accuracy, current)


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
    muster = muster_of(records, t0, tracks.ids)
    lat = latencies_of(records)
    keys = _key_times(records, t0, muster, steps)
    link = linkage_of(records, {s.task_id: s.deadline_us for s in steps if s.deadline_us is not None})
    acc = accuracy_of(records)
    evidence = _evidence_items(records, evidence_checks or {})
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
        alarm_times=alarm_times)
