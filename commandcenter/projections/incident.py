"""The incident projection: title, exercise flag, level, plans launched, sensors in alarm, open/closed, and a
live drill's clock (``drill_clock``: what another process needs to read the drill's time)."""

from __future__ import annotations

import math

from commandcenter.projections.base import Projection, State


def _initial() -> State:
    return {"title": None, "exercise": None, "level": None, "plans": [], "alarms": {}, "open": False,
            "opened_t": None, "closed_t": None, "readings": {}, "drill_clock": None}


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


def _text(v: object) -> str | None:
    return v if isinstance(v, str) else None


def _scenario(s: State, e) -> None:
    """A live drill's ``drill.scenario`` on the drill clock (``live.clock == "drill"``): its anchor
    ``played_at`` (drill time at the origin), ``speed`` and ``wall_origin`` (ISO UTC wall time). Kept as
    written, JSON only: a field of the wrong type, or a speed that is not finite, is kept as None, and the
    reader (:func:`commandcenter.runtime.clock.clock_for`) refuses it by name."""
    live = e.payload.get("live")
    if not isinstance(live, dict) or live.get("clock") != "drill":
        return
    speed = live.get("speed")
    ok = isinstance(speed, (int, float)) and not isinstance(speed, bool) and math.isfinite(speed)
    s["drill_clock"] = {"played_at": _text(live.get("played_at")), "speed": float(speed) if ok else None,
                        "wall_origin": _text(live.get("wall_origin"))}


INCIDENT = Projection("incident", _initial, {
    "incident.opened": _opened, "incident.closed": _closed, "plan.launched": _launched,
    "level.changed": _level, "sensor.alarm": _alarm, "sensor.reading": _reading, "drill.scenario": _scenario,
})
