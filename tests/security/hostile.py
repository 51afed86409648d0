"""Hostile courses for the security tests: attacks written into every field of a small real course.

Two kinds of attack:
- MARKDOWN_ATTACKS would make the Markdown converter write something dangerous into the HTML (an event
  handler, a script URL, a picture from outside, nesting that crashes a renderer). The checker must report
  each one where it was written, and the renderers must remove it even when the checker is bypassed.
- TEXT_ATTACKS are markup typed as text. They are valid course text: they must come out as the very
  characters typed, escaped in every output (a title that closes `<title>` must not).
"""

from __future__ import annotations

import contextlib
import html.parser
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from coursekit.load import load_bytes
from coursekit.model import Module, markdown_texts

TESTS = Path(__file__).resolve().parents[1]
GOOD = TESTS / "fixtures" / "good"
MODULE = "modules/legal-line.yml"

# Where an outside request would go: a loopback address no test serves, so a leak shows in the request log.
OUTSIDE = "127.0.0.2:9"

# (name, Markdown, the code `course check` reports)
MARKDOWN_ATTACKS = [
    ("attr-list-handler", 'Read this.\n{: onclick="alert(1)" }', "markdown.unsafe"),
    ("image-onload", '![a chart](images/chart.png){: onload="alert(1)" }', "markdown.unsafe"),
    ("attr-list-style-url", f'Read this.\n{{: style="background:url(http://{OUTSIDE}/x.png)" }}', "markdown.unsafe"),
    ("heading-attr-list", "## A heading {: onmouseover=alert(1) }", "markdown.unsafe"),
    ("entity-scheme", "[a link](jav&#x61;script:alert(1))", "markdown.unsafe"),
    ("named-entity-colon", "[a link](javascript&colon;alert(1))", "markdown.unsafe"),
    ("reference-link", "[a link][x]\n\n[x]: javascript:alert(1)", "markdown.unsafe"),
    ("angle-link", "[a link](<javascript:alert(1)>)", "markdown.unsafe"),
    ("data-url", "[a link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "markdown.unsafe"),
    ("vbscript", "[a link](vbscript:msgbox(1))", "markdown.unsafe"),
    ("path-link", "[the official guidance](../evil.html)", "markdown.unsafe"),  # whatever file the site holds there
    ("path-link-after-a-scheme", "[the glossary](http:../glossary/index.html)", "markdown.unsafe"),  # read as a path
    ("outside-image", f"![a chart](http://{OUTSIDE}/chart.png)", "markdown.external"),
    ("protocol-relative-image", f"![a chart](//{OUTSIDE}/chart.png)", "markdown.external"),
    ("image-out-of-course", "![a chart](../../etc/passwd)", "markdown.external"),
    ("deep-quotes", "> " * 30 + "deep", "markdown.too-deep"),
    ("deep-lists", "\n".join("    " * i + "- level" for i in range(30)), "markdown.too-deep"),
    ("deep-emphasis", "*" * 60 + "x" + "*" * 60, "markdown.too-deep"),
    ("deep-brackets", "[" * 40 + "x", "markdown.too-deep"),
    ("lists-on-one-line", "1. " * 300 + "x", "markdown.too-deep"),  # crashed the build once: "plain" to a shortcut
    ("quotes-and-lists-on-one-line", "- > " * 30 + "x", "markdown.too-deep"),
    ("unclosed-links", "[a](" * 300, "markdown.too-deep"),  # Python-Markdown's time grows with their square
    ("id-names-a-script-global", "Note.\n{: #coursekitStore }", "markdown.unsafe"),  # window.coursekitStore
    ("control-character", "Read\x0bthis\x01.", "text.control"),
    ("bidi-override", "Pay \u202eredro\u202c now.", "text.control"),  # shown in another order than stored
    ("zero-width-space", "ex\u200bclusion", "text.control"),
]

# Markup typed as text: shown as typed, never interpreted.
TEXT_ATTACK = ("</title><script>alert(1)</script><img src=x onerror=alert(1)>"
               "<style>*{background:url(//" + OUTSIDE + "/x)}</style>\" onmouseover=\"alert(1)")

# Hand-written pages (docs/*.md) are Markdown with HTML, as MkDocs reads them: (name, text, code).
PAGE_ATTACKS = [
    ("script", "Hello.\n\n<script>alert(1)</script>\n", "markdown.unsafe"),
    ("img-onerror", "Hello <img src=x onerror=alert(1)> there.\n", "markdown.unsafe"),
    ("iframe", f'<iframe src="http://{OUTSIDE}/"></iframe>\n', "markdown.unsafe"),
    ("svg-onload", "<svg onload=alert(1)><circle r=4></circle></svg>\n", "markdown.unsafe"),
    ("link-javascript", '<a href="jav&#x61;script:alert(1)">x</a>\n', "markdown.unsafe"),
    ("style-element", f"<style>body{{background:url(//{OUTSIDE}/x)}}</style>\n", "markdown.unsafe"),
    ("style-attribute", f'<div style="background:url(//{OUTSIDE}/x)">x</div>\n', "markdown.unsafe"),
    ("form", f'<form action="http://{OUTSIDE}/"><input name=q></form>\n', "markdown.unsafe"),
    ("meta-refresh", f'<meta http-equiv="refresh" content="0;url=http://{OUTSIDE}/">\n', "markdown.unsafe"),
    ("outside-image", f"![x](http://{OUTSIDE}/x.png)\n", "markdown.external"),
    ("front-matter-template", "---\ntemplate: 404.html\n---\nHello.\n", "markdown.unsafe"),
    ("front-matter-location", f"---\nlocation: http://{OUTSIDE}/\n---\nHello.\n", "markdown.unsafe"),
]


def copy_good(target: Path) -> Path:
    """A fresh copy of the small complete test course, with a picture under docs/ for course text to show."""
    shutil.copytree(GOOD, target)
    (target / "docs/images").mkdir(parents=True)
    (target / "docs/images/chart.png").write_bytes(PNG)
    return target


# A 1x1 transparent PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c489"
                    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def module_data(course: Path) -> dict[str, Any]:
    return yaml.safe_load((course / MODULE).read_text(encoding="utf-8"))


def write_module(course: Path, data: dict[str, Any]) -> None:
    (course / MODULE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")


def markdown_paths(course: Path) -> list[tuple[Any, ...]]:
    """Every Markdown field of the test module, as paths into its data."""
    return [path for path, _ in markdown_texts(Module.model_validate(module_data(course)))]


def text_paths(course: Path) -> list[tuple[Any, ...]]:
    """Every plain-text field of the test module a trainer writes prose in (not ids, dates, enums)."""
    markdown = set(markdown_paths(course))
    prose_keys = {"title", "summary", "content_note", "text", "setting", "owner"}
    return [path for path, value in _strings(module_data(course))
            if path[-1] in prose_keys and path not in markdown and isinstance(value, str)]


def _strings(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every text of a file's data, with its path (the values the checker's text rules walk)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*path, i))
    elif isinstance(data, str):
        yield path, data


def set_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def line_of(course: Path, path: tuple[Any, ...]) -> int:
    """The line of the module file where the value at `path` starts."""
    doc = load_bytes(MODULE, (course / MODULE).read_bytes())
    return doc.locate(path)[0]


def hostile_text_course(target: Path) -> Path:
    """A valid course whose every prose field carries markup typed as text (raw HTML included)."""
    course = copy_good(target)
    data = module_data(course)
    for path in text_paths(course) + markdown_paths(course):
        set_at(data, path, f"{TEXT_ATTACK} {_last(path)}")
    write_module(course, data)
    info = yaml.safe_load((course / "course/course.yml").read_text(encoding="utf-8"))
    info["title"] = f"Course {TEXT_ATTACK}"
    info["audience"] = TEXT_ATTACK
    (course / "course/course.yml").write_text(yaml.safe_dump(info, allow_unicode=True, sort_keys=False), encoding="utf-8")
    glossary = yaml.safe_load((course / "course/glossary.yml").read_text(encoding="utf-8"))
    glossary[0]["term"] = f"Term {TEXT_ATTACK}"
    glossary[0]["definition"] = f"Definition {TEXT_ATTACK}"
    (course / "course/glossary.yml").write_text(yaml.safe_dump(glossary, allow_unicode=True), encoding="utf-8")
    escaped_quote = TEXT_ATTACK.replace('"', '\\"')
    (course / "docs/index.md").write_text(
        f'---\ntitle: "{escaped_quote}"\ndescription: "{escaped_quote}"\n---\n# Welcome\n\n'
        "Some `<script>alert(1)</script>` shown as code, and [the first module](module:legal-line).\n",
        encoding="utf-8")
    # A hand-written page whose title comes from its heading, markup written as entities: MkDocs decoded them
    # into the theme's <title> once, which ran the script.
    (course / "docs/guidance.md").write_text(f"# Guidance {html.escape(TEXT_ATTACK)}\n\nWords.\n", encoding="utf-8")
    return course


def _last(path: tuple[Any, ...]) -> str:
    return "-".join(str(p) for p in path)


# --- looking for what must never be in an output ----------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset"}
LOADING_ATTRIBUTES = {"src", "data", "poster", "background", "srcset"}  # loaded as the page opens
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
OUR_SCRIPTS = re.compile(r"^(/|(\.\./)*)(assets/|search/)")  # the theme's and the course runtime's own files


class _Scanner(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_title = False
        self.script_text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.in_title = tag == "title"
        self.in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(value):
                self.found.append(f"<{tag} {name}={value[:40]}>")
            if name in LOADING_ATTRIBUTES and re.match(r"^\s*([a-z][a-z0-9+.-]*:|//)", value, re.I) \
                    and not value.startswith("data:"):
                self.found.append(f"<{tag} {name}={value[:40]}> loads from outside")
            if name == "style" and "url(" in value.replace(" ", "").lower():
                self.found.append(f"<{tag} style=url(...)>")
        if tag == "script" and not OUR_SCRIPTS.match(dict(attrs).get("src") or "assets/"):
            self.found.append(f"<script src={dict(attrs).get('src')}>")
        # The theme's own search form; the SCORM launch page's frame that shows the course.
        theirs = (dict(attrs).get("class") or "").startswith("md-") or dict(attrs).get("id") == "ck-course"
        if tag in {"iframe", "object", "embed", "form", "base", "meta"} and not (
                (tag == "meta" and _harmless_meta(attrs)) or (tag in ("form", "iframe") and theirs)):
            self.found.append(f"<{tag}>")

    def handle_endtag(self, tag):  # noqa: ANN001
        self.in_title = self.in_script = False

    def handle_data(self, data):  # noqa: ANN001
        if self.in_script and "alert(" in data:
            self.found.append(f"script text {data[:40]!r}")


def _harmless_meta(attrs) -> bool:  # noqa: ANN001
    names = {name for name, _ in attrs}
    return "http-equiv" not in names or dict(attrs).get("http-equiv", "").lower() in {"x-ua-compatible", "content-type"}


def dangers(page: str) -> list[str]:
    """Everything in an HTML page that could run script, load from outside, or come from a text unescaped."""
    scanner = _Scanner()
    scanner.feed(page)
    scanner.close()
    found = scanner.found
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    if title and "<" in title.group(1):
        found.append(f"<title> holds markup: {title.group(1)[:60]}")
    return found


@contextlib.contextmanager
def checker_bypassed():
    """Switch the checker's rules off: what the renderers alone do with hostile text is then on show."""
    import pytest

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("coursekit.check.check_all", lambda src: [])
        yield


def attack_course(target: Path) -> Path:
    """A course with Markdown attacks in every Markdown field (refused by the checker, unless bypassed).

    Each attack past the limits has a field of its own (the renderers show such a text escaped, whole);
    the others are spread over the remaining fields, several to a field.
    """
    course = copy_good(target)
    data = module_data(course)
    paths = markdown_paths(course)
    deep = [a for _, a, code in MARKDOWN_ATTACKS if code == "markdown.too-deep"]
    sanitised = [a for _, a, code in MARKDOWN_ATTACKS if code in ("markdown.unsafe", "markdown.external")]
    rest = paths[len(deep):]
    assert len(rest) >= 3, "the test module needs more Markdown fields"
    for path, attack in zip(paths, deep):
        set_at(data, path, attack)
    for i, path in enumerate(rest):
        set_at(data, path, "\n\n".join(sanitised[i::len(rest)]) or "Plain text.")
    write_module(course, data)
    return course
