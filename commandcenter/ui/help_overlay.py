"""The keyboard help: a panel over the window listing every shortcut (F1 shows and hides it, so does Esc).

The list is built from the window's actions when it is shown, so it always says what the keys do now and in
the UI language; the replay window's keys are listed too (they work in that window).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

#: shortcuts of the replay window (owned there), listed for completeness: key, text
REPLAY_KEYS = (
    ("Space", QT_TRANSLATE_NOOP("HelpOverlay", "Replay: pause / play")),
    ("Right", QT_TRANSLATE_NOOP("HelpOverlay", "Replay: step forward one event")),
    ("Left", QT_TRANSLATE_NOOP("HelpOverlay", "Replay: step back one event")),
)


def plain(text: str) -> str:
    """A menu text without its mnemonic (``&Quit``, ``退出(&Q)``) or trailing ellipsis."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "").rstrip("…").rstrip(".").strip()


class HelpOverlay(QWidget):
    """A dimmed sheet over ``window`` with the shortcut table in the middle."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("helpOverlay")
        self.window_ = window
        self.actions: list[QAction] = []
        self.panel = QFrame(self)
        self.panel.setObjectName("helpPanel")
        self.panel.setStyleSheet("QFrame#helpPanel { background: white; border: 2px solid #37474f; "
                                 "border-radius: 8px; } QLabel { font-size: 13px; }")
        self.title = QLabel()
        self.title.setStyleSheet("QLabel { font-size: 17px; font-weight: bold; }")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        self.footer = QLabel()
        self.footer.setStyleSheet("QLabel { color: #546e7a; }")
        lay = QVBoxLayout(self.panel)
        lay.setContentsMargins(22, 16, 22, 16)
        lay.addWidget(self.title)
        lay.addLayout(self.grid)
        lay.addWidget(self.footer)
        self.setVisible(False)
        window.installEventFilter(self)

    def set_actions(self, actions: list[QAction]) -> None:
        """The actions whose shortcuts are listed (in this order)."""
        self.actions = list(actions)

    def rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) of every listed action that has a shortcut, then the replay keys."""
        out = []
        for a in self.actions:
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts()]
            if keys:
                out.append((" / ".join(keys), plain(a.text())))
        out += [(k, QCoreApplication.translate("HelpOverlay", t)) for k, t in REPLAY_KEYS]
        out.append(("F1 / Esc", QCoreApplication.translate("HelpOverlay", "Show or hide this help")))
        return out

    def toggle(self) -> None:
        """Show the help, or hide it when shown."""
        if self.isVisible():
            self.hide()
        else:
            self.open()

    def open(self) -> None:
        """Fill the table and show it over the whole window."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for i, (keys, text) in enumerate(self.rows()):
            k = QLabel(keys)
            k.setStyleSheet("QLabel { font-family: monospace; font-weight: bold; background: #eceff1; "
                            "padding: 2px 6px; border-radius: 3px; }")
            self.grid.addWidget(k, i, 0, Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(QLabel(text), i, 1)
        self.title.setText(QCoreApplication.translate("HelpOverlay", "Keyboard shortcuts"))
        self.footer.setText(QCoreApplication.translate(
            "HelpOverlay", "Help → Duty officer's guide: from alarm to all-clear, step by step."))
        self._fit()
        self.show()
        self.raise_()
        self.setFocus()

    def _fit(self) -> None:
        self.setGeometry(self.window_.rect())
        self.panel.adjustSize()
        self.panel.move((self.width() - self.panel.width()) // 2, (self.height() - self.panel.height()) // 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Dim the window under the panel."""
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0, 120))
        p.end()

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """A click anywhere closes the help."""
        self.hide()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Esc or F1 closes the help."""
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F1):
            self.hide()
            return
        super().keyPressEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Follow the window's size."""
        if obj is self.window_ and event.type() == QEvent.Type.Resize and self.isVisible():
            self._fit()
        return False

