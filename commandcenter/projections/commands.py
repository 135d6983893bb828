"""Commands and acknowledgements: what was sent to whom and when, who acknowledged and when.

An acknowledgement names the person (a console) or only the device (the field): it is kept under the person
when there is one, else under the device. The per-device delivery states are the ``comms`` projection's.
"""

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
    by = pl.get("person_id") or pl.get("device_id") or "?"
    c = s["commands"].get(pl["command_id"])
    if c is None:
        s["unmatched_acks"].append({"command": pl["command_id"], "by": by, "t": e.t_us})
    else:
        c["acks"].setdefault(by, e.t_us)


COMMANDS = Projection("commands", _initial, {"command.sent": _sent, "command.acknowledged": _ack})
