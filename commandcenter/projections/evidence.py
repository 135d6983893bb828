"""Evidence from the field, per task: the photos and files a device sent for a task (``evidence.received``),
with their hash, kind, size, caption, sender and where the file was kept — what the Tasks panel shows."""

from __future__ import annotations

from commandcenter.projections.base import Projection, State

_KEYS = ("sha256", "mime", "bytes", "path", "caption", "device_id", "person_id")


def _initial() -> State:
    return {"tasks": {}, "unlinked": []}


def _received(s: State, e) -> None:
    p = e.payload
    item = {k: p.get(k) for k in _KEYS} | {"t": e.t_us}
    if p.get("task_id"):
        s["tasks"].setdefault(p["task_id"], []).append(item)
    else:
        s["unlinked"].append(item)


EVIDENCE = Projection("evidence", _initial, {"evidence.received": _received})
