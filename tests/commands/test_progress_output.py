"""`course build` and `course pdf` show progress on a terminal, and nothing of it in pipes or under --quiet."""

from __future__ import annotations

import io
import sys

import pytest


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch):
    """A function that makes stderr a terminal a person watches, and returns what it shows.

    Called inside the test: pytest's output capture replaces sys.stderr after fixtures are set up.
    """

    def _terminal() -> FakeTerminal:
        screen = FakeTerminal()
        monkeypatch.setattr(sys, "stderr", screen)
        return screen

    return _terminal


def test_build_shows_each_page_on_a_terminal(good_course, run, terminal):
    screen = terminal()
    code, out, _ = run("build", str(good_course))
    assert code == 0 and "Wrote the site into" in out
    shown = screen.getvalue()
    assert "\r\x1b[KBuilding the site: 1 index.md" in shown
    assert "recording/index.md" in shown
    assert shown.endswith("s)\n") and " pages (" in shown


def test_build_quiet_prints_nothing_and_still_builds(good_course, run, terminal):
    screen = terminal()
    code, out, _ = run("build", "--quiet", str(good_course))
    assert (code, out, screen.getvalue()) == (0, "", "")
    assert (good_course / "site" / "index.html").is_file()


def test_build_in_a_pipe_shows_no_progress(good_course, run):
    code, out, err = run("build", str(good_course))
    assert code == 0 and "Building the site" not in out + err


def test_pdf_shows_its_steps_on_a_terminal_and_nothing_under_quiet(good_course, run, terminal, tmp_path):
    screen = terminal()
    one = ("--module", "recording")  # the smallest PDF: what is shown does not depend on its size
    code, out, _ = run("pdf", *one, "-o", str(tmp_path / "a.pdf"), str(good_course))
    assert code == 0 and "Wrote" in out
    shown = screen.getvalue()
    assert "Making the learner PDF: 1/2 laying out 1 module" in shown and "2/2 writing" in shown and "done (" in shown
    screen.seek(0), screen.truncate()
    code, out, _ = run("pdf", *one, "--quiet", "-o", str(tmp_path / "b.pdf"), str(good_course))
    assert code == 0 and "Wrote" not in out and screen.getvalue() == ""
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF-")
