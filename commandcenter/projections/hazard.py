"""The hazard picture: every assessment, the current one (its zones as GeoJSON geometries in the plant
CRS, the proposed level with its reason in both languages, the cordon and evacuation radii), the evacuation
plans, the latest wind (with the cloud cover a station reports), and the alarms with their state.

Computed results a person acts on are events (``hazard.assessed``, ``evacuation.planned``), so a replay
shows exactly what the commander saw at the time."""

from __future__ import annotations

from commandcenter.projections.base import Projection, State


def _initial() -> State:
    return {"assessments": [], "current": None, "evacuation": None, "evacuations": 0, "weather": None,
            "alarms": {}}


def assessment_entry(p: dict, seq: int, t_us: int | None) -> State:
    """The projection's record of one ``hazard.assessed`` payload ``p`` recorded as event ``seq`` at ``t_us``."""
    return {"id": p["assessment_id"], "seq": seq, "t": t_us, "zones": p["zones"],
            "substance": p.get("substance"), "source": p.get("source"), "weather": p.get("weather"),
            "reach_m": p.get("reach_m"), "model": p.get("model"), "proposed_level": p.get("proposed_level"),
            "reason": p.get("reason"), "reason_zh": p.get("reason_zh"), "rate_kg_s": p.get("rate_kg_s"),
            "cordon_m": p.get("cordon_m"), "evacuation_m": p.get("evacuation_m"),
            "reach_beyond_10km": p.get("reach_beyond_10km"), "beyond_fence": p.get("beyond_fence"),
            "substance_override": bool(p.get("substance_override")), "by": p.get("by"),
            "raw": {k: p.get(k) for k in ("summary", "wedge", "warnings", "release", "people_inside",
                                          "beyond_10km")}}


def _assessed(s: State, e) -> None:
    entry = assessment_entry(e.payload, e.seq, e.t_us)
    s["assessments"].append({k: entry[k] for k in ("id", "seq", "t", "substance", "proposed_level")})
    s["current"] = entry


def _planned(s: State, e) -> None:
    p = e.payload
    s["evacuation"] = {"id": p["evacuation_id"], "seq": e.seq, "t": e.t_us, "method": p["method"],
                       "people": p["people"], "eta_s": p.get("eta_s"), "bound_s": p.get("bound_s"),
                       "assessment_id": p.get("assessment_id"), "unroutable": p.get("unroutable") or []}
    s["evacuations"] += 1


def _weather(s: State, e) -> None:
    p = e.payload
    s["weather"] = {"wind_speed_mps": p["wind_speed_mps"], "wind_from_deg": p["wind_from_deg"],
                    "stability": p.get("stability"), "station_id": p.get("station_id"),
                    "cloud_oktas": p.get("cloud_oktas"), "temperature_c": p.get("temperature_c"), "t": e.t_us}


def _alarm_raised(s: State, e) -> None:
    p = e.payload
    s["alarms"][p["alarm_id"]] = {**{k: p.get(k) for k in ("kind", "level", "sensor_id", "person_id", "x", "y",
                                                            "text", "substance", "value", "unit")},
                                  "state": "raised", "t": e.t_us, "seq": e.seq}


def _alarm_step(state: str):
    def handler(s: State, e) -> None:
        a = s["alarms"].get(e.payload["alarm_id"])
        if a is None:
            a = s["alarms"][e.payload["alarm_id"]] = {"state": "unknown", "t": e.t_us, "seq": e.seq}
        a["state"] = state
        a[f"{state}_t"] = e.t_us
        if state == "cleared":
            a["false_alarm"] = bool(e.payload.get("false_alarm"))
            a["cause"] = e.payload.get("cause")
    return handler


HAZARD = Projection("hazard", _initial, {
    "hazard.assessed": _assessed, "evacuation.planned": _planned, "weather.observed": _weather,
    "alarm.raised": _alarm_raised, "alarm.acknowledged": _alarm_step("acknowledged"),
    "alarm.confirmed": _alarm_step("confirmed"), "alarm.cleared": _alarm_step("cleared"),
})
