"""Run every benchmark, print the figures and record them in docs/benchmarks.md.

Usage: ``python -m bench [--only NAME ...] [--no-record]``.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from pathlib import Path

from bench.common import Figure, machine, today

BENCHMARKS = {
    "plant_load": "bench.plant_load",
    "positions_query": "bench.positions_query",
    "routing": "bench.routing",
    "plans": "bench.plans",
    "hazards": "bench.hazards",
    "incident_log": "bench.incident_log",
    "comms": "bench.comms",
    "replay": "bench.replay",
    "resources": "bench.resources",
    "simulation": "bench.simulation",
    "ui": "bench.ui",
    "noding": "bench.noding",
    "replay_ui": "bench.replay_ui",
}
DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def record(name: str, figures: list[Figure]) -> None:
    """Replace the section of ``name`` in docs/benchmarks.md with these figures, machine and date."""
    begin, end = f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"
    rows = "\n".join(f"| {f.name} | {f.value:.3f} {f.unit} | {f.target or '—'} | "
                     f"{'—' if f.ok is None else ('pass' if f.ok else 'FAIL')} | {f.note} |" for f in figures)
    block = (f"{begin}\nMeasured {today()} on {machine()}.\n\n| figure | value | target | verdict | note |\n"
             f"|---|---|---|---|---|\n{rows}\n{end}")
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + f"\n\n## {name}\n\n{block}\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks; exit 1 if any figure misses its target."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), help="run only these")
    parser.add_argument("--no-record", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}\ndate: {today()}")
    failed = False
    for name in args.only or BENCHMARKS:
        figures = importlib.import_module(BENCHMARKS[name]).run()
        print(f"\n[{name}]")
        for f in figures:
            print(f.line())
        failed |= any(f.ok is False for f in figures)
        if not args.no_record:
            record(name, figures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
