"""The ``plume`` and ``concentration`` commands: their JSON contracts and their errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from commandcenter.cli import cli
from commandcenter.paths import DEMO_PLANT


def _run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_concentration_reproduces_the_crowl_louvar_stack_example():
    """Crowl & Louvar 2nd ed. ch. 5: SO2 80 g/s, H = 60 m, 6 m/s, D, rural → 1.45e-4 g/m3 at 500 m."""
    r = _run("concentration", "--substance", "SO2", "--rate-kg-s", 0.08, "--wind-speed", 6, "--stability", "D",
             "--height-m", 60, "--x-m", 500)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["g_m3"] == pytest.approx(1.45e-4, abs=0.005e-4)
    assert out["ppm"] == pytest.approx(out["g_m3"] * 1000 * 24.465 / 64.07, rel=1e-3)


def test_concentration_upwind_is_zero_and_time_matters_for_finite_release():
    base = ["concentration", "--substance", "H2S", "--rate-kg-s", 0.5, "--wind-speed", 3, "--stability", "D"]
    assert json.loads(_run(*base, "--x-m", -100).output)["g_m3"] == 0.0
    early = json.loads(_run(*base, "--duration-s", 600, "--x-m", 900, "--t-s", 60).output)["g_m3"]
    mid = json.loads(_run(*base, "--duration-s", 600, "--x-m", 900, "--t-s", 600).output)["g_m3"]
    assert early < 1e-6 * mid


def test_plume_json_lists_zones_with_geojson_polygons():
    r = _run("plume", "--substance", "H2S", "--rate-kg-s", 0.5, "--duration-s", 600, "--wind-speed", 3,
             "--wind-from", 270, "--cloud-cover", 5, "--day", "--x", 100, "--y", 200, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert [z["level"] for z in out["zones"]] == ["red", "orange", "yellow"]
    for z in out["zones"]:
        assert z["polygon"]["type"] == "Polygon"
        assert z["threshold_ppm"] > 0
    assert out["zones"][0]["threshold_ppm"] == 50.0
    assert isinstance(out["warnings"], list)
    assert out["stability"] == "B"  # 3 m/s is in Turner's 2–3 m/s row; 5/10 by day = moderate


def test_plume_at_a_plant_source_counts_people(tmp_path):
    from gis.loader import load_plant

    plant = load_plant(DEMO_PLANT)
    sid = str(plant.layers["hazard_sources"].index[0])
    r = _run("plume", "--plant", DEMO_PLANT, "--source", sid, "--rate-kg-s", 1.0, "--wind-speed", 2,
             "--wind-from", 90, "--stability", "D", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["source"]["id"] == sid
    assert all("people" in z for z in out["zones"] if z["polygon"])


@pytest.mark.parametrize(("args", "message"), [
    (["--substance", "XYZ", "--rate-kg-s", 1], "unknown substance"),
    (["--substance", "H2S", "--rate-kg-s", -1], "out of range"),
    (["--substance", "H2S", "--rate-kg-s", "nan"], "not a finite number"),
    (["--substance", "H2S", "--rate-kg-s", 1, "--wind-speed", "1e300"], "out of range"),
    (["--substance", "H2S", "--rate-kg-s", 1, "--wind-speed", 0.4], "floor"),
    (["--substance", "H2S", "--rate-kg-s", 1, "--stability", "A", "--wind-speed", 8], "contradicts"),
])
def test_bad_input_is_a_clear_error(args, message):
    base = {"--wind-speed": "3", "--stability": "D"}
    extra = []
    for k, v in base.items():
        if k not in args:
            extra += [k, v]
    r = _run("plume", "--wind-from", 270, *args, *extra)
    assert r.exit_code != 0
    assert message in r.output


def test_instantaneous_release_is_a_puff_that_passes():
    base = ["concentration", "--substance", "Cl2", "--mass-kg", 100, "--wind-speed", 2, "--stability", "F",
            "--x-m", 500]
    at_centre = json.loads(_run(*base, "--t-s", 250).output)
    long_after = json.loads(_run(*base, "--t-s", 1000).output)
    peak = json.loads(_run(*base).output)
    assert at_centre["release"] == "instantaneous"
    assert long_after["g_m3"] < 1e-6 * at_centre["g_m3"]
    assert peak["g_m3"] == pytest.approx(at_centre["g_m3"], rel=1e-9)


def test_far_zone_prints_beyond_10_km():
    r = _run("plume", "--substance", "Cl2", "--rate-kg-s", 20, "--wind-speed", 4, "--wind-from", 0,
             "--stability", "E", "--json")
    yellow = json.loads(r.output)["zones"][-1]
    assert yellow["distance_m"] == "beyond 10 km"


def test_rate_from_a_hole_at_a_plant_source():
    r = _run("plume", "--plant", DEMO_PLANT, "--source", "HZ-301", "--hole-diameter-m", 0.01, "--wind-speed", 3,
             "--wind-from", 180, "--stability", "D", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["substance"] == "Cl2"
    assert out["release"]["rate_kg_s"] > 0
    assert any("estimated" in w for w in out["warnings"])
    assert any("denser than air" in w for w in out["warnings"])


def test_flammable_release_has_lel_zones_fire_and_explosion_circles():
    r = _run("plume", "--substance", "LPG", "--rate-kg-s", 3, "--wind-speed", 2, "--wind-from", 90,
             "--stability", "F", "--pool-diameter-m", 6, "--json")
    out = json.loads(r.output)
    assert [z["guideline"] for z in out["zones"]] == ["60% LEL", "10% LEL"]
    assert [c["flux_kw_m2"] for c in out["fire"]] == [37.5, 12.5, 5.0]
    assert [c["overpressure_kpa"] for c in out["explosion"]] == [55.2, 24.1, 6.9]


def test_zones_written_as_geojson_are_a_hazard_file_for_routing(tmp_path):
    from gis.loader import load_plant
    from gis.routing.hazard_graph import read_hazard_geojson

    out = tmp_path / "zones.geojson"
    r = _run("plume", "--plant", DEMO_PLANT, "--source", "HZ-101", "--rate-kg-s", 0.5, "--wind-speed", 2,
             "--wind-from", 225, "--stability", "D", "--geojson", out)
    assert r.exit_code == 0, r.output
    hazard = read_hazard_geojson(out, load_plant(DEMO_PLANT).crs)
    assert hazard.levels == ["red", "orange", "yellow"]


def test_plume_takes_the_substance_by_chinese_name_or_cas():
    base = ["plume", "--rate-kg-s", 0.5, "--wind-speed", 3, "--wind-from", 270, "--stability", "D", "--json"]
    by = {name: json.loads(_run(*base, "--substance", name).output) for name in ("H2S", "硫化氢", "7783-06-4")}
    assert {o["substance"] for o in by.values()} == {"H2S"}
    assert by["硫化氢"]["zones"] == by["H2S"]["zones"] == by["7783-06-4"]["zones"]
    assert by["H2S"]["zones"][0]["threshold_ppm"] == 50.0  # AEGL-3 (60 min) of H2S


def test_an_unknown_substance_suggests_names():
    r = _run("plume", "--substance", "硫化轻", "--rate-kg-s", 1, "--wind-speed", 3, "--wind-from", 270,
             "--stability", "D")
    assert r.exit_code == 1
    assert "unknown substance" in r.output
    assert "CAS" in r.output


def test_substances_list_json_lists_the_library_with_sources():
    r = _run("substances", "list", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["count"] == len(out["substances"]) >= 100
    h2s = next(s for s in out["substances"] if s["key"] == "H2S")
    assert (h2s["name_zh"], h2s["cas"], h2s["supervised"]) == ("硫化氢", "7783-06-4", {"batch": 1, "number": 4})
    assert h2s["guideline_used"] == "AEGL"
    mm = h2s["properties"]["molar_mass"]
    assert mm["source"].startswith("chemicals")
    assert mm["revision"]
    aegl = next(t for t in h2s["thresholds"] if t["guideline"] == "AEGL")
    assert (aegl["level1_ppm"], aegl["level2_ppm"], aegl["level3_ppm"]) == (0.51, 27.0, 50.0)
    supervised = json.loads(_run("substances", "list", "--supervised", "--json").output)
    assert supervised["count"] >= 74


def _write_readings(path, readings):
    lines = ["sensor_id,time,value,unit"] + [f"{r.sensor_id},{r.time.isoformat()},{r.value:g},{r.unit}"
                                             for r in readings]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_hazard_locate_ranks_the_leaking_tank_first(tmp_path):
    import datetime as dt

    import numpy as np

    from gis.hazards.locate import plant_candidates, simulate_readings
    from gis.hazards.scenario import Weather
    from gis.loader import load_plant

    srcs, dets = plant_candidates(load_plant(DEMO_PLANT))
    src = next(s for s in srcs if s.id == "HZ-201")
    start = dt.datetime(2026, 11, 30, 3, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    rd = simulate_readings(src, 0.2, dets, Weather(2.0, 200.0, "F"), start, rng=np.random.default_rng(7))
    csv_path = tmp_path / "readings.csv"
    _write_readings(csv_path, rd)
    r = _run("hazard", "locate", DEMO_PLANT, "--readings", csv_path, "--wind-speed", 2, "--wind-from", 200,
             "--cloud", 1, "--time", "2026-11-30T03:00", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["stability"] == "F"  # a clear night at 2 m/s
    first = out["candidates"][0]
    assert (first["source_id"], first["substance"]) == ("HZ-201", "NH3")
    assert first["rate_kg_s"] == pytest.approx(0.2, rel=0.5)
    assert sum(c["score"] for c in out["candidates"]) == pytest.approx(1.0)
    free = next(c for c in out["candidates"] if c["source_id"] is None)
    assert {"x", "y", "rate_kg_s", "score"} <= set(free)


@pytest.mark.parametrize(("rows", "args", "code", "message"), [
    ("GD-010,2026-11-30T03:00+08:00,nan,ppm", ["--stability", "F"], 1, "line 2"),
    ("GD-010,2026-11-30T03:00+08:00,80,ppb", ["--stability", "F"], 1, "unit"),
    ("GD-010,yesterday,80,ppm", ["--stability", "F"], 1, "ISO 8601"),
    ("GD-010,2026-11-30T03:00+08:00,80,ppm", [], 2, "--cloud and --time"),
    ("GD-010,2026-11-30T03:00+08:00,80,ppm", ["--stability", "A", "--wind-speed", "8"], 1, "contradicts"),
    ("GD-010,2026-11-30T03:00+08:00,1,ppm", ["--stability", "F"], 1, "no detector reads at or above"),
])
def test_hazard_locate_refuses_bad_input_naming_it(tmp_path, rows, args, code, message):
    p = tmp_path / "r.csv"
    p.write_text("sensor_id,time,value,unit\n" + rows + "\n", encoding="utf-8")
    r = _run("hazard", "locate", DEMO_PLANT, "--readings", p, "--wind-speed", 2, "--wind-from", 90, *args)
    assert r.exit_code == code, r.output
    assert message in r.output


@pytest.mark.parametrize("wind_from", ["-10", "360.5", "720", "nan", "inf", "1e400"])
def test_hazard_locate_wind_from_outside_0_to_360_degrees_is_a_usage_error(tmp_path, wind_from):
    p = tmp_path / "r.csv"
    p.write_text("sensor_id,time,value,unit\nGD-010,2026-11-30T03:00+08:00,80,ppm\n", encoding="utf-8")
    r = _run("hazard", "locate", DEMO_PLANT, "--readings", p, "--wind-speed", 2, "--wind-from", wind_from,
             "--stability", "F")
    assert r.exit_code == 2, r.output
    assert "--wind-from" in r.output
    assert "[0, 360]" in r.output


def test_hazard_locate_readings_from_a_fifo_is_refused_at_once(tmp_path):
    import os

    fifo = tmp_path / "readings.csv"
    os.mkfifo(fifo)
    r = _run("hazard", "locate", DEMO_PLANT, "--readings", fifo, "--wind-speed", 2, "--wind-from", 90,
             "--stability", "F")
    assert r.exit_code == 1, r.output
    assert str(fifo) in r.output
    assert "FIFO" in r.output
