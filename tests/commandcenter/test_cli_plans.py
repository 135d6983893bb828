"""``commandcenter plans validate/list/launch`` on the bundled library and on broken copies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from commandcenter.cli import main

REPO = Path(__file__).resolve().parents[2]
PLANS = REPO / "data" / "plans"


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_validate_library_exits_0(capsys):
    code, out, _ = _run(capsys, "plans", "validate", str(PLANS))
    assert code == 0
    assert "valid" in out


def test_validate_broken_copy_exits_1_with_file_line_field(capsys, tmp_path: Path):
    d = tmp_path / "plans"
    shutil.copytree(PLANS, d)
    f = d / "fall_from_height.yaml"
    lines = f.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip() == "role: medic")
    lines[i] = lines[i].replace("medic", "paramedic_wizard")
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = _run(capsys, "plans", "validate", str(d))
    assert code == 1
    assert f"{f}:{i + 1}: tasks[" in out
    assert "].role: unknown role 'paramedic_wizard'" in out


def test_list_json_has_one_object_per_plan(capsys, tmp_path: Path):
    d = tmp_path / "plans"
    shutil.copytree(PLANS, d)
    (d / "zz_half.yaml").write_text("id: half\ntitle: {zh: 半, en: Half}\ntasks: [\n", encoding="utf-8")
    code, out, _ = _run(capsys, "plans", "list", str(d), "--json")
    rows = json.loads(out)
    assert code == 0
    assert isinstance(rows, list)
    assert len(rows) == len(list(PLANS.glob("*.yaml"))) + 1
    h2s = next(r for r in rows if r["id"] == "h2s-release")
    assert h2s["valid"] is True
    assert h2s["levels"] == ["L1", "L2", "L3", "L4"]
    assert h2s["tasks"] == 14
    assert h2s["title_zh"] == h2s["title"]["zh"]
    assert h2s["title_en"]
    assert h2s["category"] == "toxic_release"
    half = rows[-1]
    assert half["valid"] is False
    assert half["errors"]
    assert half["errors"][0]["line"]


def test_validate_missing_or_empty_directory_exits_1(capsys, tmp_path: Path):
    assert _run(capsys, "plans", "validate", str(tmp_path / "nope"))[0] == 1
    code, out, _ = _run(capsys, "plans", "validate", str(tmp_path))
    assert code == 1
    assert "no plan files" in out


def test_launch_prints_assignments(capsys):
    code, out, _ = _run(capsys, "plans", "launch", str(PLANS), "fall-from-height", "--level", "L1",
                        "--at", "2026-03-10T10:00:00+08:00", "--json")
    events = json.loads(out)
    assert code == 0
    assert events[0]["type"] == "plan.launched"
    assert {e["payload"]["task_id"] for e in events if e["type"] == "task.assigned"} >= {"command:L1", "confirm"}


def test_invalid_plan_cannot_be_launched(capsys, tmp_path: Path):
    d = tmp_path / "plans"
    shutil.copytree(PLANS, d)
    f = d / "explosion.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("commander:", "kommander:", 1), encoding="utf-8")
    code, _, err = _run(capsys, "plans", "launch", str(d), "explosion", "--level", "L3")
    assert code == 1
    assert "invalid" in err


def test_launch_refuses_a_time_whose_deadlines_cannot_be_represented(capsys):
    mini = REPO / "tests" / "fixtures" / "mini_plant"
    code, _, err = _run(capsys, "plans", "launch", str(PLANS), "h2s-release", "--level", "L2", "--plant", str(mini),
                        "--at", "9999-12-31T23:00:00+00:00")
    assert code == 2
    assert "--at" in err
    assert "9999" in err


def test_launch_against_a_broken_plant_names_it_in_one_line(capsys, tmp_path: Path):
    code, _, err = _run(capsys, "plans", "launch", str(PLANS), "h2s-release", "--level", "L2", "--plant",
                        str(tmp_path / "nowhere"))
    assert code == 1
    assert "nowhere" in err
    assert "plant check" in err
    assert len(err.strip().splitlines()) == 1


def test_a_fifo_given_as_the_plan_path_is_refused_not_waited_on(capsys, tmp_path: Path):
    import os

    os.mkfifo(tmp_path / "plans.yaml")
    code, out, _ = _run(capsys, "plans", "validate", str(tmp_path / "plans.yaml"), "--json")
    assert code == 1
    assert "FIFO" in json.loads(out)["errors"][0]["message"]
