"""Drill figures from a hand-written log, and the Monte Carlo summary from hand-written runs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from simulation.metrics import drill_metrics
from simulation.montecarlo import distribution, late_steps, summarise
from vocabulary.events import Draft

T0 = dt.datetime(2026, 12, 3, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _at(s: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=s)


def _task(tid: str, person: str, deadline_s: float, deps: list[str] | None = None) -> Draft:
    return Draft("task.assigned", _at(50), {
        "incident_id": "I-1", "task_id": tid, "person_id": person, "kind": "task", "level": "L1",
        "created": _at(50).isoformat(), "deadline": _at(50 + deadline_s).isoformat(), "deadline_s": deadline_s,
        "depends_on": deps or []})


def _log() -> list[Draft]:
    people = [f"P{i}" for i in range(10)]
    evs = [
        Draft("incident.opened", _at(0), {"title": "t", "exercise": True}),
        Draft("sensor.reading", _at(10), {"sensor_id": "S1", "value": 5.0}),
        Draft("sensor.alarm", _at(20), {"sensor_id": "S1", "level": "warn", "value": 11.0}),
        Draft("plan.launched", _at(50), {"incident_id": "I-1", "plan_id": "p", "level": "L1"}),
        _task("a", "R1", 100.0),
        _task("b", "R2", 200.0, ["a"]),
        Draft("evacuation.planned", _at(50), {
            "evacuation_id": "E1", "method": "shortest",
            "people": [{"person_id": p, "assembly_point_id": "AP"} for p in people]}),
        Draft("task.acknowledged", _at(70), {"task_id": "a", "person_id": "R1"}),
        Draft("task.acknowledged", _at(90), {"task_id": "b", "person_id": "R2"}),
    ]
    evs += [Draft("person.mustered", _at(100 + 10 * k), {"person_id": p, "assembly_point_id": "AP"})
            for k, p in enumerate(people)]
    evs += [Draft("task.done", _at(200), {"task_id": "a", "person_id": "R1"}),  # 50 s late (deadline 150)
            Draft("task.done", _at(290), {"task_id": "b", "person_id": "R2"}),  # 40 s late (deadline 250)
            Draft("exposure.assessed", _at(1800), {"assessment_id": "X", "guideline": "AEGL-2 (60 min)",
                                                   "people": [{"person_id": "P1"}, {"person_id": "P2"}],
                                                   "exceeded": ["P2"]})]
    return sorted(evs, key=lambda d: d.time)


def test_figures_of_a_hand_written_log() -> None:
    m = drill_metrics(_log())
    assert m["detection_s"] == 20.0
    assert m["launch_s"] == 50.0
    assert m["all_acks_s"] == 90.0
    assert m["launch_to_all_acks_s"] == 40.0
    # R1, R2 answer tasks but were not routed out: the ten routed are to account for, all mustered
    assert (m["to_account_for"], m["mustered"], m["on_task"], m["not_accounted_for"]) == (10, 10, 0, 0)
    assert m["accounted_90_s"] == m["mustered_90_s"] == 180.0  # the 9th of 10 arrivals
    assert m["accounted_100_s"] == m["mustered_100_s"] == 190.0
    assert m["people_over_guideline"] == 1
    assert m["over_guideline"] == ["P2"]
    late = {s["task_id"]: s for s in m["late_steps"]}
    assert late["a"]["late_s"] == pytest.approx(50.0)
    assert late["a"]["delayed_end_s"] == pytest.approx(50.0)
    # b is 40 s late only because a was 50 s late: it added nothing of its own
    assert late["b"]["delayed_end_s"] == pytest.approx(0.0)
    assert m["critical_path"] == ["a", "b"]


def test_a_task_never_answered_leaves_all_acks_open() -> None:
    evs = [e for e in _log() if not (e.type == "task.acknowledged" and e.payload["task_id"] == "b")]
    evs = [e for e in evs if not (e.type == "task.done" and e.payload["task_id"] == "b")]
    m = drill_metrics(evs)
    assert m["all_acks_s"] is None
    assert m["unacknowledged"] == ["b"]


def test_a_routed_responder_is_accounted_for_at_their_task() -> None:
    """R1 is routed out too but acknowledged its task at 70 s and never mustered: 11 to account for, 10
    mustered, 1 at their task. Accounted-for times 70, 100 … 190 s: 90 % of 11 is the ⌈9.9⌉ = 10th (180 s),
    100 % the 11th (190 s)."""
    evs = _log()
    evs.insert(5, Draft("evacuation.planned", _at(50), {"evacuation_id": "E2", "method": "shortest",
                                                         "people": [{"person_id": "R1", "assembly_point_id": "AP"}]}))
    m = drill_metrics(evs)
    assert (m["to_account_for"], m["mustered"], m["on_task"], m["not_accounted_for"]) == (11, 10, 1, 0)
    assert (m["accounted_90_s"], m["accounted_100_s"]) == (180.0, 190.0)


def test_distribution_of_one_to_a_hundred() -> None:
    """Linear-interpolated percentiles of 1..100, by hand: p5 = 1 + 0.05 × 99 = 5.95, p95 = 95.05."""
    d = distribution([*range(1, 101), None])
    assert d == {"runs": 100, "p5": 5.95, "p50": 50.5, "p95": 95.05, "mean": 50.5, "min": 1.0, "max": 100.0}
    assert distribution([None])["runs"] == 0


def test_the_step_that_most_often_makes_the_drill_late() -> None:
    runs = [{"late_steps": [{"task_id": "a", "late_s": 30.0, "delayed_end_s": 30.0},
                            {"task_id": "b", "late_s": 90.0, "delayed_end_s": 60.0}]},
            {"late_steps": [{"task_id": "a", "late_s": 10.0, "delayed_end_s": 10.0}]},
            {"late_steps": [{"task_id": "b", "late_s": 5.0, "delayed_end_s": 0.0}]},
            {"late_steps": []}]
    steps = late_steps(runs)
    assert [s["task_id"] for s in steps] == ["a", "b"]
    assert steps[0]["runs"] == 2
    assert steps[0]["share"] == 0.5
    assert steps[0]["delay_mean_s"] == 20.0
    assert steps[1]["runs"] == 1
    assert steps[1]["late_mean_s"] == pytest.approx(np.mean([90.0, 5.0]))
    s = summarise([{**r, "launch_s": 60.0} for r in runs])
    assert s["most_often_late"]["task_id"] == "a"
    assert s["figures"]["launch_s"]["p50"] == 60.0
    assert s["unlaunched_runs"] == 0
