"""The trainer's guide is executable: its commands, edits and shown output are run in order on a new course.

docs/trainers/guide.md holds three kinds of step, in reading order:
- ```console blocks: each `$ command` line is run; the lines after it are what the trainer will see.
  The output must match them line for line, where `...` in a line stands for any text and a line of
  only `...` for any number of lines. A block that shows `error:` must make its command exit 1.
- `<!-- guide-test: write PATH -->` then a ```yaml block: the file is written with that text.
- `<!-- guide-test: replace PATH -->` then two ```yaml blocks: the first text is replaced by the second.
`course` commands run in-process; `mkdocs serve` runs for real on a free local port, long enough to
fetch the pages and see an edit reach them (its live reload).
"""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from coursekit.cli import build_parser

from conftest import GOOD

REPO = GOOD.parents[2]
GUIDE = REPO / "docs" / "trainers" / "guide.md"
DIRECTIVE = re.compile(r"<!-- guide-test: (write|replace) (\S+) -->")
SERVE_TIMEOUT = 60


@dataclass
class Step:
    kind: str  # "run", "write" or "replace"
    line: int  # where the step starts in the guide, for failure messages
    command: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    path: str = ""
    texts: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        what = shlex.join(self.command) if self.kind == "run" else f"{self.kind} {self.path}"
        return f"guide.md:{self.line}: {what}"


def _blocks(lines: list[str]):
    """Yield (line number, info string, text) of each fenced block, and (line number, None, directive line)."""
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith("```"):
            fence, info, start = stripped[:3], stripped[3:].strip(), i + 1
            i += 1
            body = []
            while not lines[i].strip().startswith(fence):
                body.append(lines[i])
                i += 1
            indent = len(lines[start - 1]) - len(lines[start - 1].lstrip())
            yield start, info, "\n".join(b[indent:] for b in body) + "\n"
        elif DIRECTIVE.fullmatch(stripped):
            yield i + 1, None, stripped
        i += 1


def guide_steps(text: str) -> list[Step]:
    """The guide's steps in reading order."""
    steps: list[Step] = []
    pending: Step | None = None  # an edit directive waiting for its yaml blocks
    for number, info, body in _blocks(text.splitlines()):
        if info is None:
            kind, path = DIRECTIVE.fullmatch(body).groups()
            pending = Step(kind, number, path=path)
        elif pending is not None:
            pending.texts.append(body)
            if len(pending.texts) == (1 if pending.kind == "write" else 2):
                steps.append(pending)
                pending = None
        elif info == "console":
            for offset, line in enumerate(body.splitlines()):
                if line.startswith("$ "):
                    steps.append(Step("run", number + offset, command=shlex.split(line[2:])))
                elif steps and steps[-1].kind == "run":
                    steps[-1].shown.append(line.rstrip())
    assert pending is None, f"guide.md:{pending.line}: a guide-test directive without its yaml block(s)"
    return steps


def _line_pattern(shown: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in shown.split("...")))


def output_matches(shown: list[str], actual: list[str]) -> bool:
    """True if the actual lines are what the guide shows (`...` in a line is any text; alone, any lines)."""
    if not shown:
        return not actual
    if shown[0] == "...":
        return any(output_matches(shown[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and bool(_line_pattern(shown[0]).fullmatch(actual[0].rstrip())) and output_matches(
        shown[1:], actual[1:])


def _is_scorm(step: Step) -> bool:
    return step.command[:2] == ["course", "scorm"]


class Walkthrough:
    """Carries out the guide's steps the way a trainer would, from one starting folder."""

    def __init__(self, start: Path, monkeypatch, run):
        self.cwd, self.monkeypatch, self.run = start, monkeypatch, run
        monkeypatch.chdir(start)

    def do(self, step: Step) -> None:
        if step.kind == "write":
            self._write(step)
        elif step.kind == "replace":
            self._replace(step)
        elif step.command[0] == "cd":
            self.cwd = (self.cwd / step.command[1]).resolve()
            self.monkeypatch.chdir(self.cwd)
        elif step.command[:2] == ["mkdocs", "serve"]:
            self._serve(step)
        else:
            self._course(step)

    def _write(self, step: Step) -> None:
        (self.cwd / step.path).write_text(step.texts[0], encoding="utf-8")

    def _replace(self, step: Step) -> None:
        path = self.cwd / step.path
        old, new = step.texts
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{step}: the text to change is not in the file exactly once:\n{old}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def _course(self, step: Step) -> None:
        assert step.command[0] == "course", f"{step}: the guide's console blocks run only `course` and `mkdocs serve`"
        code, out, err = self.run(*step.command[1:])
        actual = (out + err).splitlines()
        assert output_matches(step.shown, actual), (
            f"{step}: the guide shows\n" + "\n".join(step.shown) + "\nbut the command printed\n" + "\n".join(actual))
        fails = any("error:" in line for line in step.shown)
        assert code == (1 if fails else 0), f"{step}: exit code {code}\n{out}{err}"

    def _serve(self, step: Step) -> None:
        """Preview: the home and module pages are served, and a saved edit reaches the page by itself."""
        port = _free_port()
        mkdocs = Path(sys.executable).with_name("mkdocs")
        server = subprocess.Popen([str(mkdocs), "serve", "-a", f"127.0.0.1:{port}"], cwd=self.cwd,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        module = self.cwd / "modules" / "evidence.yml"
        original = module.read_text(encoding="utf-8")
        try:
            base = f"http://127.0.0.1:{port}/"
            home = _fetch_when(base, lambda page: "Recording online evidence" in page, server)
            assert "Recording evidence" in home, f"{step}: the home page does not list the module"
            _fetch_when(base + "evidence/", lambda page: "The record is the evidence" in page, server)
            module.write_text(original.replace("The record is the evidence", "The record decides the case"),
                              encoding="utf-8")
            _fetch_when(base + "evidence/", lambda page: "The record decides the case" in page, server)
        finally:
            module.write_text(original, encoding="utf-8")
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch_when(url: str, ready, server: subprocess.Popen) -> str:
    """The page at url once ready(page) holds; fails with the server's output after SERVE_TIMEOUT seconds."""
    deadline, page = time.monotonic() + SERVE_TIMEOUT, ""
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve stopped (exit {server.returncode}):\n{server.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                page = response.read().decode("utf-8")
            if ready(page):
                return page
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    server.terminate()
    pytest.fail(f"{url} did not show what was expected within {SERVE_TIMEOUT} s:\n{page[:2000]}\n"
                f"server output:\n{server.communicate(timeout=10)[0]}")


STEPS = guide_steps(GUIDE.read_text(encoding="utf-8"))


def test_the_guide_covers_every_stage_in_order():
    """Start, add, check, preview, fix, approve, export both PDFs and SCORM, tidy: in that order."""
    commands = [" ".join(s.command[:3]) for s in STEPS if s.kind == "run"]
    stages = ["course init my-course", "course new module", "course check", "mkdocs serve", "course review approve",
              "course review diff", "course pdf -o", "course pdf --edition", "course scorm -o", "course build",
              "course fmt", "course schema --write"]
    positions = [next((i for i, c in enumerate(commands) if c.startswith(stage)), -1) for stage in stages]
    assert -1 not in positions, dict(zip(stages, positions))
    assert positions == sorted(positions), dict(zip(stages, positions))
    failing_checks = [s for s in STEPS if s.command[:2] == ["course", "check"] and any("error:" in x for x in s.shown)]
    shown = [re.findall(r"\[([a-z.-]+)\]$", line) for s in failing_checks for line in s.shown if "error:" in line]
    # two deliberate mistakes: a misspelt key, and an approval that a newly required role has not given
    assert shown == [["schema.unknown-key"], ["review.unapproved"]], shown


def test_a_newcomer_following_the_guide_gets_a_checked_approved_exported_course(tmp_path, monkeypatch, run):
    walk = Walkthrough(tmp_path, monkeypatch, run)
    for step in STEPS:
        if not _is_scorm(step):  # the SCORM step has its own test, below
            walk.do(step)
    course = tmp_path / "my-course"
    assert (course / "course/approved/evidence.yml").is_file()
    assert "status: approved" in (course / "modules/evidence.yml").read_text(encoding="utf-8")
    for pdf in ("handout.pdf", "review.pdf"):
        assert (course / pdf).read_bytes().startswith(b"%PDF-"), pdf
    assert "Recording evidence" in (course / "site/evidence/index.html").read_text(encoding="utf-8")


def test_the_guides_scorm_step_makes_a_package(tmp_path, monkeypatch, run):
    walk = Walkthrough(tmp_path, monkeypatch, run)
    for step in STEPS:
        if step.command[:2] != ["mkdocs", "serve"]:  # the preview is covered above; it adds nothing here
            walk.do(step)
        if _is_scorm(step):
            break
    with zipfile.ZipFile(walk.cwd / "course.zip") as package:
        assert "imsmanifest.xml" in package.namelist()


def test_output_matching_honours_left_out_text():
    assert output_matches(["wrote a.pdf (... KB)"], ["wrote a.pdf (61 KB)"])
    assert output_matches(["...", "2 warnings."], ["x", "y", "2 warnings."])
    assert output_matches(["first", "...", "last"], ["first", "last"])
    assert not output_matches(["wrote a.pdf"], ["wrote b.pdf"])
    assert not output_matches(["one line"], ["one line", "an extra line"])


def test_steps_are_read_in_order_with_their_output_and_edits():
    text = "\n".join([
        "```console", "$ course check", "1 error in 2 files.", "$ cd x", "```",
        "<!-- guide-test: replace a.yml -->", "", "```yaml", "old: 1", "```", "text", "```yaml", "new: 1", "```",
        "```yaml", "not: a step", "```",
    ])
    steps = guide_steps(text)
    assert [(s.kind, s.command, s.shown) for s in steps[:2]] == [
        ("run", ["course", "check"], ["1 error in 2 files."]), ("run", ["cd", "x"], [])]
    assert (steps[2].kind, steps[2].path, steps[2].texts) == ("replace", "a.yml", ["old: 1\n", "new: 1\n"])
    assert len(steps) == 3


def test_the_guide_opens_the_trainers_section_and_its_links_resolve(good_course, run):
    """On a built site the guide comes first under "For trainers", and every link in it finds its target."""
    import shutil

    shutil.copytree(GUIDE.parent, good_course / "docs" / "trainers")
    code, out, err = run("build", str(good_course))  # strict: a link to a missing page fails the build
    assert code == 0, out + err
    site = good_course / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    section = home[home.index("For trainers"):]
    assert section.index('href="trainers/guide/"') < section.index('href="trainers/errors/"')
    assert section.index('href="trainers/guide/"') < section.index('href="trainers/keys/"')
    pages = {name: (site / "trainers" / name / "index.html").read_text(encoding="utf-8")
             for name in ("guide", "keys", "errors")}
    for page, anchor in re.findall(r"\]\((?:(\w+)\.md)?#([\w-]+)\)", GUIDE.read_text(encoding="utf-8")):
        assert f'id="{anchor}"' in pages[page or "guide"], f"guide.md links to a missing anchor: {page}.md#{anchor}"
