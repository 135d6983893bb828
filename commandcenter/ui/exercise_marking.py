"""The exercise marking of every window: a red status-bar banner, a title prefix, a coloured frame around the
window and a watermark across the map while the open incident is an exercise, so no screen — and no
screenshot or export of one — of a drill can be mistaken for a real incident."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QWidget


class ExerciseBanner(QLabel):
    """A status-bar label, hidden unless an exercise incident is open (then white on red)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exerciseBanner")
        self.setStyleSheet("QLabel#exerciseBanner { background: #c62828; color: white; font-weight: bold;"
                           " padding: 1px 8px; }")
        self.exercise = False
        self.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the banner text in the UI language."""
        self.setText(QCoreApplication.translate("ExerciseMarking", "EXERCISE — not a real incident"))

    def set_exercise(self, exercise: bool) -> None:
        """Show (True) or hide (False) the banner."""
        self.exercise = bool(exercise)
        self.setVisible(self.exercise)

    def title(self, title: str) -> str:
        """``title`` with the exercise prefix while an exercise is open."""
        if not self.exercise:
            return title
        prefix = QCoreApplication.translate("ExerciseMarking", "[EXERCISE]")
        return f"{prefix} {title}"

    def changeEvent(self, event: QEvent) -> None:
        """Re-translate when the UI language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


FRAME_COLOUR = QColor(216, 27, 96)
FRAME_PX = 6


def watermark_text() -> str:
    """The watermark across the map of an exercise: both languages, so no reader can miss it."""
    return QCoreApplication.translate("ExerciseMarking", "EXERCISE 演练")


class ExerciseFrame(QWidget):
    """A coloured frame around a whole window with an "EXERCISE" tab in its bottom-left corner, on top of everything
    and transparent to the mouse; hidden unless an exercise is open. Put one on every window of a drill
    (:func:`mark_window`); it is in every screenshot of the window."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("exerciseFrame")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setVisible(False)
        window.installEventFilter(self)
        self._fit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Follow the window's size."""
        if obj is self.parentWidget() and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._fit()
        return False

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
            self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The frame and the corner tabs."""
        p = QPainter(self)
        pen = QPen(FRAME_COLOUR, FRAME_PX)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        r = self.rect().adjusted(FRAME_PX // 2, FRAME_PX // 2, -(FRAME_PX // 2) - 1, -(FRAME_PX // 2) - 1)
        p.drawRect(r)
        font = QFont()
        font.setBold(True)
        font.setPointSizeF(9.5)
        p.setFont(font)
        text = watermark_text()
        w = p.fontMetrics().horizontalAdvance(text) + 16
        h = p.fontMetrics().height() + 4
        tab = QRect(FRAME_PX + 2, self.height() - h, w, h)  # bottom left, clear of the menus and the docks' titles
        p.fillRect(tab, FRAME_COLOUR)
        p.setPen(QColor(255, 255, 255))
        p.drawText(tab, Qt.AlignmentFlag.AlignCenter, text)
        p.end()


def mark_window(window: QWidget, exercise: bool) -> ExerciseFrame:
    """Frame ``window`` while an exercise is open (the frame is made once per window and kept)."""
    frame = window.findChild(ExerciseFrame, "exerciseFrame")
    if frame is None:
        frame = ExerciseFrame(window)
    frame.setVisible(bool(exercise))
    if exercise:
        frame._fit()
    return frame
