"""``commandcenter drill batch``: seeded drills on worker processes or a Dask cluster, one summary."""

from __future__ import annotations

import json

import pytest

from commandcenter.cli import main
from tests.conftest import DEMO_PLANT

pytestmark = pytest.mark.slow  # several 10-minute drills of the demo plant

COMPARED = ("seed", "scenario", "substance", "detection_s", "launch_s", "all_acks_s", "mustered_90_s",
            "mustered_100_s", "late_steps", "tasks", "over_guideline")


def test_batch_summary_and_the_step_most_often_late(capsys, tmp_path):
    out = tmp_path / "mc"
    code = main(["drill", "batch", str(DEMO_PLANT), "--runs", "3", "--out", str(out), "--workers", "2",
                 "--duration", "600", "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    for key in ("runs", "figures", "late_steps", "most_often_late", "wall_s", "workers"):
        assert key in summary
    assert summary["runs"] == 3
    assert summary["workers"] == 2
    runs = [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]
    assert [r["seed"] for r in runs] == [1, 2, 3]
    assert all((out / f"drill-{s:05d}.db").exists() for s in (1, 2, 3))
    launch = sorted(r["launch_s"] for r in runs)
    assert summary["figures"]["launch_s"]["min"] == launch[0]
    assert summary["figures"]["launch_s"]["p50"] == launch[1]
    # the step most often late, counted here from the runs themselves
    counts: dict[str, int] = {}
    for r in runs:
        for s in r["late_steps"]:
            if s["delayed_end_s"] > 0:
                counts[s["task_id"]] = counts.get(s["task_id"], 0) + 1
    if counts:
        assert summary["most_often_late"]["runs"] == max(counts.values())
        assert counts[summary["most_often_late"]["task_id"]] == max(counts.values())
    assert json.loads((out / "summary.json").read_text())["runs"] == 3


def test_a_dask_cluster_gives_the_same_figures_as_local_processes(tmp_path):
    """The same two seeds on one local process and on an in-process Dask cluster (the ``dask`` extra)."""
    distributed = pytest.importorskip("distributed")
    from commandcenter.services.drill_service import run_batch
    from simulation.response import ResponseParams

    params = ResponseParams(duration_s=600.0)
    run_batch(DEMO_PLANT, 2, tmp_path / "local", seed0=5, workers=1, params=params)
    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        summary = run_batch(DEMO_PLANT, 2, tmp_path / "dask", seed0=5, scheduler=cluster.scheduler_address,
                            params=params)
    assert summary["executor"].startswith("dask")

    def records(d):
        return [{k: r[k] for k in COMPARED}
                for r in map(json.loads, (tmp_path / d / "runs.jsonl").read_text().splitlines())]

    assert records("local") == records("dask")


def test_an_existing_log_is_not_overwritten(capsys, tmp_path):
    out = tmp_path / "mc"
    out.mkdir()
    (out / "drill-00001.db").write_text("")
    assert main(["drill", "batch", str(DEMO_PLANT), "--runs", "2", "--out", str(out)]) == 1
    assert "already exist" in capsys.readouterr().err
