"""Drill figures from an incident's events alone — a simulated drill's log or a real one's.

All times are seconds after the incident opened (the drill's start, when the release begins):

* ``detection_s`` — the first detector alarm (``sensor.alarm`` at ``warn`` or ``alarm``, or an
  ``alarm.raised``);
* ``launch_s`` — the first ``plan.launched``;
* ``all_acks_s`` — when the last task assigned got its first answer (acknowledged, started or done);
  null while any assigned task never got one (listed in ``unacknowledged``);
* ``people`` — the population statement of the after-action report, the same groups under the same names
  (:mod:`plans.population`, the one definition both read): ``on_site``, ``ordered``, ``walk_ups``,
  ``to_account_for`` (ordered ∪ walk-ups), ``mustered``, ``on_task`` (answered a task and never mustered),
  ``not_accounted_for`` (mustered + on_task + not_accounted_for = to_account_for) and
  ``mustered_not_ordered``; the four of the group are repeated at the top level;
* ``accounted_90_s`` / ``accounted_100_s`` — when 90 % / all of the group to account for were accounted for
  (each from their first muster or first task answer; null while fewer ever were): the report's 90 % /
  100 % (its ``muster_90_s`` / ``muster_100_s``). ``mustered_90_s`` / ``mustered_100_s`` are the same
  figures under their older names, which the batch summaries and scripts read;
* ``tasks`` — each task against its deadline, the critical path and the late steps ranked by how much
  of the end's delay they caused (:func:`plans.evaluation.evaluate`);
* ``exposed`` — who exceeded the exposure guideline (``exposure.assessed``).
"""

from __future__ import annotations

from typing import Any

from plans.evaluation import evaluate
from plans.population import population_of_events
from vocabulary.events import Draft, to_us


def _drafts(events: list[Any]) -> list[Draft]:
    """Drafts of ``events``; task steps recorded without an ``incident_id`` (a log holds one incident) get the
    launched plan's, as the plans engine read them."""
    out = [e if isinstance(e, Draft) else Draft(e.type, e.time, dict(e.payload)) for e in events]
    iid = next((d.payload.get("incident_id") for d in out if d.type == "plan.launched"), None)
    if iid is None:
        return out
    return [Draft(d.type, d.time, {**d.payload, "incident_id": iid})
            if d.type.startswith("task.") and not d.payload.get("incident_id") else d for d in out]


def _r(v: float | None) -> float | None:
    return None if v is None else round(float(v), 3)


def drill_metrics(events: list[Any]) -> dict[str, Any]:
    """The figures of one incident (see the module docstring) from its events in log order."""
    evs = _drafts(events)
    if not evs:
        raise ValueError("no events")
    t0 = evs[0].time

    def s(e: Draft) -> float:
        return (e.time - t0).total_seconds()

    def first(pred) -> float | None:  # type: ignore[no-untyped-def]
        return next((s(e) for e in evs if pred(e)), None)

    detection = first(lambda e: (e.type == "sensor.alarm" and e.payload.get("level") in ("warn", "alarm"))
                      or e.type == "alarm.raised")
    launch = first(lambda e: e.type == "plan.launched")
    assigned: dict[str, float] = {}
    answered: dict[str, float] = {}
    for e in evs:
        tid = e.payload.get("task_id")
        if tid is None:
            continue
        if e.type == "task.assigned":
            assigned.setdefault(str(tid), s(e))
        elif e.type in ("task.acknowledged", "task.started", "task.done"):
            answered.setdefault(str(tid), s(e))
    unacked = sorted(t for t in assigned if t not in answered)
    all_acks = max((answered[t] for t in assigned), default=None) if assigned and not unacked else None
    pop = population_of_events(evs)
    people = pop.counts()
    t0_us = to_us(t0)
    accounted = {f: pop.accounted_by(f) for f in (0.9, 1.0)}
    accounted_s = {f: None if t is None else (t - t0_us) / 1e6 for f, t in accounted.items()}
    exposure = next((e.payload for e in reversed(evs) if e.type == "exposure.assessed"), None)
    try:
        tasks = evaluate(evs)
    except ValueError:
        tasks = None
    return {
        "detection_s": _r(detection),
        "launch_s": _r(launch),
        "all_acks_s": _r(all_acks),
        "launch_to_all_acks_s": _r(all_acks - launch) if all_acks is not None and launch is not None else None,
        "unacknowledged": unacked,
        "tasks_assigned": len(assigned),
        "people": people,
        **{k: people[k] for k in ("to_account_for", "mustered", "on_task", "not_accounted_for")},
        "accounted_90_s": _r(accounted_s[0.9]),
        "accounted_100_s": _r(accounted_s[1.0]),
        "mustered_90_s": _r(accounted_s[0.9]),
        "mustered_100_s": _r(accounted_s[1.0]),
        "tasks": [] if tasks is None else [
            {k: r[k] for k in ("task_id", "kind", "level", "outcome", "actual_s", "planned_s", "late_s", "on_time",
                               "overdue", "assignees")} for r in tasks["tasks"]],
        "critical_path": [] if tasks is None else tasks["critical_path"],
        "late_steps": [] if tasks is None else [
            {k: r[k] for k in ("task_id", "late_s", "delayed_end_s", "on_critical_path")} for r in tasks["late_steps"]],
        "overrun_s": None if tasks is None else _r(tasks["overrun_s"]),
        "unfinished_tasks": [] if tasks is None else tasks["unfinished"],
        "exposure_guideline": None if exposure is None else exposure.get("guideline"),
        "people_exposed": 0 if exposure is None else len(exposure.get("people", [])),
        "people_over_guideline": 0 if exposure is None else len(exposure.get("exceeded", [])),
        "over_guideline": [] if exposure is None else list(exposure.get("exceeded", [])),
    }
