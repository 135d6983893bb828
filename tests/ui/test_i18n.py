"""The UI speaks Chinese or English through Qt's translation system."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from commandcenter.ui import translations
from commandcenter.ui.main_window import MainWindow

UI_DIR = Path(translations.__file__).resolve().parent
TS_FILE = UI_DIR / "i18n" / "commandcenter_zh_CN.ts"


@pytest.fixture
def chinese(qapp) -> Iterator[str]:
    """The Chinese catalogue installed for one test."""
    language = translations.install_translations(qapp, "zh_CN")
    yield language
    translations.remove_translations(qapp)


def _window(qtbot, plant) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.set_plant(plant)
    return win


def test_the_chinese_translation_loads_with_locale_zh_CN(chinese, qtbot, mini_plant):
    assert chinese == "zh"
    assert translations.current_language() == "zh"
    win = _window(qtbot, mini_plant)
    assert win.file_menu.title() == "文件(&F)"
    assert win.view_menu.title() == "视图(&V)"
    assert win.layer_dock.windowTitle() == "图层"
    panel = win.layer_panel
    for key, title in {"zones": "区域", "buildings": "建筑物", "walkways": "通道", "exits": "出口",
                       "assembly_points": "集合点", "hazard_sources": "危险源", "sensors": "传感器",
                       "resources": "应急资源", "personnel": "人员", "walkways/stair": "楼梯"}.items():
        assert panel.item_for(key).text(0).startswith(title), key
    assert "建筑物 2" in win.plant_label.text()
    text = win.map_view.tooltip_text_at(668150.5, 3571080.3, tolerance_m=1.0)
    assert text is not None
    assert text.startswith("传感器 S1")


def test_english_with_locale_en(qapp, qtbot, mini_plant):
    assert translations.install_translations(qapp, "en") == "en"
    win = _window(qtbot, mini_plant)
    assert win.file_menu.title() == "&File"
    assert win.layer_panel.item_for("zones").text(0) == "Zones (2)"


def test_an_open_window_follows_a_change_of_language(qapp, qtbot, mini_plant):
    win = _window(qtbot, mini_plant)
    assert win.file_menu.title() == "&File"
    translations.install_translations(qapp, "zh_CN")
    try:
        qtbot.waitUntil(lambda: win.file_menu.title() == "文件(&F)")
        assert win.layer_panel.item_for("sensors").text(0).startswith("传感器")
    finally:
        translations.remove_translations(qapp)
    qtbot.waitUntil(lambda: win.file_menu.title() == "&File")


def test_a_chinese_system_locale_chooses_chinese(monkeypatch):
    from PySide6.QtCore import QLocale

    monkeypatch.setattr(translations.QLocale, "system", staticmethod(lambda: QLocale("zh_CN")))
    assert translations.choose_locale(None) == "zh_CN"
    monkeypatch.setattr(translations.QLocale, "system", staticmethod(lambda: QLocale("de_DE")))
    assert translations.choose_locale(None) == "en"
    assert translations.choose_locale("zh_CN") == "zh_CN"


def test_the_catalogue_is_complete_and_compiled():
    root = ET.parse(TS_FILE).getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 50
    unfinished = [m.find("source").text for m in messages
                  if m.find("translation").get("type") == "unfinished"]
    assert not unfinished
    assert translations.qm_path("zh_CN").stat().st_size > 1000


def test_every_ui_string_is_in_the_catalogue(tmp_path):
    """pyside6-lupdate finds no source text that the committed catalogue lacks."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        lupdate = Path(shutil.which("pyside6-lupdate") or "")
    if not lupdate.is_file():
        pytest.skip("pyside6-lupdate is not installed")
    probe = tmp_path / "probe.ts"
    shutil.copy(TS_FILE, probe)
    sources = sorted(str(p) for p in UI_DIR.glob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(probe)], check=True, capture_output=True)
    root = ET.parse(probe).getroot()
    new = [m.find("source").text for m in root.iter("message")
           if m.find("translation").get("type") == "unfinished"]
    assert not new, f"untranslated UI strings (run pyside6-lupdate and translate them): {new}"


def test_a_font_for_chinese_is_available(qapp):
    """Chinese labels must not render as boxes, even on a machine with no CJK font installed."""
    from commandcenter.ui.fonts import ensure_cjk_font, system_cjk_families

    family = ensure_cjk_font(qapp)
    assert family
    assert family in system_cjk_families()
