"""The plant package schema (shared/spec/plant-format.md): layers, attributes, defaults, enums.

Each layer is described by a :class:`LayerSpec`; :func:`parse_value` turns one raw
attribute value into its typed form or explains why it cannot. The checks here are
per value; checks across features (duplicate ids, distances) live in the loader.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from gis.substances import normalise_substance

POLYGON = ("Polygon", "MultiPolygon")
LINE = ("LineString", "MultiLineString")
POINT = ("Point",)

_MISSING = object()


@dataclass(frozen=True)
class Field:
    """One attribute: its type (``str``, ``int``, ``float``, ``bool``, ``enum``, ``date``,
    ``timezone``, ``substance``), whether it is required, its default and its allowed values.

    Numbers must lie in ``[minimum, maximum]`` (``exclusive_minimum``: above it), the physical range
    of the quantity: a width of 1e200 m is refused like a width of -1 m."""

    name: str
    kind: str = "str"
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    exclusive_minimum: bool = False
    maximum: float | None = None


@dataclass(frozen=True)
class LayerSpec:
    """A layer: accepted geometry types, attributes, whether it must exist and hold features."""

    name: str
    geometry: tuple[str, ...]
    fields: tuple[Field, ...]
    required: bool = False
    single: bool = False
    has_id: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def field_names(self) -> list[str]:
        """Names of the spec's attributes, in spec order."""
        return [f.name for f in self.fields]


BUILDING_KINDS = ("process", "storage", "office", "control", "warehouse", "utility", "other")
ZONE_KINDS = ("process_unit", "tank_farm", "workshop", "office", "yard", "other")
RISK_CLASSES = ("A", "B", "C", "D")
WALKWAY_KINDS = ("road", "walkway", "corridor", "stair", "door", "ladder")
HAZARD_KINDS = ("tank", "reactor", "pipeline", "cylinder", "other")
SENSOR_KINDS = ("gas", "flame", "smoke", "heat", "oxygen")
SENSOR_UNITS = ("ppm", "%LEL", "%vol", "C")
RESOURCE_KINDS = ("scba", "extinguisher", "hydrant", "first_aid", "eyewash", "spill_kit",
                  "gas_detector", "stretcher", "fire_truck", "other")
MOBILITY = ("normal", "impaired")

#: walking-speed factor by walkway kind when the attribute is absent (spec: stair 0.6, ladder 0.3)
DEFAULT_SPEED_FACTOR = {"stair": 0.6, "ladder": 0.3}
#: unit flow of a walkway in persons per metre of width per second (spec: 1.3)
UNIT_FLOW_PPS_PER_M = 1.3
#: exits and assembly points must be this close to a walkway node, in metres
JOIN_DISTANCE_M = 25.0
#: walkway ends closer than this are one node, in metres
SNAP_DISTANCE_M = 0.5
#: a person off the graph joins the nearest node within this distance, in metres
PERSON_JOIN_DISTANCE_M = 50.0
#: default unit of a sensor by kind; flame and smoke detectors are on/off and have none
DEFAULT_SENSOR_UNIT = {"gas": "ppm", "oxygen": "%vol", "heat": "C"}
#: largest coordinate magnitude accepted, in CRS units: a UTM northing is below 1e7 m, so 1e8 leaves room
#: for any metric CRS while refusing 1e200 (whose areas and distances overflow to infinity)
MAX_COORDINATE = 1e8
#: most people one building, assembly point or site can hold
MAX_PEOPLE = 1_000_000
#: longest id and longest other text attribute, characters
MAX_ID_CHARS = 128
MAX_TEXT_CHARS = 4000

LAYERS: dict[str, LayerSpec] = {
    "site": LayerSpec("site", POLYGON, (
        Field("name", required=True),
        Field("timezone", "timezone", default="Asia/Shanghai"),
    ), required=True, single=True, has_id=False),
    "buildings": LayerSpec("buildings", POLYGON, (
        Field("id", required=True),
        Field("name"),
        Field("kind", "enum", default="other", choices=BUILDING_KINDS),
        Field("floors", "int", default=1, minimum=1, maximum=200),
        Field("occupancy", "int", default=0, minimum=0, maximum=MAX_PEOPLE),
    )),
    "zones": LayerSpec("zones", POLYGON, (
        Field("id", required=True),
        Field("name"),
        Field("kind", "enum", default="other", choices=ZONE_KINDS),
        Field("risk", "enum", default=None, choices=RISK_CLASSES),
        Field("owner"),
    )),
    "walkways": LayerSpec("walkways", LINE, (
        Field("id", required=True),
        Field("kind", "enum", default="walkway", choices=WALKWAY_KINDS),
        Field("width_m", "float", default=2.0, minimum=0.0, exclusive_minimum=True, maximum=100.0),
        Field("speed_factor", "float", default=None, minimum=0.0, exclusive_minimum=True, maximum=10.0),
        Field("one_way", "bool", default=False),
        Field("capacity_pps", "float", default=None, minimum=0.0, exclusive_minimum=True, maximum=1000.0),
    ), required=True),
    "exits": LayerSpec("exits", POINT, (
        Field("id", required=True),
        Field("name"),
        Field("width_m", "float", default=4.0, minimum=0.0, exclusive_minimum=True, maximum=1000.0),
    )),
    "assembly_points": LayerSpec("assembly_points", POINT, (
        Field("id", required=True),
        Field("name", required=True),
        Field("capacity", "int", required=True, minimum=0, maximum=MAX_PEOPLE),
        Field("sheltered", "bool", default=False),
    ), required=True),
    "hazard_sources": LayerSpec("hazard_sources", POINT, (
        Field("id", required=True),
        Field("name"),
        Field("substance", "substance", required=True),
        Field("inventory_kg", "float", required=True, minimum=0.0, maximum=1e10),
        Field("kind", "enum", default="other", choices=HAZARD_KINDS),
        Field("pressure_bar", "float", default=1.0, minimum=0.0, maximum=5000.0),
        Field("temperature_c", "float", default=20.0, minimum=-273.15, exclusive_minimum=True, maximum=5000.0),
    )),
    "sensors": LayerSpec("sensors", POINT, (
        Field("id", required=True),
        Field("kind", "enum", required=True, choices=SENSOR_KINDS),
        Field("substance", "substance"),
        Field("unit", "enum", default=None, choices=SENSOR_UNITS),
        Field("warn", "float", minimum=-1e6, maximum=1e6),
        Field("alarm", "float", required=True, minimum=-1e6, maximum=1e6),
    )),
    "resources": LayerSpec("resources", POINT, (
        Field("id", required=True),
        Field("kind", "enum", required=True, choices=RESOURCE_KINDS),
        Field("quantity", "int", default=1, minimum=0, maximum=1_000_000),
        Field("expires", "date"),
    )),
}

PERSONNEL_FIELDS: tuple[Field, ...] = (
    Field("id", required=True),
    Field("name", required=True),
    Field("role", required=True),
    Field("team"),
    Field("phone"),
    Field("qualifications"),
    Field("home_zone"),
    Field("device_id"),
)

POPULATION_FIELDS: tuple[Field, ...] = (
    Field("id", required=True),
    Field("x", "float", required=True, minimum=-MAX_COORDINATE, maximum=MAX_COORDINATE),
    Field("y", "float", required=True, minimum=-MAX_COORDINATE, maximum=MAX_COORDINATE),
    Field("speed_mps", "float", minimum=0.0, exclusive_minimum=True, maximum=10.0),
    Field("premovement_s", "float", minimum=0.0, maximum=86400.0),
    Field("mobility", "enum", default="normal", choices=MOBILITY),
)


class ValueProblem(ValueError):
    """A raw attribute value that does not fit its field; the message says why and ``code`` is the
    stable issue code (``bad-value``, ``negative-value``, ``out-of-range``, ``unknown-enum``)."""

    def __init__(self, message: str, code: str = "bad-value"):
        super().__init__(message)
        self.code = code


_CONTAINERS = (list, tuple, dict, set)


def _type_name(value: Any) -> str:
    return {list: "a list", tuple: "a list", dict: "an object", set: "a set", bool: "true/false"}.get(
        type(value), type(value).__name__)


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA/NaT and blank strings: the attribute is absent."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    return value is pd.NA or value is pd.NaT


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else _type_name(value)
    return text if len(text) <= 60 else text[:40] + f"... ({len(text)} characters)"


def _as_float(value: Any) -> float:
    if isinstance(value, (bool, *_CONTAINERS)):
        raise ValueProblem(f"expected a number, got {_type_name(value)}")
    try:
        out = float(value)
    except OverflowError:
        raise ValueProblem(f"expected a finite number, got {_short(value)}", "out-of-range") from None
    except (TypeError, ValueError):
        raise ValueProblem(f"expected a number, got {_short(value)}") from None
    if not math.isfinite(out):
        raise ValueProblem(f"expected a finite number, got {_short(value)}",
                           "bad-value" if math.isnan(out) else "out-of-range")
    return out


def _as_text(f: Field, value: Any) -> str:
    """A scalar attribute as text; lists, objects and true/false are refused, not turned into ``"[1, 2]"``."""
    if isinstance(value, (bool, *_CONTAINERS)) or not isinstance(value, str | int | float | np.integer | np.floating):
        raise ValueProblem(f"expected text, got {_type_name(value)}")
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            raise ValueProblem(f"expected text, got {value!r}")
        text = str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))
    else:
        text = str(value).strip()
    limit = MAX_ID_CHARS if f.name == "id" else MAX_TEXT_CHARS
    if len(text) > limit:
        raise ValueProblem(f"is {len(text)} characters long; at most {limit} are allowed", "out-of-range")
    if f.name == "id" and any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueProblem(f"id {text[:40]!r} contains control characters (line breaks, tabs)")
    return text


def parse_value(f: Field, value: Any) -> Any:
    """The typed value of ``value`` for field ``f`` (``None`` when absent and without default).

    Raises :class:`ValueProblem` naming what is wrong: not a number, below the
    minimum, unknown enum value (listing the allowed ones), bad date, unknown
    time zone or substance. Enum spellings are matched case-insensitively.
    """
    if is_missing(value):
        return f.default
    if f.kind == "str":
        return _as_text(f, value)
    if f.kind in ("float", "int"):
        out = _as_float(value)
        low = "negative-value" if f.minimum == 0 else "out-of-range"
        if f.minimum is not None:
            if f.exclusive_minimum and out <= f.minimum:
                raise ValueProblem(f"must be greater than {f.minimum:g}, got {out:g}", low)
            if not f.exclusive_minimum and out < f.minimum:
                raise ValueProblem(f"must be at least {f.minimum:g}, got {out:g}", low)
        if f.maximum is not None and out > f.maximum:
            raise ValueProblem(f"must be at most {f.maximum:g}, got {out:g}", "out-of-range")
        if f.kind == "int":
            if not out.is_integer():
                raise ValueProblem(f"expected a whole number, got {_short(value)}")
            return int(out)
        return out
    if isinstance(value, _CONTAINERS):
        raise ValueProblem(f"expected a single value, got {_type_name(value)}")
    if f.kind == "bool":
        if isinstance(value, bool | np.bool_):
            return bool(value)
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "y", "t", "1.0"):
            return True
        if text in ("false", "no", "0", "n", "f", "0.0"):
            return False
        raise ValueProblem(f"expected true or false, got {_short(value)}")
    if f.kind == "enum":
        text = str(value).strip()
        for choice in f.choices:
            if text.lower() == choice.lower():
                return choice
        raise ValueProblem(f"unknown value {text[:60]!r}; allowed: {', '.join(f.choices)}", "unknown-enum")
    if f.kind == "date":
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()[:10]
        text = str(value).strip()
        try:
            return _dt.date.fromisoformat(text[:10]).isoformat() if len(text) >= 10 else \
                _dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueProblem(f"expected an ISO date (YYYY-MM-DD), got {_short(value)}") from None
    if f.kind == "timezone":
        text = str(value).strip()
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueProblem(f"unknown time zone {text[:60]!r} (use an IANA name such as Asia/Shanghai)") \
                from None
        return text
    if f.kind == "substance":
        text = str(value).strip()
        canon = normalise_substance(text)
        if canon is None:
            raise ValueProblem(f"unknown substance {text[:60]!r}: use a known formula (H2S, NH3, Cl2, CO, SO2, "
                               "HCN, LPG, CH4, ...) or a valid CAS number")
        return canon
    raise AssertionError(f"unhandled field kind {f.kind}")
