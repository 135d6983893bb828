"""The job runner: work off the calling thread, one live job per kind, cancellation."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from commandcenter.services.jobs import CancelToken, JobCancelled, JobRunner


@pytest.fixture
def runner():
    r = JobRunner(max_workers=2)
    yield r
    r.shutdown()


def test_job_runs_on_a_worker_thread(runner: JobRunner) -> None:
    job = runner.submit("route", lambda token: threading.current_thread().name)
    assert job.result(timeout=10).startswith("cc-job")
    assert job.outcome() == ("ok", job.result())


def test_new_job_of_same_kind_cancels_the_old(runner: JobRunner) -> None:
    started = threading.Event()
    release = threading.Event()

    def slow(token: CancelToken) -> str:
        started.set()
        release.wait(10)
        token.check()
        return "old"

    old = runner.submit("zones", slow)
    assert started.wait(10)
    new = runner.submit("zones", lambda token: "new")
    release.set()
    assert new.result(timeout=10) == "new"
    with pytest.raises(JobCancelled):
        old.result(timeout=10)
    assert old.outcome() == ("cancelled", None)
    assert runner.live("zones") is new


def test_jobs_of_different_kinds_run_side_by_side(runner: JobRunner) -> None:
    a = runner.submit("route", lambda t: 1)
    b = runner.submit("zones", lambda t: 2)
    assert (a.result(10), b.result(10)) == (1, 2)


def test_failure_is_reported_not_raised_in_callback(runner: JobRunner) -> None:
    done = threading.Event()
    seen = []

    def boom(token: CancelToken) -> None:
        raise ValueError("no route")

    job = runner.submit("route", boom)
    job.add_done_callback(lambda j: (seen.append(j.outcome()), done.set()))
    assert done.wait(10)
    status, exc = seen[0]
    assert status == "failed"
    assert isinstance(exc, ValueError)


# ---------------------------------------------------------------- worker processes (CPU-heavy pure Python)

@pytest.fixture(scope="module")
def pool():
    from commandcenter.services.process_jobs import ProcessPool

    p = ProcessPool(max_workers=1)
    yield p
    p.shutdown()


def _red_zone_on_the_mini_plant():
    import shapely

    from gis.routing.hazard_graph import Hazard

    return Hazard([shapely.Point(668040, 3571040).buffer(8)], ["red"])


def _assert_same_plan(got, want) -> None:
    np.testing.assert_array_equal(got.assignment.ap, want.assignment.ap)
    assert list(got.assignment.routes) == list(want.assignment.routes)
    np.testing.assert_array_equal(got.people.ids, want.people.ids)
    np.testing.assert_array_equal(got.people.node, want.people.node)
    np.testing.assert_allclose(got.assignment.length_m, want.assignment.length_m)
    np.testing.assert_allclose(got.eta_s, want.eta_s)
    np.testing.assert_array_equal(got.order, want.order)
    assert got.evacuation_time_s == pytest.approx(want.evacuation_time_s)
    assert got.lower_bound_s == pytest.approx(want.lower_bound_s)
    assert got.unroutable() == want.unroutable()
    assert [got.path_nodes(i) for i in range(len(got.people))] == [want.path_nodes(i) for i in range(len(want.people))]


@pytest.mark.parametrize("method", ["capacity", "shortest"])
def test_plan_in_a_worker_process_equals_the_in_process_plan(pool, mini_plant, method: str) -> None:
    from commandcenter.services.route_jobs import plan_in_worker
    from gis.routing.people import people_of_plant
    from gis.routing.plan import plan_evacuation
    from gis.routing.site import Site

    hazard = _red_zone_on_the_mini_plant()
    want = plan_evacuation(Site.of_plant(mini_plant), people_of_plant(mini_plant), hazard, method)
    got = plan_in_worker(pool, mini_plant, hazard, method)
    assert got.method == method
    assert got.net.hazard is hazard
    _assert_same_plan(got, want)
    assert want.unroutable() or want.assignment.routed.all()


def test_worker_plans_a_given_population_with_no_hazard(pool, mini_plant) -> None:
    import pandas as pd

    from commandcenter.services.route_jobs import plan_in_worker
    from gis.routing.people import people_of_plant
    from gis.routing.plan import plan_evacuation
    from gis.routing.site import Site

    rng = np.random.default_rng(7)
    xy = mini_plant.graph.node_xy[rng.integers(0, mini_plant.graph.n_nodes, 40)] + rng.uniform(-3, 3, (40, 2))
    pop = pd.DataFrame({"id": [f"W{i:02d}" for i in range(40)], "x": xy[:, 0], "y": xy[:, 1],
                        "speed_mps": [None] * 40, "premovement_s": [None] * 40, "mobility": [None] * 40})
    want = plan_evacuation(Site.of_plant(mini_plant), people_of_plant(mini_plant, pop), None, "capacity")
    got = plan_in_worker(pool, mini_plant, None, "capacity", pop)
    _assert_same_plan(got, want)


def test_worker_never_imports_qt(pool, mini_plant) -> None:
    from commandcenter.services.route_jobs import plan_in_worker

    plan_in_worker(pool, mini_plant, None, "shortest")  # the worker has loaded the plant and planned
    loaded = pool.submit(_qt_modules).result(60)
    assert loaded == []


def _qt_modules() -> list[str]:
    import sys

    return sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "pyqtgraph", "shiboken6"))


def test_a_failing_worker_job_reports_one_line(pool, mini_plant) -> None:
    from commandcenter.services.process_jobs import JobFailed
    from commandcenter.services.route_jobs import plan_in_worker

    with pytest.raises(JobFailed) as info:
        plan_in_worker(pool, mini_plant, None, "teleport")
    message = str(info.value)
    assert message.startswith("ValueError: unknown method 'teleport'")
    assert "\n" not in message
    assert "Traceback" not in message


def test_a_failing_worker_job_is_a_failed_outcome_of_the_job_runner(runner: JobRunner, pool, mini_plant) -> None:
    from commandcenter.services.route_jobs import plan_in_worker

    job = runner.submit("route", lambda token: plan_in_worker(pool, mini_plant, None, "teleport", token=token))
    status, exc = _finished(job).outcome()
    assert status == "failed"
    assert str(exc).startswith("ValueError: unknown method")


def _finished(job):  # type: ignore[no-untyped-def]
    from concurrent.futures import wait

    done, _ = wait([job.future], timeout=120)
    assert done
    return job


def test_cancelling_a_worker_job_drops_its_result(runner: JobRunner, pool, mini_plant) -> None:
    from commandcenter.services.route_jobs import plan_in_worker

    started = threading.Event()

    def work(token: CancelToken):  # type: ignore[no-untyped-def]
        started.set()
        return plan_in_worker(pool, mini_plant, _red_zone_on_the_mini_plant(), "capacity", token=token)

    job = runner.submit("route", work)
    assert started.wait(30)
    runner.cancel("route")
    assert _finished(job).outcome() == ("cancelled", None)
    with pytest.raises(JobCancelled):
        job.result(0)
    again = runner.submit("route", lambda token: plan_in_worker(pool, mini_plant, None, "shortest", token=token))
    assert _finished(again).outcome()[0] == "ok"  # the worker is still usable


def test_shutdown_terminates_and_reaps_the_workers_even_mid_job() -> None:
    import os
    import time
    from pathlib import Path

    from commandcenter.services.process_jobs import ProcessPool

    p = ProcessPool(max_workers=2)
    try:
        pids = {p.submit(os.getpid).result(60) for _ in range(4)}
        assert pids <= set(p.pids())
        busy = p.submit(time.sleep, 600)  # stands for a long plan: shutdown must not wait for it
    finally:
        p.shutdown()
    assert p.pids() == []
    assert busy.done()
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids)  # gone, not zombies
    assert p.submit(os.getpid).result(60) not in pids  # restarts afresh on the next job
    p.shutdown()


def test_workers_run_at_a_lower_cpu_priority_than_the_caller(pool) -> None:
    import os

    worker = pool.submit(os.getpid).result(60)
    assert os.getpriority(os.PRIO_PROCESS, worker) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + pool.nice)


def test_fork_is_refused() -> None:
    from commandcenter.services.process_jobs import ProcessPool

    with pytest.raises(ValueError, match="fork"):
        ProcessPool(start_method="fork")


CRASHING_OWNER = """
import os, signal, sys
from commandcenter.services.process_jobs import ProcessPool

if __name__ == "__main__":
    pool = ProcessPool()
    print(pool.submit(os.getpid).result(120), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # a window that crashes: no shutdown, no atexit
"""


def test_workers_leave_when_the_process_that_started_them_is_killed(tmp_path) -> None:
    """A SIGKILLed window must not leave its worker (and the forkserver, which lives while a worker does)
    behind: they hold the plant in memory and the dead window's stdout, so a supervisor reading that stdout
    would wait forever. ``communicate`` returning at all shows every holder of the pipe has gone."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import REPO

    script = tmp_path / "owner.py"
    script.write_text(CRASHING_OWNER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    worker = int(proc.stdout.split()[0])
    stat = Path(f"/proc/{worker}/stat")
    assert not stat.exists() or stat.read_text().split(")")[-1].split()[0] == "Z"  # gone (or a zombie of init)
