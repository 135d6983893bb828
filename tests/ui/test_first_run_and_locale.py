"""First run on a fresh Linux desktop (the missing xcb libraries named with the one apt-get line), ``--locale zh``
and an unknown locale refused."""

from __future__ import annotations

import ctypes.util

import pytest

from commandcenter.ui import first_run, translations

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f2b)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxkbcommon-x11.so.0 => not found
"""


def test_the_libraries_ldd_cannot_find_are_named_once_each_in_order():
    assert first_run.missing_from_ldd(LDD) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1",
                                               "libxkbcommon-x11.so.0"]


@pytest.mark.parametrize(("soname", "package"), [
    ("libxcb-cursor.so.0", "libxcb-cursor0"),  # the three of the issue, by Debian's own package names
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),  # a name ending in a digit takes a hyphen
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
])
def test_debian_package_names(soname, package):
    assert first_run.debian_package(soname) == package


def test_the_one_apt_get_line():
    missing = first_run.missing_from_ldd(LDD)[:3]
    assert first_run.apt_line(missing) == "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"


def test_missing_libraries_agree_with_the_dynamic_linker():
    """What the check reports missing, ctypes cannot find either, and the other known ones it can."""
    missing = first_run.missing_xcb_libraries()
    for so in missing:
        assert ctypes.util.find_library(so.split(".so")[0].removeprefix("lib")) is None, so


def test_without_ldd_the_known_libraries_are_looked_up(monkeypatch):
    found = {"xcb-cursor"}
    monkeypatch.setattr(first_run.shutil, "which", lambda name: None)
    missing = first_run.missing_xcb_libraries(find=lambda name: "lib" if name in found else None)
    assert "libxcb-cursor.so.0" not in missing
    assert {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"} <= set(missing)


@pytest.mark.parametrize(("env", "platform", "xcb"), [
    ({"DISPLAY": ":0"}, "linux", True),
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "linux", False),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"DISPLAY": ":0"}, "win32", False),
])
def test_only_an_xcb_start_is_checked(env, platform, xcb):
    assert first_run.uses_xcb(env, platform) is xcb


@pytest.mark.parametrize(("name", "catalogue"), [
    ("zh", "zh_CN"), ("zh_CN", "zh_CN"), ("zh-CN", "zh_CN"), ("zh_Hans_CN", "zh_CN"), ("zh_CN.UTF-8", "zh_CN"),
    ("ZH", "zh_CN"), ("en", "en"), ("en_GB", "en"), ("C", "en"), ("POSIX", "en"),
])
def test_locale_names_the_ui_speaks(name, catalogue):
    assert translations.normalise_locale(name) == catalogue


@pytest.mark.parametrize("name", ["fr", "de_DE", "klingon", "", "zz_CN"])
def test_an_unknown_locale_is_refused_naming_the_languages(name):
    with pytest.raises(translations.UnknownLocale, match=r"zh .* en"):
        translations.normalise_locale(name)


def test_locale_zh_installs_chinese_and_an_unknown_one_changes_nothing(qapp):
    try:
        assert translations.install_translations(qapp, "zh") == "zh"
        with pytest.raises(translations.UnknownLocale):
            translations.install_translations(qapp, "fr")
        assert translations.current_language() == "zh"
    finally:
        translations.remove_translations(qapp)


def test_the_program_refuses_an_unknown_locale_with_exit_2(capsys):
    from commandcenter.ui.app import run_gui

    assert run_gui(None, locale="fr") == 2
    err = capsys.readouterr().err
    assert "--locale" in err
    assert "'fr'" in err
