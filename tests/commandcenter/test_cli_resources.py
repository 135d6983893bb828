"""``commandcenter resources``: nearest by walking time (the JSON the issue lists), the inventory, teams,
people and shortages; bad input refused in one line with the right exit code."""

from __future__ import annotations

import json

import pytest
import shapely

from commandcenter.cli import main
from tests.conftest import DEMO_PLANT
from tests.resources.plants import E0, N0, RED_CUT, P, g, hazard_file, write_plant


def _no_nan(text: str) -> object:
    raise AssertionError(f"{text} in JSON output")


def _run(capsys, *args: str) -> tuple[int, dict]:
    code = main(["resources", *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out, parse_constant=_no_nan)


@pytest.fixture(scope="module")
def plant(tmp_path_factory):
    return write_plant(tmp_path_factory.mktemp("cli") / "plant")


def test_nearest_json_lists_by_walking_time_with_paths(capsys, plant):
    code, out = _run(capsys, "nearest", str(plant), "--x", str(E0 + P[0]), "--y", str(N0 + P[1]), "--kind", "scba")
    assert code == 0
    rows = out["results"]
    for r in rows:
        assert {"id", "kind", "walk_s", "distance_m", "path"} <= set(r)
        assert all(len(xy) == 2 for xy in r["path"])
    # S1 is the nearest in a straight line (30 m), the farthest on foot (134 m round the U)
    assert [r["id"] for r in rows] == ["S3", "S2", "S1"]
    assert [r["walk_s"] for r in rows] == sorted(r["walk_s"] for r in rows)
    assert rows[0]["path"][-1] == pytest.approx([E0 + P[0], N0 + P[1]])


def test_nearest_around_a_red_zone_from_a_hazard_file(capsys, plant, tmp_path):
    hz = hazard_file(tmp_path / "zones.geojson", [("red", RED_CUT)])
    code, out = _run(capsys, "nearest", str(plant), "--x", str(E0 + P[0]), "--y", str(N0 + P[1]), "--kind", "scba",
                     "--hazard", str(hz), "--limit", "1")
    assert code == 0
    assert [r["id"] for r in out["results"]] == ["S1"]
    red = shapely.Polygon([g(*p) for p in RED_CUT])
    assert not shapely.LineString(out["results"][0]["path"]).intersects(red)
    assert {"id": "S3", "kind": "scba", "reason": "inside-red-zone"} in out["excluded"]


def test_nearest_on_the_demo_plant_avoids_the_plume_written_by_the_plume_command(capsys, tmp_path):
    zones = tmp_path / "cl2.geojson"
    assert main(["plume", "--plant", str(DEMO_PLANT), "--source", "HZ-301", "--rate-kg-s", "0.05", "--wind-speed",
                 "3", "--wind-from", "270", "--stability", "D", "--geojson", str(zones), "--json"]) == 0
    capsys.readouterr()
    fc = json.loads(zones.read_text(encoding="utf-8"))
    red = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in fc["features"]
                             if f["properties"]["level"] == "red"])
    inside = red.representative_point()
    code, out = _run(capsys, "nearest", str(DEMO_PLANT), "--x", str(inside.x), "--y", str(inside.y),
                     "--hazard", str(zones), "--limit", "10")
    assert code == 0
    assert out["destination"]["staging"] is True
    assert len(out["results"]) == 10
    for r in out["results"]:
        if r["mode"] == "walk":
            assert not shapely.LineString(r["path"]).intersects(red)


def test_list_json_has_items_counts_and_warnings(capsys, plant):
    code, out = _run(capsys, "list", str(plant), "--date", "2026-11-30")
    assert code == 0
    by_id = {it["id"]: it for it in out["items"]}
    assert by_id["S4"]["available"] == 0
    assert by_id["S4"]["warnings"] == ["expired"]
    assert by_id["X1"]["inspection_due"] == "2026-10-01"
    assert out["by_kind"]["scba"] == {"items": 4, "units": 9, "available": 8}
    assert {w["code"] for w in out["warnings"]} == {"expired", "inspection-overdue", "not-ready",
                                                    "no-inspection-record"}


def test_people_teams_and_shortages(capsys, plant, tmp_path):
    at = "2026-11-23T10:00:00+08:00"
    code, out = _run(capsys, "people", str(plant), "--x", str(E0 + P[0]), "--y", str(N0 + P[1]),
                     "--qualification", "scba", "--at", at)
    assert code == 0
    assert [r["id"] for r in out["results"]] == ["O1", "F1"]
    code, out = _run(capsys, "teams", str(plant), "--at", at)
    assert code == 0
    assert out["on_duty"] == ["A", "day"]
    assert {t["team"]: t["on_shift"] for t in out["teams"]}["fire_brigade"] == 2
    code, out = _run(capsys, "shortages", str(DEMO_PLANT), "--plan", "cl2-release", "--level", "L3",
                     "--x", "670614", "--y", "3569918", "--date", "2026-11-30")
    assert code == 0
    assert {n["kind"]: n["quantity"] for n in out["needs"]}["scba"] == 8
    assert out["shortages"] == []
    assert out["requests"] == []
    assert out["deliver_to"]["id"]


@pytest.mark.parametrize(("args", "code", "text"), [
    (["nearest", "{plant}", "--x", "0", "--y", "0"], 1, "off the walkways"),
    (["nearest", "{plant}", "--x", "nan", "--y", "0"], 2, "not a finite number"),
    (["nearest", "{plant}", "--x", "1", "--y", "1", "--limit", "0"], 2, "--limit"),
    (["nearest", "{plant}", "--x", "1", "--y", "1", "--kind", "unicorn"], 2, "--kind"),
    (["nearest", "{plant}", "--x", "1", "--y", "1", "--hazard", "{bad}"], 1, "level"),
    (["nearest", "{missing}", "--x", "1", "--y", "1"], 1, "missing"),
    (["people", "{plant}", "--x", "1", "--y", "1", "--qualification", "wizardry"], 1, "unknown wizardry"),
    (["people", "{plant}", "--x", "1", "--y", "1", "--at", "2026-11-23 10:00"], 1, "--at"),
    (["shortages", "{plant}", "--plan", "nope", "--level", "L1", "--x", "1", "--y", "1"], 1, "no valid plan"),
])
def test_bad_input_is_one_line_and_the_right_exit_code(capsys, plant, tmp_path, args, code, text):
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"level": "purple"},
         "geometry": {"type": "Polygon", "coordinates": [[g(0, 0), g(1, 0), g(1, 1), g(0, 0)]]}}]}))
    argv = [a.format(plant=plant, bad=bad, missing=tmp_path / "missing") for a in args]
    rc = main(["resources", *argv])
    captured = capsys.readouterr()
    assert rc == code
    message = (captured.err or captured.out).strip()
    assert text in message
    assert "Traceback" not in message
