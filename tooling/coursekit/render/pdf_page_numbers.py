"""Page numbers printed in the text (the contents, "(p. 12)" after a link), written in after one layout.

CSS's `target-counter()` would have WeasyPrint lay out again every page that points forward once it knows the
target's page, and then every page after one whose layout might have moved: the sample course's editions were
laid out about 2.3 times over. Instead, print.css lays each such number out as a placeholder of as many
digits as the longest page number ("000"). The document is laid out once, each anchor's page is read off the
laid-out pages, and each placeholder's text is replaced by its number. A number at the end of a contents line
keeps its right edge (the dots run on to it); one within a line of text closes up the room it no longer
needs, moving what follows it on that line (ragged right) to the left. Nothing else moves, so nothing has to
be laid out again.

The boxes rewritten are found by what made them, never by their text alone: the `::after` content of a link
to an anchor in the document (`<a href="#...">`), which only print.css writes. A course's own text can hold
"000" and is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DIGITS = 3  # enough for 999 pages; render_pdf asks for more when a document is longer


def placeholder(digits: int) -> str:
    """The CSS string each page number is laid out as (digits have one width in the PDF's fonts)."""
    return '"' + "0" * digits + '"'


class TooManyPages(Exception):
    """A page number has more digits than its placeholder: lay the document out again with more."""


def write_in(document: Any, digits: int, pages: dict[str, int] | None = None,
             later: Callable[[list[Any]], None] | None = None) -> None:
    """Replace every page-number placeholder of a laid-out WeasyPrint document.

    `pages` gives each anchor's page (by default, as laid out in this document). A number whose anchor is not
    among them is "?", or, given `later`, left to it: `later(path)`, the boxes from the page to the text box
    (a document laid out in parts, pdf_parts, whose anchor is in a later part).
    Raises TooManyPages when a number needs more than `digits` digits.
    """
    pages = anchor_pages(document) if pages is None else pages
    for page in document.pages:
        for path in _placeholders([page._page_box], "0" * digits):  # noqa: SLF001 - no public box walk
            href = path[-1].element.get("href")[1:]
            if href not in pages and later is not None:
                later(path)
                continue
            _replace(path, numbered(path[-1].text, digits, pages.get(href)))


def anchor_pages(document: Any) -> dict[str, int]:
    """Each anchor's page number (from 1); an element split over pages is anchored where it starts."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def _placeholders(path: list[Any], digits: str):  # noqa: ANN202 - yields box paths, root to text box
    """The text boxes laid out from a placeholder (the ::after content of an in-document link), each with
    the boxes that hold it."""
    from weasyprint.formatting_structure.boxes import TextBox

    for child in getattr(path[-1], "children", ()):
        if (isinstance(child, TextBox) and child.element_tag == "a::after"
                and str(child.element.get("href", "")).startswith("#") and digits in child.text):
            yield [*path, child]
        else:
            yield from _placeholders([*path, child], digits)


def numbered(text: str, digits: int, page: int | None) -> str:
    """`text` with its last placeholder of `digits` zeros replaced by `page` ("?": its anchor is nowhere).

    Raises TooManyPages when the number needs more than `digits` digits."""
    number = "?" if page is None else str(page)
    if len(number) > digits:
        raise TooManyPages(number)
    head, _, tail = text.rpartition("0" * digits)
    return head + number + tail


def _replace(path: list[Any], text: str) -> None:
    """Give the text box of a placeholder its numbered text; a number at the end of a contents line keeps
    its right edge, one within a line of text closes up the room it no longer needs."""
    text_box = path[-1]
    shorter = set_text(text_box, text)
    leader = leader_of(path)
    if leader is None:
        _close_up(path, shorter)
    else:
        text_box.position_x += shorter
        extend_leader(leader, text_box)


def leader_of(path: list[Any]) -> Any:  # noqa: ANN401 - a WeasyPrint box
    """The dots of the contents line a number ends, or None for a number within a line of text."""
    return next((child for child in path[-2].children if child.is_leader), None)


def set_text(text_box: Any, text: str) -> float:
    """Give a laid-out text box new text (on one line); return how much narrower it became."""
    from weasyprint.text.line_break import line_size

    layout = text_box.pango_layout  # let go of its Pango objects after layout: drawing makes them again
    layout.setup(text_box.style)
    layout.set_text(text, justify=True)
    width, _ = line_size(layout.get_first_line()[0], text_box.style)
    layout.deactivate()
    shorter, text_box.width, text_box.text = text_box.width - width, width, text
    return shorter


def _close_up(path: list[Any], shorter: float) -> None:
    """Narrow the inline boxes that hold the number, up to the line of text it sits on, and move what follows
    it on that line left by as much (the text is ragged right: the line just ends that much sooner)."""
    for holder in path[_line(path) + 1:-1]:
        holder.width -= shorter
    for box in following_on_line(path):
        box.translate(dx=-shorter)


def following_on_line(path: list[Any]) -> list[Any]:
    """The boxes after a number on its line of text, which move left when it closes up."""
    following = []
    for depth in range(_line(path), len(path) - 1):
        siblings = list(path[depth].children)
        following += siblings[siblings.index(path[depth + 1]) + 1:]
    return following


def _line(path: list[Any]) -> int:
    from weasyprint.formatting_structure.boxes import LineBox

    return max(i for i, box in enumerate(path) if isinstance(box, LineBox))


def extend_leader(leader: Any, number: Any) -> None:
    """In the contents, let the dots run on into the room a shorter number left (as if laid out with it).

    WeasyPrint leaves the width of one dot between the last dot and the number: so does this."""
    if not leader.children:
        return
    dots = list(leader.children)
    step = dots[0].width
    last = max(dots, key=lambda dot: dot.position_x)
    while last.position_x + 3 * step <= number.position_x + 0.01:  # the next dot, then the gap, fit
        last = last.copy()
        last.position_x += step
        dots.append(last)
    leader.children = tuple(dots)
