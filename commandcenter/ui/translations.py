"""Loading the UI translations (Qt ``.qm`` files) and remembering which language is in use.

The command center ships ``i18n/commandcenter_zh_CN.qm`` (compiled from the ``.ts``
beside it with ``pyside6-lrelease``). Chinese is used for a Chinese system locale,
English (the source language) otherwise; ``locale`` overrides the choice: ``zh``,
``zh_CN``, ``zh-CN``, ``zh_Hans`` … mean Chinese, ``en``, ``en_US``, ``C`` … English, and any
other name is refused (:func:`normalise_locale`). The language can be switched while the
window is open (:func:`install_translations` again: every widget gets a LanguageChange).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parent / "i18n"
CATALOGUE = "commandcenter"

_installed: list[QTranslator] = []
_language = "en"


#: the languages the UI speaks, as the catalogue names them
LANGUAGES = {"zh": "zh_CN", "en": "en"}


class UnknownLocale(ValueError):
    """A ``--locale`` the UI does not speak."""


def normalise_locale(name: str) -> str:
    """``zh_CN`` or ``en`` for a locale name (``zh``, ``zh-CN``, ``zh_Hans_CN``, ``zh_CN.UTF-8``, ``en_GB``,
    ``C``, ``POSIX`` …); raises :class:`UnknownLocale` naming the languages there are."""
    text = str(name).strip()
    lang = text.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if lang in ("c", "posix"):
        lang = "en"
    if lang not in LANGUAGES:
        raise UnknownLocale(f"unknown locale {name!r}: the interface speaks zh (中文, Chinese) or en (English)")
    return LANGUAGES[lang]


def choose_locale(locale: str | None = None) -> str:
    """The locale name to use: ``locale`` when given (normalised, see :func:`normalise_locale`), else ``zh_CN``
    for any Chinese system locale and ``en`` otherwise."""
    if locale:
        return normalise_locale(locale)
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def qm_path(locale: str) -> Path:
    """Path of the compiled command-center catalogue for ``locale`` (which may not exist)."""
    return I18N_DIR / f"{CATALOGUE}_{locale}.qm"


def install_translations(app: QCoreApplication, locale: str | None = None) -> str:
    """Install the translators for ``locale`` (see :func:`choose_locale`) on ``app``, replacing any
    installed before by this module; returns the language now in use (``"zh"`` or ``"en"``). An unknown
    ``locale`` raises :class:`UnknownLocale` (nothing is changed).

    Qt's own catalogue (standard dialog buttons) is loaded too when Qt ships one."""
    global _language
    name = choose_locale(locale)
    remove_translations(app)
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
