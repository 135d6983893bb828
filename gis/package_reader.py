"""Reading a plant package from disk into raw layers, before validation.

Two containers are accepted (shared/spec/plant-format.md): a GeoPackage file with
one layer per table (plus ``personnel`` and optionally ``population`` tables), or
a folder of ``LAYER.geojson`` files with ``personnel.csv``, an optional
``population.csv`` and an optional ``site.yaml``. Reading never raises on bad
content: problems are recorded in the :class:`~gis.issues.IssueCollector`, named
by file, feature and field, so one broken file does not hide the others.
"""

from __future__ import annotations

import io
import json
import os
import warnings
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
from gis.safe_input import (
    MAX_LAYER_BYTES,
    MAX_TABLE_BYTES,
    MAX_YAML_BYTES,
    InputProblem,
    describe_missing,
    load_json,
    load_yaml,
    read_bytes,
    read_text,
)

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
    try:
        data = read_bytes(path, MAX_TABLE_BYTES)
    except InputProblem as exc:
        issues.error("unreadable-file", path.name, str(exc))
        return None
    except OSError as exc:
        issues.error("unreadable-file", path.name, f"cannot read file: {exc.strerror or exc}")
        return None
    last_error: Exception | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            last_error = exc
            continue
        try:
            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
            issues.error("unreadable-file", path.name, f"cannot read CSV: {' '.join(str(exc).split())}")
            return None
    issues.error("unreadable-file", path.name, f"cannot decode CSV as UTF-8 or GB18030: {last_error}")
    return None


def _feature_label(value: Any, i: int) -> str:
    """How a feature is named in messages: its id when that is a plain value, else its position."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)[:80]
    return f"#{i + 1}"


def _read_geojson(path: Path, name: str, site_crs: CRS | None, issues: IssueCollector) -> RawLayer | None:
    source = path.name
    try:
        doc = load_json(read_text(path, MAX_LAYER_BYTES))
    except json.JSONDecodeError as exc:
        issues.error("unreadable-file", source, f"not valid JSON at line {exc.lineno}, column {exc.colno}: "
                     f"{exc.msg}")
        return None
    except InputProblem as exc:
        issues.error("unreadable-file", source, str(exc).replace(str(path), "the file"))
        return None
    except OSError as exc:
        issues.error("unreadable-file", source, f"cannot read file: {exc.strerror or exc}")
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
        label = _feature_label(props.get("id"), i)
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


def _present(path: Path, issues: IssueCollector) -> bool:
    """Whether ``path`` is there to read; a name that is there but cannot be followed (a dangling
    symbolic link) is an error, never a silently missing layer."""
    if path.exists():
        return True
    if os.path.lexists(path):
        issues.error("dangling-link", path.name, f"{path.name} {describe_missing(path)}: the layer cannot be read")
    return False


def _read_site_yaml(path: Path, issues: IssueCollector) -> dict[str, Any]:
    try:
        loaded = load_yaml(read_text(path, MAX_YAML_BYTES))
    except InputProblem as exc:
        where = f" (line {exc.line})" if exc.line else ""
        issues.error("unreadable-file", "site.yaml", f"{str(exc).replace(str(path), 'the file')}{where}")
        return {}
    except (yaml.YAMLError, OSError) as exc:
        issues.error("unreadable-file", "site.yaml", f"cannot read YAML: {' '.join(str(exc).split())}")
        return {}
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        issues.error("unreadable-file", "site.yaml", "must be a mapping of keys (name, timezone, crs)")
        return {}
    for key in ("name", "name_en", "timezone", "crs"):
        value = loaded.get(key)
        if value is not None and not isinstance(value, str | int):
            issues.error("bad-value", "site.yaml", f"'{key}' must be text, got {type(value).__name__}", field=key)
            loaded.pop(key)
    return loaded


def _read_folder(path: Path, layer_names: tuple[str, ...], issues: IssueCollector) -> RawPackage:
    site_yaml: dict[str, Any] = {}
    yaml_path = path / "site.yaml"
    if _present(yaml_path, issues):
        site_yaml = _read_site_yaml(yaml_path, issues)
    site_crs = None
    if site_yaml.get("crs") is not None:
        try:
            site_crs = parse_crs(str(site_yaml["crs"]))
        except CRSProblem as exc:
            issues.error("bad-crs", "site.yaml", str(exc), field="crs")

    layers: dict[str, RawLayer] = {}
    for name in layer_names:
        candidates = [path / f"{name}.geojson", path / f"{name}.json"]
        found = next((p for p in candidates if _present(p, issues)), None)
        if found is None:
            continue
        layer = _read_geojson(found, name, site_crs, issues)
        if layer is not None:
            layers[name] = layer

    tables: dict[str, tuple[str, pd.DataFrame]] = {}
    for name in TABLE_LAYERS:
        p = path / f"{name}.csv"
        if _present(p, issues):
            df = _read_table_csv(p, issues)
            if df is not None:
                tables[name] = (p.name, df)
    return RawPackage(path, layers, tables, site_yaml)


def _read_gpkg(path: Path, layer_names: tuple[str, ...], issues: IssueCollector) -> RawPackage:
    # GDAL's complaints about a damaged file arrive as RuntimeWarnings; the errors below say it plainly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _read_gpkg_layers(path, layer_names, issues)


def _read_gpkg_layers(path: Path, layer_names: tuple[str, ...], issues: IssueCollector) -> RawPackage:
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
    if p.exists():
        issues.error("unreadable-file", str(p), "is neither a folder nor a regular file (a FIFO or a device?); "
                     "refusing to read it")
    elif os.path.lexists(p):
        issues.error("dangling-link", str(p), describe_missing(p))
    else:
        issues.error("unreadable-file", str(p), "no such file or folder")
    return None
