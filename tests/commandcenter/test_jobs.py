"""The job runner: work off the calling thread, one live job per kind, cancellation."""

from __future__ import annotations

import threading

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
