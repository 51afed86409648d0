"""axe-core finds no WCAG 2.x A or AA violation on the sample course's pages, in each state a learner sees."""

from __future__ import annotations

import re

import pytest
from browser_support import browser, open_site, sample_site, wcag_violations  # noqa: F401 - fixtures


def test_the_check_reports_a_violation_on_a_page_that_has_one(open_site, sample_site):
    """The helper every accessibility test relies on finds what axe finds: a picture without alternative text and
    a field without a name, also on a second document in the same page (axe injected again)."""
    page = open_site(sample_site).page
    for _ in range(2):
        page.set_content('<html lang="en"><title>t</title><main><img src="data:,"><input type="text"></main></html>')
        assert [line.split(":")[0] for line in wcag_violations(page)] == ["image-alt", "label"]


@pytest.mark.parametrize("path", ["", "references/", "glossary/", "assessment/"])
def test_page_has_no_wcag_violation(sample_site, open_site, path):
    page = open_site(sample_site).page
    page.goto(sample_site + path)
    found = wcag_violations(page)
    assert not found, "\n".join(found)


def test_module_page_has_no_wcag_violation_before_and_after_answering(sample_site, open_site):
    page = open_site(sample_site).page
    page.goto(sample_site + "entrapment/")
    found = wcag_violations(page)
    assert not found, "\n".join(found)
    page.get_by_role("button", name=re.compile("I have read the note")).click()
    first = page.locator("fieldset.ck-q").first
    first.locator("input").nth(1).check()
    first.get_by_role("button", name="Check answer").click()
    second = page.locator("fieldset.ck-q").nth(1)
    second.locator("input").first.check()
    second.get_by_role("button", name="Check answer").click()
    page.wait_for_timeout(400)  # let the theme's colour transition on the focused button finish
    found = wcag_violations(page)
    assert not found, "\n".join(found)


def test_assessment_result_has_no_wcag_violation(sample_site, open_site):
    page = open_site(sample_site).page
    page.goto(sample_site + "assessment/")
    page.get_by_label("Your name").fill("PC Example")
    page.locator("[data-ck-assessment][data-ck-ready]").wait_for(state="attached")
    page.locator("[data-ck-questions] fieldset[data-ck-q]:visible").first.locator("input").first.check()
    for _ in range(2):
        page.get_by_role("button", name="Submit assessment").click()
    assert page.locator("[data-ck-result]").is_visible()
    found = wcag_violations(page)
    assert not found, "\n".join(found)


# A phone, and 1280 x 900 at 200% zoom (the same CSS pixels on a screen of twice the density).
SMALL = {"phone": ({"width": 390, "height": 844}, 1), "zoom-200": ({"width": 640, "height": 450}, 2)}


@pytest.mark.parametrize("size", list(SMALL))
def test_every_state_has_no_wcag_violation_on_a_phone_and_at_200_percent(sample_site, browser, size):
    viewport, scale = SMALL[size]
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        for path in ("", "references/", "glossary/", "trainers/guide.html", "trainers/keys.html"):
            assert page.goto(sample_site + path).ok, path
            found[path or "home"] = wcag_violations(page)
        page.goto(sample_site + "entrapment/")
        found["module, note closed"] = wcag_violations(page)
        page.get_by_role("button", name=re.compile("I have read the note")).click()
        first = page.locator("fieldset.ck-q").first
        first.locator("input").nth(1).check()
        first.get_by_role("button", name="Check answer").click()
        first.locator("input").first.check()
        first.get_by_role("button", name="Check answer").click()
        page.wait_for_timeout(400)  # the theme's colour transition on the focused button
        found["module, answered"] = wcag_violations(page)
        page.goto(sample_site + "assessment/")
        page.locator("[data-ck-assessment][data-ck-ready]").wait_for(state="attached")
        page.get_by_label("Your name").fill("PC Example")
        for _ in range(2):
            page.get_by_role("button", name="Submit assessment").click()
        found["assessment result"] = wcag_violations(page)
        page.goto(sample_site)
        found["home, with progress"] = wcag_violations(page)
    finally:
        context.close()
    problems = [f"{state}: {v}" for state, vs in found.items() for v in vs]
    assert not problems, "\n".join(problems)


def test_wide_tables_of_the_trainer_pages_need_no_sideways_scrolling_on_a_phone(sample_site, browser):
    """A region that scrolls sideways but takes no focus cannot be read by keyboard (WCAG 2.1.1): the guide's
    and key reference's tables wrap on a phone instead."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for path in ("trainers/guide.html", "trainers/keys.html"):
            assert page.goto(sample_site + path).ok, path
            stuck = page.evaluate("""() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
                .filter(e => e.scrollWidth > e.clientWidth + 1 && e.tabIndex < 0)
                .map(e => e.innerText.slice(0, 60))""")
            assert page.locator(".md-typeset table").count() > 0, path
            assert not stuck, f"{path}: {stuck}"
    finally:
        context.close()
