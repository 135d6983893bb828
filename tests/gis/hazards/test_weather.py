"""Stability from date, time, cloud and wind (Turner 1964 / EPA-454/R-99-005) and the bilingual refusals."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gis.hazards.refusals import HazardInputError, explain
from gis.hazards.weather import (
    WeatherInput,
    latest_observation,
    net_radiation_index,
    resolve_weather,
    solar_elevation_deg,
    solar_geometry,
    sun_times,
    turner_class,
)
from vocabulary.events import Draft

CST = dt.timezone(dt.timedelta(hours=8))
NANJING = (32.25, 118.8)


def test_solar_geometry_reproduces_meeus_examples_25a_and_28a():
    """Meeus, Astronomical Algorithms (1998): 1992 Oct 13.0 — apparent declination −7°47′06″ (ex. 25.a),
    equation of time +13 min 42.7 s (ex. 28.a)."""
    decl, eot = solar_geometry(dt.datetime(1992, 10, 13, tzinfo=dt.UTC))
    assert decl == pytest.approx(-(7 + 47 / 60 + 6 / 3600), abs=2e-3)
    assert eot == pytest.approx(13 + 42.7 / 60, abs=0.02)


def test_noon_elevation_at_the_june_solstice_is_90_minus_latitude_plus_tilt():
    noon = sun_times(dt.datetime(2026, 6, 21, 12, tzinfo=CST), *NANJING)
    mid = noon[0] + (noon[1] - noon[0]) / 2
    assert solar_elevation_deg(mid, *NANJING) == pytest.approx(90 - 32.25 + 23.44, abs=0.1)


def test_nanjing_sunrise_and_sunset_at_midsummer_match_the_almanac():
    # Nanjing, 21 June: sunrise about 05:00, sunset about 19:14 Beijing time
    rise, sset, kind = sun_times(dt.datetime(2026, 6, 21, 12, tzinfo=CST), *NANJING)
    assert kind == "normal"
    assert rise.astimezone(CST).strftime("%H:%M") in ("04:58", "04:59", "05:00", "05:01")
    assert abs((sset.astimezone(CST) - dt.datetime(2026, 6, 21, 19, 14, tzinfo=CST)).total_seconds()) < 180


@pytest.mark.parametrize(("u", "nri", "cls"), [
    (0.5, 4, "A"), (2.0, 4, "A"), (3.0, 4, "B"), (3.0, 2, "C"), (5.0, 1, "D"), (6.2, 4, "C"),
    (2.0, -2, "F"), (2.5, -2, "F"), (3.0, -1, "E"), (4.0, -2, "E"), (6.0, -2, "D"), (9.0, 0, "D"),
])
def test_turner_table_by_hand(u, nri, cls):
    """EPA-454/R-99-005 Table 6-5 read by hand: e.g. 2 m/s = 3.9 kt → the 4–5 kt row; 3 m/s = 5.8 kt → the
    6 kt row; 6 m/s = 11.7 kt → the ≥12 kt row; class 7 (G) is reported as F."""
    assert turner_class(u, nri) == cls


def test_net_radiation_index_follows_the_epa_steps():
    assert net_radiation_index(False, 70.0, 0) == 4
    assert net_radiation_index(False, 40.0, 4) == 3  # 5/10 is not "more than 5/10"
    assert net_radiation_index(False, 40.0, 6) == 1  # 3 − 2 (low ceiling assumed)
    assert net_radiation_index(False, 40.0, 6, ceiling_m=3000.0) == 2  # 7000–16000 ft: 3 − 1
    assert net_radiation_index(False, 40.0, 6, ceiling_m=6000.0) == 3  # above 16000 ft: unchanged
    assert net_radiation_index(True, -20.0, 3) == -2
    assert net_radiation_index(True, -20.0, 4) == -1
    assert net_radiation_index(True, -20.0, 8) == 0
    assert net_radiation_index(False, 10.0, 7) == 1  # never below 1 by day


def test_a_clear_midsummer_noon_is_very_unstable_and_a_clear_night_stable():
    noon = resolve_weather(WeatherInput(2.0, 225.0, 0, dt.datetime(2026, 6, 21, 12, tzinfo=CST)), *NANJING)
    assert (noon.stability, noon.basis, noon.night) == ("A", "turner-1964", False)
    night = resolve_weather(WeatherInput(2.0, 225.0, 1, dt.datetime(2026, 11, 30, 3, tzinfo=CST)), *NANJING)
    assert night.stability == "F"
    assert "夜间" in night.explanation_zh
    assert "night" in night.explanation_en


def test_a_station_class_is_kept_when_the_wind_allows_it():
    w = resolve_weather(WeatherInput(3.0, 90.0, stability="d", station_id="WS-1"), *NANJING)
    assert (w.stability, w.basis) == ("D", "given")


def test_every_problem_is_reported_at_once_in_both_languages():
    with pytest.raises(HazardInputError) as err:
        resolve_weather(WeatherInput(0.4, 400.0, 9, dt.datetime(2026, 11, 30, 3)), *NANJING)
    codes = {(r.code, r.field) for r in err.value.refusals}
    assert codes == {("wind-below-floor", "wind_speed"), ("out-of-range", "wind_from"),
                     ("out-of-range", "cloud_oktas"), ("time-without-zone", "time")}
    for r in err.value.refusals:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.zh), r.zh  # the Chinese message is Chinese
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in r.en), r.en


def test_missing_class_and_cloud_says_what_to_enter():
    with pytest.raises(HazardInputError) as err:
        resolve_weather(WeatherInput(3.0, 90.0, None, dt.datetime(2026, 11, 30, 3, tzinfo=CST)), *NANJING)
    (r,) = err.value.refusals
    assert (r.code, r.field) == ("weather-incomplete", "cloud_oktas")
    assert "云量" in r.zh


def test_a_class_contradicting_the_wind_is_refused_with_a_fix():
    with pytest.raises(HazardInputError) as err:
        resolve_weather(WeatherInput(8.0, 90.0, stability="A"), *NANJING)
    assert err.value.refusals[0].code == "stability-contradicts"
    assert "清空" in err.value.refusals[0].zh


def test_explain_turns_model_errors_into_bilingual_refusals():
    from gis.hazards.substances import get_substance

    with pytest.raises(ValueError, match="unknown substance") as err:
        get_substance("unobtainium")
    (r,) = explain(err.value)
    assert (r.code, r.field) == ("substance-unknown", "substance")
    assert "CAS" in r.zh


def test_the_latest_station_reading_prefills_the_wind():
    t0 = dt.datetime(2026, 11, 30, 3, tzinfo=CST)
    evs = [Draft("weather.observed", t0, {"wind_speed_mps": 2.0, "wind_from_deg": 90.0, "station_id": "WS-1"}),
           Draft("weather.observed", t0 + dt.timedelta(minutes=5),
                 {"wind_speed_mps": 3.5, "wind_from_deg": 120.0, "cloud_oktas": 6, "station_id": "WS-1"}),
           Draft("note.added", t0 + dt.timedelta(minutes=6), {"text": "x"})]
    inp, when = latest_observation(evs)
    assert (inp.wind_speed_mps, inp.wind_from_deg, inp.cloud_oktas) == (3.5, 120.0, 6)
    assert when == t0 + dt.timedelta(minutes=5)


@given(u=st.floats(1.0, 40.0), oktas=st.integers(0, 8), hour=st.integers(0, 23), day=st.integers(1, 365))
def test_any_valid_observation_resolves_to_one_class(u, oktas, hour, day):
    t = dt.datetime(2026, 1, 1, hour, tzinfo=CST) + dt.timedelta(days=day - 1)
    w = resolve_weather(WeatherInput(u, 10.0, oktas, t), *NANJING)
    assert w.stability in "ABCDEF"
    assert math.isfinite(w.solar_elevation_deg)
    if oktas == 8:
        assert w.stability == "D"
