"""Conversations and drafting exercises on the learner site: what the page shows, what it only carries."""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import pytest

from coursekit.check import check_course
from coursekit.render.site import asset_sources, assets, render_site

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "good"
FEEDBACK = ("You answered the question you were asked", "You raised the topic before the subject did",
            "You stayed on an ordinary topic", "You brought in a romantic theme")
DEBRIEFS = ("The judge finds the officer instigated", "Every message that matters is his",
            "The defence asks for the chat to be excluded")


@pytest.fixture(scope="module")
def page():
    course = check_course(GOOD).course
    return render_site(course).pages["legal-line/index.md"]


def _block(text: str, start: str, end: str) -> str:
    at = text.index(start)
    return text[at:text.index(end, at) + len(end)]


def _key(block: str) -> dict:
    return json.loads(base64.b64decode(re.search(r'data-ck-key="([^"]+)"', block).group(1)))


def _shown(block: str) -> str:
    """The block as the page shows it: without the encoded data it carries."""
    return html.unescape(re.sub(r'data-ck-key="[^"]*"', "", block))


def test_the_conversation_is_a_section_with_its_data_encoded(page):
    block = _block(page, '<div class="ck-conv"', "</noscript>\n</div>")
    assert page.index("## An evening online {: #an-evening-online }") < page.index(block)
    assert 'data-ck-conv="legal-line/an-evening-online"' in block and 'data-ck-title="An evening online"' in block
    assert 'data-ck-script="../assets/course/conversation.js"' in block
    assert '<link rel="stylesheet" href="../assets/course/conversation.css">' in block
    steps = _key(block)["t"]
    assert [s["n"] for s in steps] == [1, 2, 3, 4, 5]  # reading order: opening, his-answer, then the endings
    assert steps[0]["m"] == [["subject", "Subject", "hi how old r u"]]  # speakers and verdicts named in words
    first, second = steps[0]["r"]
    assert first[:3] == ["13. u?", "within", "Within the line"] and first[4] == 1  # leads to step 2 (index 1)
    assert 'href="../references/#looseley-2001"' in first[3]  # feedback is Markdown with resolved links
    assert second[2] == "Crosses the line"
    assert steps[second[4]]["e"][:3] == ["The prosecution is stayed", "crosses", "Crosses the line"]
    assert 'href="../recording/#capture"' in steps[4]["e"][3]
    assert steps[2]["m"] == [["note", "Note", "Three months later, at the hearing..."]]


def test_without_javascript_the_conversation_reads_as_a_numbered_exercise_that_gives_nothing_away(page):
    block = _block(page, '<div class="ck-conv"', "</noscript>\n</div>")
    shown = _shown(block)
    assert "<h3>Step 1</h3>" in shown and "<h3>Step 3: an ending</h3>" in shown
    assert re.search(r'“13\. u\?”: go to <a href="#ck-legal-line-an-evening-online-step-2">step 2</a>\.', shown)
    assert 'id="ck-legal-line-an-evening-online-step-2"' in shown
    assert "<strong>The prosecution is stayed</strong>. This path ends here" in shown
    for secret in (*FEEDBACK, *DEBRIEFS, "within", "crosses", "risky", "Crosses the line"):
        assert secret not in shown, secret
    assert "need JavaScript" in shown


def test_a_draft_is_a_labelled_text_box_with_the_model_answer_encoded(page):
    block = _block(page, '<fieldset class="ck-q ck-draft"', "</fieldset>")
    assert "Question 4 of 4" in block and "Drafting exercise" in block
    assert re.search(r'<label class="ck-draft__label" for="([^"]+)">Your draft</label>\n<textarea id="\1"', block)
    assert 'data-ck-script="../assets/course/draft.js"' in block
    assert 'This exercise is about the conversation <a href="#an-evening-online">An evening online</a>' in block
    key = _key(block)
    assert key["c"] == ["Does not propose a time or place.", "Stays in the persona's voice."]
    assert "leaves the proposal of a place to him" in key["m"] and "must be his proposal" in key["x"]
    shown = _shown(block)
    for secret in ("leaves the proposal of a place", "Does not propose a time", "must be his proposal"):
        assert secret not in shown
    assert 'wanna meet up?' in shown


def test_drafts_do_not_count_as_questions_to_answer_correctly():
    course = check_course(GOOD).course
    home = render_site(course).pages["index.md"]
    assert 'data-ck-progress="legal-line" data-ck-questions="3"' in home


def test_pages_without_a_conversation_or_draft_do_not_load_their_parts():
    pages = render_site(check_course(GOOD).course).pages
    for path in ("recording/index.md", "index.md", "assessment/index.md"):
        assert "conversation.js" not in pages[path] and "conversation.css" not in pages[path]
        assert "draft.js" not in pages[path]


def test_the_runtime_ships_minified_from_commented_sources():
    sources, shipped = asset_sources(), assets()
    for name, text in sources.items():
        data = shipped[f"assets/course/{name}"]
        assert text.lstrip().startswith("/*") and b"/*" not in data  # comments stay in the sources only
        assert len(data) < len(text.encode("utf-8"))
    assert sum(map(len, shipped.values())) <= 27_000
