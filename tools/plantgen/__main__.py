"""Command line ``python -m tools.plantgen OUT [--scale N] [--seed S]``: write a package, print counts."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from tools.plantgen.generate import generate_plant


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, write the package and print the feature counts; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.plantgen",
        description="Write the demo chemical plant package (or a park of N copies of it).")
    parser.add_argument("out", help="output folder (created if missing)")
    parser.add_argument("--scale", type=int, default=1, help="number of plant copies (1 = the demo plant)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate_plant(args.out, scale=args.scale, seed=args.seed)
    took = time.perf_counter() - t0
    print(", ".join(f"{k} {v}" for k, v in counts.items()) + f" ({took:.1f} s) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
