"""`course pdf`: render the learner or reviewer edition of a course as a PDF file."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, Callable

EDITION_HELP = (
    "learner (the default, safe to hand out): the course text, transcripts, conversations as paper exercises, "
    "questions without answers, glossary and references. reviewer: adds per module the review record, trainer "
    "notes, the answer key and every path of each conversation with a diagram of its branches (drawn by Graphviz), "
    "and for the course an objectives-coverage table, the checker's warnings and a sign-off sheet per module"
)


def register(sub: Any, subcommand: Callable[..., argparse.ArgumentParser]) -> None:
    """Add `course pdf` to the command line."""
    p = subcommand(sub, "pdf", cmd_pdf,
                   "Render the course as a PDF: a learner handout (default) or the reviewer edition with answers.",
                   "course pdf --edition reviewer -o build/review.pdf .")
    p.add_argument("path", nargs="?", default=".", metavar="PATH", help="the course folder (default: here)")
    p.add_argument("--edition", choices=["learner", "reviewer"], default="learner", help=EDITION_HELP)
    p.add_argument("--module", dest="modules", action="append", default=[], metavar="ID",
                   help="only this module (repeat for several; default: every module, in course order)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF file to write")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line and no success message")


def cmd_pdf(args: argparse.Namespace) -> int:
    """Check the course, render the edition, and write the PDF only once rendering succeeded."""
    from ..check import check_course, course_images, today
    from ..cli import Failure
    from ..diagnostics import did_you_mean, summary
    from ..outputs import OutputError, check_output_file
    from ..progress import Progress
    from ..render.pdf import render_pdf
    from ..yamlio import write_atomic

    try:
        check_output_file(Path(args.path), Path(args.output), "PDF")
    except OutputError as exc:
        raise Failure(str(exc)) from None
    result = check_course(Path(args.path))
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), flush=True)
    if result.errors or result.course is None:
        print(summary(result.diagnostics, result.files), flush=True)
        print("No PDF written: fix the errors above first.", flush=True)
        return 1
    course = result.course
    unknown = [m for m in args.modules if course.module(m) is None]
    if unknown:
        known = [m.id for m in course.modules]
        hint = did_you_mean(unknown[0], known) if len(unknown) == 1 else ""
        raise Failure(f"no module {', '.join(f'`{m}`' for m in unknown)} in this course{hint} "
                      f"(its modules are: {', '.join(known)})")
    changes, diagrams, problem = None, None, ""
    if args.edition == "reviewer":
        from ..render.diagram import course_diagrams, dot_available
        from ..review import changes_since_approval

        changes = changes_since_approval(Path(args.path), course)
        diagrams, problem = course_diagrams(course, args.modules)
        if problem:
            advice = ("Install Graphviz (Debian: apt-get install graphviz) and export again." if not dot_available()
                      else "The steps are given in words; export again to try once more.")
            print(f"warning: the reviewer PDF shows no diagram of the conversations' branches: {problem}. {advice}",
                  flush=True)
    started = time.perf_counter()
    output = Path(args.output)
    # Started after the warnings are printed, so that the live line does not run into them.
    with Progress(f"Making the {args.edition} PDF", 2, quiet=args.quiet) as progress:
        count = len(args.modules or course.modules)
        progress.step(f"laying out {count} module{'s' if count != 1 else ''}")
        pdf = render_pdf(course, args.edition, today(), args.modules, result.warnings, changes,
                         course_images(Path(args.path)), diagrams, problem or "")
        progress.step(f"writing {output}")
        write_atomic(output, pdf)
    if not args.quiet:
        print(f"Wrote {output} ({args.edition} edition, {len(pdf) // 1024} KB, {time.perf_counter() - started:.1f} s)",
              flush=True)
    return 0
