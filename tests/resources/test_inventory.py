"""The inventory: quantities, states, expiry and inspection dates, and the warnings at load."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gis.issues import PlantError
from gis.loader import load_plant
from resources.inventory import load_inventory
from tests.conftest import DEMO_PLANT

from .conftest import TODAY
from .plants import write_plant


def _codes(inv) -> dict[tuple[str | None, str], str]:
    return {(w.feature, w.code): w.message for w in inv.issues}


def test_detour_inventory_warnings_by_hand(detour):
    inv = load_inventory(detour, TODAY)
    codes = _codes(inv)
    assert set(codes) == {("S4", "expired"), ("X1", "inspection-overdue"), ("K1", "not-ready"),
                          (None, "no-inspection-record")}
    assert "2024-01-31" in codes[("S4", "expired")]
    # X1 inspected 2026-09-01; extinguishers every 30 days (NFPA 10): due 2026-10-01, 60 days before TODAY
    assert inv.inspection_due[inv.row["X1"]] == dt.date(2026, 10, 1)
    assert "60 days overdue" in codes[("X1", "inspection-overdue")]
    assert "4 items" in codes[(None, "no-inspection-record")]  # the four SCBA sets; other kinds have no default
    assert inv.usable.tolist() == [True, True, True, False, True, False, True]


@pytest.mark.parametrize(("today", "expired", "expiring"), [
    (dt.date(2029, 12, 1), False, False),   # 31 days before the last valid day
    (dt.date(2029, 12, 3), False, True),    # 29 days before
    (dt.date(2030, 1, 1), False, True),     # the last valid day itself
    (dt.date(2030, 1, 2), True, False),     # the day after
])
def test_expiry_boundaries(detour, today, expired, expiring):
    inv = load_inventory(detour, today)
    codes = {c for f, c in _codes(inv) if f == "S1"}
    assert ("expired" in codes) is expired
    assert ("expiring" in codes) is expiring
    assert bool(inv.expired[inv.row["S1"]]) is expired


def test_next_inspection_and_interval_attributes(tmp_path):
    res = [({"id": "E1", "kind": "eyewash", "inspected": "2026-11-20"}, 10, -2),
           ({"id": "E2", "kind": "eyewash", "inspected": "2026-11-26"}, 20, -2),
           ({"id": "G1", "kind": "gas_detector", "quantity": 4, "inspected": "2026-06-01", "inspection_days": 180},
            30, -2),
           ({"id": "G2", "kind": "gas_detector", "next_inspection": "2026-12-31", "inspected": "2020-01-01",
             "inspection_days": 30}, 40, -2)]
    inv = load_inventory(load_plant(write_plant(tmp_path / "p", res)), TODAY)
    # eyewash weekly (ANSI Z358.1): E1 due 2026-11-27 (overdue on 11-30), E2 due 2026-12-03 (fine)
    assert inv.inspection_due == [dt.date(2026, 11, 27), dt.date(2026, 12, 3), dt.date(2026, 11, 28),
                                  dt.date(2026, 12, 31)]
    overdue = {w.feature for w in inv.issues if w.code == "inspection-overdue"}
    assert overdue == {"E1", "G1"}


@pytest.mark.parametrize(("props", "field", "text"), [
    ({"state": "broken"}, "state", "unknown value 'broken'"),
    ({"inspected": "last week"}, "inspected", "ISO date"),
    ({"next_inspection": "2026-13-01"}, "next_inspection", "ISO date"),
    ({"inspection_days": 0}, "inspection_days", "at least 1"),
    ({"inspection_days": 5000}, "inspection_days", "at most 3660"),
    ({"inspection_days": "NaN"}, "inspection_days", "finite"),
])
def test_bad_optional_attributes_are_refused_naming_item_and_field(tmp_path, props, field, text):
    res = [({"id": "S1", "kind": "scba", **props}, 150, 32), ({"id": "S2", "kind": "scba", "state": "bogus"}, 50, -3)]
    plant = load_plant(write_plant(tmp_path / "p", res))
    with pytest.raises(PlantError) as err:
        load_inventory(plant, TODAY)
    found = {(e.feature, e.field): e for e in err.value.errors}
    assert found[("S1", field)].code == "bad-value"
    assert text in found[("S1", field)].message
    assert ("S2", "state") in found  # every problem at once, not the first only


def test_demo_plant_expired_items_match_the_raw_file(demo_plant):
    raw = json.loads((DEMO_PLANT / "resources.geojson").read_text(encoding="utf-8"))["features"]
    expected = {f["properties"]["id"] for f in raw
                if f["properties"].get("expires") and dt.date.fromisoformat(f["properties"]["expires"]) < TODAY}
    soon = {f["properties"]["id"] for f in raw if f["properties"].get("expires")
            and 0 <= (dt.date.fromisoformat(f["properties"]["expires"]) - TODAY).days < 30}
    inv = load_inventory(demo_plant, TODAY)
    assert expected
    assert {w.feature for w in inv.issues if w.code == "expired"} == expected
    assert {w.feature for w in inv.issues if w.code == "expiring"} == soon
    assert int(inv.quantity.sum()) == sum(int(f["properties"].get("quantity", 1)) for f in raw)
    assert len(inv) == len(raw)
