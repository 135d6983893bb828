"""While an exercise incident is open, the main window's title and status bar say so (演练/EXERCISE)."""

from __future__ import annotations

from commandcenter.ui import translations
from commandcenter.ui.main_window import MainWindow


def test_exercise_marks_title_and_status_bar(qtbot, mini_plant) -> None:
    win = MainWindow()
    qtbot.addWidget(win)
    win.set_plant(mini_plant)
    win.show()
    assert not win.exercise_banner.isVisible()
    win.set_exercise(True)
    assert win.windowTitle().startswith("[EXERCISE] ")
    assert win.exercise_banner.isVisible()
    assert "EXERCISE" in win.exercise_banner.text()
    win.set_exercise(False)
    assert not win.windowTitle().startswith("[EXERCISE]")
    assert not win.exercise_banner.isVisible()


def test_exercise_marking_in_chinese_is_bilingual(qapp, qtbot, mini_plant) -> None:
    translations.install_translations(qapp, "zh_CN")
    try:
        win = MainWindow()
        qtbot.addWidget(win)
        win.set_plant(mini_plant)
        win.set_exercise(True)
        assert win.windowTitle().startswith("【演练 EXERCISE】")
        assert win.exercise_banner.text().startswith("演练 EXERCISE")
    finally:
        translations.remove_translations(qapp)
