"""Every file of the bad-input corpus is rejected with exactly its expected file:line:column and code.

Each corpus file states what it expects on its first line: `# expect: LINE:COL SEVERITY CODE`
(or `-` for LINE:COL when the problem concerns the whole file).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from coursekit.diagnostics import Code

from conftest import FIXTURES

BAD = FIXTURES / "bad"
BANKS = FIXTURES / "banks"
TARGETS = {"course": "course/course.yml", "references": "course/references.yml", "glossary": "course/glossary.yml"}
CORPUS = sorted(BAD.glob("*/*.yml"))
DIAGNOSTIC = re.compile(r"^(?P<path>\S+?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<sev>error|warning): (?P<msg>.+) \[(?P<code>[a-z.-]+)\]$")


def expectation(path: Path) -> tuple[str, str, str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    match = re.match(r"^# expect: (\S+) (error|warning) (\S+)$", first)
    assert match, f"{path} lacks its '# expect:' line"
    return match.groups()


def base_course(bad_file: Path) -> Path:
    """The course a corpus file is tried in: files under bank-modules/ need a course that draws from banks."""
    return BANKS if bad_file.parent.name == "bank-modules" else FIXTURES / "good"


def course_for(bad_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "course-repo"
    shutil.copytree(base_course(bad_file), target)
    return target


def place(course: Path, bad_file: Path) -> str:
    """Put the bad file into the course where it belongs; return its path relative to the course."""
    kind = bad_file.parent.name
    if kind == "bank-modules":
        shutil.copy(bad_file, course / "modules" / bad_file.name)
        course_yml = course / "course/course.yml"
        course_yml.write_text(course_yml.read_text().replace("  - recording\n", f"  - recording\n  - {bad_file.stem}\n", 1))
        return f"modules/{bad_file.name}"
    if kind == "modules":
        shutil.copy(bad_file, course / "modules" / bad_file.name)
        course_yml = course / "course/course.yml"
        course_yml.write_text(course_yml.read_text().replace("  - recording\n", f"  - recording\n  - {bad_file.stem}\n", 1))
        return f"modules/{bad_file.name}"
    shutil.copy(bad_file, course / TARGETS[kind])
    return TARGETS[kind]


@pytest.mark.parametrize("bad_file", CORPUS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_bad_file_is_rejected_at_its_place(bad_file, tmp_path, run):
    where, severity, code = expectation(bad_file)
    course = course_for(bad_file, tmp_path)
    relpath = place(course, bad_file)
    exit_code, out, err = run("check", "--strict", str(course))
    assert exit_code == 1
    assert "Traceback" not in out + err
    reported = [DIAGNOSTIC.match(line) for line in out.splitlines() if ": error: " in line or ": warning: " in line]
    assert len(reported) == 1, out
    found = reported[0]
    assert found["path"] == relpath
    assert (f"{found['line']}:{found['col']}" if found["line"] else "-") == where
    assert (found["sev"], found["code"]) == (severity, code)
    base = base_course(bad_file)
    files = len([*(base / "course").glob("*.yml"), *(base / "modules").glob("*.yml")])
    files += 1 if bad_file.parent.name.endswith("modules") else 0
    assert any(line.endswith(f" in {files} files.") for line in out.splitlines()), out


@pytest.mark.parametrize("bad_file", [p for p in CORPUS if expectation(p)[1] == "warning"], ids=lambda p: p.stem)
def test_warnings_pass_without_strict(bad_file, tmp_path, run):
    course = course_for(bad_file, tmp_path)
    place(course, bad_file)
    exit_code, out, _ = run("check", str(course))
    assert exit_code == 0
    assert ": warning: " in out


def test_corpus_covers_every_rule():
    """One corpus file per diagnostic code, except those tested where a file cannot show them."""
    covered = {expectation(p)[2] for p in CORPUS}
    tested_elsewhere = {Code.INTERNAL, Code.FILE_TOO_LARGE, Code.COURSE_MODULE_UNLISTED,
                        Code.PICTURE_MOVING}  # needs a picture file: tests/test_pictures.py
    missing = {c.value for c in Code} - covered - {c.value for c in tested_elsewhere}
    assert not missing, f"no bad-input file for: {sorted(missing)}"
