"""Scripted incidents: a YAML file of timed injects played through the real store and projections on a
simulated clock (tabletop exercises, reproducing an incident, tests). The format is in docs/incident-log.md.

Every problem is reported as ``FILE:LINE: injects[i].field: what is wrong``, all of them at once.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gis.safe_input import InputProblem, describe_missing, read_text
from plans.yaml_nodes import YamlProblem, load_with_lines
from vocabulary.events import EVENT_TYPES, EventError, validate

FORMAT = "commandcenter-incident-script/1"
#: the largest script file read, bytes
MAX_SCRIPT_BYTES = 16 * 2**20
# Types a script may inject (incident.opened is written from the ``incident`` section).
INJECT_TYPES = frozenset(EVENT_TYPES - {"incident.opened"})
_ID_ALIASES = {"sensor": "sensor_id", "person": "person_id", "assembly_point": "assembly_point_id",
               "plan": "plan_id", "task": "task_id", "resource": "resource_id", "command": "command_id"}
# Short field names a script may use for the vocabulary's ``*_id`` fields (and ``level`` for a level change).
ALIASES: dict[str, dict[str, str]] = {t: dict(_ID_ALIASES) for t in EVENT_TYPES}
ALIASES["level.changed"]["level"] = "to"


class ScriptError(ValueError):
    """A script that cannot be played; ``problems`` lists every ``FILE:LINE: field: message``."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Inject:
    """One timed inject: seconds after the start, the event type, its payload, its source line."""

    at_s: float
    type: str
    payload: dict[str, Any]
    line: int


@dataclass
class Script:
    """A parsed, checked incident script."""

    path: Path
    incident_id: str
    title: str
    start: dt.datetime
    exercise: bool
    level: str | None
    injects: list[Inject] = field(default_factory=list)
    close_at_s: float | None = None


#: the longest offset a script may use, s: a year
MAX_OFFSET_S = 366 * 86400.0


def parse_offset(value: Any) -> float:
    """Seconds from a number or ``"MM:SS"`` / ``"HH:MM:SS"`` text; ValueError when neither, or when it is
    not finite, negative or more than :data:`MAX_OFFSET_S` (a year)."""
    shown = repr(value)[:40] if isinstance(value, str | int | float) else type(value).__name__
    if isinstance(value, bool):
        raise ValueError("expected seconds or HH:MM:SS")
    try:
        if isinstance(value, (int, float)):
            s = float(value)
        elif isinstance(value, str) and value.count(":") in (1, 2):
            parts = [float(p) for p in value.split(":")]
            if not all(math.isfinite(p) and p >= 0 for p in parts):
                raise ValueError(f"expected seconds or HH:MM:SS, got {shown}")
            s = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
        else:
            raise ValueError(f"expected seconds or HH:MM:SS, got {shown}")
    except OverflowError:
        s = math.inf
    if not math.isfinite(s):
        raise ValueError(f"must be a finite number of seconds, got {shown}")
    if s < 0:
        raise ValueError(f"must not be negative, got {shown}")
    if s > MAX_OFFSET_S:
        raise ValueError(f"must be at most {MAX_OFFSET_S:.0f} s (a year), got {shown}")
    return s


def _plant_ids(plant: Any) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {name: {str(i) for i in gdf.index} for name, gdf in plant.layers.items()}
    people = {str(i) for i in plant.personnel.index}
    if plant.population is not None:
        people |= {str(i) for i in plant.population["id"]} if "id" in plant.population else set()
    ids["people"] = people
    return ids


def _feature_xy(plant: Any, fid: str) -> tuple[float, float] | None:
    for gdf in plant.layers.values():
        if fid in gdf.index:
            p = gdf.geometry.loc[fid].representative_point()
            return float(p.x), float(p.y)
    return None


def load_script(path: str | Path, plant: Any) -> Script:
    """Read and check the script at ``path`` against ``plant`` (ids of sensors, people, assembly points and
    places must exist there); raise :class:`ScriptError` listing every problem."""
    path = Path(path)
    try:
        doc, lines = load_with_lines(read_text(path, MAX_SCRIPT_BYTES, encoding="utf-8"))
    except InputProblem as exc:
        raise ScriptError([f"{path}: cannot read: {exc}"]) from None
    except OSError as exc:
        why = describe_missing(path) if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
        raise ScriptError([f"{path}: cannot read: {why}"]) from None
    except YamlProblem as exc:
        raise ScriptError([f"{path}:{exc.line or 1}: not valid YAML: {exc}"]) from None
    problems: list[str] = []

    def line_of(*where: str | int) -> int:
        """The line of the deepest part of ``where`` (a path into the document) that has one."""
        for n in range(len(where), -1, -1):
            if where[:n] in lines:
                return lines[where[:n]]
        return 1

    def err(line: int | None, where: str, msg: str) -> None:
        problems.append(f"{path}:{line or 1}: {where}: {msg}")

    if not isinstance(doc, dict):
        raise ScriptError([f"{path}:1: the script must be a mapping with 'incident' and 'injects'"])
    fmt = doc.get("format", FORMAT)
    if fmt != FORMAT:
        err(line_of("format"), "format", f"must be {FORMAT!r}, got {fmt!r}")
    inc = doc.get("incident")
    if not isinstance(inc, dict):
        raise ScriptError([*problems, f"{path}:{line_of('incident')}: incident: required mapping (id, title, start)"])
    line = line_of("incident")
    for key in ("id", "title", "start"):
        if key not in inc:
            err(line, f"incident.{key}", "required")
    for key in ("id", "title"):
        if key in inc and (not isinstance(inc[key], str | int) or isinstance(inc[key], bool)):
            err(line, f"incident.{key}", f"must be text, got {type(inc[key]).__name__}")
    start = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    if "start" in inc:
        raw = inc["start"]
        if isinstance(raw, dt.datetime):
            start = raw
        else:
            try:
                start = dt.datetime.fromisoformat(str(raw))
            except ValueError:
                err(line, "incident.start", f"not an ISO 8601 time: {raw!r}")
        if start.tzinfo is None:
            err(line, "incident.start", "needs a UTC offset (e.g. 2026-11-22T09:00:00+08:00)")
            start = start.replace(tzinfo=dt.UTC)
        if not 1970 <= start.year <= 2200:  # a year of offsets after 9999-12-31 cannot be represented
            err(line, "incident.start", f"year {start.year} is out of range (1970 to 2200)")
            start = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    exercise = inc.get("exercise", True)
    if not isinstance(exercise, bool):
        err(line, "incident.exercise", f"must be true or false, got {exercise!r}")
    level = inc.get("level")
    if level is not None and level not in ("L1", "L2", "L3", "L4"):
        err(line, "incident.level", f"must be L1–L4, got {level!r}")
    close_at = None
    if "close_at" in inc:
        try:
            close_at = parse_offset(inc["close_at"])
        except ValueError as exc:
            err(line, "incident.close_at", str(exc))
    ids = _plant_ids(plant)
    injects: list[Inject] = []
    raw_injects = doc.get("injects")
    if not isinstance(raw_injects, list) or not raw_injects:
        err(line_of("injects"), "injects", "required: a non-empty list of injects")
        raw_injects = []
    for i, item in enumerate(raw_injects):
        where = f"injects[{i}]"
        if not isinstance(item, dict):
            err(line_of("injects", i), where, "must be a mapping with 'at' and 'type'")
            continue
        iline = line_of("injects", i)
        body = dict(item)
        try:
            at_s = parse_offset(body.pop("at"))
        except KeyError:
            err(iline, f"{where}.at", "required (seconds after start, or HH:MM:SS)")
            at_s = 0.0
        except ValueError as exc:
            err(iline, f"{where}.at", str(exc))
            at_s = 0.0
        etype = body.pop("type", None)
        if not isinstance(etype, str) or etype not in INJECT_TYPES:
            err(iline, f"{where}.type", f"must be one of {', '.join(sorted(INJECT_TYPES))}, got {etype!r}")
            continue
        nested = body.pop("payload", None)
        if nested is not None:
            if not isinstance(nested, dict):
                err(iline, f"{where}.payload", "must be a mapping of the event's fields")
                continue
            body = {**nested, **body}
        for short, full in ALIASES.get(etype, {}).items():
            if short in body and full not in body:
                body[full] = body.pop(short)
        place = body.pop("place", None)
        if place is not None:
            xy = _feature_xy(plant, str(place))
            if xy is None:
                err(iline, f"{where}.place", f"no feature {place!r} in the plant")
            else:
                body.setdefault("x", round(xy[0], 2))
                body.setdefault("y", round(xy[1], 2))
        if "lon" in body or "lat" in body:
            try:
                from pyproj import Transformer

                tr = Transformer.from_crs("EPSG:4326", plant.crs, always_xy=True)
                x, y = tr.transform(float(body.pop("lon")), float(body.pop("lat")))
                body["x"], body["y"] = round(x, 2), round(y, 2)
            except (KeyError, TypeError, ValueError, OverflowError):
                err(iline, f"{where}.lon", "lon and lat must both be given as numbers")
        for key, layer, what in (("sensor_id", "sensors", "sensor"), ("person_id", "people", "person"),
                                 ("assembly_point_id", "assembly_points", "assembly point"),
                                 ("resource_id", "resources", "resource")):
            if key in body and str(body[key]) not in ids.get(layer, set()):
                err(iline, f"{where}.{key}", f"unknown {what} {body[key]!r} (not in the plant)")
        if "x" in body and "y" in body and all(isinstance(body[k], (int, float)) for k in ("x", "y")):
            x0, y0, x1, y1 = plant.bounds
            if not (x0 - 500 <= body["x"] <= x1 + 500 and y0 - 500 <= body["y"] <= y1 + 500):
                err(iline, f"{where}.x", f"({body['x']}, {body['y']}) is far outside the plant")
        try:
            validate(etype, body)
        except EventError as exc:
            err(iline, f"{where}.{exc.where.removeprefix('payload.')}", exc.reason)
            continue
        injects.append(Inject(at_s, etype, body, iline or 1))
    if problems:
        raise ScriptError(problems)
    injects.sort(key=lambda j: j.at_s)
    return Script(path, str(inc["id"]), str(inc["title"]), start, exercise, level, injects, close_at)


def _sensor_fields(plant: Any, sensor_id: str) -> dict[str, Any]:
    """kind, substance, unit and x/y of a plant sensor (what the plans engine's triggers read)."""
    sensors = plant.layers.get("sensors")
    if sensors is None or sensor_id not in sensors.index:
        return {}
    row = sensors.loc[sensor_id]
    out: dict[str, Any] = {"x": round(float(row.geometry.x), 2), "y": round(float(row.geometry.y), 2)}
    for key in ("kind", "substance", "unit"):
        if key in sensors.columns and isinstance(row[key], str) and row[key]:
            out[key] = row[key]
    return out


def play(script: Script, store: Any, *, exercise: bool | None = None, incident_id: str | None = None,
         plant: Any = None, plans_dir: str | Path | None = None, tz: str | None = None) -> dict[str, Any]:
    """Play ``script`` into ``store`` through the incident runtime on a manual clock; return a summary.

    Opens the incident (``exercise`` True forces an exercise) and submits each inject at its time, so
    everything the plans engine derives (assignments, deadlines, escalations, notices) is recorded as in a
    live incident. Without ``plans_dir`` (or without a plant) the runtime runs without the engine and
    launches and level changes are recorded as written. A second launch of the running plan is a no-op,
    as from a second console. Sensor readings get kind/substance/unit/x/y from the plant."""
    from commandcenter.runtime import IncidentRuntime, ManualClock
    from vocabulary.events import Draft

    iid = incident_id or script.incident_id
    is_exercise = True if exercise else script.exercise
    if is_exercise:  # the exercise rule (see commandcenter.services.dispatch): no notice of a drill to a live recipient
        leaks = [f"{script.path}:{j.line}: notification.sent: live: true is not allowed in an exercise"
                 for j in script.injects if j.type == "notification.sent" and j.payload.get("live")]
        if leaks:
            raise ScriptError(leaks)
    engine = plant is not None and plans_dir is not None
    if engine:
        from plans.library import load_library, valid_plans

        known = valid_plans(load_library(plans_dir))
        unknown = [f"{script.path}:{j.line}: plan_id: no valid plan {j.payload['plan_id']!r} in {plans_dir}"
                   for j in script.injects if j.type == "plan.launched" and j.payload["plan_id"] not in known]
        if unknown:
            raise ScriptError(unknown)
    clock = ManualClock(script.start)
    rt = IncidentRuntime.create(store, title=script.title, exercise=is_exercise, plant=plant,
                                plans_dir=plans_dir if engine else None, engine=engine, clock=clock,
                                incident_id=iid, level=script.level, tz=tz)
    launches = duplicates = submitted = 0
    for inj in script.injects:
        clock.advance_to(inj.at_s)
        p = dict(inj.payload)
        if inj.type in ("sensor.reading", "sensor.alarm") and plant is not None:
            p = {**_sensor_fields(plant, p["sensor_id"]), **p}
        new = rt.submit(Draft(inj.type, clock.now(), p))
        submitted += 1
        if inj.type == "plan.launched":
            launched = any(e.type == "plan.launched" for e in new)
            launches += launched
            duplicates += not launched
    if script.close_at_s is not None:
        clock.advance_to(script.close_at_s)
        rt.submit(Draft("incident.closed", clock.now(), {"reason": "end of script"}))
        submitted += 1
    state = rt.state
    inc = store.incident(iid)
    derived = inc.head_seq - 1 - submitted + duplicates
    return {"incident": iid, "exercise": rt.exercise, "events": inc.head_seq, "head_hash": inc.head_hash,
            "simulated_s": clock.elapsed_s, "plan_launches": launches, "duplicate_launches": duplicates,
            "plans_engine": engine, "derived_events": derived, "summary": summarize(state)}


def summarize(state: dict[str, Any]) -> dict[str, Any]:
    """Headline figures of a projection state (what a status line or ``--json`` shows)."""
    people = state["personnel"]["people"]
    tasks = state["tasks"]["tasks"]
    return {"seq": state["seq"], "level": state["incident"]["level"], "open": state["incident"]["open"],
            "exercise": state["incident"]["exercise"],
            "plans": [p["plan"] for p in state["incident"]["plans"]], "alarms": sorted(state["incident"]["alarms"]),
            "people_reported": len(people), "sos": sorted({s["person"] for s in state["personnel"]["sos"]}),
            "mustered": len(state["muster"]["mustered"]), "by_point": state["muster"]["by_point"],
            "tasks": {s: sum(1 for t in tasks.values() if t["status"] == s)
                      for s in sorted({t["status"] for t in tasks.values()})},
            "commands": len(state["commands"]["commands"]), "timeline": len(state["timeline"]["entries"])}
