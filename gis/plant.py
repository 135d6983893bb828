"""The loaded plant: every layer in one projected CRS, the roster, the walkway graph and a spatial index.

A :class:`Plant` is what :func:`gis.loader.load_plant` returns and what every
other package reads. Coordinates are metres in ``plant.crs`` (a projected CRS in
metres: the source CRS when it already is one, else the local UTM zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from gis.issues import Issue
from gis.spatial_index import PlantIndex
from gis.walkway_graph import WalkwayGraph

LAYER_NAMES: tuple[str, ...] = (
    "site",
    "buildings",
    "zones",
    "walkways",
    "exits",
    "assembly_points",
    "hazard_sources",
    "sensors",
    "resources",
)


@dataclass
class Plant:
    """One site, loaded, validated and projected.

    ``layers`` maps every name in :data:`LAYER_NAMES` to a GeoDataFrame (empty
    when the package has no such layer) whose columns are the spec's attributes
    with defaults filled in, in ``crs``. Exits and assembly points carry
    ``node`` (the walkway graph node they join) and ``node_distance_m``.
    ``personnel`` is the roster with ``qualifications`` as a tuple of strings;
    ``population`` is the optional population file with x/y projected into
    ``crs``.
    """

    name: str
    timezone: str
    crs: CRS
    source_crs: CRS
    source: Path
    layers: dict[str, gpd.GeoDataFrame]
    personnel: pd.DataFrame
    population: pd.DataFrame | None
    graph: WalkwayGraph
    index: PlantIndex
    warnings: list[Issue] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy) of the site polygon, in metres."""
        return tuple(float(v) for v in self.layers["site"].total_bounds)  # type: ignore[return-value]

    def layer_counts(self) -> dict[str, int]:
        """Number of features in each layer, by layer name."""
        return {name: len(self.layers[name]) for name in LAYER_NAMES}

    def summary(self) -> dict[str, object]:
        """The ``plant check --json`` summary: layers, graph, personnel, warnings."""
        return {
            "name": self.name,
            "timezone": self.timezone,
            "crs": self.crs.to_string(),
            "source_crs": self.source_crs.to_string(),
            "layers": self.layer_counts(),
            "graph": self.graph.stats(),
            "personnel": len(self.personnel),
            "population": 0 if self.population is None else len(self.population),
            "warnings": [w.to_dict() for w in self.warnings],
            "errors": [],
        }
