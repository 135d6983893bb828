"""``commandcenter cap LOG [--incident ID] --out FILE.xml``: the incident's external notice as OASIS CAP 1.2.

``status`` is ``Exercise`` for an exercise (the exercise guard, :mod:`commandcenter.services.dispatch`), ``Actual``
otherwise; the area is the current hazard zone in WGS 84; one ``info`` block in Chinese and one in English.
What was written is recorded as ``notification.sent`` (channel ``cap``). ``--json`` prints
``{"incident", "out", "status", "identifier", "areas", "exercise"}``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("cap")
@click.argument("db", metavar="LOG")
@click.option("--incident", "incident_id", default=None, help="The incident (default: the newest).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The CAP XML file.")
@click.option("--plant", "plant_path", type=click.Path(path_type=Path), default=None,
              help="The plant package (default: the one the incident was opened on).")
@click.option("--sender", default="commandcenter", show_default=True, help="CAP sender (no spaces or commas).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def cap_command(db: str, incident_id: str | None, out: Path, plant_path: Path | None, sender: str,
                as_json: bool) -> None:
    """Write the external notice of an incident of LOG as a CAP 1.2 alert."""
    from commandcenter.cli.command import open_incident, open_store
    from commandcenter.services.dispatch import ExerciseLeak
    from commandcenter.services.field.cap_notice import build_alert
    from commandcenter.services.field.geo import PlantGeo
    from commandcenter.store import StoreError
    from comms import cap

    store = open_store(db)
    try:
        if incident_id is None:
            incs = store.incidents()
            if not incs:
                raise click.ClickException(f"{db} holds no incident")
            incident_id = max(incs, key=lambda i: (i.head_t_us or 0, i.id)).id
        rt, plant = open_incident(store, incident_id, plant_path, need_plant=False)
        info = store.incident(incident_id)
        title = None
        for e in store.events(incident_id):
            if e.type == "plan.launched" and isinstance(e.payload.get("title"), dict):
                title = e.payload["title"]
        geo = PlantGeo(plant) if plant is not None else None
        last = rt.state["t_us"]
        from vocabulary.events import from_us

        try:
            alert = build_alert(rt.state, info, geo=geo, sent=from_us(last) if last else None, sender=sender,
                                plan_title=title)
            xml = cap.to_xml(alert)
        except (cap.CapError, ExerciseLeak) as exc:
            raise click.ClickException(f"cannot write the CAP alert: {exc}") from None
        try:
            if out.exists() and not out.is_file():  # a FIFO would block the write until a reader came
                raise click.BadParameter(f"{out} is not a regular file; refusing to write to it", param_hint="--out")
            out.write_bytes(xml)
        except OSError as exc:
            raise click.ClickException(f"cannot write {out}: {exc}") from None
        rt.record("notification.sent", {"channel": "cap", "recipient": str(out), "recipient_kind": "cap_file",
                                        "text": alert.infos[-1].headline, "live": not rt.exercise})
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    areas = sum(len(a.polygons) for a in alert.infos[0].areas)
    result = {"incident": incident_id, "out": str(out), "status": alert.status, "identifier": alert.identifier,
              "areas": areas, "exercise": rt.exercise}
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, allow_nan=False))
    else:
        click.echo(f"wrote {out}: CAP 1.2 {alert.status}, {areas} polygon(s)")


COMMANDS = (cap_command,)
