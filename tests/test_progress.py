"""Progress shows on a terminal and stays silent otherwise."""

from __future__ import annotations

import io

from coursekit.progress import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_updates_one_line_on_a_terminal():
    out = FakeTerminal()
    with Progress("Building", 2, stream=out) as progress:
        progress.step("entrapment")
        progress.step("evidence")
    text = out.getvalue()
    assert "Building: 1/2 entrapment" in text and "Building: 2/2 evidence" in text
    assert text.endswith("s)\n") and text.count("\n") == 1


def test_progress_is_silent_in_pipes_and_when_quiet():
    piped, quiet = io.StringIO(), FakeTerminal()
    for stream, kwargs in ((piped, {}), (quiet, {"quiet": True})):
        with Progress("Building", 2, stream=stream, **kwargs) as progress:
            progress.step("x")
    assert piped.getvalue() == "" and quiet.getvalue() == ""
