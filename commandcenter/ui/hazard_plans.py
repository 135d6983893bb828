"""Which plan an assessment proposes, and what its launch carries: Qt-free helpers of the hazard tools.

The plan is the one written for the released substance (``substances:`` of the plan YAML, names resolved
through the substance library): a release plan (``toxic_release`` / ``flammable_release``) before an
on-site one, a special plan before a general one, the most specific (fewest substances) first. A flammable
gas without toxic thresholds and without a plan of its own falls back to the flammable-release plan. A
toxic substance without a plan gets none: the commander chooses, rather than running a plan written for
another gas.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from gis.hazards.library import library

RELEASE_CATEGORIES = ("toxic_release", "flammable_release")


@functools.lru_cache(maxsize=4)
def _library_plans(plans_dir: str) -> dict[str, Any]:
    from plans.library import load_library, valid_plans

    return valid_plans(load_library(Path(plans_dir))) if Path(plans_dir).is_dir() else {}


def plans_of(runtime: Any = None) -> dict[str, Any]:
    """The valid plans an incident runs on: its plans engine's library, else the library it recorded
    (``incident.opened.plans_dir``), else the bundled one. Plan id → :class:`plans.model.Plan`."""
    host = getattr(runtime, "plans", None)
    plans = getattr(host, "plans", None)
    if plans:
        return dict(plans)
    from commandcenter.runtime.plan_host import default_plans_dir

    recorded = (getattr(runtime, "opened", None) or {}).get("plans_dir")
    folder = recorded if recorded and Path(recorded).is_dir() else default_plans_dir()
    return _library_plans(str(folder))


def _keys(plan: Any) -> set[str]:
    out = set()
    for s in getattr(plan, "substances", ()):
        entry = library().find(s)
        out.add(entry.key if entry is not None else s)
    return out


def proposed_plan(plans: dict[str, Any], substance: str | None) -> Any:
    """The plan of ``plans`` written for ``substance`` (see the module docstring), or None."""
    entry = library().find(substance) if substance else None
    key = entry.key if entry is not None else substance
    if not key:
        return None

    def rank(p: Any) -> tuple:
        return (p.category not in RELEASE_CATEGORIES, p.plan_type != "special", len(p.substances), p.id)

    fits = sorted((p for p in plans.values() if key in _keys(p)), key=rank)
    if fits:
        return fits[0]
    if entry is not None and entry.value("lel") is not None and entry.guideline() is None:
        flammable = sorted((p for p in plans.values() if p.category == "flammable_release"), key=rank)
        return flammable[0] if flammable else None
    return None


def launch_context(entry: dict[str, Any]) -> dict[str, float]:
    """The radii a launch carries from a recorded assessment (``state["hazard"]["current"]``): ``cordon_m``
    and ``evacuation_m`` in metres, only those the zones gave (none beyond 10 km)."""
    from commandcenter.services.launch_preview import assessed_radii

    return assessed_radii({"hazard": {"current": entry}})


def clamp_level(plan: Any, level: str | None) -> str | None:
    """``level`` when ``plan`` defines it, else the plan's highest level below it, else its lowest."""
    from vocabulary.events import LEVELS

    names = [v for v in LEVELS if v in getattr(plan, "levels", {})]
    if not names:
        return level
    if level in names:
        return level
    rank = LEVELS.index(level) if level in LEVELS else 0
    below = [v for v in names if LEVELS.index(v) <= rank]
    return below[-1] if below else names[0]
