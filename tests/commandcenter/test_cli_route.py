"""``commandcenter route``: the JSON it prints, hazard files in either CRS, bad rows reported."""

from __future__ import annotations

import json

import pytest
import shapely
from pyproj import Transformer

from commandcenter.cli import main
from gis.routing.hazard_graph import Hazard
from tests.conftest import MINI_PLANT
from tests.gis.routing.scenarios import hazard_geojson, write_bottleneck_plant


def _route(capsys, *args: str) -> tuple[int, dict]:
    code = main(["route", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_json_has_the_keys_the_issue_lists(capsys, tmp_path):
    hz = tmp_path / "hazard.geojson"
    zone = Hazard([shapely.Point(668100, 3571040).buffer(12)], ["red"])
    hz.write_text(json.dumps(hazard_geojson(zone, "EPSG:32650")))
    code, out = _route(capsys, str(MINI_PLANT), "--population", str(MINI_PLANT / "population.csv"),
                       "--hazard", str(hz), "--method", "shortest")
    assert code == 0
    for key in ("method", "evacuation_time_s", "lower_bound_s", "people", "unroutable"):
        assert key in out
    assert out["method"] == "shortest"
    assert out["people"], out["unroutable"]
    for p in out["people"]:
        for key in ("id", "assembly_point", "distance_m", "eta_s", "path", "nodes", "instructions"):
            assert key in p
        assert all(len(xy) == 2 for xy in p["path"])
        assert 3_500_000 < p["path"][-1][1] < 3_600_000  # plant CRS (UTM 50N), not degrees
        assert p["instructions"]["zh"]
        assert p["instructions"]["en"]
    for u in out["unroutable"]:
        assert set(u) >= {"id", "reason"}
    assert out["evacuation_time_s"] >= out["lower_bound_s"] > 0


def test_hazard_in_epsg4326_gives_the_same_plan(capsys, tmp_path):
    zone = shapely.Point(668100, 3571040).buffer(12)
    to_ll = Transformer.from_crs("EPSG:32650", "EPSG:4326", always_xy=True)
    ll = shapely.transform(zone, lambda c: __import__("numpy").column_stack(to_ll.transform(c[:, 0], c[:, 1])))
    a, b = tmp_path / "utm.geojson", tmp_path / "ll.geojson"
    a.write_text(json.dumps(hazard_geojson(Hazard([zone], ["red"]))))  # no crs member, metres: plant CRS
    b.write_text(json.dumps(hazard_geojson(Hazard([ll], ["red"]))))  # no crs member, lon/lat: EPSG:4326
    _, out_a = _route(capsys, str(MINI_PLANT), "--hazard", str(a))
    _, out_b = _route(capsys, str(MINI_PLANT), "--hazard", str(b))
    assert [p["nodes"] for p in out_a["people"]] == [p["nodes"] for p in out_b["people"]]
    assert out_a["evacuation_time_s"] == out_b["evacuation_time_s"]


def test_same_input_same_answer(capsys):
    _, first = _route(capsys, str(MINI_PLANT))
    _, second = _route(capsys, str(MINI_PLANT))
    first.pop("timings_s"), second.pop("timings_s")
    assert first == second


def test_bad_rows_and_far_people_are_listed(capsys, tmp_path):
    csv = tmp_path / "population.csv"
    csv.write_text("id,x,y,speed_mps,premovement_s,mobility\n"
                   "A,668030,3571080,1.2,10,normal\n"
                   "B,not-a-number,3571080,,,normal\n"
                   "C,668030,3571500,,,normal\n"
                   "D,668045,3571085,,,flying\n", encoding="utf-8")
    code, out = _route(capsys, str(MINI_PLANT), "--population", str(csv))
    assert code == 0
    assert [p["id"] for p in out["people"]] == ["A"]
    reasons = {u["id"]: u["code"] for u in out["unroutable"]}
    assert reasons["B"] == "bad-row"
    assert reasons["D"] == "bad-row"
    assert reasons["C"] in ("outside-site", "too-far-from-walkway")


def test_broken_hazard_file_exits_1(capsys, tmp_path):
    bad = tmp_path / "hazard.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                   '{"level": "purple"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}')
    code, out = _route(capsys, str(MINI_PLANT), "--hazard", str(bad))
    assert code == 1
    assert "level" in out["error"]


def test_text_output_on_the_bottleneck_plant(capsys, tmp_path):
    plant = write_bottleneck_plant(tmp_path / "b", people=60)
    assert main(["route", str(plant), "--method", "capacity"]) == 0
    text = capsys.readouterr().out
    assert "evacuation time" in text
    assert "lower bound" in text


DOSE_SPEC = "source=H1,rate_kg_s=2,wind_speed=3,wind_from=90,stability=D,age_s=30"


def test_dose_method_prints_both_plans_loads_side_by_side(capsys):
    code, out = _route(capsys, str(MINI_PLANT), "--method", "dose", "--release", DOSE_SPEC)
    assert code == 0
    assert out["method"] == "dose"
    assert out["release"]["substance"] == "H2S"  # from the plant's source H1
    assert out["release"]["exponent_n"] == 4.4
    dose = out["dose"]
    assert set(dose) >= {"static", "dose_optimal", "people", "aegl2_load", "exponent_n", "static_zones"}
    for key in ("static", "dose_optimal"):
        assert set(dose[key]) == {"people", "above_aegl2", "share_above_aegl2", "max_load", "mean_load"}
        assert 0.0 <= dose[key]["share_above_aegl2"] <= 1.0
    ids = {p["id"] for p in out["people"]}
    assert {p["id"] for p in dose["people"]} >= ids
    assert dose["aegl2_load"] == pytest.approx(27.0 ** 4.4 * 60, rel=1e-3)  # H2S AEGL-2 27 ppm, 60 min


def test_dose_method_refuses_a_bad_release_spec(capsys):
    for spec, what in (("source=H1,rate_kg_s=nan,wind_speed=3,wind_from=90,stability=D", "rate_kg_s"),
                       ("source=H1,rate_kg_s=2,wind_speed=3,stability=D", "wind_from"),
                       ("source=H1,rate=2,wind_speed=3,wind_from=90,stability=D", "rate"),
                       ("rate_kg_s=2,wind_speed=3,wind_from=90,stability=D", "source")):
        assert main(["route", str(MINI_PLANT), "--method", "dose", "--release", spec, "--json"]) == 2
        assert what in capsys.readouterr().err
    code, out = _route(capsys, str(MINI_PLANT), "--method", "dose", "--release",
                       "source=NOPE,rate_kg_s=2,wind_speed=3,wind_from=90,stability=D")
    assert code == 1
    assert "NOPE" in out["error"]
    assert main(["route", str(MINI_PLANT), "--method", "dose", "--json"]) == 2
    assert "--release" in capsys.readouterr().err


def test_capacity_json_reports_the_optimiser_and_the_gap(capsys, tmp_path):
    plant = write_bottleneck_plant(tmp_path / "b", people=120)
    code, out = _route(capsys, str(plant), "--method", "capacity")
    assert code == 0
    assert out["gap_to_bound"] == pytest.approx(out["evacuation_time_s"] / out["lower_bound_s"] - 1, abs=2e-3)
    assert out["optimiser"]["result"] in ("reservation", "time-expanded", "local-search")
    assert out["bound"]["cut_family"] in ("min-cut", "distance", "start")
