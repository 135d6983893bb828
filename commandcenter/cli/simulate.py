"""``commandcenter simulate``: an evacuation simulated on the walkway graph (crowds, queues, assembly points)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from commandcenter.cli.options import evacuation_inputs, fail, hazard_or_fail, load_plant_or_fail, people_or_fail
from commandcenter.cli.params import finite


@click.command("simulate")
@evacuation_inputs("speed_mps and premovement_s are used exactly when given, drawn otherwise; mobility",
                   "Hazard zones to route around")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), default=None,
              help="Seed of the speeds and pre-movement times the file does not give (same seed, same run).")
@click.option("--routes", type=click.Choice(["shortest", "capacity"]), default="shortest", show_default=True,
              help="shortest: everyone to the nearest safe assembly point (marshals send on who finds it full); "
                   "capacity: the capacity-aware plan of 'commandcenter route'.")
@click.option("--until", "until_s", type=finite(0, 86_400, lo_open=True, unit="s"), default=None,
              help="Stop the simulation at this many seconds after the alarm (default: when all have arrived).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Write the evacuation as an exercise incident into this new log (SQLite file).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def simulate(plant_path: Path, population: Path | None, hazard: Path | None, seed: int | None, routes: str,
             until_s: float | None, out: Path | None, as_json: bool) -> None:
    """Simulate the evacuation of everyone in the population file from the plant at PLANT.

    Everyone is alarmed at once, waits their pre-movement time, and walks to an assembly point through
    the crowd (Weidmann's speed-density relation) and the queues at doors and narrow walkways (1.3
    persons per metre per second at most). Prints when the last person and 90 % of them arrived, the
    simulation's own wall time, and every person's assembly point, pre-movement and arrival times.
    Exit 1 when the plant, the population or the hazard file cannot be used.
    """
    from gis.routing.people import SEED
    from gis.routing.site import Site
    from simulation.evacuation import evacuate

    if out is not None and out.exists():
        fail(f"{out}: the log already exists (simulate writes a new log)", as_json)
    plant = load_plant_or_fail(plant_path, as_json)
    draw_seed = SEED if seed is None else seed
    people = people_or_fail(plant, population, as_json, seed=draw_seed)
    zones = hazard_or_fail(plant, hazard, as_json)
    fc = None
    if zones is not None:
        from gis.routing.hazard_graph import hazard_to_geojson

        fc = json.loads(json.dumps(hazard_to_geojson(zones)))
    run = evacuate(Site.of_plant(plant), people, zones, method=routes, until_s=until_s)
    result = run.to_json()
    result["routes"] = routes
    result["seed"] = draw_seed
    if out is not None:
        from commandcenter.services.drill_service import record_evacuation

        start = dt.datetime.now(dt.UTC).replace(microsecond=0)
        result["log"] = record_evacuation(plant, run, out, start=start, hazard_zones=fc)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, allow_nan=False))
        return

    def s(v: float | None) -> str:
        return "never" if v is None else f"{v:.0f} s"

    click.echo(f"{plant_path}: {result['arrived']} of {result['people_total']} people at an assembly point "
               f"({routes} routes)")
    click.echo(f"  last arrival {s(result['evacuation_time_s'])}, 90 % mustered {s(result['mustered_90_s'])}, "
               f"all mustered {s(result['mustered_100_s'])}; simulated in {result['wall_s']:.3f} s")
    for ap in result["assembly_points"]:
        over = f"  {ap['over_capacity']} over capacity" if ap["over_capacity"] else ""
        click.echo(f"  {ap['id']:<12} {ap['arrived']:>6} / {ap['capacity']:<6.0f}{over}")
    for b in result["bottlenecks"][:5]:
        click.echo(f"  queue of up to {b['max_queue']} at {b['kind']} {b['walkway']} ({b['width_m']:g} m, "
                   f"{b['capacity_pps']:g} persons/s)")
    bad = result["unroutable"]
    if bad:
        click.echo(f"  {len(bad)} without a route:")
        for row in bad[:20]:
            click.echo(f"    {row['id']}: {row['code']}: {row['reason']}")
    if out is not None:
        click.echo(f"  log: {result['log']['log']} ({result['log']['events']} events, incident "
                   f"{result['log']['incident_id']})")


COMMANDS = (simulate,)
