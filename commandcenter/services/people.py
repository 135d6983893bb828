"""One model of where people are during an incident: the log's last reported positions, else the
plant's population file — the positions routing, hazard counts and the map all use.

Built once per plant (the population file as the base, in arrays) and refreshed from the personnel
projection, so a frame never rebuilds what did not change. A position older than ``stale_s`` seconds
of the incident clock is *stale* (shown as such; its holder may have moved).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from commandcenter.services.zones import hazard_from_payload
from gis.positions import PersonStatus, PositionStore
from gis.routing.hazard_graph import Hazard

STALE_S = 30.0
ZONE_LEVELS = ("red", "orange", "yellow")


def status_code(person: dict[str, Any]) -> int:
    """The map status of one person of the personnel projection: mustered people are accounted for
    whatever happened before; otherwise an SOS shows as INJURED; else the reported status."""
    status = str(person.get("status") or "on_site")
    if status != "mustered" and person.get("sos"):
        return int(PersonStatus.INJURED)
    try:
        return int(PersonStatus[status.upper()])
    except KeyError:
        return int(PersonStatus.ON_SITE)


_CODE_OF = {s.name: int(s) for s in PersonStatus}


def status_codes(people: list[dict[str, Any]]) -> np.ndarray:
    """:func:`status_code` of every person of ``people`` (int8), with the per-person work one dictionary
    lookup: the distinct status names (a handful) are mapped once, then the SOS rule is applied as arrays."""
    n = len(people)
    if not n:
        return np.zeros(0, dtype=np.int8)
    names = [str(p.get("status") or "on_site") for p in people]
    distinct = dict.fromkeys(names)
    for name in distinct:
        distinct[name] = _CODE_OF.get(name.upper(), int(PersonStatus.ON_SITE))
    codes = np.fromiter((distinct[name] for name in names), dtype=np.int8, count=n)
    sos = np.fromiter((bool(p.get("sos")) for p in people), dtype=bool, count=n)
    not_mustered = np.fromiter((name != "mustered" for name in names), dtype=bool, count=n)
    return np.where(sos & not_mustered, np.int8(PersonStatus.INJURED), codes).astype(np.int8)


def positions_from_people(people: dict[str, dict[str, Any]], base: PositionStore | None = None) -> PositionStore:
    """Everyone in ``base`` (e.g. the population file) plus everyone in ``people`` (the personnel
    projection), with the log's last positions (``t`` in µs → seconds) and statuses on top. ``base`` is
    not changed. One pass over the people builds columns; the rest is array work (a 2,000-person seek
    replays this for every frame)."""
    base_ids = [] if base is None else [str(i) for i in base.ids]
    keys = list(people)
    ids = list(dict.fromkeys([*base_ids, *keys]))
    store = PositionStore(ids)
    if base is not None and len(base):
        rows = np.arange(len(base_ids))  # the base's ids come first, in order (and are unique)
        store.x[rows], store.y[rows] = base.x, base.y
        store.status[rows], store.updated_s[rows] = base.status, base.updated_s
    if not keys:
        return store
    values = list(people.values())
    rows = store.rows(keys)
    xs = [p.get("x") for p in values]
    ys = [p.get("y") for p in values]
    placed = np.fromiter((x is not None and y is not None for x, y in zip(xs, ys, strict=True)), dtype=bool,
                         count=len(keys))
    if placed.any():
        x = np.array(xs, dtype=object)[placed].astype(float)
        y = np.array(ys, dtype=object)[placed].astype(float)
        t = np.fromiter(((p.get("t") or 0) for p in values), dtype=float, count=len(keys))[placed] / 1e6
        r = rows[placed]
        store.x[r], store.y[r], store.updated_s[r] = x, y, t
    store.status[rows] = status_codes(values)
    return store


class PeopleModel:
    """Where everyone is, for one plant: ``positions(state)`` from an incident's projections."""

    def __init__(self, plant: Any):
        self.plant = plant
        self.base = PositionStore.from_population(plant) if plant is not None else PositionStore([])
        self._cache: tuple[int, PositionStore] | None = None

    def positions(self, state: dict[str, Any]) -> PositionStore:
        """The positions of ``state`` (a folded projection state); cached per event seq."""
        seq = int(state.get("seq") or 0)
        if self._cache is not None and self._cache[0] == seq:
            return self._cache[1]
        store = positions_from_people(state["personnel"]["people"], self.base)
        self._cache = (seq, store)
        return store

    @staticmethod
    def hazard(state: dict[str, Any]) -> Hazard:
        """The current assessment's zones (empty when there is none)."""
        cur = state.get("hazard", {}).get("current")
        return hazard_from_payload(cur["zones"] if cur else None)

    def zone_counts(self, state: dict[str, Any], *, exclude_mustered: bool = True) -> dict[str, int]:
        """People inside each zone level of the current assessment, each counted once at their worst
        level (``{"red": n, "orange": n, "yellow": n}``); mustered people are not counted by default."""
        store = self.positions(state)
        hz = self.hazard(state)
        counts = dict.fromkeys(ZONE_LEVELS, 0)
        if not len(hz) or not len(store):
            return counts
        rank = hz.rank_at(store.x, store.y)
        if exclude_mustered:
            rank = np.where(store.status == PersonStatus.MUSTERED, 0, rank)
        for level, r in (("yellow", 1), ("orange", 2), ("red", 3)):
            counts[level] = int(np.count_nonzero(rank == r))
        return counts

    def status_counts(self, state: dict[str, Any], now_s: float | None = None) -> dict[str, int]:
        """People by status (``on_site``, ``evacuating``, ``mustered``, ``injured``, …, and ``stale``:
        those whose last report is older than :data:`STALE_S` at ``now_s``, seconds since the epoch)."""
        store = self.positions(state)
        names = {int(s): s.name.lower() for s in PersonStatus}
        codes, counts = np.unique(store.status, return_counts=True)
        out = {names[int(c)]: int(n) for c, n in zip(codes, counts, strict=True)}
        if now_s is not None:
            reported = np.isfinite(store.updated_s) & (store.updated_s > 0)
            out["stale"] = int(np.count_nonzero(reported & (now_s - store.updated_s > STALE_S)
                                                & (store.status != PersonStatus.MUSTERED)))
        return out


def routing_population(plant: Any, state: dict[str, Any] | None, model: PeopleModel | None = None) -> Any:
    """The population table routing plans for (``id, x, y, speed_mps, premovement_s, mobility``): everyone
    where the log last placed them (else where the population file has them), without the people already
    mustered or off site. Speed, pre-movement and mobility come from the population file when it has them."""
    import pandas as pd

    model = model or PeopleModel(plant)
    store = model.positions(state) if state is not None else model.base
    keep = (np.isfinite(store.x) & np.isfinite(store.y)
            & ~np.isin(store.status, [PersonStatus.MUSTERED, PersonStatus.OFF_SITE]))
    table = pd.DataFrame({"id": store.ids[keep].astype(str), "x": store.x[keep], "y": store.y[keep]})
    pop = getattr(plant, "population", None)
    cols = ["speed_mps", "premovement_s", "mobility"]
    if pop is not None and len(pop):
        extra = pop.set_index(pop["id"].astype(str))[[c for c in cols if c in pop.columns]]
        table = table.join(extra, on="id")
    for c in cols:
        if c not in table.columns:
            table[c] = None
    return table.astype({c: object for c in cols}).where(table.notna(), None)
