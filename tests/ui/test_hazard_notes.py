"""The dispersion model's notes (English sentences in the log) are said in the UI language in the Hazard
assessment dock: every note the model writes for a set of releases that trigger each kind of note."""

from __future__ import annotations

import re

import pytest

from commandcenter.ui.hazard_panel import model_note
from gis.hazards import Release, Weather, hazard_zones

CJK = re.compile(r"[\u4e00-\u9fff]")
NAMES = ("Britter", "McQuaid", "Briggs", "Gaussian", "AEGL", "ERPG")


def _notes() -> list[str]:
    """Notes from real model runs: a wind measured at 10 m, a dense gas, a far zone (Cl2), an undefined AEGL-1
    (CO), a near zone under 100 m (a small H2S leak)."""
    runs = [(Release("H2S", rate_kg_s=0.05), Weather(2.0, 270.0, "D", wind_height_m=10.0)),
            (Release("Cl2", rate_kg_s=20.0), Weather(4.0, 270.0, "E")),
            (Release("Cl2", rate_kg_s=0.01), Weather(6.0, 270.0, "D")),
            (Release("CO", rate_kg_s=2.0), Weather(3.0, 270.0, "D"))]
    notes: list[str] = []
    for release, weather in runs:
        notes += hazard_zones(release, weather, (0.0, 0.0))["warnings"]
    return notes


def _figures(text: str) -> list[str]:
    """The numbers of a note (the unit kg/m3 aside: the panel writes it m³)."""
    return re.findall(r"\d+(?:\.\d+)?", text.replace("kg/m3", "kg/m³"))


def test_the_model_writes_every_kind_of_note_the_panel_reads():
    text = " ".join(_notes())
    for phrase in ("corrected to", "denser than air", "beyond 10 km", "is not defined", "inside 100 m"):
        assert phrase in text


@pytest.fixture
def chinese(qapp):
    from commandcenter.ui import translations

    translations.install_translations(qapp, "zh_CN")
    yield
    translations.remove_translations(qapp)


def test_every_model_note_reads_in_chinese_with_its_numbers(chinese):
    for note in _notes():
        zh = model_note(note)
        assert CJK.search(zh), note
        rest = zh
        for name in NAMES:
            rest = rest.replace(name, "")
        assert not re.search(r"[A-Za-z]{5,}", rest), zh  # no English sentence left
        for number in _figures(note):
            assert number in zh, (number, zh)  # the figures are kept


def test_in_english_a_note_keeps_its_figures_and_an_unknown_note_is_kept_as_written():
    for note in _notes():
        en = model_note(note)
        assert not CJK.search(en)
        assert _figures(en) == _figures(note)
    assert model_note("something new from the model") == "something new from the model"
