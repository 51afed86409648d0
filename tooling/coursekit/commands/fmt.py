"""`course fmt`: lay out course files in one style, keeping every comment and value."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable

from ..cli import EXIT_OK, EXIT_PROBLEMS


def register(sub: Any, subcommand: Callable[..., Any]) -> None:
    """Add `course fmt`."""
    p = subcommand(sub, "fmt", cmd_fmt,
                   "Lay out course files in one style (indentation, key order), keeping every comment and value.",
                   "course fmt modules/entrapment.yml")
    p.add_argument("path", nargs="?", default=".", metavar="PATH",
                   help="the course folder, or one course file (default: here)")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would be reformatted")


def cmd_fmt(args: argparse.Namespace) -> int:
    from ..cli import Failure
    from ..fmt import course_root, format_course, model_for

    path = Path(args.path)
    if not path.exists():
        raise Failure(f"{path} does not exist")
    root, only = course_root(path)
    if only is not None and model_for(only) is None:
        raise Failure(f"{path} is not a course file; fmt lays out course/course.yml, course/references.yml, "
                      "course/glossary.yml and modules/*.yml")
    report = format_course(root, only, write=not args.check)
    for relpath, errors in report.refused.items():
        for diagnostic in errors:
            print(diagnostic.format())
        why = "it has errors (above); fix them first" if errors else "it is not a course file"
        print(f"not formatted: {relpath}: {why}")
    for relpath, why in report.kept.items():
        print(f"kept as written: {relpath}: {why}; its layout was left as it is (the file is valid)")
    for relpath in report.changed:
        print(f"{'would reformat' if args.check else 'formatted'} {relpath}")
    print(_summary(report, args.check))
    problems = report.refused or (args.check and report.changed)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _summary(report: Any, check: bool) -> str:
    changed = len(report.changed)
    files = f"{changed} file{'s' if changed != 1 else ''}"
    parts = [f"{files} {'would be reformatted' if check else 'reformatted'}", f"{len(report.unchanged)} already formatted"]
    if report.kept:
        parts.append(f"{len(report.kept)} kept as written")
    if report.refused:
        parts.append(f"{len(report.refused)} not formatted")
    return ", ".join(parts) + "."
