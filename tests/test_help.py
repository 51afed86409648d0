"""Every command and subcommand explains itself with `--help`, ending in an example that really parses."""

from __future__ import annotations

import argparse
import shlex

import pytest

from coursekit.cli import build_parser


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def every_command(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(words, parser) of every registered subcommand, nested ones (`review approve`) included."""
    for name, sub in _subparsers(parser).items():
        yield (*path, name), sub
        yield from every_command(sub, (*path, name))


COMMANDS = list(every_command(build_parser()))


def test_the_walk_finds_the_known_commands():
    names = {" ".join(words) for words, _ in COMMANDS}
    assert {"check", "init", "new module", "build", "pdf", "fmt", "review approve", "review status",
            "review diff", "reference", "schema"} <= names


@pytest.mark.parametrize("words,parser", COMMANDS, ids=[" ".join(w) for w, _ in COMMANDS])
def test_help_ends_with_an_example_of_this_command_that_parses(words, parser):
    text = parser.format_help()
    assert "\nexample:\n" in text, f"`course {' '.join(words)} --help` has no example"
    example = text.split("\nexample:\n", 1)[1].strip().splitlines()[0].strip()
    argv = shlex.split(example)
    assert argv[0] == "course" and argv[1:1 + len(words)] == list(words), example
    try:
        build_parser().parse_args(argv[1:])
    except SystemExit:
        pytest.fail(f"the example of `course {' '.join(words)}` does not parse: {example}")


@pytest.mark.parametrize("words", [("build",), ("pdf",)])
def test_long_running_commands_take_quiet(words, run):
    code, out, _ = run(*words, "--help")
    assert code == 0 and "--quiet" in out


def test_starting_the_command_loads_no_heavy_library():
    """Every command module is imported when the CLI starts; heavy libraries wait until a command needs them."""
    import subprocess
    import sys

    code = ("import sys; from coursekit.cli import build_parser; build_parser(); "
            "heavy = {'pydantic', 'mkdocs', 'jinja2', 'ruamel', 'weasyprint', 'lxml', 'markdown'}; "
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
