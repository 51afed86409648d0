"""An unknown id (a typo) is answered with the nearest known one, as an unknown key is."""

from __future__ import annotations

import pytest

from coursekit.check import check_course
from coursekit.diagnostics import did_you_mean

# (file, text as written, text with a typo, the message expected)
TYPOS = [
    ("modules/legal-line.yml", "objective: remedies", "objective: remedy",
     "no objective `remedy` in this module; did you mean `remedies`? "
     "(objectives here: remedies, unexceptional-opportunity)"),
    ("modules/legal-line.yml", "scenario: first-contact", "scenario: first-contct",
     "no scenario or conversation section `first-contct` in this module; did you mean `first-contact`? (such sections here: an-evening-online, first-contact)"),
    ("modules/legal-line.yml", "references: [looseley-2001, pace-1984-s78]", "references: [looseley-2001, pace-1984-s87]",
     "no reference `pace-1984-s87` in course/references.yml; did you mean `pace-1984-s78`?"),
    ("modules/legal-line.yml", "[R v Looseley](ref:looseley-2001)", "[R v Looseley](ref:loosely-2001)",
     "link to unknown reference `ref:loosely-2001`; did you mean `ref:looseley-2001`?"),
    ("modules/recording.yml", "(module:legal-line)", "(module:legal-lines)",
     "link to unknown module `module:legal-lines`; did you mean `module:legal-line`?"),
    ("modules/legal-line.yml", "(module:recording#capture)", "(module:recording#captur)",
     "link to unknown section `captur` of module `recording`; did you mean `module:recording#capture`?"),
    ("course/course.yml", "    - legal-line/who-raised-it", "    - legal-line/who-raised",
     "module `legal-line` has no question `who-raised`; did you mean `legal-line/who-raised-it`?"),
    ("course/course.yml", "    - recording/both-sides", "    - recordin/both-sides",
     "no module `recordin` for `recordin/both-sides`; did you mean `recording/both-sides`?"),
]


@pytest.mark.parametrize("relpath,right,typo,message", TYPOS, ids=[t[2] for t in TYPOS])
def test_a_typo_in_an_id_gets_the_nearest_known_id(good_course, relpath, right, typo, message):
    path = good_course / relpath
    text = path.read_text(encoding="utf-8")
    assert right in text
    path.write_text(text.replace(right, typo, 1), encoding="utf-8")
    messages = [d.message for d in check_course(good_course).errors]
    assert message in messages, messages


def test_a_listed_module_whose_file_has_another_name_gets_it(good_course):
    (good_course / "modules" / "recording.yml").rename(good_course / "modules" / "recordings.yml")
    messages = [d.message for d in check_course(good_course).diagnostics]
    assert "module `recording` is listed but modules/recording.yml does not exist; did you mean `recordings`?" in messages


def test_nothing_is_suggested_when_nothing_is_close():
    assert did_you_mean("evidence", ["welfare", "entrapment"]) == ""
    assert did_you_mean("evidance", ["welfare", "evidence"]) == "; did you mean `evidence`?"
    assert did_you_mean("loosely", ["looseley-2001"], "ref:{}") == "; did you mean `ref:looseley-2001`?"


@pytest.mark.parametrize("body,expected", [
    ("See `[x](module:nowhere)`, an example in code.", []),  # the file holds a broken link: the walk looks, finds none
    ("Plain words.\n    # a YAML comment, not text: [x](module:nowhere)", []),
    ('"See [x](module:nowher\\x65)."', [17]),  # a link written with an escape is still checked
    ('"Escaped \\x01 character."', [17]),
    ("See [x](module:nowhere).", [18]),
], ids=["code", "comment-like", "escaped-link", "escaped-control", "plain"])
def test_texts_are_checked_however_the_file_writes_them(good_course, body, expected):
    """The checker looks for links and control characters in a file's text first, then walks the values that may hold them."""
    path = good_course / "modules" / "recording.yml"
    text = path.read_text(encoding="utf-8")
    old = "    body: |\n      Capture both sides; see [the legal line](module:legal-line).\n"
    assert old in text
    new = f"    body: {body}\n" if body.startswith('"') else f"    body: |\n      {body}\n"
    path.write_text(text.replace(old, new), encoding="utf-8")
    found = [(d.line, d.column) for d in check_course(good_course).errors]
    assert [line for line, _ in found] == expected, found


def test_an_objective_named_only_by_a_drafting_exercise_is_not_assessed(good_course):
    """Learners tick a draft's checklist themselves and the final assessment never asks it: it cannot stand in
    for a marked question."""
    import shutil

    from conftest import FIXTURES

    shutil.copy(FIXTURES / "bad" / "modules" / "objective-only-drafted.yml", good_course / "modules")
    course_yml = good_course / "course" / "course.yml"
    course_yml.write_text(course_yml.read_text().replace("  - recording\n", "  - recording\n  - objective-only-drafted\n", 1))
    found = [d for d in check_course(good_course).errors if d.code.value == "objective.unassessed"]
    assert [d.message for d in found] == [
        "objective `write-note` is assessed only by a drafting exercise, which learners mark themselves and the "
        "final assessment never asks; add a marked question (single, multiple or true_false) with "
        "`objective: write-note`"]

    module = good_course / "modules" / "objective-only-drafted.yml"
    module.write_text(module.read_text().replace("    objective: write-note\n    type: draft", "    objective: spot-it\n    type: draft"))
    assert [d.message for d in check_course(good_course).errors if d.code.value == "objective.unassessed"] == [
        "objective `write-note` is not assessed by any question; add a marked question (single, multiple or "
        "true_false) with `objective: write-note`"]


def test_a_short_right_answer_may_recur_in_the_bank():
    """"The subject." answers a practice question and a bank question of the banks fixture alike: short answers
    are bound to recur, and only a statement repeated whole (five words or more) is a cue."""
    from conftest import FIXTURES

    course = check_course(FIXTURES / "banks").course
    practice = {c.text for m in course.modules for q in m.questions for c in q.choices or () if c.correct}
    bank = {c.text for m in course.modules for q in m.assessment_bank for c in q.choices or () if c.correct}
    assert "The subject." in practice & bank
    assert not [d for d in check_course(FIXTURES / "banks").warnings if d.code.value == "question.answer-repeated"]
