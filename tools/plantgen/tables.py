"""The plant's tables, read from the JSON files in ``data/``: blocks and what stands in them, gates,
assembly points, hazard sources, sensors, resources, names, qualifications and staffing.

Editing a file in ``data/`` changes the generated plant; the code only turns these records into
geometry and people. A position spec (``at``) is ``["cell", zone, i, j]`` (fractional grid indices of a
block), ``["bld" | "open", key, fx, fy]`` (fractions of a building's or an open area's box) or
``["tank", id]`` / ``["tank", id, angle_deg, clearance_m]`` (a tank's centre or a point beside it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def _at(spec: list[Any]) -> tuple[Any, ...]:
    return tuple(spec)


@dataclass(frozen=True)
class Bld:
    """An enclosed building on grid cells (i0, i1, j0, j1) of its block."""

    key: str
    cells: tuple[int, int, int, int]
    name: str
    name_en: str
    kind: str
    floors: int = 1
    occupancy: int = 0
    upper: str = "stair"  # the second vertical link between floors: stair or ladder
    chute: bool = False  # a one-way escape chute from the top platform


@dataclass(frozen=True)
class Tank:
    """A vertical tank or a sphere (a circular `storage` building) centred on its cells."""

    id: str
    cells: tuple[int, int, int, int]
    diameter: float
    name: str
    name_en: str
    contents: str
    capacity_m3: int
    sphere: bool = False


@dataclass(frozen=True)
class Open:
    """An open area (car park, lawn, yard, basin, switchyard) with no walkways inside."""

    key: str
    cells: tuple[int, int, int, int]
    name: str
    name_en: str


@dataclass(frozen=True)
class Block:
    """One block between roads: a zone with its walkway grid, buildings, tanks and open areas."""

    zone: str
    col: int
    row: int
    stride: int
    name: str
    name_en: str
    kind: str
    risk: str
    owner: str
    walk_width: tuple[float, ...]
    thin: str = ""  # 'h' / 'v': keep every other E-W / N-S line (and all lines round buildings and tanks)
    blds: tuple[Bld, ...] = ()
    tanks: tuple[Tank, ...] = ()
    opens: tuple[Open, ...] = ()


@dataclass(frozen=True)
class Hazard:
    """A hazard source: where it is, what it holds (kg) and at what pressure (bar) and temperature (°C)."""

    id: str
    zone: str
    at: tuple[Any, ...]
    name: str
    name_en: str
    substance: str
    inventory_kg: int
    kind: str
    pressure_bar: float
    temperature_c: float
    detectors: int = 4


@dataclass(frozen=True)
class Group:
    """``n`` people of one role and team.

    ``places`` says where they are at 10:00 on a weekday: space-separated ``place:weight`` items, a
    place being a building key (indoors) or a zone id (outdoors beside its walkways).
    """

    n: int
    role: str
    team: str
    zone: str
    places: str
    owner_key: str | None = None
    trade: str | None = None


@cache
def blocks() -> tuple[Block, ...]:
    """The 24 blocks of the plant, south-west to north-east. Cell indices refer to each block's grid."""
    out = []
    for b in _load("blocks"):
        out.append(Block(
            **{k: v for k, v in b.items() if k not in ("walk_width", "blds", "tanks", "opens")},
            walk_width=tuple(b["walk_width"]),
            blds=tuple(Bld(**{**s, "cells": tuple(s["cells"])}) for s in b["blds"]),
            tanks=tuple(Tank(**{**t, "cells": tuple(t["cells"])}) for t in b["tanks"]),
            opens=tuple(Open(**{**o, "cells": tuple(o["cells"])}) for o in b["opens"])))
    return tuple(out)


@cache
def fenced() -> tuple[str, ...]:
    """Open areas fenced off (basins, switchyard, flare, hot or toxic plots): nobody stands inside at 10:00."""
    return tuple(_load("fenced"))


@cache
def gates() -> tuple[dict[str, Any], ...]:
    """Site gates: id, name, name_en, width_m, zone, axis ('x': N-S grid line ``index``, 'y': E-W), side.

    Gates line up with a grid walkway of their block, so the gate road continues a block walkway."""
    return tuple(_load("gates"))


@cache
def assembly_points() -> tuple[dict[str, Any], ...]:
    """Assembly points: id, name, name_en, capacity (persons), sheltered, at (a position spec)."""
    return tuple({**a, "at": _at(a["at"])} for a in _load("assembly_points"))


@cache
def hazards() -> tuple[Hazard, ...]:
    """Hazard sources with their inventories (kg), pressures (bar) and temperatures (°C)."""
    return tuple(Hazard(**{**h, "at": _at(h["at"])}) for h in _load("hazard_sources"))


@cache
def gas_detectors() -> dict[str, tuple[str, float, float, str, str]]:
    """Gas detector settings by substance: unit, warn, alarm (GB/T 50493 style), Chinese and English label."""
    return {k: (v["unit"], v["warn"], v["alarm"], v["label"], v["label_en"]) for k, v in _load("gas_detectors").items()}


@cache
def other_sensors() -> tuple[tuple[str, tuple[Any, ...], str, str], ...]:
    """Non-gas sensors: kind, at, name, name_en."""
    return tuple((r["kind"], _at(r["at"]), r["name"], r["name_en"]) for r in _load("other_sensors"))


@cache
def resources() -> tuple[tuple[str, tuple[Any, ...], int, bool, str, str], ...]:
    """Resources beyond hydrants and building extinguishers: kind, at, quantity, expires?, name, name_en."""
    return tuple((r["kind"], _at(r["at"]), r["quantity"], r["expires"], r["name"], r["name_en"])
                 for r in _load("resources"))


@cache
def names() -> tuple[str, str, tuple[str, ...]]:
    """Surnames (most common first), given-name characters and mobile phone prefixes."""
    d = _load("names")
    return d["surnames"], d["given"], tuple(d["phone_prefixes"])


@cache
def qualifications() -> tuple[dict[str, tuple[tuple[str, ...], tuple[str, ...]]], ...]:
    """(by role, by contractor trade): qualifications always held, and those each held with probability 0.4."""
    d = _load("qualifications")
    return tuple({k: (tuple(v["always"]), tuple(v["maybe"])) for k, v in d[part].items()}
                 for part in ("by_role", "by_trade"))  # type: ignore[return-value]


@cache
def _groups() -> dict[str, list[dict[str, Any]]]:
    return _load("groups")


def groups(kind: str, crew: str = "") -> list[Group]:
    """Staff groups: ``day`` staff, a ``shift`` crew (``{crew}`` in team names becomes ``crew``),
    ``contractors`` or ``visitors``."""
    return [Group(**{**g, "team": g["team"].replace("{crew}", crew)}) for g in _groups()[kind]]
