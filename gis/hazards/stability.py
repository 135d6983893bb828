"""Pasquill–Gifford stability classes from wind speed and insolation (Turner 1970, Table 1) and a check
that a class given by the user is consistent with the weather.

Turner's table (Workbook of Atmospheric Dispersion Estimates, EPA AP-26, 1970, p. 6) keyed by the
surface wind speed (m/s at 10 m) and, by day, incoming solar radiation (strong/moderate/slight) or, at
night, cloud cover. Without the sun's elevation we map cloud cover (tenths) to insolation: ≤ 4/10
strong, 5–7/10 moderate, 8–9/10 slight, 10/10 (overcast) neutral D day or night. At night ≥ 5/10 is
Turner's "thinly overcast or ≥ 4/8 low cloud" column, ≤ 4/10 the clear column. Where the table gives
a pair (e.g. A–B) we take the more stable class, which gives the longer ground-level zones. Turner
leaves night winds below 2 m/s blank; we use F, as ALOHA does.
"""

from __future__ import annotations

import numpy as np

CLASSES = "ABCDEF"
_SPEED_EDGES = (2.0, 3.0, 5.0, 6.0)  # rows: <2, 2–3, 3–5, 5–6, >6
# Turner Table 1 (pairs resolved to the more stable class)
_DAY = {  # insolation: strong, moderate, slight
    0: ("A", "B", "B"), 1: ("B", "B", "C"), 2: ("B", "C", "C"), 3: ("C", "D", "D"), 4: ("C", "D", "D")}
_NIGHT = {  # cloudy (≥ 5/10), clear (≤ 4/10)
    0: ("F", "F"), 1: ("E", "F"), 2: ("D", "E"), 3: ("D", "D"), 4: ("D", "D")}
# every class Turner's table allows in a wind-speed row, over all insolation (pairs count both ways)
_ALLOWED_DAY = {0: "AB", 1: "ABC", 2: "BC", 3: "CD", 4: "CD"}
_ALLOWED_NIGHT = {0: "EF", 1: "EF", 2: "DE", 3: "D", 4: "D"}


class StabilityError(ValueError):
    """A stability class that is unknown or contradicts the weather."""


def _row(wind_speed: float) -> int:
    # a speed on a row boundary belongs to the lower row (so 3 m/s is "2–3"): boundaries are permissive
    return int(np.searchsorted(_SPEED_EDGES, wind_speed, side="left"))


def stability_from_weather(wind_speed: float, cloud_cover_tenths: float, day: bool) -> str:
    """The Pasquill–Gifford class (one letter A–F) for a 10-m wind speed (m/s), cloud cover (0–10
    tenths) and day or night, by Turner's table as documented in the module docstring."""
    if not 0 <= cloud_cover_tenths <= 10:
        raise StabilityError(f"cloud cover must be 0–10 tenths, got {cloud_cover_tenths}")
    row = _row(wind_speed)
    if cloud_cover_tenths >= 10:
        return "D"
    if day:
        col = 0 if cloud_cover_tenths <= 4 else (1 if cloud_cover_tenths <= 7 else 2)
        return _DAY[row][col]
    return _NIGHT[row][0 if cloud_cover_tenths >= 5 else 1]


def allowed_classes(wind_speed: float, day: bool | None = None, cloud_cover_tenths: float | None = None) -> str:
    """The classes Turner's table admits for this wind speed (and day/night, and overcast → D only)."""
    if cloud_cover_tenths is not None and cloud_cover_tenths >= 10:
        return "D"
    row = _row(wind_speed)
    if day is None:
        return "".join(sorted(set(_ALLOWED_DAY[row] + _ALLOWED_NIGHT[row] + "D")))
    return "".join(sorted(set((_ALLOWED_DAY if day else _ALLOWED_NIGHT)[row] + "D")))


def check_stability(cls: str, wind_speed: float, day: bool | None = None,
                    cloud_cover_tenths: float | None = None) -> str:
    """Validate a given class against the weather; returns it in upper case.

    Raises :class:`StabilityError` when the class is not A–F or Turner's table cannot produce it at this
    wind speed (e.g. A at 8 m/s, F at 6 m/s, F by day) — the error says which classes would fit."""
    c = str(cls).strip().upper()
    if len(c) != 1 or c not in CLASSES:
        raise StabilityError(f"stability class must be one of A–F, got {cls!r}")
    ok = allowed_classes(wind_speed, day, cloud_cover_tenths)
    if c not in ok:
        when = "" if day is None else (" by day" if day else " at night")
        raise StabilityError(f"stability class {c} contradicts a wind of {wind_speed:g} m/s{when}: "
                             f"Turner's table allows {', '.join(ok)}")
    return c
