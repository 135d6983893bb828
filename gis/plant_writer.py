"""Writing a loaded plant back out as a GeoPackage that loads to the same plant.

The GeoPackage holds every non-empty layer in the plant's metric CRS (so no
re-projection happens on the way back), the roster as an attribute-only
``personnel`` table and, when present, the ``population`` table with x/y in the
same CRS.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from gis.plant import LAYER_NAMES, Plant

#: columns the loader derives, which are not part of the package format
DERIVED_COLUMNS = ("node", "node_distance_m")


def _layer_frame(plant: Plant, name: str) -> gpd.GeoDataFrame:
    gdf = plant.layers[name].drop(columns=[c for c in DERIVED_COLUMNS if c in plant.layers[name].columns])
    if name == "site":
        gdf = gdf.reset_index(drop=True)
        gdf["name"] = plant.name
        gdf["timezone"] = plant.timezone
        return gdf
    out = gdf.reset_index()
    # Object columns may mix numbers and text (free extra attributes); GeoPackage columns are typed.
    for col in out.columns:
        if col != out.geometry.name and out[col].dtype == object:
            kinds = {type(v) for v in out[col] if v is not None and not (isinstance(v, float) and pd.isna(v))}
            if len(kinds) > 1:
                out[col] = out[col].map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v))
                                        else str(v))
    return out


def write_gpkg(plant: Plant, out: str | Path) -> Path:
    """Write ``plant`` to the GeoPackage ``out`` (replacing it); returns the path written."""
    path = Path(out)
    if path.exists():
        path.unlink()
    for name in LAYER_NAMES:
        if len(plant.layers[name]) == 0:
            continue
        pyogrio.write_dataframe(_layer_frame(plant, name), path, layer=name, driver="GPKG")
    if len(plant.personnel):
        roster = plant.personnel.reset_index()
        roster["qualifications"] = roster["qualifications"].map(lambda q: ";".join(q))
        pyogrio.write_dataframe(roster.astype(str), path, layer="personnel", driver="GPKG")
    if plant.population is not None and len(plant.population):
        pop = plant.population.copy()
        for col in ("speed_mps", "premovement_s"):
            pop[col] = pop[col].map(lambda v: "" if v is None or pd.isna(v) else repr(float(v)))
        pop["x"] = pop["x"].map(repr)
        pop["y"] = pop["y"].map(repr)
        pyogrio.write_dataframe(pop.astype(str), path, layer="population", driver="GPKG")
    return path
