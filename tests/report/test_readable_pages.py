"""What a reader of the PDF relies on, checked against hand-worked values: every map snapshot shows all its
points whole and stays on the plant's site when the site is larger than the frame; the drill's scenario is
written in words with plant-local times."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from matplotlib.figure import Figure

from commandcenter.report.charts import MIN_SPAN_M, _frame
from commandcenter.report.i18n import Words
from commandcenter.report.pdf import _scenario_text
from commandcenter.report.plantgeo import PlantGeometry

SITE = PlantGeometry("site", None, "Asia/Shanghai",
                     site=[np.array([[0.0, 0.0], [1000.0, 0.0], [1000.0, 800.0], [0.0, 800.0]])])


def _limits(xs, ys, geo=SITE):
    ax = Figure().subplots()
    _frame(ax, xs, ys, geo)
    return ax.get_xlim(), ax.get_ylim()


def test_a_snapshot_frame_holds_every_point_with_a_margin_and_stays_on_the_site():
    # an alarm at the site's west edge (x = 5) and an assembly point 300 m south of it
    (x0, x1), (y0, y1) = _limits([5.0, 40.0], [700.0, 400.0])
    assert x1 - x0 == pytest.approx(y1 - y0)  # square: the map is drawn to scale
    half = 300.0 / 2 * 1.12 + 10.0  # the frame's rule: the larger span, 12 % and 10 m of margin
    assert x1 - x0 == pytest.approx(2 * half)
    assert x0 == pytest.approx(0.0)  # moved east onto the site instead of showing blank paper beyond its edge
    assert x1 >= 40.0 + 10.0
    assert y0 < 400.0 - 10.0
    assert y1 > 700.0 + 10.0  # a symbol on the extreme point is drawn whole


def test_a_small_action_area_gets_the_minimum_span_and_a_site_smaller_than_the_frame_is_centred():
    (x0, x1), _ = _limits([500.0], [400.0])
    assert x1 - x0 == pytest.approx(MIN_SPAN_M * 1.12 + 20.0)
    small = PlantGeometry("small", None, None, site=[np.array([[0.0, 0.0], [50.0, 0.0], [50.0, 50.0],
                                                                [0.0, 50.0]])])
    (x0, x1), (y0, y1) = _limits([10.0, 40.0], [10.0, 40.0], small)
    assert (x0 + x1) / 2 == pytest.approx(25.0)
    assert (y0 + y1) / 2 == pytest.approx(25.0)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["scenario BLIND-3", "source HZ-412", "LPG at 142 kg/s", "plan flammable-gas-leak",
            "start 2026-12-18 14:29:00 +08:00", "wind 5.4 m/s from 107°, stability C", "seed 3"]),
    ("zh", ["情景 BLIND-3", "泄漏源 HZ-412", "LPG 142 kg/s", "开始 2026-12-18 14:29:00 +08:00",
            "风速 5.4 m/s，风向 107°（来向），稳定度 C", "随机种子 3"])])
def test_the_scenario_is_written_in_words_in_plant_time(lang, expected):
    sc = {"scenario_id": "BLIND-3", "seed": 3, "kind": "flammable_release", "source_id": "HZ-412",
          "plan_id": "flammable-gas-leak", "start": "2026-12-18T06:29:00+00:00",
          "weather": {"wind_speed_mps": 5.42, "wind_from_deg": 107.4, "stability": "C", "cloud_cover_tenths": 0.0},
          "params": {"substance": "LPG", "rate_kg_s": 141.6}}
    text = _scenario_text(sc, Words(lang), dt.timezone(dt.timedelta(hours=8)))
    for part in expected:
        assert part in text, part
    assert "cloud_cover_tenths" not in text  # no raw keys for the reader
