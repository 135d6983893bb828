"""What "Find" can find: people (id, name, device), the plant's equipment and places (hazard sources, detectors,
resources, buildings, exits, assembly points) by id or name in either language. Qt-free.

A match ranks by how the text meets the entry: the whole id, then an id or name that starts with it, then a
name that contains it; people come with where they were last seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

FEATURE_LAYERS = ("hazard_sources", "sensors", "resources", "buildings", "exits", "assembly_points", "zones")


@dataclass(frozen=True)
class Entry:
    """One findable thing: what (``person`` or a layer name), its id, names, device, and position (m)."""

    kind: str
    id: str
    name: str
    name_en: str
    device: str
    x: float
    y: float

    def label(self, language: str = "en") -> str:
        """``id name`` in the UI language (``name_en`` in English when there is one)."""
        name = self.name_en if language == "en" and self.name_en else self.name or self.name_en
        return f"{self.id} {name}".strip()


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return ""
    return str(v).strip()


def build_index(plant: Any, positions: Any = None) -> list[Entry]:
    """Every findable entry of ``plant`` and of the people in ``positions`` (a PositionStore)."""
    out: list[Entry] = []
    roster = plant.personnel if plant is not None else None
    if positions is not None and len(positions):
        names = roster["name"].astype(str).to_dict() if roster is not None and "name" in roster else {}
        devices = roster["device_id"].astype(object).to_dict() if roster is not None and "device_id" in roster else {}
        for pid, x, y in zip(positions.ids.astype(str).tolist(), positions.x.tolist(), positions.y.tolist(),
                             strict=True):
            out.append(Entry("person", pid, names.get(pid, ""), "", _text(devices.get(pid)), x, y))
    for layer in FEATURE_LAYERS:
        gdf = plant.layers.get(layer) if plant is not None else None
        if gdf is None or not len(gdf):
            continue
        pts = gdf.geometry.representative_point() if layer in ("buildings", "zones") else gdf.geometry
        names = gdf["name"] if "name" in gdf else [None] * len(gdf)
        names_en = gdf["name_en"] if "name_en" in gdf else [None] * len(gdf)
        for fid, p, n, ne in zip(gdf.index.astype(str), pts, names, names_en, strict=True):
            out.append(Entry(layer, fid, _text(n), _text(ne), "", float(p.x), float(p.y)))
    return out


def find(index: list[Entry], text: str, limit: int = 20) -> list[Entry]:
    """The entries matching ``text`` (case-insensitive), best first (see the module docstring)."""
    q = text.strip().lower()
    if not q:
        return []
    scored = []
    for k, e in enumerate(index):
        ids = (e.id.lower(), e.device.lower())
        names = (e.name.lower(), e.name_en.lower())
        if q in ids:
            score = 0
        elif any(i.startswith(q) for i in ids if i):
            score = 1
        elif any(n.startswith(q) for n in names if n):
            score = 2
        elif any(q in n for n in names if n) or any(q in i for i in ids if i):
            score = 3
        else:
            continue
        scored.append((score, e.kind != "person", len(e.id), k, e))
    scored.sort(key=lambda s: s[:4])
    return [s[4] for s in scored[:limit]]
