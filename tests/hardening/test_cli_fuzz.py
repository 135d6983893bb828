"""Every ``commandcenter`` command, found by walking the click tree (so commands added later are fuzzed
too), run with generated arguments: hostile numbers, hostile files, wrong types, missing and extra
arguments. Every run ends in exit 0 with finite JSON or a clean refusal (exit 1 or 2, a message, no
traceback) within a time limit.

Arguments are drawn from each parameter's click type: number types get NaN, infinities, 400-digit and
out-of-range text besides valid values near the low end of their range (so a valid draw stays cheap);
paths come from a pool of valid copies and hostile files (FIFOs, links to ``/dev/zero``, dangling links,
alias bombs, 200,000-deep nesting, non-UTF-8); free text by the parameter's name.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commandcenter.cli import cli
from tests.hardening.conftest import Pool
from tests.hardening.support import FUZZ, bad_number_text, budget, check_run, run_cli

#: time one command may spend on its examples in ``make test`` before the rest are skipped, s
COMMAND_SECONDS = 4.0
#: options that name a network endpoint: a fuzzer must not make the suite wait on connection timeouts
NETWORK_OPTIONS = frozenset({"scheduler", "url", "endpoint", "host", "address", "bind", "connect"})
#: ``drill run --live`` plays on the wall clock: the drill's duration divided by --speed, by design (half an hour at
#: --speed 1, the speed for real phones). With --live the fuzzer keeps a hostile --speed but raises a valid one to
#: this, so a live run ends in seconds
LIVE_SPEED = "1000"
#: commands of this helper's files: their refusals must be specific, never the generic last-resort handler
OWN_COMMANDS = frozenset({("plant", "check"), ("plant", "convert"), ("plant", "generate"), ("plans", "validate"),
                          ("plans", "list"), ("plans", "launch")})


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        if isinstance(cmd, click.Group):
            out += _commands(cmd, (*path, name))
        else:
            out.append(((*path, name), cmd))
    return out


COMMANDS = _commands(cli)


def _runs_until_signalled(cmd: click.Command) -> bool:
    """Servers and simulators that run until SIGTERM/SIGINT: fuzzing them would start them for real (binding
    ports on a shared machine) and wait forever; their arguments are checked by their own tests."""
    text = f"{cmd.help or ''} {cmd.callback.__doc__ if cmd.callback else ''}"
    return "SIGTERM" in text or "SIGINT" in text or "until interrupted" in text.lower()


def test_the_command_tree_is_found() -> None:
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"plant check", "plant convert", "plant generate", "plans validate", "plans launch"} <= names


# ------------------------------------------------------------------------------------------ argument values
# Each value is valid most of the time and hostile otherwise, so a run usually carries one fault at a
# time deep into the command rather than stopping at the first usage error.

def _mostly(valid: st.SearchStrategy[str], hostile: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.integers(0, 9).flatmap(lambda k: valid if k < 8 else hostile)


def _range(t: click.ParamType) -> tuple[float | None, float | None, bool]:
    lo = getattr(t, "lo", getattr(t, "min", None))
    hi = getattr(t, "hi", getattr(t, "max", None))
    lo_open = bool(getattr(t, "lo_open", getattr(t, "min_open", False)))
    return lo, hi, lo_open


#: where the mini plant is, so that a valid coordinate lands on it
_NEAR = {"x": (668100.0, 668000.0, 668140.0), "y": (3571040.0, 3571080.0, 3571000.0)}


def _numbers(t: click.ParamType, name: str, integer: bool) -> st.SearchStrategy[str]:
    lo, hi, lo_open = _range(t)
    base = 0.0 if lo is None else float(lo)
    if name in _NEAR:
        candidates = list(_NEAR[name])
    elif integer:  # counts (runs, workers, limits): the low end keeps a valid run cheap
        candidates = [base, base + 1, base + 2]
    else:
        candidates = [base + d for d in (1.0, 2.0, 5.0, 10.0, 0.0 if not lo_open else 0.5)]
    valid = [v for v in candidates if (lo is None or v >= lo) and (hi is None or v <= hi)] or [float(lo or 0)]
    if integer:
        edges = ([str(int(lo) - 1)] if lo is not None else []) + ([str(int(hi) + 1)] if hi is not None else [])
        return _mostly(st.sampled_from([str(int(v)) for v in valid]),
                       st.sampled_from([*edges, "1.5", "1e3", "nan", "1" * 400, "", "x", "-" + "9" * 30]))
    edges = [repr(lo - 1.0)] if lo is not None and math.isfinite(lo - 1.0) else []
    edges += [repr(hi * 10 + 1)] if hi is not None else []
    return _mostly(st.sampled_from([repr(v) for v in valid]), st.one_of(st.sampled_from(edges or ["-1"]),
                                                                       bad_number_text()))


_TIMES_OK = ["2026-11-22T09:00:00+08:00", "2026-11-22T10:30:00+08:00"]
_TIMES_BAD = ["2026-11-22T09:00:00", "2026-11-22", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00", "nan",
              "", "yesterday", "2026-02-30T00:00:00+00:00", "2026-11-22T25:61:00+08:00"]


def _text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["", " ", "nan", "-1", "x" * 5000, "../../etc/passwd", "L9", "中文", "a\nb"]),
                     st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                             max_size=40))


def _fresh(pool: Pool) -> st.SearchStrategy[str]:
    names = ["out.gpkg", "out.jsonl", "out.jsonl.gz", "out.geojson", "out.json", "out.csv", "out.pdf", "out.html",
             "out"]
    return st.sampled_from(names).map(lambda name: str(pool.fresh_dir() / name))


def _input_for(name: str, group: str, pool: Pool) -> list[Path]:
    """The valid inputs a path parameter of this name takes."""
    if "plan" in name and "plant" not in name:
        return [pool.plans]
    if name in ("script",):
        return [pool.script]
    if "population" in name:
        return [pool.population]
    if "hazard" in name or "zones" in name:
        return [pool.zones] if pool.zones else []
    if "reading" in name:
        return [pool.readings]
    if name in ("file",):
        return [p for p in (pool.export,) if p]
    if name == "path" and group == "plans":
        return [pool.plans]
    return [p for p in (pool.plant, pool.gpkg) if p]


#: words in a path parameter's name that make it a place to write
OUTPUT_WORDS = ("out", "dest", "pdf", "html", "export", "report")


def _hostile_paths(pool: Pool) -> st.SearchStrategy[str]:
    """A hostile input: one of the special kinds (FIFO, /dev/zero, dangling link, ...) half the time, so that
    each kind is drawn often, else any hostile file or broken plant folder."""
    special = [str(pool.hostile[k]) for k in ("fifo", "dev_zero", "dangling", "missing", "empty_dir", "deep.json",
                                              "bomb.yaml", "non_utf8.yaml", "garbage.gz")]
    return st.one_of(st.sampled_from(special), st.sampled_from([str(p) for p in pool.inputs]))


def _path(param: click.Parameter, group: str, pool: Pool) -> st.SearchStrategy[str]:
    name = (param.name or "").lower()
    hostile = _hostile_paths(pool)
    if name == "to" or any(w in name for w in OUTPUT_WORDS):
        return _mostly(_fresh(pool), st.one_of(hostile, st.just(str(pool.root / "no-such-dir" / "x.out"))))
    if (name.endswith("_dir") or name.endswith("_dirs")) and "plan" not in name:
        return _mostly(st.builds(lambda: str(pool.fresh_dir())), hostile)
    valid = _input_for(name, group, pool)
    return _mostly(st.sampled_from([str(p) for p in valid]), hostile) if valid else hostile


def _value(param: click.Parameter, group: str, pool: Pool) -> st.SearchStrategy[str]:
    from commandcenter.cli.params import FiniteFloat, FinitePoint

    t = param.type
    name = (param.name or "").lower()
    if isinstance(t, FiniteFloat | click.FloatRange) or t is click.FLOAT:
        return _numbers(t, name, integer=False)
    if isinstance(t, click.IntRange) or t is click.INT:
        return _numbers(t, name, integer=True)
    if isinstance(t, FinitePoint):
        return _mostly(st.sampled_from(["668100,3571040", "668040,3571075"]),
                       st.one_of(st.tuples(bad_number_text(), bad_number_text()).map(",".join),
                                 st.sampled_from(["0,0", "1,2,3", "nan,0", "1e200,1e200", ""])))
    if isinstance(t, click.Choice):
        return _mostly(st.sampled_from([str(c) for c in t.choices]), st.sampled_from(["", "bogus", "NAN"]))
    if isinstance(t, click.DateTime):
        return _mostly(st.sampled_from(["2026-11-22", "2026-11-22 09:00:00"]), st.sampled_from(_TIMES_BAD))
    if isinstance(t, click.Path):
        return _path(param, group, pool)
    if name in ("db", "database", "log"):
        valid = st.sampled_from([str(pool.db)]) if pool.db else st.builds(lambda: str(pool.fresh_dir() / "new.db"))
        odd = [str(pool.root / "missing-dir" / "x.db"), str(pool.plant), str(pool.script),
               "sqlite:///" + str(pool.root / "no" / "x.db"), *(str(p) for p in pool.inputs[-6:])]
        return _mostly(st.one_of(valid, st.builds(lambda: str(pool.fresh_dir() / "new.db"))), st.sampled_from(odd))
    if "incident" in name:
        return _mostly(st.just(pool.incident_id or "I1"), st.sampled_from(["I1", "", "x" * 300, "nope", "\t"]))
    if name == "level":
        return _mostly(st.sampled_from(["L1", "L2", "L3", "L4"]), st.sampled_from(["L0", "L9", "", "nan"]))
    if name in ("plan_id", "plan"):
        return _mostly(st.sampled_from(["h2s-release", "cl2-release", "tank-fire"]), st.sampled_from(["nope", ""]))
    if name in ("at", "time_text", "when", "start"):
        return _mostly(st.sampled_from(_TIMES_OK), st.sampled_from(_TIMES_BAD))
    if name == "substance":
        return _mostly(st.sampled_from(["H2S", "NH3", "Cl2", "LPG", "7783-06-4"]),
                       st.sampled_from(["unobtainium", "", "h2s" * 100]))
    if name == "stability":
        return _mostly(st.sampled_from(["A", "D", "F"]), st.sampled_from(["G", "", "nan"]))
    if name in ("source_id", "source"):
        return _mostly(st.just("H1"), st.sampled_from(["H9", "", "x" * 300]))
    if name in ("task_id", "person_id", "by", "title", "reason", "text", "lang", "quals"):
        return _mostly(st.sampled_from(["P001", "T-1", "scba", "zh", "en", "hardening"]), _text())
    return _text()


def _is_number_param(param: click.Parameter) -> bool:
    from commandcenter.cli.params import FiniteFloat, FinitePoint

    t = param.type
    return isinstance(t, FiniteFloat | FinitePoint | click.FloatRange | click.IntRange) or t in (click.FLOAT,
                                                                                               click.INT)


def _non_finite(text: str) -> bool:
    """Whether ``text`` (or a part of an ``x,y`` pair) reads as NaN or an infinity (``1e400`` included)."""
    for part in text.split(","):
        try:
            v = float(part)
        except (ValueError, OverflowError):
            continue
        if not math.isfinite(v):
            return True
    return False


def _argv(data: st.DataObject, path: tuple[str, ...], cmd: click.Command, pool: Pool,
          non_finite: list[str] | None = None) -> list[str]:
    """Arguments for ``cmd``; options given a non-finite number are appended to ``non_finite``."""
    argv = list(path)
    group = path[0]
    for param in cmd.params:
        name = (param.name or "").lower()
        if name in NETWORK_OPTIONS or name == "debug":
            continue
        if isinstance(param, click.Argument):
            if param.required or data.draw(st.booleans()):
                argv += [data.draw(_value(param, group, pool)) for _ in range(max(1, param.nargs))]
            continue
        assert isinstance(param, click.Option)
        if param.is_flag:
            if name == "as_json" or data.draw(st.booleans()):
                opts = [*param.opts, *param.secondary_opts]
                argv.append(opts[0] if name == "as_json" else data.draw(st.sampled_from(opts)))
            continue
        wanted = data.draw(st.floats(0, 1)) < (0.95 if param.required else 0.3)
        if wanted:
            values = [data.draw(_value(param, group, pool)) for _ in range(max(1, param.nargs))]
            argv += [param.opts[0], *values]
            if non_finite is not None and _is_number_param(param) and any(_non_finite(v) for v in values):
                non_finite.append(f"{param.opts[0]} {' '.join(values)}")
    if "--live" in argv:
        _fast_live(argv)
    if data.draw(st.integers(0, 19)) == 0:
        argv.append(data.draw(st.sampled_from(["--bogus", "extra"])))
    return argv


def _fast_live(argv: list[str]) -> None:
    """A live drill at a valid speed below :data:`LIVE_SPEED` (or at the default) plays at that speed instead."""
    if "--speed" not in argv:
        argv += ["--speed", LIVE_SPEED]
        return
    i = argv.index("--speed") + 1
    try:
        fast_enough = not math.isfinite(float(argv[i])) or not 0.01 <= float(argv[i]) <= 1000 or \
            float(argv[i]) >= float(LIVE_SPEED)
    except (ValueError, OverflowError):
        fast_enough = True  # not a number: refused before anything plays
    if not fast_enough:
        argv[i] = LIVE_SPEED


def _ids(item: tuple[tuple[str, ...], Any]) -> str:
    return "-".join(item[0])


NUMBER_OPTIONS = [
    pytest.param(path, param, id=f"{'-'.join(path)}-{param.opts[0]}")
    for path, cmd in COMMANDS for param in cmd.params
    if isinstance(param, click.Option) and _is_number_param(param)]


@pytest.mark.parametrize(("path", "param"), NUMBER_OPTIONS)
def test_number_option_refuses_nan_and_infinity(path: tuple[str, ...], param: click.Option) -> None:
    """Every number option of every command refuses NaN and ±inf (class 1: a NaN distance must not give 0 ppm)."""
    for text in ("nan", "inf", "-inf", "1e400"):
        value = text if param.nargs == 1 else [text] * param.nargs
        with pytest.raises(click.BadParameter), click.Context(click.Command(path[-1])) as ctx:
            param.type_cast_value(ctx, value)


@pytest.mark.parametrize("command", [
    pytest.param(c, marks=[pytest.mark.skip(reason="runs until SIGTERM/SIGINT")] if _runs_until_signalled(c[1]) else [])
    for c in COMMANDS], ids=[_ids(c) for c in COMMANDS])
def test_command_answers_finitely_or_refuses_cleanly(command: tuple[tuple[str, ...], click.Command], pool: Pool,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path, cmd = command
    monkeypatch.chdir(pool.fresh_dir())
    strict = path in OWN_COMMANDS
    started = time.perf_counter()

    @budget(default=3, fuzz=200)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        non_finite: list[str] = []
        argv = _argv(data, path, cmd, pool, non_finite)
        if not FUZZ and time.perf_counter() - started > COMMAND_SECONDS:
            return  # make test: a command whose valid runs are slow (a drill batch) gets fewer examples
        rc, out, err = run_cli(argv)
        check_run(argv, rc, out, err, strict=strict)
        assert not (rc == 0 and non_finite), f"accepted a non-finite number ({'; '.join(non_finite)}): {argv}"

    run()


def test_the_fuzzer_reaches_valid_runs(pool: Pool) -> None:
    """The pool holds real inputs: a valid plant checks and a valid plan directory validates."""
    for argv in (["plant", "check", str(pool.plant), "--json"], ["plans", "validate", str(pool.plans), "--json"]):
        rc, out, err = run_cli(argv)
        check_run(argv, rc, out, err, strict=True)
        assert rc == 0, err


def test_fresh_dirs_are_inside_the_pool(pool: Pool) -> None:
    assert Path(pool.fresh_dir()).is_relative_to(pool.root)


# ------------------------------------------------------------------------ special files in every input path

def _valid(param: click.Parameter, group: str, pool: Pool) -> str:
    """A valid value for ``param``, the same every time (the first of its valid draws)."""
    from commandcenter.cli.params import FiniteFloat, FinitePoint

    t = param.type
    name = (param.name or "").lower()
    if isinstance(t, FiniteFloat | click.FloatRange | click.IntRange) or t in (click.FLOAT, click.INT):
        lo, hi, _lo_open = _range(t)
        if name in _NEAR:
            return repr(_NEAR[name][0])
        v = max(0.0 if lo is None else float(lo), 0.0) + (0.0 if isinstance(t, click.IntRange) or t is click.INT
                                                          else 1.0)
        v = v if hi is None else min(v, float(hi))
        return str(int(v)) if isinstance(t, click.IntRange) or t is click.INT else repr(v)
    if isinstance(t, FinitePoint):
        return "668100,3571040"
    if isinstance(t, click.Choice):
        return str(t.choices[0])
    if isinstance(t, click.DateTime):
        return "2026-11-22"
    if isinstance(t, click.Path):
        if name == "to" or any(w in name for w in OUTPUT_WORDS) or (name.endswith("_dir") and "plan" not in name):
            return str(pool.fresh_dir() / ("out" if name.endswith("_dir") else "out.json"))
        found = _input_for(name, group, pool)
        return str(found[0]) if found else str(pool.plant)
    fixed = {"db": str(pool.db), "level": "L2", "plan_id": "h2s-release", "substance": "H2S", "stability": "D",
             "source_id": "H1", "at": _TIMES_OK[0], "time_text": _TIMES_OK[0]}
    if "incident" in name:
        return pool.incident_id or "I1"
    return fixed.get(name, "hardening")


def _input_paths() -> list[tuple[tuple[str, ...], click.Command, click.Parameter]]:
    out = []
    for path, cmd in COMMANDS:
        if _runs_until_signalled(cmd):
            continue
        for p in cmd.params:
            name = (p.name or "").lower()
            output = name == "to" or any(w in name for w in OUTPUT_WORDS) or name.endswith("_dir") or \
                name.endswith("_dirs")
            if isinstance(p.type, click.Path) and not output:
                out.append((path, cmd, p))
    return out


SPECIAL_KINDS = ("fifo", "dev_zero", "dangling")
#: optional options without which a command stops before it reads its files (weather needs a stability class)
ENABLERS = frozenset({"stability"})


def _special_cases() -> list:
    cases = []
    for path, cmd, param in _input_paths():
        for kind in SPECIAL_KINDS:
            cases.append(pytest.param(path, cmd, param, kind, id=f"{kind}-{'-'.join(path)}-{param.name}"))
    return cases


@pytest.mark.skipif(not FUZZ, reason="a sweep of every input path of every command: make fuzz")
@pytest.mark.parametrize(("path", "cmd", "param", "kind"), _special_cases())
def test_input_paths_refuse_fifos_devices_and_dangling_links(path: tuple[str, ...], cmd: click.Command,
                                                             param: click.Parameter, kind: str, pool: Pool,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO, a link to /dev/zero or a dangling link given as any input path: refused (or, for an option the
    run does not need, ignored) without hanging, without reading until memory runs out, without a traceback."""
    monkeypatch.chdir(pool.fresh_dir())
    argv = list(path)
    for p in cmd.params:
        if p is not param and not p.required and p.name not in ENABLERS:
            continue
        value = str(pool.hostile[kind]) if p is param else _valid(p, path[0], pool)
        argv += [value] if isinstance(p, click.Argument) else [p.opts[0], value]
    rc, out, err = run_cli(argv, seconds=20)
    check_run(argv, rc, out, err, strict=path in OWN_COMMANDS)
