"""A directory of plan files: each validated on its own, so one broken file never hides the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gis.safe_input import MAX_YAML_BYTES, read_text
from plans.model import Plan
from plans.validation import PlanError, validate_file
from plans.vocabulary import LEVELS
from plans.yaml_nodes import YamlProblem, load_with_lines

PLAN_SUFFIXES = (".yaml", ".yml")


@dataclass
class PlanEntry:
    """One plan file: the plan when valid, else None and its errors; ``raw_id``/``raw_title`` are what
    could be read from an invalid file (for listing)."""

    path: Path
    plan: Plan | None
    errors: list[PlanError] = field(default_factory=list)
    raw_id: str | None = None
    raw_title: dict[str, str] = field(default_factory=dict)
    raw_levels: list[str] = field(default_factory=list)
    raw_tasks: int = 0

    @property
    def valid(self) -> bool:
        """True when the plan validated (and so may be launched)."""
        return self.plan is not None and not self.errors

    @property
    def id(self) -> str:
        """The plan id, or the file stem when it cannot be read."""
        return self.plan.id if self.plan else (self.raw_id or self.path.stem)

    def summary(self) -> dict[str, Any]:
        """The JSON row of ``commandcenter plans list --json``."""
        p = self.plan
        title = p.title.to_dict() if p else {"zh": self.raw_title.get("zh", ""), "en": self.raw_title.get("en", "")}
        return {
            "id": self.id,
            "file": str(self.path),
            "title": title,
            "title_zh": title["zh"],
            "title_en": title["en"],
            "category": p.category if p else None,
            "plan_type": p.plan_type if p else None,
            "levels": p.level_names if p else self.raw_levels,
            "tasks": len(p.tasks) if p else self.raw_tasks,
            "valid": self.valid,
            "errors": [e.to_dict() for e in self.errors],
        }


def plan_files(directory: str | Path) -> list[Path]:
    """Every name ending ``.yaml``/``.yml`` directly in ``directory``, sorted: regular files and also
    whatever cannot be read (a dangling link, a FIFO, a folder so named), so that it is reported as an
    invalid entry rather than silently left out of the library."""
    d = Path(directory)
    return sorted(p for p in d.iterdir() if p.suffix.lower() in PLAN_SUFFIXES and not p.name.startswith("."))


def load_library(directory: str | Path) -> list[PlanEntry]:
    """Validate every plan file in ``directory``; duplicate plan ids make both files invalid.

    Raises ``NotADirectoryError`` when ``directory`` is not a directory.
    """
    d = Path(directory)
    if not d.is_dir():
        raise NotADirectoryError(f"{d}: not a directory of plan files")
    entries = []
    for path in plan_files(d):
        plan, errors = validate_file(path)
        entry = PlanEntry(path, plan, list(errors))
        if plan is None:
            entry.raw_id, entry.raw_title, entry.raw_levels, entry.raw_tasks = _peek(path)
        entries.append(entry)
    by_id: dict[str, PlanEntry] = {}
    for e in entries:
        if e.plan is None:
            continue
        if e.plan.id in by_id:
            first = by_id[e.plan.id]
            for a, b in ((e, first), (first, e)):
                a.errors.append(PlanError(str(a.path), 1, "id", f"plan id {e.plan.id!r} is also used by {b.path}"))
        else:
            by_id[e.plan.id] = e
    return entries


def valid_plans(entries: list[PlanEntry]) -> dict[str, Plan]:
    """The launchable plans of a library, by id."""
    return {e.plan.id: e.plan for e in entries if e.valid}


def _peek(path: Path) -> tuple[str | None, dict[str, str], list[str], int]:
    """Best-effort id, title, levels and task count of a file that did not validate."""
    try:
        data, _ = load_with_lines(read_text(path, MAX_YAML_BYTES, encoding="utf-8"))
    except (OSError, ValueError, YamlProblem):
        return None, {}, [], 0
    if not isinstance(data, dict):
        return None, {}, [], 0
    pid = data.get("id")[:128] if isinstance(data.get("id"), str) else None
    t = data.get("title")
    title = {k: t[k][:200] for k in ("zh", "en") if isinstance(t, dict) and isinstance(t.get(k), str)}
    lv = data.get("levels")
    levels = [x for x in LEVELS if isinstance(lv, dict) and x in lv]
    tasks = len(data["tasks"]) if isinstance(data.get("tasks"), list) else 0
    return pid, title, levels, tasks
