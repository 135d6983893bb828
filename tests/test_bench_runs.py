"""The benchmark runner works (the figures themselves are recorded by `make bench`, not asserted here)."""

from __future__ import annotations

from bench.__main__ import main


def test_bench_runner_prints_figures(capsys) -> None:
    assert main(["--only", "positions_query", "--no-record"]) == 0
    out = capsys.readouterr().out
    assert "radius query, 10,000 people (median)" in out
    assert "machine:" in out
