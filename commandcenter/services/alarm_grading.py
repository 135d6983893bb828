"""Graded alarms: a detector's first-level reading asks the post to check before the plant is alarmed.

Plants grade gas alarms against false alarms (GB/T 50493-2019 sets a first and a second alarm level per
detector; plants answer the first by sending the post's staff to check). The rules, as drafts to record:

* a detector at ``warn`` (its ``sensor.alarm`` at the first level) with no open alarm nearby raises a
  ``warn`` alarm (``alarm.raised``) and asks the post's staff to check it: a ``task.assigned`` with a short
  deadline (:data:`CHECK_DEADLINE_S`) whose ``params.alarm_id`` names the alarm;
* the alarm becomes formal (``alarm.confirmed`` with its ``reason``) when
  - a person confirms it (the window records that; not this module),
  - the detector reaches the alarm level (``alarm_level``),
  - a second detector of the same kind and substance within :data:`AGREE_RADIUS_M` agrees
    (``second_detector``, naming it in ``sensor_id``),
  - the check is not reported within its deadline (``check_overdue``: silence is treated as a real alarm;
    the check task is marked overdue);
* a detector at the alarm level with no open alarm nearby raises a formal alarm at once;
* a check that is no longer needed (the alarm made formal otherwise, or cleared) is withdrawn
  (``task.skipped`` with the reason), so it never turns overdue on the board;
* a detector alarm all of whose detectors an earlier open alarm already holds (the field service raises its
  own at the alarm level) is cleared as a duplicate of it: one leak, one alarm;
* a person's SOS (``person.sos``) raises an ``sos`` alarm at the alarm level (unless one was raised with it, as
  the field service does);
* false alarms are cleared by a person with their cause (``alarm.cleared``, ``false_alarm``, ``cause``); a
  detector whose alarm was cleared raises again only with a new ``sensor.alarm`` after the clearance.

The rules read only the folded state (``incident`` sensor alarms, ``alarms``, ``personnel``, ``tasks``), so
they are idempotent: running them again on the same state gives nothing new, and any console (or the
field server) may run them after each batch of events and once a second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from gis.positions import PersonStatus
from vocabulary.events import Draft, from_us, to_us

CHECK_DEADLINE_S = 120.0
AGREE_RADIUS_M = 50.0
#: roles sent to check a detector, in order of preference (the post's operators first)
CHECK_ROLES = ("operator", "shift_supervisor", "control_room_operator")
GRADER = "alarm grading"


@dataclass(frozen=True)
class Sensor:
    """One detector of the plant: position (m, plant CRS), kind, substance, unit, levels, zone and name."""

    id: str
    x: float
    y: float
    kind: str
    substance: str | None
    unit: str | None
    zone: str | None
    name: str
    name_en: str


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return None
    text = str(v).strip()
    return text or None


class AlarmGrader:
    """The grading rules over one plant's detectors, zones and roster (see the module docstring)."""

    def __init__(self, plant: Any):
        self.sensors: dict[str, Sensor] = {}
        sensors = plant.layers.get("sensors") if plant is not None else None
        zones = plant.layers.get("zones") if plant is not None else None
        if sensors is not None and len(sensors):
            zone_of = self._zones_of(sensors, zones)
            for i, (sid, row) in enumerate(sensors.iterrows()):
                g = row.geometry
                self.sensors[str(sid)] = Sensor(
                    str(sid), float(g.x), float(g.y), str(row.get("kind") or "gas"), _text(row.get("substance")),
                    _text(row.get("unit")), zone_of[i], _text(row.get("name")) or str(sid),
                    _text(row.get("name_en")) or _text(row.get("name")) or str(sid))
        self.owner = {}
        if zones is not None and "owner" in zones.columns:
            self.owner = {str(z): _text(o) for z, o in zones["owner"].items()}
        roster = plant.personnel if plant is not None else None
        self.roles = roster["role"].astype(str).to_dict() if roster is not None and "role" in roster else {}
        self.home = (roster["home_zone"].astype(object).where(roster["home_zone"].notna(), None).to_dict()
                     if roster is not None and "home_zone" in roster else {})

    @staticmethod
    def _zones_of(sensors: Any, zones: Any) -> list[str | None]:
        if zones is None or not len(zones):
            return [None] * len(sensors)
        import shapely

        polys = np.asarray(zones.geometry.values, dtype=object)
        ids = [str(z) for z in zones.index]
        out: list[str | None] = []
        for g in sensors.geometry.values:
            hit = np.flatnonzero(shapely.contains_xy(polys, g.x, g.y))
            out.append(ids[int(hit[0])] if len(hit) else None)
        return out

    # ------------------------------------------------------------------ rules
    def drafts(self, state: dict[str, Any], now: dt.datetime, positions: Any = None) -> list[Draft]:
        """What to record now for ``state`` (see the module docstring); ``positions`` (a
        :class:`gis.positions.PositionStore`, or a function returning one, called only when someone must be
        picked: everyone's positions are not worked out on every call) picks who is sent to check."""
        out: list[Draft] = []
        alarms = {aid: dict(a, sensors=list(a["sensors"])) for aid, a in state["alarms"]["alarms"].items()}
        for a in alarms.values():  # an alarm raised with a detector's reading takes its substance and kind
            s0 = self.sensors.get(a["sensors"][0]) if a["sensors"] else None
            if s0 is not None:
                a["substance"] = a.get("substance") or s0.substance
                a["kind"] = a.get("kind") or s0.kind
        readings = state["incident"]["alarms"]
        for sid, r in sorted(readings.items(), key=lambda kv: (kv[1]["t"], kv[0])):
            out += self._sensor(sid, r, alarms, now, positions)
        out += self._overdue_checks(state, alarms, now)
        out += self._duplicates(alarms, now)
        out += self._moot_checks(state, alarms, now)
        out += self._sos(state, alarms, now)
        out.sort(key=lambda d: d.time)  # an overdue check is stamped at its deadline, before now
        return out

    def _open(self, alarms: dict[str, dict]) -> list[dict]:
        return [a for a in alarms.values() if a["state"] != "cleared"]

    def _sensor(self, sid: str, r: dict, alarms: dict[str, dict], now: dt.datetime, positions: Any) -> list[Draft]:
        level = r.get("level") or "alarm"
        if level not in ("warn", "alarm"):
            return []
        cleared = [a.get("cleared_t") or 0 for a in alarms.values() if a["state"] == "cleared" and sid in a["sensors"]]
        if cleared and max(cleared) >= r["t"]:
            return []  # cleared (e.g. a false alarm) since its last alarm: only a new alarm raises again
        mine = next((a for a in self._open(alarms) if sid in a["sensors"]), None)
        sensor = self.sensors.get(sid)
        if mine is not None:
            out: list[Draft] = []
            if level == "alarm" and mine["state"] != "confirmed":
                mine["state"], mine["confirmed_reason"] = "confirmed", "alarm_level"
                out.append(Draft("alarm.confirmed", now, {"alarm_id": mine["id"], "reason": "alarm_level",
                                                          "sensor_id": sid, "by": GRADER}))
            older = self._agreeing(sensor, alarms, before=mine) if sensor is not None else None
            if older is not None:  # raised on its own (the field service raises one per detector): it agrees
                older["sensors"].append(sid)
                was = older["state"]
                older["state"] = "confirmed"
                older["confirmed_reason"] = older.get("confirmed_reason") or "second_detector"
                out.append(Draft("alarm.confirmed", now, {"alarm_id": older["id"], "sensor_id": sid, "by": GRADER,
                                                          "reason": "second_detector" if was != "confirmed"
                                                          else "joined"}))
            return out
        near = self._agreeing(sensor, alarms) if sensor is not None else None
        if near is not None:
            near["sensors"].append(sid)
            was = near["state"]
            near["state"] = "confirmed"
            near["confirmed_reason"] = near.get("confirmed_reason") or "second_detector"
            return [Draft("alarm.confirmed", now, {"alarm_id": near["id"], "sensor_id": sid, "by": GRADER,
                                                   "reason": "second_detector" if was != "confirmed" else "joined"})]
        aid = f"AL-{sid}-{from_us(r['t']):%H%M%S}"
        if aid in alarms:
            aid = f"{aid}-{r['t'] % 1_000_000:06d}"
        payload: dict[str, Any] = {"alarm_id": aid, "kind": sensor.kind if sensor else "gas", "level": level,
                                   "sensor_id": sid, "by": GRADER}
        if sensor is not None:
            payload.update(x=sensor.x, y=sensor.y)
            if sensor.substance:
                payload["substance"] = sensor.substance
            if sensor.unit:
                payload["unit"] = sensor.unit
        if isinstance(r.get("value"), (int, float)):
            payload["value"] = float(r["value"])
        alarms[aid] = {"id": aid, "state": "raised", "sensors": [sid], "level": level, "check_task": None,
                       "kind": payload["kind"], "substance": payload.get("substance"), "x": payload.get("x"),
                       "y": payload.get("y"), "t": r["t"]}
        out = [Draft("alarm.raised", now, payload)]
        if level == "alarm":
            alarms[aid]["state"], alarms[aid]["confirmed_reason"] = "confirmed", "alarm_level"
            out.append(Draft("alarm.confirmed", now, {"alarm_id": aid, "reason": "alarm_level", "sensor_id": sid,
                                                      "by": GRADER}))
        else:
            out.append(self._check_task(aid, sensor, sid, now, positions))
        return out

    def _agreeing(self, sensor: Sensor, alarms: dict[str, dict], before: dict | None = None) -> dict | None:
        """An open sensor alarm of the same kind and substance within :data:`AGREE_RADIUS_M` of ``sensor`` (raised
        before the alarm ``before`` and not yet counting ``sensor``, when given)."""
        best, best_d = None, np.inf
        for a in self._open(alarms):
            if a.get("kind") != sensor.kind or (a.get("substance") or None) != sensor.substance:
                continue
            if before is not None and (a is before or sensor.id in a["sensors"]
                                       or (a.get("t") or 0, a["id"]) >= (before.get("t") or 0, before["id"])):
                continue
            for other in a["sensors"]:
                o = self.sensors.get(other)
                if o is None:
                    continue
                d = float(np.hypot(o.x - sensor.x, o.y - sensor.y))
                if d <= AGREE_RADIUS_M and d < best_d:
                    best, best_d = a, d
        return best

    def _check_task(self, aid: str, sensor: Sensor | None, sid: str, now: dt.datetime, positions: Any) -> Draft:
        if callable(positions):
            positions = positions()
        who = self.checker(sensor, positions) if sensor is not None else None
        name_zh = sensor.name if sensor else sid
        name_en = sensor.name_en if sensor else sid
        payload: dict[str, Any] = {
            "task_id": f"CHK-{aid}", "deadline_s": CHECK_DEADLINE_S, "kind": "check", "by": GRADER,
            "title": {"zh": f"现场确认探测器报警：{name_zh}（{sid}）",
                      "en": f"Check the detector alarm on site: {name_en} ({sid})"},
            "params": {"alarm_id": aid, "sensor_id": sid}}
        if who is not None:
            payload["person_id"] = who
            payload["role"] = self.roles.get(who)
        return Draft("task.assigned", now, payload)

    def checker(self, sensor: Sensor, positions: Any) -> str | None:
        """Who checks ``sensor``: the nearest person on site of the first of :data:`CHECK_ROLES` who has
        someone — first among those whose home zone is the sensor's — else the zone's owner."""
        if positions is not None and len(positions):
            ids = positions.ids.astype(str)
            here = (np.isfinite(positions.x) & np.isfinite(positions.y)
                    & ~np.isin(positions.status, [PersonStatus.MUSTERED, PersonStatus.OFF_SITE,
                                                  PersonStatus.MISSING, PersonStatus.INJURED]))
            roles = np.array([self.roles.get(i, "") for i in ids.tolist()], dtype=object)
            home = np.array([self.home.get(i) == sensor.zone for i in ids.tolist()], dtype=bool)
            d = np.hypot(positions.x - sensor.x, positions.y - sensor.y)
            for role in CHECK_ROLES:
                for pool in (here & (roles == role) & home, here & (roles == role)):
                    if pool.any():
                        return str(ids[np.flatnonzero(pool)[np.argmin(d[pool])]])
        owner = self.owner.get(sensor.zone) if sensor.zone else None
        return owner if owner in self.roles else None

    def _overdue_checks(self, state: dict[str, Any], alarms: dict[str, dict], now: dt.datetime) -> list[Draft]:
        out: list[Draft] = []
        tasks = state["tasks"]["tasks"]
        for a in self._open(alarms):
            tid = a.get("check_task")
            t = tasks.get(tid) if tid else None
            if a["state"] == "confirmed" or t is None or t["status"] in ("done", "skipped"):
                continue
            assigned = t["steps"].get("assigned")
            if assigned is None or t.get("deadline_s") is None:
                continue
            due = assigned + int(float(t["deadline_s"]) * 1e6)
            if to_us(now) < due:
                continue
            when = from_us(max(due, state.get("t_us") or 0))  # at the deadline, never before the log's last event
            if not t["overdue"]:
                out.append(Draft("task.overdue", when, {"task_id": tid, "person_id": t.get("to"),
                                                        "deadline_s": t["deadline_s"]}))
            out.append(Draft("alarm.confirmed", when, {"alarm_id": a["id"], "reason": "check_overdue", "by": GRADER}))
            a["state"], a["confirmed_reason"] = "confirmed", "check_overdue"
        out.sort(key=lambda d: d.time)
        return out

    def _duplicates(self, alarms: dict[str, dict], now: dt.datetime) -> list[Draft]:
        """An open detector alarm all of whose detectors already belong to an earlier open alarm (the field
        service raises one per detector at the alarm level, after the graded alarm took it in) is the same
        leak: cleared as a duplicate of the earlier one, not a false alarm, so one leak is one alarm row."""
        out: list[Draft] = []
        live = sorted((a for a in self._open(alarms) if a["sensors"]), key=lambda a: (a.get("t") or 0, a["id"]))
        for i, a in enumerate(live):
            first = next((b for b in live[:i] if b["state"] != "cleared" and set(a["sensors"]) <= set(b["sensors"])),
                         None)
            if first is None:
                continue
            a["state"] = "cleared"
            out.append(Draft("alarm.cleared", now, {"alarm_id": a["id"], "false_alarm": False,
                                                     "reason": f"duplicate of {first['id']}", "by": GRADER}))
        return out

    def _moot_checks(self, state: dict[str, Any], alarms: dict[str, dict], now: dt.datetime) -> list[Draft]:
        """A check task whose alarm was made formal otherwise (the alarm level, a second detector, a person)
        or cleared is no longer asked for: skipped with the reason, so it never shows as overdue."""
        out: list[Draft] = []
        tasks = state["tasks"]["tasks"]
        for a in alarms.values():
            t = tasks.get(a.get("check_task") or "")
            reason = a.get("confirmed_reason")
            if t is None or t["status"] in ("done", "skipped"):
                continue
            if a["state"] == "cleared":
                why = "alarm cleared"
            elif a["state"] == "confirmed" and reason != "check_overdue":
                why = f"alarm confirmed: {reason or 'by a person'}"
            else:
                continue
            out.append(Draft("task.skipped", now, {"task_id": a["check_task"],
                                                   "reason": why, "by": GRADER}))
        return out

    def _sos(self, state: dict[str, Any], alarms: dict[str, dict], now: dt.datetime) -> list[Draft]:
        out: list[Draft] = []
        people = state["personnel"]["people"]
        for s in state["personnel"]["sos"]:
            aid = f"SOS-{s['person']}-{s['seq']}"
            raised = any(a.get("kind") == "sos" and a.get("person_id") == s["person"] and (a.get("t") or 0) >= s["t"]
                         for a in alarms.values())
            if aid in alarms or raised:  # the field service raises an SOS's alarm itself, in the same batch
                continue
            p = people.get(s["person"], {})
            payload: dict[str, Any] = {"alarm_id": aid, "kind": "sos", "level": "alarm", "person_id": s["person"],
                                       "by": GRADER}
            if p.get("x") is not None and p.get("y") is not None:
                payload.update(x=float(p["x"]), y=float(p["y"]))
            alarms[aid] = {"id": aid, "state": "raised", "sensors": [], "kind": "sos", "person_id": s["person"],
                           "t": s["t"]}
            out.append(Draft("alarm.raised", now, payload))
        return out
