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
    (["--substance", "H2S", "--rate-kg-s", -1], "must be a positive"),
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
