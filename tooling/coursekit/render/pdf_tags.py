"""What PDF/UA asks of the tags that WeasyPrint does not do itself, added while it writes a PDF.

- The running header and the "page N of M" footer (the page's margin boxes) are page decoration: WeasyPrint
  marks their text as content that belongs to no structure element, so validators count it as untagged
  text. Here it is marked as an /Artifact, which screen readers skip, and left out of the structure tree.
  So are the dots that lead a contents line to its page number: a screen reader says "Module 3, 12", not
  every dot.
- A table header cell's /Scope (/Column or /Row, from the HTML's `scope`); WeasyPrint writes only /Headers.
- Bookmarks shown when the document opens (/PageMode /UseOutlines): a reviewer finds a module at once.

- Speed: each structure element asks pydyf for the list of page references, which pydyf rebuilds from all
  the pages on every call (pages x elements: 11% of the sample reviewer edition's time). It is kept and
  rebuilt only when a page was added.

WeasyPrint has no option for the first two, so its tagger is wrapped once per process (install). The
wrapping changes nothing for a box that is not in a margin; tests/render/test_pdf_structure.py reads the
tags of a written PDF, so that a WeasyPrint upgrade that moves these internals fails a test, not a reader.
"""

from __future__ import annotations

from typing import Any

_ARTIFACT = "_coursekit_artifact"  # set on every box of a page margin or a contents line's dots
_installed: list[bool] = []


def install() -> None:
    """Wrap WeasyPrint's marked-content writer and its structure-tree builder (once)."""
    if _installed:
        return
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import stream, tags

    marked, build = stream.Stream.marked, tags._build_box_tree

    def marked_or_artifact(self, box, tag):  # noqa: ANN001, ANN202 - WeasyPrint's own signature
        return self.artifact() if getattr(box, _ARTIFACT, False) else marked(self, box, tag)

    def build_without_artifacts(box, *args):  # noqa: ANN001, ANN002, ANN202
        if (isinstance(box, boxes.MarginBox) or box.is_leader) and getattr(box, _ARTIFACT, False):
            return  # its content was written as an artifact, so it has no place in the tree
        for element in build(box, *args):
            if element.get("S") == "/TH" and box.element is not None:
                scope = "/Row" if box.element.attrib.get("scope") == "row" else "/Column"
                element["A"]["Scope"] = scope
            yield element

    stream.Stream.marked = marked_or_artifact
    tags._build_box_tree = build_without_artifacts
    _keep_page_references()
    _installed.append(True)


def _keep_page_references() -> None:
    """Make pydyf's `PDF.page_references` remember its answer until the page list grows (only appended to)."""
    import pydyf

    rebuild = pydyf.PDF.page_references.fget

    def page_references(pdf):  # noqa: ANN001, ANN202 - pydyf's own property
        kept = pdf.__dict__.get("_coursekit_page_references")
        if kept is None or kept[0] != len(pdf.pages["Kids"]):
            kept = (len(pdf.pages["Kids"]), rebuild(pdf))
            pdf.__dict__["_coursekit_page_references"] = kept
        return kept[1]

    pydyf.PDF.page_references = property(page_references)


def mark_artifacts(document: Any) -> None:
    """Flag every box of the margin boxes (header, footer) and of the leaders (contents dots) of a laid-out
    document's pages."""
    from weasyprint.formatting_structure import boxes

    for page in document.pages:
        for decoration in page._page_box.descendants():
            if isinstance(decoration, boxes.MarginBox) or decoration.is_leader:
                for box in decoration.descendants():
                    setattr(box, _ARTIFACT, True)


def open_with_bookmarks(document: Any, pdf: Any) -> None:
    """A write_pdf finisher: the viewer shows the bookmarks panel when the PDF opens."""
    pdf.catalog["PageMode"] = "/UseOutlines"
