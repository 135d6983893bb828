"""The incident's external notice as an OASIS CAP 1.2 alert, built from the folded log.

``status`` comes from the exercise guard (:func:`commandcenter.services.dispatch.cap_status`: ``Exercise`` for an
exercise, ``Actual`` otherwise) and an exercise's texts carry the exercise mark. Two ``info`` blocks, zh-CN
and en-US, say the same thing. The area is the current hazard assessment's zones (``hazard.assessed``,
plant CRS) turned to WGS 84 — one ``area`` per zone level, most severe first, each part of a multipolygon
its own ``polygon`` — or, without an assessment, the site boundary. Severity follows the response level
(L1 Minor, L2 Moderate, L3 Severe, L4 Extreme); the response is ``Evacuate`` once people are ordered out,
else ``Shelter`` while a hazard is assessed, else ``Monitor``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import shapely
from shapely.geometry import shape

from commandcenter.services.dispatch import EXERCISE_MARK, cap_status, mark_exercise
from comms import cap

SEVERITY = {"L1": "Minor", "L2": "Moderate", "L3": "Severe", "L4": "Extreme"}
ZONE_NAMES = {"red": ("红区（致死/重伤）", "red zone (life-threatening)"),
              "orange": ("橙区（严重伤害）", "orange zone (serious harm)"),
              "yellow": ("黄区（不适）", "yellow zone (discomfort)")}
MAX_RING_POINTS = 100
INSTRUCTIONS = {
    "Evacuate": ("立即撤离划定区域，按指示前往集合点。", "Leave the marked area now and go to your assembly point."),
    "Shelter": ("远离划定区域，关闭门窗，听从指挥。",
                "Keep away from the marked area, close doors and windows, follow instructions."),
    "Monitor": ("保持关注，听从指挥。", "Stay alert and follow instructions."),
}


def _ident(text: str) -> str:
    """``text`` made a CAP identifier (no spaces, commas, < or &)."""
    return re.sub(r"[\s,<&]+", "_", text).strip("_") or "commandcenter"


def _rings(geom: Any, to_wgs84: Any) -> list[list[tuple[float, float]]]:
    """The exterior rings of a (multi)polygon in plant metres as (lat, lon) rings, thinned."""
    out = []
    parts = getattr(geom, "geoms", [geom])
    for poly in parts:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        ring = poly.exterior
        if len(ring.coords) > MAX_RING_POINTS:
            ring = shapely.simplify(poly, poly.length / MAX_RING_POINTS / 4).exterior
        xs, ys = zip(*ring.coords, strict=True)
        lon, lat = to_wgs84(xs, ys)
        pts = [(round(float(b), 6), round(float(a), 6)) for a, b in zip(lon, lat, strict=True)]
        if len(pts) >= 4:
            out.append(pts)
    return out


def build_alert(state: dict[str, Any], incident: Any, *, geo: Any = None, sent: dt.datetime | None = None,
                sender: str = "commandcenter", requested_status: str | None = None,
                plan_title: dict[str, str] | None = None) -> cap.Alert:
    """The CAP alert of an incident (``incident``: the store's header: id, title, exercise, tz) from its
    folded ``state``; ``geo`` (:class:`commandcenter.services.field.geo.PlantGeo`) turns zones to WGS 84;
    ``plan_title`` (``{"zh", "en"}`` of the launched plan) names the event."""
    exercise = bool(incident.exercise)
    status = cap_status(exercise, requested_status)
    level = state["incident"].get("level")
    hz = state["hazard"].get("current") or {}
    substance = hz.get("substance")
    ordered = bool(state["muster"].get("ordered"))
    title = plan_title or {}
    event_zh = title.get("zh") or incident.title
    event_en = title.get("en") or incident.title
    tz = incident.tzinfo
    when = (sent or dt.datetime.now(dt.UTC)).astimezone(tz)
    areas_zh: list[cap.Area] = []
    areas_en: list[cap.Area] = []
    if geo is not None:
        for z in hz.get("zones") or []:
            try:
                rings = _rings(shape(z["geometry"]), geo.to_wgs84)
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
            if rings:
                zh, en = ZONE_NAMES.get(str(z.get("level")), (str(z.get("level")), str(z.get("level"))))
                areas_zh.append(cap.Area(f"{geo.plant.name} {zh}", rings))
                areas_en.append(cap.Area(f"{geo.plant.name} {en}", rings))
        site = geo.plant.layers.get("site")
        if not areas_zh and site is not None and len(site):
            rings = _rings(site.geometry.iloc[0], geo.to_wgs84)
            if rings:
                areas_zh.append(cap.Area(f"{geo.plant.name} 厂区", rings))
                areas_en.append(cap.Area(f"{geo.plant.name} site", rings))
    response = ("Evacuate",) if ordered else (("Shelter",) if hz else ("Monitor",))
    severity = SEVERITY.get(str(level), "Unknown")
    sub = f"（{substance}）" if substance else ""
    headline_zh = mark_exercise(f"{event_zh}{sub}：{level or ''}级响应", exercise)
    headline_en = mark_exercise(f"{event_en}{f' ({substance})' if substance else ''}: level {level or '—'} response",
                                exercise)
    reach = hz.get("reach_m") or {}
    red = reach.get("red") if isinstance(reach, dict) else None
    desc_zh = f"{incident.title}。响应级别 {level or '未定'}。" + (f"红区范围约 {red:.0f} 米。" if red else "")
    desc_en = f"{incident.title}. Response level {level or 'not set'}." + (
        f" The red zone reaches about {red:.0f} m." if red else "")
    instr_zh, instr_en = INSTRUCTIONS["Evacuate" if ordered else ("Shelter" if hz else "Monitor")]
    params = {"incident": incident.id, "level": str(level or "")}
    if substance:
        params["substance"] = str(substance)
    category = ("CBRNE",) if substance else ("Safety",)
    common = {"categories": category, "response_types": response, "urgency": "Immediate", "severity": severity,
              "certainty": "Observed", "sender_name": geo.plant.name if geo is not None else sender,
              "onset": when, "parameters": params}
    infos = [cap.Info("zh-CN", event_zh, headline_zh, mark_exercise(desc_zh, exercise), instr_zh, areas=areas_zh,
                      **common),
             cap.Info("en-US", event_en, headline_en, mark_exercise(desc_en, exercise), instr_en, areas=areas_en,
                      **common)]
    note = f"{EXERCISE_MARK} 演练，非真实事件 / exercise, not a real emergency" if exercise else None
    return cap.Alert(identifier=_ident(f"{sender}.{incident.id}.{state['seq']}"), sender=_ident(sender), sent=when,
                     status=status, infos=infos, note=note, incidents=_ident(incident.id))
