"""``commandcenter resources``: the emergency inventory, teams, nearest resources and people by walking time
around the hazard, and a plan's shortages (see docs/resources.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from commandcenter.cli.options import fail, hazard_or_fail, load_plant_or_fail
from commandcenter.cli.params import COORD

_KINDS = ("scba", "extinguisher", "hydrant", "first_aid", "eyewash", "spill_kit", "gas_detector", "stretcher",
          "fire_truck", "other")
_PLANT = click.argument("plant_path", metavar="PLANT", type=click.Path(path_type=Path))
_JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
_DATE = click.option("--date", "on_date", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="Judge expiry and inspections on this date (default: today, plant time).")
_AT = click.option("--at", "at", default=None, help="Who is on shift at this ISO 8601 time with offset "
                   "(default: now).")
_HAZARD = click.option("--hazard", type=click.Path(path_type=Path), default=None,
                       help="Hazard zones: a GeoJSON FeatureCollection of polygons with level red/orange/yellow "
                            "(as `commandcenter plume --geojson` writes), plant CRS or EPSG:4326.")
_LIMIT = click.option("--limit", type=click.IntRange(1, 10_000), default=5, show_default=True,
                      help="How many to list.")


def _echo(obj: dict) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, allow_nan=False))


def _today(plant, on_date: dt.datetime | None) -> dt.date:  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return on_date.date() if on_date is not None else dt.datetime.now(ZoneInfo(plant.timezone)).date()


def _inventory(plant, today: dt.date, as_json: bool):  # type: ignore[no-untyped-def]
    from gis.issues import PlantError
    from resources.inventory import load_inventory

    try:
        return load_inventory(plant, today)
    except PlantError as exc:
        fail("resources layer: " + "; ".join(str(e) for e in exc.errors[:5]), as_json)


def _teams(plant, today: dt.date, as_json: bool):  # type: ignore[no-untyped-def]
    from gis.issues import PlantError
    from plans.shifts import ShiftCalendar
    from resources.teams import load_teams

    try:
        return load_teams(plant, today, ShiftCalendar(plant.timezone))
    except PlantError as exc:
        fail("roster: " + "; ".join(str(e) for e in exc.errors[:5]), as_json)


def _network(plant, hazard: Path | None, as_json: bool):  # type: ignore[no-untyped-def]
    from resources.walking import WalkNetwork

    return WalkNetwork.of_plant(plant, hazard_or_fail(plant, hazard, as_json))


def _reach(net, x: float, y: float, as_json: bool):  # type: ignore[no-untyped-def]
    from resources.walking import QueryError

    try:
        return net.reach(x, y)
    except QueryError as exc:
        fail(str(exc), as_json)


def _at(at: str | None, plant, as_json: bool) -> dt.datetime:  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    from vocabulary.events import EventError, parse_time

    if at is None:
        return dt.datetime.now(ZoneInfo(plant.timezone))
    try:
        return parse_time(at)
    except EventError as exc:
        fail(f"--at: {exc.reason}", as_json)
        raise AssertionError("unreachable") from exc


def _print_rows(out: dict, what: str) -> None:
    d = out["destination"]
    to = (f"staging point ({d['x']:.1f}, {d['y']:.1f}) at the red zone's edge, {d['inside_red_m']:.0f} m from the "
          "place" if d["staging"] else f"({d['x']:.1f}, {d['y']:.1f})")
    click.echo(f"nearest {what} to {to}, by walking time:")
    for r in out["results"]:
        mode = f" (drive {r['drive_s']:.0f} s)" if r.get("mode") == "drive" else ""
        what = r.get("role") or r["kind"]
        click.echo(f"  {r['id']:<10} {what:<13} {r['walk_s']:>7.0f} s {r['distance_m']:>7.0f} m{mode}  "
                   f"{r.get('name', '')}")
    if not out["results"]:
        click.echo("  none")
    reasons: dict[str, int] = {}
    for e in out["excluded"]:
        reasons[e["reason"]] = reasons.get(e["reason"], 0) + 1
    if reasons:
        click.echo("  left out: " + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items())))


@click.group("resources")
def resources() -> None:
    """Emergency resources and teams: inventory, nearest by walking time around the hazard, shortages."""


@resources.command("list")
@_PLANT
@_DATE
@click.option("--kind", type=click.Choice(_KINDS), default=None, help="Only this kind.")
@_JSON
def list_cmd(plant_path: Path, on_date: dt.datetime | None, kind: str | None, as_json: bool) -> None:
    """The plant's emergency inventory with quantity, state, expiry, inspection, and the warnings about it."""
    plant = load_plant_or_fail(plant_path, as_json)
    today = _today(plant, on_date)
    inv = _inventory(plant, today, as_json)
    items = [inv.item(i) for i in inv.of_kind(kind).tolist()]
    counts: dict[str, dict[str, int]] = {}
    for it in items:
        c = counts.setdefault(str(it["kind"]), {"items": 0, "units": 0, "available": 0})
        c["items"] += 1
        c["units"] += int(it["quantity"])
        c["available"] += int(it["available"])
    warnings = [w.to_dict() for w in inv.issues]
    if as_json:
        _echo({"plant": plant.name, "date": today.isoformat(), "items": items, "by_kind": counts,
               "warnings": warnings})
        return
    click.echo(f"{plant.name}: {len(items)} items on {today.isoformat()}")
    for k, c in sorted(counts.items()):
        click.echo(f"  {k:<13} {c['items']:>4} items {c['units']:>5} units {c['available']:>5} available")
    for w in inv.issues:
        click.echo(f"warning: {w.code}: {w}")


@resources.command("nearest")
@_PLANT
@click.option("--x", "x", type=COORD, required=True, help="Easting of the place, plant CRS, m.")
@click.option("--y", "y", type=COORD, required=True, help="Northing of the place, plant CRS, m.")
@click.option("--kind", type=click.Choice(_KINDS), default=None, help="Only this kind (default: any).")
@_HAZARD
@_LIMIT
@_DATE
@_JSON
def nearest(plant_path: Path, x: float, y: float, kind: str | None, hazard: Path | None, limit: int,
            on_date: dt.datetime | None, as_json: bool) -> None:
    """The resources nearest to (X, Y) by walking time on the walkways, never through or inside a red zone.

    JSON: {"results": [{"id", "kind", "walk_s", "distance_m", "path", ...}], "excluded": [...],
    "destination": {...}}; path is a list of [x, y] in the plant CRS, from the resource to the place.
    """
    from resources.nearest import nearest_resources

    plant = load_plant_or_fail(plant_path, as_json)
    inv = _inventory(plant, _today(plant, on_date), as_json)
    net = _network(plant, hazard, as_json)
    out = nearest_resources(_reach(net, x, y, as_json), inv, kind=kind, limit=limit)
    if as_json:
        _echo({**out, "crs": plant.crs.to_string()})
        return
    _print_rows(out, kind or "resources")


@resources.command("people")
@_PLANT
@click.option("--x", "x", type=COORD, required=True, help="Easting of the place, plant CRS, m.")
@click.option("--y", "y", type=COORD, required=True, help="Northing of the place, plant CRS, m.")
@click.option("--team", type=click.Choice(["fire_brigade", "medical", "hazmat", "maintenance", "security"]),
              default=None, help="Only members of this team.")
@click.option("--qualification", "quals", multiple=True, help="Must hold this valid qualification (repeatable).")
@click.option("--any-shift", is_flag=True, help="Include people not on shift.")
@_AT
@_HAZARD
@_LIMIT
@_JSON
def people(plant_path: Path, x: float, y: float, team: str | None, quals: tuple[str, ...], any_shift: bool,
           at: str | None, hazard: Path | None, limit: int, as_json: bool) -> None:
    """The qualified people on shift nearest to (X, Y) by walking time (from their last known position or
    home zone), never through or inside a red zone."""
    from plans.roster import Roster
    from plans.vocabulary import QUALIFICATIONS
    from resources.nearest import nearest_people

    plant = load_plant_or_fail(plant_path, as_json)
    bad = [q for q in quals if q not in QUALIFICATIONS]
    if bad:
        fail(f"--qualification: unknown {', '.join(bad)} (known: {', '.join(QUALIFICATIONS)})", as_json)
    t = _at(at, plant, as_json)
    teams = _teams(plant, _local_date(t, plant), as_json)
    net = _network(plant, hazard, as_json)
    where = Roster.from_plant(plant).where()  # population file, else home-zone centroid
    out = nearest_people(_reach(net, x, y, as_json), teams, t, where, team=team, quals=quals, limit=limit,
                         on_shift=not any_shift)
    if as_json:
        _echo({**out, "at": t.isoformat(), "crs": plant.crs.to_string()})
        return
    _print_rows(out, "people")


def _local_date(t: dt.datetime, plant) -> dt.date:  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return t.astimezone(ZoneInfo(plant.timezone)).date()


@resources.command("teams")
@_PLANT
@_AT
@_JSON
def teams_cmd(plant_path: Path, at: str | None, as_json: bool) -> None:
    """Emergency teams from the roster: members, who is on shift (the plans engine's calendar), and
    qualification expiry warnings."""
    plant = load_plant_or_fail(plant_path, as_json)
    t = _at(at, plant, as_json)
    teams = _teams(plant, _local_date(t, plant), as_json)
    summary = teams.summary(t)
    warnings = [w.to_dict() for w in teams.issues]
    if as_json:
        _echo({"at": t.isoformat(), "on_duty": sorted(teams.calendar.on_duty(t)), "teams": summary,
               "warnings": warnings})
        return
    click.echo(f"{plant.name} at {t.isoformat()}: shifts on duty {', '.join(sorted(teams.calendar.on_duty(t)))}")
    for s in summary:
        click.echo(f"  {s['team']:<13} {s['members']:>4} members {s['on_shift']:>4} on shift "
                   f"({s['on_shift_scba']} with SCBA)")
    for w in teams.issues:
        click.echo(f"warning: {w.code}: {w}")


@resources.command("shortages")
@_PLANT
@click.option("--plan", "plan_id", required=True, help="Plan id in the plans library.")
@click.option("--level", type=click.Choice(["L1", "L2", "L3", "L4"]), required=True)
@click.option("--x", "x", type=COORD, required=True, help="Easting of the incident, plant CRS, m.")
@click.option("--y", "y", type=COORD, required=True, help="Northing of the incident, plant CRS, m.")
@click.option("--plans-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Plans library (default: the bundled data/plans).")
@_HAZARD
@_DATE
@_JSON
def shortages_cmd(plant_path: Path, plan_id: str, level: str, x: float, y: float, plans_dir: Path | None,
                  hazard: Path | None, on_date: dt.datetime | None, as_json: bool) -> None:
    """What a plan at a level needs, what is short outside the hazard, and the drafted external request."""
    from commandcenter.runtime.plan_host import default_plans_dir
    from plans.library import load_library, valid_plans
    from resources.shortages import delivery_point, plan_needs, request_drafts, shortages

    plant = load_plant_or_fail(plant_path, as_json)
    plans = valid_plans(load_library(plans_dir or default_plans_dir()))
    plan = plans.get(plan_id)
    if plan is None:
        fail(f"--plan: no valid plan {plan_id!r} (known: {', '.join(sorted(plans))})", as_json)
    if level not in plan.levels:
        fail(f"--level: plan {plan_id} has no level {level} (it has {', '.join(plan.level_names)})", as_json)
    inv = _inventory(plant, _today(plant, on_date), as_json)
    reach = _reach(_network(plant, hazard, as_json), x, y, as_json)
    needs = plan_needs(plan, level)
    short = shortages(needs, inv, reach)
    deliver = delivery_point(reach, plant.layers["exits"])
    from zoneinfo import ZoneInfo

    drafts = request_drafts(short, dt.datetime.now(ZoneInfo(plant.timezone)), deliver, plan_id=plan_id, level=level)
    out = {"plan": plan_id, "level": level,
           "needs": [{"kind": n.kind, "quantity": n.quantity, "tasks": n.tasks} for n in needs.values()],
           "shortages": [s.to_dict() for s in short], "deliver_to": deliver,
           "requests": [d.payload for d in drafts], "destination": reach.destination()}
    if as_json:
        _echo(out)
        return
    click.echo(f"plan {plan_id} at {level}: needs " + ", ".join(f"{n.quantity} {n.kind}" for n in needs.values()))
    for s in short:
        click.echo(f"  SHORT {s.kind}: need {s.needed}, {s.available} available outside the hazard "
                   f"({s.in_hazard} inside it): request {s.short}")
    if not short:
        click.echo("  nothing short")
    for d in drafts:
        click.echo(f"  request: {d.payload['quantity']} {d.payload['kind']} to {d.payload['deliver_to']}")


COMMANDS = (resources,)
