"""What the evacuation commands (``route``, ``simulate``) and ``resources`` share: the PLANT argument with the
``--population`` and ``--hazard`` options, and loading those three inputs with one-line refusals (exit 1).

Not a command module (no ``COMMANDS``): imported by the modules that define commands.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

HAZARD_HELP = ("a GeoJSON FeatureCollection of polygons with level red/orange/yellow, in the plant's CRS or "
               "EPSG:4326.")


def evacuation_inputs(population_columns: str, hazard_use: str = "Hazard zones") -> Callable[[Any], Any]:
    """Decorator adding ``PLANT`` (``plant_path``), ``--population`` and ``--hazard`` to a command.

    ``population_columns`` says which optional population columns the command uses and how (inside the
    parentheses of the help); ``hazard_use`` opens the hazard help (e.g. "Hazard zones to route around")."""
    def decorate(fn: Any) -> Any:
        for opt in reversed((
                click.argument("plant_path", metavar="PLANT", type=click.Path(path_type=Path)),
                click.option("--population", type=click.Path(path_type=Path), default=None,
                             help=f"Population CSV (id, x, y in the plant package's CRS; {population_columns}). "
                                  "Default: the plant's own population file."),
                click.option("--hazard", type=click.Path(path_type=Path), default=None,
                             help=f"{hazard_use}: {HAZARD_HELP}"))):
            fn = opt(fn)
        return fn
    return decorate


def fail(message: str, as_json: bool) -> NoReturn:
    """Refuse with ``message``: ``{"error": message}`` on stdout with ``--json``, else ``error: message`` on
    stderr; exit code 1 (bad input)."""
    if as_json:
        click.echo(json.dumps({"error": message}, ensure_ascii=False))
    else:
        click.echo(f"error: {message}", err=True)
    sys.exit(1)


def load_plant_or_fail(plant_path: Path, as_json: bool) -> Any:
    """The plant package at ``plant_path``, or a refusal naming its first problems."""
    from gis.issues import PlantError
    from gis.loader import load_plant

    try:
        return load_plant(plant_path)
    except PlantError as exc:
        fail(f"{plant_path}: the plant package is broken ({len(exc.errors)} errors): "
             + "; ".join(str(e) for e in exc.errors[:5]), as_json)
    except OSError as exc:
        fail(f"{plant_path}: cannot read the plant package ({exc.strerror or exc})", as_json)


def people_or_fail(plant: Any, population: Path | None, as_json: bool, **draw: Any) -> Any:
    """The people to evacuate: the ``--population`` CSV, else the plant's population file (``draw``: e.g.
    ``seed=`` for the values the file leaves out); a refusal when neither can be used."""
    from gis.routing.people import people_of_plant, read_population_csv

    try:
        if population is not None:
            return read_population_csv(population, plant, **draw)
        if plant.population is not None:
            return people_of_plant(plant, **draw)
    except ValueError as exc:
        fail(f"population: {exc}", as_json)
    fail("no population: give --population CSV (the plant has no population file)", as_json)


def hazard_or_fail(plant: Any, hazard: Path | None, as_json: bool) -> Any:
    """The zones of the ``--hazard`` file in the plant's CRS (None without one), or a refusal naming the file."""
    from gis.routing.hazard_graph import HazardFileError, read_hazard_geojson

    if hazard is None:
        return None
    try:
        return read_hazard_geojson(hazard, plant.crs)
    except HazardFileError as exc:
        fail(str(exc), as_json)
