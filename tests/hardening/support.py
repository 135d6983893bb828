"""Shared pieces of the hardening suite: example budgets, a time limit, hostile values, and the checks
that every run must pass (a clean exit code, no traceback, finite JSON).

Budgets: ``make test`` runs a few derandomized examples per target (the same every time, so its
duration is stable); ``HYPOTHESIS_PROFILE=fuzz`` runs many random ones (``make fuzz``).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import resource
import signal
import sys
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = os.environ.get("HYPOTHESIS_PROFILE", "") == "fuzz"
#: how long one run may take before it counts as a hang, s (generous: the test machine is shared)
HANG_S = 120.0 if FUZZ else 90.0


def budget(default: int, fuzz: int) -> settings:
    """Hypothesis settings: ``default`` derandomized examples for ``make test``, ``fuzz`` random ones for
    ``make fuzz`` (``FUZZ_EXAMPLES=N`` overrides); no example database is written into the repository."""
    n = int(os.environ.get("FUZZ_EXAMPLES", fuzz)) if FUZZ else default
    return settings(max_examples=n, derandomize=not FUZZ, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck), print_blob=FUZZ)


class Hang(BaseException):
    """A run exceeded its time limit (a BaseException, so ``except Exception`` in the code under test cannot
    swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float = HANG_S) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread if the block runs longer than ``seconds``."""
    def on_alarm(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds:g} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _vm_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


@contextlib.contextmanager
def memory_limit(extra_bytes: int = 3 * 2**30) -> Iterator[None]:
    """Cap this process's address space at its current size plus ``extra_bytes`` for the block, so a reader
    that runs away (a link to /dev/zero read to the end) fails with MemoryError instead of taking the shared
    machine down; the previous limit is restored afterwards."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = _vm_bytes()
    if not used:
        yield
        return
    cap = used + extra_bytes
    for limit in (soft, hard):
        if limit != resource.RLIM_INFINITY:
            cap = min(cap, limit)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run_cli(argv: list[str], seconds: float = HANG_S) -> tuple[int, str, str]:
    """Run ``commandcenter ARGV`` in this process with empty stdin, a time limit and a memory cap;
    (exit code, stdout, stderr)."""
    from commandcenter.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO("")
    try:
        with time_limit(seconds), memory_limit(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(list(argv))
    finally:
        sys.stdin = old_stdin
    if os.environ.get("HARDENING_LOG"):  # e.g. to see how many runs reach a real answer
        with open(os.environ["HARDENING_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{rc}\t{' '.join(argv[:2])}\t{(err.getvalue().strip().splitlines() or [''])[-1][:160]}\n")
    return rc, out.getvalue(), err.getvalue()


GENERIC = "run with --debug for the traceback"
#: what the entry point says when a reader ran out of memory: a refusal must come from a check instead
OUT_OF_MEMORY = "too large to read in memory"


def _refuse_constant(name: str) -> Any:
    raise AssertionError(f"JSON output holds {name}")


def non_finite(obj: Any, where: str = "$") -> list[str]:
    """Paths of every non-finite float in a parsed JSON value."""
    bad: list[str] = []
    stack = [(where, obj)]
    while stack:
        path, v = stack.pop()
        if isinstance(v, float) and not math.isfinite(v):
            bad.append(path)
        elif isinstance(v, dict):
            stack.extend((f"{path}.{k}", x) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend((f"{path}[{i}]", x) for i, x in enumerate(v))
    return bad


def check_run(argv: list[str], rc: int, out: str, err: str, *, strict: bool = False) -> None:
    """The contract of every CLI run: exit 0, 1 or 2; never a traceback; a refusal says something; a
    ``--json`` success prints one strict JSON value with finite numbers only. ``strict``: the refusal
    must be a specific one, not the last-line-of-defence handler's."""
    shown = " ".join(argv)[:300]
    assert rc in (0, 1, 2), f"exit code {rc} for: {shown}\n{err[-2000:]}"
    assert "Traceback (most recent call last)" not in out + err, f"traceback for: {shown}\n{(out + err)[-3000:]}"
    if rc != 0:
        assert (out + err).strip(), f"exit {rc} without a word for: {shown}"
    if strict:
        assert GENERIC not in err, f"unexpected error (not a specific refusal) for: {shown}\n{err[-1500:]}"
    assert OUT_OF_MEMORY not in err, f"ran out of memory instead of refusing (a size cap is missing) for: {shown}"
    if rc == 0 and "--json" in argv and out.strip():
        try:
            value = json.loads(out, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise AssertionError(f"--json output is not one JSON value for: {shown}: {exc}\n{out[:500]}") from None
        assert not non_finite(value), f"non-finite numbers at {non_finite(value)[:5]} for: {shown}"


# ---------------------------------------------------------------------------------------------- hostile values

#: number-shaped text that no physical quantity may be
BAD_NUMBER_TEXT = ("nan", "NaN", "-nan", "inf", "-inf", "+inf", "Infinity", "-Infinity", "1e400", "-1e400",
                   "1e200", "-1e200", "1e308", "1" * 400, "-" + "9" * 400, "0x1p3", "", " ", "abc", "1,5", "١٢",
                   "1e-400", "5e-324", "--1", "1_000", "١e9")


def bad_number_text() -> st.SearchStrategy[str]:
    """Text a number option must refuse (or read as the plain number it is)."""
    return st.one_of(st.sampled_from(BAD_NUMBER_TEXT), st.floats(allow_nan=True, allow_infinity=True).map(repr),
                     st.integers(min_value=-(10**60), max_value=10**60).map(str))


def hostile_scalar() -> st.SearchStrategy[Any]:
    """A value of the wrong kind or size for any attribute: non-finite and huge numbers, wrong types."""
    return st.one_of(
        st.sampled_from([math.nan, math.inf, -math.inf, 1e200, -1e200, 1e308, 10**400, -(10**400), 0, -1, -0.0,
                         True, False, None, "", " ", "nan", "inf", "1e400", "1" * 400, "\u0000", "\ud7ff",
                         "x" * 5000, [], {}, [1, 2], ["a"], {"a": 1}, [[[[]]]]]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    )


def nested(depth: int, leaf: Any = 1) -> Any:
    """A list nested ``depth`` levels deep (built iteratively)."""
    v = leaf
    for _ in range(depth):
        v = [v]
    return v


def yaml_bomb(levels: int = 9, fan: int = 9) -> str:
    """A "billion laughs" YAML document: ``fan ** levels`` leaves from a few hundred bytes."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * fan)}]")
    return "\n".join(lines) + "\n"


def deep_json(depth: int = 200_000) -> str:
    """JSON nested ``depth`` levels deep."""
    return "[" * depth + "]" * depth


def deep_yaml(depth: int = 200_000) -> str:
    """Flow-style YAML nested ``depth`` levels deep."""
    return "a: " + "[" * depth + "]" * depth + "\n"
