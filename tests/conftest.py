"""Shared test set-up: headless Qt, the fixture plants, and a tmp copy helper."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
MINI_PLANT = REPO / "tests" / "fixtures" / "mini_plant"
DEMO_PLANT = REPO / "data" / "demo_plant"


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini test plant."""
    dst = tmp_path / "plant"
    shutil.copytree(MINI_PLANT, dst)
    return dst


@pytest.fixture(scope="session")
def mini_plant():
    """The mini test plant, loaded once."""
    from gis.loader import load_plant

    return load_plant(MINI_PLANT)


@pytest.fixture(scope="session")
def demo_plant():
    """The bundled demo plant, loaded once."""
    from gis.loader import load_plant

    return load_plant(DEMO_PLANT)
