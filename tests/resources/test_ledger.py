"""The resource ledger: the fold of resource.* events, free units, and drafts refused before recording."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resources import ledger
from resources.inventory import load_inventory
from vocabulary.events import validate

from .conftest import TODAY

T = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def inv(detour):
    return load_inventory(detour, TODAY)


def _fold(drafts):
    s = ledger.empty()
    for seq, d in enumerate(drafts, 1):
        validate(d.type, d.payload)
        ledger.apply(s, d.type, d.payload, seq * 1_000_000, seq)
    return s


def _free(inv, s, rid):
    return float(ledger.free_units(inv, s)[inv.row[rid]])


def test_take_use_return_by_hand(inv):
    s = ledger.empty()
    steps = [(ledger.take, "X1", 2, {"person_id": "F1"}), (ledger.use, "X1", 1, {"person_id": "F1"}),
             (ledger.give_back, "X1", 1, {"person_id": "F1", "state": "maintenance"})]
    free = []
    for fn, rid, q, kw in steps:
        d = fn(inv, s, rid, T, q, **kw)
        validate(d.type, d.payload)
        ledger.apply(s, d.type, d.payload, 0, 0)
        free.append(_free(inv, s, rid))
    # 3 on the shelf: take 2 -> 1 free; use 1 of them -> still 1 free (1 out); return it damaged -> still 1
    assert free == [1.0, 1.0, 1.0]
    assert s["items"]["X1"] == {"out": 0.0, "used": 1.0, "damaged": 1.0, "committed": 0.0, "holders": {}}


def test_dispatch_promises_units_until_taken(inv):
    s = _fold([ledger.dispatch(inv, None, "S1", T, to="entry", quantity=2, person_id="F1", x=1.0, y=2.0)])
    assert _free(inv, s, "S1") == 0.0
    with pytest.raises(ledger.ResourceError, match="only 0 of 2 are free"):
        ledger.dispatch(inv, s, "S1", T, to="entry")
    take = ledger.take(inv, s, "S1", T, 2, person_id="F1")  # the promised sets may be taken
    ledger.apply(s, take.type, take.payload)
    assert s["items"]["S1"]["committed"] == 0.0
    assert s["items"]["S1"]["out"] == 2.0
    assert _free(inv, s, "S1") == 0.0
    assert s["dispatched"]["S1"][0]["x"] == 1.0


@pytest.mark.parametrize(("call", "text"), [
    (lambda inv: ledger.take(inv, None, "S4", T), "S4 expired"),
    (lambda inv: ledger.take(inv, None, "K1", T), "K1 is maintenance"),
    (lambda inv: ledger.take(inv, None, "S1", T, 3), "3 taken but only 2"),
    (lambda inv: ledger.take(inv, None, "S1", T, 0), "from 1 to"),
    (lambda inv: ledger.take(inv, None, "S1", T, 1.5), "whole number"),
    (lambda inv: ledger.take(inv, None, "S1", T, float("nan")), "whole number"),
    (lambda inv: ledger.take(inv, None, "NOPE", T), "no resource 'NOPE'"),
    (lambda inv: ledger.give_back(inv, None, "S1", T), "only 0 are out"),
    (lambda inv: ledger.give_back(inv, None, "S1", T, state="lost"), "state must be one of"),
    (lambda inv: ledger.use(inv, None, "S1", T, 5), "5 used but only 2"),
    (lambda inv: ledger.dispatch(inv, None, "S1", T, to=" "), "say where to"),
    (lambda inv: ledger.dispatch(inv, None, "S1", T, to="x", x=float("inf"), y=0.0), "not a finite number"),
    (lambda inv: ledger.dispatch_unit(T, to="x", team="wizards"), "unknown team"),
    (lambda inv: ledger.dispatch_unit(T, to="x"), "either a team or a person"),
])
def test_impossible_changes_are_refused(inv, call, text):
    with pytest.raises(ledger.ResourceError, match=text):
        call(inv)


def test_unit_dispatches_and_requests_are_listed_not_counted(inv):
    s = _fold([ledger.dispatch_unit(T, to="gate", team="fire_brigade"),
               ledger.dispatch_unit(T, to="gate", person_id="M1", walk_s=42.0),
               ledger.request("scba", 2, T, deliver_to="G1", x=5.0, y=6.0, reason="short"),
               ledger.request("scba", 1, T, deliver_to="G1")])
    assert s["items"] == {}
    assert set(s["dispatched"]) == {"team:fire_brigade", "person:M1"}
    assert s["requested"] == {"scba": 3.0}
    assert [r["quantity"] for r in s["requests"]] == [2, 1]


_OPS = st.lists(st.tuples(st.sampled_from(["take", "use", "return", "return_bad", "dispatch"]),
                          st.sampled_from(["S1", "S2", "X1"]), st.integers(1, 3)), max_size=25)


@settings(max_examples=60, deadline=None)
@given(ops=_OPS)
def test_every_unit_is_somewhere_whatever_the_order(inv, ops):
    """Conservation: after any sequence of accepted changes, shelf + out + used + damaged + promised = stock."""
    s = ledger.empty()
    for op, rid, q in ops:
        try:
            if op == "take":
                d = ledger.take(inv, s, rid, T, q)
            elif op == "use":
                d = ledger.use(inv, s, rid, T, q)
            elif op == "dispatch":
                d = ledger.dispatch(inv, s, rid, T, to="there", quantity=q)
            else:
                d = ledger.give_back(inv, s, rid, T, q, state="ready" if op == "return" else "maintenance")
        except ledger.ResourceError:
            continue
        ledger.apply(s, d.type, d.payload)
    free = ledger.free_units(inv, s)
    for rid in ("S1", "S2", "X1"):
        it = s["items"].get(rid, {"out": 0, "used": 0, "damaged": 0, "committed": 0})
        stock = inv.quantity[inv.row[rid]]
        assert min(it["out"], it["used"], it["damaged"], it["committed"]) >= 0
        assert free[inv.row[rid]] + it["out"] + it["used"] + it["damaged"] + it["committed"] == stock
