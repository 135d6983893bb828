"""Long computations off the UI thread: one worker pool, one live job per kind.

Routing a large plant, computing hazard zones, building a report or running a
drill batch must never freeze the map. :class:`JobRunner` runs such work on a
thread pool; submitting a job of a kind that is already running cancels the old
one (its result is dropped), so a burst of wind updates computes the newest zone
only. Work functions receive a :class:`CancelToken` and should call
``token.check()`` between steps so a cancelled job stops early.

The UI observes jobs through ``Job.add_done_callback`` (see
``commandcenter.ui.job_bridge``), which hands results back on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


class JobCancelled(Exception):
    """Raised inside a job's work function when it has been cancelled."""


class CancelToken:
    """A flag a running job polls to learn it should stop."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`JobCancelled` if the job was cancelled."""
        if self._event.is_set():
            raise JobCancelled


@dataclass
class Job(Generic[T]):
    """One submitted computation: its kind, its future and its cancel token."""

    kind: str
    future: Future[T]
    token: CancelToken = field(default_factory=CancelToken)

    @property
    def cancelled(self) -> bool:
        """True when the job was superseded or cancelled."""
        return self.token.cancelled or self.future.cancelled()

    def result(self, timeout: float | None = None) -> T:
        """Block for the result (tests and the CLI; never call this on the UI thread)."""
        return self.future.result(timeout)

    def add_done_callback(self, fn: Callable[[Job[T]], None]) -> None:
        """Call ``fn(job)`` when the job ends (on the worker thread, or at once if it has ended)."""
        self.future.add_done_callback(lambda _f: fn(self))

    def outcome(self) -> tuple[str, T | BaseException | None]:
        """(``"ok"``, result) | (``"cancelled"``, None) | (``"failed"``, exception), once done."""
        if self.cancelled:
            return "cancelled", None
        try:
            return "ok", self.future.result(0)
        except (CancelledError, JobCancelled):
            return "cancelled", None
        except Exception as exc:  # the job's own error, reported to the user by the caller
            return "failed", exc


class JobRunner:
    """A thread pool that keeps at most one live job per kind."""

    def __init__(self, max_workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="cc-job")
        self._live: dict[str, Job[object]] = {}
        # re-entrant: cancelling a queued job runs its done-callbacks at once, on this thread, inside submit()
        self._lock = threading.RLock()

    def submit(self, kind: str, work: Callable[[CancelToken], T]) -> Job[T]:
        """Run ``work(token)`` on the pool as the live job of ``kind``, cancelling the previous one."""
        token = CancelToken()
        with self._lock:
            old = self._live.get(kind)
            if old is not None:
                old.token.cancel()
                old.future.cancel()
            future = self._pool.submit(work, token)
            job: Job[T] = Job(kind, future, token)
            self._live[kind] = job  # type: ignore[assignment]
        return job

    def cancel(self, kind: str) -> None:
        """Cancel the live job of ``kind``, if any."""
        with self._lock:
            job = self._live.pop(kind, None)
        if job is not None:
            job.token.cancel()
            job.future.cancel()

    def live(self, kind: str) -> Job[object] | None:
        """The newest job of ``kind`` (finished or not), if any."""
        with self._lock:
            return self._live.get(kind)

    def shutdown(self) -> None:
        """Cancel everything and wait for running work to return."""
        with self._lock:
            jobs = list(self._live.values())
            self._live.clear()
        for job in jobs:
            job.token.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
