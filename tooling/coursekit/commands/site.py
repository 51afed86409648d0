"""`course build` and `course export-markdown`: the learner site, built strictly or written as plain pages."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from typing import TYPE_CHECKING

from ..cli import EXIT_OK, EXIT_PROBLEMS, Failure
from ..progress import Progress

if TYPE_CHECKING:  # commands are imported at every CLI start: keep pydantic out of it
    from ..model import Course

CONFIG_FILE = "mkdocs.yml"
COURSE_ERRORS = "the course has errors"  # how CourseErrors' message starts


def register(sub, subcommand) -> None:
    p = subcommand(sub, "build", cmd_build,
                   "Build the learner site strictly; a failed build leaves the previous site untouched.",
                   "course build --site-dir public .")
    p.add_argument("path", nargs="?", default=".", metavar="PATH", help="the course folder (default: here)")
    p.add_argument("--site-dir", metavar="DIR", help="where to put the site (default: PATH/site)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line and no success message")

    p = subcommand(sub, "export-markdown", cmd_export_markdown,
                   "Write the site's generated pages as plain Markdown files, to read or diff.",
                   "course export-markdown pages")
    p.add_argument("dir", metavar="DIR", help="folder to write the pages into")
    p.add_argument("path", nargs="?", default=".", metavar="PATH", help="the course folder (default: here)")


def cmd_build(args: argparse.Namespace) -> int:
    root = Path(args.path)
    target = Path(args.site_dir) if args.site_dir else root / "site"
    if build_site(root, target, quiet=args.quiet) is None:
        return EXIT_PROBLEMS
    if not args.quiet:
        print(f"Built the site in {target}.")
    return EXIT_OK


def build_site(root: Path, target: Path, *, quiet: bool = False, scorm: bool = False,
               not_built: str | None = None) -> Course | None:
    """Build the course's site strictly and swap it in at target; return the course built.

    On failure print why (course errors located, one per line) and `not_built`, and return None;
    target is then untouched. `scorm` builds the site for an LMS frame (see `course scorm`).
    """
    from ..outputs import OutputError, check_output_folder, replace_folder

    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        raise Failure(f"no {CONFIG_FILE} in {root}: is it a course folder? (start one with `course init`)")
    try:
        check_output_folder(root, target)
        not_built = not_built or _not_built(target)
        return replace_folder(target, lambda staging: _build_into(config_file, staging, quiet, scorm, not_built),
                              on_wait=lambda: print(f"Waiting for another build into {target} to finish...",
                                                    file=sys.stderr, flush=True))
    except OutputError as exc:
        raise Failure(str(exc)) from None


def _build_into(config_file: Path, folder: Path, quiet: bool, scorm: bool, not_built: str) -> Course | None:
    """Run MkDocs strictly into `folder`; print why and return None when the course or a page fails."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from ..mkdocs_plugin import CourseErrors, course_plugin

    handler = _show_mkdocs_messages()
    progress = Progress("Building the site", quiet=quiet)
    try:
        with _page_progress(progress):
            config = load_config(config_file=str(config_file), site_dir=str(folder), strict=True)
            plugin = course_plugin(config)
            plugin.config.scorm = scorm
            build(config)
    except (Abort, ConfigurationError, PluginError) as exc:
        course_errors = _cause(exc, CourseErrors)
        if course_errors is not None:
            _print_course_errors(course_errors, not_built)
            return None
        print(f"error: {exc}", file=sys.stderr)
        print(not_built, file=sys.stderr)
        return None
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
        logging.getLogger("mkdocs.plugins.course").setLevel(logging.NOTSET)
    return plugin.course


@contextlib.contextmanager
def _page_progress(progress: Progress) -> Iterator[None]:
    """Show each page MkDocs writes as a progress step (MkDocs logs them at debug level only)."""
    if not progress.enabled:  # not a terminal, or --quiet: leave MkDocs' logging as it is
        yield
        return
    build_log = logging.getLogger("mkdocs.commands.build")
    handler, level = _PageSteps(progress), build_log.level
    build_log.addHandler(handler)
    build_log.setLevel(logging.DEBUG)
    try:
        yield
    except BaseException:
        progress.finish("failed")  # end the live line before the errors are printed
        raise
    else:
        progress.finish(f"{progress.done} pages")
    finally:
        build_log.removeHandler(handler)
        build_log.setLevel(level)


class _PageSteps(logging.Handler):
    """A logging handler that turns MkDocs' "Building page X" messages into progress steps."""

    PREFIX = "Building page "

    def __init__(self, progress: Progress):
        super().__init__(logging.DEBUG)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(self.PREFIX):
            self.progress.step(message[len(self.PREFIX):])


def _not_built(target: Path) -> str:
    kept = f"; the previous site in {target} is unchanged" if target.exists() else ""
    return f"The site was not built{kept}."


def _cause(exc: BaseException | None, kind: type[BaseException]):
    """The exception of this kind that led to exc (MkDocs turns a plugin's error into Abort), if any."""
    while exc is not None and not isinstance(exc, kind):
        exc = exc.__cause__ or exc.__context__
    return exc


def _show_mkdocs_messages() -> logging.Handler:
    """Print MkDocs' warnings (a broken link in docs/, for instance): under strict they fail the build."""
    handler = logging.StreamHandler(sys.stdout)  # with the course's own diagnostics, as `course check` prints them
    # MkDocs' own chatter (INFO) stays quiet; the course plugin's notes (course warnings) are shown.
    # Course errors are printed by this command, one per line, so MkDocs' copy of them is dropped.
    handler.addFilter(lambda record: (record.levelno >= logging.WARNING
                                      or record.name == "mkdocs.plugins.course")
                      and not str(record.msg).startswith(COURSE_ERRORS))
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    # The plugin logs course warnings at INFO (WARNING would fail a strict build); let them through.
    logging.getLogger("mkdocs.plugins.course").setLevel(logging.INFO)
    return handler


def _print_course_errors(exc, after: str = "") -> int:
    from ..diagnostics import summary

    for diagnostic in exc.diagnostics:
        print(diagnostic.format())
    print(summary(exc.diagnostics, exc.files))
    if after:
        print(after)
    return EXIT_PROBLEMS


def cmd_export_markdown(args: argparse.Namespace) -> int:
    from ..check import check_course
    from ..diagnostics import summary
    from ..outputs import OutputError, check_output_folder, replace_folder
    from ..render.site import render_site

    root, out = Path(args.path), Path(args.dir)
    try:
        check_output_folder(root, out)
    except OutputError as exc:
        raise Failure(str(exc)) from None
    result = check_course(root)
    for diagnostic in result.diagnostics:  # warnings too, as `course check` prints them
        print(diagnostic.format())
    if result.errors or result.course is None:
        print(summary(result.diagnostics, result.files))
        return EXIT_PROBLEMS
    home = root / "docs" / "index.md"
    try:
        home_text = _strip_front_matter(home.read_text(encoding="utf-8")) if home.is_file() else None
        site = render_site(result.course, home_text)
    except UnicodeDecodeError:
        raise Failure(f"{home} is not UTF-8 text; save it as UTF-8") from None
    try:
        replace_folder(out, lambda folder: _write_pages(folder, site.pages))
    except OutputError as exc:
        raise Failure(str(exc)) from None
    print(f"Wrote {len(site.pages)} pages to {out}.")
    return EXIT_OK


def _write_pages(folder: Path, pages: dict[str, str]) -> int:
    """Write the pages into a new folder that no one reads until it is complete."""
    for path, text in pages.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(text.encode("utf-8"))
    return len(pages)


def _strip_front_matter(text: str) -> str:
    from mkdocs.utils import meta

    return meta.get_data(text)[0]
