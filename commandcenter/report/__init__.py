"""The after-action report of an incident or drill: a PDF for trainers and regulators and an offline HTML map.

``build_report(store, incident_id, lang, pdf=…, html=…, progress=callback, cancel=token)`` reads the log,
builds the pure report model (:mod:`.model`), checks the field evidence (:mod:`.evidence`) and writes the
files. It is long work meant for a worker thread (:class:`commandcenter.services.jobs.JobRunner`): it never
touches Qt, reports progress as ``progress(fraction 0–1, step name)`` and stops at the next step when the
token is cancelled (``token.check()`` raises, or ``token.cancelled`` turns true).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from commandcenter.store import EventStore

Progress = Callable[[float, str], None]


class ReportCancelled(Exception):
    """The report was cancelled (the token's own exception is raised when it has one)."""


class ReportError(ValueError):
    """A report that cannot be built (no such incident, nothing to write, an unwritable path)."""


def _checker(cancel: Any) -> Callable[[], None]:
    def check() -> None:
        if cancel is None:
            return
        if hasattr(cancel, "check"):
            cancel.check()
        if getattr(cancel, "cancelled", False) or (callable(cancel) and not hasattr(cancel, "check") and cancel()):
            raise ReportCancelled("report cancelled")
    return check


def _load_plant(opened: dict[str, Any], plant: Any) -> Any:
    if plant is not None:
        return plant
    path = opened.get("plant_path")
    if not path or not Path(path).exists():
        return None
    from gis.loader import load_plant

    try:
        return load_plant(path)
    except Exception:  # a plant that no longer loads: the report still has everything but the drawings
        return None


def evidence_required(plans_dir: str | Path | None, plan_id: str | None) -> dict[str, list[Any]]:
    """Task id → the evidence texts the plan asks for (``{}`` when the plan cannot be found)."""
    if not plan_id:
        return {}
    from commandcenter.runtime.plan_host import default_plans_dir
    from plans.library import load_library, valid_plans

    folder = Path(plans_dir) if plans_dir and Path(plans_dir).is_dir() else default_plans_dir()
    try:
        plan = valid_plans(load_library(folder)).get(plan_id)
    except (OSError, ValueError):
        return {}
    if plan is None:
        return {}
    return {t.id: [e.to_dict() if hasattr(e, "to_dict") else str(e) for e in t.evidence] for t in plan.tasks
            if t.evidence}


def _sqlite_path(store: EventStore) -> Path | None:
    if store.dialect != "sqlite":
        return None
    db = store.engine.url.database
    return Path(db) if db and db != ":memory:" else None


def build_model_of(store: EventStore, incident_id: str, *, plant: Any = None, evidence_dirs: Iterable[Path] = (),
                   check: Callable[[], None] = lambda: None, progress: Progress | None = None
                   ) -> tuple[Any, Any, dict[str, Any], Any]:
    """Read the log and build the report model: returns (model, plant geometry or None, evidence files by
    sha256, position tracks)."""
    from commandcenter.report.evidence import check_evidence, evidence_dir_of
    from commandcenter.report.model import build_model, trend_point
    from commandcenter.report.plantgeo import plant_geometry
    from commandcenter.report.source import first_plan, read_log, same_plan_incidents

    def step(frac: float, name: str) -> None:
        check()
        if progress:
            progress(frac, name)

    step(0.0, "read")
    log = read_log(store, incident_id, check=check)
    info = log.info
    tz = info.tzinfo
    step(0.15, "plant")
    loaded = _load_plant(log.opened, plant)
    geo = plant_geometry(loaded) if loaded is not None else None
    step(0.2, "evidence")
    folders = [Path(d) for d in evidence_dirs]
    own = _sqlite_path(store)
    if own is not None:
        folders.append(evidence_dir_of(own))
    files = {}
    for r in log.records:
        if r.type == "evidence.received":
            sha = str(r.payload["sha256"]).lower()
            if sha not in files:
                files[sha] = check_evidence(sha, folders, r.payload.get("path"))
    step(0.3, "trend")
    plan_id = first_plan(log.records)
    earlier = []
    for inc, recs in same_plan_incidents(store, incident_id, plan_id):
        if recs and recs[0].t_us <= log.records[0].t_us:
            earlier.append(trend_point(inc.id, inc.title, inc.exercise, recs, inc.tzinfo))
    step(0.35, "model")
    exercise = bool(log.opened.get("exercise", info.exercise))
    model = build_model(
        incident_id=incident_id, title=str(log.opened.get("title") or info.title), exercise=exercise,
        plant=geo.name if geo is not None else (log.opened.get("plant") or info.plant), tz=tz, tz_name=info.tz,
        records=log.records, tracks=log.tracks, assembly_points=geo.assembly_points if geo is not None else (),
        evidence_checks={sha: (f.status, str(f.path) if f.path else None) for sha, f in files.items()},
        evidence_required=evidence_required(log.opened.get("plans_dir"), plan_id), earlier=earlier,
        chain=log.chain)
    return model, geo, files, log.tracks


def build_report(store: EventStore, incident_id: str, lang: str = "zh", *, pdf: str | Path | None = None,
                 html: str | Path | None = None, plant: Any = None, evidence_dirs: Iterable[str | Path] = (),
                 font_dir: str | Path | None = None, progress: Progress | None = None, cancel: Any = None,
                 now: dt.datetime | None = None) -> dict[str, Any]:
    """Write the after-action report of ``incident_id`` in ``lang`` (``zh`` | ``en``): the PDF to ``pdf`` and the
    HTML map to ``html`` (at least one). ``plant`` defaults to the package recorded in the log
    (``incident.opened.plant_path``) when it still exists; evidence is looked for beside the log and in
    ``evidence_dirs``. Returns ``{"pdf": Path | None, "html": Path | None, "summary": {...}}``.

    Runs in a worker: ``progress(fraction, step)`` after each step, ``cancel`` checked between steps."""
    from commandcenter.report.fonts import build_fonts
    from commandcenter.report.i18n import LANGS, all_words
    from commandcenter.report.plantgeo import strings_of

    if lang not in LANGS:
        raise ReportError(f"--lang: must be one of {', '.join(LANGS)}, got {lang!r}")
    if pdf is None and html is None:
        raise ReportError("nothing to write: give a PDF path, an HTML path or both")
    check = _checker(cancel)
    model, geo, files, tracks = build_model_of(store, incident_id, plant=plant,
                                               evidence_dirs=[Path(d) for d in evidence_dirs], check=check,
                                               progress=progress)
    info = store.incident(incident_id)
    tz = info.tzinfo
    out: dict[str, Any] = {"pdf": None, "html": None, "summary": model.summary()}
    check()
    if progress:
        progress(0.45, "fonts")
    chars = set(all_words()) | _strings(model.to_dict()) | set(strings_of(geo))
    fonts = build_fonts(chars, font_dir)
    if pdf is not None:
        from commandcenter.report.pdf import write_pdf

        def pdf_progress(frac: float, name: str) -> None:
            if progress:
                progress(0.5 + 0.35 * frac, f"pdf:{name}")

        out["pdf"] = write_pdf(model, Path(pdf), lang, tz, info.tz, fonts, geo, files,
                               now or dt.datetime.now(dt.UTC), check, pdf_progress)
    if html is not None:
        from commandcenter.report.html_map import write_html

        check()
        if progress:
            progress(0.88, "html")
        out["html"] = write_html(model, Path(html), lang, tz, geo, tracks, fonts.regular)
    if progress:
        progress(1.0, "done")
    return out


def _strings(obj: Any) -> set[str]:
    """Every character of every string (keys included) in a JSON-like object."""
    chars: set[str] = set()
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, str):
            chars.update(o)
        elif isinstance(o, dict):
            for k, v in o.items():
                chars.update(str(k))
                stack.append(v)
        elif isinstance(o, (list, tuple)):
            stack.extend(o)
    return chars


__all__ = ["ReportCancelled", "ReportError", "build_model_of", "build_report", "evidence_required"]
