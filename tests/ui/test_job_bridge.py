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
