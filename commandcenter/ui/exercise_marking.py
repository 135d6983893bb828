"""The exercise marking of the main window: a red status-bar banner and a title prefix while the open
incident is an exercise, so no screen of a drill can be mistaken for a real incident."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
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
