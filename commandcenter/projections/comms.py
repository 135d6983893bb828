"""Field comms as the commander sees them: each command and its state on each device, and the devices.

Per command (``command.sent`` and what followed): the devices it was resolved to, the seq each device got
(``command.queued``), and each device's state — ``pending`` until the device acknowledges (``acked``),
carries it out (``done``), refuses it (``failed``) or it expires unacknowledged (``expired``). ``done`` and
``failed`` are final; an expired command can still be reported ``done`` (a fact the device reports late).
Per device: enrolled (for which person, kind, team, role), online/offline and when, the last ``last_seq``
it reported, revoked. :func:`linkage` is the equipment linkage figure (设备联动): ``actuate`` commands done
within their deadline over those sent.
"""

from __future__ import annotations

from typing import Any

from commandcenter.projections.base import Projection, State

DEVICE_STATES = ("pending", "acked", "done", "failed", "expired")
_FINAL = frozenset({"done", "failed"})


def _initial() -> State:
    return {"commands": {}, "devices": {}}


def _sent(s: State, e) -> None:
    p = e.payload
    cid = p["command_id"]
    if cid in s["commands"]:
        return
    params = p.get("params") if isinstance(p.get("params"), dict) else {}
    devices = [d for d in (p.get("devices") or []) if isinstance(d, str)]
    s["commands"][cid] = {
        "command_id": cid, "kind": p.get("kind"), "t": e.t_us, "to": p["to"], "by": p.get("by"),
        "text_zh": p.get("text_zh"), "text_en": p.get("text_en") or p.get("text"), "task_id": p.get("task_id"),
        "equipment_id": params.get("equipment_id"), "action": params.get("action"),
        "deadline_s": params.get("deadline_s"), "expires_s": p.get("expires_s"),
        "devices": dict.fromkeys(devices, "pending"), "seqs": {}, "done_t": {}, "reasons": {}}


def _queued(s: State, e) -> None:
    c = s["commands"].get(e.payload["command_id"])
    if c is None:
        return
    for dev, seq in e.payload["seqs"].items():
        if isinstance(seq, int) and not isinstance(seq, bool):
            c["seqs"][dev] = seq
            c["devices"].setdefault(dev, "pending")


def _step(state: str):
    def handler(s: State, e) -> None:
        p = e.payload
        c = s["commands"].get(p["command_id"])
        dev = p.get("device_id")
        if c is None or not dev:
            return
        old = c["devices"].get(dev, "pending")
        if old in _FINAL or old == state:
            return
        if old == "expired" and state != "done":
            return
        if state == "acked" and old != "pending":
            return
        c["devices"][dev] = state
        if state == "done":
            c["done_t"].setdefault(dev, e.t_us)
        if state in ("failed", "expired") and p.get("reason"):
            c["reasons"][dev] = p["reason"]
    return handler


def _expired(s: State, e) -> None:
    p = e.payload
    c = s["commands"].get(p["command_id"])
    if c is None:
        return
    if p.get("device_id"):
        _step("expired")(s, e)
        return
    for dev, st in c["devices"].items():  # the whole command expired: every device still pending
        if st == "pending":
            c["devices"][dev] = "expired"


def _device(s: State, dev: str) -> dict[str, Any]:
    d = s["devices"].get(dev)
    if d is None:
        d = s["devices"][dev] = {"enrolled": False, "person_id": None, "kind": None, "team": None, "role": None,
                                 "online": False, "t": None, "last_seq": None, "revoked": False}
    return d


def _enrolled(s: State, e) -> None:
    p = e.payload
    d = _device(s, p["device_id"])
    d["enrolled"] = True
    for k in ("person_id", "kind", "team", "role"):
        if p.get(k) is not None:
            d[k] = p[k]


def _presence(online: bool):
    def handler(s: State, e) -> None:
        d = _device(s, e.payload["device_id"])
        d["online"], d["t"] = online, e.t_us
        last_seq = e.payload.get("last_seq")
        if isinstance(last_seq, int) and not isinstance(last_seq, bool):
            d["last_seq"] = last_seq
    return handler


def _revoked(s: State, e) -> None:
    d = _device(s, e.payload["device_id"])
    d["revoked"], d["online"], d["t"] = True, False, e.t_us


COMMS = Projection("comms", _initial, {
    "command.sent": _sent, "command.queued": _queued, "command.acknowledged": _step("acked"),
    "command.done": _step("done"), "command.failed": _step("failed"), "command.expired": _expired,
    "device.enrolled": _enrolled, "device.online": _presence(True), "device.offline": _presence(False),
    "device.revoked": _revoked,
})


def command_rows(state: State, command_id: str | None = None) -> list[dict[str, Any]]:
    """``[{"command_id", "kind", "devices": {device: state}}]`` in the order sent (one command when
    ``command_id`` is given; empty when it is unknown)."""
    cmds = state["comms"]["commands"]
    chosen = [cmds[command_id]] if command_id is not None and command_id in cmds else (
        [] if command_id is not None else list(cmds.values()))
    return [{"command_id": c["command_id"], "kind": c["kind"], "devices": dict(c["devices"])} for c in chosen]


def linkage(state: State) -> dict[str, Any]:
    """The equipment linkage figure: ``actuate`` commands sent, those done within their deadline
    (``params.deadline_s`` after sending, else ``expires_s``; no deadline: done at all), and the rate."""
    sent = done = 0
    rows = []
    for c in state["comms"]["commands"].values():
        if c["kind"] != "actuate":
            continue
        sent += 1
        limit = c.get("deadline_s") if c.get("deadline_s") is not None else c.get("expires_s")
        first = min(c["done_t"].values()) if c["done_t"] else None
        took = None if first is None else (first - c["t"]) / 1e6
        ok = took is not None and (limit is None or took <= float(limit))
        done += ok
        rows.append({"command_id": c["command_id"], "equipment_id": c.get("equipment_id"), "action": c.get("action"),
                     "task_id": c.get("task_id"), "took_s": took, "deadline_s": limit, "in_time": ok})
    return {"sent": sent, "done_in_time": done, "rate": (done / sent) if sent else None, "commands": rows}
