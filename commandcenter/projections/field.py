"""What the field has done with the center's orders: each command's state per device, the devices seen, the
evidence received for each task, and the equipment linkage of each task.

A command is ``sent`` → ``delivered`` (a device has it) → ``acked`` (its person read it) → ``done``; or
``failed`` / ``expired``. The state of a command is its most advanced state over its devices (``done`` wins,
then ``acked`` …); ``failed`` and ``expired`` hold only when no device did better. Equipment linkage is a
command of kind ``actuate`` (``params.equipment_id``, ``params.action``); the task it belongs to is its
``task_id``.
"""

from __future__ import annotations

from commandcenter.projections.base import Projection, State

RANK = {"sent": 0, "expired": 1, "failed": 2, "delivered": 3, "acked": 4, "done": 5}


def _initial() -> State:
    return {"commands": {}, "devices": {}, "tasks": {}}


def _task(s: State, tid: str) -> dict:
    t = s["tasks"].get(tid)
    if t is None:
        t = s["tasks"][tid] = {"evidence": [], "commands": []}
    return t


def _sent(s: State, e) -> None:
    p = e.payload
    to = p["to"] if isinstance(p["to"], list) else [p["to"]]
    params = p.get("params") if isinstance(p.get("params"), dict) else {}
    cid = p["command_id"]
    s["commands"][cid] = {"kind": p.get("kind"), "to": to, "devices": {}, "state": "sent", "t": e.t_us,
                          "task_id": p.get("task_id"), "equipment_id": params.get("equipment_id"),
                          "action": params.get("action"), "text": p.get("text_en") or p.get("text"),
                          "text_zh": p.get("text_zh"), "reason": None, "acks": 0}
    if p.get("task_id"):
        _task(s, p["task_id"])["commands"].append(cid)


def _step(state: str):
    def handler(s: State, e) -> None:
        p = e.payload
        c = s["commands"].get(p["command_id"])
        if c is None:
            return
        dev = p.get("device_id") or p.get("person_id") or "?"
        if RANK[state] >= RANK.get(c["devices"].get(dev, "sent"), 0):
            c["devices"][dev] = state
        if state == "acked":
            c["acks"] += 1
        if state in ("failed", "expired"):
            c["reason"] = p.get("reason") or state
        if RANK[state] > RANK[c["state"]]:
            c["state"] = state
        c[f"{state}_t"] = c.get(f"{state}_t") or e.t_us
    return handler


def _device(online: bool):
    def handler(s: State, e) -> None:
        d = s["devices"].setdefault(e.payload["device_id"], {"online": False, "t": None, "person_id": None})
        d["online"], d["t"] = online, e.t_us
    return handler


def _enrolled(s: State, e) -> None:
    d = s["devices"].setdefault(e.payload["device_id"], {"online": False, "t": None, "person_id": None})
    d["person_id"] = e.payload.get("person_id")
    d["kind"] = e.payload.get("kind")


def _evidence(s: State, e) -> None:
    p = e.payload
    if p.get("task_id"):
        _task(s, p["task_id"])["evidence"].append(
            {k: p.get(k) for k in ("sha256", "mime", "bytes", "path", "caption", "device_id", "person_id")}
            | {"t": e.t_us})


FIELD = Projection("field", _initial, {
    "command.sent": _sent, "command.delivered": _step("delivered"), "command.acknowledged": _step("acked"),
    "command.done": _step("done"), "command.failed": _step("failed"), "command.expired": _step("expired"),
    "device.online": _device(True), "device.offline": _device(False), "device.enrolled": _enrolled,
    "evidence.received": _evidence,
})
