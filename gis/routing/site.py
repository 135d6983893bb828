"""What routing needs to know about a plant: the graph, the assembly points, names for instructions."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from gis.plant import Plant
from gis.walkway_graph import WalkwayGraph


def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v).strip()


@dataclass
class AssemblyPoints:
    """Assembly points: ids, names (Chinese and English), graph nodes, capacities (persons), positions."""

    ids: np.ndarray
    nodes: np.ndarray
    capacity: np.ndarray
    xy: np.ndarray
    names: list[str] = field(default_factory=list)
    names_en: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def __post_init__(self) -> None:
        self.ids = np.asarray(self.ids, dtype=object)
        self.nodes = np.asarray(self.nodes, dtype=np.int64)
        self.capacity = np.asarray(self.capacity, dtype=float)
        self.xy = np.asarray(self.xy, dtype=float).reshape(-1, 2)
        self.names = self.names or [str(i) for i in self.ids]
        self.names_en = self.names_en or list(self.names)


@dataclass
class Landmark:
    """A named place at a node that instructions may mention (an exit gate, an assembly point)."""

    node: int
    name: str
    name_en: str


@dataclass
class Site:
    """The routing view of a plant (or of a hand-built test network).

    ``walkway_names`` maps a walkway id to ``(name, name_en)`` (either may be empty);
    ``landmarks`` are named nodes; ``polygon`` is the site boundary (None: no boundary check).
    """

    graph: WalkwayGraph
    aps: AssemblyPoints
    walkway_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    landmarks: list[Landmark] = field(default_factory=list)
    polygon: shapely.Geometry | None = None

    @classmethod
    def of_plant(cls, plant: Plant) -> Site:
        """The routing view of a loaded plant."""
        ap = plant.layers["assembly_points"]
        names_en = ap["name_en"] if "name_en" in ap.columns else ap["name"]
        aps = AssemblyPoints(ap.index.to_numpy(object), ap["node"].to_numpy(np.int64), ap["capacity"].to_numpy(float),
                             shapely.get_coordinates(ap.geometry.values),
                             [_text(v) for v in ap["name"]], [_text(v) or _text(n) for v, n in
                                                              zip(names_en, ap["name"], strict=True)])
        walk = plant.layers["walkways"]
        nm = walk["name"] if "name" in walk.columns else [None] * len(walk)
        nm_en = walk["name_en"] if "name_en" in walk.columns else [None] * len(walk)
        names = {str(i): (_text(a), _text(b)) for i, a, b in zip(walk.index, nm, nm_en, strict=True)}
        marks = []
        ex = plant.layers["exits"]
        if len(ex):
            ex_en = ex["name_en"] if "name_en" in ex.columns else ex["name"]
            for fid, node, name, name_en in zip(ex.index, ex["node"], ex["name"], ex_en, strict=True):
                marks.append(Landmark(int(node), _text(name) or str(fid), _text(name_en) or _text(name) or str(fid)))
        site = plant.layers["site"]
        return cls(plant.graph, aps, names, marks, site.geometry.iloc[0] if len(site) else None)
