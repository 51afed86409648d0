"""The officer's experience in real Chromium: keyboard shortcuts off, visible focus, the course's language, no
hidden Tab stops, pages without JavaScript, link text, printing, the quiz's states, the module's flow and
progress."""

from __future__ import annotations

import io
import re

from browser_support import browser, fixture_site, open_site, tab_to  # noqa: F401 - fixtures
from pypdf import PdfReader
from test_quiz_browser import answer_assessment, question

MODULE = "legal-line/"
NEXT_MODULE = "recording/"


def acknowledge(page) -> None:
    page.get_by_role("button", name=re.compile("I have read the note")).click()


def search_open(page) -> bool:
    return page.evaluate("document.querySelector('#__search').checked")


def test_one_letter_shortcuts_do_nothing(fixture_site, open_site):
    """WCAG 2.1.4: Material's n, p, s, f, / and . change page or open search on a bare key press."""
    page = open_site(fixture_site).page
    page.goto(fixture_site + NEXT_MODULE)  # a page with a previous and a next page
    url = page.url
    for key in ("n", "p", ".", ",", "s", "f", "/"):
        page.locator("h1").click()  # focus on the page, not in a field
        page.keyboard.press(key)
        page.wait_for_timeout(150)
        assert page.url == url, f"`{key}` changed the page"
        assert not search_open(page), f"`{key}` opened search"
    q = page.locator("fieldset.ck-q").first
    q.locator("input").first.focus()
    page.keyboard.press("n")  # on a choice too
    page.wait_for_timeout(150)
    assert page.url == url
    page.locator("label.md-search__icon, .md-search__input").first.click()  # search itself still takes letters
    page.keyboard.type("ns")
    assert page.locator(".md-search__input").input_value() == "ns"
    assert page.url == url


def outline(page, selector: str) -> tuple[str, float]:
    style = page.evaluate("s => { const c = getComputedStyle(document.querySelector(s));"
                          " return [c.outlineStyle, parseFloat(c.outlineWidth)]; }", selector)
    return style[0], style[1]


def test_focus_shows_on_the_name_field_and_on_choices(fixture_site, open_site):
    """WCAG 2.4.7: Material takes the outline off inputs; the name field and the choice cards put one back."""
    page = open_site(fixture_site).page
    page.goto(fixture_site + "assessment/")
    tab_to(page, "#ck-name")
    style, width = outline(page, "#ck-name")
    assert style != "none" and width >= 2
    page.goto(fixture_site + NEXT_MODULE)
    tab_to(page, "fieldset.ck-q input")
    style, width = outline(page, ".ck-choice:has(:focus-visible)")
    assert style != "none" and width >= 2


def test_every_page_is_in_the_course_language(fixture_site, open_site):
    page = open_site(fixture_site).page
    for path in ("", MODULE, "assessment/", "references/", "glossary/", "404.html"):
        page.goto(fixture_site + path)
        assert page.evaluate("document.documentElement.lang") == "en-GB", path


def test_no_tab_stop_is_invisible(fixture_site, open_site):
    """The theme's closed search results box took a Tab stop that showed nothing (WCAG 2.4.3, 2.4.7)."""
    page = open_site(fixture_site).page
    page.goto(fixture_site)
    for _ in range(25):
        page.keyboard.press("Tab")
        seen = page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
            return [e.outerHTML.slice(0, 80), e.checkVisibility({visibilityProperty: true}) && r.width > 0 && r.height > 0,
                    !!e.closest('.md-search__scrollwrap')]; }""")
        assert seen[1] and not seen[2], f"invisible Tab stop: {seen[0]}"


def test_without_javascript_the_page_says_what_needs_it(fixture_site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(fixture_site + MODULE)
        q = question(page, "Who raised the topic first?")
        assert q.get_by_role("button", name="Check answer").count() == 0  # a button that could do nothing is not offered
        assert "Checking your answer needs JavaScript" in q.inner_text()
        assert page.locator("#an-evening-online").is_visible()  # the content note does not lock the module away
        toc = page.locator(".md-nav--secondary a[href='#an-evening-online']").first
        assert toc.evaluate("a => getComputedStyle(a.closest('li')).display") != "none"  # nor its contents
    finally:
        context.close()


def test_links_with_the_same_text_go_to_the_same_place(fixture_site, open_site):
    """WCAG 2.4.4/2.4.9: "original source" named each source's own address; each says which source now."""
    page = open_site(fixture_site).page
    for path in ("references/", MODULE):
        page.goto(fixture_site + path)
        if path == MODULE:
            acknowledge(page)
        targets: dict[str, set[str]] = {}
        links = page.locator(".md-content a[href]")
        for i in range(links.count()):
            link = links.nth(i)
            targets.setdefault(link.inner_text().strip(), set()).add(link.get_attribute("href"))
        same = {text: hrefs for text, hrefs in targets.items() if text and len(hrefs) > 1}
        assert not same, f"{path}: one text, several places: {same}"
        assert any(text.startswith("original source") for text in targets)


def print_pages(page) -> int:
    return len(PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)


def test_printing_shows_the_whole_module_and_the_record_alone(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)  # the note not yet acknowledged
    page.emulate_media(media="print")
    assert page.locator("#an-evening-online").is_visible()  # the module prints, not the note alone
    assert page.locator("text=Who raised the topic first?").first.is_visible()
    assert page.locator(".md-typeset button:visible, .md-typeset .md-button:visible").count() == 0  # no buttons
    page.emulate_media(media="screen")
    page.goto(fixture_site + "assessment/")
    answer_assessment(page, right=True)
    page.get_by_role("button", name="Submit assessment").click()
    page.emulate_media(media="print")
    assert page.locator("[data-ck-record]").is_visible()
    assert page.locator("[data-ck-questions]").is_hidden()  # the record alone
    assert print_pages(page) == 1  # no blank second page
    page.emulate_media(media="screen")


def mark_of(choice) -> str:
    return choice.evaluate("c => getComputedStyle(c, '::after').content")


def test_choices_are_cards_with_their_state_in_words(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    q = question(page, "Who raised the topic first?")
    legend, box = q.locator("legend").bounding_box(), q.bounding_box()
    assert legend["y"] > box["y"] + 2  # the legend sits inside the card; it no longer cuts its border
    wrong = q.locator(".ck-choice", has=page.get_by_label("The officer."))
    right = q.locator(".ck-choice", has=page.get_by_label("The subject."))
    assert wrong.bounding_box()["width"] > 0.8 * box["width"]  # a full-width card
    wrong.click(position={"x": wrong.bounding_box()["width"] - 10, "y": 10})  # anywhere on the card chooses it
    assert page.get_by_label("The officer.").is_checked()
    selected = wrong.evaluate("c => getComputedStyle(c).backgroundColor")
    assert selected != right.evaluate("c => getComputedStyle(c).backgroundColor")  # a chosen card shows it
    q.get_by_role("button", name="Check answer").click()
    assert mark_of(wrong) == '"✗ Wrong"'
    feedback = q.locator("[role=status]")
    assert "failure" in feedback.get_attribute("class") and "admonition" in feedback.get_attribute("class")
    assert q.evaluate("f => getComputedStyle(f).borderLeftColor") == "rgb(198, 40, 40)"
    page.get_by_label("The subject.").check()
    assert mark_of(wrong) == "none"  # a new choice clears the old marks
    q.get_by_role("button", name="Check answer").click()
    assert mark_of(right) == '"✓ Right"'
    assert "success" in feedback.get_attribute("class")
    assert q.evaluate("f => getComputedStyle(f).borderLeftColor") == "rgb(46, 125, 50)"


def test_a_revealed_answer_is_marked_as_the_right_one(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    q = question(page, "Who raised the topic first?")
    for _ in range(2):
        page.get_by_label("The officer.").check()
        q.get_by_role("button", name="Check answer").click()
    right = q.locator(".ck-choice", has=page.get_by_label("The subject."))
    assert mark_of(right) == '"Right answer"'


def test_the_knowledge_check_the_end_and_progress_on_the_module_page(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    sections = page.locator("h2").all_inner_texts()
    check = page.locator("fieldset.ck-q", has=page.locator("legend", has_text="Who raised the topic first?"))
    heading = page.locator("#first-contact")
    after = page.locator("#an-evening-online")
    y = check.bounding_box()["y"]
    assert heading.bounding_box()["y"] < y < after.bounding_box()["y"], sections  # right after its section
    top = page.locator(".ck-modprogress").first
    assert top.inner_text().startswith("Not started")
    check.get_by_label("The subject.").check()
    check.get_by_role("button", name="Check answer").click()
    assert "1 of 3 questions answered correctly" in top.inner_text()  # at once, without a reload
    assert page.locator(".ck-modprogress progress").first.evaluate("p => p.value") == 1
    end = page.locator(".ck-end")
    assert "1 of 3" in end.inner_text()
    end.get_by_role("link", name=re.compile("^Next: module 2, ")).click()
    page.wait_for_url(re.compile(re.escape(NEXT_MODULE) + "(index.html)?$"))
    assert page.locator(".ck-end").get_by_role("link", name="Next: the final assessment").count() == 1


def test_the_home_page_shows_progress_at_a_glance(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site)
    tiles = page.locator(".ck-tiles a.ck-tile")
    assert tiles.count() == 2
    assert page.locator("[data-ck-tally]").inner_text() == "0 of 2 modules completed, 0 in progress."
    page.goto(fixture_site + NEXT_MODULE)
    q = page.locator("fieldset.ck-q").first
    answer_right(page, q)
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    answer_right(page, question(page, "Who raised the topic first?"))
    page.goto(fixture_site)
    assert page.locator("[data-ck-tally]").inner_text() == "1 of 2 modules completed, 1 in progress."
    done, started = tiles.nth(1), tiles.nth(0)
    assert done.inner_text().startswith("2") and "Completed" in done.inner_text()
    assert "In progress" in started.inner_text()
    fill = [t.evaluate("t => getComputedStyle(t).backgroundColor") for t in (done, started)]
    assert fill[0] != fill[1]  # told apart by fill (and border style, and in words to a screen reader)
    assert started.evaluate("t => getComputedStyle(t).borderTopStyle") == "dashed"


def answer_right(page, q) -> None:
    """Answer a question of the fixture course right, whatever it is (its key says which choices)."""
    for value in q.evaluate("f => JSON.parse(atob(f.dataset.ckKey)).c"):
        q.locator(f"input[value='{value}']").check()
    q.get_by_role("button", name="Check answer").click()
    assert "Correct." in q.locator("[role=status]").inner_text()


def test_a_link_to_a_section_behind_the_note_lands_on_the_note_then_the_section(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE + "#an-evening-online")
    assert page.evaluate("document.activeElement.hasAttribute('data-ck-ack')")
    toc = page.locator(".md-nav--secondary a[href='#an-evening-online']")
    assert toc.count() == 0 or not toc.first.is_visible()  # the contents list nothing the note hides
    acknowledge(page)
    assert page.evaluate("document.activeElement.id") == "an-evening-online"
