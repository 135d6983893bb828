"""Source by equipment: pick the tank, reactor or line by name or on the map; its substance, inventory,
pressure and temperature prefill the release; a different substance needs an explicit override.

Pure functions over a loaded plant's ``hazard_sources`` layer (plant CRS metres), for the window and the CLI.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from gis.hazards.library import UnknownSubstanceError, library
from gis.hazards.refusals import Refusal
from gis.substances import fold


@dataclass(frozen=True)
class Equipment:
    """One hazard source as a person knows it: id, names, kind, position, what it holds and how."""

    id: str
    name_zh: str
    name_en: str
    kind: str
    x: float
    y: float
    substance: str  # library key, or the text of the package when the library does not know it
    substance_zh: str
    substance_en: str
    inventory_kg: float
    pressure_bar: float
    temperature_c: float

    def label(self, lang: str = "en") -> str:
        """``液氨卧罐V-201A (HZ-201)`` / ``Ammonia bullet V-201A (HZ-201)``."""
        name = self.name_zh if lang.lower().startswith("zh") else (self.name_en or self.name_zh)
        return f"{name or self.id} ({self.id})"

    def prefill(self) -> dict[str, Any]:
        """The release form's fields from this equipment: substance, inventory (kg), pressure (bar abs),
        temperature (°C), position."""
        return {"source_id": self.id, "substance": self.substance, "inventory_kg": self.inventory_kg,
                "pressure_bar": self.pressure_bar, "temperature_c": self.temperature_c, "x": self.x, "y": self.y}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return asdict(self)


def _f(row: Any, name: str, default: float) -> float:
    v = row.get(name, default)
    try:
        v = float(v)
    except (TypeError, ValueError):
        return default
    return v if math.isfinite(v) else default


def plant_equipment(plant: Any) -> list[Equipment]:
    """Every hazard source of a plant as :class:`Equipment` (substance resolved through the library)."""
    out = []
    for sid, row in plant.layers["hazard_sources"].iterrows():
        text = str(row.get("substance") or "")
        entry = library().find(text)
        out.append(Equipment(str(sid), str(row.get("name") or ""), str(row.get("name_en") or ""),
                             str(row.get("kind") or "other"), float(row.geometry.x), float(row.geometry.y),
                             entry.key if entry else text, entry.name_zh if entry else text,
                             entry.name_en if entry else text, _f(row, "inventory_kg", 0.0),
                             _f(row, "pressure_bar", 1.0), _f(row, "temperature_c", 20.0)))
    return out


def find_equipment(items: list[Equipment], text: str) -> list[Equipment]:
    """Equipment whose id, Chinese or English name contains ``text`` (any case, full/half width); an exact
    id match comes first."""
    f = fold(text)
    if not f:
        return list(items)
    exact = [e for e in items if fold(e.id) == f]
    rest = [e for e in items if e not in exact and any(f in fold(n) for n in (e.id, e.name_zh, e.name_en) if n)]
    return exact + rest


def nearest_equipment(items: list[Equipment], x: float, y: float, max_m: float = 30.0) -> Equipment | None:
    """The equipment nearest to a click at (x, y) (plant CRS m) within ``max_m`` metres, or None."""
    if not items or not (math.isfinite(x) and math.isfinite(y)):
        return None
    best = min(items, key=lambda e: math.hypot(e.x - x, e.y - y))
    return best if math.hypot(best.x - x, best.y - y) <= max_m else None


def check_substance(equipment: Equipment, substance: str | None, override: bool = False) -> list[Refusal]:
    """Refusals for modelling ``substance`` at ``equipment``: an unknown name, or a substance other than the
    one the equipment holds (e.g. Cl2 at an H2S tank) unless ``override`` is set — the user must say so
    explicitly, and the assessment records it. Empty when the release may go ahead."""
    if substance is None or not str(substance).strip():
        return []
    try:
        entry = library().lookup(substance)
    except UnknownSubstanceError as exc:
        return [Refusal("substance-unknown", "substance",
                        f"物质库中找不到该物质：{exc}。请输入中文名、英文名、分子式或CAS号。", str(exc))]
    held = library().find(equipment.substance)
    if held is None or held.key == entry.key or override:
        return []
    return [Refusal("substance-mismatch", "substance",
                    f"{equipment.label('zh')} 储存的是{held.name_zh}（{held.key}），"
                    f"不是{entry.name_zh}（{entry.key}）。"
                    f"请改选{held.name_zh}，或确认“覆盖”后再按{entry.name_zh}计算（将记入事件日志）。",
                    f"{equipment.label('en')} holds {held.name_en} ({held.key}), not {entry.name_en} ({entry.key}). "
                    f"Choose {held.name_en}, or confirm the override to model {entry.name_en} there (it is recorded "
                    "in the incident log).")]
