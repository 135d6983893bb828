"""The text of the map's hover tooltip: which feature is under the cursor, with its attributes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from commandcenter.ui.layer_catalog import feature_title

# Attributes the loader adds for its own bookkeeping; not shown to users.
HIDDEN_ATTRIBUTES = frozenset({"node", "node_distance_m", "geometry"})
# Attributes listed first, in this order, when present.
FIRST_ATTRIBUTES = ("name", "name_en", "kind", "risk")


def format_value(value: Any) -> str | None:
    """A short display form of an attribute value, or None for a missing one."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return f"{value:g}"
    if isinstance(value, (tuple, list)):
        return "; ".join(str(v) for v in value) or None
    text = str(value).strip()
    return text or None


def attribute_lines(attributes: Mapping[str, Any]) -> list[str]:
    """``key: value`` lines for the shown attributes (names first, missing values left out)."""
    keys = [k for k in FIRST_ATTRIBUTES if k in attributes]
    keys += [k for k in attributes if k not in keys and k not in HIDDEN_ATTRIBUTES]
    lines = []
    for key in keys:
        text = format_value(attributes[key])
        if text is not None:
            lines.append(f"{key}: {text}")
    return lines


def feature_text(layer: str, feature_id: str, attributes: Mapping[str, Any]) -> str:
    """Tooltip text: a title line ("Building B1") then one line per attribute."""
    title = QCoreApplication.translate("FeatureTooltip", "{kind} {id}").format(kind=feature_title(layer),
                                                                               id=feature_id)
    return "\n".join([title, *attribute_lines(attributes)])


_STATUS_TITLES: dict[int, str] = {
    0: QT_TRANSLATE_NOOP("FeatureTooltip", "unknown"),
    1: QT_TRANSLATE_NOOP("FeatureTooltip", "on site"),
    2: QT_TRANSLATE_NOOP("FeatureTooltip", "evacuating"),
    3: QT_TRANSLATE_NOOP("FeatureTooltip", "mustered"),
    4: QT_TRANSLATE_NOOP("FeatureTooltip", "sheltered"),
    5: QT_TRANSLATE_NOOP("FeatureTooltip", "missing"),
    6: QT_TRANSLATE_NOOP("FeatureTooltip", "injured"),
    7: QT_TRANSLATE_NOOP("FeatureTooltip", "off site"),
}


def status_title(status: int) -> str:
    """The translated name of a :class:`gis.positions.PersonStatus` value."""
    text = _STATUS_TITLES.get(int(status), _STATUS_TITLES[0])
    return QCoreApplication.translate("FeatureTooltip", text)


_CLASS_TITLES: dict[str, str] = {
    "sos": QT_TRANSLATE_NOOP("FeatureTooltip", "SOS / injured"),
    "missing": QT_TRANSLATE_NOOP("FeatureTooltip", "missing (not heard from)"),
    "inside": QT_TRANSLATE_NOOP("FeatureTooltip", "inside a hazard zone"),
    "responder": QT_TRANSLATE_NOOP("FeatureTooltip", "responder on a task"),
    "evacuating": QT_TRANSLATE_NOOP("FeatureTooltip", "evacuating"),
    "stale": QT_TRANSLATE_NOOP("FeatureTooltip", "position out of date"),
    "normal": QT_TRANSLATE_NOOP("FeatureTooltip", "on site"),
    "mustered": QT_TRANSLATE_NOOP("FeatureTooltip", "mustered"),
}


def class_title(key: str) -> str:
    """The translated name of a map class of people (:mod:`commandcenter.ui.people_layer`)."""
    text = _CLASS_TITLES.get(key)
    return QCoreApplication.translate("FeatureTooltip", text) if text else key


def person_text(person_id: str, roster: Mapping[str, Any] | None, status: int, shown: str | None = None) -> str:
    """Tooltip text for a person on the map: "Person P001", the roster entry (if any), the status and, when
    it says more, how the map shows them (``shown``: a class key, e.g. ``inside``)."""
    attributes: dict[str, Any] = dict(roster or {})
    attributes["status"] = status_title(status)
    if shown is not None and class_title(shown) != attributes["status"]:
        attributes["map"] = class_title(shown)
    return feature_text("personnel", person_id, attributes)
