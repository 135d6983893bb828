"""Where bundled data lives (the demo plant, plan library) relative to the source tree."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
DEMO_PLANT = DATA_DIR / "demo_plant"


def default_plant() -> Path | None:
    """The bundled demo plant, when this is a source checkout that has it."""
    return DEMO_PLANT if DEMO_PLANT.exists() else None
