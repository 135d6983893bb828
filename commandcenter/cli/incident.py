"""``commandcenter audit …`` and ``commandcenter incident …``: verify, export, import, play and inspect incidents.

DB is a SQLite file path or a SQLAlchemy URL (``postgresql+psycopg://user:pw@host/db``).
Exit codes: 0 success, 1 checked and found broken (or refused), 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _open(db: str, *, must_exist: bool):
    """Open the store at ``db``; a missing SQLite file is a usage error when it must exist."""
    from commandcenter.store import EventStore

    if "://" not in db and must_exist and not Path(db).exists():
        raise click.BadParameter(f"no database file {db!r}", param_hint="DB")
    try:
        return EventStore(db, upgrade=not must_exist)
    except Exception as exc:  # driver errors differ per backend; name the database and the cause
        raise click.ClickException(f"cannot open database {db!r}: {exc}") from None


@click.group()
def audit() -> None:
    """Tamper evidence of the incident log."""


def _open_log(db: str, *, must_exist: bool = True, anchor: str = "check"):
    """Open the log at ``db`` for the audit and exchange commands: a missing SQLite file is a usage error
    when it must exist; any refusal is one line naming the database."""
    from commandcenter.store import EventStore, StoreError

    if "://" not in db and must_exist and not Path(db).is_file():
        raise click.BadParameter(f"no database file {db!r}", param_hint="DB")
    try:
        return EventStore(db, upgrade=not must_exist, anchor=anchor)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # driver errors differ per backend; name the database and the cause
        raise click.ClickException(f"cannot open database {db!r}: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).split("(Background on this error")[0]
    return " ".join(text.split()) or type(exc).__name__


@audit.command("verify")
@click.argument("db")
@click.option("--incident", "incident_id", default=None, help="Verify only this incident (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def audit_verify(db: str, incident_id: str | None, as_json: bool) -> None:
    """Re-hash every event of DB exactly as stored, check each incident's row against its event 1 and the
    chain against the heads file beside the database; exit 0 when every chain is intact, else name the
    first changed, deleted, inserted, reordered, lost or unanchored event and exit 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from commandcenter.store import StoreError
    from commandcenter.store.audit import verify_store

    store = _open_log(db, anchor="inspect")
    try:
        results = verify_store(store, incident_id)
        problem = store.anchor.problem
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except SQLAlchemyError as exc:
        raise click.ClickException(f"{db} is not an incident log database ({_one_line(exc)})") from None
    finally:
        store.close()
    ok = all(r.intact for r in results) and problem is None
    if as_json:
        _echo_json({"db": db, "intact": ok, "problem": problem, "incidents": [r.to_dict() for r in results]})
    else:
        for r in results:
            if r.intact:
                click.echo(f"{r.incident}: intact, {r.events_ok} events")
            else:
                b = r.brk
                click.echo(f"{r.incident}: BROKEN at event {b.seq} ({b.kind}): {b.message}")
        if problem:
            click.echo(f"log: {problem}")
        if not results:
            click.echo("no incidents")
    sys.exit(0 if ok else 1)


@audit.command("accept-loss")
@click.argument("db")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def audit_accept_loss(db: str, as_json: bool) -> None:
    """Record, signed, in the heads file of DB that the events it lost (a -wal deleted after a crash, an
    older copy restored) or its lost heads file are gone for good, so the log opens again. The loss stays
    on record: 'audit verify' keeps reporting those incidents as broken."""
    store = _open_log(db, anchor="accept")
    accepted = list(store.anchor.accepted)
    store.close()
    if as_json:
        _echo_json({"db": db, "accepted": accepted})
    elif accepted:
        for line in accepted:
            click.echo(f"accepted: {line}")
    else:
        click.echo(f"{db}: nothing to accept, the log agrees with its heads file")


@click.group()
def incident() -> None:
    """Play, export, import and inspect incidents."""


@incident.command("play")
@click.argument("script", type=click.Path(path_type=Path))
@click.option("--plant", "plant_path", type=click.Path(path_type=Path), required=True, help="The plant package.")
@click.option("--db", required=True, help="SQLite file or SQLAlchemy URL to record into.")
@click.option("--exercise", is_flag=True, help="Record as an exercise whatever the script says.")
@click.option("--incident-id", default=None, help="Record under this id instead of the script's.")
@click.option("--plans", "plans_dir", type=click.Path(path_type=Path), default=None,
              help="Plan library for the plans engine (default: the bundled data/plans).")
@click.option("--no-engine", is_flag=True, help="Record launches and level changes as written, without the engine.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def incident_play(script: Path, plant_path: Path, db: str, exercise: bool, incident_id: str | None,
                  plans_dir: Path | None, no_engine: bool, as_json: bool) -> None:
    """Play the timed injects of SCRIPT (YAML) on a simulated clock through the store and projections."""
    from commandcenter.runtime.incident_script import ScriptError, load_script, play
    from commandcenter.store import StoreError
    from gis.issues import PlantError
    from gis.loader import load_plant
    from vocabulary.events import EventError

    try:
        plant = load_plant(plant_path)
    except PlantError as exc:
        raise click.ClickException(f"{plant_path}: the plant is invalid, {len(exc.errors)} error(s); "
                                   f"run 'commandcenter plant check {plant_path}'") from None
    try:
        sc = load_script(script, plant)
    except ScriptError as exc:
        if as_json:
            _echo_json({"script": str(script), "valid": False, "errors": exc.problems})
        else:
            click.echo(f"{script}: {len(exc.problems)} problem(s)", err=True)
            for p in exc.problems:
                click.echo(f"  {p}", err=True)
        sys.exit(1)
    store = _open(db, must_exist=False)
    try:
        if plans_dir is None and not no_engine:
            from commandcenter.paths import DATA_DIR

            plans_dir = DATA_DIR / "plans" if (DATA_DIR / "plans").is_dir() else None
        result = play(sc, store, exercise=exercise, incident_id=incident_id, plant=plant,
                      plans_dir=None if no_engine else plans_dir, tz=plant.timezone)
    except (StoreError, EventError, ScriptError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    if as_json:
        _echo_json(result)
        return
    s = result["summary"]
    mark = " [演练 EXERCISE]" if result["exercise"] else ""
    click.echo(f"{result['incident']}{mark}: {result['events']} events over {result['simulated_s']:.0f} s "
               f"(simulated), level {s['level']}, plans {', '.join(s['plans']) or '—'}")
    click.echo(f"  alarms {', '.join(s['alarms']) or '—'}; people reported {s['people_reported']}; "
               f"mustered {s['mustered']}; SOS {', '.join(s['sos']) or '—'}")
    click.echo(f"  head {result['head_hash']}")


@incident.command("export")
@click.argument("db")
@click.argument("incident_id")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Output file (.jsonl or .jsonl.gz).")
@click.option("--allow-broken", is_flag=True, help="Export even when the chain does not verify (the header says so).")
@click.option("--force", is_flag=True, help="Overwrite --out when it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def incident_export(db: str, incident_id: str, out: Path, allow_broken: bool, force: bool, as_json: bool) -> None:
    """Verify incident INCIDENT_ID of DB and write it to one file (header plus hash-chained events, payloads
    as stored); a broken chain is refused (exit 1) unless --allow-broken."""
    from commandcenter.store import StoreError
    from commandcenter.store.exchange import ExchangeError, export_incident

    store = _open_log(db, anchor="inspect")
    try:
        res = export_incident(store, incident_id, out, allow_broken=allow_broken, force=force)
    except (StoreError, ExchangeError) as exc:
        raise click.ClickException(f"{db}: {exc}") from None
    finally:
        store.close()
    if as_json:
        _echo_json({"db": db, "incident": incident_id, **res.to_dict()})
        return
    click.echo(f"wrote {out}: {res.events} events")
    if not res.intact:
        b = res.brk
        click.echo(f"warning: exported a BROKEN chain (event {b['seq']}, {b['kind']}): {b['message']}", err=True)


@incident.command("import")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--db", required=True, help="SQLite file or SQLAlchemy URL to import into.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def incident_import(file: Path, db: str, as_json: bool) -> None:
    """Check FILE as an append would (event types, payloads, ids, times) and its hash chain, then import its
    incident into DB, all or nothing; exit 1 naming the line of the first problem."""
    from commandcenter.store import StoreError
    from commandcenter.store.exchange import ExchangeError, check_file, import_incident

    try:
        check_file(file)
    except (ExchangeError, StoreError) as exc:
        if as_json:
            _echo_json({"file": str(file), "imported": False, "error": str(exc)})
        else:
            click.echo(f"refused: {exc}", err=True)
        sys.exit(1)
    store = _open_log(db, must_exist=False)
    try:
        inc = import_incident(store, file)
    except (StoreError, ExchangeError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    if as_json:
        _echo_json({"file": str(file), "imported": True, "incident": inc.to_dict()})
    else:
        click.echo(f"imported {inc.id}{' [演练 EXERCISE]' if inc.exercise else ''}: {inc.head_seq} events")


@incident.command("list")
@click.argument("db")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def incident_list(db: str, as_json: bool) -> None:
    """List the incidents in DB."""
    store = _open(db, must_exist=True)
    try:
        incs = store.incidents()
    finally:
        store.close()
    if as_json:
        _echo_json({"incidents": [i.to_dict() for i in incs]})
        return
    for i in incs:
        click.echo(f"{i.id}\t{'EXERCISE' if i.exercise else 'REAL'}\t{i.head_seq} events\t{i.title}")


@incident.command("state")
@click.argument("db")
@click.argument("incident_id")
@click.option("--at", "at", default=None, help="ISO 8601 time with offset (default: the newest event).")
@click.option("--full", is_flag=True, help="Print the whole projection state, not the summary.")
def incident_state(db: str, incident_id: str, at: str | None, full: bool) -> None:
    """Print the projections of INCIDENT_ID as they stood at --at (JSON)."""
    from commandcenter.projections.replay import Replay
    from commandcenter.runtime.incident_script import summarize
    from commandcenter.store import StoreError
    from vocabulary.events import EventError, parse_time

    store = _open(db, must_exist=True)
    try:
        replay = Replay(store, incident_id)
        state = replay.state_at(parse_time(at)) if at else replay.current()
    except EventError as exc:
        raise click.BadParameter(str(exc), param_hint="--at") from None
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    _echo_json(state if full else summarize(state))

COMMANDS = (audit, incident)
