"""``commandcenter incident open|launch|level|task|close|status``: run a live incident from the shell.

Each command opens the incident's runtime on its own clock (the wall clock; a running live drill's clock)
(the plans engine rebuilt from the log, the deadlines that fell due recorded first), submits what it was
asked, and prints one JSON object with ``--json``. Times are shown in the plant's time zone with its
offset, the same on every console.
Exit codes: 0 done, 1 refused (unknown incident, plan or level; a broken plant), 2 usage.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from commandcenter.cli.incident import incident

LEVEL_CHOICE = click.Choice(["L1", "L2", "L3", "L4"])


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False))


def _store(db: str, *, create: bool):
    from commandcenter.store import EventStore

    if "://" not in db and not create and not Path(db).exists():
        raise click.BadParameter(f"no incident log {db!r}", param_hint="--db")
    try:
        return EventStore(db)
    except Exception as exc:  # driver errors differ per backend: name the database and the cause
        raise click.ClickException(f"cannot open the incident log {db!r}: {' '.join(str(exc).split())}") from None


def _plant(path: Path | str):
    from gis.issues import PlantError
    from gis.loader import load_plant

    try:
        return load_plant(Path(path))
    except PlantError as exc:
        raise click.ClickException(f"{path}: the plant is invalid, {len(exc.errors)} error(s); run "
                                   f"'commandcenter plant check {path}'") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read the plant package ({exc.strerror or exc})") from None


def plans_dir_for(plant_path: Path | None, plans: Path | None) -> Path | None:
    """The plan library: ``plans`` when given; else a ``plans/`` folder inside or beside the plant
    package (the plant's own library); else None (the bundled ``data/plans``)."""
    if plans is not None:
        if not plans.is_dir():
            raise click.BadParameter(f"{plans} is not a folder", param_hint="--plans")
        return plans
    if plant_path is not None:
        for cand in (plant_path / "plans", plant_path.parent / "plans"):
            if plant_path.is_dir() and cand.is_dir() and any(cand.glob("*.yaml")):
                return cand
    return None


def _runtime(db: str, incident_id: str, plant_path: Path | None, plans: Path | None, *, tick: bool = True):
    """The incident's runtime on its own clock (the wall clock; a running live drill's), with the plant it was
    opened on (or ``plant_path``)."""
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.store import StoreError

    store = _store(db, create=False)
    try:
        header = next(iter(store.events(incident_id, until_seq=1)), None)
    except StoreError as exc:
        store.close()
        raise click.ClickException(str(exc)) from None
    if header is None:
        store.close()
        raise click.ClickException(f"no incident {incident_id!r} in {db}")
    recorded = header.payload.get("plant_path")
    path = plant_path or (Path(recorded) if recorded else None)
    plant = _plant(path) if path is not None else None
    try:
        rt = IncidentRuntime.open(store, incident_id, plant=plant, plans_dir=plans_dir_for(path, plans))
        if tick:
            rt.tick()
    except StoreError as exc:
        store.close()
        raise click.ClickException(str(exc)) from None
    return rt


def _refused(exc: Exception) -> click.ClickException:
    return click.ClickException(" ".join(str(exc).split()))


def status_of(rt: Any) -> dict[str, Any]:
    """The status a duty officer asks for: level, plan, tasks by state, people by status, per zone."""
    from commandcenter.services.people import PeopleModel
    from vocabulary.events import from_us

    state = rt.state
    inc = state["incident"]
    tasks = state["tasks"]["tasks"]
    by_state: dict[str, int] = {}
    overdue = []
    for tid, t in sorted(tasks.items()):
        by_state[t["status"]] = by_state.get(t["status"], 0) + 1
        if t["overdue"] and t["status"] not in ("done", "skipped"):
            overdue.append({"task_id": tid, "person_id": t["to"], "status": t["status"]})
    people = PeopleModel(rt.plant)
    now = rt.now()
    plan = inc["plans"][-1]["plan"] if inc["plans"] else None

    def local(t_us: int | None) -> str | None:
        return None if t_us is None else from_us(t_us, rt.tz).isoformat(timespec="seconds")

    return {"incident": rt.incident_id, "title": inc["title"], "exercise": rt.exercise, "open": inc["open"],
            "level": inc["level"], "plan": plan, "opened": local(inc["opened_t"]), "closed": local(inc["closed_t"]),
            "now": now.astimezone(rt.tz).isoformat(timespec="seconds"), "timezone": str(rt.tz),
            "events": state["seq"], "tasks": by_state, "overdue": overdue,
            "people": people.status_counts(state, now.timestamp()),
            "zones": people.zone_counts(state),
            "mustered": len(state["muster"]["mustered"])}


@incident.command("open")
@click.option("--plant", "plant_path", type=click.Path(path_type=Path), required=True, help="The plant package.")
@click.option("--db", required=True, help="The incident log: a SQLite file (created if missing) or a database URL.")
@click.option("--title", required=True, help="The incident's title, as the duty officer would say it.")
@click.option("--exercise", is_flag=True, help="An exercise: marked everywhere, nothing reaches live recipients.")
@click.option("--incident-id", default=None, help="The id (default: INC-<UTC time>-<4 hex>).")
@click.option("--plans", type=click.Path(path_type=Path), default=None,
              help="Plan library (default: the plant's own plans/ folder, else the bundled one).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def incident_open(plant_path: Path, db: str, title: str, exercise: bool, incident_id: str | None,
                  plans: Path | None, as_json: bool) -> None:
    """Open a new incident on PLANT in the log DB; prints its id."""
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.store import StoreError
    from vocabulary.events import EventError

    if not title.strip():
        raise click.BadParameter("must not be empty", param_hint="--title")
    plant = _plant(plant_path)
    store = _store(db, create=True)
    try:
        rt = IncidentRuntime.create(store, title=title, exercise=exercise, plant=plant, incident_id=incident_id,
                                    plans_dir=plans_dir_for(plant_path, plans))
    except (StoreError, EventError) as exc:
        raise _refused(exc) from None
    finally:
        store.close()
    if as_json:
        _echo_json({"incident": rt.incident_id})
    else:
        click.echo(rt.incident_id)


def _common(fn):  # type: ignore[no-untyped-def]
    fn = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")(fn)
    fn = click.option("--plans", type=click.Path(path_type=Path), default=None,
                      help="Plan library (default: the one the incident was opened with).")(fn)
    fn = click.option("--plant", "plant_path", type=click.Path(path_type=Path), default=None,
                      help="The plant package (default: the one the incident was opened on).")(fn)
    fn = click.option("--incident", "incident_id", required=True, help="The incident's id.")(fn)
    return click.option("--db", required=True, help="The incident log (SQLite file or database URL).")(fn)


@incident.command("launch")
@click.argument("plan_id", metavar="PLAN")
@click.option("--level", type=LEVEL_CHOICE, required=True, help="The response level to launch at.")
@click.option("--by", default=None, help="Who launches (name or person id), recorded in the log.")
@_common
def incident_launch(plan_id: str, level: str, by: str | None, db: str, incident_id: str, plant_path: Path | None,
                    plans: Path | None, as_json: bool) -> None:
    """Launch PLAN at --level in the incident: its tasks are assigned and its notices sent, and everyone inside
    the level's evacuation scope (around the alarm's place, else the hazard source) is ordered out
    (``evacuation.ordered``: the field service sends them the evacuate command). A second launch of the
    running plan (from another console) changes nothing, except recording the order if it is missing."""
    from commandcenter.services.evacuation_order import incident_origin, order_evacuation
    from commandcenter.services.launch_preview import staffing, staffing_of_running
    from commandcenter.store import StoreError
    from vocabulary.events import EventError

    rt = _runtime(db, incident_id, plant_path, plans)
    try:
        new = rt.launch(plan_id, level, by=by, console="cli", origin=incident_origin(rt.state))
        head = new or _running_launch(rt)
        ordered = order_evacuation(rt, head, by=by) if head else []
    except (EventError, StoreError) as exc:
        raise _refused(exc) from None
    finally:
        rt.store.close()
    launched = any(e.type == "plan.launched" for e in new)
    people = [p for e in ordered if e.type == "evacuation.ordered" for p in e.payload["people"]]
    engine, gaps, unassigned = rt.plans.engine, [], []  # who is missing: the roles with nobody on shift
    if engine is not None and launched:
        gaps, unassigned = staffing(engine, new, next(e.time for e in new if e.type == "plan.launched"))
    elif engine is not None:
        gaps, unassigned = staffing_of_running(engine, rt.now())
    out = {"incident": incident_id, "plan": plan_id, "level": rt.level, "launched": launched,
           "events": len(new) + len(ordered), "tasks": sum(1 for e in new if e.type == "task.assigned"),
           "ordered": people, "unstaffed_roles": [g.to_dict() for g in gaps],
           "unassigned_tasks": [u.to_dict() for u in unassigned]}
    if as_json:
        _echo_json(out)
    else:
        click.echo(f"{incident_id}: {'launched' if launched else 'already running'} {plan_id} at {rt.level}, "
                   f"{out['tasks']} task(s) assigned, {len(people)} person(s) ordered to evacuate")
        _echo_staffing(gaps, unassigned)


def _echo_staffing(gaps: list[Any], unassigned: list[Any]) -> None:
    """Who is missing, in two lines: the roles with nobody on shift (when the first comes on, or not on the
    roster) and the tasks left with nobody (with the engine's reason)."""
    if gaps:
        click.echo("no one on shift for: " + ", ".join(
            g.role + (" (not on the roster)" if g.reason == "role_not_on_roster" else
                      f" (next on shift {g.next_on_shift:%Y-%m-%d %H:%M})" if g.next_on_shift else "")
            for g in gaps))
    if unassigned:
        click.echo(f"{len(unassigned)} task(s) unassigned: " + "; ".join(
            f"{u.task_id} ({u.reason.replace('_', ' ')})" for u in unassigned))


def _running_launch(rt: Any) -> list[Any]:
    """The recorded launch of the running plan (one event), or nothing: to record its evacuation order when
    the command that launched it stopped before the order was recorded."""
    launches = rt.state["incident"]["plans"]
    if not launches:
        return []
    seq = int(launches[-1]["seq"])
    return list(rt.store.events(rt.incident_id, after_seq=seq - 1, until_seq=seq))


@incident.command("level")
@click.option("--to", "level", type=LEVEL_CHOICE, required=True, help="The higher level.")
@click.option("--by", default=None, help="Who raises it.")
@click.option("--reason", default="manual", show_default=True, help="Why, in a few words.")
@_common
def incident_level(level: str, by: str | None, reason: str, db: str, incident_id: str, plant_path: Path | None,
                   plans: Path | None, as_json: bool) -> None:
    """Raise the running plan to a higher level (its tasks, commander and notices; everyone newly inside the
    level's evacuation scope ordered out)."""
    from commandcenter.services.evacuation_order import order_evacuation
    from commandcenter.services.launch_preview import staffing
    from commandcenter.store import StoreError
    from vocabulary.events import EventError

    rt = _runtime(db, incident_id, plant_path, plans)
    try:
        new = rt.change_level(level, by=by, reason=reason)
        ordered = order_evacuation(rt, new, by=by)
    except (EventError, StoreError) as exc:
        raise _refused(exc) from None
    finally:
        rt.store.close()
    people = [p for e in ordered if e.type == "evacuation.ordered" for p in e.payload["people"]]
    head = next((e for e in new if e.type == "level.changed"), None)
    gaps, unassigned = staffing(rt.plans.engine, new, head.time) if head is not None and rt.plans.engine else ([], [])
    if as_json:
        _echo_json({"incident": incident_id, "level": rt.level, "events": len(new) + len(ordered),
                    "ordered": people, "unstaffed_roles": [g.to_dict() for g in gaps],
                    "unassigned_tasks": [u.to_dict() for u in unassigned]})
    else:
        click.echo(f"{incident_id}: now at {rt.level}, {len(people)} more person(s) ordered to evacuate")
        _echo_staffing(gaps, unassigned)


TASK_ACTIONS = {"ack": "task.acknowledged", "start": "task.started", "done": "task.done", "skip": "task.skipped"}


@incident.command("task")
@click.argument("task_id")
@click.option("--action", type=click.Choice([*TASK_ACTIONS, "reassign"]), required=True)
@click.option("--person", "person_id", default=None, help="Who (the assignee; for reassign: the new one).")
@click.option("--reason", default=None, help="Why (skip, reassign).")
@_common
def incident_task(task_id: str, action: str, person_id: str | None, reason: str | None, db: str, incident_id: str,
                  plant_path: Path | None, plans: Path | None, as_json: bool) -> None:
    """Record a step of TASK: acknowledged, started, done, skipped, or reassigned to --person."""
    from commandcenter.store import StoreError
    from vocabulary.events import Draft, EventError

    rt = _runtime(db, incident_id, plant_path, plans)
    payload: dict[str, Any] = {"task_id": task_id}
    if action == "reassign":
        if not person_id:
            raise click.BadParameter("reassign needs the new assignee", param_hint="--person")
        etype, payload["to_person_id"] = "task.reassigned", person_id
    else:
        etype = TASK_ACTIONS[action]
        if person_id:
            payload["person_id"] = person_id
    if reason:
        payload["reason"] = reason
    if task_id not in rt.state["tasks"]["tasks"]:
        rt.store.close()
        raise click.ClickException(f"no task {task_id!r} in incident {incident_id}")
    try:
        new = rt.submit(Draft(etype, rt.now(), payload))
    except (EventError, StoreError) as exc:
        raise _refused(exc) from None
    finally:
        rt.store.close()
    t = rt.state["tasks"]["tasks"][task_id]
    if as_json:
        _echo_json({"incident": incident_id, "task_id": task_id, "status": t["status"], "person_id": t["to"],
                    "events": len(new)})
    else:
        click.echo(f"{task_id}: {t['status']}")


@incident.command("close")
@click.option("--reason", default="all clear", show_default=True)
@click.option("--by", default=None)
@_common
def incident_close(reason: str, by: str | None, db: str, incident_id: str, plant_path: Path | None,
                   plans: Path | None, as_json: bool) -> None:
    """Close the incident (all clear): no more deadlines or escalations."""
    from vocabulary.events import Draft

    rt = _runtime(db, incident_id, plant_path, plans)
    try:
        if rt.closed:
            raise click.ClickException(f"incident {incident_id} is already closed")
        payload = {"reason": reason, **({"by": by} if by else {})}
        rt.submit(Draft("incident.closed", rt.now(), payload))
    finally:
        rt.store.close()
    if as_json:
        _echo_json({"incident": incident_id, "open": False})
    else:
        click.echo(f"{incident_id}: closed")


@incident.command("status")
@_common
def incident_status(db: str, incident_id: str, plant_path: Path | None, plans: Path | None, as_json: bool) -> None:
    """The level, plan, tasks by state, people by status and counts per hazard zone (read-only)."""
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.store import StoreError

    store = _store(db, create=False)
    try:
        header = next(iter(store.events(incident_id, until_seq=1)), None)
        if header is None:
            raise click.ClickException(f"no incident {incident_id!r} in {db}")
        recorded = header.payload.get("plant_path")
        path = plant_path or (Path(recorded) if recorded else None)
        plant = _plant(path) if path is not None and path.exists() else None
        rt = IncidentRuntime.open(store, incident_id, plant=plant, read_only=True)
        out = status_of(rt)
    except StoreError as exc:
        raise _refused(exc) from None
    finally:
        store.close()
    if as_json:
        _echo_json(out)
        return
    mark = " [演练 EXERCISE]" if out["exercise"] else ""
    click.echo(f"{out['incident']}{mark}: {out['title']} — {'open' if out['open'] else 'closed'}, level "
               f"{out['level'] or '-'}, plan {out['plan'] or '-'} (at {out['now']})")
    click.echo("  tasks:  " + (", ".join(f"{k} {v}" for k, v in sorted(out["tasks"].items())) or "none"))
    click.echo("  people: " + ", ".join(f"{k} {v}" for k, v in sorted(out["people"].items())))
    click.echo("  zones:  " + ", ".join(f"{k} {v}" for k, v in out["zones"].items()))
    for t in out["overdue"]:
        click.echo(f"  OVERDUE {t['task_id']} ({t['status']}, {t['person_id'] or 'unassigned'})")
