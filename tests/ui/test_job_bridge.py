"""Background job results arrive on the UI thread as signals."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from commandcenter.services.jobs import JobRunner
from commandcenter.ui.job_bridge import JobBridge


def test_result_is_delivered_on_the_ui_thread(qtbot, qapp) -> None:
    runner = JobRunner()
    bridge = JobBridge(runner)
    seen: list[tuple[str, object, bool]] = []
    bridge.finished.connect(lambda kind, value: seen.append((kind, value, QThread.currentThread() is
                                                                qapp.thread())))
    try:
        with qtbot.waitSignal(bridge.finished, timeout=5000):
            bridge.submit("route", lambda token: threading.current_thread().name)
        kind, value, on_ui_thread = seen[0]
        assert kind == "route"
        assert str(value).startswith("cc-job")
        assert on_ui_thread
    finally:
        runner.shutdown()


def test_failure_becomes_a_failed_signal(qtbot) -> None:
    runner = JobRunner()
    bridge = JobBridge(runner)

    def boom(token):
        raise RuntimeError("graph is split")

    try:
        with qtbot.waitSignal(bridge.failed, timeout=5000) as blocker:
            bridge.submit("route", boom)
        assert blocker.args == ["route", "RuntimeError: graph is split"]
    finally:
        runner.shutdown()


def test_an_error_with_several_lines_becomes_one_line(qtbot) -> None:
    runner = JobRunner()
    bridge = JobBridge(runner)

    def boom(token):
        raise ValueError("no safe assembly point\n  AP1: inside the red zone\n  AP2: full")

    try:
        with qtbot.waitSignal(bridge.failed, timeout=5000) as blocker:
            bridge.submit("route", boom)
        assert blocker.args == ["route", "ValueError: no safe assembly point"]
    finally:
        runner.shutdown()


def test_a_failure_in_a_worker_process_arrives_as_its_one_line_message(qtbot) -> None:
    from commandcenter.services.process_jobs import ProcessPool

    runner, pool = JobRunner(), ProcessPool()
    bridge = JobBridge(runner)
    try:
        with qtbot.waitSignal(bridge.failed, timeout=60000) as blocker:
            bridge.submit("route", lambda token: pool.submit(int, "seven").result())
        assert blocker.args == ["route", "ValueError: invalid literal for int() with base 10: 'seven'"]
    finally:
        runner.shutdown()
        pool.shutdown()
