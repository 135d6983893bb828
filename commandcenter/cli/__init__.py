"""The ``commandcenter`` command line: the root group in :mod:`.app`, one module per feature.

Every module of this package that defines ``COMMANDS`` (a tuple of click commands or groups) is
registered on the root group, so a feature adds its commands by adding a module, not by editing a
shared list. Feature modules import only click and the standard library at top level; everything
else is imported inside the command bodies so ``commandcenter --help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil

from commandcenter.cli.app import cli
from commandcenter.cli.entry import main

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name in {"app", "entry", "params"}:
        continue
    for _command in getattr(importlib.import_module(f"{__name__}.{_info.name}"), "COMMANDS", ()):
        cli.add_command(_command)

__all__ = ["cli", "main"]
