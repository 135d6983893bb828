"""Validate a plan file — schema and meaning — and build the :class:`plans.model.Plan`.

Hand-written rather than jsonschema/pydantic: most checks are about meaning across the file
(roles, dependency cycles, deadlines against dependencies, contacts referred to by levels) and
need the same walk over the YAML with line numbers; a schema library would add a dependency and a
second error format to map back to lines. Every problem is collected (not just the first), each
as a :class:`PlanError` with file, 1-based line and field path.

Every number is finite and within the physical range of its field (``.nan``, ``.inf`` and
400-digit integers are errors naming the field): a plan that validates can always be launched.
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gis.safe_input import MAX_YAML_BYTES, InputProblem, describe_missing, read_text
from gis.substances import normalise_substance
from plans.model import Contact, Evacuation, LevelSpec, Plan, Reporting, ResourceNeed, Supply, Task, Text, Trigger
from plans.vocabulary import (
    CATEGORIES,
    CONTACT_KINDS,
    EVACUATION_SCOPES,
    LEVELS,
    NOTICE_PLACEHOLDERS,
    PLAN_TYPES,
    QUALIFICATIONS,
    RESOURCE_KINDS,
    ROLES,
    SENSOR_KINDS,
    SENSOR_UNITS,
    level_rank,
)
from plans.yaml_nodes import YamlProblem, load_with_lines

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,127}$")
#: the largest magnitude of any number in a plan (a threshold in ppm, a count, seconds)
MAX_NUMBER = 1e9
#: the longest time a plan may speak of, s: a year
MAX_SECONDS = 366 * 86400.0
#: the largest evacuation radius, m
MAX_RADIUS_M = 100_000.0
#: the most of one resource or supply a plan may ask for
MAX_QUANTITY = 1_000_000
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class PlanError:
    """One problem: the file, the 1-based line (None if unknown), the field path and the message."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '(file)'}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, with ``text`` the one-line rendering."""
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message,
                "text": str(self)}


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str | int | float | bool) or value is None else type(value).__name__
    return text if len(text) <= 60 else text[:40] + f"... ({len(text)} characters)"


def _fmt(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


class _Checker:
    """Walks the parsed YAML, records errors with lines, and returns typed values (None when bad)."""

    def __init__(self, file: str, lines: dict[tuple, int]):
        self.file, self.lines, self.errors = file, lines, []

    def line(self, path: tuple) -> int | None:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)

    def err(self, path: tuple, message: str) -> None:
        self.errors.append(PlanError(self.file, self.line(path), _fmt(path), message))

    def get(self, obj: dict, path: tuple, key: str, kind: type | tuple, required: bool = True, default=None):
        if key not in obj or obj[key] is None:
            if required:
                self.err((*path, key), "is required")
            return default
        value = obj[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        numeric = (float in kinds or int in kinds) and str not in kinds
        if numeric and isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                self.err((*path, key), f"must be a finite number, got {_short(value)}")
                return default
            if abs(value) > MAX_NUMBER:
                self.err((*path, key), f"is out of range (at most {MAX_NUMBER:g} in magnitude), got "
                         f"{_short(value)}")
                return default
            if float in kinds and isinstance(value, int):
                return float(value)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            self.err((*path, key), f"must be {names}, got {type(value).__name__} {_short(value)}")
            return default
        return value

    def text(self, obj: dict, path: tuple, key: str, required: bool = True) -> Text | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.err((*path, key), "is required (a {zh: …, en: …} text)")
            return None
        p = (*path, key)
        if not isinstance(value, dict):
            self.err(p, f"must be a text with zh and en, got {type(value).__name__}")
            return None
        ok = True
        for lang in ("zh", "en"):
            s = value.get(lang)
            if not isinstance(s, str) or not s.strip():
                self.err((*p, lang), f"missing {'Chinese' if lang == 'zh' else 'English'} translation")
                ok = False
        if ok and not _CJK_RE.search(value["zh"]):
            self.err((*p, "zh"), "Chinese text contains no Chinese characters (untranslated?)")
        for extra in sorted(set(value) - {"zh", "en"}):
            self.err((*p, extra), "unknown language (only zh and en)")
        return Text(value["zh"].strip(), value["en"].strip()) if ok else None

    def items(self, obj: dict, path: tuple, key: str, required: bool = False) -> list[tuple[tuple, Any]]:
        value = self.get(obj, path, key, list, required=required, default=[])
        return [((*path, key, i), v) for i, v in enumerate(value)]

    def mapping(self, value: Any, path: tuple) -> dict | None:
        if not isinstance(value, dict):
            self.err(path, f"must be a mapping, got {type(value).__name__}")
            return None
        return value

    def unknown_keys(self, obj: dict, path: tuple, allowed: set[str]) -> None:
        for k in obj:
            if k not in allowed:
                self.err((*path, k), f"unknown field (allowed: {', '.join(sorted(allowed))})")

    def ident(self, obj: dict, path: tuple, key: str = "id") -> str | None:
        v = self.get(obj, path, key, str)
        if v is not None and not _ID_RE.match(v):
            self.err((*path, key), f"id {_short(v)} must be lower-case letters, digits, '_', '-', '.'")
            return None
        return v

    def role(self, value: Any, path: tuple) -> str | None:
        if not isinstance(value, str) or value not in ROLES:
            self.err(path, f"unknown role {_short(value)} (roles are those of the plant roster, e.g. shift_supervisor)")
            return None
        return value

    def roles(self, obj: dict, path: tuple, key: str, required: bool = False) -> tuple[str, ...]:
        value = obj.get(key)
        if value is None:
            if required:
                self.err((*path, key), "is required")
            return ()
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list):
            self.err((*path, key), "must be a role or a list of roles")
            return ()
        out = [self.role(v, (*path, key) if isinstance(value, str) else (*path, key, i))
               for i, v in enumerate(values)]
        return tuple(r for r in out if r)

    def level(self, value: Any, path: tuple) -> str | None:
        if value not in LEVELS:
            self.err(path, f"unknown level {_short(value)} (L1, L2, L3 or L4)")
            return None
        return value

    def seconds(self, obj: dict, path: tuple, key: str, required: bool = True, default=None) -> float | None:
        v = self.get(obj, path, key, float, required=required, default=default)
        if v is not None and v < 0:
            self.err((*path, key), f"must be ≥ 0 seconds, got {v}")
            return None
        if v is not None and v > MAX_SECONDS:
            self.err((*path, key), f"must be at most {MAX_SECONDS:.0f} seconds (a year), got {v:g}")
            return None
        return v

    def count(self, obj: dict, path: tuple, key: str, lo: int, hi: int, default: int) -> int | None:
        """A whole number in [lo, hi] (default when absent); None after an error."""
        v = self.get(obj, path, key, int, required=False, default=default)
        if v is not None and not lo <= v <= hi:
            self.err((*path, key), f"must be between {lo} and {hi}, got {v}")
            return None
        return v


TOP_KEYS = {"id", "version", "title", "plan_type", "category", "scenario", "summary", "substances", "triggers",
            "levels", "tasks", "contacts", "supplies", "notice_template", "reporting", "escalation_s",
            "command_ack_s"}


def validate_text(text: str, file: str) -> tuple[Plan | None, list[PlanError]]:
    """Validate YAML ``text`` (named ``file`` in messages); the plan, or None with the errors."""
    try:
        data, lines = load_with_lines(text)
    except YamlProblem as exc:
        return None, [PlanError(file, exc.line, "", str(exc))]
    c = _Checker(file, lines)
    if data is None:
        c.err((), "the file is empty")
        return None, c.errors
    if not isinstance(data, dict):
        c.err((), f"a plan file must hold one mapping, got {type(data).__name__}")
        return None, c.errors
    plan = _check_plan(c, data)
    return (plan if not c.errors else None), c.errors


def validate_file(path: str | Path) -> tuple[Plan | None, list[PlanError]]:
    """Validate one plan file; the plan (with ``source`` set), or None with the errors."""
    path = Path(path)
    try:
        text = read_text(path, MAX_YAML_BYTES, encoding="utf-8")
    except InputProblem as exc:
        return None, [PlanError(str(path), None, "", f"cannot read: {exc}")]
    except OSError as exc:
        why = describe_missing(path) if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
        return None, [PlanError(str(path), None, "", f"cannot read: {why}")]
    plan, errors = validate_text(text, str(path))
    if plan is not None:
        from dataclasses import replace
        plan = replace(plan, source=path)
    return plan, errors


def _check_plan(c: _Checker, d: dict) -> Plan | None:
    c.unknown_keys(d, (), TOP_KEYS)
    pid = c.ident(d, ())
    version = c.count(d, (), "version", 1, 1_000_000, default=1)
    title = c.text(d, (), "title")
    summary = c.text(d, (), "summary")
    plan_type = c.get(d, (), "plan_type", str)
    if plan_type is not None and plan_type not in PLAN_TYPES:
        c.err(("plan_type",), f"unknown plan type {_short(plan_type)} ({', '.join(sorted(PLAN_TYPES))})")
    category = c.get(d, (), "category", str)
    if category is not None and category not in CATEGORIES:
        c.err(("category",), f"unknown category {_short(category)} ({', '.join(sorted(CATEGORIES))})")
    scenario = c.get(d, (), "scenario", str)
    substances = []
    for p, s in c.items(d, (), "substances"):
        n = normalise_substance(s) if isinstance(s, str) else None
        if n is None:
            c.err(p, f"unknown substance {_short(s)} (a formula such as H2S or a CAS number)")
        else:
            substances.append(n)
    escalation_s = c.seconds(d, (), "escalation_s", required=False, default=120.0)
    command_ack_s = c.seconds(d, (), "command_ack_s", required=False, default=120.0)

    contacts = _check_contacts(c, d)
    contact_ids = {x.id for x in contacts}
    levels = _check_levels(c, d, contact_ids)
    triggers = _check_triggers(c, d, levels)
    tasks = _check_tasks(c, d, levels)
    supplies = _check_supplies(c, d)
    notice = _check_notice(c, d)
    reporting = _check_reporting(c, d, levels, contact_ids)
    if c.errors:
        return None
    return Plan(id=pid, version=version, title=title, plan_type=plan_type, category=category, scenario=scenario,
                summary=summary, substances=tuple(substances), triggers=tuple(triggers), levels=levels,
                tasks=tuple(tasks), contacts=tuple(contacts), supplies=tuple(supplies), notice_template=notice,
                reporting=tuple(reporting), escalation_s=escalation_s, command_ack_s=command_ack_s)


def _check_contacts(c: _Checker, d: dict) -> list[Contact]:
    out, seen = [], set()
    for p, raw in c.items(d, (), "contacts"):
        x = c.mapping(raw, p)
        if x is None:
            continue
        c.unknown_keys(x, p, {"id", "name", "phone", "kind"})
        cid, name = c.ident(x, p), c.text(x, p, "name")
        phone = c.get(x, p, "phone", (str, int))
        kind = c.get(x, p, "kind", str)
        if kind is not None and kind not in CONTACT_KINDS:
            c.err((*p, "kind"), f"unknown contact kind {_short(kind)} ({', '.join(sorted(CONTACT_KINDS))})")
        if cid in seen:
            c.err((*p, "id"), f"duplicate contact id {_short(cid)}")
        seen.add(cid)
        if cid and name and phone is not None and kind:
            out.append(Contact(cid, name, str(phone), kind))
    return out


def _check_levels(c: _Checker, d: dict, contact_ids: set[str]) -> dict[str, LevelSpec]:
    raw = c.get(d, (), "levels", dict)
    out: dict[str, LevelSpec] = {}
    if raw is None:
        return out
    if not raw:
        c.err(("levels",), "defines no level")
    for name, spec in raw.items():
        p = ("levels", name)
        if c.level(name, p) is None:
            continue
        spec = c.mapping(spec, p)
        if spec is None:
            continue
        c.unknown_keys(spec, p, {"commander", "notify", "evacuation", "agencies", "description"})
        if not spec.get("commander"):
            c.err((*p, "commander"), f"level {name} has no commander")
        commander = c.roles(spec, p, "commander")
        notify = c.roles(spec, p, "notify")
        desc = c.text(spec, p, "description")
        evac = _check_evacuation(c, spec, p)
        agencies = []
        for ap, a in c.items(spec, p, "agencies"):
            if a not in contact_ids:
                c.err(ap, f"agency {_short(a)} is not among the plan's contacts")
            else:
                agencies.append(a)
        if commander and desc and evac:
            out[name] = LevelSpec(name, commander, notify, evac, tuple(agencies), desc)
    return out


def _check_evacuation(c: _Checker, spec: dict, p: tuple) -> Evacuation | None:
    ev = spec.get("evacuation")
    if ev is None:
        c.err((*p, "evacuation"), "is required ({scope: none|zone|radius|site, radius_m: …})")
        return None
    ep = (*p, "evacuation")
    if isinstance(ev, str):
        ev = {"scope": ev}
    ev = c.mapping(ev, ep)
    if ev is None:
        return None
    c.unknown_keys(ev, ep, {"scope", "radius_m"})
    scope = c.get(ev, ep, "scope", str)
    if scope is None:
        return None
    if scope not in EVACUATION_SCOPES:
        c.err((*ep, "scope"), f"unknown evacuation scope {_short(scope)} (none, zone, radius, site)")
        return None
    radius = c.get(ev, ep, "radius_m", float, required=scope == "radius")
    if radius is not None and not 0 < radius <= MAX_RADIUS_M:
        c.err((*ep, "radius_m"), f"must be > 0 and at most {MAX_RADIUS_M:g} metres, got {radius:g}")
        return None
    return Evacuation(scope, radius)


def _check_triggers(c: _Checker, d: dict, levels: dict[str, LevelSpec]) -> list[Trigger]:
    out, seen = [], set()
    items = c.items(d, (), "triggers", required=True)
    if not items and "triggers" in d:
        c.err(("triggers",), "needs at least one trigger (a manual one at least)")
    for p, raw in items:
        t = c.mapping(raw, p)
        if t is None:
            continue
        c.unknown_keys(t, p, {"id", "kind", "level", "auto_launch", "description", "sensor_kind", "substance",
                              "threshold", "unit", "min_detectors", "duration_s",
                              "comparison"})
        tid, kind = c.ident(t, p), c.get(t, p, "kind", str)
        level = c.level(t.get("level"), (*p, "level"))
        if level and levels and level not in levels:
            c.err((*p, "level"), f"proposes level {level}, which the plan does not define")
        auto = c.get(t, p, "auto_launch", bool, required=False, default=False)
        desc = c.text(t, p, "description")
        if tid in seen:
            c.err((*p, "id"), f"duplicate trigger id {_short(tid)}")
        seen.add(tid)
        if kind == "manual":
            if tid and level and desc:
                out.append(Trigger(tid, "manual", level, bool(auto), desc))
            continue
        if kind != "sensor":
            c.err((*p, "kind"), f"unknown trigger kind {_short(kind)} (sensor or manual)")
            continue
        sk = c.get(t, p, "sensor_kind", str)
        if sk is not None and sk not in SENSOR_KINDS:
            c.err((*p, "sensor_kind"), f"unknown sensor kind {_short(sk)} ({', '.join(sorted(SENSOR_KINDS))})")
        sub = t.get("substance")
        subst = None
        if sub is not None:
            subst = normalise_substance(str(sub))
            if subst is None:
                c.err((*p, "substance"), f"unknown substance {_short(sub)}")
        elif sk == "gas":
            c.err((*p, "substance"), "a gas trigger must name its substance")
        threshold = c.get(t, p, "threshold", float)
        unit = c.get(t, p, "unit", str, required=sk == "gas")
        comparison = c.get(t, p, "comparison", str, required=False, default=">=")
        if comparison not in (">=", "<="):
            c.err((*p, "comparison"), f"must be '>=' or '<=', got {_short(comparison)}")
        if unit is not None and unit not in SENSOR_UNITS:
            c.err((*p, "unit"), f"unknown unit {_short(unit)} ({', '.join(sorted(SENSOR_UNITS))})")
        n = c.count(t, p, "min_detectors", 1, 1000, default=1)
        dur = c.seconds(t, p, "duration_s", required=False, default=0.0)
        if None not in (tid, level, desc, sk, threshold, n, dur) and sk in SENSOR_KINDS and comparison in (">=", "<="):
            out.append(Trigger(tid, "sensor", level, bool(auto), desc, sk, subst, threshold, unit, n, dur, comparison))
    return out


def _check_tasks(c: _Checker, d: dict, levels: dict[str, LevelSpec]) -> list[Task]:
    out: list[Task] = []
    where: dict[str, tuple] = {}
    raw_deps: dict[str, list[tuple[tuple, str]]] = {}
    items = c.items(d, (), "tasks", required=True)
    if not items and "tasks" in d:
        c.err(("tasks",), "a plan needs at least one task")
    lowest = min((level_rank(lv) for lv in levels), default=1)
    for p, raw in items:
        t = c.mapping(raw, p)
        if t is None:
            continue
        c.unknown_keys(t, p, {"id", "title", "role", "alternates", "level", "deadline_s", "depends_on",
                              "qualifications", "resources", "checklist", "evidence"})
        tid, title = c.ident(t, p), c.text(t, p, "title")
        role = c.role(t.get("role"), (*p, "role")) if "role" in t else c.err((*p, "role"), "is required")
        alternates = c.roles(t, p, "alternates")
        level = c.level(t.get("level"), (*p, "level"))
        if level and levels and level_rank(level) < lowest:
            c.err((*p, "level"), f"applies from {level}, below the plan's lowest level")
        deadline = c.seconds(t, p, "deadline_s")
        if deadline is not None and deadline <= 0:
            c.err((*p, "deadline_s"), "must be > 0 seconds after launch")
        quals = []
        for qp, q in c.items(t, p, "qualifications"):
            if q not in QUALIFICATIONS:
                c.err(qp, f"unknown qualification {_short(q)} ({', '.join(QUALIFICATIONS)})")
            else:
                quals.append(q)
        resources = []
        for rp, r in c.items(t, p, "resources"):
            kind, qty = (r, 1) if isinstance(r, str) else ((r.get("kind"), r.get("quantity", 1))
                                                             if isinstance(r, dict) else (None, None))
            if kind not in RESOURCE_KINDS:
                c.err(rp, f"unknown resource kind {_short(kind)} ({', '.join(sorted(RESOURCE_KINDS))})")
            elif not isinstance(qty, int) or isinstance(qty, bool) or not 1 <= qty <= MAX_QUANTITY:
                c.err(rp, f"quantity must be a whole number from 1 to {MAX_QUANTITY}, got {_short(qty)}")
            else:
                resources.append(ResourceNeed(kind, qty))
        checklist = [c.text({"x": v}, ip, "x") for ip, v in c.items(t, p, "checklist")]
        evidence = [c.text({"x": v}, ip, "x") for ip, v in c.items(t, p, "evidence")]
        deps = []
        for dp, dep in c.items(t, p, "depends_on"):
            if isinstance(dep, str) and dep:
                deps.append((dp, dep))
            else:
                c.err(dp, f"a dependency must be a task id (text), got {_short(dep)}")
        if tid in where:
            c.err((*p, "id"), f"duplicate task id {_short(tid)} (first on line {c.line(where[tid])})")
            continue
        if tid:
            where[tid] = p
            raw_deps[tid] = [(dp, dep) for dp, dep in deps]
        if None in (tid, title, role, level, deadline):
            continue
        out.append(Task(tid, title, role, level, deadline, alternates, tuple(str(x) for _, x in deps), tuple(quals),
                        tuple(resources), tuple(x for x in checklist if x), tuple(x for x in evidence if x)))
    by_id = {t.id: t for t in out}
    for tid, deps in raw_deps.items():
        for dp, dep in deps:
            if dep not in where:
                c.err(dp, f"depends on unknown task {_short(dep)}")
            elif dep == tid:
                c.err(dp, "a task cannot depend on itself")
            elif tid in by_id and dep in by_id:
                me, other = by_id[tid], by_id[dep]
                if me.deadline_s < other.deadline_s:
                    c.err((*where[tid], "deadline_s"), f"deadline {me.deadline_s:g} s is earlier than that of its "
                          f"dependency {_short(dep)} ({other.deadline_s:g} s)")
                if level_rank(other.level) > level_rank(me.level):
                    c.err(dp, f"depends on {_short(dep)}, which only applies from {other.level} (this task from "
                          f"{me.level})")
    _check_cycles(c, raw_deps, where)
    return out


def _check_cycles(c: _Checker, deps: dict[str, list[tuple[tuple, str]]], where: dict[str, tuple]) -> None:
    graph = {t: [d for _, d in ds if d in deps and d != t] for t, ds in deps.items()}
    colour: dict[str, int] = {}
    reported: set[frozenset] = set()

    def visit(node: str, stack: list[str]) -> None:
        colour[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            if colour.get(nxt) == 1:
                cycle = stack[stack.index(nxt):]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    c.err((*where[nxt], "depends_on"), "dependency cycle: " + " → ".join([*cycle, nxt]))
            elif nxt not in colour:
                visit(nxt, stack)
        stack.pop()
        colour[node] = 2

    for node in graph:
        if node not in colour:
            visit(node, [])


def _check_supplies(c: _Checker, d: dict) -> list[Supply]:
    out = []
    for p, raw in c.items(d, (), "supplies"):
        s = c.mapping(raw, p)
        if s is None:
            continue
        c.unknown_keys(s, p, {"kind", "quantity", "note"})
        kind = c.get(s, p, "kind", str)
        if kind is not None and kind not in RESOURCE_KINDS:
            c.err((*p, "kind"), f"unknown resource kind {_short(kind)} ({', '.join(sorted(RESOURCE_KINDS))})")
            kind = None
        qty = c.count(s, p, "quantity", 1, MAX_QUANTITY, default=1)
        note = c.text(s, p, "note", required=False)
        if kind and qty:
            out.append(Supply(kind, qty, note))
    return out


def _check_notice(c: _Checker, d: dict) -> Text | None:
    notice = c.text(d, (), "notice_template")
    if notice is None:
        return None
    for lang in ("zh", "en"):
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(notice.get(lang)) if f is not None}
        except ValueError as exc:
            c.err(("notice_template", lang), f"bad placeholder syntax: {exc}")
            continue
        for name in sorted(names - NOTICE_PLACEHOLDERS):
            c.err(("notice_template", lang), f"unknown placeholder {{{name}}} "
                  f"(allowed: {', '.join('{' + n + '}' for n in sorted(NOTICE_PLACEHOLDERS))})")
    return notice


def _check_reporting(c: _Checker, d: dict, levels: dict[str, LevelSpec], contact_ids: set[str]) -> list[Reporting]:
    out = []
    for p, raw in c.items(d, (), "reporting"):
        r = c.mapping(raw, p)
        if r is None:
            continue
        c.unknown_keys(r, p, {"id", "authority", "level", "deadline_s", "role", "alternates", "description"})
        rid = c.ident(r, p)
        auth = c.get(r, p, "authority", str)
        if auth is not None and auth not in contact_ids:
            c.err((*p, "authority"), f"authority {_short(auth)} is not among the plan's contacts")
        level = c.level(r.get("level"), (*p, "level"))
        deadline = c.seconds(r, p, "deadline_s")
        role = c.role(r.get("role"), (*p, "role"))
        alternates = c.roles(r, p, "alternates")
        desc = c.text(r, p, "description")
        if None not in (rid, auth, level, deadline, role, desc):
            out.append(Reporting(rid, auth, level, deadline, role, alternates, desc))
    return out
