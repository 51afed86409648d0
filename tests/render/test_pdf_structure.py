"""PDF/UA structure, read from the tags of written PDFs (no validator can be run here; veraPDF is not in a
registry this project reaches): header and footer as artifacts, every marked text in the structure tree,
table header scope, bookmarks open on display; and from the layout: no heading stranded at the foot of a
page, and lines of prose about 70 characters long."""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from coursekit.check import check_course
from coursekit.render.pdf import render_html, render_pdf

from conftest import GOOD, TODAY

ON = dt.date.fromisoformat(TODAY)


@pytest.fixture(scope="module")
def good(good_pdf) -> PdfReader:
    return PdfReader(io.BytesIO(good_pdf("reviewer")))


@pytest.fixture(scope="module")
def sample_pages(sample_layout_of):
    """The sample course's reviewer edition, laid out (not written): its pages' boxes (the layout
    tests/render/test_pdf.py checks too)."""
    return sample_layout_of("reviewer")[1].pages


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _texts_by_marking(reader: PdfReader, page_number: int) -> list[tuple[str, bool]]:
    """Each piece of text of a page, and whether it was written inside an /Artifact marked-content sequence."""
    stack: list[str] = []
    found: list[tuple[str, bool]] = []

    def operator(op, args, cm, tm):  # noqa: ANN001 - pypdf's visitor
        if op in (b"BDC", b"BMC"):
            stack.append(str(args[0]))
        elif op == b"EMC" and stack:
            stack.pop()

    def text(t, cm, tm, font, size):  # noqa: ANN001 - pypdf's visitor
        if t.strip():
            found.append((t.strip(), "/Artifact" in stack))

    reader.pages[page_number].extract_text(visitor_operand_before=operator, visitor_text=text)
    return found


def test_the_running_header_and_footer_are_artifacts_and_the_content_is_not(good):
    for number in range(1, len(good.pages)):  # the cover has no header
        pieces = _texts_by_marking(good, number)
        footer = [artifact for t, artifact in pieces if re.search(r"Page \d+ of \d+", t)]
        assert footer and all(footer), f"page {number + 1}: the footer is not an artifact"
        assert any(not artifact for _, artifact in pieces)  # the page's own text is still tagged content
    module_page = next(n for n in range(len(good.pages)) if "Module 1" in good.pages[n].extract_text())
    pieces = _texts_by_marking(good, module_page)
    assert any(artifact and "legal line" in t for t, artifact in pieces)  # the running header: the module's title
    assert all(artifact for t, artifact in pieces if t.startswith("test-course"))  # the footer's course id


def test_the_dots_of_the_contents_are_artifacts_and_its_entries_are_not(good):
    """A screen reader reads a contents line as its title and page number, not every dot between them."""
    contents = next(n for n in range(len(good.pages)) if "Contents" in good.pages[n].extract_text())
    pieces = _texts_by_marking(good, contents)
    dots = [artifact for t, artifact in pieces if set(t) <= set(". ")]
    assert len(dots) > 10 and all(dots)
    assert any(not artifact and "the legal line" in t.lower() for t, artifact in pieces)
    assert any(not artifact and t.isdigit() for t, artifact in pieces)  # the page numbers


def _struct_elements(reader: PdfReader) -> list[DictionaryObject]:
    root = _resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    found, todo, seen = [], [root], set()
    while todo:
        node = _resolve(todo.pop())
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        kids = node.get("/K")
        kids = _resolve(kids)
        todo.extend(kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else [])
    return found


def test_every_marked_text_belongs_to_the_structure_tree(good):
    """PDF/UA 7.1: content is either tagged in the tree or an artifact; nothing is marked and left out."""
    reachable = {(e.indirect_reference.idnum if e.indirect_reference else None) for e in _struct_elements(good)}
    nums = _resolve(_resolve(good.trailer["/Root"]["/StructTreeRoot"])["/ParentTree"])["/Nums"]
    for i in range(0, len(nums), 2):
        entry = _resolve(nums[i + 1])
        refs = entry if isinstance(entry, ArrayObject) else [nums[i + 1]]
        orphans = [r for r in refs if isinstance(r, IndirectObject) and r.idnum not in reachable]
        assert not orphans, f"parent tree entry {nums[i]}: {len(orphans)} marked contents outside the tree"


def test_table_header_cells_have_a_scope(good):
    headers = [e for e in _struct_elements(good) if e.get("/S") == "/TH"]
    assert headers
    scopes = {str(_resolve(e["/A"])["/Scope"]) for e in headers}
    assert scopes == {"/Column", "/Row"}  # the cover's row headers, the tables' column headers


def test_bookmarks_are_shown_when_the_pdf_opens(good):
    root = good.trailer["/Root"]
    assert root["/PageMode"] == "/UseOutlines"
    assert good.outline  # and there are bookmarks to show


def _walk(box, inside=None):
    """Every text box of a layout, with the nearest enclosing element whose tag matters here."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return
    tag = box.element_tag if box.element_tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li") else None
    if tag == "p" and "lead" in (box.element.get("class") or "").split():
        tag = "lead"  # a paragraph that heads a box: "Explanation", "Debrief", "Model answer"
    here = tag or inside
    if isinstance(box, boxes.TextBox):
        yield box, here
    for child in getattr(box, "children", ()):
        yield from _walk(child, here)


def test_no_heading_is_stranded_at_the_foot_of_a_page(sample_pages):
    stranded = []
    for number, page in enumerate(sample_pages, start=1):
        texts = [(box, tag) for box, tag in _walk(page._page_box) if box.text.strip()]
        if texts and texts[-1][1] in ("h1", "h2", "h3", "h4", "h5", "h6", "lead"):
            stranded.append(f"page {number}: {texts[-1][0].text}")
    assert not stranded


def test_prose_runs_about_70_characters_a_line(sample_pages):
    from weasyprint.formatting_structure import boxes

    def lines(box, inside=None):
        if isinstance(box, boxes.MarginBox) or box.element_tag in ("nav", "td", "th"):
            return  # the header and footer, the contents (dot leaders) and tables keep the full width
        here = box.element_tag if box.element_tag in ("p", "li") else inside
        if isinstance(box, boxes.LineBox) and here:
            yield sum(len(t.text) for t in box.descendants() if isinstance(t, boxes.TextBox))
        for child in getattr(box, "children", ()):
            yield from lines(child, here)

    lengths = [n for page in sample_pages for n in lines(page._page_box) if n > 40]  # full lines, not last ones
    assert lengths
    assert max(lengths) <= 85  # about 105 before
    assert 62 <= statistics.median(lengths) <= 78


def test_the_coverage_matrix_marks_each_question_against_its_objective():
    """Objectives (rows) against questions (columns, bank questions too): a dot where a marked question assesses
    one, a ring where a drafting exercise does; the count is of marked questions only."""
    result = check_course(GOOD, on_date=ON)
    html = render_html(result.course, "reviewer", ON, (), result.warnings)
    section = html[html.index('id="coverage"'):]
    section = section[:section.index("</section>")]
    tables = re.findall(r'<table class="grid coverage-matrix">(.*?)</table>', section, re.S)
    assert len(tables) == len(result.course.modules)
    for module, table in zip(result.course.modules, tables):
        questions = list(module.questions) + list(module.assessment_bank)
        header = re.findall(r'<th scope="col" class="q( bank)?"><a href="#q-[^"]+">(\d+)</a>', table)
        assert [n for _, n in header] == [str(i) for i in range(1, len(questions) + 1)]
        assert [bool(b) for b, _ in header] == [q in module.assessment_bank for q in questions]  # shaded: bank
        rows = re.findall(r"<tr>\s*<th scope=\"row\".*?</tr>", table, re.S)
        assert len(rows) == len(module.objectives)
        for objective, row in zip(module.objectives, rows):
            cells = re.findall(r'<td class="q(?: bank)?">([●○]?)</td>', row)
            assert cells == [("○" if q.type == "draft" else "●") if q.objective == objective.id else "" for q in questions]
            marked = sum(q.objective == objective.id and q.type != "draft" for q in questions)
            assert re.search(rf'<td class="count">{marked}</td>', row)
    drafted = [q for m in result.course.modules for q in m.questions if q.type == "draft"]
    assert drafted and section.count("○") == len(drafted)  # the fixture has a drafting exercise to show
