"""The muster board: who is accounted for at which assembly point, when and how; who came through the gates;
who checked in without being on the roster (visitors, contractors); who was ordered to evacuate.

``mustered`` maps a person to ``{"point", "t", "method"}`` (``method``: ``badge``, ``device``, ``roll_call``
(marked present by hand), ``walk_up`` …, as recorded); ``by_point`` counts them per assembly point; ``gate``
holds each person's last gate direction (``in``/``out``) with its time; ``added`` the people checked in who
are not on the roster, with their name, kind, company and assembly point; ``ordered`` maps each person
ordered to evacuate (``evacuation.ordered``: the people inside a level's evacuation scope when it was
confirmed) to the order and its time, and ``orders`` lists the orders.
"""

from __future__ import annotations

from commandcenter.projections.base import Projection, State


def _initial() -> State:
    return {"mustered": {}, "by_point": {}, "gate": {}, "added": {}, "ordered": {}, "orders": []}


def _mustered(s: State, e) -> None:
    pid, ap = e.payload["person_id"], e.payload["assembly_point_id"]
    old = s["mustered"].get(pid)
    if old is not None:
        s["by_point"][old["point"]] -= 1
    s["mustered"][pid] = {"point": ap, "t": e.t_us, "method": e.payload.get("method")}
    s["by_point"][ap] = s["by_point"].get(ap, 0) + 1


def _badged(s: State, e) -> None:
    p = e.payload
    s["gate"][p["person_id"]] = {"direction": p["direction"], "gate": p["gate_id"], "t": e.t_us}


def _added(s: State, e) -> None:
    p = e.payload
    s["added"][p["person_id"]] = {k: p.get(k) for k in ("name", "kind", "company", "assembly_point_id", "by")} | {
        "t": e.t_us}


def _ordered(s: State, e) -> None:
    p = e.payload
    s["orders"].append({k: p.get(k) for k in ("order_id", "scope", "radius_m", "level", "plan_id")} | {
        "t": e.t_us, "people": len(p["people"])})
    for pid in p["people"]:
        s["ordered"].setdefault(str(pid), {"order": p["order_id"], "t": e.t_us})


MUSTER = Projection("muster", _initial, {"person.mustered": _mustered, "person.badged": _badged,
                                         "person.added": _added, "evacuation.ordered": _ordered})
