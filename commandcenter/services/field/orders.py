"""Commands as events: what the commander (or a launched plan) orders, recorded as ``command.sent`` drafts.

A command is recorded before anything is sent — with the devices its address expanded to — so the log is
the outbox. :func:`command_draft` makes one (the exercise guard refuses devices outside a drill, and the
texts carry the exercise mark exactly as the devices will show them). :func:`plan_orders` turns what the
plans engine and the evacuation planner recorded into orders:

* ``task.assigned`` → a ``task`` command to the assignee's device (once per task and person) and, for each
  equipment action the task names (``equipment``: ``{"equipment_id", "action", "gateway"?}`` or
  ``"EQ-1:start"``), an ``actuate`` command to the controller gateway (设备联动);
* ``evacuation.ordered`` → an ``evacuate`` command to the devices of the people ordered out, each with the
  assembly point and route of the current evacuation plan (``evacuation.planned``) when it has one;
* ``evacuation.planned`` after an order → the new routes to the people already ordered out;
* ``resource.dispatched`` (issue 14: an item carried by a person, or a team or person sent) → a ``task``
  command to that person's device, or to the devices of the team (roster team, else role, of that name).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from commandcenter.services.dispatch import check_field_recipients, mark_exercise
from commandcenter.services.field.addressing import positions, recipients
from commandcenter.services.field.geo import PlantGeo
from comms.protocol import ACTIONS, COMMAND_KINDS
from vocabulary.events import Draft

GATEWAY_KINDS = ("gateway", "controller")
DEFAULT_TEXT = {
    "evacuate": ("立即撤离至集合点", "Evacuate now to the assembly point"),
    "shelter": ("就地避险，关闭门窗", "Shelter in place: close doors and windows"),
    "muster": ("前往集合点报到", "Report to your assembly point"),
    "all_clear": ("警报解除", "All clear"),
    "message": ("请注意", "Attention"),
    "task": ("新任务", "New task"),
    "actuate": ("设备联动", "Equipment action"),
}


REROUTE_TEXT = ("撤离路线已更新，请按新路线前往集合点",
                "Evacuation route changed: follow the new route to the assembly point")


def new_command_id() -> str:
    """A fresh command id (``CMD-`` and 10 hex digits)."""
    return f"CMD-{uuid.uuid4().hex[:10].upper()}"


def command_draft(incident_id: str, exercise: bool, state: dict[str, Any], time: dt.datetime, *, kind: str,
                  devices: list[str], to: str, text_zh: str | None = None, text_en: str | None = None,
                  by: str | None = None, task_id: str | None = None, params: dict[str, Any] | None = None,
                  expires_s: float | None = None, geo: PlantGeo | None = None,
                  command_id: str | None = None) -> Draft:
    """The ``command.sent`` draft of one command. Raises :class:`commandcenter.services.dispatch.ExerciseLeak` for an
    exercise command to a device outside the drill, ValueError for an unknown kind or no device."""
    if kind not in COMMAND_KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(COMMAND_KINDS)}")
    if not devices:
        raise ValueError("a command needs at least one device")
    check_field_recipients(incident_id, exercise, devices, recipients(state, exercise, geo))
    zh, en = DEFAULT_TEXT[kind]
    zh, en = mark_exercise(text_zh or zh, exercise), mark_exercise(text_en or en, exercise)
    payload: dict[str, Any] = {"command_id": command_id or new_command_id(), "to": to, "devices": sorted(devices),
                               "kind": kind, "text_zh": zh, "text_en": en, "text": en}
    if by:
        payload["by"] = by
    if task_id:
        payload["task_id"] = task_id
    if params:
        payload["params"] = params
    if expires_s is not None:
        payload["expires_s"] = float(expires_s)
    return Draft("command.sent", time, payload)


def _title(t: Any) -> tuple[str | None, str | None]:
    if isinstance(t, dict):
        return (str(t.get("zh")) if t.get("zh") else None), (str(t.get("en")) if t.get("en") else None)
    return (str(t), str(t)) if t else (None, None)


def _equipment(entries: Any) -> list[dict[str, str]]:
    out = []
    for e in entries or []:
        if isinstance(e, str) and ":" in e:
            eq, _, action = e.partition(":")
            e = {"equipment_id": eq, "action": action}
        if isinstance(e, dict) and e.get("equipment_id") and e.get("action") in ACTIONS:
            out.append({k: str(e[k]) for k in ("equipment_id", "action", "gateway") if e.get(k)})
    return out


def _commanded(state: dict[str, Any]) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]], set[str]]:
    tasks, actions, orders = set(), set(), set()
    for c in state["comms"]["commands"].values():
        if c.get("task_id") and c["kind"] == "task":
            tasks |= {(c["task_id"], d) for d in c["devices"]}
        if c["kind"] == "actuate":
            actions.add((c.get("task_id") or "", c.get("equipment_id") or "", c.get("action") or ""))
    for c in state["comms"]["commands"].values():
        if isinstance(c.get("to"), str) and c["to"].startswith("order:"):
            orders.add(c["to"][6:])
        elif isinstance(c.get("to"), str) and c["to"].startswith("dispatch:"):
            orders.add(c["to"])
    return tasks, actions, orders


def plan_orders(events: list[Any], state: dict[str, Any], incident_id: str, exercise: bool, time: dt.datetime,
                geo: PlantGeo | None) -> list[Draft]:
    """The commands that ``events`` (just recorded) imply, given ``state`` after them (see the module
    docstring). Devices outside an exercise are left out (the guard would refuse them)."""
    rec = recipients(state, exercise, geo)
    by_person: dict[str, list[str]] = {}
    for dev, r in rec.items():
        if r.get("person_id"):
            by_person.setdefault(str(r["person_id"]), []).append(dev)
    gateways = sorted(d for d, r in rec.items() if r.get("kind") in GATEWAY_KINDS)
    tasks_done, actions_done, orders_done = _commanded(state)
    out: list[Draft] = []
    for e in events:
        p = e.payload
        if e.type == "task.assigned":
            out += _task_orders(p, state, incident_id, exercise, time, geo, by_person, gateways, tasks_done,
                                actions_done, rec)
        elif e.type == "evacuation.ordered" and p["order_id"] not in orders_done:
            orders_done.add(p["order_id"])
            d = _evacuate(p["order_id"], [str(x) for x in p["people"]], state, incident_id, exercise, time, geo,
                          by_person)
            out += [d] if d else []
        elif e.type == "resource.dispatched" and f"dispatch:{e.seq}" not in orders_done:
            orders_done.add(f"dispatch:{e.seq}")
            d = _dispatch(e, p, state, incident_id, exercise, time, geo, by_person, rec)
            out += [d] if d else []
        elif e.type == "evacuation.planned" and state["muster"].get("ordered"):
            ordered = [pid for pid in state["muster"]["ordered"]
                       if pid in {str(r.get("person_id")) for r in p["people"] if isinstance(r, dict)}]
            d = _evacuate(f"route:{p['evacuation_id']}", ordered, state, incident_id, exercise, time, geo, by_person,
                          reroute=True)
            out += [d] if d else []
    return out


def _task_orders(p: dict[str, Any], state: dict[str, Any], incident_id: str, exercise: bool, time: dt.datetime,
                 geo: PlantGeo | None, by_person: dict[str, list[str]], gateways: list[str],
                 tasks_done: set, actions_done: set, rec: dict) -> list[Draft]:
    out: list[Draft] = []
    task_id, person = str(p["task_id"]), p.get("person_id")
    zh, en = _title(p.get("title") or p.get("text"))
    deadline = p.get("deadline_s")
    params = {"deadline_s": float(deadline)} if isinstance(deadline, (int, float)) else None
    devices = [d for d in by_person.get(str(person), []) if (task_id, d) not in tasks_done] if person else []
    if devices:
        tasks_done |= {(task_id, d) for d in devices}
        out.append(command_draft(incident_id, exercise, state, time, kind="task", devices=devices,
                                 to=f"person:{person}", text_zh=zh, text_en=en, task_id=task_id, params=params,
                                 by="plan", geo=geo))
    for eq in _equipment(p.get("equipment")):
        key = (task_id, eq["equipment_id"], eq["action"])
        gateway = eq.get("gateway")
        targets = [gateway] if gateway in rec else gateways[:1]
        if key in actions_done or not targets:
            continue
        actions_done.add(key)
        ap = {"equipment_id": eq["equipment_id"], "action": eq["action"], **(params or {})}
        out.append(command_draft(incident_id, exercise, state, time, kind="actuate", devices=targets,
                                 to=f"device:{targets[0]}", text_zh=f"设备联动：{eq['equipment_id']} {eq['action']}",
                                 text_en=f"Equipment: {eq['action']} {eq['equipment_id']}", task_id=task_id,
                                 params=ap, by="plan", geo=geo))
    return out


def _evacuate(order: str, people: list[str], state: dict[str, Any], incident_id: str, exercise: bool,
              time: dt.datetime, geo: PlantGeo | None, by_person: dict[str, list[str]],
              reroute: bool = False) -> Draft | None:
    plan = state["hazard"].get("evacuation") or {}
    rows = {str(r.get("person_id")): r for r in plan.get("people") or [] if isinstance(r, dict)}
    where = positions(state)
    devices: list[str] = []
    per_device: dict[str, dict[str, Any]] = {}
    for pid in people:
        for dev in by_person.get(pid, []):
            devices.append(dev)
            row = rows.get(pid)
            if row and row.get("assembly_point_id"):
                extra: dict[str, Any] = {"assembly_point_id": str(row["assembly_point_id"])}
                if geo is not None and row.get("edges"):
                    route = geo.route_lonlat([int(x) for x in row["edges"]], where.get(pid))
                    if route:
                        extra["route"] = route
                per_device[dev] = extra
    if reroute:
        devices = [d for d in devices if d in per_device]
    if not devices:
        return None
    zh, en = REROUTE_TEXT if reroute else DEFAULT_TEXT["evacuate"]
    return command_draft(incident_id, exercise, state, time, kind="evacuate", devices=devices, to=f"order:{order}",
                         text_zh=zh, text_en=en, params={"per_device": per_device} if per_device else None,
                         by="plan", geo=geo)


def _dispatch(e: Any, p: dict[str, Any], state: dict[str, Any], incident_id: str, exercise: bool,
              time: dt.datetime, geo: PlantGeo | None, by_person: dict[str, list[str]],
              rec: dict[str, dict[str, Any]]) -> Draft | None:
    person, team = p.get("person_id"), p.get("team")
    if person:
        devices = list(by_person.get(str(person), []))
    elif team:
        devices = [d for d, r in rec.items() if r.get("team") == team] or [
            d for d, r in rec.items() if r.get("role") == team]
    else:
        devices = []
    if not devices:
        return None
    rid, to = str(p["resource_id"]), str(p.get("to") or "")
    unit = rid.startswith(("team:", "person:"))
    zh = f"前往 {to}" if unit else f"携带 {rid} 前往 {to}"
    en = f"Go to {to}" if unit else f"Take {rid} to {to}"
    params = {k: p[k] for k in ("resource_id", "quantity", "x", "y") if p.get(k) is not None}
    return command_draft(incident_id, exercise, state, time, kind="task", devices=devices, to=f"dispatch:{e.seq}",
                         text_zh=zh, text_en=en, task_id=p.get("task_id"), params={"dispatch": params},
                         by=p.get("by") or "resources", geo=geo)
