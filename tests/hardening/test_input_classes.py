"""One regression test per class of hostile input (issue 10, input side), each against an oracle that
does not come from the code under test: the published limits, the input as written, the clock.

1 non-finite numbers · 2 no tracebacks · 3 no hangs or memory blow-ups · 7 no data loss by typo ·
8 no silent acceptance.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from gis.issues import PlantError
from gis.loader import load_plant
from plans.library import load_library
from plans.validation import validate_text
from tests.conftest import MINI_PLANT, REPO
from tests.hardening.support import check_run, deep_json, deep_yaml, run_cli, time_limit, yaml_bomb

H2S_PLAN = (REPO / "data" / "plans" / "h2s_release.yaml").read_text(encoding="utf-8")


def _codes(path: Path) -> dict[str, list[str]]:
    with pytest.raises(PlantError) as info:
        load_plant(path)
    out: dict[str, list[str]] = {}
    for e in info.value.errors:
        out.setdefault(e.code, []).append(str(e))
    return out


# ------------------------------------------------------------------------------------- 1 non-finite numbers

@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "NaN", "1e400"])
def test_plan_launch_refuses_a_non_finite_origin(text: str) -> None:
    argv = ["plans", "launch", str(REPO / "data" / "plans"), "h2s-release", "--level", "L2", "--plant",
            str(MINI_PLANT), "--origin", f"{text},3571040"]
    rc, out, err = run_cli(argv)
    check_run(argv, rc, out, err, strict=True)
    assert rc == 2
    assert "--origin" in err
    assert "finite" in err


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1" * 400])
def test_plan_number_fields_refuse_nan_inf_and_huge(value: str) -> None:
    text = H2S_PLAN.replace("deadline_s: 60", f"deadline_s: {value}", 1)
    assert text != H2S_PLAN
    plan, errors = validate_text(text, "p.yaml")
    assert plan is None
    assert any(e.field.endswith("deadline_s") and e.line for e in errors), [str(e) for e in errors]


def test_a_plan_that_validates_can_be_launched(mini_plant) -> None:  # type: ignore[no-untyped-def]
    """The engine's own launch is the oracle: validation may not pass what launching then rejects."""
    import datetime as dt

    from plans.engine import PlanEngine

    plan, errors = validate_text(H2S_PLAN.replace("escalation_s: ", "escalation_s: 1000.0 #", 1), "p.yaml")
    assert plan is not None, errors
    engine = PlanEngine.for_plant({plan.id: plan}, mini_plant)
    assert engine.launch(plan.id, "L2", dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC))


@pytest.mark.parametrize(("value", "code"), [("nan", "bad-value"), ("inf", "out-of-range"), (1e200, "out-of-range"),
                                             (10**400, "out-of-range"), ("1" * 400, "out-of-range")])
def test_plant_numbers_are_finite_and_in_range(mini_copy: Path, value: object, code: str) -> None:
    doc = json.loads((mini_copy / "walkways.geojson").read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["width_m"] = value
    (mini_copy / "walkways.geojson").write_text(json.dumps(doc), encoding="utf-8")
    codes = _codes(mini_copy)
    assert any("R1" in t and "width_m" in t for t in codes.get(code, [])), codes


def test_json_nan_token_is_not_a_number(mini_copy: Path) -> None:
    p = mini_copy / "walkways.geojson"
    p.write_text(p.read_text(encoding="utf-8").replace('"width_m": 6', '"width_m": NaN', 1), encoding="utf-8")
    codes = _codes(mini_copy)
    assert any("NaN" in t and "walkways.geojson" in t for t in codes["unreadable-file"])


def test_json_output_is_strict_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["plant", "check", str(MINI_PLANT), "--json"]
    rc, out, err = run_cli(argv)
    assert rc == 0
    check_run(argv, rc, out, err, strict=True)


# ----------------------------------------------------------------------------------------- 2 no tracebacks

def test_huge_coordinates_are_refused_naming_the_feature(mini_copy: Path) -> None:
    doc = json.loads((mini_copy / "walkways.geojson").read_text(encoding="utf-8"))
    doc["features"][0]["geometry"]["coordinates"][1] = [1e200, 3571040.0]
    (mini_copy / "walkways.geojson").write_text(json.dumps(doc), encoding="utf-8")
    codes = _codes(mini_copy)
    assert any("R1" in t and "1e+200" in t for t in codes["out-of-range"]), codes


def test_all_degenerate_walkways_are_refused(mini_copy: Path) -> None:
    doc = json.loads((mini_copy / "walkways.geojson").read_text(encoding="utf-8"))
    for f in doc["features"]:
        c = f["geometry"]["coordinates"][0]
        f["geometry"]["coordinates"] = [c, c, c]
    (mini_copy / "walkways.geojson").write_text(json.dumps(doc), encoding="utf-8")
    codes = _codes(mini_copy)
    assert len(codes["degenerate-geometry"]) == len(doc["features"])


@pytest.mark.parametrize("layer", ["zones", "site"])
def test_200000_deep_json_is_refused_in_one_line(mini_copy: Path, layer: str) -> None:
    (mini_copy / f"{layer}.geojson").write_text(deep_json(), encoding="utf-8")
    argv = ["plant", "check", str(mini_copy)]
    rc, out, err = run_cli(argv)
    check_run(argv, rc, out, err, strict=True)
    assert rc == 1
    assert f"{layer}.geojson" in out
    assert "nested too deeply" in out


def test_200000_deep_yaml_plan_is_an_error_with_a_line(tmp_path: Path) -> None:
    plan, errors = validate_text(deep_yaml(), "deep.yaml")
    assert plan is None
    assert errors[0].line == 1


def test_non_utf8_layer_names_the_byte(mini_copy: Path) -> None:
    (mini_copy / "zones.geojson").write_bytes(b'{"type": "FeatureCollection", "features": [\xff]}')
    codes = _codes(mini_copy)
    assert any("zones.geojson" in t and "0xff" in t for t in codes["unreadable-file"])


def test_convert_to_a_missing_folder_is_one_line_exit_1(tmp_path: Path) -> None:
    argv = ["plant", "convert", str(MINI_PLANT), "--to", str(tmp_path / "no" / "such" / "plant.gpkg")]
    rc, out, err = run_cli(argv)
    check_run(argv, rc, out, err, strict=True)
    assert rc == 1
    assert len(err.strip().splitlines()) == 1
    assert "does not exist" in err


# ------------------------------------------------------------------------------ 3 no hangs, bounded memory

def test_alias_bomb_plan_is_refused_at_once() -> None:
    t0 = time.perf_counter()
    with time_limit(10):
        plan, errors = validate_text(yaml_bomb(), "bomb.yaml")
    assert plan is None
    assert "billion laughs" in errors[0].message
    assert time.perf_counter() - t0 < 5.0


def test_alias_bomb_site_yaml_is_refused(mini_copy: Path) -> None:
    (mini_copy / "site.yaml").write_text(yaml_bomb(), encoding="utf-8")
    with time_limit(20):
        codes = _codes(mini_copy)
    assert any("site.yaml" in t for t in codes["unreadable-file"])


def test_alias_bomb_script_is_refused(mini_plant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.runtime.incident_script import ScriptError, load_script

    p = tmp_path / "bomb.yaml"
    p.write_text(yaml_bomb(), encoding="utf-8")
    with time_limit(10), pytest.raises(ScriptError, match="billion laughs"):
        load_script(p, mini_plant)


def test_a_fifo_layer_does_not_block(mini_copy: Path) -> None:
    (mini_copy / "walkways.geojson").unlink()
    os.mkfifo(mini_copy / "walkways.geojson")  # nobody ever writes: open() in blocking mode would hang
    with time_limit(20):
        codes = _codes(mini_copy)
    assert any("walkways.geojson" in t and "FIFO" in t for t in codes["unreadable-file"])


def test_a_link_to_dev_zero_is_not_read(mini_copy: Path) -> None:
    (mini_copy / "sensors.geojson").unlink()
    os.symlink("/dev/zero", mini_copy / "sensors.geojson")
    with time_limit(20):
        codes = _codes(mini_copy)
    assert any("sensors.geojson" in t and "character device" in t for t in codes["unreadable-file"])


def test_thousands_of_stacked_walkways_are_refused_within_seconds(mini_copy: Path) -> None:
    doc = json.loads((mini_copy / "walkways.geojson").read_text(encoding="utf-8"))
    base = doc["features"][0]
    doc["features"] += [{**base, "properties": {**base["properties"], "id": f"COPY-{k}"}} for k in range(3000)]
    (mini_copy / "walkways.geojson").write_text(json.dumps(doc), encoding="utf-8")
    t0 = time.perf_counter()
    with time_limit(60):
        codes = _codes(mini_copy)
    assert time.perf_counter() - t0 < 30.0
    assert any("stacked" in t for t in codes["too-dense"]), codes


# ----------------------------------------------------------------------------------- 7 no data loss by typo

def test_generate_refuses_a_folder_that_holds_files(mini_copy: Path) -> None:
    before = {p.name: p.read_bytes() for p in mini_copy.iterdir()}
    argv = ["plant", "generate", str(mini_copy)]
    rc, out, err = run_cli(argv)
    check_run(argv, rc, out, err, strict=True)
    assert rc == 1
    assert "--force" in err
    assert {p.name: p.read_bytes() for p in mini_copy.iterdir()} == before


def test_generate_writes_into_an_empty_folder_and_with_force(tmp_path: Path) -> None:
    out = tmp_path / "new"
    out.mkdir()
    assert run_cli(["plant", "generate", str(out)])[0] == 0
    (out / "note.txt").write_text("mine", encoding="utf-8")
    assert run_cli(["plant", "generate", str(out)])[0] == 1
    assert run_cli(["plant", "generate", str(out), "--force"])[0] == 0
    assert (out / "walkways.geojson").read_bytes() == (REPO / "data" / "demo_plant" / "walkways.geojson").read_bytes()


# ------------------------------------------------------------------------------- 8 no silent acceptance

def test_a_layer_behind_a_dangling_link_is_an_error(mini_copy: Path) -> None:
    (mini_copy / "exits.geojson").unlink()
    os.symlink(mini_copy / "exits-old.geojson", mini_copy / "exits.geojson")
    codes = _codes(mini_copy)
    assert any("exits.geojson" in t and "does not exist" in t for t in codes["dangling-link"])


@pytest.mark.parametrize("value", [["B1", "B2"], {"id": "B1"}, True])
def test_ids_must_be_plain_values(mini_copy: Path, value: object) -> None:
    doc = json.loads((mini_copy / "buildings.geojson").read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["id"] = value
    (mini_copy / "buildings.geojson").write_text(json.dumps(doc), encoding="utf-8")
    codes = _codes(mini_copy)
    assert any("buildings.geojson" in t and "#1" in t and "'id'" in t for t in codes["bad-value"]), codes


def test_a_person_kilometres_off_site_is_named_in_a_warning(mini_copy: Path) -> None:
    pop = mini_copy / "population.csv"
    pop.write_text(pop.read_text(encoding="utf-8") + "P006,673000.0,3571080.0,,,normal\n", encoding="utf-8")
    plant = load_plant(mini_copy)
    far = [w for w in plant.warnings if w.code == "outside-site" and w.source == "population.csv"]
    assert far
    assert "P006" in far[0].message
    assert "4,800 m" in far[0].message


def test_a_plan_folder_with_a_dangling_link_is_not_ok(tmp_path: Path) -> None:
    d = tmp_path / "plans"
    shutil.copytree(REPO / "data" / "plans", d)
    os.symlink(d / "moved.yaml", d / "lost.yaml")
    entries = load_library(d)
    lost = [e for e in entries if e.path.name == "lost.yaml"]
    assert lost
    assert not lost[0].valid
    assert "does not exist" in str(lost[0].errors[0])
    argv = ["plans", "validate", str(d)]
    rc, out, err = run_cli(argv)
    check_run(argv, rc, out, err, strict=True)
    assert rc == 1
    assert "lost.yaml" in out


def test_a_nan_sensor_reading_neither_meets_nor_clears_a_trigger() -> None:
    """By hand: H2S at 25 ppm (threshold 20) for 60 s meets the trigger; a NaN in between changes nothing."""
    import datetime as dt

    from plans.triggers import TriggerMonitor

    plan, errors = validate_text(H2S_PLAN, "h2s.yaml")
    assert plan is not None, errors
    trig = next(t for t in plan.triggers if t.kind == "sensor" and t.substance == "H2S")
    t0 = dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC)
    monitors = [TriggerMonitor([plan]), TriggerMonitor([plan])]
    for m in monitors:
        for k in range(trig.min_detectors):
            m.reading(f"GD-{k}", "gas", "H2S", trig.threshold + 5, trig.unit, t0)
    for k in range(trig.min_detectors):
        monitors[1].reading(f"GD-{k}", "gas", "H2S", float("nan"), trig.unit, t0 + dt.timedelta(seconds=1))
        monitors[1].reading(f"GD-{k}", "gas", "H2S", float("-inf"), trig.unit, t0 + dt.timedelta(seconds=2))
    later = t0 + dt.timedelta(seconds=trig.duration_s + 1)
    assert [h.trigger.id for h in monitors[0].met(later)] == [h.trigger.id for h in monitors[1].met(later)]
    assert trig.id in {h.trigger.id for h in monitors[1].met(later)}
