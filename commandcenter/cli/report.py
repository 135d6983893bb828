"""``commandcenter report LOG``: the after-action report of an incident or drill — a PDF and an offline HTML map.

Exit codes: 0 written, 1 refused (no such incident, unreadable log, unwritable path), 2 usage error.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click


@click.command("report")
@click.argument("log")
@click.option("--incident", "incident_id", default=None,
              help="The incident to report (default: the one with the latest event).")
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the PDF report here.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the offline HTML incident map here.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Report language.")
@click.option("--plant", "plant_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="Plant package (default: the one recorded in the log, when it still exists).")
@click.option("--evidence", "evidence_dirs", type=click.Path(exists=True, file_okay=False, path_type=Path),
              multiple=True, help="Another folder holding evidence files by SHA-256 (beside LOG: LOG.evidence/).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def report(log: str, incident_id: str | None, pdf_path: Path | None, html_path: Path | None, lang: str,
           plant_path: Path | None, evidence_dirs: tuple[Path, ...], as_json: bool) -> None:
    """Write the after-action report of an incident in LOG (a SQLite file or a SQLAlchemy URL): each plan step
    against its deadline, the muster curve, acknowledgement latencies, people inside each hazard zone, map
    snapshots, the response compliance audit with verified field evidence, equipment linkage, evacuation
    accuracy, ranked findings and the trend over earlier drills of the same plan (--pdf), and the incident
    map with its layers (--html)."""
    from commandcenter.report import ReportError, build_report
    from commandcenter.store import EventStore, StoreError

    if pdf_path is None and html_path is None:
        raise click.UsageError("give --pdf OUT.pdf, --html OUT.html or both")
    if "://" not in log and not Path(log).is_file():
        raise click.BadParameter(f"no database file {log!r}", param_hint="LOG")
    for opt, p in (("--pdf", pdf_path), ("--html", html_path)):
        if p is not None and not p.resolve().parent.is_dir():
            raise click.BadParameter(f"folder {str(p.parent)!r} does not exist", param_hint=opt)
        if p is not None and p.exists() and not p.is_file():  # a FIFO would block the write until a reader came
            raise click.BadParameter(f"{p} is not a regular file; refusing to write to it", param_hint=opt)
    try:
        store = EventStore(log, upgrade=False, anchor="inspect")
    except Exception as exc:  # driver errors differ per backend; name the log and the cause
        raise click.ClickException(f"cannot open log {log!r}: {' '.join(str(exc).split())[:300]}") from None
    plant = None
    if plant_path is not None:
        from gis.loader import load_plant

        try:
            plant = load_plant(plant_path)
        except Exception as exc:  # the loader's own message names the layer and feature
            raise click.ClickException(f"--plant {plant_path}: {' '.join(str(exc).split())[:300]}") from None
    t0 = time.perf_counter()
    try:
        if incident_id is None:
            incidents = store.incidents()
            if not incidents:
                raise click.ClickException(f"{log}: the log holds no incident")
            incident_id = max(incidents, key=lambda i: (i.head_t_us or 0, i.id)).id
        store.incident(incident_id)
        result = build_report(store, incident_id, lang, pdf=pdf_path, html=html_path, plant=plant,
                              evidence_dirs=evidence_dirs)
    except StoreError as exc:
        raise click.ClickException(f"--incident: {exc}") from None
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write the report: {exc}") from None
    finally:
        store.close()
    out = {"log": log, "incident": incident_id, "lang": lang,
           "pdf": None if result["pdf"] is None else str(result["pdf"]),
           "html": None if result["html"] is None else str(result["html"]),
           "seconds": round(time.perf_counter() - t0, 3), "summary": result["summary"]}
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, allow_nan=False))
        return
    s = result["summary"]
    label = "EXERCISE 演练 " if s["exercise"] else ""
    click.echo(f"{label}{incident_id}: report written in {out['seconds']:.1f} s")
    for kind in ("pdf", "html"):
        if out[kind]:
            click.echo(f"  {kind}: {out[kind]}")
    click.echo(f"  steps on time {s['steps_on_time']}/{s['steps_on_time'] + s['steps_late']} of {s['steps']}, "
               f"mustered {s['mustered']}/{s['muster_expected']}, findings {s['findings']}")


COMMANDS = (report,)
