"""After-action evaluation of a finished incident from its events alone.

For every task: when it was assigned, acknowledged, started and finished against its deadline;
the critical path (from the last task to finish, back through the dependency that finished last);
late steps ranked by how much of the end's delay they caused; assignments nobody answered.

Delay rule: along the critical path each step's share of the end's delay is the lateness it added
— its own lateness against its deadline minus the (positive) lateness of the step before it on the
path, floored at 0 — so a step that was late only because its predecessor was late is not blamed,
and the shares add up to the overrun of the last step. Steps off the critical path delayed the end
by 0 s. Times in seconds; all outputs JSON-serialisable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from vocabulary import events as ev
from vocabulary.events import Draft


@dataclass
class _Track:
    task_id: str
    kind: str = "task"
    title: dict = field(default_factory=dict)
    level: str | None = None
    created: dt.datetime | None = None
    deadline: dt.datetime | None = None
    depends_on: list[str] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    acknowledged: dt.datetime | None = None
    started: dt.datetime | None = None
    finished: dt.datetime | None = None
    outcome: str = "open"  # open | done | skipped
    overdue: bool = False


def _as_event(e: Draft | dict) -> Draft:
    return e if isinstance(e, Draft) else Draft.from_dict(e)


def _iso(t: dt.datetime | None) -> str | None:
    return None if t is None else t.isoformat()


def evaluate(events: list[Draft | dict], incident_id: str | None = None) -> dict[str, Any]:
    """Evaluate one incident (the first launched one when ``incident_id`` is None) from its events
    (Draft or their ``to_dict`` form, in log order). Returns a dict: ``incident_id``, ``plan_id``,
    ``launched_at``, ``ended_at``, ``duration_s``, ``planned_end``, ``overrun_s``, ``tasks`` (one row each),
    ``critical_path`` (task ids), ``late_steps`` (ranked), ``unanswered`` (assignments), ``unfinished``."""
    evs = [_as_event(e) for e in events]
    launch = next((e for e in evs if e.type == ev.PLAN_LAUNCHED
                   and (incident_id is None or e.payload.get("incident_id") == incident_id)), None)
    if launch is None:
        raise ValueError(f"no plan.launched event{'' if incident_id is None else f' for incident {incident_id}'}")
    iid = launch.payload["incident_id"]
    tracks: dict[str, _Track] = {}
    for e in evs:
        p = e.payload
        if p.get("incident_id") != iid or "task_id" not in p:
            continue
        tr = tracks.setdefault(p["task_id"], _Track(p["task_id"]))
        if e.type == ev.TASK_ASSIGNED:
            if tr.created is None:
                tr.kind, tr.title, tr.level = p.get("kind", "task"), p.get("title") or {}, p.get("level")
                tr.created = dt.datetime.fromisoformat(p["created"]) if p.get("created") else e.time
                tr.deadline = dt.datetime.fromisoformat(p["deadline"]) if p.get("deadline") else None
                tr.depends_on = list(p.get("depends_on") or [])
            tr.assignments.append({"person_id": p.get("person_id"), "at": e.time, "answered_at": None})
        elif e.type in (ev.TASK_ACKNOWLEDGED, ev.TASK_STARTED, ev.TASK_DONE, ev.TASK_SKIPPED):
            who = p.get("person_id")
            for a in reversed(tr.assignments):
                if a["person_id"] == who and a["answered_at"] is None:
                    a["answered_at"] = e.time
                    break
            if e.type == ev.TASK_ACKNOWLEDGED and tr.acknowledged is None:
                tr.acknowledged = e.time
            elif e.type == ev.TASK_STARTED and tr.started is None:
                tr.started = e.time
            elif e.type in (ev.TASK_DONE, ev.TASK_SKIPPED) and tr.finished is None:
                tr.finished, tr.outcome = e.time, ("done" if e.type == ev.TASK_DONE else "skipped")
        elif e.type == ev.TASK_OVERDUE:
            tr.overdue = True
    return _report(launch, iid, tracks, evs)


def _report(launch: Draft, iid: str, tracks: dict[str, _Track], evs: list[Draft]) -> dict[str, Any]:
    t0 = launch.time
    rows = []
    for tr in tracks.values():
        late = None if tr.finished is None or tr.deadline is None else (tr.finished - tr.deadline).total_seconds()
        rows.append({
            "task_id": tr.task_id, "kind": tr.kind, "title": tr.title, "level": tr.level, "outcome": tr.outcome,
            "created": _iso(tr.created), "deadline": _iso(tr.deadline), "acknowledged": _iso(tr.acknowledged),
            "started": _iso(tr.started), "finished": _iso(tr.finished),
            "actual_s": None if tr.finished is None else (tr.finished - t0).total_seconds(),
            "planned_s": None if tr.deadline is None else (tr.deadline - t0).total_seconds(),
            "late_s": late, "on_time": None if late is None else late <= 0, "overdue": tr.overdue,
            "assignees": [a["person_id"] for a in tr.assignments],
        })
    finished = {k: t for k, t in tracks.items() if t.finished is not None and t.outcome == "done"}
    path = _critical_path(finished)
    own = _own_delays(path, finished)
    late_steps = sorted(
        ({"task_id": r["task_id"], "title": r["title"], "late_s": r["late_s"],
          "delayed_end_s": own.get(r["task_id"], 0.0), "on_critical_path": r["task_id"] in own}
         for r in rows if r["late_s"] is not None and r["late_s"] > 0),
        key=lambda x: (-x["delayed_end_s"], -x["late_s"], x["task_id"]))
    end = max((t.finished for t in tracks.values() if t.finished), default=None)
    planned_end = max((t.deadline for t in finished.values() if t.deadline), default=None)
    last_time = evs[-1].time if evs else t0
    unanswered = []
    for tr in tracks.values():
        for i, a in enumerate(tr.assignments):
            if a["answered_at"] is None and a["person_id"] is not None:
                until = tr.assignments[i + 1]["at"] if i + 1 < len(tr.assignments) else (tr.finished or last_time)
                unanswered.append({"task_id": tr.task_id, "person_id": a["person_id"], "assigned_at": _iso(a["at"]),
                                   "silent_s": (until - a["at"]).total_seconds(),
                                   "reassigned": i + 1 < len(tr.assignments)})
    return {
        "incident_id": iid, "plan_id": launch.payload.get("plan_id"), "level": launch.payload.get("level"),
        "launched_at": _iso(t0), "ended_at": _iso(end),
        "duration_s": None if end is None else (end - t0).total_seconds(),
        "planned_end": _iso(planned_end),
        "overrun_s": None if end is None or planned_end is None else (end - planned_end).total_seconds(),
        "tasks": rows, "critical_path": path, "late_steps": late_steps, "unanswered": unanswered,
        "unfinished": [t.task_id for t in tracks.values() if t.finished is None],
    }


def _critical_path(finished: dict[str, _Track]) -> list[str]:
    """Task ids from first to last along the chain that ends with the last finish, going back each
    time through the dependency that finished last."""
    if not finished:
        return []
    depth: dict[str, int] = {}

    def chain(tid: str, seen: frozenset = frozenset()) -> int:
        if tid not in depth:
            deps = [d for d in finished[tid].depends_on if d in finished and d not in seen]
            depth[tid] = 1 + max((chain(d, seen | {tid}) for d in deps), default=0)
        return depth[tid]

    # the last to finish; on a tie, the one at the end of the longest dependency chain
    cur = max(finished.values(), key=lambda t: (t.finished, chain(t.task_id), t.task_id))
    path = [cur.task_id]
    seen = {cur.task_id}
    while True:
        deps = [finished[d] for d in cur.depends_on if d in finished and d not in seen]
        if not deps:
            break
        cur = max(deps, key=lambda t: (t.finished, t.task_id))
        path.append(cur.task_id)
        seen.add(cur.task_id)
    return path[::-1]


def _own_delays(path: list[str], finished: dict[str, _Track]) -> dict[str, float]:
    out, inherited = {}, 0.0
    for tid in path:
        t = finished[tid]
        late = (t.finished - t.deadline).total_seconds() if t.deadline else 0.0
        out[tid] = max(0.0, late - inherited)
        inherited = max(0.0, late)
    return out
