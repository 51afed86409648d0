"""In real Chromium, hostile courses run no script and load nothing from outside, whatever a learner does.

Two sites: text typed as markup in every field (a valid course), and Markdown attacks in every Markdown
field built with the checker switched off (the renderers alone stand between them and the learner). On
every page a learner opens the content note, answers every question wrong and right (feedback and
explanations are written into the page then), walks the conversations to their endings, reveals the model
answers of drafting exercises, submits the assessment and searches; a dialog handler
catches any alert() and the request log any address other than the site's own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from browser_support import browser, serve  # noqa: F401 - fixtures

from coursekit.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))
from hostile import attack_course, checker_bypassed, hostile_text_course  # noqa: E402

PAGES = ["", "legal-line/", "recording/", "assessment/", "references/", "glossary/"]


def _build(course: Path, site: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_TODAY", "2026-11-23")
        assert main(["build", "--site-dir", str(site), "-q", str(course)]) == 0
    return site


@pytest.fixture(scope="module", params=["text-typed-as-markup", "markdown-attacks-checker-off"])
def hostile_site(request, tmp_path_factory):
    work = tmp_path_factory.mktemp(request.param)
    if request.param == "text-typed-as-markup":
        site = _build(hostile_text_course(work / "course"), work / "site")
    else:
        with checker_bypassed():
            site = _build(attack_course(work / "course"), work / "site")
    yield from serve(site)


def _use_every_part(page) -> None:
    """Do what a learner does on a page: open the content note, answer each question wrong then right."""
    ack = page.locator("[data-ck-ack]")
    if ack.count() and ack.is_visible():
        ack.click()
    for fieldset in page.locator(".ck-quiz fieldset.ck-q").all():
        inputs = fieldset.locator("input")
        for attempt in range(inputs.count()):
            inputs.nth(attempt).check()
            fieldset.locator(".ck-check").click()
    for conv in page.locator(".ck-conv").all():  # every reply of a conversation, to an ending, and again
        conv.locator(".ck-conv__chat").wait_for()
        for pick in (0, -1):
            for _ in range(20):
                replies = conv.locator(".ck-conv__options button:visible")
                if not replies.count():
                    break
                replies.nth(pick if pick >= 0 else replies.count() - 1).click()
            if pick == 0:
                conv.get_by_role("button", name="Try another path").click()
    for draft in page.locator("fieldset.ck-draft").all():  # the model answer and checklist, revealed
        draft.locator("textarea").fill("<img src=x onerror=alert(1)>")
        draft.locator("[data-ck-show]").click()
        draft.locator("input[type=checkbox]").first.check()
    submit = page.locator("[data-ck-submit]")
    if submit.count():
        for fieldset in page.locator("[data-ck-assessment] fieldset.ck-q").all():
            fieldset.locator("input").first.check()
        submit.click()
        if submit.is_visible():
            submit.click()  # past the "not answered" warning


def visit(browser, base: str, paths: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Open each page as a learner uses it; return (dialogs opened, requests that left base, script errors)."""
    context = browser.new_context()
    dialogs: list[str] = []
    outside: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith((base, "data:")) else None)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: errors.append(exc.message))
    try:
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("load")
            _use_every_part(page)
            page.mouse.move(200, 300)  # hover handlers, if any had survived
            page.wait_for_timeout(150)
    finally:
        context.close()
    return dialogs, outside, errors


def test_no_script_runs_and_nothing_loads_from_outside(hostile_site, browser):
    assert visit(browser, hostile_site, PAGES) == ([], [], [])


def test_search_results_show_hostile_text_as_text(hostile_site, browser, request):
    term = {"text-typed-as-markup": "onerror", "markdown-attacks-checker-off": "deep"}[
        request.node.callspec.params["hostile_site"]]
    context = browser.new_context()
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(hostile_site)
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator("input.md-search__input").press_sequentially(term, delay=30)
        page.locator(".md-search-result__item").first.wait_for()
        page.mouse.move(700, 150)  # over the results
        page.wait_for_timeout(200)
    finally:
        context.close()
    assert dialogs == []


def test_the_harness_sees_a_script_that_runs_and_a_request_that_leaves(browser, tmp_path):
    """The probe: a page that does both, so the checks above are known to be able to fail."""
    (tmp_path / "probe.html").write_text('<img src="none.png" onerror="alert(1)"><img src="http://127.0.0.2:9/x.png">')
    for base in serve(tmp_path):
        dialogs, outside, _ = visit(browser, base, ["probe.html"])
    assert dialogs == ["1"] and outside == ["http://127.0.0.2:9/x.png"]
