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


def test_peer_markdown_builds_with_mkdocs_quiz_and_holds_the_same_questions(tmp_path):
    """The benchmark's peer course is real: mkdocs-quiz turns its <quiz> blocks into quizzes."""
    import subprocess

    from synthetic import generate_markdown

    root = generate_markdown(tmp_path / "peer", 3)
    page = (root / "docs/module-1/index.md").read_text()
    assert page.count("<quiz>") == 5 and page.count("## Section") == 6
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    html = (root / "site/module-1/index.html").read_text()
    assert html.count('class="quiz"') == 5  # five rendered quizzes (the plugin keeps their source in comments)


def test_the_peers_differ_only_in_their_plugin_and_navigation(tmp_path):
    """Plain Material has no quiz plugin; the parted peer lists the course's parts as pruned sections."""
    from synthetic import generate_markdown

    flat = (generate_markdown(tmp_path / "quiz", 4) / "mkdocs.yml").read_text()
    plain = (generate_markdown(tmp_path / "plain", 4, plugin=None) / "mkdocs.yml").read_text()
    parted = (generate_markdown(tmp_path / "parts", 4, part_size=2) / "mkdocs.yml").read_text()
    assert "mkdocs_quiz" in flat and "mkdocs_quiz" not in plain and "nav:" not in flat + plain
    assert plain == flat.replace("  - mkdocs_quiz\n", "")
    assert "navigation.prune" in parted and "  - Part 2:\n    - module-2/index.md\n    - module-3/index.md\n" in parted
    course = (generate(tmp_path / "course", 4, 2) / "course/course.yml").read_text()
    assert "  - title: Part 2\n    modules: [module-2, module-3]\n" in course
