"""Make sure Chinese text renders: register the bundled Noto Sans CJK when the system has no CJK font.

A control-room PC on Chinese Windows has Microsoft YaHei; a Linux console or a CI
machine often has no CJK font at all, and every Chinese label becomes a box.
The ``manimgx-fonts-cjk`` wheel carries Noto Sans CJK (SIL OFL 1.1); we add it to
Qt's font database only when no installed family covers Simplified Chinese.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

_BUNDLED_PACKAGE = "manimgx_fonts_cjk"
_BUNDLED_FILE = "NotoSansCJK-VF.otf.ttc"


def system_cjk_families() -> list[str]:
    """Installed font families that cover Simplified Chinese."""
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def ensure_cjk_font(app: QApplication) -> str | None:
    """Register the bundled CJK font if no installed font covers Simplified Chinese, and put it
    behind the application font as a fallback. Returns the family used for Chinese, or None
    when there is none (the UI still works, with boxes for Chinese glyphs)."""
    families = system_cjk_families()
    if families:
        return families[0]
    try:
        font_file = resources.files(_BUNDLED_PACKAGE) / _BUNDLED_FILE
    except ModuleNotFoundError:
        return None
    with resources.as_file(font_file) as path:
        font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        return None
    loaded = QFontDatabase.applicationFontFamilies(font_id)
    cjk = [f for f in loaded if "SC" in f] or list(loaded)
    if not cjk:
        return None
    base = app.font()
    QFont.insertSubstitution(base.family(), cjk[0])
    return cjk[0]
