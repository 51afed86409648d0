"""The learner site of a course with assessment banks and sign-off roles: what reaches which page."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from coursekit.check import check_course
from coursekit.render.site import render_site
from coursekit.render.site_view import answer_hash, assessment_question_view, assessment_salt, correct_choices
from coursekit.render.site_view import PageLinks

from conftest import FIXTURES, approve_modules

BANKS = FIXTURES / "banks"
ROLES = ["Legal adviser", "Training manager"]


def _course(root: Path):
    result = check_course(root)
    assert result.course is not None, [d.format() for d in result.diagnostics]
    return result.course


@pytest.fixture(scope="module")
def course():
    return _course(BANKS)


@pytest.fixture(scope="module")
def pages(course):
    return render_site(course).pages


def _bank(course):
    return [(m, q) for m in course.modules for q in m.assessment_bank]


def test_bank_questions_reach_the_assessment_page_only(course, pages):
    for module, question in _bank(course):
        others = [path for path, text in pages.items() if question.prompt in text]
        assert others == ["assessment/index.md"], (question.id, others)


def test_no_feedback_or_explanation_of_a_bank_question_anywhere(course, pages):
    assert "BANK-" not in "".join(pages.values())  # every bank feedback and explanation starts so
    assessment = pages["assessment/index.md"]
    assert "data-ck-key" not in assessment


def written_right_answers(page: str, ref: str, question) -> list[int]:
    """Positions, as the page writes the choices, of the labels that are right answers in the module file."""
    fieldset = re.search(rf'data-ck-q="{re.escape(ref)}".*?</fieldset>', page, re.S).group(0)
    labels = [html.unescape(label) for label in re.findall(r'<label for="[^"]+">(.*?)</label>', fieldset)]
    if question.type == "true_false":
        right = {"True" if question.answer else "False"}
    else:
        right = {c.text for c in question.choices if c.correct}
    assert sorted(labels) == sorted(["True", "False"] if question.type == "true_false" else [c.text for c in question.choices])
    return [k for k, label in enumerate(labels) if label in right]


def test_each_bank_question_carries_only_the_hash_of_its_answer(course, pages):
    text = pages["assessment/index.md"]
    found = re.findall(r'<fieldset class="ck-q" id="[^"]+" data-ck-q="([^"]+)" data-ck-hash="([^"]+)" '
                       r'data-ck-oid="([^"]+)" data-ck-type="([^"]+)"[^>]* hidden>', text)
    salt = re.search(r'data-ck-salt="([0-9a-f]+)"', text).group(1)
    assert salt == assessment_salt(course)
    expected = [(f"{m.id}/{q.id}", answer_hash(salt, f"{m.id}/{q.id}", written_right_answers(text, f"{m.id}/{q.id}", q)),
                 f"{m.id}/{q.objective}", q.type) for m, q in _bank(course)]
    assert sorted(found) == sorted(expected)
    oids = [oid for _, _, oid, _ in found]
    assert oids == sorted(oids, key=lambda o: ["first-contact/who-raised-it", "first-contact/remedies",
                                               "recording/both-sides"].index(o))  # grouped by objective
    assert 'data-ck-draw="2" data-ck-max="3" data-ck-shuffle="1"' in text
    assert "Each attempt asks 6 questions, 2 on each objective of each module" in text
    assert "The final assessment asks 6 questions" in pages["index.md"]


def test_modules_not_approved_say_so_to_learners(pages):
    for path in ("first-contact/index.md", "recording/index.md"):
        assert 'data-ck-signoff="not-approved"' in pages[path] and "Not approved yet" in pages[path]
    assert pages["index.md"].count('data-ck-signoff="not-approved"') == 2
    assessment = pages["assessment/index.md"]
    notice = assessment[assessment.index('data-ck-signoff="assessment"'):assessment.index("</div>")]
    assert "No module these questions come from has been approved for delivery yet" in notice
    assert notice.index("Not approved yet") < notice.index("</p>") < assessment.index("data-ck-questions")


def test_an_edit_after_approval_marks_the_module_page_home_card_and_record(tmp_path):
    root = tmp_path / "banks"
    shutil.copytree(BANKS, root)
    approve_modules(root, roles=ROLES)
    approved = render_site(_course(root)).pages
    assert "data-ck-signoff" not in approved["recording/index.md"] + approved["index.md"] + approved["assessment/index.md"]
    assert "A. Reviewer (Legal adviser), 23 November 2026; A. Reviewer (Training manager), 23 November 2026" in \
        approved["assessment/index.md"]

    module = root / "modules/recording.yml"
    module.write_text(module.read_text().replace("Capture both sides;", "Capture both sides, always;"))
    pages = render_site(_course(root)).pages
    assert 'data-ck-signoff="changed"' in pages["recording/index.md"]
    assert "Changed since approval" in pages["recording/index.md"]
    assert "data-ck-signoff" not in pages["first-contact/index.md"]
    home = pages["index.md"]
    home = home[home.index('class="ck-modules"'):]  # the module cards, after the progress tiles
    card = home[home.index('href="recording/"'):]
    assert 'data-ck-signoff="changed"' in card[:card.index("</li>")]
    record = pages["assessment/index.md"]
    notice = record[record.index('data-ck-signoff="assessment"'):]
    notice = notice[:notice.index("</div>")]
    assert "Changed since approval" in notice and "first-contact" not in notice and "First contact" not in notice
    assert "whose wording has not been approved: 2. Recording evidence (changed since approval)." in notice
    assert re.search(r"<td>Recording evidence</td><td><code>[0-9a-f]{16}</code></td><td>changed since approval</td>", record)


def test_an_approval_reaches_a_remembered_module_page(tmp_path):
    """Approving changes no wording (same fingerprint), yet `mkdocs serve` must not keep the old notice."""
    from coursekit.render.site import SiteRenderer

    root = tmp_path / "banks"
    shutil.copytree(BANKS, root)
    renderer = SiteRenderer()
    assert "Not approved yet" in renderer.render(_course(root)).pages["recording/index.md"]
    approve_modules(root, ["recording"], roles=ROLES)
    assert "data-ck-signoff" not in renderer.render(_course(root)).pages["recording/index.md"]


def test_the_salt_changes_with_the_answers_and_the_edition_not_with_other_wording(tmp_path):
    root = tmp_path / "banks"
    shutil.copytree(BANKS, root)
    salt = assessment_salt(_course(root))
    module = root / "modules/recording.yml"
    module.write_text(module.read_text().replace("Capture both sides;", "Capture both sides, always;"))
    assert assessment_salt(_course(root)) == salt  # the prose changed, nothing the assessment asks
    course_yml = root / "course/course.yml"
    course_yml.write_text(course_yml.read_text().replace("version: ", "version: 9", 1))
    assert assessment_salt(_course(root)) != salt


def test_a_serve_rebuild_renders_again_only_the_questions_of_the_edited_module(tmp_path, monkeypatch):
    """The assessment page is made of runs of one module's questions; an edit to one module redoes its run only."""
    from coursekit.check import FileCache
    from coursekit.render import site

    root = tmp_path / "banks"
    shutil.copytree(BANKS, root)
    cache: FileCache = {}  # as `mkdocs serve` keeps it: an unchanged module keeps its model
    renderer = site.SiteRenderer()
    first = renderer.render(check_course(root, cache=cache).course).pages["assessment/index.md"]
    rendered = []
    original = site.assessment_questions_view
    monkeypatch.setattr(site, "assessment_questions_view",
                        lambda run, *args: rendered.append(run.module.id) or original(run, *args))
    module = root / "modules/recording.yml"
    module.write_text(module.read_text().replace("Capture both sides;", "Capture both sides, always;"))
    course = check_course(root, cache=cache).course
    again = renderer.render(course).pages["assessment/index.md"]
    assert rendered == ["recording"]
    assert again == render_site(course).pages["assessment/index.md"]  # the same page as rendered afresh
    fieldsets = re.compile(r'<fieldset class="ck-q".*?</fieldset>', re.DOTALL)
    assert fieldsets.findall(again) == fieldsets.findall(first)  # the edit asked nothing new


def test_the_page_source_does_not_say_where_the_module_file_put_the_right_answer():
    """Trainers tend to write the right answer first: in the sample course's bank, most single-answer questions
    have it there. With shuffled choices the page writes each question's choices in an order of its own, so
    neither `value="0"` nor the source order is a cue; without shuffling, the trainer's order is kept."""
    sample = _course(FIXTURES.parents[1])
    salt, links = assessment_salt(sample), PageLinks(page="assessment", directory_urls=True)
    singles = [(m, q) for m, q in _bank(sample) if q.type == "single"]
    assert len(singles) >= 50 and sum(correct_choices(q) == [0] for _, q in singles) / len(singles) > 0.5

    def first_is_right(shuffle: bool) -> float:
        views = [assessment_question_view(m, q, 1, 1, links, salt, shuffle) for m, q in singles]
        return sum(answer_hash(salt, v["ref"], [0]) == v["hash"] for v in views) / len(views)

    assert first_is_right(shuffle=False) > 0.5
    assert first_is_right(shuffle=True) < 0.4  # about one in the number of choices
    view = assessment_question_view(*singles[0], 1, 1, links, salt, False)
    assert [c["label"] for c in view["choices"]] == [c.text for c in singles[0][1].choices]
