"""The report model of the rich drill against figures worked out by hand from how the drill was built
(tests/report/conftest.py), and the zone counts against a brute-force point-in-box count."""

from __future__ import annotations

import numpy as np
import pytest

from tests.report.conftest import ORANGE, PEOPLE, RED

S = 1_000_000  # µs per second


@pytest.fixture(scope="module")
def model(rich_log):
    from commandcenter.report import build_model_of
    from commandcenter.store import EventStore

    store = EventStore(rich_log.db)
    try:
        m, geo, files, tracks = build_model_of(store, rich_log.incident)
    finally:
        store.close()
    return m, geo, files, tracks


def _s(m, t_us):
    return None if t_us is None else (t_us - m.opened_us) / S


def test_each_step_against_its_deadline_and_the_late_steps_share_of_the_end_delay(model) -> None:
    m = model[0]
    steps = {s.task_id: s for s in m.steps}
    # deadlines: assigned at 30 s + deadline_s; T1 done 100 (90), T2 200 (150), T4 250 (630), T3 never
    assert {k: _s(m, s.deadline_us) for k, s in steps.items()} == {"T1": 90, "T2": 150, "T3": 330, "T4": 630}
    assert {k: s.late_s for k, s in steps.items()} == {"T1": 10, "T2": 50, "T3": None, "T4": -380}
    assert steps["T3"].outcome == "open"
    assert m.critical_path == ["T1", "T2", "T4"]
    # T2 was 50 s late but 10 s of that came from T1: it alone delayed the end by 40 s
    assert (steps["T1"].delayed_end_s, steps["T2"].delayed_end_s, steps["T4"].delayed_end_s) == (10, 40, 0)
    assert m.overrun_s == -380


def test_findings_rank_late_steps_by_the_delay_they_caused(model) -> None:
    m = model[0]
    late = [(f.code, f.params.get("task_id"), f.delay_s) for f in m.findings[:2]]
    assert late == [("late_step", "T2", 40), ("late_step", "T1", 10)]
    codes = {f.code for f in m.findings}
    assert {"step_not_done", "silent_assignees", "not_accounted", "wrong_assembly_point", "linkage_failed",
            "evidence_not_verified", "sos"} <= codes
    assert all(f.delay_s == 0 for f in m.findings[2:])


def test_muster_counts_the_people_the_plan_sent_and_never_reaches_ninety_percent(model) -> None:
    mu = model[0].muster
    assert mu.basis == "evacuation_plan"
    assert mu.expected == 6
    assert mu.mustered_s == [120, 150, 180, 200, 250]
    assert mu.missing == ["P6"]
    # 90 % of 6 is the 6th arrival: never; so never 100 % either
    assert (mu.t90_s, mu.t100_s) == (None, None)
    assert mu.by_point == {"AP1": 3, "AP2": 2}


def test_acknowledgement_latencies_per_recipient_and_per_assignment(model) -> None:
    lat = model[0].latencies
    assert sorted(lat.command_s) == [5, 10, 30]
    assert lat.command_unanswered == 3 + 3  # three evacuees, and the gateway never acked the three actuations
    assert sorted(lat.task_s) == [10, 170, 220]  # an assignee's first answer: ack, else done
    assert lat.task_unanswered == 1


def test_linkage_counts_actuations_done_within_their_deadline(model) -> None:
    link = model[0].linkage
    result = {r["command_id"]: r["result"] for r in link.rows}
    assert result == {"ACT-1": "done", "ACT-2": "late", "ACT-3": "failed"}
    assert link.rate == pytest.approx(1 / 3)


def test_evacuation_accuracy_compares_the_point_reached_with_the_point_sent_to(model) -> None:
    acc = model[0].accuracy
    assert (acc.mustered_with_plan, acc.correct, acc.not_mustered) == (5, 4, 1)
    assert acc.accuracy == pytest.approx(0.8)
    assert acc.wrong == [{"person_id": "P3", "sent_to": "AP1", "reached": "AP2"}]


def test_evidence_is_verified_by_hash_and_a_swapped_photo_is_caught(model) -> None:
    m = model[0]
    status = {e.task_id: e.status for e in m.evidence}
    assert status == {"T1": "verified", "T2": "mismatch", "T4": "verified", "T3": "missing"}
    audit = {a.ref: a.status for a in m.audit}
    assert audit == {"T1": "late", "T2": "evidence_mismatch", "T3": "not_done", "T4": "compliant",
                     "ACT-1": "compliant", "ACT-2": "late", "ACT-3": "not_done"}
    files = model[2]
    assert all(files[e.sha256].thumbnail for e in m.evidence if e.status == "verified")
    assert all(files[e.sha256].thumbnail is None for e in m.evidence if e.status != "verified")


def test_key_times_in_order(model) -> None:
    m = model[0]
    keys = [(k.key, k.elapsed_s) for k in m.key_times]
    assert keys == [("opened", 0), ("first_alarm", 10), ("launched", 30), ("first_assessment", 35),
                    ("evacuation_planned", 36), ("first_command", 40), ("closed", 310)]


def test_people_inside_each_zone_match_a_brute_force_count(model) -> None:
    m = model[0]
    aps = {"AP1": (668110.0, 3571010.0), "AP2": (668015.0, 3571030.0)}
    z = m.zones
    assert set(z.counts) == {"red", "orange"}

    def inside(box, x, y):
        return box[0] < x < box[2] and box[1] < y < box[3]

    for k, t in enumerate(z.times_s):
        expect = {"red": 0, "orange": 0}
        for (x, y), muster in PEOPLE.values():
            if muster is not None and muster[1] <= t:
                x, y = aps[muster[0]]
            elif t < 0.5:
                continue  # no report yet
            for lv, box in (("red", RED), ("orange", ORANGE)):
                expect[lv] += inside(box, x, y)
        assert {lv: z.counts[lv][k] for lv in expect} == expect, f"at T+{t} s"
    assert z.peak["red"] == (2, 35.0)  # P1 and P5 until P1 musters at 120 s


def test_trend_compares_the_drills_of_the_same_plan(model) -> None:
    m = model[0]
    assert [(p.incident_id, p.launch_s, p.current) for p in m.trend] == [("DRILL-EARLIER", 60, False),
                                                                        ("DRILL-RICH", 30, True)]
    assert m.trend[0].on_time_share == 1.0
    assert m.trend[1].on_time_share == pytest.approx(1 / 3)


def test_the_last_snapshot_puts_mustered_people_at_their_assembly_point(model) -> None:
    m = model[0]
    last = m.snapshots[-1]
    i = m.people_ids.index("P3")
    assert (last.x[i], last.y[i], last.status[i]) == (668015.0, 3571030.0, 1)
    j = m.people_ids.index("P6")
    assert last.status[j] == 2  # called SOS and never mustered
    assert np.isfinite(last.x).all()
