"""Subcommands beyond `check`, `init`, `new` and `schema`: one module per command group.

Each module defines `register(sub, subcommand)`, where `sub` is argparse's subparsers object and
`subcommand(sub, name, func, help, example)` makes a parser with the house style (help with an example).
Modules import their heavy dependencies inside their command functions, so `course check` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Callable


def register_all(sub: Any, subcommand: Callable[..., Any]) -> None:
    """Let every command module here add its subcommands, in alphabetical order of module name."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(sub, subcommand)
