"""``commandcenter incident weather``: record a wind reading in a live incident and re-plan what it changes
(a new hazard assessment in the new wind, and new routes for the people the new zones affect)."""

from __future__ import annotations

import json

import click

from commandcenter.cli.incident import incident
from commandcenter.cli.incident_live import _common, _refused, _runtime
from commandcenter.cli.params import finite


@incident.command("weather")
@click.option("--wind-speed", type=finite(0, 50, unit="m/s"), required=True,
              help="Measured wind speed, m/s (the Gaussian model needs at least 1 m/s).")
@click.option("--wind-from", type=finite(0, 360, unit="°"), required=True,
              help="Direction the wind blows FROM, degrees clockwise from north, 0–360.")
@click.option("--stability", type=click.Choice(list("ABCDEF"), case_sensitive=False), default=None,
              help="Pasquill–Gifford class the station reports (default: the assessment's class, checked against "
                   "the new wind).")
@click.option("--cloud", "cloud_oktas", type=finite(0, 8, unit="oktas"), default=None,
              help="Cloud cover in oktas (without --stability: the class is derived from it and the time).")
@click.option("--station", "station_id", default=None, help="Weather station id, recorded with the reading.")
@_common
def incident_weather(wind_speed: float, wind_from: float, stability: str | None, cloud_oktas: float | None,
                     station_id: str | None, db: str, incident_id: str, plant_path, plans, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """Record a weather.observed in the incident and re-plan: when the wind differs from the current
    assessment's beyond measurement uncertainty, the same release is assessed again in the new wind; when the
    new zones change a walkway, an assembly point or where someone stands, the evacuation plan is re-made
    for the people they affect. Prints what was recorded and who got a new route."""
    from commandcenter.services.evacuation import replan_after_weather
    from commandcenter.store import StoreError
    from vocabulary.events import EventError

    payload: dict = {"wind_speed_mps": wind_speed, "wind_from_deg": wind_from % 360.0}
    for key, value in (("stability", stability.upper() if stability else None), ("cloud_oktas", cloud_oktas),
                       ("station_id", station_id)):
        if value is not None:
            payload[key] = value
    if station_id is not None and (not station_id.strip() or len(station_id) > 128 or not station_id.isprintable()):
        raise click.BadParameter("1–128 printable characters", param_hint="--station")
    rt = _runtime(db, incident_id, plant_path, plans)
    try:
        if rt.plant is None:
            raise click.ClickException(f"incident {incident_id}: no plant to re-plan on (give --plant)")
        if rt.closed:
            raise click.ClickException(f"incident {incident_id} is closed")
        event = rt.record("weather.observed", payload)
        results = replan_after_weather(rt, [event])
    except (EventError, StoreError) as exc:
        raise _refused(exc) from None
    finally:
        rt.store.close()
    r = results[0] if results else None
    out = {"incident": incident_id, "weather_seq": event.seq, "weather": payload,
           "replan": r.to_dict() if r is not None else None}
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, allow_nan=False))
        return
    click.echo(f"{incident_id}: wind {wind_speed:g} m/s from {wind_from % 360:.0f}° recorded (event {event.seq})")
    if r is not None:
        click.echo(f"  {r.outcome}: {r.reason}")
        for c in r.changes:
            click.echo(f"  {c.id}: {c.old_assembly_point or '-'} → {c.new_assembly_point or 'no safe route'} "
                       f"({c.reason})")


COMMANDS = ()
