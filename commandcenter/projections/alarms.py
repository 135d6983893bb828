"""Graded alarms and plan proposals: what the Alarms and Plan panels show.

An alarm (``alarm.raised``) starts at ``warn`` (a check is asked for) or ``alarm`` (formal); it becomes formal
when ``alarm.confirmed`` is recorded — by a person on site, by a reading at the alarm level, by a second
detector agreeing (the confirmation names it in ``sensor_id``) or by a check not reported in time — and ends
with ``alarm.cleared``, a false alarm with its cause or a real one dealt with. The check task asked for a
``warn`` alarm is the ``task.assigned`` whose ``params.alarm_id`` names the alarm. ``plan.proposed`` events
(a plan's sensor trigger met) are kept in order so the Plan panel can offer the newest.
"""

from __future__ import annotations

from commandcenter.projections.base import Projection, State

_FIELDS = ("kind", "level", "person_id", "device_id", "x", "y", "text", "substance", "value", "unit", "by")


def _initial() -> State:
    return {"alarms": {}, "order": [], "proposals": []}


def _new(s: State, aid: str, e) -> dict:
    a = s["alarms"][aid] = {"id": aid, "state": "raised", "level": "alarm", "t": e.t_us, "seq": e.seq, "sensors": [],
                            "check_task": None, "acknowledged_t": None, "confirmed_t": None, "confirmed_reason": None,
                            "confirmed_by": None, "cleared_t": None, "false_alarm": None, "cause": None,
                            "formal": False}
    s["order"].append(aid)
    return a


def _raised(s: State, e) -> None:
    p = e.payload
    aid = p["alarm_id"]
    a = s["alarms"].get(aid) or _new(s, aid, e)
    for k in _FIELDS:  # a second raise of the same alarm (two consoles) adds what it knows, keeps the state
        if p.get(k) is not None:
            a[k] = p[k]
    sid = p.get("sensor_id")
    if sid and sid not in a["sensors"]:
        a["sensors"].append(sid)


def _alarm(s: State, aid: str, e) -> dict:
    """The alarm ``aid``; a step for an alarm never raised is kept, not dropped: the log is the truth."""
    return s["alarms"].get(aid) or _new(s, aid, e)


def _acknowledged(s: State, e) -> None:
    a = _alarm(s, e.payload["alarm_id"], e)
    if a["acknowledged_t"] is None:
        a["acknowledged_t"] = e.t_us
        a["acknowledged_by"] = e.payload.get("by")
    if a["state"] == "raised":
        a["state"] = "acknowledged"


def _confirmed(s: State, e) -> None:
    p = e.payload
    a = _alarm(s, p["alarm_id"], e)
    sid = p.get("sensor_id")
    if sid and sid not in a["sensors"]:
        a["sensors"].append(sid)
    if a["state"] == "cleared":
        return
    if a["confirmed_t"] is None:
        a["confirmed_t"] = e.t_us
        a["confirmed_reason"] = p.get("reason")
        a["confirmed_by"] = p.get("by")
    a["state"] = "confirmed"
    a["level"] = "alarm"
    a["formal"] = True


def _cleared(s: State, e) -> None:
    p = e.payload
    a = _alarm(s, p["alarm_id"], e)
    a.update(state="cleared", cleared_t=e.t_us, false_alarm=bool(p.get("false_alarm")), cause=p.get("cause"),
             cleared_reason=p.get("reason"), cleared_by=p.get("by"))


def _check_task(s: State, e) -> None:
    params = e.payload.get("params")
    aid = params.get("alarm_id") if isinstance(params, dict) else None
    if aid and aid in s["alarms"]:
        s["alarms"][aid]["check_task"] = e.payload["task_id"]


def _proposed(s: State, e) -> None:
    p = e.payload
    s["proposals"].append({k: p.get(k) for k in ("plan_id", "level", "reason", "trigger_id", "title", "auto_launch",
                                                 "alarm_id", "assessment_id", "sensor_ids", "max_value", "unit",
                                                 "substance", "origin")} | {"t": e.t_us, "seq": e.seq})


ALARMS = Projection("alarms", _initial, {
    "alarm.raised": _raised, "alarm.acknowledged": _acknowledged, "alarm.confirmed": _confirmed,
    "alarm.cleared": _cleared, "task.assigned": _check_task, "plan.proposed": _proposed,
})
