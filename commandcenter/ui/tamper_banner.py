"""A red banner across the top of the map while the incident shown comes from a log whose hash chain is broken.

The window verifies the chain before it shows an incident (``commandcenter.store.audit.verify_incident``); a broken
one opens read-only, and this banner names the first broken event and what was done to it, so nobody reads a
tampered record as the truth — on screen or in a screenshot.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

KINDS = {
    "changed": QT_TRANSLATE_NOOP("TamperBanner", "changed after it was recorded"),
    "deleted": QT_TRANSLATE_NOOP("TamperBanner", "deleted (events are missing)"),
    "inserted": QT_TRANSLATE_NOOP("TamperBanner", "inserted (it was not in the record)"),
    "reordered": QT_TRANSLATE_NOOP("TamperBanner", "out of order"),
}


class TamperBanner(QLabel):
    """White on red, across the top of ``parent`` (the map), hidden while the log is intact."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("tamperBanner")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("QLabel#tamperBanner { background: #b00020; color: white; font-weight: bold;"
                           " font-size: 14px; padding: 8px 14px; border-bottom: 3px solid #5c0011; }")
        self.result: Any = None
        self.setVisible(False)
        parent.installEventFilter(self)

    def show_result(self, result: Any) -> None:
        """Show the verdict of ``commandcenter.store.audit.verify_incident`` (hidden for None or an intact chain)."""
        self.result = result
        broken = result is not None and not result.intact
        self.setVisible(broken)
        if broken:
            self.retranslate()
            self._fit()
            self.raise_()

    def retranslate(self) -> None:
        """Set the text in the UI language."""
        r = self.result
        if r is None or r.intact:
            return
        b = r.brk
        kind = QCoreApplication.translate("TamperBanner", KINDS.get(b.kind, b.kind))
        head = QCoreApplication.translate(
            "TamperBanner", "TAMPERED INCIDENT LOG — the record of incident {id} is broken at event #{seq}: {kind}.")
        tail = QCoreApplication.translate(
            "TamperBanner", "Nothing from event #{seq} on can be trusted. Shown read-only: report it to the "
                            "log's administrator.")
        self.setText(f"⚠ {head.format(id=r.incident, seq=b.seq, kind=kind)}\n{tail.format(seq=b.seq)}")
        self.setToolTip(b.message)

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        self.setFixedWidth(parent.width())
        self.adjustSize()
        self.move(0, 0)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Follow the map's width."""
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._fit()
        return False

    def changeEvent(self, event: QEvent) -> None:
        """Re-translate when the UI language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
