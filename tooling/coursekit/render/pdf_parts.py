"""A long PDF laid out part by part, in memory that does not grow with the course.

WeasyPrint lays a whole document out before it writes a page, and keeps every laid-out page (with the styles
of every element) until the PDF is written: the reviewer edition of a 150-module course took 2 GB. Here the
document comes in parts, each its own HTML document (the front matter, a few modules, the back matter, a few
sign-off sheets: pdf_views.parts). Each part is laid out, its pages are painted into one PDF that grows page
by page, and the part is let go before the next is laid out.

What a page cannot know when it is painted is drawn at the end: the page numbers of anchors in later parts
(the contents, "(p. 12)" after a link forward) and "Page N of M" at the foot of every page. Such a text is
painted as a reference to a form XObject that stays empty until the last part is laid out, and is then filled
with the number, inside the same marked content, so the tags stay whole. A number at the end of a contents
line keeps its right edge and the dots run on to it; the text after a number within a line is drawn at the
end too, and closes up: each page looks as it does in the document laid out whole.

The PDF is written as WeasyPrint's own writer writes one (weasyprint/pdf/__init__.py generate_pdf and
pdf/tags.py add_tags), only page by page: the same objects, links to named destinations, bookmarks, and one
structure tree whose elements are added in page order. This uses WeasyPrint internals (weasyprint>=70,<80):
tests/render/test_pdf_parts.py compares a document laid out in parts with the same document laid out whole,
so that an upgrade that moves them fails a test.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pydyf  # small: WeasyPrint's own PDF writer, loaded with this module

from . import pdf_page_numbers, pdf_tags

SCALE = 0.75  # PDF points per CSS pixel (72 per inch / 96)
PDF_VERSION = "1.7"  # PDF/UA-1
_LATER = "_coursekit_later"  # on a text box drawn at the end: its _Later
_DOTS_LATER = "_coursekit_dots_later"  # on the last dot of a contents line whose number is drawn at the end
_drawn_now: list[Callable[..., None]] = []  # WeasyPrint's draw_text, once install() has wrapped it


@dataclass
class _Later:
    """A text box whose text is written and drawn once the last part is laid out."""

    text_box: Any
    href: str = ""  # an in-text page number: the anchor whose page it gives
    leader: Any = None  # a contents line's dots, which run on to its number
    following: tuple[Any, ...] = ()  # text after a number within a line, which moves left as it closes up
    page: int = 0  # the foot of a page: its number
    moves: bool = False  # text that follows a number on its line: drawn once every number is written
    group: Any = None  # the form XObject the page refers to, made when the page is painted
    dots: Any = None  # a contents line's: the form XObject for the dots that run on, an artifact like the others
    offset_x: float = 0


def write(htmls: Iterable[str], lay_out: Callable[[str, Any], Any], digits: int) -> bytes:
    """Lay out each part's HTML in turn with `lay_out(html, font_config)` (a WeasyPrint Document), paint its
    pages, and return the PDF. Raises TooManyPages when a page number needs more than `digits` digits."""
    install()
    writer = _Writer(digits)
    for html in htmls:
        writer.add(lay_out(html, writer.font_config))
        gc.collect()  # the part's boxes, which may hold one another, go now, not at some later collection
    return writer.finish()


def install() -> None:
    """Wrap WeasyPrint's text drawing (once): a text box marked for later becomes a form XObject."""
    if _drawn_now:
        return
    from weasyprint import draw

    pdf_tags.install()
    draw_now = draw.draw_text

    def draw_or_later(stream, textbox, offset_x, *args):  # noqa: ANN001, ANN002, ANN202 - WeasyPrint's own
        later = getattr(textbox, _LATER, None)
        if later is None:
            draw_now(stream, textbox, offset_x, *args)
            if (dots_later := getattr(textbox, _DOTS_LATER, None)) is not None:
                dots_later.dots = stream.add_group(*stream.page_rectangle)
                stream.draw_x_object(dots_later.dots.id)
            return
        later.group, later.offset_x = stream.add_group(*stream.page_rectangle), offset_x
        stream.draw_x_object(later.group.id)

    draw.draw_text = draw_or_later
    _drawn_now.append(draw_now)


class _Written(pydyf.Object):
    """A finished PDF object, as the bytes it is written as (with its number, so references to it hold)."""

    def __init__(self, finished: pydyf.Object) -> None:
        super().__init__()
        self.number, self.generation = finished.number, finished.generation
        self._data, self._compressible = finished.data, finished.compressible

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def compressible(self) -> bool:
        return self._compressible


class _Writer:
    """One PDF written page by page from parts laid out in turn (WeasyPrint's generate_pdf, one page at a
    time)."""

    def __init__(self, digits: int) -> None:
        from tinycss2.color5 import D50, D65
        from weasyprint.text.fonts import FontConfiguration

        self.digits = digits
        self.font_config = FontConfiguration()  # shared, so that every part uses the same fonts
        self.pdf = pdf = pydyf.PDF()
        self.fonts: dict = {}
        self.images: dict = {}
        self.color_profiles: dict = {}
        lab = {name: pydyf.Array(("/Lab", pydyf.Dictionary({"WhitePoint": pydyf.Array(point),
                                                            "Range": pydyf.Array((-125, 125, -125, 125))})))
               for name, point in (("lab-d50", D50), ("lab-d65", D65))}
        color_space = pydyf.Dictionary(lab)
        pdf.add_object(color_space)
        self.resources = pydyf.Dictionary({
            "ExtGState": pydyf.Dictionary(), "XObject": pydyf.Dictionary(), "Pattern": pydyf.Dictionary(),
            "Shading": pydyf.Dictionary(), "ColorSpace": color_space.reference})
        pdf.add_object(self.resources)
        self.parent_tree = pydyf.Dictionary({"Nums": pydyf.Array()})
        pdf.add_object(self.parent_tree)
        root = pydyf.Dictionary({"Type": "/StructTreeRoot", "ParentTree": self.parent_tree.reference})
        pdf.add_object(root)
        self.structure = pydyf.Dictionary({"Type": "/StructElem", "S": "/Document", "K": pydyf.Array(),
                                           "P": root.reference})
        pdf.add_object(self.structure)
        root["K"] = pydyf.Array([self.structure.reference])
        pdf.catalog["StructTreeRoot"] = root.reference
        self.anchor_pages: dict[str, int] = {}  # anchor -> page number, from 1
        self.destinations: list = []  # named destinations: [name, destination]
        self.named: set[str] = set()  # their names: the first anchor of a name is its destination
        self.annotations: list = []  # link annotations, in the structure tree after the pages
        self.pages: list = []  # painted pages, without their boxes: their bookmarks are needed at the end
        self.later: list[_Later] = []
        self.metadata: Any = None

    def add(self, document: Any) -> None:
        """Paint the pages of one laid-out part, and let go of their boxes."""
        if self.metadata is None:
            self.metadata = document.metadata
        first, first_later = len(self.pages) + 1, len(self.later)
        for number, page in enumerate(document.pages, start=first):
            for name in page.anchors:
                self.anchor_pages.setdefault(name, number)
        pdf_page_numbers.write_in(document, self.digits, self.anchor_pages, later=self._number_later)
        pdf_tags.mark_artifacts(document)
        for number, page in enumerate(document.pages, start=first):
            self._foot_later(page, number)
            self._paint(page)
        document.pages.clear()
        for later in self.later[first_later:]:  # of a contents line's dots, extend_leader needs the first and last
            if later.leader is not None and len(later.leader.children) > 2:
                later.leader.children = (later.leader.children[0], later.leader.children[-1])

    def _number_later(self, path: list[Any]) -> None:
        from weasyprint.formatting_structure.boxes import TextBox

        text_box, leader = path[-1], pdf_page_numbers.leader_of(path)
        following = () if leader else tuple(box for after in pdf_page_numbers.following_on_line(path)
                                            for box in after.descendants() if isinstance(box, TextBox))
        for box in following:
            if not hasattr(box, _LATER):
                self._mark(_Later(box, moves=True))
        later = _Later(text_box, href=text_box.element.get("href")[1:], leader=leader, following=following)
        self._mark(later)
        if leader is not None and leader.children:
            setattr(leader.children[-1], _DOTS_LATER, later)

    def _foot_later(self, page: Any, number: int) -> None:
        from weasyprint.formatting_structure.boxes import MarginBox, TextBox

        for margin in page._page_box.children:  # noqa: SLF001 - no public box walk
            if isinstance(margin, MarginBox) and margin.at_keyword == "@bottom-right":
                for box in margin.descendants():
                    if isinstance(box, TextBox):
                        self._mark(_Later(box, page=number))

    def _mark(self, later: _Later) -> None:
        setattr(later.text_box, _LATER, later)
        self.later.append(later)

    def _paint(self, page: Any) -> None:
        from weasyprint.matrix import Matrix
        from weasyprint.pdf.anchors import add_links
        from weasyprint.pdf.stream import Stream

        index, first_object, first_annotation = len(self.pages), len(self.pdf.objects), len(self.annotations)
        tags: dict = {}
        width, height = page.width * SCALE, page.height * SCALE
        stream = Stream(self.fonts, (0, 0, page.width, page.height), self.resources, self.images, tags,
                        self.color_profiles, None, compress=True)
        stream.transform(d=-1, f=height)
        self.pdf.add_object(stream)
        box = pydyf.Array([0, 0, width, height])
        pdf_page = pydyf.Dictionary({
            "Type": "/Page", "Parent": self.pdf.pages.reference, "MediaBox": box, "TrimBox": box,
            "BleedBox": box, "Contents": stream.reference, "Resources": self.resources.reference,
            "Tabs": "/S", "StructParents": index})
        self.pdf.add_page(pdf_page)
        anchors = [(name, x, y) for name, (x, y, _, _) in page.anchors.items() if name not in self.named]
        self.named.update(name for name, _, _ in anchors)
        add_links((page.links, anchors), Matrix(SCALE, 0, 0, -SCALE, 0, height), self.pdf, pdf_page,
                  self.destinations, tags)
        page.paint(stream, SCALE)
        self._tag(page, index, tags)
        page._page_box, page.links = None, []  # noqa: SLF001 - its bookmarks and size are all that is left
        self.pages.append(page)
        # The page's objects are finished, but for its links' annotations (numbered in the structure tree once
        # the number of pages is known): each is kept as the bytes it is written as, a tenth of its size.
        unfinished = {id(annotation) for _, annotation in self.annotations[first_annotation:]}
        objects = self.pdf.objects
        for i in range(first_object, len(objects)):
            if id(objects[i]) not in unfinished:
                objects[i] = _Written(objects[i])

    def _tag(self, page: Any, index: int, tags: dict) -> None:
        """The page's part of the structure tree (WeasyPrint's add_tags, for one page)."""
        from weasyprint.pdf import tags as weasyprint_tags

        numbers: dict = {}
        for element in weasyprint_tags._build_box_tree(page._page_box, self.structure, self.pdf, index,  # noqa: SLF001
                                                       numbers, self.annotations, tags):
            self.structure["K"].append(element.reference)
        self.parent_tree["Nums"].extend([index, pydyf.Array([ref for _, ref in sorted(numbers.items())])])

    def finish(self) -> bytes:
        """Draw what waited for the last part, add what belongs to the whole document, and write it."""
        for later in self.later:  # in page order: a number moves what follows it, maybe another number
            if not later.moves:
                self._draw_later(later)
        for later in self.later:
            if later.moves and getattr(later.text_box, _LATER) is later:
                _drawn_now[0](later.group, later.text_box, later.offset_x, "clip", "none")
        self._finish_tags()
        self._finish_document()
        output = io.BytesIO()
        self.pdf.write(output, PDF_VERSION.encode(), None, True)
        return output.getvalue()

    def _draw_later(self, later: _Later) -> None:
        box, placeholder = later.text_box, "0" * self.digits
        if later.page:  # "Page N of M"
            text = box.text.replace(placeholder, str(later.page), 1).replace(placeholder, str(len(self.pages)), 1)
        else:
            text = pdf_page_numbers.numbered(box.text, self.digits, self.anchor_pages.get(later.href))
        shorter = pdf_page_numbers.set_text(box, text)
        if later.page or later.leader is not None:  # right-aligned: keeps its right edge
            box.position_x += shorter
        for after in later.following:  # within a line: what follows closes up
            after.translate(dx=-shorter)
        _drawn_now[0](later.group, box, later.offset_x, "clip", "none")
        if later.dots is not None:
            before = len(later.leader.children)
            pdf_page_numbers.extend_leader(later.leader, box)
            for dot in later.leader.children[before:]:
                _drawn_now[0](later.dots, dot, 0, "clip", "none")

    def _finish_tags(self) -> None:
        for number, (reference, annotation) in enumerate(self.annotations, start=len(self.pages)):
            self.parent_tree["Nums"].extend([number, reference])
            annotation["StructParent"] = number
        self.pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        self.pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})

    def _finish_document(self) -> None:
        from weasyprint import DEFAULT_OPTIONS, VERSION
        from weasyprint.document import Document
        from weasyprint.pdf import VARIANTS, _use_references, _w3c_date_to_pdf
        from weasyprint.pdf.anchors import add_outlines
        from weasyprint.pdf.fonts import build_fonts_dictionary

        pdf, metadata = self.pdf, self.metadata
        document = Document(self.pages, metadata, None, self.font_config, self.color_profiles, None)
        add_outlines(pdf, document.make_bookmark_tree(SCALE, transform_pages=True))
        pdf.info["Producer"] = pydyf.String(f"WeasyPrint {VERSION}")
        for key, value in (("Title", metadata.title), ("Author", ", ".join(metadata.authors)),
                           ("Subject", metadata.description), ("Keywords", ", ".join(metadata.keywords)),
                           ("Creator", metadata.generator)):
            if value:
                pdf.info[key] = pydyf.String(value)
        for key, date in (("CreationDate", metadata.created), ("ModDate", metadata.modified)):
            if date:
                pdf.info[key] = pydyf.String(_w3c_date_to_pdf(date, key))
        pdf.catalog["Lang"] = pydyf.String(metadata.lang or "")
        options = {**DEFAULT_OPTIONS, "pdf_version": PDF_VERSION, "pdf_tags": True}
        fonts = build_fonts_dictionary(pdf, self.fonts, True, True, options)
        pdf.add_object(fonts)
        self.resources["Font"] = fonts.reference
        _use_references(pdf, self.resources, self.images, self.color_profiles)
        if self.destinations:
            names = pydyf.Array()
            for name, destination in sorted(self.destinations, key=lambda named: named[0]):
                names.extend([pydyf.String(name), destination])
            dests = pydyf.Dictionary({"Names": names})
            pdf.catalog["Names"] = pydyf.Dictionary({"Dests": dests})
        VARIANTS["pdf/ua-1"][0](pdf, document, [], [], True)
        pdf_tags.open_with_bookmarks(document, pdf)
