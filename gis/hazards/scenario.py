"""A release and the weather it meets, validated, and the concentration field it makes.

Conventions (ALOHA-like, see docs/hazards.md):
* the wind speed is the transport speed used as given in the formulas; when ``wind_height_m`` says at
  what height it was measured it is corrected to the release height (at least 1 m) by the EPA power law
  u(z) = u_ref (z/z_ref)^p (ISC3 exponents, rural/urban);
* winds below 1 m/s (after any correction) are refused (ALOHA's floor: the Gaussian model is not valid
  in calm air);
* results reach at most 60 minutes after the release starts and 10 km downwind; farther is reported as
  "beyond 10 km";
* a continuous release (no duration) is the steady-state plume; a finite one uses the Palazzi
  correction; an instantaneous one (a mass, no rate) the Gaussian puff.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gis.hazards.plume import finite_duration_factor, finite_duration_peak, plume_concentration
from gis.hazards.puff import puff_concentration, puff_peak
from gis.hazards.sigmas import sigmas
from gis.hazards.stability import check_stability, stability_from_weather
from gis.hazards.substances import Substance, get_substance

WIND_FLOOR_MPS = 1.0
MAX_TIME_S = 3600.0
MAX_DISTANCE_M = 10_000.0
_POWER_P = {"rural": dict(zip("ABCDEF", (0.07, 0.07, 0.10, 0.15, 0.35, 0.55), strict=True)),
            "urban": dict(zip("ABCDEF", (0.15, 0.15, 0.20, 0.25, 0.30, 0.30), strict=True))}


class ReleaseError(ValueError):
    """A release or weather input that the model cannot take (named in the message)."""


@dataclass(frozen=True)
class Weather:
    """Wind (m/s, direction it blows FROM in degrees clockwise from north), stability and terrain.

    Give ``stability`` (A–F) or ``cloud_cover_tenths`` and ``day``; when both are given the class is
    checked against the weather. ``wind_height_m``: the height the speed was measured at (None: the
    speed is the transport speed as given)."""

    wind_speed: float
    wind_from_deg: float = 270.0
    stability: str | None = None
    cloud_cover_tenths: float | None = None
    day: bool | None = None
    terrain: str = "rural"
    wind_height_m: float | None = None

    def resolved_stability(self) -> str:
        """The class A–F: given (and checked against the weather) or derived from Turner's table."""
        if self.stability is not None:
            return check_stability(self.stability, self.wind_speed, self.day, self.cloud_cover_tenths)
        if self.cloud_cover_tenths is None or self.day is None:
            raise ReleaseError("give a stability class (--stability A–F) or the cloud cover and day/night")
        return stability_from_weather(self.wind_speed, self.cloud_cover_tenths, self.day)


@dataclass(frozen=True)
class Release:
    """What escapes: a rate (kg/s) for ``duration_s`` seconds (None: continuous), or an instantaneous
    ``mass_kg``; at ``height_m`` above ground, at ``temperature_k`` (for the dense-gas check)."""

    substance: str
    rate_kg_s: float | None = None
    duration_s: float | None = None
    mass_kg: float | None = None
    height_m: float = 0.0
    temperature_k: float = 293.15


@dataclass
class Scenario:
    """A validated release in a validated weather: the numbers the formulas use."""

    substance: Substance
    release: Release
    weather: Weather
    stability: str
    u: float  # transport wind speed, m/s
    scheme: str
    warnings: list[str] = field(default_factory=list)

    @property
    def instantaneous(self) -> bool:
        """True for a puff (a mass released at once)."""
        return self.release.mass_kg is not None

    @property
    def duration_s(self) -> float:
        """Release duration in s (inf for continuous, 0 for instantaneous)."""
        if self.instantaneous:
            return 0.0
        return math.inf if self.release.duration_s is None else float(self.release.duration_s)

    def sig(self, x):  # type: ignore[no-untyped-def]
        """σy, σz (m) at downwind distances x (m) for this stability and terrain."""
        return sigmas(x, self.stability, self.scheme)


def _positive(name: str, value: float | None, allow_zero: bool = False) -> None:
    if value is None:
        return
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ReleaseError(f"{name} must be a positive number, got {value}")


def build_scenario(release: Release, weather: Weather, scheme: str | None = None) -> Scenario:
    """Validate a release and weather and resolve stability, transport speed and sigma scheme.

    Raises :class:`ReleaseError` (or the substance/stability errors, both ValueErrors) naming the bad
    input: unknown substance, negative or zero rate/mass/duration, negative height, wind below the 1 m/s
    floor, a stability class that contradicts the weather, an unknown terrain."""
    sub = get_substance(release.substance)
    if (release.rate_kg_s is None) == (release.mass_kg is None):
        raise ReleaseError("give either a release rate (kg/s) or an instantaneous mass (kg), not both or neither")
    _positive("release rate (kg/s)", release.rate_kg_s)
    _positive("released mass (kg)", release.mass_kg)
    _positive("release duration (s)", release.duration_s)
    _positive("release height (m)", release.height_m, allow_zero=True)
    _positive("release temperature (K)", release.temperature_k)
    if weather.terrain not in ("rural", "urban"):
        raise ReleaseError(f"terrain must be 'rural' or 'urban', got {weather.terrain!r}")
    if not math.isfinite(weather.wind_speed) or weather.wind_speed < WIND_FLOOR_MPS:
        raise ReleaseError(f"wind speed {weather.wind_speed} m/s is below the {WIND_FLOOR_MPS:g} m/s floor of the "
                           "Gaussian model (calm air is not modelled)")
    if not math.isfinite(weather.wind_from_deg):
        raise ReleaseError(f"wind direction must be a number of degrees, got {weather.wind_from_deg}")
    cls = weather.resolved_stability()
    u = weather.wind_speed
    warnings: list[str] = []
    if weather.wind_height_m is not None:
        _positive("wind measurement height (m)", weather.wind_height_m)
        z = max(release.height_m, 1.0)
        p = _POWER_P[weather.terrain][cls]
        u = weather.wind_speed * (z / weather.wind_height_m) ** p
        warnings.append(f"wind {weather.wind_speed:g} m/s at {weather.wind_height_m:g} m corrected to {u:.2f} m/s "
                        f"at {z:g} m (power law, p = {p})")
        if u < WIND_FLOOR_MPS:
            raise ReleaseError(f"wind corrected to the release height is {u:.2f} m/s, below the "
                               f"{WIND_FLOOR_MPS:g} m/s floor")
    return Scenario(sub, release, weather, cls, u, scheme or weather.terrain, warnings)


def concentration(sc: Scenario, x, y, z=0.0, t=None):  # type: ignore[no-untyped-def]
    """Concentration (g/m3) at receptors x (m downwind), y (m crosswind), z (m above ground).

    ``t`` (s after the release started): None gives the steady plume for a continuous release and the
    peak over the first 60 minutes for finite and instantaneous ones."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    z = np.asarray(z, dtype=float)
    h = sc.release.height_m
    if sc.instantaneous:
        m_g = sc.release.mass_kg * 1000.0
        if t is None:
            sy, sz = sc.sig(x)
            c = puff_peak(m_g, x, y, z, h, sy, sy, sz)
            return np.where(x <= sc.u * MAX_TIME_S, c, 0.0)
        tt = np.asarray(t, dtype=float)
        if np.any(tt <= 0):
            return np.zeros(np.broadcast(x, y, z, tt).shape)
        sy, sz = sc.sig(sc.u * tt)
        return puff_concentration(m_g, sc.u, tt, x, y, z, h, sy, sy, sz)
    q = sc.release.rate_kg_s * 1000.0
    sy, sz = sc.sig(x)
    css = plume_concentration(q, sc.u, x, y, z, h, sy, sz)
    if t is None:
        if math.isinf(sc.duration_s):
            return css
        return css * finite_duration_peak(x, sc.u, sc.duration_s, sy, MAX_TIME_S)
    return css * finite_duration_factor(x, sc.u, t, sc.duration_s, sy)


def peak_concentration(sc: Scenario, x, y=0.0, z=0.0):  # type: ignore[no-untyped-def]
    """The largest concentration (g/m3) within ALOHA's 60-minute window at each receptor — what the
    threat zones are drawn from. A continuous release is switched on at t = 0, so beyond u·3600 m the
    cloud has not arrived within the hour."""
    x = np.asarray(x, dtype=float)
    if sc.instantaneous:
        return concentration(sc, x, y, z)
    q = sc.release.rate_kg_s * 1000.0
    sy, sz = sc.sig(x)
    css = plume_concentration(q, sc.u, x, y, z, sc.release.height_m, sy, sz)
    return css * finite_duration_peak(x, sc.u, sc.duration_s, sy, MAX_TIME_S)
