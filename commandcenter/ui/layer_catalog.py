"""The map's layers: their keys, drawing order, sub-layers (kinds) and translated titles.

A layer key is a plant layer name (``zones``, ``walkways``, ...) or ``personnel``;
a sub-layer key is ``layer/kind`` (``walkways/road``, ``zones/A``,
``buildings/control``). Titles go through Qt's translation system (context
``Layers``) so the layer list and tooltips follow the UI language.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# Layer keys from bottom to top of the map (and top to bottom of the layer list, reversed).
MAP_LAYERS: tuple[str, ...] = (
    "site",
    "zones",
    "buildings",
    "walkways",
    "exits",
    "assembly_points",
    "hazard_sources",
    "sensors",
    "resources",
    "personnel",
)

# The attribute that splits a layer into sub-layers, where one does.
SUBLAYER_FIELD: dict[str, str] = {"zones": "risk", "buildings": "kind", "walkways": "kind", "sensors": "kind",
                                  "resources": "kind"}

# Sub-layer values in display order (values not listed are appended in sorted order).
SUBLAYER_ORDER: dict[str, tuple[str, ...]] = {
    "zones": ("A", "B", "C", "D"),
    "buildings": ("control", "process", "storage", "warehouse", "utility", "office", "other"),
    "walkways": ("road", "walkway", "corridor", "stair", "door", "ladder"),
    "sensors": ("gas", "flame", "smoke", "heat", "oxygen"),
    "resources": ("hydrant", "extinguisher", "scba", "first_aid", "eyewash", "spill_kit", "gas_detector",
                  "stretcher", "fire_truck", "other"),
}

_TITLES: dict[str, str] = {
    "site": QT_TRANSLATE_NOOP("Layers", "Site"),
    "zones": QT_TRANSLATE_NOOP("Layers", "Zones"),
    "buildings": QT_TRANSLATE_NOOP("Layers", "Buildings"),
    "walkways": QT_TRANSLATE_NOOP("Layers", "Walkways"),
    "exits": QT_TRANSLATE_NOOP("Layers", "Exits"),
    "assembly_points": QT_TRANSLATE_NOOP("Layers", "Assembly points"),
    "hazard_sources": QT_TRANSLATE_NOOP("Layers", "Hazard sources"),
    "sensors": QT_TRANSLATE_NOOP("Layers", "Sensors"),
    "resources": QT_TRANSLATE_NOOP("Layers", "Resources"),
    "personnel": QT_TRANSLATE_NOOP("Layers", "Personnel"),
    "zones/A": QT_TRANSLATE_NOOP("Layers", "Risk A (highest)"),
    "zones/B": QT_TRANSLATE_NOOP("Layers", "Risk B"),
    "zones/C": QT_TRANSLATE_NOOP("Layers", "Risk C"),
    "zones/D": QT_TRANSLATE_NOOP("Layers", "Risk D (lowest)"),
    "buildings/control": QT_TRANSLATE_NOOP("Layers", "Control rooms"),
    "buildings/process": QT_TRANSLATE_NOOP("Layers", "Process buildings"),
    "buildings/storage": QT_TRANSLATE_NOOP("Layers", "Storage"),
    "buildings/warehouse": QT_TRANSLATE_NOOP("Layers", "Warehouses"),
    "buildings/utility": QT_TRANSLATE_NOOP("Layers", "Utilities"),
    "buildings/office": QT_TRANSLATE_NOOP("Layers", "Offices"),
    "buildings/other": QT_TRANSLATE_NOOP("Layers", "Other buildings"),
    "walkways/road": QT_TRANSLATE_NOOP("Layers", "Roads"),
    "walkways/walkway": QT_TRANSLATE_NOOP("Layers", "Footpaths"),
    "walkways/corridor": QT_TRANSLATE_NOOP("Layers", "Corridors"),
    "walkways/stair": QT_TRANSLATE_NOOP("Layers", "Stairs"),
    "walkways/door": QT_TRANSLATE_NOOP("Layers", "Doors"),
    "walkways/ladder": QT_TRANSLATE_NOOP("Layers", "Ladders"),
    "sensors/gas": QT_TRANSLATE_NOOP("Layers", "Gas detectors"),
    "sensors/flame": QT_TRANSLATE_NOOP("Layers", "Flame detectors"),
    "sensors/smoke": QT_TRANSLATE_NOOP("Layers", "Smoke detectors"),
    "sensors/heat": QT_TRANSLATE_NOOP("Layers", "Heat detectors"),
    "sensors/oxygen": QT_TRANSLATE_NOOP("Layers", "Oxygen monitors"),
    "resources/hydrant": QT_TRANSLATE_NOOP("Layers", "Hydrants"),
    "resources/extinguisher": QT_TRANSLATE_NOOP("Layers", "Extinguishers"),
    "resources/scba": QT_TRANSLATE_NOOP("Layers", "SCBA sets"),
    "resources/first_aid": QT_TRANSLATE_NOOP("Layers", "First-aid kits"),
    "resources/eyewash": QT_TRANSLATE_NOOP("Layers", "Eyewash stations"),
    "resources/spill_kit": QT_TRANSLATE_NOOP("Layers", "Spill kits"),
    "resources/gas_detector": QT_TRANSLATE_NOOP("Layers", "Portable gas detectors"),
    "resources/stretcher": QT_TRANSLATE_NOOP("Layers", "Stretchers"),
    "resources/fire_truck": QT_TRANSLATE_NOOP("Layers", "Fire trucks"),
    "resources/other": QT_TRANSLATE_NOOP("Layers", "Other resources"),
}


def layer_title(key: str) -> str:
    """The translated display title of a layer or sub-layer key (the key itself when unknown)."""
    text = _TITLES.get(key)
    if text is None:
        return key.split("/", 1)[-1]
    return QCoreApplication.translate("Layers", text)


def sublayer_key(layer: str, value: object) -> str:
    """The sub-layer key of a feature of ``layer`` whose splitting attribute is ``value``."""
    return f"{layer}/{value}"


def ordered_values(layer: str, values: set[str]) -> list[str]:
    """``values`` (sub-layer values present in a plant) in display order."""
    order = SUBLAYER_ORDER.get(layer, ())
    known = [v for v in order if v in values]
    return known + sorted(values - set(order))


_FEATURE_TITLES: dict[str, str] = {
    "site": QT_TRANSLATE_NOOP("Layers", "Site"),
    "zones": QT_TRANSLATE_NOOP("Layers", "Zone"),
    "buildings": QT_TRANSLATE_NOOP("Layers", "Building"),
    "walkways": QT_TRANSLATE_NOOP("Layers", "Walkway"),
    "exits": QT_TRANSLATE_NOOP("Layers", "Exit"),
    "assembly_points": QT_TRANSLATE_NOOP("Layers", "Assembly point"),
    "hazard_sources": QT_TRANSLATE_NOOP("Layers", "Hazard source"),
    "sensors": QT_TRANSLATE_NOOP("Layers", "Sensor"),
    "resources": QT_TRANSLATE_NOOP("Layers", "Resource"),
    "personnel": QT_TRANSLATE_NOOP("Layers", "Person"),
}


def feature_title(layer: str) -> str:
    """The translated name of one feature of ``layer`` ("Building", "Sensor", ...)."""
    text = _FEATURE_TITLES.get(layer)
    return QCoreApplication.translate("Layers", text) if text else layer
