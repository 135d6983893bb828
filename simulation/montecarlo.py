"""Monte Carlo of drills: the distributions of the figures over seeded runs, and the step that makes the
drill late most often.

Each run is summarised by :func:`simulation.metrics.drill_metrics`. :func:`summarise` gives, per figure,
how many runs have it and its 5th/50th/95th percentiles, mean, minimum and maximum; and, per plan step,
how many runs it *made late* — it had a positive share of the delay of the drill's end on the critical
path (``plans.evaluation``: its own lateness beyond the lateness it inherited) — and by how much. The
step with the most such runs (ties: the larger mean delay) is the one a coordinator fixes first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

FIGURES = ("detection_s", "launch_s", "all_acks_s", "launch_to_all_acks_s", "mustered_90_s", "mustered_100_s",
           "overrun_s", "people_over_guideline", "people_exposed")


def distribution(values: list[float | None]) -> dict[str, Any]:
    """Runs with a value, and its p5/p50/p95/mean/min/max (null without values)."""
    v = np.array([x for x in values if x is not None], dtype=float)
    if len(v) == 0:
        return {"runs": 0, "p5": None, "p50": None, "p95": None, "mean": None, "min": None, "max": None}
    p5, p50, p95 = np.percentile(v, [5, 50, 95])
    return {"runs": len(v), "p5": round(float(p5), 3), "p50": round(float(p50), 3), "p95": round(float(p95), 3),
            "mean": round(float(v.mean()), 3), "min": round(float(v.min()), 3), "max": round(float(v.max()), 3)}


def late_steps(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per plan step: runs in which it made the drill late, the share of runs, the delay it caused
    (mean, median, p95, s) and how late the step itself was (mean, s); most often late first."""
    caused: dict[str, list[float]] = {}
    late: dict[str, list[float]] = {}
    for r in runs:
        for step in r.get("late_steps", []):
            late.setdefault(step["task_id"], []).append(float(step["late_s"] or 0.0))
            if (step.get("delayed_end_s") or 0.0) > 0:
                caused.setdefault(step["task_id"], []).append(float(step["delayed_end_s"]))
    n = max(len(runs), 1)
    out = []
    for tid, d in caused.items():
        a = np.asarray(d)
        out.append({"task_id": tid, "runs": len(d), "share": round(len(d) / n, 4),
                    "delay_mean_s": round(float(a.mean()), 3), "delay_p50_s": round(float(np.median(a)), 3),
                    "delay_p95_s": round(float(np.percentile(a, 95)), 3),
                    "late_mean_s": round(float(np.mean(late.get(tid, [0.0]))), 3)})
    return sorted(out, key=lambda x: (-x["runs"], -x["delay_mean_s"], x["task_id"]))


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The batch summary: figures' distributions, late steps, and the step most often making it late."""
    steps = late_steps(runs)
    return {
        "runs": len(runs),
        "figures": {f: distribution([r.get(f) for r in runs]) for f in FIGURES},
        "late_steps": steps,
        "most_often_late": steps[0] if steps else None,
        "undetected_runs": sum(1 for r in runs if r.get("detection_s") is None),
        "unlaunched_runs": sum(1 for r in runs if r.get("launch_s") is None),
    }
