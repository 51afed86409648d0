"""Property-based: generated Markdown (nesting, entities, attribute lists, raw HTML, links of every scheme)
never crashes the checker or the renderers, and no output ever holds what the allowlist does not allow.

The allowlist is checked here independently of the sanitiser, by parsing the output.
"""

from __future__ import annotations

import html.parser
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursekit import markup
from coursekit.check import check_course
from coursekit.cli import main

from hostile import checker_bypassed, copy_good, dangers, markdown_paths, module_data, set_at, write_module

SCHEMES = ["http://x.test/", "https://x.test/", "mailto:a@x.test", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
           "jav&#x61;script:alert(1)", "javascript&colon;alert(1)", " javascript:alert(1)", "data:text/html,x",
           "vbscript:x", "//x.test/a", "module:legal-line", "ref:looseley-2001", "images/chart.png", "../x.png",
           "#frag", "x.png", "&#106;avascript:alert(1)", "java\tscript:alert(1)"]
ATTRIBUTES = ["onclick", "onerror", "onload", "style", "id", "class", "href", "src", "title", "data-x", "align"]
VALUES = ["alert(1)", "x", "url(//x.test/a)", "javascript:alert(1)", "a b", "&quot;><script>alert(1)</script>"]
TAGS = ["script", "img", "a", "iframe", "style", "div", "span", "svg", "math", "b", "form", "input", "object",
        "table", "p", "details", "template", "noscript", "base", "link", "meta"]

words = st.sampled_from(["word", "Officer", "a", "the line", "&amp;", "&lt;", "&#60;", "&", "<", ">", "`x`", "\\*"])
link = st.builds(lambda text, url, image: f"{'!' if image else ''}[{text}]({url})", words, st.sampled_from(SCHEMES),
                 st.booleans())
attr_list = st.builds(lambda pairs: "{: " + " ".join(f'{a}="{v}"' for a, v in pairs) + " }",
                      st.lists(st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES)), min_size=1, max_size=3))
raw_tag = st.builds(lambda t, a, v: f"<{t} {a}=\"{v}\">x</{t}>", st.sampled_from(TAGS), st.sampled_from(ATTRIBUTES),
                    st.sampled_from(VALUES))
prefix = st.sampled_from(["", "> ", "- ", "1. ", "    ", "# ", "| ", "> > ", "  - ", "```\n"])
inline = st.one_of(words, link, attr_list, raw_tag, st.sampled_from(["*", "**", "_", "[", "]", "{", "}", "|", "\n"]))
line = st.builds(lambda p, parts: p + " ".join(parts), prefix, st.lists(inline, max_size=6))
MARKDOWN = st.builds(lambda lines: "Text.\n" + "\n".join(lines), st.lists(line, min_size=1, max_size=8))


class _Allowlist(html.parser.HTMLParser):
    """Collects everything in an HTML fragment that the allowlist does not allow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.breaches: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag not in markup.TAGS:
            self.breaches.append(f"<{tag}>")
        allowed = markup.ATTRIBUTES["*"] | markup.ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self.breaches.append(f"<{tag} {name}>")
            if name == "href" and re.match(r"^\s*[a-z][a-z0-9+.-]*:", value, re.I) and \
                    value.split(":", 1)[0].strip().lower() not in markup.LINK_SCHEMES:
                self.breaches.append(f"<a href={value}>")
            if name == "src" and (re.match(r"^\s*([a-z][a-z0-9+.-]*:|//|/)", value, re.I)):
                self.breaches.append(f"<img src={value}>")


def breaches(fragment: str) -> list[str]:
    parser = _Allowlist()
    parser.feed(fragment)
    parser.close()
    return parser.breaches


def _site_link(scheme: str, target: str, anchor: str | None) -> str:
    return ("../" + target) if scheme == "file" else f"../{target}/"


@settings(max_examples=150, deadline=None)
@given(text=MARKDOWN)
def test_converted_markdown_holds_only_what_the_allowlist_allows(text):
    markup.inspect(text)  # never raises
    html = markup.to_html(text, _site_link)
    assert not breaches(html), (text, html)
    assert markup._parse(html).deepest <= markup.MAX_DEPTH + 2


plain_text = st.lists(st.one_of(
    st.text(alphabet=st.sampled_from(list("ab *_`#>-|1.:\\&!()\n\t")), max_size=12),
    st.sampled_from(["[a](ref:x)", "[b](module:y#z)", "[c d](https://x.test/a?b=1&c=2)", "![e](https://x.test/)",
                     "[f]", "(g)", "[h](javascript:x)", "{: onclick=x }", "<b>", "[i]: https://x.test/", "\\[",
                     "[j][k]", "](", "[l](ref:x){: #id }"]),
), max_size=10).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=plain_text)
def test_plain_text_converts_with_nothing_to_remove(text):
    """The checker skips converting plain text; that shortcut must never hide a problem or a picture."""
    if not markup.is_plain(text):
        return
    for raw_html in (False, True):
        found = markup.inspect_converted(text, raw_html=raw_html)
        assert found.problems == [] and found.images == [], (text, found)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return copy_good(tmp_path_factory.mktemp("generated") / "course")


def _course_with(template, tmp_path, texts: list[str]):
    course = tmp_path / "course"
    shutil.rmtree(course, ignore_errors=True)
    shutil.copytree(template, course)
    data = module_data(course)
    for path, text in zip(markdown_paths(course), texts):
        set_at(data, path, text)
    write_module(course, data)
    return course


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(MARKDOWN, min_size=1, max_size=4))
def test_check_never_fails_internally_on_generated_markdown(template, tmp_path, texts):
    course = _course_with(template, tmp_path, texts)
    result = check_course(course)
    assert all(d.line >= 1 for d in result.diagnostics if d.path.startswith("modules/"))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(MARKDOWN, min_size=6, max_size=6))
def test_built_site_of_generated_markdown_holds_nothing_dangerous(template, tmp_path, texts):
    course = _course_with(template, tmp_path, texts)
    site = tmp_path / "site"
    shutil.rmtree(site, ignore_errors=True)
    with checker_bypassed():  # whatever the checker would say, the build itself must stay safe
        assert main(["build", "--site-dir", str(site), "-q", str(course)]) == 0
    for page in site.rglob("*.html"):
        assert not dangers(page.read_text(encoding="utf-8")), page


words = st.lists(st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3),
    st.text(alphabet=st.sampled_from(list("ab Zé1 ,.;:'\"?!()/%-–—’‘“”…£€$@=+°#>*_`&<\\[]{}|\t\u00a0")), max_size=8),
    st.sampled_from(["1. ", "- ", "+ ", "# ", "> ", "===", "\n", "  \n", "\n\n", "    ", "1) "]),
), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=words)
def test_a_line_of_plain_words_skips_the_converter_with_the_same_result(text):
    """to_html's shortcut for plain lines gives exactly what converting and sanitising gives."""
    for inline in (False, True):
        assert markup.to_html(text, _site_link, inline=inline) == markup.converted(text, _site_link, inline=inline)


@pytest.mark.parametrize("text", ["Yes, that is right.", "Module 3: the officer's “persona” is 13 — or 14?",
                                  "Costs £5 (about 40%) / session.\n", "Élan vital, naïve café"])
def test_everyday_lines_take_the_shortcut(text):
    assert markup._words_only(text) is not None
    assert markup.to_html(text, _site_link) == markup.converted(text, _site_link)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "x", " ", "\t",
                                      " " * 13, "\t" * 13]), max_size=12).map("".join))
def test_deep_indentation_is_found_on_every_kind_of_line(text):
    """is_plain's indentation test sees the lines str.splitlines() sees (Python-Markdown breaks lines at \\r too)."""
    by_lines = all(len(line) - len(line.lstrip(" \t")) <= 12 for line in text.splitlines())
    assert (not markup.deeply_indented(text)) == by_lines
