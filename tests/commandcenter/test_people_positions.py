"""The people model's positions and statuses from the personnel projection, built as arrays (issue 17: a
2,000-person replay frame), against a per-person reference written out here one person at a time."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.services.people import positions_from_people, status_code, status_codes
from gis.positions import PersonStatus, PositionStore

NAMES = ["on_site", "evacuating", "mustered", "sheltered", "missing", "injured", "off_site", "unknown", "MUSTERED",
         "Evacuating", "walking", "", None, 3]


def reference_code(p: dict) -> int:
    """The rule of the map, one person: mustered (exactly that word) wins over an SOS; an SOS shows as injured;
    else the status by name in any case; an unknown name is on site."""
    name = p.get("status") or "on_site"
    if p.get("sos") and name != "mustered":
        return int(PersonStatus.INJURED)
    for s in PersonStatus:
        if str(name).upper() == s.name:
            return int(s)
    return int(PersonStatus.ON_SITE)


person = st.fixed_dictionaries({
    "status": st.sampled_from(NAMES),
    "sos": st.sampled_from([True, False, None, 0, 1]),
    "x": st.one_of(st.none(), st.floats(-1e4, 1e4)),
    "y": st.one_of(st.none(), st.floats(-1e4, 1e4)),
    "t": st.one_of(st.none(), st.integers(0, 2_000_000_000_000_000)),
})


@settings(max_examples=150, deadline=None)
@given(st.lists(person, max_size=40))
def test_status_codes_of_everyone_equal_the_rule_applied_person_by_person(people):
    codes = status_codes(people)
    assert codes.dtype == np.int8
    assert codes.tolist() == [reference_code(p) for p in people]
    assert codes.tolist() == [status_code(p) for p in people]


@settings(max_examples=100, deadline=None)
@given(st.lists(person, max_size=30), st.integers(0, 12), st.integers(0, 8))
def test_positions_put_the_logs_last_reports_over_the_population_file(people, n_base, overlap):
    base_ids = [f"B{i}" for i in range(n_base)]
    base = PositionStore(base_ids)
    base.update(base_ids, np.arange(n_base, dtype=float), -np.arange(n_base, dtype=float), 0.0, PersonStatus.ON_SITE)
    ids = [*base_ids[:overlap], *(f"L{i}" for i in range(len(people)))][:len(people)]
    log = dict(zip(ids, people, strict=False))
    store = positions_from_people(log, base)
    expected_ids = list(dict.fromkeys([*base_ids, *log]))
    assert store.ids.tolist() == expected_ids
    for row, pid in enumerate(expected_ids):
        p = log.get(pid)
        if p is not None and p["x"] is not None and p["y"] is not None:
            want = (p["x"], p["y"], (p["t"] or 0) / 1e6)
        elif pid in base_ids:
            k = base_ids.index(pid)
            want = (float(k), -float(k), 0.0)
        else:
            want = (math.nan, math.nan, math.nan)
        got = (store.x[row], store.y[row], store.updated_s[row])
        assert np.allclose(got, want, equal_nan=True, rtol=0, atol=0), pid
        code = reference_code(p) if p is not None else int(PersonStatus.ON_SITE)
        assert int(store.status[row]) == code, pid
    assert base.ids.tolist() == base_ids  # the base is not changed
    assert np.allclose(base.x, np.arange(n_base))


def test_nobody_in_the_log_leaves_the_population_file_as_it_is():
    base = PositionStore(["A", "B"])
    base.update(["A", "B"], np.array([1.0, 2.0]), np.array([3.0, 4.0]), 0.0, PersonStatus.ON_SITE)
    store = positions_from_people({}, base)
    assert store.ids.tolist() == ["A", "B"]
    assert store.x.tolist() == [1.0, 2.0]
    assert status_codes([]).shape == (0,)
