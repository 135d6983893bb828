"""``commandcenter drill run`` and ``drill batch``: simulated blind drills written as exercise incidents;
``drill run --live`` plays the drill with (simulated or real) field devices through a field server."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from commandcenter.cli.params import finite


@click.group("drill")
def drill() -> None:
    """Simulated drills: a seeded blind scenario played as an exercise incident, or a Monte Carlo batch."""


def _options(fn):  # type: ignore[no-untyped-def]
    """Options shared by ``run`` and ``batch``."""
    fn = click.option("--plans", "plans_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
                      help="Plan library directory (default: the bundled library).")(fn)
    fn = click.option("--window-start", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]), default=None,
                      help="The blind start time is drawn within 30 days from this local date "
                           "(default 2026-12-01).")(fn)
    fn = click.option("--duration", "duration_s", type=finite(60, 86_400, unit="s"), default=1800.0,
                      show_default=True, help="Simulated time of each drill.")(fn)
    return fn


def _fail(message: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"error": message}, ensure_ascii=False))
    else:
        click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _load(plant_path: Path, plans_dir: Path | None, as_json: bool) -> tuple[Any, dict[str, Any]]:
    from commandcenter.services.drill_service import load_plans
    from gis.issues import PlantError
    from gis.loader import load_plant

    try:
        plant = load_plant(plant_path)
    except PlantError as exc:
        _fail(f"{plant_path}: the plant package is broken ({len(exc.errors)} errors): "
              + "; ".join(str(e) for e in exc.errors[:5]), as_json)
    try:
        plans = load_plans(plans_dir)
    except (NotADirectoryError, OSError) as exc:
        _fail(f"plans: {exc}", as_json)
    if not plans:
        _fail(f"{plans_dir or 'the bundled plan library'}: no valid plan to drill", as_json)
    return plant, plans


def _s(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f} s"


@drill.command("run")
@click.argument("plant_path", metavar="PLANT", type=click.Path(path_type=Path))
@click.option("--blind", is_flag=True, help="Blind drill: the scenario is recorded hidden from participants.")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), required=True, help="The scenario's seed.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The new incident log (SQLite file).")
@click.option("--evacuate", type=click.Choice(["plan", "site"]), default="plan", show_default=True,
              help="plan: who the launched level's evacuation scope covers; site: everyone, at the launch.")
@_options
@click.option("--live", is_flag=True,
              help="Play the drill live: a field server, everyone on site carrying a simulated phone (real ZeroMQ "
                   "and CurveZMQ), the model driving what each device says, on a drill clock --speed times the wall "
                   "clock.")
@click.option("--endpoint", default=None,
              help="--live: where the field server binds (default tcp://127.0.0.1:0, a free loopback port; "
                   "tcp://0.0.0.0:5570 for real phones on the site network).")
@click.option("--speed", type=finite(0.01, 1000, unit="×"), default=None,
              help="--live: drill seconds per wall second (default 60: a 30-minute drill in 30 s; 1 with real "
                   "phones).")
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="--live: the key store (created if missing; default OUT.keys beside the log).")
@click.option("--enrol", "enrol", multiple=True,
              help="--live: a real device (its key already in --keys) to enrol in the exercise; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def drill_run(plant_path: Path, blind: bool, seed: int, out: Path, evacuate: str, duration_s: float,
              window_start: dt.datetime | None, plans_dir: Path | None, live: bool, endpoint: str | None,
              speed: float | None, keys_dir: Path | None, enrol: tuple[str, ...], as_json: bool) -> None:
    """Draw the scenario of SEED for the plant at PLANT and play it as a simulated exercise incident into OUT.

    The release, its detectors, the duty officer, the plan's launch, every task's acknowledgement, trip and
    work, the evacuation and the musters are recorded as a live incident would be; the figures (time to
    detection, to launch, to all acknowledgements, to 90 % and 100 % mustered, each task against its
    deadline, who was exposed) are computed from that log. Exit 1 when the plant or the plans cannot be
    used, nothing can be drilled, or OUT exists.

    With --live the same scenario is an exercise incident served by a field server at --endpoint: positions,
    detector readings, SOS, acknowledgements and check-ins reach the log only from the devices, through the
    server and the field service; the plan's orders go out to the devices as commands. The log is on the drill
    clock (--speed drill seconds per wall second) with the plans' real durations, so its times, deadlines and
    figures read in drill time as an offline drill's do; the JSON adds ``frames`` and ``live``
    (docs/simulation.md).
    """
    from commandcenter.services.drill_service import run_drill, run_live_drill
    from simulation.response import ResponseParams
    from simulation.scenario import ScenarioError

    if not live:
        given = [n for n, v in (("--endpoint", endpoint), ("--speed", speed), ("--keys", keys_dir),
                                ("--enrol", enrol)) if v]
        if given:
            raise click.UsageError(f"{', '.join(given)} only apply with --live")
    if endpoint is not None and not endpoint.startswith("tcp://"):
        raise click.BadParameter(f"{endpoint!r} is not a tcp:// address", param_hint="--endpoint")
    if out.exists():
        _fail(f"{out}: the log already exists (a drill writes a new log)", as_json)
    plant, plans = _load(plant_path, plans_dir, as_json)
    params = ResponseParams(duration_s=duration_s, evacuation_scope="site" if evacuate == "site" else None)
    try:
        if live:
            res = run_live_drill(plant, out, seed=seed, blind=blind, plans_dir=plans_dir, plans=plans, params=params,
                                 window_start=window_start, speed=60.0 if speed is None else speed,
                                 endpoint=endpoint or "tcp://127.0.0.1:0", keys_dir=keys_dir, enrol=list(enrol))
        else:
            res = run_drill(plant, out, seed=seed, blind=blind, plans_dir=plans_dir, plans=plans, params=params,
                            window_start=window_start)
    except ScenarioError as exc:
        _fail(f"{plant_path}: {exc}", as_json)
        return
    except (ValueError, TimeoutError, OSError) as exc:  # keys, endpoint, devices that never came online
        _fail(f"live drill: {exc}", as_json)
        return
    except Exception as exc:
        import zmq

        if isinstance(exc, zmq.ZMQError):
            _fail(f"live drill: --endpoint {endpoint}: {exc}", as_json)
        raise
    res["blind"] = blind
    if as_json:
        click.echo(json.dumps(res, ensure_ascii=False, allow_nan=False))
        return
    sc, m = res["scenario"], res["metrics"]
    click.echo(f"{res['incident_id']} → {res['log']} ({res['events']} events, {res['people']} people on site, "
               f"{'played live' if live else 'simulated'} in {res['wall_s']:.2f} s)")
    click.echo(f"  scenario{' (hidden from participants)' if blind else ''}: {sc['params']['substance']} from "
               f"{sc['source_id']}, {sc['params']['rate_kg_s']:g} kg/s, wind {sc['weather']['wind_speed_mps']} m/s "
               f"from {sc['weather']['wind_from_deg']}°, {sc['start']}; plan {sc['plan_id']}")
    click.echo(f"  detection {_s(m['detection_s'])}, launch {_s(m['launch_s'])}, all acknowledged "
               f"{_s(m['all_acks_s'])}, 90 % accounted for {_s(m['accounted_90_s'])}, all accounted for "
               f"{_s(m['accounted_100_s'])}")
    click.echo(f"  to account for {m['to_account_for']}: {m['mustered']} mustered + {m['on_task']} at their task "
               f"+ {m['not_accounted_for']} not accounted for")
    for t in m["tasks"]:
        late = "" if t["late_s"] is None else (f"  {t['late_s']:.0f} s late" if t["late_s"] > 0 else "  on time")
        click.echo(f"  {t['task_id']:<28} {t['outcome']:<8} deadline {_s(t['planned_s'])}, "
                   f"done {_s(t['actual_s'])}{late}")
    click.echo(f"  {m['people_over_guideline']} people over {m['exposure_guideline']}, "
               f"{m['people_exposed']} exposed at all")
    if live:
        f, lv = res["frames"], res["live"]
        click.echo(f"  live at {lv['speed']:g}× on {lv['endpoint']}: {lv['devices']} simulated devices; "
                   f"server received {f['received']} frames, sent {f['sent']}, refused {f['refused']}; outsider got "
                   f"{lv['outsider_commands']} commands")


@drill.command("batch")
@click.argument("plant_path", metavar="PLANT", type=click.Path(path_type=Path))
@click.option("--runs", type=click.IntRange(1, 100_000), required=True, help="Number of drills (seeds).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Directory for the logs, runs.jsonl and summary.json.")
@click.option("--seed0", type=click.IntRange(0, 2**31 - 1), default=1, show_default=True, help="First seed.")
@click.option("--workers", type=click.IntRange(1, 512), default=None, help="Local processes (default: every core).")
@click.option("--scheduler", default=None,
              help="Address of an existing Dask scheduler (tcp://host:8786) to run the batch on instead "
                   "(needs the optional 'dask' extra).")
@_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def drill_batch(plant_path: Path, runs: int, out: Path, seed0: int, workers: int | None, scheduler: str | None,
                duration_s: float, window_start: dt.datetime | None, plans_dir: Path | None, as_json: bool) -> None:
    """Run RUNS simulated blind drills (seeds SEED0 …) of the plant at PLANT, on every core with a progress
    bar, and summarise: distributions of every figure, and the plan step that most often makes the drill
    late and by how much. The same seeds give the same figures locally and on a Dask cluster. Nobody
    watches a batch live, so each drill submits its routine drafts every 5 simulated minutes (whatever
    needs the plans engine's answer is still submitted at once)."""
    from commandcenter.services.drill_service import run_batch
    from simulation.response import ResponseParams
    from simulation.scenario import ScenarioError, blind_scenario

    plant, plans = _load(plant_path, plans_dir, as_json)
    try:
        blind_scenario(plant, plans, seed0, window_start=window_start)  # refuse early, before any worker starts
    except ScenarioError as exc:
        _fail(f"{plant_path}: {exc}", as_json)
    with click.progressbar(length=runs, label="drills", file=sys.stderr, show_pos=True) as bar:
        try:
            summary = run_batch(plant_path, runs, out, seed0=seed0, workers=workers, scheduler=scheduler,
                                plans_dir=plans_dir, params=ResponseParams(duration_s=duration_s, flush_s=300.0),
                                window_start=window_start, progress=bar.update)
        except (FileExistsError, RuntimeError, OSError) as exc:
            _fail(str(exc), as_json)
            return
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, allow_nan=False))
        return
    click.echo(f"{summary['runs']} drills in {summary['wall_s']:.1f} s on {summary['workers']} workers "
               f"({summary['executor']}) → {summary['out']}")
    for name, d in summary["figures"].items():
        if d["runs"]:
            click.echo(f"  {name:<22} p5 {d['p5']:>8.1f}  p50 {d['p50']:>8.1f}  p95 {d['p95']:>8.1f}  "
                       f"({d['runs']} runs)")
    worst = summary["most_often_late"]
    if worst:
        click.echo(f"  most often late: {worst['task_id']} made {worst['runs']} of {summary['runs']} drills late, "
                   f"by {worst['delay_mean_s']:.0f} s on average (p95 {worst['delay_p95_s']:.0f} s)")


COMMANDS = (drill,)
