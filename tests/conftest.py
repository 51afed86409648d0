"""Shared fixtures: a fixed 'today', the small complete course, and a way to run the `course` command."""

from __future__ import annotations

import datetime as dt
import gc
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from coursekit.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
TODAY = "2026-11-23"


def pytest_configure(config) -> None:
    """Full garbage collections one tenth as often as Python's default: each walks every object alive, and the
    run keeps sites, parsed courses and laid-out PDFs alive (153 full collections took 15 s of the suite's CPU;
    now about 75, mostly asked for explicitly, take 10 s). Young objects are still collected as usual; PDFs are
    made with no full collection at all (render/pdf.py)."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)


def approve_modules(root: Path, modules: Sequence[str] = (), roles: Sequence[str | None] = (None,),
                    by: str = "A. Reviewer") -> None:
    """Record real approvals with the review workflow's own function (every module by default), one per role.

    Fixtures never type `status: approved`: a course is approved here as a trainer's reviewers approve it.
    """
    from coursekit.review import approve

    for module in modules or sorted(p.stem for p in (root / "modules").glob("*.yml")):
        for role in roles:
            approve(root, module, by, role, dt.date.fromisoformat(TODAY))


def pdf_texts(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, as poppler's pdftotext reads it (Debian's poppler-utils, which the
    tests need anyway): twenty times quicker than pypdf's extraction, which was a tenth of the suite."""
    import subprocess

    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8").split("\f")[:-1]  # every page ends with a form feed


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Review dates are judged against a fixed day, so results do not change with the calendar."""
    monkeypatch.setenv("COURSE_TODAY", TODAY)


@pytest.fixture
def good_course(tmp_path: Path) -> Path:
    """A fresh copy of the small complete course, safe to modify."""
    target = tmp_path / "course-repo"
    shutil.copytree(GOOD, target)
    return target


@pytest.fixture(scope="session")
def good_site(tmp_path_factory) -> Path:
    """The small complete course built once for the whole run by `course build`: the site folder, read-only.

    Tests that only read a built site share it (a build costs about a second); tests that change the
    course or rebuild it make their own.
    """
    root = tmp_path_factory.mktemp("good-site") / "course-repo"
    shutil.copytree(GOOD, root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_TODAY", TODAY)
        assert main(["build", "--quiet", str(root)]) == 0
    return root / "site"


@pytest.fixture(scope="session")
def good_scorm_package(tmp_path_factory) -> Path:
    """The small complete course packaged once for the whole run by `course scorm`: the zip, read-only."""
    out = tmp_path_factory.mktemp("good-scorm") / "course.zip"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_TODAY", TODAY)
        assert main(["scorm", "--quiet", "-o", str(out), str(GOOD)]) == 0
    return out


@pytest.fixture
def run(capsys):
    """Run the `course` command in-process; return (exit code, stdout, stderr)."""

    def _run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse exits for --help, --version and usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture(scope="session")
def good_pdf():
    """The small complete course as a PDF edition, made once per way of asking for the whole run:
    `good_pdf(edition, modules_per_part=None, listed_per_module=None)` (None: as `course pdf` makes it)."""
    from coursekit.check import check_course
    from coursekit.render import pdf, pdf_views

    made: dict[tuple, bytes] = {}

    def render(edition: str, modules_per_part: int | None = None, listed_per_module: int | None = None) -> bytes:
        key = (edition, modules_per_part, listed_per_module)
        if key not in made:
            on = dt.date.fromisoformat(TODAY)
            result = check_course(GOOD, on_date=on)
            with pytest.MonkeyPatch.context() as patch:
                if listed_per_module is not None:
                    patch.setattr(pdf_views, "LISTED_PER_MODULE", listed_per_module)
                made[key] = pdf.render_pdf(result.course, edition, on, (), result.warnings,
                                           modules_per_part=modules_per_part or pdf.MODULES_PER_PART)
        return made[key]

    return render


@pytest.fixture(scope="session")
def sample_layout_of():
    """The sample course laid out as a PDF edition: (course, weasyprint Document), made once per edition
    asked in a row (the last one is kept: each holds hundreds of laid-out pages)."""
    from coursekit.check import check_course
    from coursekit.render.pdf import lay_out, render_html

    kept: dict[str, tuple] = {}

    def layout(edition: str) -> tuple:
        if edition not in kept:
            if kept:
                kept.clear()
                gc.unfreeze()  # the edition laid out before is let go, whatever holds it
                gc.collect()
            on = dt.date.fromisoformat(TODAY)
            result = check_course(FIXTURES.parents[1], on_date=on)
            assert result.course is not None
            kept[edition] = (result.course, lay_out(render_html(result.course, edition, on, (), result.warnings)))
            # Its boxes live for the rest of the run: every later full garbage collection would walk them all
            # (81 collections walking about two million objects were half of the PDF tests' time). Frozen,
            # collections skip them; the next edition lets them go.
            gc.freeze()
        return kept[edition]

    return layout
