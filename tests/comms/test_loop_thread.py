"""The shared frame of the comms network threads: started once, woken through its pipe, errors handed back."""

from __future__ import annotations

import selectors
import threading

import pytest

from comms.loop_thread import LoopThread, RunsLoopThread


class _Echo(RunsLoopThread):
    """A loop that counts its wake-ups until asked to stop."""

    def __init__(self, fail: BaseException | None = None):
        self.fail = fail
        self.wakeups = 0
        self.woken = threading.Event()
        self._net = LoopThread(self._main, name="test-loop", what="echo loop")

    def _main(self) -> None:
        if self.fail is not None:
            self._net.error = self.fail
            self._net.ready.set()
            return
        with selectors.DefaultSelector() as sel:
            sel.register(self._net.wake_fd, selectors.EVENT_READ)
            self._net.ready.set()
            while not self._net.stopping:
                if sel.select(5.0):
                    self._net.drain()
                    self.wakeups += 1
                    self.woken.set()


def test_a_wake_reaches_the_polling_thread_and_stop_ends_it() -> None:
    with _Echo() as loop:
        loop._net.wake()
        assert loop.woken.wait(5.0)
    assert loop._net._thread is not None
    assert not loop._net._thread.is_alive()
    assert loop._net.wake_fd == -1  # the pipe is closed


def test_a_second_start_is_refused() -> None:
    loop = _Echo().start()
    try:
        with pytest.raises(RuntimeError, match="echo loop was started already"):
            loop.start()
    finally:
        loop.stop()


def test_what_the_thread_could_not_set_up_is_raised_by_start() -> None:
    with pytest.raises(OSError, match="address in use"):
        _Echo(fail=OSError("address in use")).start()


def test_call_in_thread_returns_the_result_or_raises_what_the_other_thread_raised() -> None:
    import queue

    from comms.loop_thread import call_in_thread

    work: queue.Queue = queue.Queue()
    names: list[str] = []

    def worker() -> None:
        while (fn := work.get()) is not None:
            names.append(threading.current_thread().name)
            fn()

    t = threading.Thread(target=worker, name="the-other-thread", daemon=True)
    t.start()
    try:
        assert call_in_thread(work.put, lambda: 6 * 7, 5.0, "worker") == 42
        with pytest.raises(ZeroDivisionError):
            call_in_thread(work.put, lambda: 1 / 0, 5.0, "worker")
        assert names == ["the-other-thread", "the-other-thread"]
        with pytest.raises(TimeoutError, match="the sleeper did not answer"):
            call_in_thread(lambda run: None, lambda: 1, 0.05, "sleeper")  # posted nowhere: never runs
    finally:
        work.put(None)
        t.join(5)
