"""OASIS Common Alerting Protocol 1.2 alerts (``shared/spec/CAP-v1.2-schema.xsd``), standard library only.

The writer follows CAP-v1.2 (OASIS Standard, 1 July 2010): elements in the schema's order, in namespace
``urn:oasis:names:tc:emergency:cap:1.2``; times as ``YYYY-MM-DDThh:mm:ss±hh:mm`` with UTC written
``-00:00`` (the standard forbids ``Z``); ``identifier`` and ``sender`` without spaces, commas, ``<`` or
``&``; a polygon as at least four ``lat,lon`` pairs (WGS 84) with the first equal to the last; one
``info`` block per language. :func:`check` refuses what the schema or the standard's text would refuse,
naming the field, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

NS = "urn:oasis:names:tc:emergency:cap:1.2"
STATUS = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = ("Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra",
              "CBRNE", "Other")
RESPONSE_TYPES = ("Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None")
URGENCY = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITY = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTY = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")


class CapError(ValueError):
    """An alert the standard does not allow; ``field`` names the element."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass
class Area:
    """An ``area``: its description and polygons, each a ring of (lat, lon) WGS 84 degrees."""

    desc: str
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)


@dataclass
class Info:
    """One ``info`` block (one language)."""

    language: str
    event: str
    headline: str
    description: str
    instruction: str
    categories: tuple[str, ...] = ("Safety",)
    response_types: tuple[str, ...] = ()
    urgency: str = "Immediate"
    severity: str = "Severe"
    certainty: str = "Observed"
    sender_name: str | None = None
    onset: dt.datetime | None = None
    expires: dt.datetime | None = None
    contact: str | None = None
    parameters: dict[str, str] = field(default_factory=dict)
    areas: list[Area] = field(default_factory=list)


@dataclass
class Alert:
    """A CAP ``alert``."""

    identifier: str
    sender: str
    sent: dt.datetime
    status: str
    infos: list[Info]
    msg_type: str = "Alert"
    scope: str = "Public"
    note: str | None = None
    incidents: str | None = None
    source: str | None = None


def cap_time(t: dt.datetime) -> str:
    """A CAP time: seconds, explicit offset, UTC as ``-00:00``."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise CapError("time", f"{t.isoformat()} has no UTC offset")
    t = t.replace(microsecond=0)
    off = t.utcoffset() or dt.timedelta(0)
    if not off:
        return t.strftime("%Y-%m-%dT%H:%M:%S") + "-00:00"
    sign = "-" if off < dt.timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return t.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def polygon_text(ring: list[tuple[float, float]]) -> str:
    """A CAP polygon: ``lat,lon`` pairs separated by spaces, closed (first pair repeated at the end)."""
    pts = [(float(a), float(b)) for a, b in ring]
    if pts and pts[0] != pts[-1]:
        pts.append(pts[0])
    return " ".join(f"{lat:.6f},{lon:.6f}" for lat, lon in pts)


def _id_ok(text: str) -> bool:
    return bool(text) and not any(c in text for c in " ,<&\t\r\n")


def check(alert: Alert) -> None:
    """Raise :class:`CapError` for anything CAP 1.2 refuses (enumerations, identifiers, polygons, times)."""
    if not _id_ok(alert.identifier):
        raise CapError("identifier", "must be non-empty, without spaces, commas, < or &")
    if not _id_ok(alert.sender):
        raise CapError("sender", "must be non-empty, without spaces, commas, < or &")
    cap_time(alert.sent)
    for name, value, allowed in (("status", alert.status, STATUS), ("msgType", alert.msg_type, MSG_TYPES),
                                 ("scope", alert.scope, SCOPES)):
        if value not in allowed:
            raise CapError(name, f"{value!r} is not one of {', '.join(allowed)}")
    for i, info in enumerate(alert.infos):
        where = f"info[{i}]"
        if not info.categories or any(c not in CATEGORIES for c in info.categories):
            raise CapError(f"{where}.category", f"each must be one of {', '.join(CATEGORIES)}")
        if any(r not in RESPONSE_TYPES for r in info.response_types):
            raise CapError(f"{where}.responseType", f"each must be one of {', '.join(RESPONSE_TYPES)}")
        for name, value, allowed in (("urgency", info.urgency, URGENCY), ("severity", info.severity, SEVERITY),
                                     ("certainty", info.certainty, CERTAINTY)):
            if value not in allowed:
                raise CapError(f"{where}.{name}", f"{value!r} is not one of {', '.join(allowed)}")
        if not info.event.strip():
            raise CapError(f"{where}.event", "must not be empty")
        for t in (info.onset, info.expires):
            if t is not None:
                cap_time(t)
        for j, area in enumerate(info.areas):
            if not area.desc.strip():
                raise CapError(f"{where}.area[{j}].areaDesc", "must not be empty")
            for k, ring in enumerate(area.polygons):
                pts = [(float(a), float(b)) for a, b in ring]
                if pts and pts[0] != pts[-1]:
                    pts.append(pts[0])
                if len(pts) < 4:
                    raise CapError(f"{where}.area[{j}].polygon[{k}]", "needs at least 3 distinct corners")
                for lat, lon in pts:
                    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
                        raise CapError(f"{where}.area[{j}].polygon[{k}]", f"({lat}, {lon}) is not a WGS 84 point")


def _sub(parent: ET.Element, name: str, text: str | None) -> None:
    if text is not None:
        ET.SubElement(parent, f"{{{NS}}}{name}").text = text


def to_xml(alert: Alert) -> bytes:
    """The alert as CAP 1.2 XML (UTF-8, with declaration), after :func:`check`."""
    check(alert)
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}alert")
    _sub(root, "identifier", alert.identifier)
    _sub(root, "sender", alert.sender)
    _sub(root, "sent", cap_time(alert.sent))
    _sub(root, "status", alert.status)
    _sub(root, "msgType", alert.msg_type)
    _sub(root, "source", alert.source)
    _sub(root, "scope", alert.scope)
    _sub(root, "note", alert.note)
    _sub(root, "incidents", alert.incidents)
    for info in alert.infos:
        el = ET.SubElement(root, f"{{{NS}}}info")
        _sub(el, "language", info.language)
        for c in info.categories:
            _sub(el, "category", c)
        _sub(el, "event", info.event)
        for r in info.response_types:
            _sub(el, "responseType", r)
        _sub(el, "urgency", info.urgency)
        _sub(el, "severity", info.severity)
        _sub(el, "certainty", info.certainty)
        if info.onset is not None:
            _sub(el, "onset", cap_time(info.onset))
        if info.expires is not None:
            _sub(el, "expires", cap_time(info.expires))
        _sub(el, "senderName", info.sender_name)
        _sub(el, "headline", info.headline)
        _sub(el, "description", info.description)
        _sub(el, "instruction", info.instruction)
        _sub(el, "contact", info.contact)
        for name, value in info.parameters.items():
            p = ET.SubElement(el, f"{{{NS}}}parameter")
            _sub(p, "valueName", name)
            _sub(p, "value", value)
        for area in info.areas:
            a = ET.SubElement(el, f"{{{NS}}}area")
            _sub(a, "areaDesc", area.desc)
            for ring in area.polygons:
                _sub(a, "polygon", polygon_text(ring))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
