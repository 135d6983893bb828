"""Weather without jargon: the Pasquill–Gifford stability class from the date and time, the cloud cover
and the wind — the letter is a result shown to the user, not a question asked of them.

Method: Turner's net-radiation-index scheme (Turner, "A diffusion model for an urban area", J. Appl.
Meteor. 3 (1964) 83–91), as given step by step in US EPA, "Meteorological Monitoring Guidance for
Regulatory Modeling Applications", EPA-454/R-99-005 (2000), §6.4.1, Tables 6-4 to 6-6:

1. insolation class from the solar elevation φ: φ > 60° → 4, 35° < φ ≤ 60° → 3, 15° < φ ≤ 35° → 2, else 1;
2. net radiation index (NRI): overcast (10/10) with a ceiling below 7000 ft → 0, day or night; night (from one
   hour before sunset to one hour after sunrise) → −2 with cloud ≤ 4/10, −1 above; by day the insolation
   class, lowered when cloud > 5/10 by 2 (ceiling < 7000 ft) or 1 (7000–16000 ft, or overcast above
   7000 ft), never below 1;
3. the class from the NRI and the wind speed in knots (Table 6-5), 1–7 = A–G; G is taken as F (the
   dispersion coefficients end at F).

Cloud is entered in oktas (eighths, as a weather station reports it) and converted to tenths (×10/8).
When the ceiling is not known we assume it is low (< 7000 ft): overcast gives D, and 5–7 oktas by day lower
the insolation class by 2 — the more stable, longer-reaching choice (stated in the explanation).

The solar position is NOAA's algorithm (the NOAA Solar Calculator, after Meeus, "Astronomical Algorithms",
2nd ed., 1998, ch. 25 and 28), without refraction; sunrise and sunset use the −0.833° horizon.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gis.hazards.refusals import Refusal, check_number, raise_if
from gis.hazards.stability import CLASSES, StabilityError, check_stability

KNOT = 0.514444  # m/s
FT = 0.3048  # m
_NRI_COLUMNS = (4, 3, 2, 1, 0, -1, -2)
# EPA-454/R-99-005 Table 6-5: rows by wind speed (knots, rounded), columns NRI 4 … −2; 1–7 = A–G
_TURNER = (
    (1.5, (1, 1, 2, 3, 4, 6, 7)), (3.5, (1, 2, 2, 3, 4, 6, 7)), (5.5, (1, 2, 3, 4, 4, 5, 6)),
    (6.5, (2, 2, 3, 4, 4, 5, 6)), (7.5, (2, 2, 3, 4, 4, 4, 5)), (9.5, (2, 3, 3, 4, 4, 4, 5)),
    (10.5, (3, 3, 4, 4, 4, 4, 5)), (11.5, (3, 3, 4, 4, 4, 4, 4)), (math.inf, (3, 4, 4, 4, 4, 4, 4)),
)


def _julian_century(t: dt.datetime) -> float:
    utc = t.astimezone(dt.UTC)
    jd = utc.timestamp() / 86400.0 + 2440587.5
    return (jd - 2451545.0) / 36525.0


def solar_geometry(t: dt.datetime) -> tuple[float, float]:
    """(declination in degrees, equation of time in minutes) of the sun at the aware time ``t``
    (NOAA / Meeus ch. 25 low-accuracy series; about 0.01° and a few seconds)."""
    jc = _julian_century(t)
    l0 = (280.46646 + jc * (36000.76983 + jc * 0.0003032)) % 360.0
    m = 357.52911 + jc * (35999.05029 - 0.0001537 * jc)
    e = 0.016708634 - jc * (0.000042037 + 0.0000001267 * jc)
    mr = math.radians(m)
    c = (math.sin(mr) * (1.914602 - jc * (0.004817 + 0.000014 * jc)) + math.sin(2 * mr) * (0.019993 - 0.000101 * jc)
         + math.sin(3 * mr) * 0.000289)
    omega = math.radians(125.04 - 1934.136 * jc)
    app_long = math.radians(l0 + c - 0.00569 - 0.00478 * math.sin(omega))
    eps0 = 23.0 + (26.0 + (21.448 - jc * (46.815 + jc * (0.00059 - jc * 0.001813))) / 60.0) / 60.0
    eps = math.radians(eps0 + 0.00256 * math.cos(omega))
    decl = math.degrees(math.asin(math.sin(eps) * math.sin(app_long)))
    y = math.tan(eps / 2.0) ** 2
    l0r = math.radians(l0)
    eot = 4.0 * math.degrees(y * math.sin(2 * l0r) - 2 * e * math.sin(mr) + 4 * e * y * math.sin(mr) * math.cos(2 * l0r)
                             - 0.5 * y * y * math.sin(4 * l0r) - 1.25 * e * e * math.sin(2 * mr))
    return decl, eot


def solar_elevation_deg(t: dt.datetime, lat: float, lon: float) -> float:
    """Elevation of the sun's centre above the horizon (degrees, no refraction) at the aware time ``t`` seen
    from latitude ``lat`` and longitude ``lon`` (degrees, east positive)."""
    decl, eot = solar_geometry(t)
    utc = t.astimezone(dt.UTC)
    minutes = utc.hour * 60.0 + utc.minute + utc.second / 60.0 + utc.microsecond / 6e7
    tst = (minutes + eot + 4.0 * lon) % 1440.0
    ha = math.radians(tst / 4.0 - 180.0)
    la, de = math.radians(lat), math.radians(decl)
    cz = math.sin(la) * math.sin(de) + math.cos(la) * math.cos(de) * math.cos(ha)
    return 90.0 - math.degrees(math.acos(max(-1.0, min(1.0, cz))))


def sun_times(t: dt.datetime, lat: float, lon: float) -> tuple[dt.datetime | None, dt.datetime | None, str]:
    """(sunrise, sunset, kind) in UTC on the solar day around ``t``; kind is ``normal``, ``polar-day`` or
    ``polar-night`` (then both times are None). Horizon −0.833° (refraction and the sun's radius)."""
    decl, eot = solar_geometry(t)
    la, de = math.radians(lat), math.radians(decl)
    arg = math.cos(math.radians(90.833)) / (math.cos(la) * math.cos(de)) - math.tan(la) * math.tan(de)
    if arg <= -1.0:
        return None, None, "polar-day"
    if arg >= 1.0:
        return None, None, "polar-night"
    ha = math.degrees(math.acos(arg))
    utc = t.astimezone(dt.UTC)
    noon_min = 720.0 - 4.0 * lon - eot
    day0 = dt.datetime(utc.year, utc.month, utc.day, tzinfo=dt.UTC)
    noon = day0 + dt.timedelta(minutes=noon_min)
    if (utc - noon).total_seconds() > 43200:  # the solar day of t starts after midnight UTC shifts it
        noon += dt.timedelta(days=1)
    elif (noon - utc).total_seconds() > 43200:
        noon -= dt.timedelta(days=1)
    return noon - dt.timedelta(minutes=4.0 * ha), noon + dt.timedelta(minutes=4.0 * ha), "normal"


def is_turner_night(t: dt.datetime, lat: float, lon: float) -> bool:
    """Turner's night: from one hour before sunset to one hour after sunrise."""
    rise, sset, kind = sun_times(t, lat, lon)
    if kind != "normal":
        return kind == "polar-night"
    hour = dt.timedelta(hours=1)
    return not (rise + hour <= t.astimezone(dt.UTC) < sset - hour)


def insolation_class(elevation_deg: float) -> int:
    """Turner's insolation class 1–4 from the solar elevation (EPA-454/R-99-005 Table 6-6)."""
    if elevation_deg > 60.0:
        return 4
    if elevation_deg > 35.0:
        return 3
    if elevation_deg > 15.0:
        return 2
    return 1


def net_radiation_index(night: bool, elevation_deg: float, cloud_oktas: float, ceiling_m: float | None = None) -> int:
    """Turner's net radiation index (−2 … 4) — see the module docstring; an unknown ceiling is taken as
    low (< 7000 ft)."""
    tenths = cloud_oktas * 10.0 / 8.0
    low = ceiling_m is None or ceiling_m < 7000 * FT
    mid = ceiling_m is not None and 7000 * FT <= ceiling_m < 16000 * FT
    if tenths >= 10.0 and low:
        return 0
    if night:
        return -2 if tenths <= 4.0 else -1
    ic = insolation_class(elevation_deg)
    if tenths <= 5.0:
        return ic
    if low:
        nri = ic - 2
    elif mid or tenths >= 10.0:
        nri = ic - 1
    else:
        nri = ic
    return max(nri, 1)


def turner_class(wind_speed_mps: float, nri: int) -> str:
    """The class letter from the net radiation index and the wind (m/s; rounded to whole knots as in the
    table); Turner's class 7 (G) is returned as F."""
    kt = round(wind_speed_mps / KNOT)
    row = next(r for lim, r in _TURNER if kt < lim)
    n = row[_NRI_COLUMNS.index(nri)]
    return CLASSES[min(n, 6) - 1]


@dataclass(frozen=True)
class WeatherInput:
    """What the user (or a field weather station) gives: wind speed (m/s) and the direction it blows FROM
    (degrees clockwise from north); cloud cover in oktas (0 clear … 8 overcast) and the aware date/time —
    or a stability class A–F as measured by a station; optionally the cloud ceiling (m)."""

    wind_speed_mps: float | None
    wind_from_deg: float | None
    cloud_oktas: float | None = None
    time: dt.datetime | None = None
    stability: str | None = None
    ceiling_m: float | None = None
    station_id: str | None = None


@dataclass(frozen=True)
class ResolvedWeather:
    """The weather the model uses, and how the class was found (``basis``: ``turner-1964`` or ``given``),
    with a one-line explanation in zh and en for the window."""

    wind_speed_mps: float
    wind_from_deg: float
    stability: str
    basis: str
    cloud_oktas: float | None
    time: dt.datetime | None
    solar_elevation_deg: float | None
    night: bool | None
    net_radiation_index: int | None
    explanation_zh: str
    explanation_en: str
    station_id: str | None = None

    def to_weather(self, terrain: str = "rural", wind_height_m: float | None = None):  # type: ignore[no-untyped-def]
        """The :class:`gis.hazards.scenario.Weather` of this observation."""
        from gis.hazards.scenario import Weather

        return Weather(self.wind_speed_mps, self.wind_from_deg, self.stability, None, None, terrain, wind_height_m)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (the ``weather`` object of a ``hazard.assessed`` event)."""
        return {"wind_speed_mps": self.wind_speed_mps, "wind_from_deg": self.wind_from_deg,
                "stability": self.stability, "basis": self.basis, "cloud_oktas": self.cloud_oktas,
                "time": self.time.isoformat() if self.time else None,
                "solar_elevation_deg": (round(self.solar_elevation_deg, 2) if self.solar_elevation_deg is not None
                                        else None),
                "night": self.night, "net_radiation_index": self.net_radiation_index,
                "explanation": {"zh": self.explanation_zh, "en": self.explanation_en},
                "station_id": self.station_id}


def check_weather(inp: WeatherInput) -> list[Refusal]:
    """Every problem of a weather input (collected, each with what to change): wind missing, not finite,
    below the 1 m/s floor of the Gaussian model or above 50 m/s; direction outside 0–360°; cloud outside
    0–8 oktas; a time without a time zone; a class that is not A–F; neither a class nor cloud and time."""
    out: list[Refusal] = []
    r = check_number("wind_speed", inp.wind_speed_mps, 0.0, 50.0, "m/s", "风速", "wind speed")
    if r is None and inp.wind_speed_mps < 1.0:
        r = Refusal("wind-below-floor", "wind_speed",
                    f"风速 {inp.wind_speed_mps:g} m/s 低于高斯扩散模型的下限 1 m/s（静风条件不适用）。"
                    "请输入实测风速（≥1 m/s）；静风时请根据现场检测结果划定警戒区。",
                    f"A wind of {inp.wind_speed_mps:g} m/s is below the 1 m/s floor of the Gaussian model (calm air "
                    "is not modelled). Enter the measured wind (at least 1 m/s); in calm air set the cordon from "
                    "field measurements.")
    out += [r] if r else []
    r = check_number("wind_from", inp.wind_from_deg, 0.0, 360.0, "°", "风向（风的来向）",
                     "wind direction (blowing from)")
    out += [r] if r else []
    r = check_number("cloud_oktas", inp.cloud_oktas, 0.0, 8.0, "oktas", "云量（0 晴 – 8 阴）",
                     "cloud cover (0 clear – 8 overcast)", required=False)
    out += [r] if r else []
    r = check_number("ceiling_m", inp.ceiling_m, 0.0, 20000.0, "m", "云底高度", "cloud ceiling", required=False)
    out += [r] if r else []
    if inp.time is not None and (inp.time.tzinfo is None or inp.time.utcoffset() is None):
        out.append(Refusal("time-without-zone", "time",
                           "时间缺少时区。请使用带时区的时间（如 2026-11-30T03:00+08:00）。",
                           "The time has no time zone. Give it with its offset (e.g. 2026-11-30T03:00+08:00)."))
    if inp.stability is not None:
        c = str(inp.stability).strip().upper()
        if len(c) != 1 or c not in CLASSES:
            out.append(Refusal("stability-unknown", "stability",
                                f"稳定度等级应为 A–F，收到 {inp.stability!r}。不确定时请清空，由系统按时间和云量推算。",
                                f"The stability class must be one of A–F, got {inp.stability!r}. If unsure, leave it "
                                "empty and give the time and cloud cover instead."))
    elif inp.cloud_oktas is None or inp.time is None:
        missing_zh = "、".join(x for x, v in (("云量", inp.cloud_oktas), ("日期时间", inp.time)) if v is None)
        missing_en = " and ".join(x for x, v in (("the cloud cover", inp.cloud_oktas), ("the date and time", inp.time))
                                  if v is None)
        out.append(Refusal("weather-incomplete", "cloud_oktas" if inp.cloud_oktas is None else "time",
                           f"请填写{missing_zh}：系统据此和风速推算大气稳定度（也可直接填写气象站给出的稳定度 A–F）。",
                           f"Enter {missing_en}: the stability class is derived from them and the wind (or give "
                           "the class A–F a weather station reports)."))
    return out


def resolve_weather(inp: WeatherInput, lat: float, lon: float) -> ResolvedWeather:
    """The weather the model uses, from a user's or a station's input at the plant's latitude/longitude.

    A given class (e.g. from a station's σθ) is kept when Turner's table admits it at this wind speed (and,
    with a time, by day or night); otherwise the class is derived from date, time, cloud and wind. Raises
    :class:`~gis.hazards.refusals.HazardInputError` with every problem at once."""
    refusals = check_weather(inp)
    for name, v, lo, hi in (("latitude", lat, -90.0, 90.0), ("longitude", lon, -180.0, 180.0)):
        r = check_number(name, v, lo, hi, "°", "纬度" if name == "latitude" else "经度", name)
        refusals += [r] if r else []
    raise_if(refusals)
    u, frm = float(inp.wind_speed_mps), float(inp.wind_from_deg) % 360.0
    elev = night = None
    if inp.time is not None:
        elev = solar_elevation_deg(inp.time, lat, lon)
        night = is_turner_night(inp.time, lat, lon)
    if inp.stability is not None:
        tenths = None if inp.cloud_oktas is None else inp.cloud_oktas * 10.0 / 8.0
        try:
            cls = check_stability(inp.stability, u, night if night is None else not night, tenths)
        except StabilityError as exc:
            raise_if([Refusal("stability-contradicts", "stability",
                              f"稳定度 {str(inp.stability).upper()} 与风速 {u:g} m/s"
                              f"{'' if night is None else ('（夜间）' if night else '（白天）')}矛盾：{exc}。"
                              "请清空稳定度，由系统按时间、云量和风速推算。",
                              f"{exc}. Leave the stability class empty and let it be derived from the time, cloud "
                              "cover and wind.")])
        src = f"气象站 {inp.station_id} " if inp.station_id else ""
        return ResolvedWeather(u, frm, cls, "given", inp.cloud_oktas, inp.time, elev, night, None,
                               f"稳定度 {cls}（{src}给定，已核对风速）",
                               f"class {cls} as given{' by station ' + inp.station_id if inp.station_id else ''} "
                               "(checked against the wind)", inp.station_id)
    nri = net_radiation_index(bool(night), elev, float(inp.cloud_oktas), inp.ceiling_m)
    cls = turner_class(u, nri)
    when_zh = "夜间" if night else f"白天，太阳高度角 {elev:.0f}°"
    when_en = "night" if night else f"day, sun {elev:.0f}° above the horizon"
    assumed = inp.ceiling_m is None and inp.cloud_oktas > 4 and (inp.cloud_oktas >= 8 or not night)
    ceil_en = "; ceiling unknown, taken as low (the more stable choice)" if assumed else ""
    ceil_zh = "；云底高度未知，按低云计（更稳定、更保守）" if assumed else ""
    return ResolvedWeather(
        u, frm, cls, "turner-1964", float(inp.cloud_oktas), inp.time, elev, bool(night), nri,
        f"稳定度 {cls}：{when_zh}，云量 {inp.cloud_oktas:g}/8，风速 {u:g} m/s（Turner 净辐射指数 {nri}{ceil_zh}）",
        f"class {cls}: {when_en}, cloud {inp.cloud_oktas:g}/8, wind {u:g} m/s (Turner net radiation index "
        f"{nri}{ceil_en})", inp.station_id)


def weather_from_event(payload: dict) -> WeatherInput:
    """The input of a ``weather.observed`` event payload (wind, direction, cloud oktas, class, station)."""
    return WeatherInput(payload.get("wind_speed_mps"), payload.get("wind_from_deg"), payload.get("cloud_oktas"),
                        None, payload.get("stability"), None, payload.get("station_id"))


def latest_observation(events: Iterable[Any]) -> tuple[WeatherInput, dt.datetime] | None:
    """The most recent ``weather.observed`` of a sequence of events or drafts (objects with ``type``,
    ``time``, ``payload``) as (input with its time, time), or None when there is none — so a station
    reading prefills the window's wind."""
    best = None
    for ev in events:
        if getattr(ev, "type", None) == "weather.observed" and (best is None or ev.time >= best.time):
            best = ev
    if best is None:
        return None
    base = weather_from_event(best.payload)
    return WeatherInput(base.wind_speed_mps, base.wind_from_deg, base.cloud_oktas, best.time, base.stability,
                        None, base.station_id), best.time


def plant_lonlat(plant: Any) -> tuple[float, float]:
    """(longitude, latitude) in degrees of the centre of a plant's site (for the sun's position)."""
    import numpy as np
    from pyproj import CRS

    from gis.crs import transform_xy

    x0, y0, x1, y1 = plant.bounds
    lon, lat = transform_xy(np.array([(x0 + x1) / 2.0]), np.array([(y0 + y1) / 2.0]), plant.crs,
                            CRS.from_epsg(4326))
    return float(lon[0]), float(lat[0])
