"""Branching conversations and drafting exercises: the graph helpers, and the rules beyond the bad-input corpus."""

from __future__ import annotations

from coursekit import conversation as paths
from coursekit.check import check_course
from coursekit.diagnostics import Code
from coursekit.model import Conversation

from conftest import GOOD


def conversation(steps: dict[str, list[str] | str], start: str = "a") -> Conversation:
    """A conversation from {step id: [next of each reply]} or {step id: "end"}."""
    made = []
    for step_id, shape in steps.items():
        if shape == "end":
            made.append({"id": step_id, "ending": {"title": f"End {step_id}", "verdict": "within", "debrief": "D."}})
        else:
            made.append({"id": step_id, "replies": [{"text": f"r{i}", "verdict": "risky", "feedback": "F.", "next": n}
                                                    for i, n in enumerate(shape)]})
    return Conversation.model_validate({"start": start, "steps": made})


def test_steps_are_numbered_breadth_first_from_the_start_whatever_the_file_order():
    conv = conversation({"z-end": "end", "b": ["z-end", "a"], "a": ["c", "b"], "c": ["z-end", "c"]})
    assert [s.id for s in paths.reading_order(conv)] == ["a", "c", "b", "z-end"]
    assert paths.numbers(conv) == {"a": 1, "c": 2, "b": 3, "z-end": 4}


def test_reachable_and_can_end_follow_loops():
    conv = conversation({"a": ["b", "a"], "b": ["b", "b"], "lost": ["end"], "end": "end"})
    assert paths.reachable(conv) == {"a", "b"}
    assert paths.can_end(conv) == {"lost", "end"}  # `a` and `b` only ever go round


def test_can_end_looks_at_each_step_once_however_long_the_conversation(monkeypatch):
    """Backwards from the endings: a chain of steps (each step's replies asked for once), not a sweep of every
    step each time one joins, whose work grew with the square of the length (minutes for a hostile file)."""
    length = 3000
    chain = {f"s{i}": [f"s{i + 1}", f"s{i + 1}"] for i in range(length)} | {f"s{length}": "end"}
    steps = conversation(dict(list(chain.items())[:3])).steps[:1]  # a valid step to copy the shape of
    made = [steps[0].model_copy(update={"id": step_id, "replies": [r.model_copy(update={"next": n}) for r, n in
                                                                    zip(steps[0].replies, shape)]})
            for step_id, shape in chain.items() if shape != "end"]
    end = conversation({"a": "end"}).steps[0].model_copy(update={"id": f"s{length}"})
    long = Conversation.model_construct(start="s0", steps=[*made, end], setting=None)  # past the limit of a file
    asked = []
    real = paths.targets
    monkeypatch.setattr(paths, "targets", lambda step: asked.append(step.id) or real(step))
    assert paths.can_end(long) == set(chain)
    assert len(asked) == len(made) + 1


def test_a_conversation_of_more_steps_than_allowed_is_refused_where_it_is(good_course):
    """A file from elsewhere may hold thousands of steps: the checker says so at the list, before any work."""
    import yaml

    path = good_course / "modules" / "legal-line.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    conv = next(s["conversation"] for s in data["sections"] if "conversation" in s)
    reply = {"text": "ok", "verdict": "within", "feedback": "Fine.", "next": "end"}
    conv["steps"] = [{"id": f"s{i}", "replies": [dict(reply, next=f"s{i + 1}"), dict(reply, next=f"s{i + 1}")]}
                     for i in range(120)] + [{"id": "s120", "ending": {"title": "End", "verdict": "within",
                                                                       "debrief": "Done."}}]
    conv["start"] = "s0"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = [d for d in check_course(good_course).errors if d.path == "modules/legal-line.yml"]
    assert [d.message for d in found] == ["`steps` has 121 items; at most 100 are allowed"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[found[0].line - 2].strip() == "steps:" and lines[found[0].line - 1].strip() == "- id: s0"


def test_unreachable_steps_are_still_numbered_last():
    conv = conversation({"a": ["end", "end"], "end": "end", "lost": ["end", "a"]})
    assert [s.id for s in paths.reading_order(conv)] == ["a", "end", "lost"]


def _edit(course, old: str, new: str, module: str = "legal-line") -> None:
    path = course / "modules" / f"{module}.yml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_the_fixture_conversation_and_draft_pass_and_a_loop_that_can_end_is_allowed(good_course):
    assert check_course(GOOD).diagnostics == []
    _edit(good_course, "              next: end-challenged\n",
          "              next: end-challenged\n            - text: wait what?\n              verdict: within\n"
          "              feedback: Asking again is fine.\n              next: his-answer\n")
    assert check_course(good_course).diagnostics == []


def test_a_mistyped_next_is_one_error_not_a_cascade_of_unreachable_steps(good_course):
    _edit(good_course, "next: end-challenged", "next: end-challengd")
    found = check_course(good_course).diagnostics
    assert [d.code for d in found] == [Code.CONVERSATION_STEP_UNKNOWN]
    assert "did you mean `end-challenged`?" in found[0].message


def test_a_step_that_only_goes_round_and_the_steps_it_cut_off_are_each_reported(good_course):
    _edit(good_course, "              next: end-goes-ahead", "              next: his-answer")
    _edit(good_course, "              next: end-challenged", "              next: his-answer")
    found = check_course(good_course).diagnostics
    assert [(d.code, d.message.split("`")[1]) for d in found] == [
        (Code.CONVERSATION_NO_ENDING, "his-answer"), (Code.CONVERSATION_UNREACHABLE, "end-goes-ahead"),
        (Code.CONVERSATION_UNREACHABLE, "end-challenged")]


def test_a_section_with_body_and_conversation_is_one_clear_error(good_course):
    _edit(good_course, "    title: An evening online\n", "    title: An evening online\n    body: Text.\n")
    found = check_course(good_course).diagnostics
    assert [d.code for d in found] == [Code.SECTION_KIND]
    assert "exactly one of `body`, `scenario` or `conversation` and has both `body` and `conversation`" in found[0].message


def test_replies_of_one_step_must_differ(good_course):
    _edit(good_course, "            - text: do u have a gf?", "            - text: ok. what games do u play")
    assert [d.code for d in check_course(good_course).diagnostics] == [Code.CHOICE_DUPLICATE]


def test_a_question_may_name_a_conversation_but_not_a_prose_section(good_course):
    _edit(good_course, "    scenario: an-evening-online", "    scenario: the-test")
    found = check_course(good_course).diagnostics
    assert [d.code for d in found] == [Code.SCENARIO_UNKNOWN]
    assert "an-evening-online" in found[0].message and "first-contact" in found[0].message


def test_draft_shapes(good_course):
    _edit(good_course, '    model_answer: |\n      "idk. where?" leaves the proposal of a place to him.\n', "")
    _edit(good_course, "      - Does not propose a time or place.\n      - Stays in the persona's voice.\n", "      []\n")
    _edit(good_course, "    answer: false\n", "    answer: false\n    model_answer: Not for this type.\n")
    found = check_course(good_course).diagnostics
    assert [d.code for d in found] == [Code.QUESTION_DRAFT] * 3
    messages = " | ".join(d.message for d in found)
    assert "`model_answer` is for drafting exercises" in messages
    assert "draft `draft-reply` needs a `model_answer`" in messages
    assert "draft `draft-reply` needs a `checklist` of at least one point" in messages


def test_a_draft_is_never_in_the_final_assessment(good_course):
    course = check_course(GOOD).course
    assert "draft-reply" in [q.id for q in course.module("legal-line").questions]
    settings = good_course / "course/course.yml"
    settings.write_text(settings.read_text().replace(
        "  questions:\n    - legal-line/who-raised-it\n    - legal-line/stay-or-exclude\n    - recording/both-sides\n",
        "  questions: all\n"))
    assert [q.id for _, q in check_course(good_course).course.assessment_questions()] == [
        "who-raised-it", "stay-or-exclude", "predisposition", "both-sides"]


def test_a_draft_in_the_bank_is_refused(good_course):
    _edit(good_course, "  - id: draft-reply\n", "assessment_bank:\n  - id: draft-reply\n")
    found = check_course(good_course).diagnostics
    assert [d.code for d in found] == [Code.QUESTION_DRAFT]
    assert "is in `assessment_bank`, but drafts are never scored" in found[0].message
