"""Load, validate and project a plant package into a :class:`~gis.plant.Plant`.

Validation collects every problem before failing, each naming the file or
layer, the feature id, the field and what is wrong (see :mod:`gis.issues`).
Geographic coordinates are projected to the local UTM zone; the walkway graph is
built and exits and assembly points joined to it (within 25 m).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from gis import schema
from gis.crs import CRSProblem, check_usable, plant_crs_for, transform_geometries, transform_xy
from gis.issues import IssueCollector, PlantError
from gis.package_reader import RawLayer, RawPackage, read_package
from gis.plant import LAYER_NAMES, Plant
from gis.spatial_index import PlantIndex
from gis.walkway_graph import NodingLimit, WalkwayGraph, build_walkway_graph

_GEOM_LABEL = {"Polygon": "polygon", "MultiPolygon": "polygon", "LineString": "line",
               "MultiLineString": "line", "Point": "point"}


def _empty_layer(spec: schema.LayerSpec, crs: CRS) -> gpd.GeoDataFrame:
    cols = [f.name for f in spec.fields if f.name != "id"]
    gdf = gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in cols},
                           geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    gdf.index = pd.Index([], dtype=object, name="id")
    return gdf


def _validate_geometry(spec: schema.LayerSpec, layer: RawLayer, i: int, geom: Any, label: str,
                       issues: IssueCollector) -> Any:
    """The usable geometry of feature ``i`` (single-part lines exploded), or None after recording why not."""
    if geom is None or shapely.is_missing(geom):
        if layer.records[i] is not None:
            issues.error("missing-geometry", layer.source, "feature has no geometry", label, "geometry")
        return None
    gtype = geom.geom_type
    if gtype not in spec.geometry:
        want = " or ".join(sorted({_GEOM_LABEL.get(g, g) for g in spec.geometry}))
        issues.error("wrong-geometry-type", layer.source, f"geometry is a {gtype}; layer '{spec.name}' "
                     f"needs a {want}", label, "geometry")
        return None
    if geom.is_empty:
        issues.error("missing-geometry", layer.source, "geometry is empty", label, "geometry")
        return None
    coords = shapely.get_coordinates(geom)
    if not np.all(np.isfinite(coords)):
        issues.error("malformed-geometry", layer.source, "geometry has non-finite coordinates", label, "geometry")
        return None
    if np.abs(coords).max() > schema.MAX_COORDINATE:
        issues.error("out-of-range", layer.source, f"coordinate {np.abs(coords).max():.3g} is beyond "
                     f"±{schema.MAX_COORDINATE:g}, outside any plausible CRS extent", label, "geometry")
        return None
    if gtype in ("LineString", "MultiLineString"):
        geom = _drop_zero_length_parts(geom, layer.source, label, issues)
        if geom is None:
            return None
    if gtype in ("Polygon", "MultiPolygon") and not geom.is_valid:
        issues.error("invalid-polygon", layer.source, f"invalid polygon: {shapely.is_valid_reason(geom)}",
                     label, "geometry")
        return None
    if gtype == "MultiLineString":
        parts = list(geom.geoms)
        if len(parts) == 1:
            geom = parts[0]
        else:
            merged = shapely.line_merge(geom)
            if merged.geom_type == "LineString":
                geom = merged
            else:
                issues.warn("multipart-walkway", layer.source, f"walkway has {len(parts)} separate parts; each "
                            "part is noded on its own", label, "geometry")
    return geom


def _drop_zero_length_parts(geom: Any, source: str, label: str, issues: IssueCollector) -> Any:
    """``geom`` without its zero-length parts (all points in one place: nothing to walk along); None, with
    an error, when nothing is left."""
    parts = shapely.get_parts(geom)
    zero = shapely.length(parts) <= 0.0
    if zero.all():
        issues.error("degenerate-geometry", source, "walkway has zero length (all its points coincide)", label,
                     "geometry")
        return None
    if zero.any():
        issues.warn("degenerate-geometry", source, f"{int(zero.sum())} of the walkway's {len(parts)} parts have "
                    "zero length and are ignored", label, "geometry")
        kept = parts[~zero]
        return kept[0] if len(kept) == 1 else shapely.multilinestrings(kept)
    return geom


def _geographic_extent(crs: CRS | None, checked: tuple[list, list, list], source: str,
                       issues: IssueCollector) -> tuple[list, list, list]:
    """Drop (with an error each) features of a geographic layer whose coordinates are not longitudes
    within ±180° and latitudes within ±90°: they cannot be projected."""
    rows, geoms, ids = checked
    if crs is None or not crs.is_geographic or not geoms:
        return checked
    b = shapely.bounds(np.asarray(geoms, dtype=object))
    bad = (np.abs(b[:, [0, 2]]) > 180.0).any(axis=1) | (np.abs(b[:, [1, 3]]) > 90.0).any(axis=1)
    for k in np.flatnonzero(bad):
        issues.error("out-of-range", source, f"coordinates ({b[k, 0]:.6g}, {b[k, 1]:.6g}) are not longitude/"
                     f"latitude in degrees, but the layer's CRS is {crs.to_string()}", ids[k] if ids else None,
                     "geometry")
    keep = np.flatnonzero(~bad)
    return [rows[k] for k in keep], [geoms[k] for k in keep], [ids[k] for k in keep] if ids else ids


def _unprojectable(projected: np.ndarray, ids: list[str], source: str,
                   issues: IssueCollector) -> np.ndarray:
    """Mask of features whose projected coordinates are not finite (outside the projection's domain),
    each recorded as an error."""
    coords, which = shapely.get_coordinates(projected, return_index=True)
    bad_rows = np.unique(which[~np.isfinite(coords).all(axis=1)])
    mask = np.zeros(len(projected), dtype=bool)
    mask[bad_rows] = True
    for k in bad_rows:
        issues.error("out-of-range", source, "coordinates cannot be projected to the plant's CRS (outside its "
                     "domain)", ids[k] if ids else None, "geometry")
    return mask


def _extra_value(v: Any) -> Any:
    """An attribute the spec does not know, kept for display: scalars as they are, anything nested as
    compact JSON text (capped), so it can be shown and written back without surprises."""
    if isinstance(v, str | int | float | bool) and not (isinstance(v, float) and not np.isfinite(v)):
        return v if not isinstance(v, str) or len(v) <= schema.MAX_TEXT_CHARS else v[:schema.MAX_TEXT_CHARS]
    try:
        text = json.dumps(v, ensure_ascii=False, default=str, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        text = type(v).__name__
    return text[:schema.MAX_TEXT_CHARS]


def _feature_id(layer: RawLayer, i: int, raw_id: Any, seen: dict[str, int], issues: IssueCollector
                ) -> tuple[str, bool]:
    """The id of feature ``i`` (or ``#i``) and whether it is usable: present, a plain value, not a repeat."""
    if schema.is_missing(raw_id):
        issues.error("missing-attribute", layer.source, "required attribute 'id' is missing", f"#{i + 1}", "id")
        return f"#{i + 1}", False
    try:
        label = schema.parse_value(schema.Field("id"), raw_id)
    except schema.ValueProblem as exc:
        issues.error(exc.code, layer.source, str(exc), f"#{i + 1}", "id")
        return f"#{i + 1}", False
    if label in seen:
        issues.error("duplicate-id", layer.source, f"id '{label}' is used by features #{seen[label] + 1} and "
                     f"#{i + 1}", label, "id")
        return label, False
    seen[label] = i
    return label, True


def _validate_layer(spec: schema.LayerSpec, layer: RawLayer | None, issues: IssueCollector
                    ) -> tuple[list[dict[str, Any]], list[Any], list[str]]:
    """Typed attribute rows, geometries and ids of the valid features of one layer."""
    if layer is None:
        if spec.required:
            issues.error("missing-layer", spec.name, f"required layer '{spec.name}' is missing")
        return [], [], []
    if len(layer.records) == 0 and spec.required:
        issues.error("empty-layer", layer.source, f"required layer '{spec.name}' has no features")
    if spec.single and len(layer.records) > 1:
        issues.error("too-many-features", layer.source, f"layer '{spec.name}' must hold exactly one feature, "
                     f"found {len(layer.records)}")

    rows: list[dict[str, Any]] = []
    geoms: list[Any] = []
    ids: list[str] = []
    seen: dict[str, int] = {}
    for i, props in enumerate(layer.records):
        raw_id = props.get("id")
        label = str(layer.feature_ids[i]) if layer.feature_ids else f"#{i + 1}"
        ok = True
        if spec.has_id:
            label, ok = _feature_id(layer, i, raw_id, seen, issues)
        row: dict[str, Any] = {}
        for f in spec.fields:
            if f.name == "id":
                continue
            value = props.get(f.name)
            if f.required and schema.is_missing(value):
                issues.error("missing-attribute", layer.source, f"required attribute '{f.name}' is missing",
                             label, f.name)
                ok = False
                continue
            try:
                row[f.name] = schema.parse_value(f, value)
            except schema.ValueProblem as exc:
                code = "negative-capacity" if f.name == "capacity" and exc.code == "negative-value" else exc.code
                issues.error(code, layer.source, str(exc), label, f.name)
                ok = False
        for k, v in props.items():
            if k not in row and k != "id" and not schema.is_missing(v):
                row[k] = _extra_value(v)
        geom = _validate_geometry(spec, layer, i, layer.geometries[i], label, issues)
        if geom is None or not ok:
            continue
        rows.append(row)
        geoms.append(geom)
        ids.append(label)
    return rows, geoms, ids


def _fill_layer_defaults(name: str, df: pd.DataFrame, source: str, issues: IssueCollector) -> None:
    """Defaults that depend on other attributes, and checks across attributes of one feature."""
    if len(df) == 0:
        return
    if name == "walkways":
        sf = df["speed_factor"].astype(object)
        default_sf = df["kind"].map(lambda k: schema.DEFAULT_SPEED_FACTOR.get(k, 1.0))
        df["speed_factor"] = sf.where(sf.notna(), default_sf).astype(float)
        cap = df["capacity_pps"].astype(object)
        df["capacity_pps"] = cap.where(cap.notna(), df["width_m"].astype(float) * schema.UNIT_FLOW_PPS_PER_M)
        df["capacity_pps"] = df["capacity_pps"].astype(float)
        df["one_way"] = df["one_way"].astype(bool)
    elif name == "sensors":
        for fid, row in df.iterrows():
            if row["kind"] == "gas" and schema.is_missing(row.get("substance")):
                issues.error("missing-attribute", source, "gas sensor needs a 'substance'", str(fid), "substance")
            if schema.is_missing(row.get("unit")):
                df.at[fid, "unit"] = schema.DEFAULT_SENSOR_UNIT.get(row["kind"])
            warn, alarm = row.get("warn"), row.get("alarm")
            if not schema.is_missing(warn) and not schema.is_missing(alarm):
                low_side = row["kind"] == "oxygen"
                if (low_side and warn < alarm) or (not low_side and warn > alarm):
                    side = "above" if low_side else "below"
                    issues.warn("threshold-order", source, f"warn level {warn:g} should be {side} the alarm "
                                f"level {alarm:g}", str(fid), "warn")
    elif name == "zones":
        missing = df["risk"].isna()
        for fid in df.index[missing]:
            issues.warn("default-value", source, "zone has no risk class; assumed C", str(fid), "risk")
        df.loc[missing, "risk"] = "C"
    elif name == "assembly_points":
        for fid in df.index[df["capacity"].astype(int) == 0]:
            issues.warn("zero-capacity", source, "assembly point has capacity 0: nobody can be sent there",
                        str(fid), "capacity")


def _layer_crs(layer: RawLayer, issues: IssueCollector) -> CRS | None:
    if layer.crs is None:
        return None
    try:
        check_usable(layer.crs)
    except CRSProblem as exc:
        code = "crs-not-metres" if "not metres" in str(exc) else "bad-crs"
        issues.error(code, layer.source, str(exc), field="crs")
        return None
    return layer.crs


def _site_attributes(pkg: RawPackage, rows: list[dict[str, Any]]) -> tuple[str, str]:
    name = pkg.site_yaml.get("name") or (rows[0].get("name") if rows else None) or pkg.path.stem
    tz_raw = pkg.site_yaml.get("timezone") or (rows[0].get("timezone") if rows else None) or "Asia/Shanghai"
    return str(name), str(tz_raw)


def _validate_personnel(pkg: RawPackage, zone_ids: set[str], issues: IssueCollector) -> pd.DataFrame:
    cols = [f.name for f in schema.PERSONNEL_FIELDS]
    if "personnel" not in pkg.tables:
        issues.warn("missing-layer", "personnel.csv", "no personnel roster: plans cannot assign tasks")
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols}).set_index("id")
    source, df = pkg.tables["personnel"]
    df = df.rename(columns=lambda c: str(c).strip())
    missing_cols = [f.name for f in schema.PERSONNEL_FIELDS if f.required and f.name not in df.columns]
    for c in missing_cols:
        issues.error("missing-attribute", source, f"required column '{c}' is missing", field=c)
    if missing_cols:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols}).set_index("id")
    for c in cols:
        if c not in df.columns:
            df[c] = ""
    df = df.fillna("").astype(str).apply(lambda s: s.str.strip())
    good = np.ones(len(df), dtype=bool)
    seen: dict[str, int] = {}
    devices: dict[str, str] = {}
    for i, row in enumerate(df.itertuples(index=False)):
        line = f"line {i + 2}"
        pid = row.id
        label = pid or line
        for f in ("id", "name", "role"):
            if not getattr(row, f):
                what = "without a role" if f == "role" else f"without '{f}'"
                issues.error("missing-attribute", source, f"person {what} ({line})", label, f)
                good[i] = False
        if pid:
            if pid in seen:
                issues.error("duplicate-id", source, f"id '{pid}' appears on lines {seen[pid] + 2} and {i + 2}",
                             pid, "id")
                good[i] = False
            else:
                seen[pid] = i
        dev = row.device_id
        if dev:
            if dev in devices:
                issues.error("duplicate-id", source, f"device '{dev}' is carried by both {devices[dev]} and "
                             f"{label}", label, "device_id")
                good[i] = False
            else:
                devices[dev] = label
        if row.home_zone and zone_ids and row.home_zone not in zone_ids:
            issues.warn("unknown-reference", source, f"home_zone '{row.home_zone}' is not a zone id", label,
                        "home_zone")
    df = df[good].copy()
    df["qualifications"] = df["qualifications"].map(
        lambda s: tuple(q.strip() for q in s.replace(",", ";").split(";") if q.strip()))
    return df.set_index("id")


def _validate_population(pkg: RawPackage, source_crs: CRS, plant_crs: CRS, personnel_ids: set[str],
                         site: Any, issues: IssueCollector) -> pd.DataFrame | None:
    if "population" not in pkg.tables:
        return None
    source, df = pkg.tables["population"]
    return parse_population(df, source, source_crs, plant_crs, personnel_ids, issues, site=site)


def _off_site_warning(pop: pd.DataFrame, site: Any, source: str, issues: IssueCollector) -> None:
    """Warn, naming them, about people more than :data:`schema.PERSON_JOIN_DISTANCE_M` outside the site
    fence: a row kilometres away is a typo or a CRS mix-up far more often than a person."""
    dist = shapely.distance(site, shapely.points(pop["x"].to_numpy(float), pop["y"].to_numpy(float)))
    far = np.flatnonzero(dist > schema.PERSON_JOIN_DISTANCE_M)
    if len(far) == 0:
        return
    order = far[np.argsort(-dist[far], kind="stable")]
    shown = ", ".join(f"{pop['id'].iloc[k]} ({dist[k]:,.0f} m)" for k in order[:5])
    issues.warn("outside-site", source, f"{len(far)} people are more than {schema.PERSON_JOIN_DISTANCE_M:g} m "
                f"outside the site polygon: {shown}{' ...' if len(far) > 5 else ''}", str(pop["id"].iloc[order[0]]),
                "x")


def parse_population(df: pd.DataFrame, source: str, source_crs: CRS, plant_crs: CRS,
                     personnel_ids: set[str] | None, issues: IssueCollector, site: Any = None) -> pd.DataFrame:
    """Validate a population table (``id, x, y, speed_mps, premovement_s, mobility``) and project
    x/y from ``source_crs`` to ``plant_crs`` (metres). Bad rows are recorded as errors; rows whose
    coordinates cannot be projected are errors too; with ``site`` (the site polygon in ``plant_crs``)
    people far outside it are named in a warning."""
    df = df.rename(columns=lambda c: str(c).strip())
    out_cols = [f.name for f in schema.POPULATION_FIELDS]
    for f in schema.POPULATION_FIELDS:
        if f.required and f.name not in df.columns:
            issues.error("missing-attribute", source, f"required column '{f.name}' is missing", field=f.name)
    if any(f.required and f.name not in df.columns for f in schema.POPULATION_FIELDS):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in out_cols})
    rows = []
    seen: set[str] = set()
    for i, rec in enumerate(df.to_dict("records")):
        label = str(rec.get("id") or f"line {i + 2}")
        row: dict[str, Any] = {}
        ok = True
        for f in schema.POPULATION_FIELDS:
            value = rec.get(f.name)
            if f.required and schema.is_missing(value):
                issues.error("missing-attribute", source, f"required value '{f.name}' is missing (line {i + 2})",
                             label, f.name)
                ok = False
                continue
            try:
                row[f.name] = schema.parse_value(f, value)
            except schema.ValueProblem as exc:
                issues.error("bad-value", source, f"{exc} (line {i + 2})", label, f.name)
                ok = False
        if ok and row["id"] in seen:
            issues.error("duplicate-id", source, f"person '{row['id']}' appears twice (line {i + 2})", label, "id")
            ok = False
        if ok:
            seen.add(row["id"])
            rows.append(row)
    pop = pd.DataFrame(rows, columns=out_cols)
    if len(pop):
        x, y = transform_xy(pop["x"].to_numpy(float), pop["y"].to_numpy(float), source_crs, plant_crs)
        pop["x"], pop["y"] = x, y
        bad = ~(np.isfinite(x) & np.isfinite(y))
        for pid in pop["id"][bad]:
            issues.error("out-of-range", source, f"position of {pid} cannot be projected to the plant's CRS "
                         f"(not in {source_crs.to_string()}?)", str(pid), "x")
        pop = pop[~bad].reset_index(drop=True)
        if site is not None and len(pop):
            _off_site_warning(pop, site, source, issues)
        if personnel_ids:
            unknown = sorted(set(pop["id"]) - personnel_ids)
            if unknown:
                issues.warn("unknown-reference", source, f"{len(unknown)} people are not in the roster (e.g. "
                            f"{', '.join(unknown[:5])})", field="id")
    return pop


def _join_points(name: str, gdf: gpd.GeoDataFrame, graph: WalkwayGraph, source: str,
                 issues: IssueCollector) -> None:
    """Attach each exit / assembly point to its nearest graph node; too far (> 25 m) is an error."""
    if len(gdf) == 0:
        gdf["node"] = pd.Series(dtype=np.int64)
        gdf["node_distance_m"] = pd.Series(dtype=float)
        return
    xy = shapely.get_coordinates(gdf.geometry.values)
    node, dist = graph.nearest_nodes(xy)
    gdf["node"] = node
    gdf["node_distance_m"] = np.round(dist, 2)
    what = "assembly point" if name == "assembly_points" else "exit"
    for fid, d in zip(gdf.index, dist, strict=True):
        if not np.isfinite(d) or d > schema.JOIN_DISTANCE_M:
            far = "no walkway at all" if not np.isfinite(d) else f"{d:.1f} m"
            issues.error("too-far-from-walkway", source, f"{what} is {far} from the nearest walkway node; it "
                         f"must be within {schema.JOIN_DISTANCE_M:g} m", str(fid), "geometry")


def _component_warnings(plant_layers: dict[str, gpd.GeoDataFrame], graph: WalkwayGraph, source: str,
                        issues: IssueCollector) -> None:
    aps = plant_layers["assembly_points"]
    reached = set(graph.node_component[aps["node"].to_numpy(int)]) if len(aps) and graph.n_nodes else set()
    for comp in range(graph.n_components):
        if comp in reached:
            continue
        nodes = graph.component_nodes(comp)
        in_comp = np.isin(graph.edge_u, nodes)
        walkways = sorted({str(w) for w in graph.edge_walkway[in_comp]})
        x, y = graph.node_xy[nodes].mean(axis=0)
        shown = ", ".join(walkways[:8]) + (f" and {len(walkways) - 8} more" if len(walkways) > 8 else "")
        issues.warn("unreachable-component", source,
                    f"walkway component {comp} ({len(walkways)} walkways, {int(in_comp.sum())} edges, around "
                    f"x={x:.0f} y={y:.0f}) reaches no assembly point: {shown}",
                    walkways[0] if walkways else None)


def _outside_site_warnings(layers: dict[str, gpd.GeoDataFrame], sources: dict[str, str],
                           issues: IssueCollector) -> None:
    site = layers["site"]
    if len(site) != 1:
        return
    fence = site.geometry.iloc[0].buffer(1.0)
    shapely.prepare(fence)
    for name in ("buildings", "zones", "walkways", "exits", "assembly_points", "hazard_sources", "sensors",
                 "resources"):
        gdf = layers[name]
        if len(gdf) == 0:
            continue
        outside = ~shapely.intersects(fence, gdf.geometry.values)
        if outside.any():
            ids = [str(i) for i in gdf.index[outside]]
            issues.warn("outside-site", sources.get(name, name), f"{len(ids)} feature(s) lie outside the site "
                        f"polygon: {', '.join(ids[:10])}{' ...' if len(ids) > 10 else ''}")


def _walkway_graph(walk: gpd.GeoDataFrame, source: str, issues: IssueCollector) -> WalkwayGraph:
    """Node the walkways layer (multi-part walkways contribute each part, keeping their id); a network
    of stacked copies too dense to node is an error naming a walkway, and gives an empty graph."""
    empty = build_walkway_graph(np.zeros(0, object), *(np.zeros(0),) * 6)
    if len(walk) == 0:
        return empty
    parts, row = shapely.get_parts(np.asarray(walk.geometry.values, dtype=object), return_index=True)
    ids = walk.index.to_numpy(object)[row]
    try:
        return build_walkway_graph(
            parts, ids, walk["kind"].to_numpy(object)[row],
            walk["width_m"].to_numpy(float)[row], walk["speed_factor"].to_numpy(float)[row],
            walk["one_way"].to_numpy(bool)[row], walk["capacity_pps"].to_numpy(float)[row],
            snap_m=schema.SNAP_DISTANCE_M,
        )
    except NodingLimit as exc:
        issues.error("too-dense", source, f"{exc} (e.g. walkway {ids[exc.line]}); remove the copies",
                     str(ids[exc.line]), "geometry")
        return empty


def load_plant(path: str | Path) -> Plant:
    """Read, validate and project the plant package at ``path`` (a ``.gpkg`` file or a GeoJSON folder).

    Returns a :class:`Plant` in metres; raises :class:`~gis.issues.PlantError` listing every
    error found (each naming the file or layer, the feature id, the field and the problem).
    """
    issues = IssueCollector()
    pkg = read_package(path, LAYER_NAMES, issues)
    if pkg is None:
        issues.raise_if_errors()
        raise AssertionError("unreachable")

    validated: dict[str, tuple[list[dict[str, Any]], list[Any], list[str]]] = {}
    for name in LAYER_NAMES:
        validated[name] = _validate_layer(schema.LAYERS[name], pkg.layers.get(name), issues)
    sources = {name: layer.source for name, layer in pkg.layers.items()}
    read_counts = {name: len(pkg.layers[name].records) if name in pkg.layers else 0 for name in LAYER_NAMES}

    layer_crs = {name: _layer_crs(layer, issues) for name, layer in pkg.layers.items()}
    for name in LAYER_NAMES:
        validated[name] = _geographic_extent(layer_crs.get(name), validated[name], pkg.layers[name].source
                                             if name in pkg.layers else name, issues)
    site_rows, site_geoms, _ = validated["site"]
    source_crs = layer_crs.get("site") or next((c for c in layer_crs.values() if c is not None), None)
    if source_crs is None or not site_geoms:
        issues.raise_if_errors(read_counts)
        raise PlantError([], issues.warnings)  # pragma: no cover - a missing site is always an error above
    plant_crs = plant_crs_for(source_crs, site_geoms[0])

    layers: dict[str, gpd.GeoDataFrame] = {}
    for name in LAYER_NAMES:
        spec = schema.LAYERS[name]
        rows, geoms, ids = validated[name]
        crs = layer_crs.get(name)
        if not rows or crs is None:
            layers[name] = _empty_layer(spec, plant_crs)
            continue
        projected = transform_geometries(np.asarray(geoms, dtype=object), crs, plant_crs)
        bad = _unprojectable(projected, ids, sources.get(name, name), issues)
        df = pd.DataFrame(rows)
        if spec.has_id:
            df.index = pd.Index(ids, dtype=object, name="id")
        else:
            df.index = pd.Index([f"{name}-{i + 1}" for i in range(len(df))], dtype=object, name="id")
        if bad.any():
            df, projected = df[~bad], projected[~bad]
        for f in spec.fields:
            if f.name != "id" and f.name not in df.columns:
                df[f.name] = f.default
        _fill_layer_defaults(name, df, sources.get(name, name), issues)
        layers[name] = gpd.GeoDataFrame(df, geometry=list(projected), crs=plant_crs)

    site_name, tz = _site_attributes(pkg, site_rows)
    try:
        tz = schema.parse_value(schema.Field("timezone", "timezone"), tz)
    except schema.ValueProblem as exc:
        issues.error("bad-value", "site.yaml" if pkg.site_yaml.get("timezone") else sources.get("site", "site"),
                     str(exc), field="timezone")
    site_area = float(layers["site"].geometry.area.sum()) if len(layers["site"]) else 0.0
    if len(layers["site"]) and site_area < 100.0:
        issues.error("implausible-extent", sources.get("site", "site"), f"site polygon covers only "
                     f"{site_area:.3g} m² in {plant_crs.to_string()}: are degrees labelled as metres?")

    walk_source = sources.get("walkways", "walkways")
    graph = _walkway_graph(layers["walkways"], walk_source, issues)
    walkways_ok = not any(e.source in (walk_source, "walkways") for e in issues.errors)
    for name in ("exits", "assembly_points"):
        # A broken walkways layer would make every join fail too; report the cause, not the echoes.
        _join_points(name, layers[name], graph, sources.get(name, name), issues if walkways_ok else IssueCollector())
    if len(layers["exits"]) == 0:
        issues.warn("missing-layer", "exits", "the plant has no site exits")
    _component_warnings(layers, graph, sources.get("walkways", "walkways"), issues)
    _outside_site_warnings(layers, sources, issues)

    zone_ids = set(layers["zones"].index.astype(str))
    personnel = _validate_personnel(pkg, zone_ids, issues)
    site_geom = layers["site"].geometry.iloc[0] if len(layers["site"]) else None
    population = _validate_population(pkg, source_crs, plant_crs, set(personnel.index), site_geom, issues)
    issues.raise_if_errors(read_counts)

    counts = Counter(w.code for w in issues.warnings)
    return Plant(
        name=site_name,
        timezone=tz,
        crs=plant_crs,
        source_crs=source_crs,
        source=Path(path),
        layers=layers,
        personnel=personnel,
        population=population,
        graph=graph,
        index=PlantIndex(layers),
        warnings=issues.warnings,
        extra={"site_yaml": pkg.site_yaml, "warning_counts": dict(counts)},
    )
