"""`course reference`: the generated key and error references for trainers."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_reference(args: argparse.Namespace) -> int:
    from ..reference import GENERATED_NOTE, reference_pages
    from ..yamlio import write_generated

    pages = reference_pages()
    if not args.write:
        print(pages["errors.md" if args.errors else "keys.md"], end="")
        return 0
    files = {Path(args.write) / name: text for name, text in pages.items()}
    write_generated(files, lambda text: GENERATED_NOTE in text, "course reference --write")
    for path in files:
        print(f"Wrote {path}")
    return 0


def register(sub, subcommand) -> None:
    p = subcommand(sub, "reference", cmd_reference,
                   "Print the reference of every course key (or of every check message, with --errors).",
                   "course reference --write docs/trainers")
    p.add_argument("--errors", action="store_true", help="print the reference of check messages instead of keys")
    p.add_argument("--write", metavar="DIR", help="write format.md, keys.md and errors.md into DIR")
