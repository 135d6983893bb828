"""CPU-heavy pure-Python work in a worker process, so the window's UI thread never waits on the GIL.

A plan for 10,000 people runs seconds of pure Python; on a thread of the window's process it holds the
GIL and the UI thread stalls for hundreds of milliseconds at a time. :class:`ProcessPool` runs such work in
a separate interpreter, one worker by default so a 2-core machine keeps a core for the window. Workers
are never ``fork``-ed from the window's process (forking a process that has Qt threads can deadlock): the
default ``forkserver`` method forks them from a clean server process started once (with ``spawn``
semantics) that has imported the ``preload`` modules, so a worker starts in milliseconds with the routing
code already loaded (``spawn`` where there is no forkserver). Workers run at a lower CPU priority
(``nice`` 10 by default): on an idle machine that costs nothing (the worker has a core to itself), on a
busy one the window's UI thread gets the core first. The worker is started on the first job (not
when a window opens) and keeps whatever module-level cache the work function fills (see
:mod:`commandcenter.services.route_jobs`) until :meth:`ProcessPool.shutdown`.

As with any ``spawn``/``forkserver`` pool, a worker imports the program's main script as ``__mp_main__``:
the script must start the program only under ``if __name__ == "__main__":`` and import no Qt at its top
(``main.py`` and ``commandcenter.launcher`` do neither).

Errors raised in the worker come back as :class:`JobFailed` carrying one line
(``"ValueError: cannot read …"``), never a traceback. Cancelling a job that has not started drops it; a
job already running in the worker runs to its end and its result is dropped by the caller
(:class:`commandcenter.services.jobs.JobRunner` semantics); :meth:`ProcessPool.shutdown` terminates the
workers, so closing the window never waits for a plan. A worker also exits by itself when the process that
started the pool dies (a crash or SIGKILL of the window): it watches a pipe only that process can hold open.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

JOIN_S = 10.0  # longest wait (s) for a terminated worker to be reaped
NICE = 10  # how much lower than the window's the workers' CPU priority is (Unix nice increment)


class JobFailed(Exception):
    """A job failed in a worker process; the message is one line naming the error."""


def one_line(exc: BaseException) -> str:
    """``"<Type>: <first line of the message>"`` of ``exc`` (a one-line message for the user)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _worker_init(increment: int, lifeline: Any) -> None:
    """Worker initializer: lower this process's CPU priority by ``increment`` (where the OS supports it) and
    exit when the process that started the pool dies, however it dies. ``lifeline`` is the read end of a pipe
    whose only write end that process holds: the kernel closes it when the process ends (a SIGKILL or a crash
    included), the read sees end-of-file and the worker leaves. Without this an orphaned worker keeps the
    plant in memory, keeps the forkserver alive, and holds the crashed window's stdout open forever."""
    if increment > 0 and hasattr(os, "nice"):
        os.nice(increment)

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv()
        os._exit(0)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()


def _call(fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    """Run in the worker: ``fn(*args)``, any error turned into a picklable one-line :class:`JobFailed`."""
    try:
        return fn(*args)
    except Exception as exc:  # every error of the work reaches the user as one line
        raise JobFailed(one_line(exc)) from None


class ProcessPool:
    """A small pool of worker processes (``forkserver`` or ``spawn``), started lazily, restartable after
    shutdown. ``preload`` names modules the forkserver imports once (Qt-free modules only); ``nice`` lowers
    the workers' CPU priority by that much."""

    def __init__(self, max_workers: int = 1, start_method: str = "forkserver", preload: tuple[str, ...] = (),
                 nice: int = NICE) -> None:
        if start_method == "fork":
            raise ValueError("start_method 'fork' is refused: forking a process with Qt threads can deadlock")
        if start_method not in multiprocessing.get_all_start_methods():
            start_method = "spawn"
        self.max_workers = max_workers
        self.start_method = start_method
        self.preload = preload
        self.nice = nice
        self._executor: ProcessPoolExecutor | None = None
        self._lifeline: Any = None  # the write end of the workers' lifeline (see _worker_init)
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run ``fn(*args)`` in a worker (``fn`` and ``args`` must pickle: a module-level function and plain
        data); the future's error, if any, is a :class:`JobFailed`."""
        with self._lock:
            if self._executor is None:
                ctx = multiprocessing.get_context(self.start_method)
                if self.start_method == "forkserver" and self.preload:
                    ctx.set_forkserver_preload(list(self.preload))  # used when the server starts (once per process)
                read_end, self._lifeline = ctx.Pipe(duplex=False)
                self._executor = ProcessPoolExecutor(self.max_workers, mp_context=ctx, initializer=_worker_init,
                                                     initargs=(self.nice, read_end))
            return self._executor.submit(_call, fn, args)

    def pids(self) -> list[int]:
        """The process ids of the live workers (empty before the first job and after shutdown)."""
        ex = self._executor  # no lock: a submit starting a worker may hold it for seconds
        procs = dict(getattr(ex, "_processes", None) or {}) if ex is not None else {}
        return [pid for pid, p in procs.items() if p.is_alive()]

    def shutdown(self) -> None:
        """Drop queued jobs, terminate the workers (a running job's result is lost) and reap them; the pool
        starts afresh on the next :meth:`submit`."""
        with self._lock:
            ex, self._executor = self._executor, None
            lifeline, self._lifeline = self._lifeline, None
        if ex is None:
            return
        procs = list((getattr(ex, "_processes", None) or {}).values())
        ex.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(JOIN_S)
        ex.shutdown(wait=True)
        if lifeline is not None:
            lifeline.close()
