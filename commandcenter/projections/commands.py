"""Commands and acknowledgements: what was sent to whom and when, who acknowledged and when."""

from __future__ import annotations

from commandcenter.projections.base import Projection, State


def _initial() -> State:
    return {"commands": {}, "unmatched_acks": []}


def _sent(s: State, e) -> None:
    pl = e.payload
    to = pl["to"] if isinstance(pl["to"], list) else [pl["to"]]
    s["commands"][pl["command_id"]] = {"to": to, "kind": pl.get("kind"), "t": e.t_us, "acks": {}}


def _ack(s: State, e) -> None:
    pl = e.payload
    c = s["commands"].get(pl["command_id"])
    if c is None:
        s["unmatched_acks"].append({"command": pl["command_id"], "by": pl["person_id"], "t": e.t_us})
    else:
        c["acks"].setdefault(pl["person_id"], e.t_us)


COMMANDS = Projection("commands", _initial, {"command.sent": _sent, "command.acknowledged": _ack})
