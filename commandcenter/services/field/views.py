"""What a comms panel shows, computed from an incident's folded state alone (any runtime: the server's, the
window's, a replay's): each command with its acked / done / pending / failed / expired devices, the devices
and whether they are online, positions older than 30 s (stale), who is on site by the gate badges, and the
equipment linkage figure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from commandcenter.projections.comms import command_rows, linkage
from vocabulary.events import to_us

STALE_S = 30.0

__all__ = ["STALE_S", "command_rows", "command_summary", "devices", "linkage", "on_site", "stale_positions"]


def command_summary(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Per command: id, kind, text, when (µs), and the devices counted per state and listed per state."""
    out = []
    for c in state["comms"]["commands"].values():
        by: dict[str, list[str]] = {s: [] for s in ("acked", "done", "pending", "failed", "expired")}
        for dev, st in c["devices"].items():
            by.setdefault(st, []).append(dev)
        out.append({"command_id": c["command_id"], "kind": c["kind"], "text_zh": c.get("text_zh"),
                    "text_en": c.get("text_en"), "t": c["t"], "task_id": c.get("task_id"),
                    "counts": {s: len(v) for s, v in by.items()}, "devices": by, "reasons": dict(c["reasons"])})
    return out


def devices(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Device id → ``{"online", "t", "person_id", "kind", "enrolled", "revoked", "last_seq"}``."""
    return {d: dict(v) for d, v in state["comms"]["devices"].items()}


def stale_positions(state: dict[str, Any], now: dt.datetime, stale_s: float = STALE_S) -> list[dict[str, Any]]:
    """People whose last position is older than ``stale_s`` seconds at ``now``, oldest first:
    ``[{"person_id", "age_s", "x", "y"}]``."""
    now_us = to_us(now)
    out = []
    for pid, p in state["personnel"]["people"].items():
        t = p.get("t")
        if t is None or p.get("x") is None:
            continue
        age = (now_us - t) / 1e6
        if age > stale_s:
            out.append({"person_id": pid, "age_s": round(age, 1), "x": p["x"], "y": p["y"]})
    return sorted(out, key=lambda r: -r["age_s"])


def on_site(state: dict[str, Any]) -> list[str]:
    """People whose last gate badge was ``in`` (the muster's expected list from access control)."""
    return sorted(pid for pid, g in state["muster"]["gate"].items() if g.get("direction") == "in")
