"""Trainers' Markdown to HTML, safely: raw HTML is shown as text and course links are resolved."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import markdown as _markdown
from markupsafe import Markup

# Resolves a course link to a URL: (scheme, target, anchor) -> href, e.g. ("module", "evidence", "capture").
LinkResolver = Callable[[str, str, "str | None"], str]

_COURSE_LINK = re.compile(r"^(module|ref):([^#]*)(?:#(.*))?$")


@functools.lru_cache(maxsize=1)
def _converter() -> tuple[_markdown.Markdown, _LinkRewriter]:
    """One converter for the process: building one costs far more than converting a paragraph."""
    md = _markdown.Markdown(extensions=["sane_lists", "tables", "attr_list"], output_format="html")
    # Course text is words, lists and links: a `<` a trainer writes is shown, never interpreted as HTML.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    rewriter = _LinkRewriter(md)
    md.treeprocessors.register(rewriter, "course_links", 0)
    return md, rewriter


def to_html(text: str | None, resolve: LinkResolver, *, inline: bool = False) -> Markup:
    """Render Markdown to HTML; `inline` drops the wrapping <p> of a one-paragraph text (for prompts, choices)."""
    if not text:
        return Markup("")
    md, rewriter = _converter()
    rewriter.resolve = resolve
    html = md.reset().convert(text)
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


class _LinkRewriter(_markdown.treeprocessors.Treeprocessor):
    """Point module: and ref: links at their real place in the output being made."""

    def __init__(self, md: _markdown.Markdown):
        super().__init__(md)
        self.resolve: LinkResolver = lambda scheme, target, anchor: f"{scheme}:{target}"  # set per conversion

    def run(self, root):  # noqa: ANN001 - ElementTree element
        for link in root.iter("a"):
            match = _COURSE_LINK.match(link.get("href", ""))
            if match:
                link.set("href", self.resolve(match.group(1), match.group(2), match.group(3) or None))
        return None
