"""The final assessment of a course with question banks, in real Chromium: draws, attempts, marking once.

The bank course asks two questions on each of three objectives per attempt (banks of 3, 2 and 4
questions), allows three attempts and shuffles choices.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import pytest
from browser_support import (BANKS, bank_site, browser, build, open_site, right_answers,  # noqa: F401 - fixtures
                             serve, tab_to, wcag_violations)

STORE = "coursekit:bank-course:2.0.0"
RIGHT = right_answers(BANKS)


def visible_refs(page) -> list[str]:
    page.locator("[data-ck-assessment][data-ck-ready]").wait_for(state="attached")  # assessment.js has run
    return page.locator("[data-ck-questions] fieldset[data-ck-q]:visible").evaluate_all(
        "(all) => all.map((fs) => fs.getAttribute('data-ck-q'))")


def stored(page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem('{STORE}')"))["a"]


def answer(page, wrong: int = 0) -> None:
    """Choose the right answers, except for the first `wrong` questions (which get a wrong one)."""
    page.locator("[data-ck-questions] fieldset[data-ck-q]:visible").evaluate_all(
        """(all, [right, wrong]) => all.forEach((fs, n) => {
             const ref = fs.getAttribute('data-ck-q'), inputs = [...fs.querySelectorAll('input')];
             const want = n < wrong ? [inputs.map((i) => Number(i.value)).find((v) => !right[ref].includes(v))]
                                    : right[ref];
             inputs.forEach((i) => { i.checked = want.includes(Number(i.value)); });
             fs.dispatchEvent(new Event('change', {bubbles: true})); })""", [RIGHT, wrong])


def submit(page) -> str:
    page.get_by_role("button", name="Submit assessment").click()
    return page.locator("[data-ck-result]").inner_text()


def start_again(page) -> None:
    page.get_by_role("button", name="Start again").click()
    page.get_by_role("dialog", name="Start the assessment again?").get_by_role("button", name="Start again").click()


def test_each_attempt_draws_per_objective_and_a_retake_draws_afresh(bank_site, open_site):
    page = open_site(bank_site).page
    page.goto(bank_site + "assessment/")
    first = visible_refs(page)
    assert len(first) == 6
    objectives = Counter(page.locator(f"fieldset[data-ck-q='{ref}']").get_attribute("data-ck-oid") for ref in first)
    assert objectives == {"first-contact/who-raised-it": 2, "first-contact/remedies": 2, "recording/both-sides": 2}
    attempt = stored(page)["t"]
    assert attempt["q"] == first and isinstance(attempt["seed"], int)  # the draw is recorded
    assert all(sorted(attempt["o"][ref]) == list(range(len(attempt["o"][ref]))) for ref in first)
    answer(page, wrong=6)
    submit(page)
    start_again(page)
    second = visible_refs(page)
    assert len(second) == 6 and page.locator("[data-ck-attempt]").inner_text() == "Attempt 2 of 3"
    recording = lambda refs: {r for r in refs if r.startswith("recording/")}  # noqa: E731 - a bank of four
    assert recording(first).isdisjoint(recording(second))
    who = {r for r in RIGHT if r in ("first-contact/bank-private", "first-contact/bank-age-first", "first-contact/bank-order")}
    assert who - set(first) <= set(second)  # the one not asked before is asked now
    assert not any(page.locator(f"fieldset[data-ck-q='{r}'] input:checked").count() for r in second)


@pytest.fixture(scope="module")
def one_per_objective_site(tmp_path_factory):
    """The bank course drawing one question per objective: three attempts can then ask a new question each time
    on the objectives whose bank holds three or more (three and four questions; the third has two)."""
    work = tmp_path_factory.mktemp("one-per-objective")
    source = work / "source"
    shutil.copytree(BANKS, source)
    course_yml = source / "course" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8").replace("draw_per_objective: 2", "draw_per_objective: 1"),
                          encoding="utf-8")
    yield from serve(build(source, work))


def test_a_retake_asks_what_no_earlier_attempt_asked_while_the_bank_has_it(one_per_objective_site, open_site):
    """Seeing which objectives were missed must not let a learner answer the same question again by elimination:
    every retake draws from the questions no attempt has asked, not only the last one (four learners)."""
    page = open_site(one_per_objective_site).page
    for _ in range(4):
        page.goto(one_per_objective_site + "assessment/")
        page.evaluate("localStorage.clear()")
        page.reload()
        asked = [visible_refs(page)]
        for _ in range(2):
            answer(page, wrong=3)
            submit(page)
            start_again(page)
            asked.append(visible_refs(page))
        for objective in ("first-contact/who-raised-it", "recording/both-sides"):  # banks of three and four
            refs = [r for attempt in asked for r in attempt
                    if page.locator(f"fieldset[data-ck-q='{r}']").get_attribute("data-ck-oid") == objective]
            assert len(refs) == 3 and len(set(refs)) == 3, (objective, asked)
        assert set(stored(page)["u"]) == {r for attempt in asked for r in attempt}


def test_a_second_tab_takes_up_what_the_first_marked_and_never_marks_it_again(bank_site, open_site):
    """Two tabs of the assessment: once one has marked the attempt (or used every attempt), the other shows that
    and cannot answer the attempt again, nor count attempts from one again."""
    first = open_site(bank_site).page
    first.goto(bank_site + "assessment/")
    second = first.context.new_page()
    errors = []
    second.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        second.goto(bank_site + "assessment/")
        assert visible_refs(second) == visible_refs(first)
        answer(first, wrong=6)
        assert "Not passed: 0%" in submit(first)
        second.locator("[data-ck-attempt]", has_text="Attempt 1 of 3: marked").wait_for()  # it started again
        assert second.locator("[data-ck-submit]").is_hidden()
        for _ in range(2):
            start_again(first)
            answer(first, wrong=6)
            submit(first)
        second.locator("[data-ck-attempt]", has_text="Attempt 3 of 3: marked").wait_for()
        assert second.locator("[data-ck-retake]").is_hidden()
        answer(second)  # the right answers put in by script, and the hidden button pressed
        second.evaluate("document.querySelector('[data-ck-submit]').click()")
        assert stored(first)["n"] == 3 and stored(first)["r"]["score"] == 0
        assert "You have used all 3 attempts." in second.locator("[data-ck-no-more]").inner_text()
    finally:
        second.close()
    assert not errors


def test_choice_order_is_shuffled_per_attempt_and_kept_on_reload(bank_site, open_site):
    page = open_site(bank_site).page
    orders = set()
    for _ in range(4):  # four learners: the chance that a 3-choice question is never reordered is tiny
        page.context.clear_cookies()
        page.goto(bank_site + "assessment/")
        page.evaluate("localStorage.clear()")
        page.reload()
        ref = next(r for r in visible_refs(page) if page.locator(f"fieldset[data-ck-q='{r}']").get_attribute("data-ck-type") != "true_false")
        labels = page.locator(f"fieldset[data-ck-q='{ref}'] input").evaluate_all("(all) => all.map((i) => i.value)")
        assert labels == [str(v) for v in stored(page)["t"]["o"][ref]]
        page.reload()
        assert page.locator(f"fieldset[data-ck-q='{ref}'] input").evaluate_all("(all) => all.map((i) => i.value)") == labels
        orders.add(tuple(labels))
        tf = [r for r in visible_refs(page) if page.locator(f"fieldset[data-ck-q='{r}']").get_attribute("data-ck-type") == "true_false"]
        for r in tf:  # true/false keeps True before False
            assert page.locator(f"fieldset[data-ck-q='{r}'] label").all_inner_texts() == ["True", "False"]
    assert len(orders) > 1 or any(o != tuple(sorted(o)) for o in orders)


def test_a_marked_attempt_is_closed_even_after_a_reload(bank_site, open_site):
    page = open_site(bank_site).page
    page.goto(bank_site + "assessment/")
    answer(page, wrong=2)
    assert "Not passed: 66%" in submit(page)
    result = stored(page)["r"]
    assert page.locator("[data-ck-submit]").is_hidden()
    assert page.locator("[data-ck-questions] input:visible:enabled").count() == 0
    assert not page.locator("[data-ck-name]").is_editable()  # the record names whom the attempt was marked for
    answer(page)  # even with the right answers put in by script...
    page.evaluate("document.querySelector('[data-ck-submit]').click()")  # ...and the hidden button pressed
    assert stored(page)["r"] == result and "Not passed: 66%" in page.locator("[data-ck-result]").inner_text()
    page.reload()
    assert page.locator("[data-ck-submit]").is_hidden()
    assert page.locator("[data-ck-questions] input:visible:enabled").count() == 0
    assert stored(page)["r"] == result
    assert page.locator("[data-ck-attempt]").inner_text() == "Attempt 1 of 3: marked"


def test_max_attempts_holds_across_reloads_and_a_pass_is_kept(bank_site, open_site):
    page = open_site(bank_site).page
    page.goto(bank_site + "assessment/")
    answer(page)
    assert "Passed: 100%" in submit(page)
    page.get_by_role("button", name="Start again").click()
    dialog = page.get_by_role("dialog", name="Start the assessment again?")
    assert "attempt 2 of 3" in dialog.inner_text() and "your pass on attempt 1 stays on your record" in dialog.inner_text()
    dialog.get_by_role("button", name="Cancel").click()
    assert "Passed: 100%" in page.locator("[data-ck-result]").inner_text()  # nothing was cleared
    start_again(page)
    page.reload()
    answer(page, wrong=6)
    assert "Not passed: 0%" in submit(page)
    assert "Your pass on attempt 1 (100% on" in page.locator("[data-ck-kept]").inner_text()
    start_again(page)
    answer(page, wrong=6)
    submit(page)
    assert page.locator("[data-ck-retake]").is_hidden()
    assert page.locator("[data-ck-no-more]").inner_text() == "You have used all 3 attempts."
    page.reload()
    assert page.locator("[data-ck-attempt]").inner_text() == "Attempt 3 of 3: marked"
    assert page.locator("[data-ck-retake]").is_hidden() and page.locator("[data-ck-submit]").is_hidden()
    assert stored(page)["n"] == 3 and stored(page)["p"]["n"] == 1
    page.goto(bank_site)
    assert page.locator("[data-ck-result-summary]").inner_text().startswith("Passed, 100%")


def test_keyboard_alone_fails_retakes_and_passes(bank_site, open_site):
    page = open_site(bank_site).page
    page.goto(bank_site + "assessment/")
    tab_to(page, "#ck-name")
    page.keyboard.type("PC Keyboard")
    answer_by_keyboard(page, wrong={0, 1})
    tab_to(page, "[data-ck-submit]")
    page.keyboard.press("Enter")
    assert "Not passed: 66%" in page.locator("[data-ck-result]").inner_text()
    assert page.evaluate("document.activeElement.matches('[data-ck-result]')")
    assert page.get_by_role("status").inner_text().startswith("Not passed: 66%, 4 of 6 questions right.")
    assert page.locator("[data-ck-missed]").is_visible()
    tab_to(page, "[data-ck-retake]")
    page.keyboard.press("Enter")
    assert page.get_by_role("dialog", name="Start the assessment again?").is_visible()
    assert page.evaluate("document.activeElement.matches('[data-ck-cancel]')")  # the safe choice first
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.matches('[data-ck-confirm]')")
    page.keyboard.press("Enter")
    assert page.get_by_role("dialog", name="Start the assessment again?").is_hidden()
    assert page.evaluate("document.activeElement.closest('fieldset[data-ck-q]') !== null")
    answer_by_keyboard(page, wrong=set())
    tab_to(page, "[data-ck-submit]")
    page.keyboard.press("Enter")
    result = page.locator("[data-ck-result]").inner_text()
    assert "Passed: 100%" in result
    record = page.locator("[data-ck-record]").inner_text()
    for expected in ("PC Keyboard", "2 of 3", "Questions drawn\n6: ", "Objectives missed\nnone", "bank-course"):
        assert expected in record, expected
    assert re.search(r"Recording evidence\s+[0-9a-f]{16}\s+not approved", record)


def answer_by_keyboard(page, wrong: set[int]) -> None:
    """Answer each drawn question with Tab, arrows and Space: wrongly for the question numbers in `wrong`."""
    for n, ref in enumerate(visible_refs(page)):
        fieldset = page.locator(f"fieldset[data-ck-q='{ref}']")
        values = [int(v) for v in fieldset.locator("input").evaluate_all("(all) => all.map((i) => i.value)")]
        want = [next(v for v in values if v not in RIGHT[ref])] if n in wrong else RIGHT[ref]
        if fieldset.locator("input").first.get_attribute("type") == "checkbox":
            for value in want:
                tab_to(page, f"#{fieldset.get_attribute('id')}-{value}")
                page.keyboard.press("Space")
            continue
        tab_to(page, f"fieldset[data-ck-q='{ref}'] input")
        for _ in range(len(values)):
            if page.evaluate("document.activeElement.value") == str(want[0]):
                break
            page.keyboard.press("ArrowDown")
        if not page.evaluate("document.activeElement.checked"):
            page.keyboard.press("Space")


def test_module_pages_do_not_load_the_assessment_script(bank_site, open_site):
    session = open_site(bank_site)
    page = session.page
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(bank_site + "recording/")
    page.wait_for_load_state("networkidle")
    assert any(u.endswith("/quiz.js") for u in loaded) and not any(u.endswith("/assessment.js") for u in loaded)
    page.goto(bank_site + "assessment/")
    page.wait_for_load_state("networkidle")
    assert any(u.endswith("/assets/course/assessment.js") for u in loaded)
    assert session.outside == []


@pytest.mark.parametrize("state", ["taking", "result", "dialog"])
def test_the_assessment_has_no_wcag_violation(bank_site, open_site, state):
    page = open_site(bank_site).page
    page.goto(bank_site + "assessment/")
    if state != "taking":
        page.get_by_label("Your name").fill("PC Example")
        answer(page, wrong=3)
        submit(page)
    if state == "dialog":
        page.get_by_role("button", name="Start again").click()
    page.wait_for_timeout(400)  # the theme's colour transition on the focused button
    found = wcag_violations(page)
    assert not found, "\n".join(found)
