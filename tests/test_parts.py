"""Parts: course.yml's `parts` group modules in the navigation and on the home page, checked like every key."""

from __future__ import annotations

import re
import shutil

import pytest

from coursekit.check import check_course

from conftest import FIXTURES

PARTS = FIXTURES / "parts"
COURSE = "course/course.yml"


@pytest.fixture(scope="module")
def parts_site(tmp_path_factory):
    """The parts fixture built once (navigation.prune, offline): the site folder."""
    from coursekit.cli import main

    root = tmp_path_factory.mktemp("parts") / "course"
    shutil.copytree(PARTS, root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_TODAY", "2026-11-23")
        assert main(["build", "--quiet", str(root)]) == 0
    return root / "site"


def _with_parts(tmp_path, parts_yaml: str):
    root = tmp_path / "course"
    shutil.copytree(PARTS, root)
    text = (root / COURSE).read_text(encoding="utf-8")
    start, end = text.index("parts:\n"), text.index("assessment:\n")
    (root / COURSE).write_text(text[:start] + parts_yaml + text[end:], encoding="utf-8")
    return check_course(root)


def test_the_fixture_is_a_valid_course_with_modules_outside_parts():
    result = check_course(PARTS)
    assert not result.diagnostics
    groups = [(part.title if part else None, [m.id for m in modules]) for part, modules in result.course.module_groups()]
    assert groups == [(None, ["welcome"]), ("The legal line", ["the-test", "the-record"]),
                      ("Evidence & <disclosure>", ["capture", "storage"]), (None, ["wellbeing"])]


@pytest.mark.parametrize("parts,line_col,code,message", [
    ("parts:\n  - title: Gapped\n    modules: [welcome, the-record]\n", (16, 24), "part.order",
     "`the-record` does not follow `welcome` in `modules`: a part's modules follow one another there; move it in "
     "`modules`, or add the modules between them to this part"),
    ("parts:\n  - title: Later\n    modules: [capture]\n  - title: Earlier\n    modules: [the-test]\n", (18, 15),
     "part.order", "`the-test` comes before the modules of the part above it in `modules`; list the parts in the "
     "order of their modules"),
    ("parts:\n  - title: Law\n    modules: [the-test]\n  - title: law \n    modules: [capture]\n", (17, 12),
     "part.repeated", "`law` is used by another part too; each must be different"),
    ("parts:\n  - title: Law\n    modules: [the-test, the-test]\n", (16, 25), "part.repeated",
     "module `the-test` is already in a part; list each module in one part only"),
    ("parts:\n  - title: Law\n    modules: [the-tset]\n", (16, 15), "part.module",
     "`the-tset` is not one of the course's `modules`; did you mean `the-test`?"),
])
def test_a_part_that_breaks_course_order_is_located(tmp_path, parts, line_col, code, message):
    result = _with_parts(tmp_path, parts)
    found = [(d.path, (d.line, d.column), d.code.value, d.message) for d in result.diagnostics]
    assert found == [(COURSE, line_col, code, message)]


def test_parts_group_the_navigation_and_only_the_open_part_is_rendered(parts_site):
    page = (parts_site / "the-test" / "index.html").read_text(encoding="utf-8")
    nav = page[page.index('<nav class="md-nav md-nav--primary"'):page.index("md-sidebar--secondary")]
    assert "The legal line" in nav and "Evidence &amp; &lt;disclosure&gt;" in nav
    assert 'href="../the-record/index.html"' in nav  # the open part lists its modules
    assert "../storage/index.html" not in nav  # the closed part is pruned to a link to its first module
    assert re.search(r'<a href="../capture/index.html" class="md-nav__link">\s*<span class="md-ellipsis">\s*'
                     r'Evidence &amp; &lt;disclosure&gt;', nav)


def test_the_home_page_lists_modules_under_their_parts(parts_site):
    page = (parts_site / "index.html").read_text(encoding="utf-8")
    content = page[page.index('id="ck-modules"'):page.index('id="ck-final-assessment"')]
    assert re.findall(r'<h3 id="(ck-part-\d+)">([^<]*)</h3>', content) == [
        ("ck-part-2", "The legal line"), ("ck-part-3", "Evidence &amp; &lt;disclosure&gt;")]
    lists = re.findall(r'<ol class="ck-modules"(?: start="(\d+)")?>(.*?)</ol>', content, re.DOTALL)
    assert [(start, re.findall(r"<h(\d) class=\"ck-module__title\">", items)) for start, items in lists] == [
        ("", ["3"]), ("2", ["4", "4"]), ("4", ["4", "4"]), ("6", ["3"])]
    toc = page[page.index('class="md-nav md-nav--secondary"'):]
    assert "The legal line" in toc  # parts are headings of the page, in its table of contents


def test_the_scorm_package_keeps_the_pruned_navigation(tmp_path):
    """`course scorm` packages the same pages: each module's navigation lists only its own part's modules."""
    import zipfile

    from coursekit.cli import main

    root = tmp_path / "course"
    shutil.copytree(PARTS, root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_TODAY", "2026-11-23")
        assert main(["scorm", "--quiet", "-o", str(tmp_path / "parts.zip"), str(root)]) == 0
    with zipfile.ZipFile(tmp_path / "parts.zip") as package:
        the_test, capture = (_primary_nav(package.read(f"{m}/index.html").decode("utf-8"))
                             for m in ("the-test", "capture"))
    assert "../the-record/index.html" in the_test and "../storage/index.html" not in the_test
    assert "../storage/index.html" in capture and "../the-record/index.html" not in capture


def _primary_nav(page: str) -> str:
    return page[page.index('<nav class="md-nav md-nav--primary"'):page.index("md-sidebar--secondary")]
