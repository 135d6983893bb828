"""The muster board: per assembly point who is expected and who has arrived, and everyone unaccounted for.

Who is on site: the population file (who was there when the incident began), plus whoever badged in at a
gate since, plus walk-ups checked in by hand (``person.added``), minus whoever badged out — and anyone who
mustered is on site whatever else is known. Who must muster: everyone ordered to evacuate
(``evacuation.ordered``: the people inside a level's scope when the launch was confirmed); an evacuation plan
(``evacuation.planned``) is a computation of routes, not an order, so before any order nobody is expected and
nobody is missing.
Where each is expected: the assembly point the newest evacuation plan sent them to, else a walk-up's own
point, else the nearest assembly point in a straight line from their last known position. Responders —
people working a task of the incident (acknowledged, started or done) — are counted apart: the commander
tracks them by their task. Everyone else who must muster and has not is *unaccounted for*, listed with the
age of their last position (never reported: the population file's place) and the hazard zone it lies in.

Qt-free and vectorised over people (numpy); one board per call, for the Muster panel, the map and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

ZONE_NAMES = {3: "red", 2: "orange", 1: "yellow", 0: None}
RESPONDING = frozenset({"acknowledged", "started", "in_progress", "done"})


@dataclass
class PointRow:
    """One assembly point: id, names, capacity, people expected there and people arrived there."""

    id: str
    name: str
    name_en: str
    capacity: float | None
    expected: int
    arrived: int

    @property
    def missing(self) -> int:
        """How many fewer have arrived than are expected (0 when as many or more arrived)."""
        return max(self.expected - self.arrived, 0)


@dataclass
class Unaccounted:
    """A person on site who has not mustered: last position (m), its age (s; None = never reported), the
    hazard zone it lies in (``red``/``orange``/``yellow``/None) and the assembly point expected."""

    person_id: str
    name: str
    role: str
    x: float | None
    y: float | None
    age_s: float | None
    zone: str | None
    expected_ap: str | None
    walk_up: bool = False


@dataclass
class MusterBoard:
    """The whole board (see the module docstring)."""

    points: list[PointRow] = field(default_factory=list)
    on_site: int = 0
    ordered: int = 0
    mustered: int = 0
    responders: list[str] = field(default_factory=list)
    unaccounted: list[Unaccounted] = field(default_factory=list)

    @property
    def accounted(self) -> int:
        """People mustered plus responders on their tasks."""
        return self.mustered + len(self.responders)


def on_site_ids(base_ids: list[str], muster: dict[str, Any]) -> list[str]:
    """Who is on site (see the module docstring), in a stable order: the population file first."""
    out = dict.fromkeys(base_ids)
    for pid in muster["added"]:
        out.setdefault(pid)
    for pid, g in sorted(muster["gate"].items(), key=lambda kv: kv[1]["t"]):
        if g["direction"] == "in":
            out.setdefault(pid)
        else:
            out.pop(pid, None)
    for pid in muster["mustered"]:
        out.setdefault(pid)
    return list(out)


def must_muster(state: dict[str, Any]) -> set[str]:
    """Everyone ordered to evacuate (see the module docstring)."""
    return set(state["muster"]["ordered"])


def responders(state: dict[str, Any]) -> set[str]:
    """People working a task of the incident (acknowledged, started or done it)."""
    return {t["to"] for t in state["tasks"]["tasks"].values() if t.get("to") and t["status"] in RESPONDING}


def expected_points(ids: list[str], x: np.ndarray, y: np.ndarray, state: dict[str, Any], ap_ids: list[str],
                    ap_xy: np.ndarray) -> np.ndarray:
    """The assembly point expected for each of ``ids`` (object array; None when none is known)."""
    out = np.full(len(ids), None, dtype=object)
    if len(ap_ids) and len(ids):
        d2 = (x[:, None] - ap_xy[None, :, 0]) ** 2 + (y[:, None] - ap_xy[None, :, 1]) ** 2
        known = np.isfinite(d2).any(axis=1)
        nearest = np.argmin(np.where(np.isfinite(d2), d2, np.inf), axis=1)
        out[known] = np.asarray(ap_ids, dtype=object)[nearest[known]]
    row = {pid: i for i, pid in enumerate(ids)}
    for pid, a in state["muster"]["added"].items():
        if a.get("assembly_point_id") and pid in row:
            out[row[pid]] = a["assembly_point_id"]
    evac = state["hazard"]["evacuation"]
    if evac is not None:
        for r in evac["people"]:
            i = row.get(str(r.get("person_id")))
            if i is not None and r.get("assembly_point_id"):
                out[i] = r["assembly_point_id"]
    return out


def muster_board(plant: Any, state: dict[str, Any], positions: Any, now_s: float, hazard: Any = None) -> MusterBoard:
    """The board of ``state`` on ``plant`` with everyone's last ``positions`` (a
    :class:`gis.positions.PositionStore` from :class:`commandcenter.services.people.PeopleModel`) at ``now_s``
    (seconds since the epoch, incident clock); ``hazard`` (a :class:`gis.routing.hazard_graph.Hazard`) gives
    the zone of each unaccounted person."""
    muster = state["muster"]
    ids = on_site_ids([str(i) for i in positions.ids], muster)
    n = len(ids)
    rows = pd.Index(positions.ids.astype(str)).get_indexer(ids)
    have = rows >= 0
    x, y, t = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    x[have], y[have], t[have] = positions.x[rows[have]], positions.y[rows[have]], positions.updated_s[rows[have]]
    aps = plant.layers["assembly_points"] if plant is not None else None
    ap_ids = [str(i) for i in aps.index] if aps is not None else []
    ap_xy = (np.column_stack([aps.geometry.x.to_numpy(float), aps.geometry.y.to_numpy(float)])
             if ap_ids else np.zeros((0, 2)))
    expected = expected_points(ids, x, y, state, ap_ids, ap_xy)
    mustered = np.array([i in muster["mustered"] for i in ids], dtype=bool)
    busy = responders(state)
    responding = np.array([i in busy for i in ids], dtype=bool) & ~mustered
    must = must_muster(state)
    ordered = np.array([i in must for i in ids], dtype=bool)
    board = MusterBoard(on_site=n, ordered=int(ordered.sum()), mustered=int(mustered.sum()),
                        responders=[i for i, r in zip(ids, responding, strict=True) if r])
    arrived_at: dict[str, int] = {}
    for m in muster["mustered"].values():
        arrived_at[m["point"]] = arrived_at.get(m["point"], 0) + 1
    counted = ordered & ~responding
    names = aps["name"].astype(str).to_dict() if aps is not None and "name" in aps else {}
    names_en = aps["name_en"].astype(object).to_dict() if aps is not None and "name_en" in aps else {}
    caps = aps["capacity"].to_dict() if aps is not None and "capacity" in aps else {}
    extra = [p for p in arrived_at if p not in ap_ids]
    for ap in [*ap_ids, *extra]:
        cap = caps.get(ap)
        board.points.append(PointRow(
            ap, names.get(ap, ap), str(names_en.get(ap) or names.get(ap, ap)),
            float(cap) if cap is not None and np.isfinite(float(cap)) else None,
            int(np.count_nonzero((expected == ap) & counted)), arrived_at.get(ap, 0)))
    lost = np.flatnonzero(ordered & ~mustered & ~responding)
    if len(lost):
        zone = (hazard.rank_at(x[lost], y[lost]) if hazard is not None and len(hazard)
                else np.zeros(len(lost), dtype=int))
        roster = plant.personnel if plant is not None else None
        pname = roster["name"].astype(str).to_dict() if roster is not None and "name" in roster else {}
        prole = roster["role"].astype(str).to_dict() if roster is not None and "role" in roster else {}
        added = muster["added"]
        reported = np.isfinite(t) & (t > 0)
        age = np.where(reported, now_s - t, np.nan)
        for k, i in enumerate(lost.tolist()):
            pid = ids[i]
            walk = added.get(pid)
            board.unaccounted.append(Unaccounted(
                pid, pname.get(pid) or (walk or {}).get("name") or "", prole.get(pid) or (walk or {}).get("kind") or "",
                float(x[i]) if np.isfinite(x[i]) else None, float(y[i]) if np.isfinite(y[i]) else None,
                float(age[i]) if np.isfinite(age[i]) else None, ZONE_NAMES.get(int(zone[k])), expected[i],
                walk is not None))
        board.unaccounted.sort(key=_urgency)
    return board


def _urgency(u: Unaccounted) -> tuple:
    """Inside the worst zone first, then the longest silent (never reported last), then by id."""
    rank = {"red": 0, "orange": 1, "yellow": 2}.get(u.zone or "", 3)
    return rank, -(u.age_s if u.age_s is not None else -1.0), u.person_id

