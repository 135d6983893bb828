"""Class 3 and 8 of #10 for the hazard file (``--hazard`` of route, simulate and resources) and the detector
readings (``hazard locate --readings``): a FIFO, a link to ``/dev/zero``, a dangling link, a folder, NaN or
1e400 in the file — each is one line naming the file, exit 1, at once (never a hang, never read to the end).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import MINI_PLANT
from tests.hardening.support import GENERIC, run_cli

#: a FIFO makes a blocking reader wait forever; this is far above a refusal's cost and far below a hang's
SECONDS = 30


@pytest.fixture(scope="module")
def special(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Hostile files, each with the words its refusal must contain."""
    root = tmp_path_factory.mktemp("special")
    os.mkfifo(root / "fifo.geojson")
    os.symlink("/dev/zero", root / "zero.geojson")
    os.symlink(root / "moved-away.geojson", root / "dangling.geojson")
    (root / "folder.geojson").mkdir()
    (root / "nan.geojson").write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                                      '{"level": "red"}, "geometry": {"type": "Polygon", "coordinates": '
                                      '[[[0, 0], [NaN, 0], [1, 1], [0, 0]]]}}]}', encoding="utf-8")
    (root / "inf.geojson").write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                                      '{"level": "red"}, "geometry": {"type": "Polygon", "coordinates": '
                                      '[[[668000, 3571000], [1e400, 3571000], [668100, 3571100], '
                                      '[668000, 3571000]]]}}]}', encoding="utf-8")
    return {"fifo": (root / "fifo.geojson", "FIFO"), "dev_zero": (root / "zero.geojson", "character device"),
            "dangling": (root / "dangling.geojson", "moved-away"), "folder": (root / "folder.geojson", "folder"),
            "nan": (root / "nan.geojson", "NaN"), "inf": (root / "inf.geojson", "not finite")}


HAZARD_COMMANDS = {
    "route": ["route", str(MINI_PLANT), "--method", "shortest"],
    "simulate": ["simulate", str(MINI_PLANT)],
    "resources nearest": ["resources", "nearest", str(MINI_PLANT), "--x", "668100", "--y", "3571040"],
    "resources people": ["resources", "people", str(MINI_PLANT), "--x", "668100", "--y", "3571040",
                         "--at", "2026-11-22T09:00:00+08:00"],
}
KINDS = ("fifo", "dev_zero", "dangling", "folder", "nan", "inf")


def _refused_naming(argv: list[str], path: Path, words: str) -> None:
    rc, out, err = run_cli(argv, seconds=SECONDS)
    text = (out + err).strip()
    assert rc == 1, f"exit {rc} for {argv}: {text[-800:]}"
    assert GENERIC not in text, text
    assert len(text.splitlines()) == 1, text
    assert str(path) in text or path.name in text, text
    assert words in text, text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", sorted(HAZARD_COMMANDS))
def test_hazard_file_that_is_not_a_readable_regular_file_is_refused_naming_it(
        command: str, kind: str, special: dict[str, tuple[Path, str]]) -> None:
    path, words = special[kind]
    _refused_naming([*HAZARD_COMMANDS[command], "--hazard", str(path), "--json"], path, words)


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "dangling", "folder"])
def test_readings_file_that_is_not_a_regular_file_is_refused_naming_it(kind: str,
                                                                       special: dict[str, tuple[Path, str]]) -> None:
    path, words = special[kind]
    argv = ["hazard", "locate", str(MINI_PLANT), "--readings", str(path), "--wind-speed", "3", "--wind-from", "90",
            "--stability", "D", "--json"]
    rc, out, err = run_cli(argv, seconds=SECONDS)
    text = (out + err).strip()
    if kind == "folder":  # click's own dir_okay=False check: a usage error naming the option and the path
        assert rc == 2, text
        assert "--readings" in text, text
        assert str(path) in text, text
        return
    _refused_naming(argv, path, words)


def test_readings_with_a_nul_byte_or_a_huge_field_are_refused_not_a_traceback(tmp_path: Path) -> None:
    for name, data in (("nul.csv", b"sensor_id,time,value,unit\nS1,2026-11-22T09:00:00+08:00,1\x00,ppm\n"),
                       ("huge.csv", b"sensor_id,time,value,unit\n\"" + b"x" * 200_000 + b"\",t,1,ppm\n")):
        p = tmp_path / name
        p.write_bytes(data)
        argv = ["hazard", "locate", str(MINI_PLANT), "--readings", str(p), "--wind-speed", "3", "--wind-from", "90",
                "--stability", "D"]
        rc, _out, err = run_cli(argv, seconds=SECONDS)
        assert rc == 1, err
        assert str(p) in err, err
        assert GENERIC not in err, err
        assert "Traceback" not in err, err


@pytest.mark.parametrize("argv", [
    ["plume", "--substance", "H2S", "--rate-kg-s", "1", "--wind-speed", "3", "--wind-from", "90", "--stability",
     "D", "--x", "668100", "--y", "3571040", "--geojson"],
    ["report", "LOG", "--pdf"],
    ["report", "LOG", "--html"],
])
def test_an_output_path_that_is_a_fifo_is_refused_not_waited_on(argv: list[str], tmp_path: Path) -> None:
    """Opening a FIFO for writing blocks until a reader comes: forever, for a typo (found by make fuzz)."""
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    log = tmp_path / "log.db"
    log.write_bytes(b"")
    argv = [str(log) if a == "LOG" else a for a in argv] + [str(fifo)]
    rc, out, err = run_cli(argv, seconds=SECONDS)
    assert rc == 2, out + err
    assert str(fifo) in err
    assert "regular file" in err


def test_a_cap_notice_to_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    import json

    db = tmp_path / "log.db"
    rc, out, err = run_cli(["incident", "open", "--plant", str(MINI_PLANT), "--db", str(db), "--title", "fifo",
                            "--exercise", "--json"])
    assert rc == 0, err
    fifo = tmp_path / "notice.xml"
    os.mkfifo(fifo)
    rc, out, err = run_cli(["cap", str(db), "--incident", json.loads(out)["incident"], "--out", str(fifo)],
                           seconds=SECONDS)
    assert rc == 2, out + err
    assert str(fifo) in err
