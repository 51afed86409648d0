"""In real Chromium, approved text is shown whole: no class a trainer writes on it can hide or move a word.

A class in course text (`{: .name }`) once reached the page as written, so the site's and the theme's own
styles acted on it: `.ck-sr` shrank a word to one invisible pixel, `.ck-gate--closed` hid every paragraph
after it. The reviewer's PDF showed every word, so a module could be approved in wording the officer never
saw. Here every class name the built site's stylesheets define is written on a paragraph and on a word
inside it, and each must be laid out visibly.
"""

from __future__ import annotations

import re
import shutil

import pytest
from browser_support import GOOD, browser, build, serve  # noqa: F401 - fixtures

CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")


def _site_classes(site) -> list[str]:
    """Every class name the site's stylesheets name (Material's, the course runtime's), and some words of
    their declarations that look like one (`.svg`): a few paragraphs more, nothing missed."""
    return sorted({name for sheet in site.rglob("*.css") for name in CLASS.findall(sheet.read_text(encoding="utf-8"))})


@pytest.fixture(scope="module")
def classed_site(tmp_path_factory):
    """The small course with one module section holding a paragraph per class of the site's stylesheets."""
    work = tmp_path_factory.mktemp("classed")
    classes = _site_classes(build(GOOD, work / "plain"))
    course = work / "source"
    shutil.copytree(GOOD, course)
    module = course / "modules" / "recording.yml"
    text = module.read_text(encoding="utf-8")
    old = "      Capture both sides; see [the legal line](module:legal-line).\n"
    paragraphs = "".join(f"\n      Approved{i} *word{i}*{{: .{name} }} stays.\n      {{: .{name} }}\n"
                         for i, name in enumerate(classes))
    module.write_text(text.replace(old, old + paragraphs), encoding="utf-8")
    for base in serve(build(course, work / "classed")):
        yield classes, base


HIDDEN = """(words) => words.flatMap((word) => {
  const found = [...document.querySelectorAll("article p")].find((p) => p.textContent.includes(word));
  if (!found) return [word + ": not on the page"];
  const range = document.createRange();
  const node = [...found.querySelectorAll("*"), found].flatMap((e) => [...e.childNodes])
    .find((n) => n.nodeType === 3 && n.textContent.includes(word));
  range.selectNodeContents(node);
  const box = range.getBoundingClientRect(), style = getComputedStyle(node.parentElement);
  const seen = node.parentElement.checkVisibility({opacityProperty: true, visibilityProperty: true})
    && box.width > 4 && box.height > 8 && style.color !== "rgba(0, 0, 0, 0)" && parseFloat(style.fontSize) >= 10;
  return seen ? [] : [word];
})"""


def test_no_class_of_the_site_hides_a_word_of_approved_text(classed_site, browser):
    classes, base = classed_site
    assert len(classes) > 300 and {"ck-sr", "ck-gate--closed", "md-toggle"} <= set(classes)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(base + "recording/")
        words = [f"Approved{i}" for i in range(len(classes))] + [f"word{i}" for i in range(len(classes))]
        hidden = page.evaluate(HIDDEN, words)
    finally:
        page.close()
    named = {w: classes[int(re.sub(r"\D", "", w))] for w in hidden if re.sub(r"\D", "", w)}
    assert hidden == [], f"hidden by a site class: {named}"
