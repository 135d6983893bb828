"""The ``commandcenter`` program: the window when no subcommand is given, the CLI otherwise.

The top of the layers (ui > cli > services > runtime > projections > store): the only module that
knows both the window and the command line, so the CLI never imports Qt.
"""

from __future__ import annotations

from typing import Any


def run_gui(*args: Any, **kwargs: Any) -> int:
    """Open the main window (see :func:`commandcenter.ui.app.run_gui`); Qt is imported only here."""
    from commandcenter.ui.app import run_gui as _run_gui

    return _run_gui(*args, **kwargs)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the process exit code."""
    from commandcenter.cli.entry import main as cli_main

    return cli_main(argv, gui=run_gui)
