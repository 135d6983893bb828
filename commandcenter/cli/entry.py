"""The console-script entry point: exit codes, and one line instead of a traceback.

Exit codes: 0 success; 1 the input was checked and refused (a broken file, a number out of range, a
missing device) or an unexpected error; 2 a usage error. A traceback is printed only with ``--debug``
(anywhere on the command line), so a user at 3 a.m. reads what went wrong and where, not Python.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable

import click


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 400 else text[:397] + "..."


def main(argv: list[str] | None = None, *, gui: Callable[..., int] | None = None) -> int:
    """Run the ``commandcenter`` command with ``argv`` (default ``sys.argv[1:]``); return the exit code.
    ``gui`` opens the window when no subcommand is given (:mod:`commandcenter.launcher` passes it)."""
    from commandcenter.cli import cli

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        rv = cli.main(args=args, prog_name="commandcenter", standalone_mode=False, obj={"gui": gui})
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        exc.show()
        return 2
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly, no "Exception ignored" noise
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces stdout for the interpreter's exit flush
        return 1
    except RecursionError:
        if debug:
            raise
        click.echo("error: the input is nested too deeply to read", err=True)
        return 1
    except MemoryError:
        if debug:
            raise
        click.echo("error: the input is too large to read in memory", err=True)
        return 1
    except Exception as exc:  # the last line of defence: never a traceback without --debug
        if debug:
            raise
        click.echo(f"error: {_one_line(exc)} ({type(exc).__name__}; run with --debug for the traceback)",
                   err=True)
        return 1
    return rv if isinstance(rv, int) else 0
