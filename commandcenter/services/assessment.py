"""The hazard assessment a duty officer acts on: a release at a piece of equipment in the resolved weather,
its zones, who is inside, the proposed response level with its reason, and the cordon and evacuation radii
the plan's tasks should use — and the ``hazard.assessed`` draft that records exactly that in the log.

Qt-free; the window calls these and shows the dataclasses.

Level rule (ours, after the level descriptions of the plan library and GB/T 29639-2020; documented in
docs/hazards.md): the first that holds, clamped to the levels the plan defines —

1. the red or orange zone (life-threatening / serious effects) crosses the site fence → L4;
2. the yellow zone crosses the fence, or anyone is inside the red zone → L3;
3. anyone is inside the orange zone, or the substance is on the key-supervision list
   (重点监管的危险化学品名录) and a red zone exists → L2;
4. otherwise L1.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import shapely

from gis.hazards.equipment import Equipment, check_substance, plant_equipment
from gis.hazards.library import library
from gis.hazards.refusals import HazardInputError, Refusal, check_number, raise_if
from gis.hazards.scenario import Release
from gis.hazards.weather import ResolvedWeather
from gis.hazards.zones import ZoneSet
from vocabulary.events import LEVELS, Draft

ZONE_LEVELS = ("red", "orange", "yellow")
RADIUS_STEP_M = 10.0
MIN_RADIUS_M = 50.0
SIMPLIFY_M = 0.5


@dataclass
class Assessment:
    """One assessment: the equipment (or a free point), what is released, the weather, the model, the zones,
    the people inside each zone, the fence crossings, the proposed level and its reason (zh, en)."""

    assessment_id: str
    source: dict[str, Any]
    substance: str
    release: dict[str, Any]
    weather: ResolvedWeather
    model: str
    zones: ZoneSet
    people: dict[str, int | None]
    beyond_fence: dict[str, bool]
    supervised: bool
    override: bool = False
    crs: str | None = None
    proposed_level: str = "L1"
    reason_zh: str = ""
    reason_en: str = ""
    warnings: list[str] = field(default_factory=list)

    def reach_m(self) -> dict[str, float | None]:
        """Reach downwind of each zone, m (None when the zone is absent or goes beyond 10 km)."""
        out: dict[str, float | None] = dict.fromkeys(ZONE_LEVELS)
        for z in self.zones.zones:
            out[z.level] = None if z.beyond_10km or z.distance_m is None else round(float(z.distance_m), 1)
        return out

    def beyond_10km(self) -> dict[str, bool]:
        """Whether each zone still holds at 10 km (its reach is then null, never a string)."""
        out = dict.fromkeys(ZONE_LEVELS, False)
        for z in self.zones.zones:
            out[z.level] = bool(z.beyond_10km)
        return out


def _model_name(release: Release, scheme: str) -> str:
    kind = ("gaussian-puff" if release.mass_kg is not None else
            "gaussian-plume" if release.duration_s is None else "gaussian-plume-palazzi")
    return f"{kind}; Briggs {scheme} sigmas; peak within 60 min"


def _site_polygon(plant: Any):  # type: ignore[no-untyped-def]
    site = plant.layers.get("site") if plant is not None else None
    if site is None or not len(site):
        return None
    return shapely.union_all(site.geometry.values)


def propose_level(assessment: Assessment, plan: Any = None) -> tuple[str, str, str]:
    """(level, reason zh, reason en) from the assessment and the plan's levels (see the module docstring).
    With a plan, the level is clamped to those it defines and a substance the plan is not written for is
    named in the reason."""
    a = assessment
    red, orange = a.people.get("red") or 0, a.people.get("orange") or 0
    present = {z.level for z in a.zones.zones if not z.polygon.is_empty}
    if a.beyond_fence.get("red") or a.beyond_fence.get("orange"):
        lvl, zh, en = ("L4", "红区或橙区越过厂界（厂外人员可能受到严重伤害）",
                       "the red or orange zone crosses the site fence")
    elif a.beyond_fence.get("yellow") or red > 0:
        parts = [(f"红区内有 {red} 人", f"{red} people inside the red zone")] if red else []
        if a.beyond_fence.get("yellow"):
            parts.append(("黄区越过厂界", "the yellow zone crosses the site fence"))
        lvl, zh, en = "L3", "；".join(p[0] for p in parts), "; ".join(p[1] for p in parts)
    elif orange > 0 or (a.supervised and "red" in present):
        parts = [(f"橙区内有 {orange} 人", f"{orange} people inside the orange zone")] if orange else []
        if a.supervised and "red" in present:
            parts.append(("重点监管危险化学品，存在红区", "a chemical under key supervision with a red zone"))
        lvl, zh, en = "L2", "；".join(p[0] for p in parts), "; ".join(p[1] for p in parts)
    else:
        lvl, zh, en = ("L1", "危险区内无人且未越过厂界",
                       "nobody inside the red or orange zone and no zone beyond the fence")
    if plan is not None:
        names = [v for v in LEVELS if v in getattr(plan, "levels", {})]
        if names and lvl not in names:
            rank = LEVELS.index(lvl)
            fit = [v for v in names if LEVELS.index(v) <= rank] or names[:1]
            zh += f"（预案最高 {fit[-1]}）"
            en += f" (the plan's nearest level is {fit[-1]})"
            lvl = fit[-1]
        subs = [library().find(s) for s in getattr(plan, "substances", ())]
        keys = {s.key for s in subs if s is not None}
        if keys and a.substance not in keys:
            zh += f"；注意：该预案针对 {'、'.join(sorted(keys))}，不是 {a.substance}"
            en += f"; note: the plan is written for {', '.join(sorted(keys))}, not {a.substance}"
    return lvl, zh, en


def zone_radii(assessment: Assessment) -> dict[str, Any]:
    """Cordon and evacuation radii (m) from the computed zones, for the plan's launched tasks:
    ``cordon_m`` = reach of the red zone (AEGL-3 / 60 % LEL: nobody enters without breathing apparatus),
    ``evacuation_m`` = reach of the orange zone (AEGL-2: impaired escape), or of the yellow zone when the
    substance has no orange level (flammable: 10 % LEL), and never less than the cordon. Each is rounded up
    to 10 m and at least 50 m (the model is least reliable within 100 m); None when no such zone exists or
    when it holds beyond 10 km — then ``beyond_10km`` is True and the task must say "beyond 10 km"."""
    reach, far = assessment.reach_m(), assessment.beyond_10km()

    def up(v: float | None) -> float | None:
        return None if v is None else max(MIN_RADIUS_M, math.ceil(v / RADIUS_STEP_M) * RADIUS_STEP_M)

    has_orange = any(z.level == "orange" for z in assessment.zones.zones)
    evac_level = "orange" if has_orange else "yellow"
    cordon = up(reach["red"])
    evac = up(reach[evac_level])
    if evac is not None and cordon is not None:
        evac = max(evac, cordon)
    return {"cordon_m": cordon, "evacuation_m": evac if not far[evac_level] else None,
            "beyond_10km": bool(far["red"] or far[evac_level])}


def assess_equipment(plant: Any, equipment: Equipment | str | None, weather: ResolvedWeather, *,
                     substance: str | None = None, rate_kg_s: float | None = None, duration_s: float | None = None,
                     mass_kg: float | None = None, hole_diameter_m: float | None = None, height_m: float = 0.0,
                     override: bool = False, positions: Any = None, plan: Any = None, xy: tuple[float, float] |
                     None = None, terrain: str = "rural", assessment_id: str | None = None) -> Assessment:
    """Assess a release at ``equipment`` (an :class:`Equipment`, its id, or None with ``xy`` for a free point)
    in the resolved ``weather``. The substance defaults to what the equipment holds; another one is refused
    (``substance-mismatch``) unless ``override``. Give a rate (with an optional duration), a mass, or a
    hole diameter (the rate then comes from the equipment's pressure and temperature). Every numeric input
    is checked; all problems come at once as :class:`HazardInputError`."""
    from commandcenter.services.hazard_report import HazardSource, assess

    refusals: list[Refusal] = []
    eq: Equipment | None = None
    if isinstance(equipment, str):
        found = [e for e in plant_equipment(plant) if e.id == equipment]
        if not found:
            raise_if([Refusal("equipment-unknown", "source",
                              f"本厂没有编号为 {equipment} 的危险源，请在地图上或按名称选择。",
                              f"The plant has no hazard source {equipment!r}; pick one on the map or by name.")])
        eq = found[0]
    elif isinstance(equipment, Equipment):
        eq = equipment
    if eq is None and xy is None:
        raise_if([Refusal("source-missing", "source", "请选择泄漏设备（地图或名称），或给出泄漏点坐标。",
                          "Pick the leaking equipment (on the map or by name) or give the release point.")])
    sub_text = substance if substance not in (None, "") else (eq.substance if eq else None)
    if not sub_text:
        refusals.append(Refusal("missing", "substance", "请填写泄漏物质。", "Enter the released substance."))
    elif eq is not None:
        refusals += check_substance(eq, sub_text, override)
    for name, v, lo, hi, unit, zh, en in (
            ("rate_kg_s", rate_kg_s, 0.0, 1e5, "kg/s", "泄漏速率", "release rate"),
            ("duration_s", duration_s, 0.0, 3.2e7, "s", "持续时间", "release duration"),
            ("mass_kg", mass_kg, 0.0, 1e9, "kg", "瞬时泄漏量", "released mass"),
            ("hole_diameter_m", hole_diameter_m, 0.0, 10.0, "m", "泄漏孔径", "hole diameter")):
        r = check_number(name, v, lo, hi, unit, zh, en, required=False, lo_open=True)
        refusals += [r] if r else []
    r = check_number("height_m", height_m, 0.0, 1000.0, "m", "泄漏高度", "release height")
    refusals += [r] if r else []
    if sum(v is not None for v in (rate_kg_s, mass_kg, hole_diameter_m)) != 1:
        refusals.append(Refusal("release-incomplete", "rate_kg_s",
                                "请只填写一项：泄漏速率（kg/s）、瞬时泄漏量（kg）或泄漏孔径（m）。",
                                "Give exactly one of: release rate (kg/s), released mass (kg) or hole diameter (m)."))
    raise_if(refusals)
    entry = library().lookup(sub_text)
    src = (HazardSource(eq.id, eq.x, eq.y, entry.key, eq.inventory_kg or None, eq.pressure_bar, eq.temperature_c)
           if eq is not None else HazardSource(None, float(xy[0]), float(xy[1]), entry.key))
    release = Release(entry.key, rate_kg_s, duration_s, mass_kg, height_m, src.temperature_c + 273.15)
    try:
        out, zs, sc = assess(release, weather.to_weather(terrain), src, hole_diameter_m=hole_diameter_m,
                             positions=positions)
    except HazardInputError:
        raise
    except ValueError as exc:
        from gis.hazards.refusals import explain

        raise HazardInputError(explain(exc)) from exc
    site = _site_polygon(plant)
    people: dict[str, int | None] = dict.fromkeys(ZONE_LEVELS)
    fence = dict.fromkeys(ZONE_LEVELS, False)
    for z in zs.zones:
        people[z.level] = z.people
        if site is not None and not z.polygon.is_empty:
            fence[z.level] = bool(shapely.difference(z.polygon, site).area > 1.0)
    epsg = plant.crs.to_epsg() if plant is not None else None
    a = Assessment(assessment_id or f"A-{uuid.uuid4().hex[:12]}",
                   {"id": src.id, "name": eq.name_zh if eq else None, "name_en": eq.name_en if eq else None,
                    "kind": eq.kind if eq else None, "x": src.x, "y": src.y,
                    "held_substance": eq.substance if eq else None, "inventory_kg": src.inventory_kg,
                    "pressure_bar": src.pressure_bar, "temperature_c": src.temperature_c},
                   entry.key, dict(out["release"]), weather, _model_name(sc.release, sc.scheme), zs, people, fence,
                   entry.supervised is not None, override and eq is not None and eq.substance != entry.key,
                   f"EPSG:{epsg}" if epsg else None, warnings=list(zs.warnings))
    a.proposed_level, a.reason_zh, a.reason_en = propose_level(a, plan)
    return a


def _ring_coords(geom) -> list:  # type: ignore[no-untyped-def]
    g = geom.simplify(SIMPLIFY_M, preserve_topology=True)
    if g.geom_type != "Polygon":
        g = shapely.convex_hull(g)
    rings = [g.exterior, *g.interiors]
    return [[[round(float(x), 2), round(float(y), 2)] for x, y in r.coords] for r in rings]


def assessed_payload(a: Assessment, by: str | None = None) -> dict[str, Any]:
    """The ``hazard.assessed`` payload: source, weather, model, substance, rate, zones (GeoJSON-like
    polygons in the plant CRS), reach per zone in metres (null plus ``reach_beyond_10km``), people inside
    per zone (null without positions), fence crossings, proposed level and reason, radii, warnings."""
    radii = zone_radii(a)
    zones = []
    for z in a.zones.zones:
        zones.append({"level": z.level, "guideline": z.guideline, "threshold_ppm": z.threshold_ppm,
                      "reach_m": a.reach_m()[z.level], "beyond_10km": bool(z.beyond_10km),
                      "people": a.people[z.level], "beyond_fence": a.beyond_fence[z.level],
                      "polygon": (None if z.polygon.is_empty else
                                  {"type": "Polygon", "coordinates": _ring_coords(z.polygon)})})
    payload = {
        "assessment_id": a.assessment_id, "zones": zones, "source": a.source, "weather": a.weather.to_dict(),
        "model": a.model, "substance": a.substance, "rate_kg_s": a.release.get("rate_kg_s"),
        "release": a.release, "reach_m": a.reach_m(), "reach_beyond_10km": a.beyond_10km(),
        "people_inside": a.people, "beyond_fence": a.beyond_fence, "warnings": list(a.warnings),
        "proposed_level": a.proposed_level, "reason": a.reason_en, "reason_zh": a.reason_zh,
        "cordon_m": radii["cordon_m"], "evacuation_m": radii["evacuation_m"], "substance_override": a.override,
        "crs": a.crs, "wedge": (None if a.zones.wedge is None or a.zones.wedge.is_empty else
                                {"type": "Polygon", "coordinates": _ring_coords(a.zones.wedge)})}
    if by:
        payload["by"] = by
    return payload


def assessed_draft(a: Assessment, time: datetime, by: str | None = None) -> Draft:
    """The ``hazard.assessed`` draft of ``a`` at the aware ``time``, validated against the vocabulary."""
    return Draft("hazard.assessed", time, assessed_payload(a, by)).checked()


def _terrain_of(model: str | None) -> str:
    return "urban" if "urban" in str(model or "") else "rural"


def weather_of_reading(plant: Any, reading: dict[str, Any], time: datetime,
                       previous: dict[str, Any] | None = None) -> ResolvedWeather:
    """The resolved weather of a ``weather.observed`` payload at the aware ``time``: the station's class when it
    gives one (checked against the wind), else derived from its cloud cover and the time (Turner 1964), else
    the class of the ``previous`` assessment's weather (a wind-only station), still checked against the new
    wind. Raises :class:`HazardInputError` with every problem (e.g. a class the new wind contradicts)."""
    from gis.hazards.weather import WeatherInput, plant_lonlat, resolve_weather

    stability = reading.get("stability")
    cloud = reading.get("cloud_oktas")
    if stability is None and cloud is None:
        stability = (previous or {}).get("stability")
    inp = WeatherInput(reading.get("wind_speed_mps"), reading.get("wind_from_deg"), cloud, time, stability,
                       None, reading.get("station_id"))
    lon, lat = plant_lonlat(plant)
    return resolve_weather(inp, lat, lon)


def reassess_in_weather(plant: Any, entry: dict[str, Any], weather: ResolvedWeather, *, positions: Any = None,
                        plan: Any = None) -> Assessment:
    """The release of a recorded assessment assessed again in ``weather``: the same source (the plant's
    equipment by id, else the recorded point), substance, rate, mass, duration and height, and the same
    terrain. ``entry`` is the projection's current assessment (``state["hazard"]["current"]``) or a
    ``hazard.assessed`` payload. Raises :class:`HazardInputError` when the recorded release cannot be assessed
    again (e.g. its equipment left the plant and no point was recorded)."""
    src = entry.get("source") or {}
    rel = entry.get("release") or (entry.get("raw") or {}).get("release") or {}
    sid = src.get("id")
    known = sid is not None and any(e.id == sid for e in plant_equipment(plant))
    xy = ((float(src["x"]), float(src["y"])) if isinstance(src.get("x"), (int, float))
          and isinstance(src.get("y"), (int, float)) else None)
    rate = rel.get("rate_kg_s", entry.get("rate_kg_s"))
    mass = rel.get("mass_kg")
    return assess_equipment(plant, sid if known else None, weather, substance=entry.get("substance"),
                            rate_kg_s=None if mass is not None else rate,
                            duration_s=rel.get("duration_s") if mass is None else None, mass_kg=mass,
                            height_m=float(rel.get("height_m") or 0.0),
                            override=bool(entry.get("substance_override")), positions=positions, plan=plan,
                            xy=None if known else xy, terrain=_terrain_of(entry.get("model")))
