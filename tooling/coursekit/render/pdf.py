"""The course as a PDF: model -> view -> HTML (Jinja2 + print CSS) -> PDF bytes (WeasyPrint).

Pure: nothing here reads course files or writes to disk. Two editions come from the same model:
`learner`, a handout without answers, trainer notes or review data; and `reviewer`, for legal
advisers and training managers, which adds the review block, trainer notes and answer key per module,
an objectives-coverage table, the checker's warnings and a sign-off sheet per module.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..diagnostics import Diagnostic
from ..model import Course
from . import pdf_page_numbers, pdf_parts, pdf_tags
from .pdf_views import EDITIONS, DocumentView, Edition, Part, build_document, parts

if TYPE_CHECKING:
    from ..review import Change

__all__ = ["EDITIONS", "Edition", "html_to_pdf", "lay_out", "render_html", "render_pdf"]

TEMPLATES = Path(__file__).parent / "templates"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF for screen readers, with title and language
# A document of more modules is laid out this many modules at a time (render/pdf_parts.py), so that the memory
# a PDF takes does not grow with the course (WeasyPrint keeps every laid-out page until it writes).
MODULES_PER_PART = 12


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the PDF templates (a template may extend `pdf/document.html.j2`)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.globals["page_number"] = _page_number_placeholder(pdf_page_numbers.DIGITS)
    env.globals["footer_later"] = False  # "Page N of M" by CSS counters, unless laid out in parts
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string for print.css (course text: every character but plain ones escaped, so
    that nothing can end the string or the style element)."""
    escaped = "".join(c if c.isalnum() or c in " .,-_·:/()" else f"\\{ord(c):x} " for c in str(text))
    return Markup(f'"{escaped}"')


def _page_number_placeholder(digits: int) -> Markup:
    return Markup(pdf_page_numbers.placeholder(digits))  # a CSS string in print.css: not text, not escaped


def render_html(
    course: Course,
    edition: Edition,
    exported_on: dt.date,
    module_ids: Sequence[str] = (),
    warnings: Sequence[Diagnostic] = (),
    changes: Mapping[str, Sequence[Change]] | None = None,
    diagrams: Mapping[str, bytes] | None = None,
    diagram_problem: str = "",
    page_digits: int = pdf_page_numbers.DIGITS,
) -> str:
    """Render one edition as a self-contained HTML document (print CSS inline); its page numbers are
    placeholders of `page_digits` zeros until `lay_out` writes them in."""
    view: DocumentView = build_document(course, edition, exported_on, module_ids, warnings, changes, diagrams,
                                        diagram_problem)
    return _html(view, parts(view), page_digits)


def _html(view: DocumentView, shown: Sequence[Part], page_digits: int, footer_later: bool = False) -> str:
    """The HTML of some parts of the document (all of them, unless it is laid out in parts)."""
    return environment().get_template("pdf/document.html.j2").render(
        doc=view, parts=shown, page_number=_page_number_placeholder(page_digits), footer_later=footer_later)


def render_pdf(
    course: Course,
    edition: Edition,
    exported_on: dt.date,
    module_ids: Sequence[str] = (),
    warnings: Sequence[Diagnostic] = (),
    changes: Mapping[str, Sequence[Change]] | None = None,
    images: Mapping[str, bytes] | None = None,
    diagrams: Mapping[str, bytes] | None = None,
    diagram_problem: str = "",
    modules_per_part: int = MODULES_PER_PART,
) -> bytes:
    """Render one edition as PDF bytes; `changes` are the reviewer edition's changes since approval.

    `images` holds the course's pictures (path under docs/ -> bytes): the only files a PDF may show.
    `diagrams` holds each conversation's branch diagram as SVG for the reviewer edition (see
    render.diagram.course_diagrams), and `diagram_problem` why there are none when Graphviz could not draw them.
    A document of more than `modules_per_part` modules is laid out in parts (render/pdf_parts.py).
    """
    with _no_full_collections():  # a document laid out in parts collects once each part is let go (pdf_parts)
        view = build_document(course, edition, exported_on, module_ids, warnings, changes, diagrams,
                              diagram_problem)
        digits = pdf_page_numbers.DIGITS
        while True:
            try:
                if len(view.modules) <= modules_per_part:
                    return html_to_pdf(_html(view, parts(view), digits), images or {}, digits)
                return pdf_parts.write((_html(view, (part,), digits, footer_later=True)
                                        for part in parts(view, modules_per_part)),
                                       lambda html, fonts: _weasyprint_document(html, images or {}, fonts), digits)
            except pdf_page_numbers.TooManyPages as longer:  # 1,000 pages or more: rare, so laid out again
                digits = len(str(longer))


@contextmanager
def _no_full_collections() -> Iterator[None]:
    """A laid-out document is millions of objects, and each of Python's full garbage collections walks them all:
    about a sixth of a PDF's time. None runs while one is laid out and written (young objects still are)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], 1_000_000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


# Course pictures are asked for under this made-up base; nothing else but data: URLs is ever fetched.
COURSE_FILES = "file:///coursekit-course-files/"


def html_to_pdf(html: str, images: Mapping[str, bytes] | None = None,
                page_digits: int = pdf_page_numbers.DIGITS) -> bytes:
    """Lay out HTML with WeasyPrint as a tagged PDF/UA document; fetch nothing from outside."""
    pdf_tags.install()
    with _no_full_collections():
        document = lay_out(html, images, page_digits)
        pdf_tags.mark_artifacts(document)  # header, footer, contents dots: artifacts
        return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=pdf_tags.open_with_bookmarks)


def lay_out(html: str, images: Mapping[str, bytes] | None = None,
            page_digits: int = pdf_page_numbers.DIGITS):  # noqa: ANN201 - a weasyprint Document
    """The pages of the PDF, laid out once with their page numbers written in, not yet written to a file
    (each page knows the anchors it holds). Raises TooManyPages when a page number needs more digits."""
    with _no_full_collections():
        document = _weasyprint_document(html, images or {})
        pdf_page_numbers.write_in(document, page_digits)
    return document


def _weasyprint_document(html: str, images: Mapping[str, bytes], fonts: object = None):  # noqa: ANN202
    """HTML laid out by WeasyPrint (with `fonts`, a FontConfiguration, when given), fetching nothing outside."""
    from weasyprint import HTML  # heavy: only loaded when a PDF is really made

    document = HTML(string=html, base_url=COURSE_FILES, url_fetcher=_course_files_only(images))
    return document.render(pdf_variant=PDF_VARIANT, font_config=fonts)


def _course_files_only(images: Mapping[str, bytes]):  # noqa: ANN202 - a weasyprint URLFetcher
    """A URL fetcher that serves the course's pictures from memory and data: URLs, and refuses the rest."""
    import mimetypes
    import urllib.parse

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class CourseFiles(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if url.startswith(COURSE_FILES):
                path = urllib.parse.unquote(url.removeprefix(COURSE_FILES).split("#")[0].split("?")[0])
                if path in images:
                    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, images[path], {"Content-Type": kind})
                raise ValueError(f"no picture docs/{path} in the course")
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"coursekit PDFs load nothing from outside the course: {url}")

    return CourseFiles(allowed_protocols={"data", "file"})
