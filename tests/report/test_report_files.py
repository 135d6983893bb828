"""The report files: the PDF of a played incident and of the rich drill, rendered to PNG by poppler and read
back as text; the HTML map opened in headless Chromium, which must find the layers and report no script
error; every page and the map labelled 演练/EXERCISE."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.report.conftest import REPO, need_tool, pdf_pages_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory):
    """The H2S tabletop played as an exercise, and its report written by the CLI (Chinese PDF, HTML map):
    the folder, and the CLI's JSON."""
    import contextlib
    import io

    from commandcenter.cli import main

    d = tmp_path_factory.mktemp("played")
    db = d / "h2s.db"
    with contextlib.redirect_stdout(io.StringIO()):
        rc = main(["incident", "play", str(REPO / "data" / "scripts" / "h2s-tabletop.yaml"), "--plant",
                   str(REPO / "data" / "demo_plant"), "--db", str(db), "--exercise", "--json"])
    assert rc == 0
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(["report", str(db), "--pdf", str(d / "r.pdf"), "--html", str(d / "r.html"), "--lang", "zh",
                   "--json"])
    assert rc == 0, buf.getvalue()
    return d, json.loads(buf.getvalue())


def test_report_cli_writes_the_pdf_and_map_of_a_played_incident(played) -> None:
    _d, doc = played
    assert set(doc) == {"log", "incident", "lang", "pdf", "html", "seconds", "summary"}
    assert doc["incident"] == "H2S-TT-2026-001"
    s = doc["summary"]
    assert s["exercise"] is True
    assert s["chain_intact"] is True
    # the script mustered E0114 at 03:00, E0116 at 03:10 and E0115 at 10:00: all three sent the evacuate order
    assert (s["muster_expected"], s["mustered"], s["muster_100_s"]) == (3, 3, 600.0)
    # SCBA recon: assigned at 02:00 with 300 s, done at 09:30 -> 150 s late
    assert s["overrun_s"] == 150.0
    assert Path(doc["pdf"]).stat().st_size > 10_000


def test_every_page_of_the_played_report_renders_and_says_exercise(played, tmp_path: Path) -> None:
    d, _doc = played
    pdf = d / "r.pdf"
    exe = need_tool("pdftoppm")
    subprocess.run([exe, "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    texts = pdf_pages_text(pdf)
    assert len(pngs) == len(texts) >= 6
    for i, text in enumerate(texts, 1):
        assert "演练" in text, f"page {i} is not labelled 演练"
        assert "EXERCISE" in text, f"page {i} is not labelled EXERCISE"
    whole = "\n".join(texts)
    for words in ("应急响应事后评估报告", "响应过程合规性审计", "人员清点曲线", "+08:00", "Asia/Shanghai"):
        assert words in whole
    from PIL import Image

    with Image.open(pngs[0]) as im:  # A4 portrait (210 x 297 mm) at 60 dpi
        assert abs(im.width - 210 / 25.4 * 60) <= 1
        assert abs(im.height - 297 / 25.4 * 60) <= 1


def test_the_cli_refuses_an_unknown_incident_in_one_line(played, capsys) -> None:
    from commandcenter.cli import main

    d, _doc = played
    rc = main(["report", str(d / "h2s.db"), "--incident", "NOPE", "--pdf", str(d / "x.pdf")])
    err = capsys.readouterr().err
    assert rc == 1
    assert "NOPE" in err
    assert "Traceback" not in err
    assert main(["report", str(d / "h2s.db")]) == 2  # nothing to write


@pytest.fixture(scope="module")
def rich_files(rich_log):
    from commandcenter.report import build_report
    from commandcenter.store import EventStore

    out = rich_log.db.parent
    store = EventStore(rich_log.db)
    steps: list[tuple[float, str]] = []
    try:
        res = build_report(store, rich_log.incident, "en", pdf=out / "rich.pdf", html=out / "rich.html",
                           progress=lambda f, n: steps.append((f, n)))
    finally:
        store.close()
    return res, steps


def test_progress_goes_from_zero_to_one_in_order(rich_files) -> None:
    _res, steps = rich_files
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions)
    assert (fractions[0], fractions[-1]) == (0.0, 1.0)


def test_the_rich_report_names_what_a_trainer_must_see(rich_files) -> None:
    res, _ = rich_files
    texts = pdf_pages_text(res["pdf"])
    assert all("EXERCISE" in t and "演练" in t for t in texts)
    whole = " ".join(" ".join(texts).split())
    for words in ("Response compliance audit", "Start the fan", "hash mismatch", "VALVE-7", "33.3 %",
                  "80.0 % = 4/5", "P3", "Trend over earlier drills", "DRILL-EARLIER"):
        assert words in whole, words
    # findings: the step that delayed the end most comes first
    assert whole.index("'Start the fan' finished 0:50 late") < whole.index("'Close the feed valve' finished 0:10")


def test_the_html_map_is_self_contained(rich_files) -> None:
    res, _ = rich_files
    html = Path(res["html"]).read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "@font-face" in html
    assert "EXERCISE" in html
    assert "演练" in html


def _chromium(args: list[str], url: str) -> subprocess.CompletedProcess:
    exe = need_tool("chromium")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                               "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                               "--virtual-time-budget=5000", *args, url], capture_output=True, text=True,
                              timeout=180)


def _console_errors(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if "CONSOLE" in ln and ("Uncaught" in ln or "Error" in ln)]


def test_the_console_error_check_catches_a_script_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><script>notAFunction();</script></body></html>", encoding="utf-8")
    assert _console_errors(_chromium(["--dump-dom"], bad.as_uri()).stderr)


def test_chromium_finds_every_layer_and_no_script_error(rich_files, tmp_path: Path) -> None:
    res, _ = rich_files
    run = _chromium(["--dump-dom"], Path(res["html"]).as_uri())
    assert _console_errors(run.stderr) == []
    labels = re.findall(r'leaflet-control-layers-selector"[^>]*><span> ([^<]+)</span>', run.stdout)
    assert labels == ["Site and buildings", "Walkways", "Hazard zones 09:00:35 +08:00", "Evacuation routes",
                      "Assembly points", "People's tracks", "Last positions", "Detectors that alarmed"]
    assert run.stdout.count('class="leaflet-interactive"') > 10  # zones, routes, tracks drawn as SVG/canvas
    shot = tmp_path / "map.png"
    _chromium(["--window-size=1000,800", f"--screenshot={shot}"], Path(res["html"]).as_uri())
    assert shot.stat().st_size > 5_000
