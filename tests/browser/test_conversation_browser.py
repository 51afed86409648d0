"""Branching conversations and drafting exercises in real Chromium, by keyboard, with axe in every state.

Every path of the fixture conversation is walked from the course itself (so a new step or reply is walked
too), choosing each reply by Tab and Enter as a keyboard user does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import (GOOD, browser, build, fixture_site, open_site, sample_site, tab_to,  # noqa: F401 - fixtures
                             wcag_violations)

from coursekit import conversation as paths
from coursekit.check import check_course

MODULE = "legal-line/"
REPLIES = ".ck-conv__options button"


def conversation():
    course = check_course(GOOD).course
    return next(s for s in course.module("legal-line").sections if s.conversation).conversation


def every_path() -> list[tuple[list[int], str]]:
    """Each path from the start to an ending, as the reply chosen at each step, with the ending's title."""
    conv = conversation()
    by_id = {s.id: s for s in conv.steps}
    found = []

    def walk(step_id: str, chosen: list[int]) -> None:
        step = by_id[step_id]
        if step.ending is not None:
            found.append((chosen, step.ending.title))
            return
        for i, reply in enumerate(step.replies or ()):
            walk(reply.next, [*chosen, i])

    walk(conv.start, [])
    return found


def violations(page) -> list[str]:
    page.wait_for_timeout(400)  # let the theme's colour transition on the focused button finish
    return wcag_violations(page)


def open_module(page, base: str) -> None:
    page.goto(base + MODULE)
    tab_to(page, "[data-ck-ack]")
    page.keyboard.press("Enter")  # the content note, by keyboard too
    page.locator(".ck-conv__chat").wait_for()


def choose_by_keyboard(page, index: int) -> None:
    """Focus is on the first reply (or goes there by Tab); Tab `index` times more, then Enter."""
    if not page.evaluate(f"document.activeElement.matches('{REPLIES}')"):
        tab_to(page, REPLIES)
    for _ in range(index):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")


def record_announcements(page) -> None:
    """Collect the text of everything added to the role=log region from now on."""
    page.evaluate("""() => {
        window.announced = [];
        if (window.observer) window.observer.disconnect();
        window.observer = new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) =>
            window.announced.push(n))));
        window.observer.observe(document.querySelector('[role=log] > ol'), { childList: true });
    }""")


def announced(page) -> list[str]:
    """The lines added to the log, as a screen reader reads them out."""
    return page.evaluate("window.announced.map((n) => n.textContent.replace(/\\s+/g, ' ').trim())")


def focused(page) -> str:
    return page.evaluate("document.activeElement.outerHTML.slice(0, 120)")


@pytest.mark.parametrize("chosen, ending", every_path(), ids=lambda v: v if isinstance(v, str) else None)
def test_every_path_by_keyboard_with_announcements_focus_and_no_axe_violation(fixture_site, open_site, chosen, ending):
    conv = conversation()
    by_id, number = {s.id: s for s in conv.steps}, paths.numbers(conv)
    page = open_site(fixture_site).page
    open_module(page, fixture_site)
    log = page.get_by_role("log")
    assert log.get_attribute("aria-live") == "polite" and log.get_attribute("aria-label") == "Conversation: An evening online"
    assert not violations(page)
    step = by_id[conv.start]
    for i in chosen:
        reply = step.replies[i]
        record_announcements(page)
        choose_by_keyboard(page, i)
        step = by_id[reply.next]
        said = announced(page)
        # posted as the officer's message, then its feedback with the verdict in words, then the next messages
        assert said[0] == f"You, as the officer: {reply.text}"
        verdict = paths.VERDICT_WORDS[reply.verdict]
        assert said[1].startswith(f"Feedback on your reply: {verdict}.") and reply.feedback[:30] in said[1]
        assert said[2:] == [f"{m.speaker.capitalize()}: {m.text}" for m in step.messages]
        if step.ending is None:
            assert page.evaluate(f"document.activeElement.matches('{REPLIES}')"), focused(page)
            assert page.locator(".ck-conv__prompt").inner_text() == f"Step {number[step.id]}: choose your reply."
        assert not violations(page)
    end = page.locator(".ck-conv__end")
    assert page.evaluate("document.activeElement.classList.contains('ck-conv__end')"), focused(page)
    text = end.inner_text()
    assert f"Ending: {ending}" in text and f"Verdict: {paths.VERDICT_WORDS[step.ending.verdict]}." in text
    assert step.ending.debrief[:30] in text
    assert end.locator("ol > li").count() == len(chosen)
    assert page.locator(REPLIES).count() == 0 or page.locator(".ck-conv__options").is_hidden()


def test_feedback_and_debriefs_are_not_shown_before_a_reply_is_chosen(fixture_site, open_site):
    page = open_site(fixture_site).page
    open_module(page, fixture_site)
    text, snapshot = page.locator("article").inner_text(), page.locator("article").aria_snapshot()
    for step in conversation().steps:
        for secret in [r.feedback[:30] for r in step.replies or ()] + ([step.ending.debrief[:30]] if step.ending else []):
            assert secret not in text and secret not in snapshot
    assert "Within the line" not in text and "Crosses the line" not in text
    assert page.locator(".ck-conv__steps").count() == 0  # the readable exercise gave way to the chat


def test_reload_mid_way_keeps_the_path_and_announces_nothing_old(fixture_site, open_site):
    page = open_site(fixture_site).page
    open_module(page, fixture_site)
    choose_by_keyboard(page, 0)  # 13. u?
    page.reload()
    page.locator(".ck-conv__chat").wait_for()
    log = page.get_by_role("log").inner_text()
    assert "You, as the officer" in log and "13. u?" in log and "21. that ok?" in log
    assert page.locator(".ck-conv__prompt").inner_text() == "Step 2: choose your reply."
    assert page.evaluate("document.activeElement === document.body")  # a reload does not move focus into the chat
    choose_by_keyboard(page, 0)  # ok. what games do u play
    end = page.locator(".ck-conv__end")
    assert "Ending: The case goes ahead" in end.inner_text()
    assert end.locator("ol > li").all_inner_texts() == [
        "Step 1: you replied “13. u?”. Within the line.",
        "Step 2: you replied “ok. what games do u play”. Within the line."]
    assert "You have reached 1 of the 3 endings." in end.inner_text()
    page.reload()
    assert "Ending: The case goes ahead" in page.locator(".ck-conv__end").inner_text()  # an ending is kept too


def test_try_another_path_starts_again_and_counts_the_endings_reached(fixture_site, open_site):
    page = open_site(fixture_site).page
    open_module(page, fixture_site)
    choose_by_keyboard(page, 1)  # crosses the line: the prosecution is stayed
    assert "Ending: The prosecution is stayed" in page.locator(".ck-conv__end").inner_text()
    tab_to(page, ".ck-conv__end button")
    assert page.evaluate("document.activeElement.textContent") == "Try another path"
    page.keyboard.press("Enter")
    log = page.get_by_role("log").inner_text()
    assert "hi how old r u" in log and "You, as the officer" not in log  # back to the first step's messages
    assert page.locator(".ck-conv__end").is_hidden()
    assert page.evaluate(f"document.activeElement.matches('{REPLIES}')")
    choose_by_keyboard(page, 0)
    choose_by_keyboard(page, 1)
    assert "You have reached 2 of the 3 endings." in page.locator(".ck-conv__end").inner_text()


def test_without_javascript_the_conversation_is_a_numbered_exercise(browser, fixture_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(fixture_site + MODULE)
        exercise = page.locator(".ck-conv__steps")
        assert exercise.is_visible()
        text = exercise.inner_text()
        assert "Step 1" in text and "“13. u?”: go to step 2." in text and "The prosecution is stayed" in text
        assert "You raised the topic" not in text and "Within the line" not in text
        exercise.get_by_role("link", name="step 2").first.click()
        assert page.url.endswith("#ck-legal-line-an-evening-online-step-2")
    finally:
        context.close()


def test_conversation_and_draft_scripts_load_only_where_they_are_used(fixture_site, open_site):
    session = open_site(fixture_site)
    page = session.page
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url.rsplit("/", 1)[-1]))
    for path in ("", "recording/", "assessment/"):
        page.goto(fixture_site + path)
        page.wait_for_load_state("networkidle")
    assert not {"conversation.js", "conversation.css", "draft.js"} & set(loaded)
    page.goto(fixture_site + MODULE)
    page.wait_for_load_state("networkidle")
    assert {"conversation.js", "conversation.css", "draft.js"} <= set(loaded)
    assert session.outside == []


def test_the_conversation_plays_when_the_site_is_opened_as_files(browser, tmp_path):
    site = build(GOOD, tmp_path, extra_config="use_directory_urls: false\n")
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(Path(site, "legal-line", "index.html").as_uri())
        page.get_by_role("button", name=re.compile("I have read the note")).click()
        page.get_by_role("button", name="13. u?").click()
        assert "Feedback on your reply: Within the line." in page.get_by_role("log").inner_text()
        assert errors == []
    finally:
        context.close()


def draft(page):
    return page.locator("fieldset.ck-draft")


def test_a_draft_is_written_revealed_and_ticked_and_kept_in_this_browser_only(fixture_site, open_site):
    page = open_site(fixture_site).page
    open_module(page, fixture_site)
    box = draft(page)
    assert box.locator("[data-ck-answer]").is_hidden() and "leaves the proposal" not in box.inner_text()
    assert not violations(page)
    text = page.get_by_label("Your draft")
    text.fill("lol where")
    tab_to(page, "fieldset.ck-draft [data-ck-show]")
    page.keyboard.press("Enter")
    answer = box.locator("[data-ck-answer]")
    assert page.evaluate("document.activeElement.hasAttribute('data-ck-answer')")
    assert "leaves the proposal of a place to him" in answer.inner_text()
    assert "must be his proposal" in answer.inner_text()  # the explanation
    assert box.get_by_role("button", name="Show the model answer").is_hidden()
    box.get_by_label("Stays in the persona's voice.").check()
    assert not violations(page)
    page.reload()
    box = draft(page)
    box.locator("[data-ck-answer]").wait_for()
    assert page.get_by_label("Your draft").input_value() == "lol where"
    assert box.get_by_label("Stays in the persona's voice.").is_checked()
    assert not box.get_by_label("Does not propose a time or place.").is_checked()
    stored = page.evaluate("Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])")
    progress = [value for key, value in stored if not key.endswith(":drafts")]
    drafts = [value for key, value in stored if key.endswith(":drafts")]
    assert len(drafts) == 1 and "lol where" in drafts[0]
    assert not any("lol where" in value for value in progress)  # never in the progress an LMS would receive


def test_drafts_written_in_two_tabs_are_both_kept(sample_site, open_site):
    """Each exercise keeps its own draft: writing one in a tab no longer writes over a draft written meanwhile in
    another tab (each tab once saved every draft as it had read them when it opened)."""
    first = open_site(sample_site).page
    for module in ("persona-and-records/", "evidence/"):  # content notes read first: no progress saved after
        first.goto(sample_site + module)
        first.get_by_role("button", name=re.compile("I have read the note")).click()
    second = first.context.new_page()
    try:
        second.goto(sample_site + "persona-and-records/")
        second.locator("#ck-persona-and-records-decision-entry textarea").fill("Decision: stop, and why.")
        first.locator("#ck-evidence-draft-gap-note textarea").fill("Gap: 21:40 to 21:55, battery.")
        second.reload()
        assert second.locator("#ck-persona-and-records-decision-entry textarea").input_value() == "Decision: stop, and why."
        assert first.locator("#ck-evidence-draft-gap-note textarea").input_value() == "Gap: 21:40 to 21:55, battery."
    finally:
        second.close()

