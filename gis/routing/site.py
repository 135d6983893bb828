"""What routing needs to know about a plant: the graph, the assembly points, names for instructions."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from gis.plant import Plant
from gis.routing.hazard_graph import EdgeBoxes
from gis.routing.network import PROFILES, Arcs, SearchGraph
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
    _cache: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def arcs(self) -> Arcs:
        """The directed arcs of the graph (built once per site)."""
        if "arcs" not in self._cache:
            self._cache["arcs"] = Arcs.of(self.graph)
        return self._cache["arcs"]  # type: ignore[return-value]

    def search_graph(self, forward: bool = False) -> SearchGraph:
        """The sparse graph every search of this site reuses (built once): reversed arcs (searches toward
        targets) or, with ``forward``, the arcs as they are (searches from sources)."""
        key = "forward" if forward else "reverse"
        if key not in self._cache:
            a = self.arcs()
            self._cache[key] = SearchGraph(Arcs(a.n_nodes, a.head, a.tail, a.edge, a.forward) if forward else a)
        return self._cache[key]  # type: ignore[return-value]

    def edge_boxes(self) -> EdgeBoxes:
        """The edges' bounding boxes, for putting hazards on the graph (built once)."""
        if "boxes" not in self._cache:
            self._cache["boxes"] = EdgeBoxes.of(self.graph)
        return self._cache["boxes"]  # type: ignore[return-value]

    def unit_times(self) -> list[np.ndarray]:
        """Seconds per arc at 1 m/s for each mobility profile (built once)."""
        if "unit" not in self._cache:
            self._cache["unit"] = [self.arcs().unit_time(self.graph, p) for p in PROFILES]
        return self._cache["unit"]  # type: ignore[return-value]

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
