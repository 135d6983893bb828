"""Loading a plant package for the UI: the loader's outcome as data, never an exception.

:func:`load_outcome` is a plain function with no Qt in it, so the main window can
call it directly today and hand it to a worker thread later without change.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from gis.issues import PlantError
from gis.loader import load_plant
from gis.plant import Plant

log = logging.getLogger(__name__)


@dataclass
class LoadOutcome:
    """What came of loading ``path``: the plant, or the error lines to show (one per problem)."""

    path: Path
    plant: Plant | None = None
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the plant loaded."""
        return self.plant is not None


def load_outcome(path: str | Path) -> LoadOutcome:
    """Load the plant package at ``path``; validation errors (and any unexpected failure, logged with
    its traceback) become error lines instead of an exception."""
    path = Path(path)
    start = time.perf_counter()
    outcome = LoadOutcome(path)
    try:
        outcome.plant = load_plant(path)
    except PlantError as exc:
        outcome.errors = [str(issue) for issue in exc.errors] or [str(exc)]
    except Exception as exc:  # a UI boundary: show the problem, do not crash the window
        log.exception("loading %s failed", path)
        outcome.errors = [f"{path}: {type(exc).__name__}: {exc}"]
    outcome.seconds = time.perf_counter() - start
    return outcome
