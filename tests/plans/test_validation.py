"""Plan validation: the bundled library is valid; each kind of mistake is reported with file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from plans.library import load_library
from plans.validation import validate_file, validate_text

from .conftest import PLANS_DIR

SCENARIOS = {"h2s-release", "nh3-release", "cl2-release", "flammable-gas-leak", "process-unit-fire", "tank-fire",
             "explosion", "confined-space-rescue", "fall-from-height", "electrical-accident", "chemical-splash",
             "caught-in-machinery", "utility-loss", "typhoon-flood"}

MINI = """\
id: mini
title: {zh: 小预案, en: Mini plan}
plan_type: onsite
category: injury
scenario: mini
summary: {zh: 测试用, en: For tests}
triggers:
- {id: manual, kind: manual, level: L1, description: {zh: 人工, en: Manual}}
levels:
  L1:
    commander: shift_supervisor
    evacuation: {scope: none}
    description: {zh: 班组级, en: Team}
tasks:
- id: a
  title: {zh: 第一步, en: Step one}
  role: operator
  level: L1
  deadline_s: 60
- id: b
  title: {zh: 第二步, en: Step two}
  role: operator
  level: L1
  deadline_s: 120
  depends_on: [a]
contacts:
- {id: fire_119, name: {zh: 消防, en: Fire}, phone: '119', kind: agency}
notice_template: {zh: '{place}发生{substance}事故', en: '{substance} accident at {place}'}
"""


def _line(text: str, n: int) -> str:
    return text.splitlines()[n - 1]


def _errors(text: str) -> list:
    plan, errors = validate_text(text, "t.yaml")
    assert plan is None
    return errors


def test_library_validates_and_covers_every_scenario():
    entries = load_library(PLANS_DIR)
    assert [str(e) for entry in entries for e in entry.errors] == []
    assert {e.plan.id for e in entries} >= SCENARIOS
    assert len(entries) >= 12


def test_every_library_text_is_bilingual():
    for entry in load_library(PLANS_DIR):
        p = entry.plan
        texts = [p.title, p.summary, p.notice_template, *(t.title for t in p.tasks),
                 *(c for t in p.tasks for c in t.checklist), *(lv.description for lv in p.levels.values())]
        assert all(t.zh and t.en and t.zh != t.en for t in texts), p.id


def test_minimal_plan_is_valid():
    plan, errors = validate_text(MINI, "t.yaml")
    assert errors == []
    assert plan.id == "mini"
    assert [t.id for t in plan.tasks] == ["a", "b"]


def test_unknown_role_is_reported_with_line_and_field():
    text = MINI.replace("role: operator\n  level: L1\n  deadline_s: 120",
                        "role: wizard\n  level: L1\n  deadline_s: 120")
    errors = _errors(text)
    assert len(errors) == 1
    e = errors[0]
    assert (e.file, e.field) == ("t.yaml", "tasks[1].role")
    assert "wizard" in e.message
    assert _line(text, e.line) == "  role: wizard"
    assert str(e).startswith(f"t.yaml:{e.line}: tasks[1].role: unknown role 'wizard'")


def test_dependency_cycle_is_reported():
    text = MINI.replace("  deadline_s: 60\n", "  deadline_s: 60\n  depends_on: [b]\n")
    messages = [str(e) for e in _errors(text)]
    assert any("dependency cycle" in m for m in messages)


def test_deadline_earlier_than_dependency_is_reported():
    text = MINI.replace("deadline_s: 120", "deadline_s: 30")
    errors = _errors(text)
    assert [e.field for e in errors] == ["tasks[1].deadline_s"]
    assert _line(text, errors[0].line) == "  deadline_s: 30"
    assert "earlier than that of its dependency 'a'" in errors[0].message


def test_missing_translation_is_reported():
    text = MINI.replace("{zh: 第二步, en: Step two}", "{zh: 第二步}")
    errors = _errors(text)
    assert [(e.field, e.message) for e in errors] == [("tasks[1].title.en", "missing English translation")]
    assert _line(text, errors[0].line) == "  title: {zh: 第二步}"


def test_level_without_commander_is_reported():
    text = MINI.replace("    commander: shift_supervisor\n", "")
    errors = _errors(text)
    assert [(e.field, e.message) for e in errors] == [("levels.L1.commander", "level L1 has no commander")]
    assert _line(text, errors[0].line) == "  L1:"


@pytest.mark.parametrize(("old", "new", "field", "word"), [
    ("deadline_s: 60\n", "deadline_s: 60\n  qualifications: [flying]\n", "tasks[0].qualifications[0]", "flying"),
    ("deadline_s: 60\n", "deadline_s: 60\n  resources: [jetpack]\n", "tasks[0].resources[0]", "jetpack"),
    ("{id: manual, kind: manual, level: L1,",
     "{id: s, kind: sensor, sensor_kind: gas, substance: H2SS, threshold: 10, unit: ppm, level: L1,",
     "triggers[0].substance", "H2SS"),
    ("level: L1\n  deadline_s: 60", "level: L7\n  deadline_s: 60", "tasks[0].level", "L7"),
    ("depends_on: [a]", "depends_on: [zz]", "tasks[1].depends_on[0]", "zz"),
    ("depends_on: [a]", "depends_on: [[]]", "tasks[1].depends_on[0]", "task id"),  # was a TypeError (fuzz)
    ("depends_on: [a]", "depends_on: [{x: 1}]", "tasks[1].depends_on[0]", "dict"),
    ("'{place}发生", "'{where}发生", "notice_template.zh", "where"),
])
def test_meaning_errors_name_the_field(old, new, field, word):
    errors = _errors(MINI.replace(old, new))
    assert any(e.field == field and word in e.message and e.line for e in errors), [str(e) for e in errors]


def test_yaml_syntax_error_gives_a_line():
    errors = _errors(MINI.replace("title: {zh: 第一步, en: Step one}", "title: {zh: 第一步, en: Step one"))
    assert len(errors) == 1
    assert errors[0].line is not None
    assert "YAML" in errors[0].message


def test_all_errors_are_collected_not_just_the_first():
    text = MINI.replace("role: operator", "role: wizard").replace("{zh: 小预案, en: Mini plan}", "{en: Mini plan}")
    fields = {e.field for e in _errors(text)}
    assert {"tasks[0].role", "tasks[1].role", "title.zh"} <= fields


def test_broken_file_does_not_take_down_the_others(tmp_path: Path):
    d = tmp_path / "plans"
    shutil.copytree(PLANS_DIR, d)
    (d / "half_written.yaml").write_text("id: half\ntitle: {zh: 半成品\n", encoding="utf-8")
    (d / "empty.yaml").write_text("", encoding="utf-8")
    entries = load_library(d)
    bad = {e.path.name for e in entries if not e.valid}
    assert bad == {"half_written.yaml", "empty.yaml"}
    assert sum(e.valid for e in entries) == len(list(PLANS_DIR.glob("*.yaml")))


def test_duplicate_plan_ids_make_both_invalid(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(MINI, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(MINI, encoding="utf-8")
    entries = load_library(tmp_path)
    assert not any(e.valid for e in entries)
    assert all("also used by" in e.errors[0].message for e in entries)


def test_validate_file_sets_the_source(tmp_path: Path):
    f = tmp_path / "mini.yaml"
    f.write_text(MINI, encoding="utf-8")
    plan, errors = validate_file(f)
    assert errors == []
    assert plan.source == f


def test_notice_template_renders_placeholders():
    plan, _ = validate_text(MINI, "t.yaml")
    assert plan.render_notice("zh", place="罐区", substance="氨") == "罐区发生氨事故"
    assert plan.render_notice("en", place="tank farm") == "— accident at tank farm"


def test_library_files_are_plain_yaml():
    for f in PLANS_DIR.glob("*.yaml"):
        assert isinstance(yaml.safe_load(f.read_text(encoding="utf-8")), dict)


@pytest.mark.parametrize(("old", "new", "field"), [
    ("deadline_s: 60\n", "deadline_s: .nan\n", "tasks[0].deadline_s"),
    ("deadline_s: 60\n", "deadline_s: .inf\n", "tasks[0].deadline_s"),
    ("deadline_s: 60\n", "deadline_s: 40000000\n", "tasks[0].deadline_s"),  # more than a year
    ("deadline_s: 60\n", "deadline_s: " + "9" * 400 + "\n", "tasks[0].deadline_s"),
    ("scenario: mini\n", "scenario: mini\nescalation_s: -.inf\n", "escalation_s"),
    ("evacuation: {scope: none}", "evacuation: {scope: radius, radius_m: .nan}", "levels.L1.evacuation.radius_m"),
    ("evacuation: {scope: none}", "evacuation: {scope: radius, radius_m: 1e300}", "levels.L1.evacuation.radius_m"),
    ("{id: manual, kind: manual, level: L1,",
     "{id: s, kind: sensor, sensor_kind: gas, substance: H2S, threshold: .nan, unit: ppm, level: L1,",
     "triggers[0].threshold"),
    ("scenario: mini\n", "scenario: mini\nsupplies: [{kind: scba, quantity: 0}]\n", "supplies[0].quantity"),
])
def test_non_finite_and_out_of_range_numbers_are_errors_naming_the_field(old, new, field):
    errors = _errors(MINI.replace(old, new))
    assert any(e.field == field and e.line for e in errors), [str(e) for e in errors]


def test_alias_bomb_is_refused_before_it_expands():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    errors = _errors(bomb)  # 9**9 = 387 million values if expanded
    assert "billion laughs" in errors[0].message
    assert errors[0].line is not None


def test_unreadable_names_in_a_plan_folder_are_listed_as_invalid(tmp_path: Path):
    import os

    shutil.copy(PLANS_DIR / "h2s_release.yaml", tmp_path / "h2s_release.yaml")
    os.symlink(tmp_path / "gone.yaml", tmp_path / "lost.yaml")
    os.mkfifo(tmp_path / "pipe.yml")
    entries = {e.path.name: e for e in load_library(tmp_path)}
    assert entries["h2s_release.yaml"].valid
    assert "does not exist" in entries["lost.yaml"].errors[0].message
    assert "FIFO" in entries["pipe.yml"].errors[0].message
