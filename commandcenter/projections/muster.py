"""The muster board: who is accounted for at which assembly point, and when."""

from __future__ import annotations

from commandcenter.projections.base import Projection, State


def _initial() -> State:
    return {"mustered": {}, "by_point": {}}


def _mustered(s: State, e) -> None:
    pid, ap = e.payload["person_id"], e.payload["assembly_point_id"]
    old = s["mustered"].get(pid)
    if old is not None:
        s["by_point"][old["point"]] -= 1
    s["mustered"][pid] = {"point": ap, "t": e.t_us}
    s["by_point"][ap] = s["by_point"].get(ap, 0) + 1


MUSTER = Projection("muster", _initial, {"person.mustered": _mustered})
