"""Subcommands beyond `check`, `init`, `new` and `schema`: one module per command group.

Each module defines `register(sub, subcommand)`, where `sub` is argparse's subparsers object and
`subcommand(sub, name, func, help, example)` makes a parser with the house style (help with an example).
Modules import their heavy dependencies inside their command functions, so `course check` stays fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# Named, not discovered: pkgutil's search of the folder imports `inspect`, a sixtieth of `course check`.
# tests/test_cli.py checks that this names every module of the folder.
MODULES = ("fmt", "pdf", "reference", "review", "scorm", "site")


def register_all(sub: Any, subcommand: Callable[..., Any]) -> None:
    """Let every command module here add its subcommands, in alphabetical order of module name."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub, subcommand)
