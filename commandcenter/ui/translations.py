"""Loading the UI translations (Qt ``.qm`` files) and remembering which language is in use.

The command center ships ``i18n/commandcenter_zh_CN.qm`` (compiled from the ``.ts``
beside it with ``pyside6-lrelease``). Chinese is used for a Chinese system locale,
English (the source language) otherwise; ``locale`` overrides the choice.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parent / "i18n"
CATALOGUE = "commandcenter"

_installed: list[QTranslator] = []
_language = "en"


def choose_locale(locale: str | None = None) -> str:
    """The locale name to use: ``locale`` when given (``"zh_CN"``, ``"en"``), else ``zh_CN`` for any
    Chinese system locale and ``en`` otherwise."""
    if locale:
        return locale
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def qm_path(locale: str) -> Path:
    """Path of the compiled command-center catalogue for ``locale`` (which may not exist)."""
    return I18N_DIR / f"{CATALOGUE}_{locale}.qm"


def install_translations(app: QCoreApplication, locale: str | None = None) -> str:
    """Install the translators for ``locale`` (see :func:`choose_locale`) on ``app``, replacing any
    installed before by this module; returns the language now in use (``"zh"`` or ``"en"``).

    Qt's own catalogue (standard dialog buttons) is loaded too when Qt ships one."""
    global _language
    remove_translations(app)
    name = choose_locale(locale)
    if name.split("_")[0].lower() in ("en", "c", ""):
        _language = "en"
        return _language
    ours = QTranslator(app)
    if not ours.load(str(qm_path(name))):
        _language = "en"
        return _language
    app.installTranslator(ours)
    _installed.append(ours)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{name}", qt_dir) or qt_own.load(f"qt_{name}", qt_dir):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    _language = name.split("_")[0].lower()
    return _language


def remove_translations(app: QCoreApplication) -> None:
    """Remove every translator this module installed on ``app``; the UI falls back to English."""
    global _language
    while _installed:
        translator = _installed.pop()
        app.removeTranslator(translator)
        translator.deleteLater()
    _language = "en"


def current_language() -> str:
    """``"zh"`` while the Chinese catalogue is installed, else ``"en"``: used to pick feature names."""
    return _language
