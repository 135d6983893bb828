"""``commandcenter command …``: field commands from the command line (recorded in the log; ``field serve`` sends).

* ``command send --db LOG --incident ID --to TARGET --kind KIND --text-zh T --text-en T [--json]`` —
  TARGET ``all`` | ``device:ID`` | ``person:ID`` | ``team:T`` | ``role:R`` | ``zone:Z``; the address is
  expanded to devices now and recorded with the command; prints ``{"command_id", "devices"}``.
* ``command status --db LOG --incident ID [--command CID] --json`` — prints ``{"commands": [{"command_id",
  "kind", "devices": {DEVICE_ID: "acked" | "done" | "pending" | "failed" | "expired"}}]}``.

The plant (for the roster and zones) is ``--plant`` or the package the incident was opened on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from commandcenter.cli.params import DURATION_S

KINDS = ("evacuate", "shelter", "task", "message", "all_clear", "muster", "actuate")


def _echo(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, allow_nan=False))


def open_store(db: str) -> Any:
    """The log at ``db`` (a SQLite file must exist)."""
    from commandcenter.store import EventStore

    if "://" not in db and not Path(db).is_file():
        raise click.BadParameter(f"no log file {db!r}", param_hint="--db")
    try:
        return EventStore(db)
    except Exception as exc:  # driver errors differ per backend: name the log and the cause
        raise click.ClickException(f"cannot open log {db!r}: {exc}") from None


def open_incident(store: Any, incident_id: str, plant_path: Path | None, *, need_plant: bool) -> tuple[Any, Any]:
    """``(runtime, plant or None)`` of an incident, read-write, without the plans engine."""
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.store import StoreError

    try:
        rt = IncidentRuntime.open(store, incident_id, engine=False)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    path = plant_path or (Path(rt.opened["plant_path"]) if rt.opened.get("plant_path") else None)
    plant = None
    if path is not None and (need_plant or not rt.exercise or plant_path is not None):
        from gis.issues import PlantError
        from gis.loader import load_plant

        try:
            plant = load_plant(path)
        except PlantError as exc:
            raise click.ClickException(f"{path}: the plant is invalid ({len(exc.errors)} error(s))") from None
        except OSError as exc:
            raise click.ClickException(f"{path}: cannot read the plant: {exc}") from None
    elif need_plant:
        raise click.UsageError("this target needs the plant: give --plant")
    return rt, plant


@click.group()
def command() -> None:
    """Field commands: send one, or show each command's state on each device."""


@command.command("send")
@click.option("--db", required=True, help="The incident log (SQLite file or database URL).")
@click.option("--incident", "incident_id", required=True, help="The incident.")
@click.option("--to", "target", required=True, help="all | device:ID | person:ID | team:T | role:R | zone:Z")
@click.option("--kind", type=click.Choice(KINDS), required=True, help="What the devices are told to do.")
@click.option("--text-zh", required=True, help="The Chinese text.")
@click.option("--text-en", required=True, help="The English text.")
@click.option("--expires", "expires_s", type=DURATION_S, default=None, help="Seconds until it expires (default never).")
@click.option("--assembly-point", default=None, help="Assembly point of an evacuate or muster command.")
@click.option("--equipment", default=None, help="Equipment of an actuate command (with --action).")
@click.option("--action", type=click.Choice(("start", "stop", "open", "close", "sound", "silence")), default=None)
@click.option("--by", default=None, help="Who gives the order.")
@click.option("--plant", "plant_path", type=click.Path(path_type=Path), default=None,
              help="The plant package (default: the one the incident was opened on).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command_send(db: str, incident_id: str, target: str, kind: str, text_zh: str, text_en: str,
                 expires_s: float | None, assembly_point: str | None, equipment: str | None, action: str | None,
                 by: str | None, plant_path: Path | None, as_json: bool) -> None:
    """Record a command to TARGET's devices (the field server numbers and sends it)."""
    from commandcenter.services.dispatch import ExerciseLeak
    from commandcenter.services.field.addressing import AddressError, resolve
    from commandcenter.services.field.geo import PlantGeo
    from commandcenter.services.field.orders import command_draft

    if kind == "actuate" and not (equipment and action):
        raise click.UsageError("an actuate command needs --equipment and --action")
    params: dict[str, Any] = {}
    if assembly_point:
        params["assembly_point_id"] = assembly_point
    if equipment:
        params["equipment_id"] = equipment
    if action:
        params["action"] = action
    store = open_store(db)
    try:
        rt, plant = open_incident(store, incident_id, plant_path, need_plant=target.startswith("zone:"))
        if rt.closed:
            raise click.ClickException(f"incident {incident_id} is closed")
        geo = PlantGeo(plant) if plant is not None else None
        try:
            devices = resolve(target, rt.state, rt.exercise, geo)
            draft = command_draft(incident_id, rt.exercise, rt.state, rt.now(), kind=kind, devices=devices, to=target,
                                  text_zh=text_zh, text_en=text_en, by=by, params=params or None,
                                  expires_s=expires_s, geo=geo)
        except (AddressError, ExerciseLeak, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
        rt.submit(draft)
    finally:
        store.close()
    out = {"command_id": draft.payload["command_id"], "devices": draft.payload["devices"]}
    if as_json:
        _echo(out)
    else:
        click.echo(f"{out['command_id']}: {kind} to {len(devices)} device(s): {', '.join(devices)}")


@command.command("status")
@click.option("--db", required=True, help="The incident log.")
@click.option("--incident", "incident_id", required=True, help="The incident.")
@click.option("--command", "command_id", default=None, help="Only this command.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command_status(db: str, incident_id: str, command_id: str | None, as_json: bool) -> None:
    """Each command and its state on each device: acked, done, pending, failed or expired."""
    from commandcenter.projections.comms import command_rows
    from commandcenter.projections.replay import Replay
    from commandcenter.store import StoreError

    store = open_store(db)
    try:
        state = Replay(store, incident_id).current()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    rows = command_rows(state, command_id)
    if command_id is not None and not rows:
        raise click.ClickException(f"incident {incident_id} has no command {command_id}")
    if as_json:
        _echo({"commands": rows})
        return
    for r in rows:
        counts: dict[str, int] = {}
        for st in r["devices"].values():
            counts[st] = counts.get(st, 0) + 1
        click.echo(f"{r['command_id']}\t{r['kind']}\t" + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


COMMANDS = (command,)
