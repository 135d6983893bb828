"""The task board: every task's assignee, status (assigned → acknowledged → started → done/skipped),
overdue and escalation flags, and the time of each step (µs since the epoch, UTC)."""

from __future__ import annotations

from commandcenter.projections.base import Projection, State

_STATUS = {"task.acknowledged": "acknowledged", "task.started": "started", "task.done": "done",
           "task.skipped": "skipped"}


def _initial() -> State:
    return {"tasks": {}}


def _task(s: State, tid: str, t_us: int) -> dict:
    t = s["tasks"].get(tid)
    if t is None:  # a step for a task never assigned is kept, not dropped: the log is the truth
        t = s["tasks"][tid] = {"to": None, "title": None, "plan": None, "deadline_s": None, "status": "unassigned",
                               "overdue": False, "escalated_to": None, "steps": {}}
    return t


def _assigned(s: State, e) -> None:
    pl = e.payload
    t = _task(s, pl["task_id"], e.t_us)
    t.update(to=pl.get("person_id"), title=pl.get("title"), plan=pl.get("plan_id"), deadline_s=pl.get("deadline_s"),
             status="assigned")
    t["steps"]["assigned"] = e.t_us


def _step(s: State, e) -> None:
    t = _task(s, e.payload["task_id"], e.t_us)
    status = _STATUS[e.type]
    t["status"] = status
    t["steps"][status] = e.t_us
    if e.payload.get("person_id"):
        t["by"] = e.payload["person_id"]


def _overdue(s: State, e) -> None:
    t = _task(s, e.payload["task_id"], e.t_us)
    t["overdue"] = True
    t["steps"]["overdue"] = e.t_us


def _escalated(s: State, e) -> None:
    t = _task(s, e.payload["task_id"], e.t_us)
    t["escalated_to"] = e.payload.get("to_person_id") or True
    t["steps"]["escalated"] = e.t_us


def _reassigned(s: State, e) -> None:
    t = _task(s, e.payload["task_id"], e.t_us)
    t.update(to=e.payload["to_person_id"], status="assigned")  # the deadline stays the task's own
    t["steps"]["reassigned"] = e.t_us


def _unassignable(s: State, e) -> None:
    t = _task(s, e.payload["task_id"], e.t_us)
    t["unassignable"] = True
    t["steps"]["unassignable"] = e.t_us


TASKS = Projection("tasks", _initial, {
    "task.assigned": _assigned, **{k: _step for k in _STATUS}, "task.overdue": _overdue,
    "task.escalated": _escalated, "task.unassignable": _unassignable, "task.reassigned": _reassigned,
})
