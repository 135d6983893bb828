"""Reading a plant package from disk into raw layers, before validation.

Two containers are accepted (shared/spec/plant-format.md): a GeoPackage file with
one layer per table (plus ``personnel`` and optionally ``population`` tables), or
a folder of ``LAYER.geojson`` files with ``personnel.csv``, an optional
``population.csv`` and an optional ``site.yaml``. Reading never raises on bad
content: problems are recorded in the :class:`~gis.issues.IssueCollector`, named
by file, feature and field, so one broken file does not hide the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
import yaml
from pyproj import CRS

from gis.crs import WGS84, CRSProblem, looks_geographic, parse_crs
from gis.issues import IssueCollector

TABLE_LAYERS = ("personnel", "population")


@dataclass
class RawLayer:
    """One layer as read: feature properties, geometries (None where missing) and the CRS.

    ``crs`` is None when the file states none; ``crs_stated`` says whether the CRS
    came from the file (or site.yaml) rather than the RFC 7946 default.
    """

    name: str
    source: str
    records: list[dict[str, Any]]
    geometries: np.ndarray
    crs: CRS | None
    crs_stated: bool = True
    feature_ids: list[Any] = field(default_factory=list)


@dataclass
class RawPackage:
    """Everything read from a package, unvalidated."""

    path: Path
    layers: dict[str, RawLayer]
    tables: dict[str, tuple[str, pd.DataFrame]]
    site_yaml: dict[str, Any]


def _read_table_csv(path: Path, issues: IssueCollector) -> pd.DataFrame | None:
    """A CSV as strings (UTF-8, with a GB18030 fallback for spreadsheets saved on Chinese Windows)."""
    last_error: Exception | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding,
                               skipinitialspace=True)
        except UnicodeDecodeError as exc:
            last_error = exc
        except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
            issues.error("unreadable-file", path.name, f"cannot read CSV: {exc}")
            return None
    issues.error("unreadable-file", path.name, f"cannot decode CSV as UTF-8 or GB18030: {last_error}")
    return None


def _read_geojson(path: Path, name: str, site_crs: CRS | None, issues: IssueCollector) -> RawLayer | None:
    source = path.name
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        issues.error("unreadable-file", source, f"not valid JSON at line {exc.lineno}, column {exc.colno}: "
                     f"{exc.msg}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        issues.error("unreadable-file", source, f"cannot read file: {exc}")
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" \
            or not isinstance(doc.get("features"), list):
        issues.error("unreadable-file", source, "not a GeoJSON FeatureCollection (needs "
                     "\"type\": \"FeatureCollection\" and a \"features\" list)")
        return None

    records: list[dict[str, Any]] = []
    geoms: list[Any] = []
    fids: list[Any] = []
    for i, feat in enumerate(doc["features"]):
        props = feat.get("properties") if isinstance(feat, dict) else None
        props = dict(props) if isinstance(props, dict) else {}
        fid = feat.get("id") if isinstance(feat, dict) else None
        if "id" not in props and fid is not None:
            props["id"] = fid
        label = str(props.get("id", f"#{i + 1}"))
        geom_json = feat.get("geometry") if isinstance(feat, dict) else None
        geom = None
        if geom_json is not None:
            try:
                geom = shapely.geometry.shape(geom_json)
            except Exception as exc:  # shapely raises several types for malformed coordinates
                issues.error("malformed-geometry", source, f"geometry cannot be read: {exc}", label, "geometry")
                geom = None
        records.append(props)
        geoms.append(geom)
        fids.append(label)

    garr = np.array(geoms, dtype=object)
    stated = "crs" in doc
    if stated:
        try:
            crs: CRS | None = parse_crs(doc["crs"])
        except CRSProblem as exc:
            issues.error("bad-crs", source, str(exc), field="crs")
            crs = None
    elif site_crs is not None:
        crs, stated = site_crs, True
    elif looks_geographic(garr):
        crs = WGS84
    else:
        issues.error("no-crs", source, "layer has no CRS: it has no \"crs\" member, its coordinates are not "
                     "longitude/latitude (so it is not RFC 7946), and site.yaml names no crs")
        crs = None
    return RawLayer(name, source, records, garr, crs, stated, fids)


def _read_folder(path: Path, layer_names: tuple[str, ...], issues: IssueCollector) -> RawPackage:
    site_yaml: dict[str, Any] = {}
    yaml_path = path / "site.yaml"
    if yaml_path.exists():
        try:
            loaded = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
            if loaded is None:
                loaded = {}
            if not isinstance(loaded, dict):
                issues.error("unreadable-file", "site.yaml", "must be a mapping of keys (name, timezone, crs)")
            else:
                site_yaml = loaded
        except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
            issues.error("unreadable-file", "site.yaml", f"cannot read YAML: {exc}")
    site_crs = None
    if site_yaml.get("crs") is not None:
        try:
            site_crs = parse_crs(str(site_yaml["crs"]))
        except CRSProblem as exc:
            issues.error("bad-crs", "site.yaml", str(exc), field="crs")

    layers: dict[str, RawLayer] = {}
    for name in layer_names:
        candidates = [path / f"{name}.geojson", path / f"{name}.json"]
        found = next((p for p in candidates if p.exists()), None)
        if found is None:
            continue
        layer = _read_geojson(found, name, site_crs, issues)
        if layer is not None:
            layers[name] = layer

    tables: dict[str, tuple[str, pd.DataFrame]] = {}
    for name in TABLE_LAYERS:
        p = path / f"{name}.csv"
        if p.exists():
            df = _read_table_csv(p, issues)
            if df is not None:
                tables[name] = (p.name, df)
    return RawPackage(path, layers, tables, site_yaml)


def _read_gpkg(path: Path, layer_names: tuple[str, ...], issues: IssueCollector) -> RawPackage:
    import pyogrio

    try:
        listed = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio raises DataSourceError and GDAL errors of several kinds
        issues.error("unreadable-file", path.name, f"cannot open as a GeoPackage: {exc}")
        return RawPackage(path, {}, {}, {})
    available = {str(row[0]) for row in listed}
    layers: dict[str, RawLayer] = {}
    tables: dict[str, tuple[str, pd.DataFrame]] = {}
    for name in layer_names:
        if name not in available:
            continue
        source = f"{path.name}:{name}"
        try:
            gdf = pyogrio.read_dataframe(path, layer=name)
        except Exception as exc:
            issues.error("unreadable-file", source, f"cannot read layer: {exc}")
            continue
        crs = None
        if gdf.crs is None:
            issues.error("no-crs", source, "layer has no spatial reference system")
        else:
            crs = CRS.from_user_input(gdf.crs)
        props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        records = props.to_dict("records")
        fids = [str(r.get("id", f"#{i + 1}")) for i, r in enumerate(records)]
        layers[name] = RawLayer(name, source, records, np.asarray(gdf.geometry.values, dtype=object),
                                crs, True, fids)
    for name in TABLE_LAYERS:
        if name in available:
            try:
                df = pyogrio.read_dataframe(path, layer=name, read_geometry=False)
            except Exception as exc:
                issues.error("unreadable-file", f"{path.name}:{name}", f"cannot read table: {exc}")
                continue
            df = pd.DataFrame(df).astype(object).where(pd.notna(df), "").astype(str)
            tables[name] = (f"{path.name}:{name}", df)
    return RawPackage(path, layers, tables, {})


def read_package(path: str | Path, layer_names: tuple[str, ...], issues: IssueCollector) -> RawPackage | None:
    """Read a GeoPackage file or a GeoJSON folder; None (with an error recorded) if it is neither."""
    p = Path(path)
    if p.is_dir():
        return _read_folder(p, layer_names, issues)
    if p.is_file():
        if p.suffix.lower() not in (".gpkg", ".sqlite"):
            issues.error("unreadable-file", p.name, "a plant package is a .gpkg file or a folder of .geojson "
                         "files")
            return None
        return _read_gpkg(p, layer_names, issues)
    issues.error("unreadable-file", str(p), "no such file or folder")
    return None
