"""Personnel state: each person's last reported position (m, plant CRS), status, report time and SOS flag."""

from __future__ import annotations

from commandcenter.projections.base import Projection, State


def _initial() -> State:
    return {"people": {}, "sos": []}


def _person(s: State, pid: str) -> dict:
    p = s["people"].get(pid)
    if p is None:
        p = s["people"][pid] = {"x": None, "y": None, "status": "unknown", "t": None, "sos": False}
    return p


def _position(s: State, e) -> None:
    pl = e.payload
    p = s["people"].get(pl["person_id"])
    if p is None:
        p = _person(s, pl["person_id"])
    p["x"], p["y"], p["t"] = pl["x"], pl["y"], e.t_us
    status = pl.get("status")
    if status:
        p["status"] = status
    elif p["status"] == "unknown":
        p["status"] = "on_site"


def _sos(s: State, e) -> None:
    pl = e.payload
    p = _person(s, pl["person_id"])
    p["sos"] = True
    if "x" in pl and "y" in pl:
        p["x"], p["y"], p["t"] = pl["x"], pl["y"], e.t_us
    s["sos"].append({"person": pl["person_id"], "seq": e.seq, "t": e.t_us})


def _mustered(s: State, e) -> None:
    _person(s, e.payload["person_id"])["status"] = "mustered"


PERSONNEL = Projection("personnel", _initial, {
    "position.reported": _position, "person.sos": _sos, "person.mustered": _mustered,
})
