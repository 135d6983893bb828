"""``commandcenter plans …``: validate, list and (headless) launch the emergency plans of a directory."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from commandcenter.cli.params import POINT

#: launch times accepted by ``plans launch --at`` (deadlines past year 9999 cannot be represented)
_YEARS = (1970, 2200)


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str, allow_nan=False))


def _entries(path: Path) -> list:
    """The plan entries of a directory, or of one file; exits 1 with a message when there is nothing to read."""
    from plans.library import PlanEntry, load_library
    from plans.validation import PlanError, validate_file

    if not path.is_dir():
        if not os.path.lexists(path):
            click.echo(f"{path}: no such plan file or directory of plan files", err=True)
            sys.exit(1)
        plan, errors = validate_file(path)  # a file, or what is not one (a FIFO, a dangling link): named
        return [PlanEntry(path, plan, list(errors))]
    entries = load_library(path)
    if not entries:
        return [PlanEntry(path, None, [PlanError(str(path), None, "", "no plan files (*.yaml, *.yml) in it")])]
    return entries


@click.group()
def plans() -> None:
    """Validate, list and launch structured L1–L4 emergency plans (YAML)."""


@plans.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: valid, plans, errors.")
def plans_validate(path: Path, as_json: bool) -> None:
    """Validate every plan in directory PATH (or the one file PATH); exit 1 printing each error as
    FILE:LINE: FIELD: MESSAGE if any plan is broken."""
    entries = _entries(path)
    errors = [e for entry in entries for e in entry.errors]
    if as_json:
        _echo_json({"path": str(path), "valid": not errors, "plans": len(entries),
                    "invalid": [entry.id for entry in entries if not entry.valid],
                    "errors": [e.to_dict() for e in errors]})
    elif errors:
        bad = sum(not entry.valid for entry in entries)
        click.echo(f"{path}: {bad} of {len(entries)} plan file(s) invalid, {len(errors)} error(s)")
        for e in errors:
            click.echo(f"  {e}")
    else:
        click.echo(f"{path}: OK — {len(entries)} plan(s) valid")
    if errors:
        sys.exit(1)


@plans.command("list")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per plan.")
@click.option("--lang", default="zh", show_default=True, help="Title language for the table: zh or en.")
def plans_list(path: Path, as_json: bool, lang: str) -> None:
    """List the plans in directory PATH: id, title, category, levels, number of tasks, valid.
    An invalid plan is listed (valid false, with its errors) and cannot be launched."""
    rows = [entry.summary() for entry in _entries(path)]
    if as_json:
        _echo_json(rows)
        return
    key = "title_zh" if lang.lower().startswith("zh") else "title_en"
    for r in rows:
        mark = "ok" if r["valid"] else f"INVALID ({len(r['errors'])} error(s))"
        click.echo(f"{r['id']:<24} {','.join(r['levels']) or '-':<12} {r['tasks']:>3} tasks  "
                   f"{r['category'] or '-':<18} {mark:<10} {r[key]}")


@plans.command("launch")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("plan_id")
@click.option("--level", required=True, help="L1, L2, L3 or L4.")
@click.option("--plant", "plant_path", type=click.Path(path_type=Path), default=None,
              help="Plant package whose roster takes the tasks (default: the demo plant).")
@click.option("--at", "at", default=None, help="Launch time, ISO 8601 with offset (default: now).")
@click.option("--origin", type=POINT, default=None, help="Incident location 'x,y' in metres (plant CRS).")
@click.option("--json", "as_json", is_flag=True, help="Print the emitted events as a JSON array.")
def plans_launch(path: Path, plan_id: str, level: str, plant_path: Path | None, at: str | None,
                 origin: tuple[float, float] | None, as_json: bool) -> None:
    """Launch PLAN_ID from directory PATH at --level against a plant's roster (headless, one shot)
    and print the events (assignments, notifications) or the task board."""
    import datetime as dt

    from commandcenter.paths import default_plant
    from gis.issues import PlantError
    from gis.loader import load_plant
    from plans.engine import PlanEngine
    from plans.library import valid_plans

    entries = _entries(path)
    bad = next((e for e in entries if e.id == plan_id and not e.valid), None)
    if bad is not None:
        click.echo(f"plan {plan_id!r} is invalid and cannot be launched:", err=True)
        for e in bad.errors:
            click.echo(f"  {e}", err=True)
        sys.exit(1)
    try:
        when = dt.datetime.fromisoformat(at) if at else dt.datetime.now(dt.UTC)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--at") from None
    if when.tzinfo is None:
        raise click.BadParameter("needs a UTC offset (e.g. 2026-11-22T09:00:00+08:00)", param_hint="--at")
    if not _YEARS[0] <= when.year <= _YEARS[1]:
        raise click.BadParameter(f"year {when.year} is out of range ({_YEARS[0]} to {_YEARS[1]})", param_hint="--at")
    plant_path = plant_path or default_plant()
    try:
        plant = load_plant(plant_path)
    except PlantError as exc:
        raise click.ClickException(f"{plant_path}: the plant is invalid, {len(exc.errors)} error(s); run "
                                   f"'commandcenter plant check {plant_path}'") from None
    engine = PlanEngine.for_plant(valid_plans(entries), plant)
    try:
        events = engine.launch(plan_id, level, when, origin_xy=origin)
    except (KeyError, ValueError) as exc:
        click.echo(f"cannot launch: {exc}", err=True)
        sys.exit(1)
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(plant.timezone)  # every time shown to a person: the plant's zone, with its offset
    if as_json:
        _echo_json([{**e.to_dict(), "time": e.time.astimezone(tz).isoformat()} for e in events])
        return
    inc = next(iter(engine.incidents))
    for row in engine.board(inc):
        due = dt.datetime.fromisoformat(row["deadline"]).astimezone(tz).isoformat(timespec="seconds")[11:]
        click.echo(f"{row['task_id']:<24} {row['person_id'] or '—':<8} {row['role'] or '—':<22} "
                   f"{due}  {row['state']:<10} {row['title']['zh']}")

COMMANDS = (plans,)
