"""The learner site in real Chromium: formative questions, the content note, the assessment, storage, offline."""

from __future__ import annotations

import re

import pytest
from browser_support import GOOD, right_answers
from browser_support import browser, fixture_site, instant_site, open_site, tab_to  # noqa: F401 - fixtures

MODULE = "legal-line/"


def acknowledge(page) -> None:
    page.get_by_role("button", name=re.compile("I have read the note")).click()


def question(page, prompt: str):
    return page.locator("fieldset.ck-q", has=page.locator("legend", has_text=prompt))


def test_wrong_then_right_answer_gives_distinct_feedback(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    q = question(page, "Who raised the topic first?")
    status = q.locator("[role=status]")
    assert status.inner_text().strip() == ""
    q.get_by_label("The officer.").check()
    q.get_by_role("button", name="Check answer").click()
    wrong = status.inner_text()
    assert "Not quite" in wrong and "Look again at the order of messages." in wrong
    assert "The transcript shows the subject raised it" not in wrong  # the explanation waits for a right answer
    q.get_by_label("The subject.").check()
    q.get_by_role("button", name="Check answer").click()
    right = status.inner_text()
    assert right.startswith("✓ Correct.") or right.startswith("Correct.")
    assert "Yes. The subject wrote first." in right
    assert "The transcript shows the subject raised it" in right
    assert right != wrong


def test_multiple_and_true_false_questions_are_scored(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    multiple = question(page, "Which remedies can follow entrapment?")
    multiple.get_by_label("A stay of the prosecution.").check()
    multiple.get_by_role("button", name="Check answer").click()
    assert "there is more to find" in multiple.locator("[role=status]").inner_text()
    multiple.get_by_label("Exclusion of evidence under s.78.").check()
    multiple.get_by_role("button", name="Check answer").click()
    assert "Correct." in multiple.locator("[role=status]").inner_text()
    true_false = question(page, "predisposition decides the question")
    assert true_false.get_by_role("radio").count() == 2
    true_false.get_by_role("radio", name="False", exact=True).check()
    true_false.get_by_role("button", name="Check answer").click()
    assert "Correct." in true_false.locator("[role=status]").inner_text()


def test_two_wrong_answers_reveal_the_right_one(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    q = question(page, "Who raised the topic first?")
    q.get_by_label("The officer.").check()
    for _ in range(2):
        q.get_by_role("button", name="Check answer").click()
    text = q.locator("[role=status]").inner_text()
    assert "The right answer: The subject." in text and "The transcript shows" in text


def test_reload_keeps_answers_and_acknowledgement(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    q = question(page, "Who raised the topic first?")
    q.get_by_label("The subject.").check()
    q.get_by_role("button", name="Check answer").click()
    question(page, "Which remedies").get_by_label("A stay of the prosecution.").check()  # chosen, not checked
    page.reload()
    q = question(page, "Who raised the topic first?")
    assert q.is_visible()  # the note stays acknowledged
    assert q.get_by_label("The subject.").is_checked()
    assert "Correct." in q.locator("[role=status]").inner_text()
    assert question(page, "Which remedies").get_by_label("A stay of the prosecution.").is_checked()
    page.goto(fixture_site)
    progress = page.locator(".ck-module [data-ck-progress=legal-line]")
    assert progress.inner_text() == "In progress: 1 of 3 questions answered correctly"
    assert page.locator(".ck-module [data-ck-progress=recording]").inner_text() == "Not started"


def test_content_note_hides_the_module_until_acknowledged(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    note = page.locator("[data-ck-gate]")
    assert "invented conversations" in note.inner_text()
    assert page.get_by_role("heading", name="What you will be able to do").is_visible()  # objectives come first
    for hidden in ("#the-test", "#first-contact", "fieldset.ck-q >> nth=0"):
        assert page.locator(hidden).is_hidden()
    acknowledge(page)
    assert page.locator("#first-contact").is_visible()
    assert page.evaluate("document.activeElement.id") == "the-test"  # focus moves to the content
    chat = page.locator("figure.ck-chat").first
    assert "Subject: hi how old r u" in re.sub(r"\s+", " ", chat.inner_text().replace("\n", " ")).replace(" :", ":")
    assert page.locator("[data-ck-ack]").is_hidden()


def test_a_module_without_a_note_shows_its_content(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + "recording/")
    assert page.locator("#capture").is_visible()
    assert page.locator("[data-ck-gate]").count() == 0


def test_answers_are_not_visible_or_read_before_answering(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    text = page.locator("article").inner_text()
    snapshot = page.locator("article").aria_snapshot()
    for secret in ("Yes. The subject wrote first.", "The transcript shows the subject raised it",
                   "Predisposition is irrelevant"):
        assert secret not in text and secret not in snapshot
    assert "SECRET-TRAINER-NOTE" not in page.content()


def test_title_with_markup_characters_shows_literally(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    assert page.locator("h1").inner_text() == "The legal line: <entrapment> & opportunity"
    assert page.locator("entrapment").count() == 0
    assert page.title().startswith("The legal line: <entrapment> & opportunity")


def answer_assessment(page, right: bool) -> None:
    page.get_by_label("Your name").fill("PC Test <Officer> & Co")
    question(page, "Who raised the topic first?").get_by_label("The subject." if right else "The officer.").check()
    remedies = question(page, "Which remedies")
    remedies.get_by_label("A stay of the prosecution.").check()
    remedies.get_by_label("Exclusion of evidence under s.78.").check()
    question(page, "Only the subject's messages").get_by_role("radio", name="False", exact=True).check()


def test_assessment_pass_gives_a_completion_record(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + "assessment/")
    assert page.locator("[data-ck-result]").is_hidden()
    answer_assessment(page, right=True)
    page.get_by_role("button", name="Submit assessment").click()
    result = page.locator("[data-ck-result]")
    assert result.is_visible()
    assert "Passed: 100%" in result.inner_text()
    record = page.locator("[data-ck-record]").inner_text()
    for expected in ("PC Test <Officer> & Co", "23 November 2026", "test-course", "1.2.0"):
        assert expected in record or expected == "23 November 2026"
    assert re.search(r"Content fingerprint\s+[0-9a-f]{16}", record)
    assert page.locator("[data-ck-missed]").is_hidden()
    page.reload()
    assert "Passed: 100%" in page.locator("[data-ck-result]").inner_text()  # the result survives a reload
    page.goto(fixture_site)
    assert page.locator("[data-ck-result-summary]").inner_text().startswith("Passed, 100%")


def test_assessment_fail_names_the_missed_objective(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + "assessment/")
    answer_assessment(page, right=False)
    page.get_by_role("button", name="Submit assessment").click()
    result = page.locator("[data-ck-result]").inner_text()
    assert "Not passed: 66%" in result and "pass mark 80%" in result
    missed = page.locator("[data-ck-missed]").inner_text()
    assert "Apply the unexceptional-opportunity test." in missed
    assert "Distinguish a stay" not in missed
    # one result, not a verdict per question: nothing says which answer was wrong
    assert question(page, "Who raised the topic first?").locator("[role=status]").count() == 0
    assert "Correct" not in page.locator("[data-ck-questions]").inner_text()


def test_listed_questions_keep_their_order_and_only_choices_move(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + "assessment/")
    page.locator("[data-ck-assessment][data-ck-ready]").wait_for(state="attached")
    shown = page.locator("fieldset[data-ck-q]:visible").evaluate_all("(a) => a.map((fs) => fs.getAttribute('data-ck-q'))")
    assert shown == ["legal-line/who-raised-it", "legal-line/stay-or-exclude", "recording/both-sides"]  # as listed
    assert page.locator("fieldset[data-ck-q]:visible .ck-q__number").all_inner_texts() == [
        "Question 1 of 3", "Question 2 of 3", "Question 3 of 3"]


def test_assessment_warns_about_unanswered_questions_first(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + "assessment/")
    question(page, "Who raised the topic first?").get_by_label("The subject.").check()
    page.get_by_role("button", name="Submit assessment").click()
    warning = page.locator("[data-ck-warning]")
    assert "You have not answered questions 2, 3" in warning.inner_text()
    assert "You have not answered questions 2, 3" in page.get_by_role("status").inner_text()  # announced
    assert page.locator("[data-ck-result]").is_hidden()
    page.get_by_role("button", name="Submit assessment").click()
    assert "Not passed: 33%" in page.locator("[data-ck-result]").inner_text()
    page.get_by_role("button", name="Start again").click()
    page.get_by_role("dialog", name="Start the assessment again?").get_by_role("button", name="Start again").click()
    assert page.locator("[data-ck-result]").is_hidden()
    assert not question(page, "Who raised the topic first?").get_by_label("The subject.").is_checked()
    assert page.locator("[data-ck-attempt]").inner_text() == "Attempt 2"


def test_keyboard_alone_completes_module_quiz_and_assessment(fixture_site, open_site):
    page = open_site(fixture_site).page
    page.goto(fixture_site + MODULE)
    tab_to(page, "[data-ck-ack]")
    page.keyboard.press("Enter")
    tab_to(page, "#ck-legal-line-who-raised-it-0")
    page.keyboard.press("Space")
    tab_to(page, "#ck-legal-line-who-raised-it .ck-check")
    page.keyboard.press("Enter")
    assert "Correct." in question(page, "Who raised the topic first?").locator("[role=status]").inner_text()

    page.goto(fixture_site + "assessment/")
    tab_to(page, "#ck-name")
    page.keyboard.type("PC Keyboard")
    right = right_answers(GOOD)  # by their values in the page, which writes shuffled choices in its own order
    choose_radio(page, "legal-line/who-raised-it", right["legal-line/who-raised-it"][0])  # the subject
    for k in right["legal-line/stay-or-exclude"]:
        tab_to(page, f"#ck-legal-line-stay-or-exclude-{k}")
        page.keyboard.press("Space")
    choose_radio(page, "recording/both-sides", 1)  # False
    tab_to(page, "[data-ck-submit]")
    page.keyboard.press("Enter")
    assert "Passed: 100%" in page.locator("[data-ck-result]").inner_text()
    assert page.evaluate("document.activeElement.matches('[data-ck-result]')")  # focus moves to the result
    assert "PC Keyboard" in page.locator("[data-ck-record]").inner_text()


def choose_radio(page, ref: str, value: int) -> None:
    """Tab into a radio group and move with the arrow keys to the choice with this value, as a keyboard user does."""
    tab_to(page, f"fieldset[data-ck-q='{ref}'] input")
    for _ in range(8):
        if page.evaluate("document.activeElement.value") == str(value):
            break
        page.keyboard.press("ArrowDown")
    if not page.evaluate("document.activeElement.checked"):
        page.keyboard.press("Space")  # the first radio of a group is focused, not chosen
    assert page.evaluate("document.activeElement.value") == str(value)


@pytest.mark.parametrize("stored", ["{not json", "[]", '{"q": 5, "ack": null, "a": {"s": 3, "r": {"score": "x"}}}',
                                    '{"q": {"legal-line/who-raised-it": {"s": "nope", "c": true}}}'])
def test_corrupt_storage_never_breaks_a_page(fixture_site, open_site, stored):
    session = open_site(fixture_site)
    page = session.page
    page.goto(fixture_site)
    page.evaluate("(v) => { for (const k of ['coursekit:test-course:1.2.0']) localStorage.setItem(k, v); }", stored)
    for path in ("", MODULE, "assessment/"):
        page.goto(fixture_site + path)
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    q = question(page, "Who raised the topic first?")
    q.get_by_label("The subject.").check()
    q.get_by_role("button", name="Check answer").click()
    assert "Correct." in q.locator("[role=status]").inner_text()
    # errors on the page fail the test in open_site's teardown


def test_missing_or_full_storage_never_breaks_a_page(fixture_site, open_site):
    session = open_site(fixture_site, fresh=True)  # a context of its own: the init script stays in it
    session.context.add_init_script("""
        Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }});
    """)
    page = session.page
    page.goto(fixture_site + MODULE)
    acknowledge(page)
    q = question(page, "Who raised the topic first?")
    q.get_by_label("The subject.").check()
    q.get_by_role("button", name="Check answer").click()
    assert "Correct." in q.locator("[role=status]").inner_text()
    # Material's own inline script fails without storage; ours must not.
    assert not [e for e in session.errors if "quiz.js" in e]
    session.errors.clear()
    full = open_site(fixture_site, fresh=True)
    full.context.add_init_script("""
        Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };
    """)
    page = full.page
    page.goto(fixture_site + "assessment/")
    answer_assessment(page, right=True)
    page.get_by_role("button", name="Submit assessment").click()
    assert "Passed: 100%" in page.locator("[data-ck-result]").inner_text()


def test_instant_navigation_runs_the_quiz_on_each_page(instant_site, open_site):
    page = open_site(instant_site).page
    page.goto(instant_site)
    assert page.evaluate("typeof window.document$") == "object"
    page.locator("nav.md-nav--primary a[href$='legal-line/index.html']").first.click()
    page.wait_for_url(re.compile(r"/legal-line/index\.html$"), wait_until="commit")
    acknowledge(page)
    q = question(page, "Who raised the topic first?")
    q.get_by_label("The subject.").check()
    q.get_by_role("button", name="Check answer").click()
    assert "Correct." in q.locator("[role=status]").inner_text()
    page.locator(f"nav.md-nav--primary a.md-nav__link[href='{instant_site}index.html']").first.click()  # made absolute
    page.locator(".ck-module [data-ck-progress=legal-line]").wait_for()
    assert "1 of 3" in page.locator(".ck-module [data-ck-progress=legal-line]").inner_text()
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # no full page load


def test_no_request_leaves_the_site(fixture_site, open_site):
    session = open_site(fixture_site)
    page = session.page
    for path in ("", MODULE, "recording/", "assessment/", "references/", "glossary/"):
        page.goto(fixture_site + path)
        page.wait_for_load_state("networkidle")
    page.goto(fixture_site + "assessment/")
    answer_assessment(page, right=True)
    page.get_by_role("button", name="Submit assessment").click()
    page.locator("input.md-search__input").fill("entrapment")  # the search worker and its index
    page.wait_for_load_state("networkidle")
    assert session.outside == []
