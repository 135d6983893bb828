"""The incident projection: title, exercise flag, level, plans launched, sensors in alarm, open/closed."""

from __future__ import annotations

from commandcenter.projections.base import Projection, State


def _initial() -> State:
    return {"title": None, "exercise": None, "level": None, "plans": [], "alarms": {}, "open": False,
            "opened_t": None, "closed_t": None, "readings": {}}


def _opened(s: State, e) -> None:
    p = e.payload
    s.update(title=p["title"], exercise=p["exercise"], level=p.get("level"), open=True, opened_t=e.t_us)


def _closed(s: State, e) -> None:
    s.update(open=False, closed_t=e.t_us)


def _launched(s: State, e) -> None:
    s["plans"].append({"plan": e.payload["plan_id"], "level": e.payload["level"], "seq": e.seq, "t": e.t_us})
    s["level"] = e.payload["level"]


def _level(s: State, e) -> None:
    s["level"] = e.payload["to"]


def _alarm(s: State, e) -> None:
    level = e.payload.get("level") or "alarm"
    if level == "clear":
        s["alarms"].pop(e.payload["sensor_id"], None)
    else:
        s["alarms"][e.payload["sensor_id"]] = {"level": level, "value": e.payload.get("value"), "t": e.t_us}


def _reading(s: State, e) -> None:
    s["readings"][e.payload["sensor_id"]] = [e.payload["value"], e.t_us]


INCIDENT = Projection("incident", _initial, {
    "incident.opened": _opened, "incident.closed": _closed, "plan.launched": _launched,
    "level.changed": _level, "sensor.alarm": _alarm, "sensor.reading": _reading,
})
