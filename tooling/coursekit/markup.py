"""Trainers' Markdown to safe HTML: one converter and one sanitiser, shared by the checker and every renderer.

A module file may come from another force: its text is untrusted. Markdown is converted to HTML, then the
HTML keeps only an allowlist of elements, attributes and URL schemes, decided by a well-kept HTML sanitiser
(nh3, the bindings of Rust's ammonia) that parses HTML as a browser does (entities decoded, so
`jav&#x61;script:` is seen as `javascript:`). The checker reports what the sanitiser would remove, found by
comparing the HTML before and after it, so a trainer learns of it instead of a silent strip; the renderers
print only sanitised HTML, so nothing the checker might miss can reach a learner.

Offline by construction: an image must be a file of the course (a path under docs/, no scheme, no `//`).
Links to outside pages stay allowed: the learner chooses to follow them.
"""

from __future__ import annotations

import functools
import html.parser
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markupsafe import Markup

# Resolves a course link to a URL: (scheme, target, anchor) -> href, e.g. ("module", "evidence", "capture").
# Scheme "file" is an image of the course: target is its path under docs/.
LinkResolver = Callable[[str, str, "str | None"], str]

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
# Markdown attribute lists (`{: #id .class }`) may set id and class; nothing else, so no event handler and
# no style (a CSS url() would load from outside) can be written into a page.
ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
TEXT_ID_PREFIX = "text-"  # before every id and class written in course text, and every link to an id
GONE_WITH_CONTENT = frozenset({"script", "style"})  # removed with their text, not just unwrapped

MAX_DEPTH = 20  # elements nested in one text; course text needs a handful, renderers recurse on each level
MAX_INDENT = 4 * MAX_DEPTH  # columns of indentation (lists nest by indentation; Python-Markdown recurses)
MAX_BRACKETS = MAX_DEPTH  # `[` open at once; Python-Markdown's time grows fast with them
MAX_LINKS = 250  # `](` in one text: Python-Markdown's time grows with their square where no `)` closes them

# Only these characters let our Markdown make a link, an image, an attribute or an HTML tag: a text with none
# of them, and little nesting, converts to allowlisted elements without attributes (tested by property).
_MARKUP_CHARS = re.compile(r"[\[<{]")
_SAFE_LINK = re.compile(
    r"(?<![!\\\]])\[[^\[\]<>{}`\\\n]*\]"  # link text without markup characters, not an image's
    r"\((?:(?:module|ref):[a-z0-9-]*(?:#[a-z0-9-]*)?|https?://[^\s()<>{}\[\]\"'`\\]+)\)"
)
# A line indented more than 12 columns (spaces or tabs), lines split as str.splitlines() splits them: at
# the start, or after any line break. Two patterns: `(?:\A|[...])` is tried at every character, slower.
_DEEP_INDENT_START = re.compile("[ \t]{13}")
_DEEP_INDENT = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029][ \t]{13}")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# What course text may link to besides module: and ref: (the sanitiser then keeps only LINK_SCHEMES):
# `http(s)://` with its two slashes, or another scheme (`mailto:`). Any other address is a path in the site.
_WEB_ADDRESS = re.compile(r"^(?:https?://|(?!https?:)[A-Za-z][A-Za-z0-9+.-]*:)", re.IGNORECASE)
_COURSE_LINK = re.compile(r"^(module|ref):([^#]*)(?:#(.*))?$")
_UP_STEPS = re.compile(r"^(\.\./)+|^\./")
_QUOTE_MARKERS = re.compile(r"^[ \t]*((?:>[ \t]?)+)")
# List items and quotes opened at the start of one line (`1. 1. 1. x`, `- > - x`): each one nests in the last.
_MARKER_RUN = re.compile(r"^[ \t]*((?:(?:[-+*]|\d{1,9}[.)])[ \t]+|>[ \t]*)+)", re.M)
_MARKER = re.compile(r"[-+*>]|\d{1,9}[.)]")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@dataclass(frozen=True)
class Problem:
    """Why a text cannot be used as it is, and pieces of its source that show where (best first)."""

    message: str
    needles: tuple[str, ...] = ()
    kind: str = "unsafe"  # "unsafe" (the sanitiser removes it), "outside" (loads from outside), "too-deep"


@dataclass
class Inspection:
    """What checking one text found: its problems, and the course files it shows as images."""

    problems: list[Problem] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


# --- the sanitiser ---------------------------------------------------------------------------------------

def is_course_file(url: str) -> bool:
    """Whether an image address names a file of the course: relative, no scheme, no `//` host, no `..`."""
    url = url.strip()
    return bool(url) and not _SCHEME.match(url) and not url.startswith(("/", "\\")) and ".." not in url.split("/")


def _is_relative_file(url: str) -> bool:
    """A course file as a page links it: the file's path, after `../` steps up from the page's folder."""
    return is_course_file(_UP_STEPS.sub("", url.strip(), count=1))


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    # Images load as the page opens: only files of the course. (Links wait for the learner's click.)
    if tag == "img" and name == "src" and not _is_relative_file(value):
        return None
    # An element's id is also a name in the page's script (window.coursekitStore): the runtime's names have
    # capitals, course ids and heading anchors never do, so an id with a capital could only stand in for them.
    if name == "id" and value != value.lower():
        return None
    return value


@functools.lru_cache(maxsize=2)
def _cleaner(keep_comments: bool):  # noqa: ANN202 - nh3.Cleaner
    import nh3

    return nh3.Cleaner(
        tags=set(TAGS), clean_content_tags=set(GONE_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()}, url_schemes=set(LINK_SCHEMES),
        link_rel=None, attribute_filter=_attribute_filter, strip_comments=not keep_comments,
    )


def sanitise(fragment: str, *, keep_comments: bool = False) -> str:
    """Keep only the allowlisted elements, attributes and URL schemes of an HTML fragment."""
    return _cleaner(keep_comments).clean(fragment)


def removal_problems(raw: str, clean: str) -> list[Problem]:
    """What the sanitiser took out of `raw` to give `clean`, compared element by element, in trainers' words."""
    if raw == clean:
        return []
    kept = iter(_parse(clean).elements)
    current = next(kept, None)
    before = _parse(raw)
    found: list[Problem] = []
    for (tag, attrs), written in zip(before.elements, before.written):
        if current is not None and current[0] == tag:
            survived = dict(current[1])
            found += [_attribute_problem(tag, name, value, _written_value(written, name))
                      for name, value in attrs if survived.get(name) != value]
            current = next(kept, None)
        elif tag not in TAGS:  # an allowed tag is missing only inside a removed one, which says it all
            found.append(Problem(f"`<{tag}>` cannot be used in course text; write plain Markdown (words, lists, "
                                 "links, tables)", (f"<{tag}",)))
    return list(dict.fromkeys(found))


def _written_value(start_tag: str, name: str) -> str:
    """An attribute's value as written in a start tag (entities not decoded): where to point in the source."""
    match = re.search(rf"""\s{re.escape(name)}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", start_tag, re.IGNORECASE)
    return next((g for g in match.groups() if g is not None), "") if match else ""


def _attribute_problem(tag: str, name: str, value: str, written: str = "") -> Problem:
    shown = _short(value)
    needles = tuple(n for n in (value.strip(), written.strip(), name) if n)
    if tag == "img" and name == "src":
        return Problem(f"the image `{shown}` is not a file of the course: pictures must be files under docs/ (a "
                       "path such as `images/chart.png`), never an address on another site, so the course loads "
                       "nothing from outside", needles, "outside")
    if name in ("href", "src"):
        return Problem(f"the link address `{shown}` is not allowed: link to web pages with https:// (or http://, "
                       "mailto:), to modules with `module:ID` and to sources with `ref:ID`", needles)
    if name == "style":
        return Problem("styles cannot be set in course text (`style=`); the site's own styles apply", (name,))
    if name == "id":
        return Problem(f"the id `{shown}` has capitals: write an id in lower case, such as "
                       f"`#{value.lower()}`", needles)
    return Problem(f"the attribute `{name}` cannot be set in course text; an attribute list `{{: ... }}` may set "
                   "only an id (`#name`) and classes (`.name`)", (name,))


class _Parser(html.parser.HTMLParser):
    """Lists the start tags of an HTML fragment with their decoded attributes, and how deep elements nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self.written: list[str] = []  # each start tag as written, entities and all
        self.level = self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_startendtag(tag, attrs)
        if tag not in _VOID:
            self.level += 1
            self.deepest = max(self.deepest, self.level)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, tuple((n, v or "") for n, v in attrs)))
        self.written.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.level = max(0, self.level - 1)


def _parse(fragment: str) -> _Parser:
    parser = _Parser()
    parser.feed(fragment)
    parser.close()
    return parser


# --- Markdown --------------------------------------------------------------------------------------------

class CourseLinks:
    """Tree step of a Markdown converter: point module: and ref: links, and pictures, at their place.

    In course text (`pages=False`) a picture is a file under docs/, placed by the resolver. In a hand-written
    page (`pages=True`) it is relative to the page, as MkDocs places it. Any other picture is dropped.
    """

    def __init__(self, pages: bool = False) -> None:
        self.pages = pages
        self.resolve: LinkResolver = lambda scheme, target, anchor: f"{scheme}:{target}"
        self.outside: list[str] = []  # picture addresses that are not files of the course, in this conversion
        self.unlisted: list[str] = []  # in course text, link addresses of no allowed kind (a path in the site)

    def run(self, root):  # noqa: ANN001, ANN201 - an ElementTree element, as Python-Markdown calls it
        own = self._prefix_written_names(root)
        for element in root.iter():
            if element.tag == "a":
                href = element.get("href", "").strip()
                match = _COURSE_LINK.match(href)
                if match:
                    element.set("href", self.resolve(match.group(1), match.group(2), match.group(3) or None))
                elif not self.pages and href.startswith("#"):
                    if href[1:] in own:
                        element.set("href", f"#{TEXT_ID_PREFIX}{href[1:]}")
                elif not self.pages and not _WEB_ADDRESS.match(href):
                    # A path (`../page.html`, or `http:../page.html`, which browsers read as one) would open
                    # whatever file the site holds there: course text links to web pages, modules and sources.
                    self.unlisted.append(element.attrib.pop("href", ""))
            elif element.tag == "img":
                self._place(element)

    def _prefix_written_names(self, root) -> set[str]:  # noqa: ANN001 - an ElementTree element
        """Give each id written in course text (`{: #name }`) a prefix, so that the page's and the PDF's own ids
        (`signoff`, `__search`, `ck-name`) are never taken over by one; links to it follow (see run).

        Classes (`{: .name }`) get it too: the site's, the theme's and the PDF's styles would otherwise act on
        approved text (`.ck-sr` hides words from sight but not from the PDF a reviewer signs)."""
        own: set[str] = set()
        if self.pages:
            return own
        for element in root.iter():
            if element.get("class"):
                element.set("class", " ".join(f"{TEXT_ID_PREFIX}{name}" for name in element.get("class").split()))
            if element.get("id"):
                own.add(element.get("id"))
                element.set("id", f"{TEXT_ID_PREFIX}{element.get('id')}")
        return own

    def _place(self, image) -> None:  # noqa: ANN001 - an ElementTree element
        src = image.attrib.pop("src", "").strip()
        if self.pages and _is_relative_file(src):
            image.set("src", src)
        elif not self.pages and is_course_file(src):
            image.set("src", self.resolve("file", src, None))
        else:
            self.outside.append(src)

    def extend(self, md) -> None:  # noqa: ANN001 - a markdown.Markdown
        """Register in a converter, last: after MkDocs has checked links between pages (its own, at 0)."""
        md.treeprocessors.register(self, "course_links", -1)


def links_extension(links: CourseLinks):  # noqa: ANN201 - a markdown.Extension
    """A Python-Markdown extension that adds `links` to a converter MkDocs makes (hand-written pages)."""
    import markdown

    class CourseLinksExtension(markdown.Extension):
        def extendMarkdown(self, md) -> None:  # noqa: ANN001, N802 - Python-Markdown's API
            links.extend(md)

    return CourseLinksExtension()


class _Converter:
    """One Python-Markdown instance (building one costs far more than converting a paragraph)."""

    def __init__(self, raw_html: bool):
        import markdown

        extensions = ["sane_lists", "tables", "attr_list", *(["md_in_html", "toc"] if raw_html else [])]
        self.md = markdown.Markdown(extensions=extensions, output_format="html",
                                    extension_configs={"tables": {"use_align_attribute": True}})
        if not raw_html:
            # Course text is words, lists and links: a `<` a trainer writes is shown, never interpreted as HTML.
            self.md.preprocessors.deregister("html_block")
            self.md.inlinePatterns.deregister("html")
        self.links = CourseLinks(pages=raw_html)
        self.links.extend(self.md)

    def convert(self, text: str, resolve: LinkResolver) -> str:
        self.links.resolve = resolve
        self.links.outside, self.links.unlisted = [], []
        return self.md.reset().convert(text)


@functools.lru_cache(maxsize=2)
def _converter(raw_html: bool = False) -> _Converter:
    return _Converter(raw_html)


def limits(text: str) -> Iterator[Problem]:
    """Input that would make the converter or a renderer recurse or crawl: found before converting."""
    brackets = deepest = 0
    for mark in re.finditer(r"\\.|[\[\]]", text):
        if mark.group(0) == "[":
            brackets += 1
            deepest = max(deepest, brackets)
        elif mark.group(0) == "]":
            brackets = max(0, brackets - 1)
    if deepest > MAX_BRACKETS:
        yield Problem(f"`[` brackets nest {deepest} deep; course text needs far fewer (at most {MAX_BRACKETS})",
                      ("[" * (MAX_BRACKETS + 1),), "too-deep")
    links = text.count("](")
    if links > MAX_LINKS:
        yield Problem(f"a text has {links} links or pictures (`](`); at most {MAX_LINKS} are allowed in one text",
                      ("](",), "too-deep")
    deepest_run = _markers_on_one_line(text)
    if deepest_run > MAX_DEPTH:
        yield Problem(f"a line opens {deepest_run} lists or quotes inside one another; at most {MAX_DEPTH} levels "
                      "are allowed", ("1. 1. ", "- - ", "* * ", "+ + ", "> "), "too-deep")
        return
    for line in text.splitlines():
        quotes = _QUOTE_MARKERS.match(line)
        if quotes and quotes.group(1).count(">") > MAX_DEPTH:
            yield Problem(f"quotes (`>`) nest {quotes.group(1).count('>')} deep; at most {MAX_DEPTH} levels are "
                          "allowed", (line.strip()[:40],), "too-deep")
            return
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip())
        if indent > MAX_INDENT and expanded.strip():
            yield Problem(f"a line is indented {indent} columns, deeper than the {MAX_DEPTH} levels of lists a "
                          "course may use", (line.strip()[:40],), "too-deep")
            return


def _markers_on_one_line(text: str) -> int:
    """The most lists and quotes that one line of `text` opens at its start, each inside the one before."""
    return max((len(_MARKER.findall(run.group(1))) for run in _MARKER_RUN.finditer(text)), default=0)


def is_plain(text: str) -> bool:
    """Whether `text` converts to allowlisted elements and attributes, nesting within bounds, unconverted.

    Course links and links to web pages, written inline (`[words](module:id#section)`, `[words](ref:id)`,
    `[words](https://...)`), give an `<a href>` the allowlist keeps. Past them, no `[`, `<` or `{`: no other
    link, no image, autolink, attribute list or tag. Little emphasis, indentation and quoting, and no line
    opening more than two lists: the nesting of its elements stays far under MAX_DEPTH. (The checker converts
    only texts that are not plain.)
    """
    if "[" in text:
        text = _SAFE_LINK.sub("link", text)
    if _MARKUP_CHARS.search(text) or text.count("*") + text.count("_") > 16 or text.count(">") > 4:
        return False
    if _markers_on_one_line(text) > 2:
        return False  # `1. 1. 1. x` nests a list in a list on one line: converted and limited, never skipped
    return not deeply_indented(text)


def deeply_indented(text: str) -> bool:
    """Whether a line of `text` is indented more than 12 columns."""
    return _DEEP_INDENT_START.match(text) is not None or _DEEP_INDENT.search(text) is not None


def inspect(text: str, *, raw_html: bool = False) -> Inspection:
    """Everything that stops `text` being used as it is: limits, and what sanitising would remove.

    `raw_html` is for hand-written pages (docs/*.md), where MkDocs lets HTML through to the sanitiser.
    """
    if is_plain(text):  # nothing to find (without `<`, hand-written pages' HTML is not in play either)
        return Inspection()
    return inspect_converted(text, raw_html=raw_html)


def inspect_converted(text: str, *, raw_html: bool = False) -> Inspection:
    """inspect() without its shortcut for plain text: always convert and compare."""
    found = Inspection(problems=list(limits(text)))
    if found.problems:
        return found

    def course_links(scheme: str, target: str, anchor: str | None) -> str:
        if scheme == "file":
            found.images.append(target)
            return target
        return "#"  # module: and ref: links are checked against the course by the rules (any page)

    converter = _converter(raw_html)
    raw = converter.convert(text, course_links)
    clean = sanitise(raw)
    found.problems = [_attribute_problem("img", "src", src) for src in converter.links.outside]
    found.problems += [_attribute_problem("a", "href", href) for href in converter.links.unlisted]
    found.problems += removal_problems(raw, clean)
    deepest = _parse(clean).deepest
    if deepest > MAX_DEPTH:
        found.problems.append(Problem(f"lists, quotes or emphasis nest {deepest} deep; at most {MAX_DEPTH} levels "
                                      "are allowed", kind="too-deep"))
    return found


# A line of words and punctuation that Markdown gives no meaning to: the converter and the sanitiser would
# return it unchanged inside <p>. (`-`, `+`, `#`, `>`, `=` and digits mean something only at a line's start,
# or on a line of their own.) Most prompts, choices' feedback and one-line explanations are such lines.
_WORDS = re.compile(r"[^\W_](?:[ ]|[^\W_]|[,.;:'\"?!()/%\-–—’‘“”…£€$@=+°])*\Z")
_STARTS_BLOCK = re.compile(r"\d+[.)]|[-+=#>]")


def _words_only(text: str) -> str | None:
    """The line, if `text` is one line that converts to `<p>` + itself + `</p>`; None otherwise."""
    line = text.rstrip("\n")
    if not _WORDS.match(line) or _STARTS_BLOCK.match(line):
        return None
    return line


def to_html(text: str | None, resolve: LinkResolver, *, inline: bool = False) -> Markup:
    """Render trainers' Markdown as sanitised HTML; `inline` drops the <p> of a one-paragraph text.

    Text past the limits (which the checker refuses) is shown as escaped text, never converted. A line of
    plain words skips the converter: the result is the same (tests/security/test_markup_properties.py).
    """
    if not text:
        return Markup("")
    words = _words_only(text)
    if words is not None:
        return Markup(words if inline else f"<p>{words}</p>")
    return converted(text, resolve, inline=inline)


def converted(text: str, resolve: LinkResolver, *, inline: bool = False) -> Markup:
    """to_html() without its shortcut for a line of plain words: always convert and sanitise."""
    if not is_plain(text) and any(limits(text)):
        return Markup("<p>{}</p>").format(text)
    html_text = sanitise(_converter().convert(text, resolve))
    if not is_plain(text) and _parse(html_text).deepest > MAX_DEPTH:
        return Markup("<p>{}</p>").format(text)
    if inline and html_text.startswith("<p>") and html_text.endswith("</p>") and html_text.count("<p>") == 1:
        html_text = html_text[3:-4]
    return Markup(html_text)


def _short(value: str, width: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"


# --- front matter of hand-written pages ------------------------------------------------------------------
# MkDocs reads a page's front matter into page.meta, and the theme prints some keys into the page without
# escaping them (`description` into a meta tag, `location` into a script; `template` picks the page's
# template). A hand-written page may set only these, and the plugin escapes what it prints.
PAGE_META_KEYS = ("title", "description", "hide", "search")
HIDE_VALUES = frozenset({"navigation", "toc", "footer", "path", "tags", "feedback"})
_YAML_FRONT = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)  # as MkDocs reads it
_MM_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_MM_MORE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")


@dataclass
class FrontMatter:
    """A hand-written page's front matter: its keys (with the line each is on) and where the text starts."""

    keys: dict[str, int] = field(default_factory=dict)  # key -> 1-based line
    yaml: str | None = None  # the YAML between the `---` lines, if written that way
    body_start: int = 0


def front_matter(text: str) -> FrontMatter:
    """Find the front matter the way MkDocs does: a `---` YAML block, or MultiMarkdown `Key: value` lines."""
    text = text.replace("\r\n", "\n")
    match = _YAML_FRONT.match(text)
    if match:
        return FrontMatter(yaml=match.group(1), body_start=match.end())
    found, offset = FrontMatter(), 0
    for number, line in enumerate(text.split("\n"), start=1):
        meta = _MM_META.match(line)
        if not line.strip() or not (meta or (found.keys and _MM_MORE.match(line))):
            break
        if meta:
            found.keys.setdefault(meta.group("key").lower(), number)
        offset += len(line) + 1
    found.body_start = offset if found.keys else 0
    return found


def meta_problem(key: str, value: object) -> str | None:
    """Why a front-matter entry of a hand-written page cannot be used, or None."""
    if key not in PAGE_META_KEYS:
        return (f"the front-matter key `{key}` is not used by course pages (they may set "
                f"{', '.join(f'`{k}`' for k in PAGE_META_KEYS)}); remove it")
    if key in ("title", "description") and not isinstance(value, str):
        return f"`{key}` must be text"
    if key == "hide" and not (isinstance(value, list) and set(value) <= HIDE_VALUES):
        return f"`hide` must be a list of {', '.join(sorted(HIDE_VALUES))}"
    if key == "search" and not (isinstance(value, dict) and set(value) <= {"exclude", "boost"}):
        return "`search` may hold `exclude: true` or `boost: N`"
    return None


def safe_page_meta(meta: dict) -> dict:
    """The front matter a hand-written page keeps: allowed keys with usable values, text HTML-escaped."""
    kept = {key: value for key, value in meta.items() if meta_problem(key, value) is None}
    for key in ("title", "description"):
        if key in kept:
            kept[key] = str(Markup.escape(kept[key]))
    return kept
