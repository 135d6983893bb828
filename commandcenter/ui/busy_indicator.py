"""Progress in the status bar for background work that takes more than a second (zones, routes, reports,
a background image): what is running, a busy bar, and Cancel. The UI thread never waits for the work; the
indicator only watches the :class:`commandcenter.ui.job_bridge.JobBridge` signals.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from commandcenter.ui.job_bridge import JobBridge

SHOW_AFTER_MS = 1000


class BusyIndicator(QWidget):
    """A label, an indeterminate progress bar and a Cancel button, shown while a watched job has run for
    more than :data:`SHOW_AFTER_MS`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setMaximumWidth(140)
        self.bar.setMaximumHeight(14)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button)
        self.running: dict[str, tuple[JobBridge, float, Callable[[], str]]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._update)
        self.setVisible(False)
        self.retranslate()

    def watch(self, bridge: JobBridge, title: Callable[[], str]) -> None:
        """Show progress for ``bridge``'s jobs; ``title()`` says what is running, in the UI language."""
        bridge.started.connect(lambda kind: self._started(bridge, kind, title))
        bridge.finished.connect(lambda kind, _r: self._ended(kind))
        bridge.failed.connect(lambda kind, _m: self._ended(kind))

    def _started(self, bridge: JobBridge, kind: str, title: Callable[[], str]) -> None:
        self.running[kind] = (bridge, time.monotonic(), title)
        self._timer.start()

    def _ended(self, kind: str) -> None:
        self.running.pop(kind, None)
        self._update()

    def _update(self) -> None:
        now = time.monotonic()
        long = [(k, v) for k, v in self.running.items() if now - v[1] >= SHOW_AFTER_MS / 1000]
        if not self.running:
            self._timer.stop()
        if not long:
            self.setVisible(False)
            return
        text = ", ".join(f"{v[2]()} ({now - v[1]:.0f} s)" for _, v in long)
        self.label.setText(text)
        self.setVisible(True)

    def cancel(self) -> None:
        """Cancel every job shown (their results are dropped)."""
        for kind, (bridge, _, _) in list(self.running.items()):
            bridge.runner.cancel(kind)
            self.running.pop(kind, None)
        self._update()

    def retranslate(self) -> None:
        """Set the button text in the UI language."""
        self.cancel_button.setText(QCoreApplication.translate("BusyIndicator", "Cancel"))
