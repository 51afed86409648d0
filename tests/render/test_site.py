"""The pure site renderer: pages, escaping, links, answer keys, and what must never reach learners."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from coursekit.check import check_course
from coursekit.render import site as site_module
from coursekit.render.site import SiteRenderer, assets, md_text, render_site
from coursekit.render.site_view import answer_hash, assessment_salt, cyrb53

from test_site_assessment import written_right_answers

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "good"


@pytest.fixture(scope="module")
def course():
    result = check_course(GOOD)
    assert result.course is not None, [d.format() for d in result.diagnostics]
    return result.course


@pytest.fixture(scope="module")
def pages(course):
    return render_site(course, "# Test course\n\nHand-written home page text.\n").pages


def test_pages_in_navigation_order(pages):
    assert list(pages) == ["index.md", "legal-line/index.md", "recording/index.md", "assessment/index.md",
                           "references/index.md", "glossary/index.md"]


def test_trainer_notes_reach_no_page(pages):
    assert not [path for path, text in pages.items() if "SECRET-TRAINER-NOTE" in text]


def test_title_with_markup_is_escaped_for_markdown_and_html(pages):
    lines = pages["legal-line/index.md"].splitlines()
    # The page title the theme prints raw into <title> and the navigation is HTML-escaped front matter.
    assert lines[:3] == ["---", 'title: "The legal line: &lt;entrapment&gt; &amp; opportunity"', "---"]
    assert lines[3] == "# The legal line: &lt;entrapment&gt; &amp; opportunity"
    assert "<entrapment>" not in "".join(pages.values())
    assert md_text("a *b* [c](d) {#x} <i>") == r"a \*b\* \[c\]\(d\) \{\#x\} &lt;i&gt;"
    # Quotes stay quotes: the table of contents would show `&#34;` as written.
    assert md_text('"Others" & the officer\'s <role>') == '"Others" &amp; the officer\'s &lt;role&gt;'


def test_module_page_order_objectives_note_sections_sources_questions(pages):
    text = pages["legal-line/index.md"]
    marks = ["What you will be able to do", "Content note", "## What the court asks", "## A first contact",
             "## Sources", "## Check your understanding"]
    positions = [text.index(mark) for mark in marks]
    assert positions == sorted(positions)
    assert "{: #the-test }" in text and "{: #first-contact }" in text  # section ids for module: links


def test_chat_names_each_speaker_in_text(pages):
    text = pages["legal-line/index.md"]
    assert re.search(r'ck-msg--subject"><span class="ck-msg__who">Subject<span class="ck-sr">:</span></span> '
                     r'<span class="ck-msg__text">hi how old r u</span>', text)
    assert 'ck-msg__who">Officer' in text and 'ck-msg__who">Note' in text


def test_links_are_relative_to_each_page(pages, course):
    module = pages["legal-line/index.md"]
    assert 'href="../references/#looseley-2001"' in module and 'href="../recording/#capture"' in module
    assert 'href="legal-line/"' in pages["index.md"]
    flat = render_site(course, directory_urls=False).pages
    assert 'href="../references/index.html#looseley-2001"' in flat["legal-line/index.md"]
    assert 'href="legal-line/index.html"' in flat["index.md"]


def _keys(text: str) -> dict[str, dict]:
    found = re.findall(r'data-ck-q="([^"]+)" data-ck-key="([^"]+)"', text)
    return {ref: json.loads(base64.b64decode(key)) for ref, key in found}


def test_answers_are_encoded_not_written(pages):
    text = pages["legal-line/index.md"]
    keys = _keys(text)
    assert keys["legal-line/who-raised-it"]["c"] == [0]
    assert keys["legal-line/stay-or-exclude"]["c"] == [0, 1]
    assert keys["legal-line/predisposition"]["c"] == [1]  # answer: false; choices are True, False
    assert "Yes. The subject wrote first." in keys["legal-line/who-raised-it"]["f"]["0"]
    for secret in ("Yes. The subject wrote first.", "Predisposition is irrelevant", "not a substantive defence"):
        assert secret not in text


def test_question_markup_contract(pages):
    text = pages["legal-line/index.md"]
    fieldset = text[text.index('<fieldset class="ck-q" id="ck-legal-line-predisposition"'):]
    fieldset = fieldset[:fieldset.index("</fieldset>")]
    assert "<legend>" in fieldset and "predisposition decides the question." in fieldset
    assert re.search(r'<input type="radio" id="([^"]+)"[^>]*><label for="\1">True</label>', fieldset)
    assert re.search(r'<input type="radio" id="([^"]+)"[^>]*><label for="\1">False</label>', fieldset)
    # the button shows only once quiz.js runs; without JavaScript the page says why nothing can be checked
    assert '<button type="button" class="md-button ck-check" hidden>Check answer</button>' in fieldset
    assert "<noscript><p>Checking your answer needs JavaScript" in fieldset
    assert '<div class="ck-feedback" role="status"></div>' in fieldset
    assert text.count('type="checkbox"') == 3  # the one multiple question


def test_assessment_page_has_the_chosen_questions_and_the_record(pages, course):
    text = pages["assessment/index.md"]
    hashes = dict(re.findall(r'data-ck-q="([^"]+)" data-ck-hash="([^"]+)"', text))
    assert list(hashes) == ["legal-line/who-raised-it", "legal-line/stay-or-exclude", "recording/both-sides"]
    salt = assessment_salt(course)
    assert f'data-ck-salt="{salt}"' in text
    stay_or_exclude = course.module("legal-line").questions[1]
    assert hashes["legal-line/stay-or-exclude"] == answer_hash(
        salt, "legal-line/stay-or-exclude", written_right_answers(text, "legal-line/stay-or-exclude", stay_or_exclude))
    assert "data-ck-key" not in text and "Yes. The subject wrote first." not in text  # no key, no feedback
    assert "Check answer" not in text and ">Submit assessment</button>" in text and 'role="status"' in text
    assert text.count('role="status"') == 1  # one live region for the whole assessment
    assert 'data-ck-pass="80"' in text and course.fingerprint in text
    assert 'data-ck-draw="0"' in text and 'data-ck-shuffle="1"' in text  # a list: every question, choices shuffled
    assert "hi how old r u" in text  # the question's scenario is shown with it
    assert 'data-ck-script="../assets/course/assessment.js"' in text


def test_cyrb53_is_the_published_function():
    """Vectors from the function's author; assessment.js computes the same for the same text."""
    assert [cyrb53(t) for t in ("a", "b", "revenge", "revenue")] == [
        7929297801672961, 8684336938537663, 4051478007546757, 8309097637345594]
    assert answer_hash("salt", "m/q", [2, 0]) == answer_hash("salt", "m/q", [0, 2]) != answer_hash("salt", "m/q", [0])


def test_home_page_lists_modules_and_keeps_hand_written_text(pages):
    text = pages["index.md"]
    assert text.startswith('---\ntitle: "Test course: the legal line"\n---\n# Test course: the legal line\n')
    assert "About 30 minutes" in text and "About 20 minutes" in text
    assert 'data-ck-progress="legal-line" data-ck-questions="3"' in text
    assert "## Test course\n\nHand-written home page text." in text  # its own H1 kept, as a heading below
    assert text.index("Hand-written") > text.index("Final assessment")


def test_home_text_h1_equal_to_the_title_is_dropped(course):
    text = render_site(course, "# Test course: the legal line\n\nWelcome.").pages["index.md"]
    body = text.split("---\n", 2)[2]  # after the front matter that gives the page its title
    assert body.count("Test course: the legal line") == 1 and "Welcome." in body


def test_references_and_glossary(pages):
    refs = pages["references/index.md"]
    assert '<li id="looseley-2001">' in refs and "## Cases" in refs and "## Legislation" in refs
    assert "Checked 1 November 2026." in refs
    glossary = pages["glossary/index.md"]
    assert glossary.index(">CHIS<") < glossary.index(">Stay<")  # alphabetical


def test_trainer_markup_in_text_is_shown_not_run(course):
    module = course.modules[1]
    section = module.sections[0].model_copy(update={"body": "Type <script>alert(1)</script> & <b>x</b>"})
    changed = module.model_copy(update={"sections": [section]})
    other = type(course)(info=course.info, modules=(course.modules[0], changed), references=course.references,
                         glossary=course.glossary, fingerprint="f", module_fingerprints={})
    text = render_site(other).pages["recording/index.md"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in text
    assert "<script>" not in text


def test_unchanged_module_pages_are_not_rendered_again(course, monkeypatch):
    renderer = SiteRenderer()
    first = renderer.render(course)
    calls = []
    original = site_module.module_view
    monkeypatch.setattr(site_module, "module_view", lambda *a, **k: calls.append(a[1].id) or original(*a, **k))
    assert renderer.render(course).pages == first.pages
    assert calls == []
    edited = course.modules[1].model_copy(update={"title": "Recording evidence, edited"})
    fingerprints = {**course.module_fingerprints, "recording": "changed"}
    changed = type(course)(info=course.info, modules=(course.modules[0], edited), references=course.references,
                           glossary=course.glossary, fingerprint="g", module_fingerprints=fingerprints)
    assert "Recording evidence, edited" in renderer.render(changed).pages["recording/index.md"]
    assert calls == ["legal-line", "recording"]  # the module before it names it in its "Next" link


def test_runtime_is_small_and_self_contained():
    files = assets()
    assert set(files) == {f"assets/course/{name}" for name in (
        "quiz.js", "quiz.css", "assessment.js", "conversation.js", "conversation.css", "draft.js")}
    assert sum(len(data) for data in files.values()) <= 27_000
    for part in (b"Submit assessment", b"Try another path", b"Show the model answer", b"Tick each point"):
        assert part not in files["assets/course/quiz.js"]  # each part's code is on the pages that use it only
    joined = b"".join(files.values())
    assert b"http://" not in joined and b"https://" not in joined and b"@import" not in joined


def test_a_knowledge_check_follows_its_section_and_the_rest_stay_at_the_end(pages):
    text = pages["legal-line/index.md"]
    check = text.index('id="ck-legal-line-who-raised-it"')
    assert text.index("{: #first-contact }") < check < text.index("{: #an-evening-online }")  # after_section
    assert text.index('id="ck-legal-line-stay-or-exclude"') > text.index("Check your understanding")
    numbers = re.findall(r'<span class="ck-q__number">Question (\d+) of 4</span>', text)
    assert numbers == ["1", "2", "3", "4"]  # numbered in the order the page shows them
    assert text.count('data-ck-quiz="legal-line"') == 2  # the check after its section, and the block at the end


def test_a_module_ends_with_its_summary_progress_and_the_way_on(pages):
    first, last = pages["legal-line/index.md"], pages["recording/index.md"]
    end = first[first.index("{: #ck-end }"):]
    assert "What the court asks about the officer" in end  # the module's summary
    assert "What the court asks; A first contact; An evening online" in end
    assert 'data-ck-progress="legal-line" data-ck-questions="3"' in end  # marked questions only
    assert re.search(r'<a class="md-button md-button--primary" href="[^"]*recording/[^"]*">Next: module 2, ', end)
    assert "Next: the final assessment" in last[last.index("{: #ck-end }"):]
    top = first[:first.index("{: #the-test }")]
    assert 'data-ck-progress="legal-line"' in top  # progress at the top of the module page too
