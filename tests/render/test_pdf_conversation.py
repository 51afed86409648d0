"""Conversations and drafting exercises in the PDFs, read back with pypdf, and the branch diagram."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess

import pytest
from pypdf import PdfReader

from coursekit.check import check_course
from coursekit.model import Conversation
from coursekit.render import diagram
from coursekit.render.diagram import conversation_dot, course_diagrams, describe
from coursekit.render.pdf import render_pdf

from conftest import GOOD, TODAY, pdf_texts

ON = dt.date.fromisoformat(TODAY)
VERDICTS = ("Within the line", "Risky", "Crosses the line")
DRAFT_SECRETS = ("leaves the proposal of a place to him", "Does not propose a time or place")


def _conversation():
    course = check_course(GOOD).course
    return next(s for s in course.module("legal-line").sections if s.conversation).conversation


def _flat(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(pdf_texts(reader.stream.getvalue())))


def _figures(reader: PdfReader) -> list[str]:
    """The alternative text of every figure in the PDF's structure tree (what a screen reader announces)."""
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        if node.get("/K") is not None:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def require_dot() -> None:
    """Graphviz draws the diagrams: CI installs it (.ci/run); elsewhere its tests are skipped without it."""
    if diagram.dot_available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Graphviz (dot) is missing: the diagram tests must run in CI")
    pytest.skip("Graphviz (dot) is missing")


@pytest.fixture(scope="module")
def course():
    return check_course(GOOD).course


@pytest.fixture(scope="module")
def learner(course):
    return PdfReader(io.BytesIO(render_pdf(course, "learner", ON)))


@pytest.fixture(scope="module")
def reviewer(course):
    require_dot()
    diagrams, problem = course_diagrams(course)
    assert problem is None and list(diagrams) == ["legal-line/an-evening-online"]
    return PdfReader(io.BytesIO(render_pdf(course, "reviewer", ON, diagrams=diagrams)))


def test_learner_edition_is_a_paper_exercise_that_reveals_feedback_only_in_the_note_a_reply_sends_to(learner):
    text = _flat(learner)
    assert "Step 1 " in text and "If you reply “13. u?”, turn to note 1" in text
    notes = text.index("Notes on your replies")
    before = text[:notes]
    for step in _conversation().steps:
        for reply in step.replies or ():
            assert text.count(reply.feedback[:40]) == 1 and text.index(reply.feedback[:40]) > notes
    # An ending is where the learner arrives: its outcome and debrief are shown there, and nothing else is.
    before = re.sub(r"The end of this path: [^()]+\((Within the line|Risky|Crosses the line)\)\.", "", before)
    assert not [v for v in VERDICTS if v in before]
    assert "Note 1. You replied “13. u?”. Within the line." in text and "Now go to step 2" in text
    assert "The judge finds the officer instigated" in text  # the debrief at its ending
    assert "Feedback the learner reads" not in text and "Diagram" not in text
    assert not [alt for alt in _figures(learner) if "Diagram of the branches" in alt]


def test_learner_edition_gives_a_draft_its_prompt_and_room_to_write_and_no_answer(learner):
    text = _flat(learner)
    assert 'The subject writes "wanna meet up?". Write the persona\'s reply.' in text
    assert "Drafting exercise: write your answer." in text
    for secret in (*DRAFT_SECRETS, "Model answer", "Any meeting must be his proposal"):
        assert secret not in text


def test_reviewer_edition_has_every_reply_verdict_feedback_and_ending(reviewer):
    text = _flat(reviewer)
    assert "Feedback the learner reads" in text
    for step in _conversation().steps:
        for reply in step.replies or ():
            assert reply.feedback[:40] in text
        if step.ending:
            assert step.ending.title in text and step.ending.debrief[:40] in text
    assert "Step 3: ending (end-stayed)" in text and "✗ Crosses the line" in text and "! Risky" in text


def test_reviewer_edition_draws_the_branches_with_alternative_text_in_words(reviewer):
    alts = [alt for alt in _figures(reviewer) if alt.startswith("Diagram of the branches")]
    assert len(alts) == 1
    assert "“An evening online”: 5 steps, 3 of them endings" in alts[0]
    assert "From step 1, reply A (within the line) leads to step 2; reply B (crosses the line) leads to step 3." in alts[0]
    assert "Step 3 is an ending, “The prosecution is stayed” (crosses the line)." in alts[0]
    text = _flat(reviewer)
    assert "✓ and a solid line for a reply within the line, ! and a dashed line for a risky one" in text


def test_reviewer_edition_gives_a_draft_its_model_answer_and_checklist(reviewer):
    text = _flat(reviewer)
    for secret in (*DRAFT_SECRETS, "Model answer", "self-assessed by the learner against the model answer"):
        assert secret in text


def test_without_graphviz_the_pdf_says_so_and_the_command_warns(good_course, run, tmp_path, monkeypatch):
    monkeypatch.setattr(diagram.shutil, "which", lambda name: None)
    out_pdf = tmp_path / "review.pdf"
    code, out, err = run("pdf", "--edition", "reviewer", "-q", "-o", str(out_pdf), str(good_course))
    assert code == 0 and "Traceback" not in out + err
    assert "warning: the reviewer PDF shows no diagram of the conversations' branches: Graphviz is not installed" in out
    text = _flat(PdfReader(out_pdf))
    assert "Diagram not drawn: Graphviz is not installed (the dot command was not found)." in text
    assert "The steps below give every branch in words" in text


def test_graphviz_that_fails_is_not_said_to_be_missing(good_course, run, tmp_path, monkeypatch):
    def too_slow(*_args, **_kwargs):
        raise subprocess.TimeoutExpired("dot", diagram.DOT_TIMEOUT)

    monkeypatch.setattr(diagram.subprocess, "run", too_slow)
    code, out, _ = run("pdf", "--edition", "reviewer", "-q", "-o", str(tmp_path / "review.pdf"), str(good_course))
    assert code == 0
    assert "Graphviz did not finish (TimeoutExpired)" in out and "Install Graphviz" not in out


def test_the_learner_edition_needs_no_graphviz(good_course, run, tmp_path, monkeypatch):
    monkeypatch.setattr(diagram.shutil, "which", lambda name: None)
    code, out, _ = run("pdf", "-q", "-o", str(tmp_path / "handout.pdf"), str(good_course))
    assert code == 0 and "warning" not in out


def test_dot_source_shows_each_verdict_by_style_label_and_colour_and_escapes_trainer_text():
    conv = Conversation.model_validate({"start": "a", "steps": [
        {"id": "a", "replies": [
            {"text": 'say "hi" \\ bye', "verdict": "within", "feedback": "F.", "next": "end"},
            {"text": "maybe", "verdict": "risky", "feedback": "F.", "next": "end"},
            {"text": "meet?", "verdict": "crosses", "feedback": "F.", "next": "end"}]},
        {"id": "end", "ending": {"title": 'Over "here"', "verdict": "crosses", "debrief": "D."}}]})
    require_dot()
    dot = conversation_dot(conv, 'A "title" \\')
    assert dot.startswith('digraph "A \\"title\\" \\\\" {')
    edges = [line for line in dot.splitlines() if "->" in line]
    assert ['label="A ✓"' in edges[0], 'label="B !"' in edges[1], 'label="C ✗"' in edges[2]] == [True] * 3
    assert ["style=solid" in edges[0], "style=dashed" in edges[1], "style=dotted" in edges[2]] == [True] * 3
    assert len({e.split('color="')[1][:7] for e in edges}) == 3  # and a colour each
    assert 'Over \\"here\\"' in dot and "peripheries=2" in dot
    svg = diagram.render_svg(dot)
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg and "C ✗".encode() in svg
    assert b"(crosses the line)" in svg
    assert describe(conv, "T").endswith("Step 2 is an ending, “Over \"here\"” (crosses the line).")


def test_a_failing_graphviz_is_reported_in_words(monkeypatch):
    monkeypatch.setattr(diagram.shutil, "which", lambda name: "/bin/false")
    with pytest.raises(diagram.DiagramError, match="Graphviz failed"):
        diagram.render_svg("digraph { a -> b }")
