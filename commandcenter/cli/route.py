"""``commandcenter route``: evacuation routes for a population, around a hazard, within capacity."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command("route")
@click.argument("plant_path", metavar="PLANT", type=click.Path(path_type=Path))
@click.option("--population", type=click.Path(path_type=Path), default=None,
              help="Population CSV (id, x, y in the plant package's CRS; speed_mps, premovement_s, mobility "
                   "optional). Default: the plant's own population file.")
@click.option("--hazard", type=click.Path(path_type=Path), default=None,
              help="Hazard zones: a GeoJSON FeatureCollection of polygons with level red/orange/yellow, in the "
                   "plant's CRS or EPSG:4326.")
@click.option("--method", type=click.Choice(["shortest", "capacity"]), default="capacity", show_default=True)
@click.option("--orange-penalty", type=click.FloatRange(min=1.0), default=3.0, show_default=True,
              help="Cost multiplier of walkways in orange zones.")
@click.option("--yellow-penalty", type=click.FloatRange(min=1.0), default=1.5, show_default=True,
              help="Cost multiplier of walkways in yellow zones.")
@click.option("--no-instructions", is_flag=True, help="Leave the turn-by-turn instructions out of the JSON.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def route(plant_path: Path, population: Path | None, hazard: Path | None, method: str, orange_penalty: float,
          yellow_penalty: float, no_instructions: bool, as_json: bool) -> None:
    """Plan the evacuation of everyone in the population file from the plant at PLANT.

    Everyone gets an assembly point, a route, a distance, an arrival time and turn-by-turn instructions;
    who cannot be routed is listed with the reason. Exit 1 when the plant, the population file or the
    hazard file cannot be used.
    """
    from gis.issues import PlantError
    from gis.loader import load_plant
    from gis.routing.hazard_graph import HazardFileError, Penalties, read_hazard_geojson
    from gis.routing.people import people_of_plant, read_population_csv
    from gis.routing.plan import plan_evacuation
    from gis.routing.site import Site

    def fail(message: str) -> None:
        if as_json:
            click.echo(json.dumps({"error": message}, ensure_ascii=False))
        else:
            click.echo(f"error: {message}", err=True)
        sys.exit(1)

    try:
        plant = load_plant(plant_path)
    except PlantError as exc:
        fail(f"{plant_path}: the plant package is broken ({len(exc.errors)} errors): "
             + "; ".join(str(e) for e in exc.errors[:5]))
        return
    try:
        if population is not None:
            people = read_population_csv(population, plant)
        elif plant.population is not None:
            people = people_of_plant(plant)
        else:
            fail("no population: give --population CSV (the plant has no population file)")
            return
    except ValueError as exc:
        fail(f"population: {exc}")
        return
    zones = None
    if hazard is not None:
        try:
            zones = read_hazard_geojson(hazard, plant.crs)
        except HazardFileError as exc:
            fail(str(exc))
            return
    plan = plan_evacuation(Site.of_plant(plant), people, zones, method,
                           Penalties(yellow=yellow_penalty, orange=orange_penalty))
    if as_json:
        click.echo(json.dumps(plan.to_json(not no_instructions, plant.crs.to_string()), ensure_ascii=False))
        return
    ratio = f" (x{plan.ratio:.2f})" if plan.ratio is not None else ""
    click.echo(f"{plant_path}: {method} plan for {len(people) + len(people.rejected)} people, "
               f"{int(plan.routed.sum())} routed")
    click.echo(f"  evacuation time {plan.evacuation_time_s:.0f} s, lower bound {plan.lower_bound_s:.0f} s{ratio}")
    for ap in plan.assembly_points():
        state = "" if ap["safe"] else "  UNSAFE (inside a hazard zone)"
        over = f"  {ap['over_capacity']} over capacity" if ap["over_capacity"] else ""
        click.echo(f"  {ap['id']:<12} {ap['assigned']:>6} / {ap['capacity']:<6.0f}{state}{over}")
    bad = plan.unroutable()
    if bad:
        click.echo(f"  {len(bad)} without a route:")
        for row in bad[:30]:
            click.echo(f"    {row['id']}: {row['code']}: {row['reason']}")
        if len(bad) > 30:
            click.echo(f"    ... and {len(bad) - 30} more (see --json)")

COMMANDS = (route,)
