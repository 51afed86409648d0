"""`course review approve|status|diff`: sign modules off and see what changed since."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable

from ..cli import EXIT_OK, EXIT_PROBLEMS, add_course_path, course_folder, print_usage

# Terminal highlighting of changed words in `review diff`: removed red, added green (only on a terminal).
ANSI_MARKS = ("\x1b[1;31m", "\x1b[0m", "\x1b[1;32m", "\x1b[0m")


def register(sub: Any, subcommand: Callable[..., Any]) -> None:
    """Add `course review` and its three subcommands."""
    group = subcommand(sub, "review", lambda _a: print_usage(group), "Approve modules and see what changed since approval.",
                       "course review status")
    review_sub = group.add_subparsers(dest="review_command", metavar="ACTION")
    p = subcommand(review_sub, "approve", cmd_approve,
                   "Record that a person approved a module's current wording, and keep a copy of it.",
                   "course review approve entrapment --by 'A. Khan' --role 'Legal adviser'")
    p.add_argument("module", metavar="MODULE", help="the module id (its file name without .yml)")
    p.add_argument("--by", required=True, metavar="NAME", help="who approves the module")
    p.add_argument("--role", metavar="ROLE",
                   help="their role, e.g. 'Legal adviser'; required when course.yml lists `sign_off` roles, "
                        "and then one of them")
    _root(p)
    p = subcommand(review_sub, "status", cmd_status,
                   "List every module with its status, last approval, next review date, changes since approval "
                   "and who has still to approve it.",
                   "course review status")
    _root(p)
    p = subcommand(review_sub, "diff", cmd_diff,
                   "Show what changed in a module since it was last approved.",
                   "course review diff entrapment")
    p.add_argument("module", metavar="MODULE", help="the module id (its file name without .yml)")
    _root(p)


def _root(parser: argparse.ArgumentParser) -> None:
    add_course_path(parser, old_root_option=True)


def _module_id(value: str) -> str:
    """Accept `entrapment` as well as `modules/entrapment.yml`."""
    return Path(value).name.removesuffix(".yml")


def cmd_approve(args: argparse.Namespace) -> int:
    from ..check import today
    from ..cli import Failure
    from ..review import AlreadyApproved, ReviewError, approve, module_sign_off, snapshot_path
    from ..yamlio import UnsafeWrite

    module_id, root = _module_id(args.module), course_folder(args)
    try:
        approval = approve(root, module_id, args.by, args.role, today())
    except AlreadyApproved as exc:
        print(exc)
        return EXIT_OK
    except ReviewError as exc:
        return _refused(exc)
    except UnsafeWrite as exc:
        raise Failure(f"nothing was written: {exc}") from None
    role = f" ({approval.role})" if approval.role else ""
    print(f"Approved {module_id}: by {approval.by}{role} on {approval.date}, content {approval.fingerprint}")
    print(f"Wrote the approval into modules/{module_id}.yml and the approved copy into {snapshot_path(module_id)}")
    missing = module_sign_off(root, module_id, approval.fingerprint).missing
    if missing:
        print(f"Status in-review until this wording is also approved by: {', '.join(missing)}")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from ..check import check_course, today
    from ..diagnostics import summary
    from ..review import course_status, format_status

    result = check_course(course_folder(args))
    if result.course is None:
        for diagnostic in result.diagnostics:
            print(diagnostic.format())
        print(summary(result.diagnostics, result.files))
        return EXIT_PROBLEMS
    for line in format_status(course_status(result.course, today())):
        print(line)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from ..review import ReviewError, format_changes, module_diff

    try:
        diff = module_diff(course_folder(args), _module_id(args.module))
    except ReviewError as exc:
        return _refused(exc)
    marks = ANSI_MARKS if sys.stdout.isatty() else ("", "", "", "")
    for line in format_changes(diff, marks):
        print(line)
    return EXIT_OK


def _refused(exc: Exception) -> int:
    for diagnostic in getattr(exc, "diagnostics", []):
        print(diagnostic.format())
    from ..cli import Failure

    raise Failure(str(exc))
