"""Every kind of broken plant package fails with an error naming the file, the feature and the problem."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from commandcenter.cli import main
from gis.issues import PlantError
from gis.loader import load_plant
from tests.conftest import REPO
from tests.gis.bad_plants import BAD_CASES, BadCase


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.name for c in BAD_CASES])
def test_broken_plant_is_rejected_with_named_error(case: BadCase, mini_copy: Path) -> None:
    case.apply(mini_copy)
    with pytest.raises(PlantError) as info:
        load_plant(mini_copy)
    matching = [e for e in info.value.errors if e.code == case.code]
    assert matching, f"expected a {case.code} error, got: {[str(e) for e in info.value.errors]}"
    text = " | ".join(str(e) for e in matching)
    for needle in case.must_contain:
        assert needle in text, f"{needle!r} not in {text!r}"


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.name for c in BAD_CASES])
def test_plant_check_exits_1_with_error_json(case: BadCase, mini_copy: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    case.apply(mini_copy)
    assert main(["plant", "check", str(mini_copy), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is False
    assert any(e["code"] == case.code for e in out["errors"])
    for key in ("layers", "graph", "personnel", "warnings", "errors"):
        assert key in out


def test_plant_check_text_lists_each_error(mini_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    BAD_CASES[0].apply(mini_copy)
    next(c for c in BAD_CASES if c.name == "unknown_enum_value").apply(mini_copy)
    assert main(["plant", "check", str(mini_copy)]) == 1
    out = capsys.readouterr().out
    assert "INVALID, 2 error(s)" in out
    assert "assembly_points.geojson: feature AP1: field 'capacity'" in out
    assert "walkways.geojson: feature W1: field 'kind': unknown value 'elevator'" in out


def test_all_errors_are_reported_not_just_the_first(mini_copy: Path) -> None:
    for case in BAD_CASES:
        if case.name in ("missing_required_attribute", "unknown_substance", "person_without_role"):
            case.apply(mini_copy)
    with pytest.raises(PlantError) as info:
        load_plant(mini_copy)
    assert {e.code for e in info.value.errors} >= {"missing-attribute", "bad-value"}
    assert len(info.value.errors) == 3


def test_garbage_geopackage_is_unreadable(tmp_path: Path) -> None:
    bad = tmp_path / "plant.gpkg"
    bad.write_bytes(b"this is not a sqlite database\x00" * 20)
    with pytest.raises(PlantError) as info:
        load_plant(bad)
    assert info.value.errors[0].code == "unreadable-file"
    assert "plant.gpkg" in str(info.value.errors[0])


def test_missing_path_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(PlantError, match="no such file or folder"):
        load_plant(tmp_path / "nowhere")


def test_cli_process_exits_1_on_broken_plant(mini_copy: Path) -> None:
    """End to end through a real process, as a user runs it."""
    BAD_CASES[0].apply(mini_copy)
    proc = subprocess.run([sys.executable, str(REPO / "main.py"), "plant", "check", str(mini_copy)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "AP1" in proc.stdout
    assert "capacity" in proc.stdout
