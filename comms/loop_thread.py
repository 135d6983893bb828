"""The frame of a comms network thread, shared by the field server and the device simulator.

ZeroMQ sockets belong to the thread that made them, so each side runs one thread that owns its sockets and
sleeps in a poll. Other threads hand it work through a queue and wake it through a self-pipe (a pipe whose
read end sits in the poll: one byte written wakes the thread; it drains every byte per wake-up). The thread
runs once: started, told it may go on (``ready``, or the error it met while binding), asked to stop, joined,
and the pipe closed. See the zguide, ch. 2 ("Handling multiple sockets") for the pattern.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from typing import Any, Self, TypeVar

T = TypeVar("T")


class LoopThread:
    """One network thread around ``target`` (which sets :attr:`ready` once its sockets are up, or sets
    :attr:`error` first when they cannot be, and returns when :attr:`stopping` turns true)."""

    def __init__(self, target: Callable[[], None], name: str, what: str):
        """``name``: the thread's name; ``what``: the thing it runs, for messages ("field server")."""
        self._target, self._name, self._what = target, name, what
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.stopping = False
        self._r, self._w = os.pipe()
        os.set_blocking(self._r, False)
        os.set_blocking(self._w, False)

    @property
    def started(self) -> bool:
        """True once :meth:`start` was called."""
        return self._thread is not None

    @property
    def wake_fd(self) -> int:
        """The read end of the self-pipe, to register in the thread's poll."""
        return self._r

    def start(self, timeout: float) -> None:
        """Start the thread and wait (at most ``timeout`` s) until it is ready; raise what it could not do.
        A second start is refused: two threads must never share one set of sockets."""
        if self._thread is not None:
            raise RuntimeError(f"this {self._what} was started already")
        self._thread = threading.Thread(target=self._target, name=self._name, daemon=True)
        self._thread.start()
        if not self.ready.wait(timeout):
            raise TimeoutError(f"the {self._what} did not start")
        if self.error is not None:
            self._thread.join()
            raise self.error

    def stop(self, timeout: float) -> None:
        """Ask the thread to stop, wait (at most ``timeout`` s) for it, and close the self-pipe."""
        self.stopping = True
        self.wake()
        if self._thread is not None:
            self._thread.join(timeout)
        for fd in (self._r, self._w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._r = self._w = -1

    def wake(self) -> None:
        """Wake the thread from its poll (from any thread; a full pipe is already a wake-up)."""
        with contextlib.suppress(OSError):
            os.write(self._w, b"\0")

    def drain(self) -> None:
        """Empty the self-pipe (in the thread, once per wake-up: the poll is level-triggered on it)."""
        with contextlib.suppress(BlockingIOError, OSError):
            while os.read(self._r, 4096):
                pass


class RunsLoopThread:
    """``start``/``stop``/``with`` for a class whose network thread is ``self._net`` (a :class:`LoopThread`);
    ``START_TIMEOUT_S`` and ``STOP_TIMEOUT_S`` are the defaults of the two calls."""

    _net: LoopThread
    START_TIMEOUT_S = 10.0
    STOP_TIMEOUT_S = 10.0

    def start(self, timeout: float | None = None) -> Self:
        """Start the network thread and wait until its sockets are up (raises what setting them up raised).
        It runs once: a second start is refused (two threads must never share one set of sockets)."""
        self._net.start(self.START_TIMEOUT_S if timeout is None else timeout)
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Stop the network thread (it closes every socket) and wait for it."""
        self._net.stop(self.STOP_TIMEOUT_S if timeout is None else timeout)

    def __enter__(self) -> Self:
        return self if self._net.started else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def call_in_thread(post: Callable[[Callable[[], None]], None], fn: Callable[[], T], timeout: float, what: str) -> T:
    """Run ``fn()`` on another thread and return its result, or raise what it raised there. ``post(run)`` hands
    ``run`` to that thread (its queue of work); :class:`TimeoutError` ("the ``what`` did not answer") after
    ``timeout`` seconds without an answer."""
    done = threading.Event()
    box: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            box.append((True, fn()))
        except BaseException as exc:  # handed back to the caller
            box.append((False, exc))
        done.set()

    post(run)
    if not done.wait(timeout):
        raise TimeoutError(f"the {what} did not answer")
    ok, value = box[0]
    if not ok:
        raise value
    return value
