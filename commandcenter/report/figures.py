"""The report's figures from the events (pure): plan steps against deadlines, key times, the muster curve,
acknowledgement latencies, equipment linkage, evacuation accuracy, the compliance audit, findings and a
drill's trend point. Definitions: :mod:`commandcenter.report.model`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from commandcenter.report.data import (
    Accuracy,
    AuditRow,
    EvidenceItem,
    Finding,
    KeyTime,
    Latencies,
    Linkage,
    Muster,
    Step,
    TrendPoint,
)
from plans.population import ALARM_LEVELS, ANSWERS, Population, population_of
from vocabulary.events import Draft, from_us, to_us


def round3(v: float | None) -> float | None:
    return None if v is None else round(float(v), 3)


def median_or_none(v: list[float]) -> float | None:
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


def key_times_of(records: list[Any], t0: int, muster: Muster, steps: list[Step]) -> list[KeyTime]:
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


def muster_of(records: list[Any], t0: int, people_seen: Iterable[str] = (),
              population: Population | None = None) -> Muster:
    """The muster curve's data: the group to account for (:func:`plans.population.population_of`) against
    time, in seconds after ``t0`` (µs); the 90 % and 100 % times are
    :meth:`plans.population.Population.accounted_by`'s."""
    pop = population if population is not None else population_of(records, people_seen)
    by_point: dict[str, int] = {}
    for _t, ap in pop.mustered.values():
        by_point[ap] = by_point.get(ap, 0) + 1

    def since_t0(t_us: int | None) -> float | None:
        return None if t_us is None else (t_us - t0) / 1e6

    return Muster(pop.ordered_basis, len(pop.group), sorted((t - t0) / 1e6 for t, _ap in pop.mustered.values()),
                  len(pop.mustered_not_ordered), list(pop.unaccounted), by_point,
                  since_t0(pop.accounted_by(0.9)), since_t0(pop.accounted_by(1.0)),
                  sorted((t - t0) / 1e6 for t in pop.on_task.values()),
                  sorted((t - t0) / 1e6 for t in pop.accounted_us.values()))


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
        elif r.type in ANSWERS and p.get("person_id"):
            answered.setdefault((str(p["task_id"]), str(p["person_id"])), []).append(r.t_us)
    cmd_lat, rows, cmd_silent = [], [], 0
    for cid, (t, to, kind) in sent.items():
        lat = [(acks[(cid, who)] - t) / 1e6 for who in to if (cid, who) in acks]
        silent = sum(1 for who in to if (cid, who) not in acks)
        cmd_lat += lat
        cmd_silent += silent
        rows.append({"command_id": cid, "kind": kind, "sent_us": t, "recipients": len(to), "acked": len(lat),
                     "median_s": median_or_none(lat), "max_s": max(lat) if lat else None})
    task_lat, task_silent = [], 0
    for tid, who, t in assigned:
        later = [x for x in answered.get((tid, who), []) if x >= t]
        if later:
            task_lat.append((min(later) - t) / 1e6)
        else:
            task_silent += 1
    rows.sort(key=lambda r: (r["sent_us"], r["command_id"]))
    return Latencies(cmd_lat, task_lat, cmd_silent, task_silent, rows)


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


def accuracy_of(records: list[Any], group: Iterable[str] | None = None) -> Accuracy:
    """Evacuation accuracy against the plan in force when each person mustered, over the people of ``group``
    (the population's group to account for; None: everyone)."""
    members = None if group is None else set(group)
    plan: dict[str, str] = {}
    ever: set[str] = set()
    done: set[str] = set()
    correct, wrong = 0, []
    for r in records:
        p = r.payload
        if r.type == "evacuation.planned":
            plan = {str(x["person_id"]): str(x["assembly_point_id"]) for x in p.get("people") or []
                    if isinstance(x, dict) and x.get("person_id") and x.get("assembly_point_id")
                    and (members is None or str(x["person_id"]) in members)}
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


def evidence_items(records: list[Any], checks: Mapping[str, tuple[str, str | None]]) -> list[EvidenceItem]:
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


def trend_point(incident_id: str, title: str, exercise: bool, records: list[Any], tz: dt.tzinfo,
                current: bool = False) -> TrendPoint:
    """The headline figures of one drill of the plan (no positions needed)."""
    t0 = records[0].t_us
    launch = next((r for r in records if r.type == "plan.launched"), None)
    steps, _path, overrun, _silent = evaluate_steps(records, tz)
    timed = [s for s in steps if s.on_time is not None]
    pop = population_of(records)
    m = muster_of(records, t0, population=pop)
    link = linkage_of(records, {s.task_id: s.deadline_us for s in steps if s.deadline_us is not None})
    return TrendPoint(incident_id, title, t0, exercise, None if launch is None else (launch.t_us - t0) / 1e6,
                      m.t100_s, (sum(1 for s in timed if s.on_time) / len(timed)) if timed else None, overrun,
                      link.rate, accuracy_of(records, pop.group).accuracy, current)
