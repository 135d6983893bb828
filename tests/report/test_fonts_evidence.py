"""The CJK font subset embeds and reads back as Chinese (poppler is the independent reader), the font is found
without Qt, evidence is verified by an independent SHA-256, and a cancelled report stops and writes nothing."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.report.conftest import need_tool, png_bytes

TEXT = "响应过程合规性审计：演练 EXERCISE 09:01:30 +08:00"


def test_the_subset_font_embeds_chinese_that_reads_back_as_chinese(tmp_path: Path) -> None:
    from fpdf import FPDF

    from commandcenter.report.fonts import build_fonts

    fonts = build_fonts(TEXT, tmp_path)
    assert fonts.covers(TEXT)
    assert not fonts.covers("\U0001f600")  # Noto Sans CJK has no emoji: the writer must replace it
    pdf = FPDF()
    pdf.add_font("cjk", "", str(fonts.regular))
    pdf.add_font("cjk", "B", str(fonts.bold))
    pdf.add_page()
    pdf.set_font("cjk", "", 12)
    pdf.cell(text=TEXT)
    pdf.ln()
    pdf.set_font("cjk", "B", 12)
    pdf.cell(text=TEXT)
    out = tmp_path / "t.pdf"
    pdf.output(str(out))
    text = subprocess.run([need_tool("pdftotext"), str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count(TEXT) == 2
    fonts_listed = subprocess.run([need_tool("pdffonts"), str(out)], capture_output=True, text=True,
                                  check=True).stdout
    assert "CID Type 0C" in fonts_listed  # CFF outlines, embedded
    assert fonts_listed.count(" yes yes yes ") == 2  # embedded, subset, with a Unicode map; regular and bold
    assert build_fonts(TEXT, tmp_path) == fonts  # the second build reuses the files


def test_the_font_is_found_without_importing_qt() -> None:
    code = ("import sys; from commandcenter.report.fonts import bundled_font_path; import commandcenter.report.pdf;"
            "import commandcenter.report.html_map; p = bundled_font_path();"
            "print(p.name, any(m.startswith(('PySide6', 'pyqtgraph', 'commandcenter.ui')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["NotoSansCJK-VF.otf.ttc", "False"]


def test_evidence_is_verified_missing_or_a_mismatch(tmp_path: Path) -> None:
    from commandcenter.report.evidence import check_evidence, evidence_dir_of

    folder = evidence_dir_of(tmp_path / "drill.db")
    assert folder == tmp_path / "drill.evidence"
    folder.mkdir()
    photo = png_bytes("pump off")
    sha = hashlib.sha256(photo).hexdigest()
    (folder / sha[:2]).mkdir()
    (folder / sha[:2] / f"{sha}.png").write_bytes(photo)
    ok = check_evidence(sha.upper(), [folder])
    assert (ok.status, ok.path) == ("verified", folder / sha[:2] / f"{sha}.png")
    from PIL import Image

    with Image.open(__import__("io").BytesIO(ok.thumbnail)) as im:
        assert max(im.size) <= 320
    other = png_bytes("someone else's photo")
    sha2 = hashlib.sha256(other).hexdigest()
    (folder / sha2).write_bytes(photo)  # the stored bytes are not the ones the hash was recorded for
    bad = check_evidence(sha2, [folder])
    assert (bad.status, bad.thumbnail) == ("mismatch", None)
    assert check_evidence("0" * 64, [folder]).status == "missing"
    hint = check_evidence(sha, [folder], hint="../../etc/passwd")  # a path out of the folder is not followed
    assert hint.status == "verified"


def test_a_cancelled_report_stops_and_writes_nothing(rich_log, tmp_path: Path) -> None:
    from commandcenter.report import build_report
    from commandcenter.services.jobs import CancelToken, JobCancelled
    from commandcenter.store import EventStore

    token = CancelToken()
    seen: list[str] = []

    def progress(frac: float, step: str) -> None:
        seen.append(step)
        if step == "plant":
            token.cancel()

    store = EventStore(rich_log.db)
    try:
        with pytest.raises(JobCancelled):
            build_report(store, rich_log.incident, "zh", pdf=tmp_path / "r.pdf", html=tmp_path / "r.html",
                         progress=progress, cancel=token)
    finally:
        store.close()
    assert seen == ["read", "plant"]
    assert list(tmp_path.iterdir()) == []


def test_a_report_needs_a_language_it_knows_and_a_file_to_write(rich_log, tmp_path: Path) -> None:
    from commandcenter.report import ReportError, build_report
    from commandcenter.store import EventStore

    store = EventStore(rich_log.db)
    try:
        with pytest.raises(ReportError, match="--lang"):
            build_report(store, rich_log.incident, "fr", pdf=tmp_path / "r.pdf")
        with pytest.raises(ReportError, match="nothing to write"):
            build_report(store, rich_log.incident, "zh")
    finally:
        store.close()


def test_a_log_with_nothing_but_a_note_still_gives_a_report(tmp_path: Path) -> None:
    import datetime as dt

    from commandcenter.report import build_report
    from commandcenter.store import EventStore

    t0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    store = EventStore(tmp_path / "quiet.db")
    try:
        store.create_incident("REAL-1", "真实事件：无后续记录", exercise=False, time=t0)
        store.append("REAL-1", "note.added", {"text": "值班记录"}, time=t0 + dt.timedelta(minutes=5))
        res = build_report(store, "REAL-1", "zh", pdf=tmp_path / "q.pdf", html=tmp_path / "q.html")
    finally:
        store.close()
    s = res["summary"]
    assert (s["exercise"], s["steps"], s["muster_expected"], s["linkage_rate"], s["trend_drills"]) == (
        False, 0, 0, None, 0)
    html = (tmp_path / "q.html").read_text(encoding="utf-8")
    assert "EXERCISE" not in html
    assert "真实事件" in html
    from tests.report.conftest import pdf_pages_text

    texts = pdf_pages_text(tmp_path / "q.pdf")
    assert not any("EXERCISE" in t for t in texts)  # a real incident is never labelled an exercise
