"""The benchmark's synthetic course is itself a valid course, so benchmarks measure real work."""

from __future__ import annotations

import sys
from pathlib import Path

from coursekit.check import check_course

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tooling" / "bench"))
from synthetic import generate  # noqa: E402


def test_synthetic_course_passes_strict_check(tmp_path):
    root = generate(tmp_path / "syn", 3)
    result = check_course(root)
    assert result.diagnostics == []
    course = result.course
    assert len(course.modules) == 3
    assert all(len(m.questions) == 5 and len(m.sections) == 7 for m in course.modules)
    assert 110 <= len((root / "modules/module-1.yml").read_text().splitlines()) <= 170
