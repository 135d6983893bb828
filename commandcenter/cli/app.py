"""The ``commandcenter`` command: the GUI by default, subcommands for headless work.

Every subcommand that reports something accepts ``--json`` and prints one JSON
object, so the CLI can be scripted, tested and benchmarked without the GUI.
Exit codes: 0 success, 1 the input was checked and found broken, 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from commandcenter.paths import default_plant


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str, allow_nan=False))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--plant", "plant_path", type=click.Path(path_type=Path), default=None,
              help="Plant package to open (a .gpkg file or a GeoJSON folder). Default: the demo plant.")
@click.option("--screenshot", type=click.Path(path_type=Path), default=None,
              help="Render the main window to this PNG and exit (works headless).")
@click.option("--size", default="1600x1000", show_default=True, help="Window size for --screenshot, WxH.")
@click.option("--locale", "locale_name", default=None, help="UI language: zh_CN or en (default: system).")
@click.option("--db", "incident_db", default=None,
              help="Incident log (SQLite file or database URL) whose incident to show on the plant.")
@click.option("--incident", "incident_id", default=None, help="Incident id in --db (default: the newest).")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an unexpected error.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, plant_path: Path | None, screenshot: Path | None, size: str,
        locale_name: str | None, incident_db: str | None, incident_id: str | None) -> None:
    """Plant emergency command center. Without a subcommand, opens the main window."""
    if ctx.invoked_subcommand is not None:
        return
    run_gui = (ctx.obj or {}).get("gui")
    if run_gui is None:  # the CLI layer never imports the window; the launcher hands it over
        raise click.UsageError("name a subcommand (see --help); the window is opened by the commandcenter launcher")
    try:
        w, h = (int(v) for v in size.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"expected WIDTHxHEIGHT, got {size[:40]!r}", param_hint="--size") from None
    if not (100 <= w <= 16384 and 100 <= h <= 16384):
        raise click.BadParameter(f"{w}x{h} is out of range (each side 100 to 16384 pixels)", param_hint="--size")
    ctx.exit(run_gui(plant_path or default_plant(), screenshot=screenshot, size=(w, h), locale=locale_name,
                     incident_db=incident_db, incident_id=incident_id))


@cli.group()
def plant() -> None:
    """Check, convert and generate plant packages."""


@plant.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def plant_check(path: Path, as_json: bool) -> None:
    """Validate the plant package at PATH and summarise it; exit 1 listing the errors if it is broken."""
    from gis.issues import PlantError
    from gis.loader import load_plant

    try:
        loaded = load_plant(path)
    except PlantError as exc:
        if as_json:
            _echo_json({"path": str(path), "valid": False, "layers": exc.layers, "graph": None,
                        "personnel": None, "warnings": [w.to_dict() for w in exc.warnings],
                        "errors": [e.to_dict() for e in exc.errors]})
        else:
            click.echo(f"{path}: INVALID, {len(exc.errors)} error(s)")
            for e in exc.errors:
                click.echo(f"  error: {e}")
            for w in exc.warnings:
                click.echo(f"  warning: {w}")
        sys.exit(1)
    summary = {"path": str(path), "valid": True, **loaded.summary()}
    if as_json:
        _echo_json(summary)
        return
    g = loaded.graph.stats()
    click.echo(f"{path}: OK — {loaded.name} ({loaded.crs.to_string()}, source {loaded.source_crs.to_string()})")
    for name, count in loaded.layer_counts().items():
        click.echo(f"  {name:<16} {count:>6}")
    click.echo(f"  {'personnel':<16} {len(loaded.personnel):>6}")
    if loaded.population is not None:
        click.echo(f"  {'population':<16} {len(loaded.population):>6}")
    click.echo(f"  graph: {g['nodes']} nodes, {g['edges']} edges, {g['components']} component(s), "
               f"{g['length_m']:.0f} m")
    for w in loaded.warnings:
        click.echo(f"  warning: {w}")


@plant.command("convert")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--to", "out", type=click.Path(path_type=Path), required=True, help="Output .gpkg file.")
def plant_convert(path: Path, out: Path) -> None:
    """Convert the plant package at PATH to a GeoPackage (in the plant's metric CRS)."""
    from gis.issues import PlantError
    from gis.loader import load_plant
    from gis.plant_writer import write_gpkg

    if out.suffix.lower() != ".gpkg":
        raise click.BadParameter("the output must be a .gpkg file", param_hint="--to")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise click.ClickException(f"cannot write {out}: the folder {folder} does not exist")
    if out.is_dir():
        raise click.ClickException(f"cannot write {out}: it is a folder")
    try:
        loaded = load_plant(path)
    except PlantError as exc:
        click.echo(f"{path}: cannot convert, {len(exc.errors)} error(s)", err=True)
        for e in exc.errors:
            click.echo(f"  error: {e}", err=True)
        sys.exit(1)
    try:
        write_gpkg(loaded, out)
    except (OSError, ValueError) as exc:  # pyogrio's DataSourceError is an OSError; field errors ValueError
        raise click.ClickException(f"cannot write {out}: {' '.join(str(exc).split())[:300]}") from None
    click.echo(f"wrote {out}")


@plant.command("generate")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--scale", type=click.IntRange(1, 100), default=1, show_default=True,
              help="1 = the demo plant; N = N copies tiled into a chemical park.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=20261122, show_default=True)
@click.option("--force", is_flag=True, help="Write into OUT even if it is a folder that already holds files "
              "(they are overwritten).")
@click.option("--json", "as_json", is_flag=True, help="Print the feature counts as JSON.")
def plant_generate(out: Path, scale: int, seed: int, force: bool, as_json: bool) -> None:
    """Generate a synthetic plant package (deterministic) into the folder OUT (new or empty, unless --force)."""
    from tools.plantgen import generate_plant

    if out.exists() and not out.is_dir():
        raise click.ClickException(f"cannot generate into {out}: it is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise click.ClickException(f"{out} already holds files; a typo must not overwrite a real plant package. "
                                   "Choose a new or empty folder, or give --force to overwrite it")
    try:
        counts = generate_plant(out, scale=scale, seed=seed)
    except OSError as exc:
        raise click.ClickException(f"cannot write into {out}: {exc.strerror or exc}") from None
    if as_json:
        _echo_json({"path": str(out), "counts": counts})
    else:
        click.echo(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


