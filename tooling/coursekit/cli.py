"""The `course` command: parses arguments, calls one function per subcommand, prints, sets the exit code."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from . import __version__
from .stops import STOPS, handled

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class Failure(Exception):
    """A user-facing failure: the message is printed as `error: ...` and the command exits 1."""


def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def add_course_path(parser: argparse.ArgumentParser, *, old_root_option: bool = False) -> None:
    """The course folder as every command takes it: an optional positional PATH, here by default.

    `old_root_option` keeps the `--root PATH` spelling of earlier versions working, hidden from --help.
    """
    parser.add_argument("path", nargs="?", default=None, metavar="PATH", help="the course folder (default: here)")
    if old_root_option:
        parser.add_argument("--root", default=None, help=argparse.SUPPRESS)


def course_folder(args: argparse.Namespace) -> Path:
    """The course folder a command was given (PATH, or the deprecated --root), else the current folder."""
    root = getattr(args, "root", None)
    if root is None:
        return Path(args.path or ".")
    if args.path is not None and Path(args.path) != Path(root):
        raise Failure(f"two course folders given ({args.path} and --root {root}); give one, as PATH")
    _err(f"note: --root is no longer needed: give the course folder as the last word, as in `course check {root}`")
    return Path(root)


# --- subcommands -------------------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace) -> int:
    from .check import check_course
    from .diagnostics import summary

    root = Path(args.path)
    result = check_course(root)
    for diagnostic in result.diagnostics:
        _out(diagnostic.format())
    _out(summary(result.diagnostics, result.files))
    if args.strict and result.warnings and not result.errors:
        _out("--strict: warnings count as errors.")
    return EXIT_OK if result.ok(strict=args.strict) else EXIT_PROBLEMS


def cmd_init(args: argparse.Namespace) -> int:
    import shlex

    from .check import today
    from .scaffold import init_course

    target = Path(args.dir)
    written = init_course(target, today(), title=args.title)
    for path in written:
        _out(f"Created {path}")
    _out("Next, go into the course folder, check the course and preview it (paste this line):")
    _out(f"    cd {shlex.quote(str(target))} && course check && mkdocs serve")
    return EXIT_OK


def cmd_new_module(args: argparse.Namespace) -> int:
    from .check import today
    from .scaffold import new_module

    path = new_module(course_folder(args), args.id, args.title, today())
    _out(f"Created {path} and added `{args.id}` to course/course.yml")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from .schema import json_schemas
    from .scaffold import write_schemas

    if args.write:
        for path in write_schemas(Path(args.write)):
            _out(f"Wrote {path}")
        return EXIT_OK
    schemas = json_schemas()
    _out(json.dumps(schemas if args.kind == "all" else schemas[args.kind], indent=2))
    return EXIT_OK


# --- parser ------------------------------------------------------------------------------------------

def _subcommand(sub, name: str, func: Callable[[argparse.Namespace], int], help_text: str, example: str):
    parser = sub.add_parser(
        name, help=help_text, description=help_text, epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=func)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course",
        description="Check, preview and publish a training course written as YAML modules.",
        epilog="Run `course COMMAND --help` for a command's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"coursekit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = _subcommand(sub, "check", cmd_check, "Check every file of a course and report all problems.",
                    "course check --strict .")
    p.add_argument("path", nargs="?", default=".", metavar="PATH", help="the course folder (default: here)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")

    p = _subcommand(sub, "init", cmd_init, "Start a new course repository with one example module.",
                    "course init my-course")
    p.add_argument("dir", metavar="DIR", help="folder to create the course in")
    p.add_argument("--title", default="New course", help="the course title")

    p = _subcommand(sub, "new", lambda a: print_usage(p_new), "Add something new to a course.",
                    "course new module evidence --title 'Recording evidence'")
    p_new = p
    new_sub = p.add_subparsers(dest="what", metavar="WHAT")
    p = _subcommand(new_sub, "module", cmd_new_module, "Write a commented skeleton module and list it in course.yml.",
                    "course new module evidence --title 'Recording evidence'")
    p.add_argument("id", metavar="ID", help="the module id (also its file name)")
    add_course_path(p, old_root_option=True)
    p.add_argument("--title", help="the module title")

    p = _subcommand(sub, "schema", cmd_schema, "Print the JSON Schemas of the course files, for editors.",
                    "course schema --write .schema")
    p.add_argument("kind", nargs="?", default="all", choices=["all", "course", "module", "references", "glossary"])
    p.add_argument("--write", metavar="DIR", help="write <kind>.schema.json files into DIR instead of printing")

    from .commands import register_all

    register_all(sub, _subcommand)
    return parser


def _late_path(args: argparse.Namespace, extra: list[str]) -> bool:
    """Take a course folder written after the options (`review approve m --by X my-course`) as PATH.

    argparse fills an optional PATH only when it directly follows the other positional words.
    """
    if len(extra) != 1 or extra[0].startswith("-") or getattr(args, "path", "") is not None:
        return False
    args.path = extra[0]
    return True


def print_usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_USAGE


def _no_pydantic_plugins() -> None:
    """coursekit's models use no pydantic plugin. Looking for one imports importlib.metadata and reads the
    entry points of every installed package: a tenth of `course check`. So the command tells pydantic there
    are none: by its own switch, and by giving it a plugin loader that finds none before it imports its own."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__" and "pydantic.plugin._loader" not in sys.modules:
        import types

        loader = types.ModuleType("pydantic.plugin._loader")
        loader.get_plugins = tuple  # type: ignore[attr-defined] - called with no arguments: no plugins
        sys.modules[loader.__name__] = loader


class Stopped(KeyboardInterrupt):
    """The command was told to stop (`kill`, or its terminal closed): it cleans up as for Ctrl-C."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: object) -> None:
    raise Stopped(signum)


def _stops_clean_up() -> AbstractContextManager[None]:
    """By default `kill` and a closed terminal end Python at once, leaving temporary files behind (and, between
    two renames, a half-made change): here they unwind the command as Ctrl-C does, so its clean-up runs."""
    return handled([stop for stop in STOPS if stop != signal.SIGINT], _stop)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `course` command."""
    _no_pydantic_plugins()
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not _late_path(args, extra):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        with _stops_clean_up():
            return args.func(args)
    except Stopped as exc:
        _err("stopped")
        return 128 + exc.signum
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place that turns any failure into a message
        return _report(exc)


def _report(exc: Exception) -> int:
    from .check import BadToday
    from .scaffold import ScaffoldError
    from .yamlio import WriteError

    if isinstance(exc, (Failure, ScaffoldError, WriteError, BadToday)):
        _err(f"error: {exc}")
        return EXIT_PROBLEMS
    if isinstance(exc, OSError):
        _err(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return EXIT_PROBLEMS
    import tempfile
    import traceback

    try:  # a new file of our own: a fixed name in a shared folder could be a link planted by someone else
        fd, name = tempfile.mkstemp(prefix="coursekit-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as log:
            log.write("".join(traceback.format_exception(exc)))
        where = f"; details are in {name}"
    except OSError:
        where = ""
    _err(f"internal error: {type(exc).__name__}: {exc}")
    _err(f"This is a bug in coursekit, not in your course. Please report it with the command you ran{where}.")
    return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
