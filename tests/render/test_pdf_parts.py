"""A document laid out in parts (render/pdf_parts.py: a long course, in memory that does not grow with it) is
the document laid out whole: the same pages, text, look, bookmarks, links, named destinations, tags and
metadata. And each part is let go before the next is laid out.

The small course has two modules; laid out one module a part, the reviewer edition has nine parts (cover,
contents, coverage, warnings, two modules, back matter, two sign-off sheets), with page numbers that point
forward from one part into another (the contents, "(p. N)" after a link, "Page N of M").
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import subprocess
import weakref

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from coursekit.check import check_course
from coursekit.render import pdf_page_numbers, pdf_parts
from coursekit.render.pdf import render_pdf

from conftest import GOOD, TODAY

ON = dt.date.fromisoformat(TODAY)


@pytest.fixture(params=["learner", "reviewer"])
def whole_and_parts(request, good_pdf) -> tuple[bytes, bytes]:
    return good_pdf(request.param), good_pdf(request.param, modules_per_part=1)


def _layout_text(pdf: bytes) -> list[str]:
    """Each page's text as poppler lays it out: words in place, so a gap or a moved word shows."""
    done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True)
    return done.stdout.decode("utf-8").split("\f")[:-1]


def test_the_same_text_in_the_same_places_on_every_page(whole_and_parts):
    whole, parts = whole_and_parts
    assert len(_layout_text(whole)) > 8
    assert _layout_text(parts) == _layout_text(whole)


def test_the_pages_look_the_same(whole_and_parts, tmp_path):
    from PIL import Image, ImageChops

    for name, pdf in zip(("whole", "parts"), whole_and_parts):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "50", "-png", tmp_path / f"{name}.pdf", tmp_path / name], check=True)
    pages = sorted(tmp_path.glob("whole-*.png"))
    assert len(pages) == len(list(tmp_path.glob("parts-*.png"))) > 8
    for page in pages:
        difference = ImageChops.difference(Image.open(page).convert("L"),
                                           Image.open(str(page).replace("whole-", "parts-")).convert("L"))
        differing = sum(count for level, count in enumerate(difference.histogram()) if level > 48)
        assert differing <= 4, f"{page.name}: {differing} pixels differ"  # anti-aliasing of a glyph, at most


def _resolve(obj):  # noqa: ANN001, ANN202
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _outline(reader: PdfReader, items=None) -> list:  # noqa: ANN001
    items = reader.outline if items is None else items
    return [_outline(reader, item) if isinstance(item, list) else (item.title, reader.get_destination_page_number(item))
            for item in items]


def _links(reader: PdfReader) -> list[list[str]]:
    found = []
    for page in reader.pages:
        annotations = [_resolve(a) for a in page.get("/Annots", [])]
        found.append([str(a.get("/Dest") or _resolve(a["/A"])["/URI"]) for a in annotations])
    return found


def _tags(reader: PdfReader) -> list[str]:
    """The structure tree in reading order: each element's type, and the page of each marked content."""
    root = _resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
    found: list[str] = []

    def walk(node) -> None:  # noqa: ANN001
        node = _resolve(node)
        if isinstance(node, DictionaryObject):
            if "/S" in node:
                found.append(str(node["/S"]))
            if "/Pg" in node:
                found.append(f"page {pages[node.raw_get('/Pg').idnum]}")
            if "/Obj" in node:
                found.append("link")
            kids = node.get("/K")
            for kid in (_resolve(kids) if isinstance(_resolve(kids), ArrayObject) else [kids] if kids is not None
                        else []):
                walk(kid)
        elif isinstance(node, int):
            found.append("content")

    walk(root)
    return found


def test_the_same_bookmarks_links_destinations_and_tags(whole_and_parts):
    whole, parts = (PdfReader(io.BytesIO(pdf)) for pdf in whole_and_parts)
    assert len(_outline(whole)) > 3
    assert _outline(parts) == _outline(whole)
    assert any(_links(whole))
    assert _links(parts) == _links(whole)
    assert {name: parts.get_destination_page_number(d) for name, d in parts.named_destinations.items()} == {
        name: whole.get_destination_page_number(d) for name, d in whole.named_destinations.items()}
    assert len(_tags(whole)) > 500
    assert _tags(parts) == _tags(whole)
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/PageMode"):
        assert parts.trailer["/Root"][key] == whole.trailer["/Root"][key]
    assert _resolve(parts.trailer["/Root"]["/Metadata"]).get_data() == _resolve(
        whole.trailer["/Root"]["/Metadata"]).get_data()  # PDF/UA identification and the title
    assert parts.metadata == whole.metadata
    assert len(parts.pages[0]["/Resources"]["/Font"]) == len(whole.pages[0]["/Resources"]["/Font"])  # fonts shared


def test_each_part_is_let_go_before_the_next_is_laid_out():
    """What keeps the memory bounded: no laid-out page of a part outlives the painting of its pages."""
    from coursekit.render.pdf import _html, _weasyprint_document
    from coursekit.render.pdf_views import build_document, parts

    result = check_course(GOOD, on_date=ON)
    view = build_document(result.course, "reviewer", ON, (), result.warnings)
    earlier: list[weakref.ref] = []
    laid_out = []

    def lay_out(html: str, fonts: object):  # noqa: ANN202
        gc.collect()
        laid_out.append(sum(ref() is not None for ref in earlier))
        document = _weasyprint_document(html, {}, fonts)
        earlier.extend(weakref.ref(page._page_box) for page in document.pages)  # noqa: SLF001
        return document

    htmls = (_html(view, (part,), 3, footer_later=True) for part in parts(view, 1))
    assert pdf_parts.write(htmls, lay_out, 3).startswith(b"%PDF")
    assert len(laid_out) == len(parts(view, 1)) == 9 and len(earlier) > 8
    assert laid_out == [0] * 9


def test_a_page_number_longer_than_its_placeholder_in_a_later_part_is_laid_out_again(monkeypatch):
    """As laid out whole (tests/render/test_pdf.py): with one-digit placeholders, the contents' numbers of two
    digits, written once the last part is laid out, do not fit (TooManyPages), so render_pdf lays the parts
    out again with two."""
    raised: list[str] = []
    write = pdf_parts.write

    def write_and_tell(*args):  # noqa: ANN002, ANN202
        try:
            return write(*args)
        except pdf_page_numbers.TooManyPages as longer:
            raised.append(str(longer))
            raise

    monkeypatch.setattr(pdf_page_numbers, "DIGITS", 1)
    monkeypatch.setattr(pdf_parts, "write", write_and_tell)
    result = check_course(GOOD, on_date=ON)
    printed = _printed_page_numbers(render_pdf(result.course, "reviewer", ON, (), result.warnings,
                                               modules_per_part=1))
    assert len(raised) == 1 and len(raised[0]) == 2  # laid out twice: with one digit, then with two
    assert any(len(number) == 2 for _, number, _ in printed)
    assert all(number == str(page) for _, number, page in printed)


def _printed_page_numbers(pdf: bytes) -> list[tuple[str, str, int]]:
    """Each link that prints the page it goes to (a contents line, "(p. N)", the sign-off's "page N"): the
    number printed inside it, and the page its named destination is on (from 1)."""
    import re
    from xml.etree import ElementTree

    reader = PdfReader(io.BytesIO(pdf))
    destinations = {name: reader.get_destination_page_number(d) + 1 for name, d in reader.named_destinations.items()}
    done = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True)
    pages = ElementTree.fromstring(done.stdout).iter("{http://www.w3.org/1999/xhtml}page")
    found = []
    for page, words in zip(reader.pages, pages):
        height = float(words.get("height"))
        for annotation in (_resolve(a) for a in page.get("/Annots", [])):
            if "/Dest" not in annotation:
                continue
            x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
            left, right, bottom, top = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
            inside = [w.text for w in words if left <= (float(w.get("xMin")) + float(w.get("xMax"))) / 2 <= right
                      and height - top <= (float(w.get("yMin")) + float(w.get("yMax"))) / 2 <= height - bottom]
            printed = re.search(r"\(p\. (\d+|\?)\)$|\. (\d+|\?)$|^page (\d+|\?)$", " ".join(inside))
            if printed:
                found.append((str(annotation["/Dest"]), next(g for g in printed.groups() if g),
                              destinations[str(annotation["/Dest"])]))
    return found


@pytest.mark.parametrize("edition", ["learner", "reviewer"])
def test_every_page_number_a_link_prints_is_the_page_it_goes_to(edition, good_pdf):
    """Laid out whole, and in parts whose contents and coverage tables are split too (a page number written in
    once a later part is laid out, in a contents line or within a line of text)."""
    whole = _printed_page_numbers(good_pdf(edition))
    parts = _printed_page_numbers(good_pdf(edition, modules_per_part=1, listed_per_module=1))
    for printed in (whole, parts):
        assert len([p for p in printed if p[0].startswith("module-")]) >= 3  # contents, and in the text
        assert all(number == str(page) for _, number, page in printed), printed
    assert len(parts) == len(whole)
