"""Restoring the screen from the log: the incident header and everyone's last position and status."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from commandcenter.cli import main
from commandcenter.services.incident_view import load_incident_view, positions_from_view
from commandcenter.store import StoreError
from gis.positions import PersonStatus, PositionStore
from tests.conftest import DEMO_PLANT, REPO

TABLETOP = REPO / "data" / "scripts" / "h2s-tabletop.yaml"


@pytest.fixture(scope="module")
def tabletop_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("log") / "drill.db"
    assert main(["incident", "play", str(TABLETOP), "--plant", str(DEMO_PLANT), "--db", str(db)]) == 0
    return db


def test_view_reads_the_newest_incident_as_it_stands(tabletop_db: Path) -> None:
    view = load_incident_view(tabletop_db)
    assert view.incident_id == "H2S-TT-2026-001"
    assert view.exercise is True
    assert view.level == "L3"
    assert view.plans == ["h2s-release"]
    assert view.sos == ["E0115"]
    assert view.time is not None
    assert view.time.utcoffset() is not None
    assert view.people["E0115"]["sos"] is True


def test_view_at_an_earlier_time_is_the_earlier_screen(tabletop_db: Path) -> None:
    early = load_incident_view(tabletop_db, "H2S-TT-2026-001",
                               at=load_incident_view(tabletop_db).time.replace(hour=9, minute=1, second=0))
    assert early.plans == []
    assert early.seq < load_incident_view(tabletop_db).seq


def test_positions_overlay_the_log_on_the_population(tabletop_db: Path, demo_plant) -> None:
    base = PositionStore.from_population(demo_plant)
    view = load_incident_view(tabletop_db)
    store = positions_from_view(view, base)
    assert set(base.ids) <= set(store.ids)
    sos = store.rows(["E0115"])[0]
    assert store.status[sos] == PersonStatus.MUSTERED  # rescued after the SOS: accounted for
    assert (store.x[sos], store.y[sos]) == pytest.approx((view.people["E0115"]["x"], view.people["E0115"]["y"]))
    mustered = [pid for pid, p in view.people.items() if p["status"] == "mustered"]
    assert mustered
    assert np.all(store.status[store.rows(mustered)] == PersonStatus.MUSTERED)
    untouched = [pid for pid in base.ids if pid not in view.people][:20]
    np.testing.assert_array_equal(store.x[store.rows(untouched)], base.x[base.rows(untouched)])
    assert np.all(base.status == PersonStatus.ON_SITE)  # the base is not changed


def test_a_missing_log_or_incident_is_named(tmp_path: Path, tabletop_db: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nowhere\.db"):
        load_incident_view(tmp_path / "nowhere.db")
    with pytest.raises(StoreError, match="NOPE"):
        load_incident_view(tabletop_db, "NOPE")


def test_an_sos_shows_as_injured_until_the_person_is_mustered(tabletop_db: Path) -> None:
    final = load_incident_view(tabletop_db)
    assert final.people["E0115"]["sos"] is True
    for minute in range(1, 26):
        view = load_incident_view(tabletop_db, at=final.time.replace(minute=minute, second=0))
        person = view.people.get("E0115")
        if person and person["sos"] and person["status"] != "mustered":
            store = positions_from_view(view)
            assert store.status[store.rows(["E0115"])[0]] == PersonStatus.INJURED
            return
    pytest.fail("the tabletop never shows E0115 in distress before being mustered")
