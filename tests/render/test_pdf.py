"""The PDF editions, read back with pypdf: what each edition carries, and how its pages are made up."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from coursekit.check import check_course
from coursekit.render.pdf import lay_out, render_html, render_pdf
from coursekit.render.pdf_views import build_document

from conftest import GOOD, TODAY, approve_modules, pdf_texts

ON = dt.date.fromisoformat(TODAY)


# --- helpers ---------------------------------------------------------------------------------------

def _course_with_draft(target: Path) -> Path:
    """The good course with `legal-line` approved and `recording` still a draft."""
    shutil.copytree(GOOD, target)
    approve_modules(target, ["legal-line"])
    path = target / "modules/recording.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: in-review", "status: draft"), encoding="utf-8")
    return target


def _check(root: Path):
    result = check_course(root, on_date=ON)
    assert result.course is not None, [d.format() for d in result.diagnostics]
    return result


def _render(root: Path, edition: str, modules: tuple[str, ...] = ()) -> PdfReader:
    result = _check(root)
    return PdfReader(io.BytesIO(render_pdf(result.course, edition, ON, modules, result.warnings)))


_EXTRACTED: dict[int, tuple[PdfReader, list[str]]] = {}


def _texts(reader: PdfReader) -> list[str]:
    """The text of each page (pdftotext), extracted once per reader: many tests read the same PDF."""
    if id(reader) not in _EXTRACTED:  # the reader is kept with its texts, so its id cannot be reused
        texts = pdf_texts(reader.stream.getvalue())
        assert len(texts) == len(reader.pages)
        _EXTRACTED[id(reader)] = (reader, texts)
    return _EXTRACTED[id(reader)][1]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _outline(reader: PdfReader) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Top-level bookmarks as (title, page index, [(child title, page index)])."""
    items: list[tuple[str, int, list[tuple[str, int]]]] = []
    for entry in reader.outline:
        if isinstance(entry, list):
            items[-1][2].extend((c.title, reader.get_destination_page_number(c)) for c in entry
                                if not isinstance(c, list))
        else:
            items.append((entry.title, reader.get_destination_page_number(entry), []))
    return items


def _pages_of(reader: PdfReader, title_start: str) -> set[int]:
    """Page indexes from the top-level bookmark starting with `title_start` up to the next top-level one."""
    outline = _outline(reader)
    for i, (title, page, _) in enumerate(outline):
        if title.startswith(title_start):
            end = outline[i + 1][1] if i + 1 < len(outline) else len(reader.pages)
            return set(range(page, end))
    raise AssertionError(f"no bookmark starting {title_start!r} in {[t for t, _, _ in outline]}")


@pytest.fixture(scope="module")
def draft_course(tmp_path_factory) -> Path:
    return _course_with_draft(tmp_path_factory.mktemp("draft") / "course-repo")


@pytest.fixture(scope="module")
def reviewer(draft_course) -> PdfReader:
    return _render(draft_course, "reviewer")


@pytest.fixture(scope="module")
def learner(draft_course) -> PdfReader:
    return _render(draft_course, "learner")


# --- what each edition carries ---------------------------------------------------------------------

REVIEWER_ONLY = [
    "SECRET-TRAINER-NOTE",  # trainer notes
    "Answer key",
    "Correct: ",  # correct choices marked
    "Look again at the order of messages.",  # per-choice feedback
    "Predisposition is irrelevant in English law",  # explanation
    "Assesses: Apply the unexceptional-opportunity test.",  # the objective a question assesses
    "Review and approvals", "Next review due", "Test Team",  # review block
    "Objectives coverage", "Warnings from the checker", "Sign-off sheets",
]


def test_answer_key_trainer_notes_and_review_data_are_in_the_reviewer_edition(reviewer):
    text = _flat(" ".join(_texts(reviewer)))
    for needle in REVIEWER_ONLY:
        assert needle in text, needle


def test_learner_edition_has_questions_but_no_answers_notes_or_review_data(learner):
    text = _flat(" ".join(_texts(learner)))
    assert "Who raised the topic first?" in text and "The officer." in text  # questions and choices are there
    for needle in REVIEWER_ONLY:
        assert needle not in text, needle
    assert "✓" not in text


def test_learner_views_are_built_without_answers():
    """Defence in depth: the learner edition's data holds no answers, so no template can print them."""
    course = _check(GOOD).course
    doc = build_document(course, "learner", ON)
    questions = [q for m in doc.modules for q in m.questions]
    assert questions and all(q.explanation == "" and q.objective is None for q in questions)
    assert all(not c.correct and c.feedback == "" for q in questions for c in q.choices)
    assert all(m.trainer_notes == "" and m.approvals == () for m in doc.modules)
    assert "SECRET-TRAINER-NOTE" not in render_html(course, "learner", ON)


def test_the_answer_key_names_each_question_as_a_completion_record_does(reviewer, learner, good_site):
    """A learner's completion record lists the questions an attempt drew by `module/question` id; the reviewer's
    answer key prints that id beside each question, so a supervisor can look every one of them up."""
    reviewer_text, learner_text = _flat(" ".join(_texts(reviewer))), _flat(" ".join(_texts(learner)))
    course = _check(GOOD).course
    refs = [f"{m.id}/{q.id}" for m in course.modules for q in (*m.questions, *m.assessment_bank)]
    assert refs and all(ref in reviewer_text for ref in refs)
    assert not any(ref in learner_text for ref in refs)
    assessment = (good_site / "assessment" / "index.html").read_text(encoding="utf-8")
    drawn = set(re.findall(r'data-ck-q="([^"]+)"', assessment))  # what the runtime records for an attempt
    assert drawn and drawn <= set(refs)


def test_reviewer_warnings_page_reuses_the_checker_diagnostics(reviewer):
    text = _flat(" ".join(_texts(reviewer)))
    assert "Draft module" in text
    assert "module `recording` is still a draft [module.draft]" in text


# --- page furniture ---------------------------------------------------------------------------------

@pytest.mark.parametrize("edition", ["learner", "reviewer"])
def test_footer_with_course_id_version_and_page_n_of_m_on_every_page(edition, reviewer, learner):
    reader = reviewer if edition == "reviewer" else learner
    pages = _texts(reader)
    assert len(pages) > 5
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "test-course · version 1.2.0" in text


@pytest.mark.parametrize("edition", ["learner", "reviewer"])
def test_a_bookmark_per_module_with_its_sections(edition, reviewer, learner):
    outline = _outline(reviewer if edition == "reviewer" else learner)
    modules = {title: children for title, _, children in outline}
    assert "1. The legal line: <entrapment> & opportunity" in modules
    assert "2. Recording evidence" in modules
    sections = dict(modules["1. The legal line: <entrapment> & opportunity"])
    assert "What the court asks" in sections and "A first contact" in sections
    assert "Capture everything" in dict(modules["2. Recording evidence"])


def test_contents_lists_modules_with_their_page_numbers(reviewer):
    contents = _flat(_texts(reviewer)[1])
    for title, page, _ in _outline(reviewer):
        if title[0].isdigit():
            name = title.split(". ", 1)[1]
            assert re.search(re.escape(name) + r"( \(not approved\))?[ .]*" + str(page + 1) + r"\b", contents), title


def test_running_header_shows_the_module_title(reviewer):
    pages = _pages_of(reviewer, "1. The legal line")
    assert len(pages) > 1
    for index in pages:  # the heading reads "1. The legal line...": a line of the bare title is the header
        assert "The legal line: <entrapment> & opportunity" in _texts(reviewer)[index].splitlines()


def test_cover_gives_version_jurisdiction_audience_date_and_fingerprint(draft_course, reviewer):
    cover = _flat(_texts(reviewer)[0])
    fingerprint = _check(draft_course).course.fingerprint
    for needle in ["Test course: the legal line", "1.2.0", "England and Wales", "Test officers",
                   "23 November 2026", fingerprint, "Reviewer edition"]:
        assert needle in cover, needle


@pytest.mark.parametrize("edition", ["learner", "reviewer"])
def test_references_are_listed_with_their_checked_on_dates(edition, reviewer, learner):
    reader = reviewer if edition == "reviewer" else learner
    pages = _pages_of(reader, "References")
    text = _flat(" ".join(_texts(reader)[i] for i in pages))
    assert "Police and Criminal Evidence Act 1984, s.78" in text
    assert text.count("checked on 2026-11-01") == 2


@pytest.mark.parametrize("edition", ["learner", "reviewer"])
def test_each_module_lists_the_sources_its_page_lists(edition, reviewer, learner):
    """The site's module page ends with its sources; approvals record their wording, so the PDFs show them
    in the module too (a module citing none has no such list)."""
    reader = reviewer if edition == "reviewer" else learner
    outline = {title: children for title, _, children in _outline(reader)}
    assert "Sources" in dict(outline["1. The legal line: <entrapment> & opportunity"])
    assert "Sources" not in dict(outline["2. Recording evidence"])
    page = dict(outline["1. The legal line: <entrapment> & opportunity"])["Sources"]
    text = _flat(" ".join(_texts(reader)[page:page + 2]))
    listed = text[text.index("Sources"):]
    assert "R v Looseley; Attorney General's Reference (No 3 of 2000) [2001] UKHL 53" in listed
    assert "https://www.bailii.org/uk/cases/UKHL/2001/53.html" in listed
    assert "Police and Criminal Evidence Act 1984, s.78" in listed


def test_pdf_is_tagged_with_title_and_language(reviewer):
    root = reviewer.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reviewer.metadata.title.startswith("Test course: the legal line (reviewer edition")


# --- draft marks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("edition", ["learner", "reviewer"])
def test_draft_mark_on_every_page_of_a_module_that_is_not_approved_and_nowhere_else(edition, reviewer, learner):
    reader = reviewer if edition == "reviewer" else learner
    expected = _pages_of(reader, "2. Recording evidence")
    if edition == "reviewer":
        signoff = dict(_outline(reader)[-1][2])["Sign-off: 2. Recording evidence"]
        expected.add(signoff)
    marked = {i for i, text in enumerate(_texts(reader)) if "DRAFT" in text}
    assert marked == expected


def test_no_draft_mark_when_every_module_is_approved(good_course):
    approve_modules(good_course)
    assert not any("DRAFT" in text for text in _texts(_render(good_course, "reviewer")))


def test_a_module_that_only_claims_approval_cannot_lose_its_draft_marks(good_course):
    """Typing `status: approved` makes the course fail its check, so no PDF is made without the marks."""
    path = good_course / "modules/recording.yml"
    path.write_text(path.read_text().replace("status: in-review", "status: approved"))
    result = check_course(good_course, on_date=ON)
    assert result.course is None and [d.code.value for d in result.errors] == ["review.unapproved"]


@pytest.fixture(scope="module")
def changed_course(tmp_path_factory) -> Path:
    """Both modules approved; `recording` edited afterwards."""
    target = tmp_path_factory.mktemp("changed") / "course-repo"
    shutil.copytree(GOOD, target)
    approve_modules(target)
    path = target / "modules/recording.yml"
    path.write_text(path.read_text().replace("Capture both sides;", "Capture both sides, always;"))
    return target


@pytest.mark.parametrize("edition", ["learner", "reviewer"])
def test_module_changed_since_approval_is_marked_on_every_page(changed_course, edition):
    reader = _render(changed_course, edition)
    texts = _texts(reader)
    expected = _pages_of(reader, "2. Recording evidence")
    if edition == "reviewer":
        expected.add(dict(_outline(reader)[-1][2])["Sign-off: 2. Recording evidence"])
    assert {i for i, text in enumerate(texts) if "DRAFT · CHANGED SINCE APPROVAL" in text} == expected
    assert {i for i, text in enumerate(texts) if "DRAFT" in text} == expected  # the approved module is unmarked
    first = _flat(texts[min(_pages_of(reader, "2. Recording evidence"))])
    who = "A. Reviewer approved the module on 2026-11-23" if edition == "reviewer" else "the module was approved"
    assert f"DRAFT: changed since approval. This wording was edited after {who}; it is not the approved wording" in first
    assert ("A. Reviewer" in " ".join(texts)) == (edition == "reviewer")  # review data stays out of the handout
    assert "Recording evidence (changed since approval)" in _flat(texts[1])  # the contents say it too


def test_reviewer_edition_says_which_roles_must_sign(tmp_path):
    course = tmp_path / "banks"
    shutil.copytree(GOOD.parent / "banks", course)
    approve_modules(course, ["recording"], roles=["Legal adviser"])
    reader = _render(course, "reviewer")
    text = _flat(" ".join(_texts(reader)))
    assert "Not approved; still to approve this wording: Training manager" in text
    assert "Not approved; still to approve this wording: Legal adviser, Training manager" in text
    signoff = _flat(texts_of(reader, "Sign-off: 2. Recording evidence"))
    assert "Role Name Signature Date Legal adviser Training manager" in signoff
    assert "Module owner" not in signoff


def texts_of(reader: PdfReader, bookmark: str) -> str:
    page = dict(_outline(reader)[-1][2])[bookmark]
    return _texts(reader)[page]


# --- page breaks ------------------------------------------------------------------------------------

def _split_questions(reader: PdfReader) -> list[str]:
    """Questions whose start and the end of their choices fall on different pages."""
    dests = {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
    starts = [name for name in dests if name.startswith("q-") and not name.endswith("--end")]
    assert starts, "no question anchors found"
    return [name for name in starts if dests[name] != dests[f"{name}--end"]]


@pytest.fixture(scope="module", params=["learner", "reviewer"])
def sample_layout(request, sample_layout_of):
    """The sample course laid out once per edition: (edition, course, weasyprint Document)."""
    return request.param, *sample_layout_of(request.param)


def _anchor_pages(document) -> dict[str, int]:
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:  # an element split over pages is anchored on each: its start is the first
            pages.setdefault(name, number)
    return pages


def test_sample_course_never_splits_a_question_from_its_choices(sample_layout):
    """Checked on the laid-out pages (the layout is what decides; writing the file adds nothing to check)."""
    edition, course, document = sample_layout
    pages = _anchor_pages(document)
    starts = [name for name in pages if name.startswith("q-") and not name.endswith("--end")]
    assert [name for name in starts if pages[name] != pages[f"{name}--end"]] == []
    # The reviewer edition's answer key also holds the final assessment's bank questions.
    question_count = sum(len(m.questions) + (len(m.assessment_bank) if edition == "reviewer" else 0)
                         for m in course.modules)
    assert len(starts) == question_count


def _contents_entries(document) -> list[tuple[str, int]]:
    """(target anchor, page number printed) of each entry of the contents, read off the laid-out boxes
    (the contents' links are the only links laid out as blocks)."""
    from weasyprint.formatting_structure import boxes

    entries = []
    for page in document.pages:
        for box in page._page_box.descendants():  # noqa: SLF001 - the layout has no public box walk
            if isinstance(box, boxes.BlockBox) and box.element_tag == "a" and box.element.get("href", "")[:1] == "#":
                text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
                entries.append((box.element.get("href")[1:], int(re.search(r"(\d+)$", text).group(1))))
    return entries


def test_sample_course_contents_give_the_page_each_entry_starts_on(sample_layout):
    """The contents' numbers are written in after layout, from where each anchor was laid out."""
    _, _, document = sample_layout
    pages = _anchor_pages(document)
    entries = _contents_entries(document)
    assert len(entries) > 30  # every module and its sections
    assert [(anchor, printed) for anchor, printed in entries if printed != pages[anchor] + 1] == []


def test_sample_course_cover_lists_every_module_status_on_the_first_page(sample_layout):
    """The reviewer's cover lists each module's status on the cover itself (ten modules had run two rows onto
    a second, otherwise empty page), and a status such as "in-review" is never broken at its hyphen.
    The learner edition has no status summary at all."""
    from weasyprint.formatting_structure import boxes

    edition, course, document = sample_layout
    rows: dict[int, int] = {}
    statuses: list[tuple[int, str]] = []
    for number, page in enumerate(document.pages[:3]):
        for table in page._page_box.descendants():  # noqa: SLF001 - the layout has no public box walk
            if isinstance(table, boxes.TableBox) and table.element.get("class") == "status-summary":
                for box in table.descendants():
                    if isinstance(box, boxes.TableRowBox):
                        rows[number] = rows.get(number, 0) + 1
                    if isinstance(box, boxes.InlineBox) and box.element.get("class") == "token":
                        statuses.append((number, "".join(t.text for t in box.descendants()
                                                         if isinstance(t, boxes.TextBox))))
    if edition == "learner":
        assert rows == {} and statuses == []
        return
    assert rows == {0: len(course.modules) + 1}  # the header row and one row a module, all on the cover
    assert statuses == [(0, module.status) for module in course.modules]  # one piece each: never broken


def _page_numbers_in_text(document) -> list[tuple[str, str]]:
    """(target anchor, text) of every page number laid out after an in-document link, contents excepted."""
    from weasyprint.formatting_structure import boxes

    found = []
    for page in document.pages:
        for box in page._page_box.descendants():  # noqa: SLF001 - the layout has no public box walk
            if (isinstance(box, boxes.InlineBox) and box.element_tag == "a::after"
                    and box.element.get("href", "")[:1] == "#"
                    and not box.is_leader and not any(c.is_leader for c in box.children)):  # contents
                text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
                found.append((box.element.get("href")[1:], text))
    return found


def test_sample_course_page_references_in_the_text_give_their_targets_page(sample_layout):
    """Every "(p. N)" after a link, "(page N)" after a question's transcript and the sign-off sheets'
    "starting on page N" is the page its target starts on, with a no-break space before it."""
    edition, _, document = sample_layout
    pages = _anchor_pages(document)
    references = _page_numbers_in_text(document)
    assert len(references) > (100 if edition == "reviewer" else 20)
    wrong = [(anchor, text) for anchor, text in references
             if not re.fullmatch(r"\xa0(\((p\.|page)\xa0)?" + str(pages[anchor] + 1) + r"\)?", text)]
    assert wrong == []


def test_each_page_is_laid_out_once(draft_course, monkeypatch):
    """Page numbers that point forward are written in after layout: with CSS target-counter() WeasyPrint
    lays out again every page that points forward, and the pages after it (2.3 times over, for the
    sample course). Counted on WeasyPrint's own page maker."""
    import weasyprint.layout.page as pages

    made = []
    make_page = pages.make_page
    monkeypatch.setattr(pages, "make_page", lambda *args: made.append(args[4]) or make_page(*args))
    result = _check(draft_course)
    document = lay_out(render_html(result.course, "reviewer", ON, (), result.warnings))
    assert len(_contents_entries(document)) > 5 and len(_page_numbers_in_text(document)) > 3  # forward refs
    assert sorted(made) == list(range(1, len(document.pages) + 1))


def test_course_text_that_looks_like_a_placeholder_is_left_alone(good_course):
    """Only the numbers print.css lays out after a link are rewritten, never the course's own text."""
    from weasyprint.formatting_structure import boxes

    path = good_course / "modules/recording.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Capture both sides; see [the legal line](module:legal-line).",
        "Capture both sides (form 000); see [000](module:legal-line)."), encoding="utf-8")
    result = _check(good_course)
    document = lay_out(render_html(result.course, "learner", ON))
    texts = [box.text for page in document.pages for box in page._page_box.descendants()  # noqa: SLF001
             if isinstance(box, boxes.TextBox)]
    assert any("(form 000)" in text for text in texts) and "000" in texts


def test_a_document_longer_than_its_placeholders_is_laid_out_again_with_more_digits(draft_course, monkeypatch):
    """Placeholders have three digits (999 pages); a longer document is laid out again with more. Shown
    here with one-digit placeholders on a reviewer edition of more than nine pages: laid out with one digit,
    its page numbers of two digits do not fit (TooManyPages), so it is laid out again with two."""
    from coursekit.render import pdf_page_numbers

    pages = "".join('<p style="break-before: page">A page.</p>' for _ in range(11))
    html = f'<style>a::after {{ content: "0" }}</style><a href="#last">last</a>{pages}<h2 id="last">Last</h2>'
    with pytest.raises(pdf_page_numbers.TooManyPages):  # page 12 does not fit a one-digit placeholder
        lay_out(html, page_digits=1)
    result = _check(draft_course)
    monkeypatch.setattr(pdf_page_numbers, "DIGITS", 1)
    reader = PdfReader(io.BytesIO(render_pdf(result.course, "reviewer", ON, (), result.warnings)))
    assert len(reader.pages) > 9
    contents = _flat(_texts(reader)[1])
    signoff = min(_pages_of(reader, "Sign-off")) + 1
    assert signoff >= 10 and re.search(rf"Sign-off sheets[ .]*{signoff}\b", contents)


def test_question_anchors_reach_the_pdf_as_named_destinations(reviewer, draft_course):
    """The question anchors the page-break check reads are in the written PDF too, none split."""
    assert _split_questions(reviewer) == []
    questions = sum(len(m.questions) for m in _check(draft_course).course.modules)
    assert len([n for n in reviewer.named_destinations if n.endswith("--end")]) == questions == 5  # four questions and a drafting exercise


# --- the command ------------------------------------------------------------------------------------

def test_command_writes_the_learner_edition_by_default(run, good_course, tmp_path):
    output = tmp_path / "out" / "handout.pdf"
    code, out, _ = run("pdf", "-o", str(output), str(good_course))
    assert code == 0, out
    assert f"Wrote {output} (learner edition" in out
    text = " ".join(_texts(PdfReader(output)))
    assert "Learner edition" in text and "SECRET-TRAINER-NOTE" not in text


def test_command_help_says_which_edition_is_the_default(run):
    code, out, _ = run("pdf", "--help")
    assert code == 0
    assert "learner (the default" in _flat(out)


def test_command_narrows_to_the_modules_asked_for(run, good_course, tmp_path):
    output = tmp_path / "one.pdf"
    assert run("pdf", "--edition", "reviewer", "--module", "recording", "-o", str(output), str(good_course))[0] == 0
    titles = [title for title, _, _ in _outline(PdfReader(output))]
    assert "2. Recording evidence" in titles
    assert not any("legal line" in t for t in titles)


def test_command_rejects_an_unknown_module_and_writes_nothing(run, good_course, tmp_path):
    output = tmp_path / "x.pdf"
    code, _, err = run("pdf", "--module", "nope", "-o", str(output), str(good_course))
    assert code == 1
    assert "error: no module `nope` in this course (its modules are: legal-line, recording)" in err
    code, _, err = run("pdf", "--module", "recordng", "-o", str(output), str(good_course))
    assert code == 1 and "no module `recordng` in this course; did you mean `recording`?" in err
    assert not output.exists()


def test_course_with_errors_prints_diagnostics_and_writes_nothing(run, good_course, tmp_path):
    module = good_course / "modules/recording.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("objective: both-sides", "objective: nowhere"),
                      encoding="utf-8")
    output = tmp_path / "x.pdf"
    output.write_bytes(b"%PDF-1.7 old")  # an earlier PDF stays as it was
    code, out, _ = run("pdf", "-o", str(output), str(good_course))
    assert code == 1
    assert "modules/recording.yml:" in out and "error:" in out
    assert "No PDF written" in out
    assert output.read_bytes() == b"%PDF-1.7 old"


def test_reviewer_edition_has_a_hook_for_changes_since_last_approval():
    """The review workflow will fill the `changes_since_approval` block; it exists once per module, reviewers only."""
    from coursekit.render.pdf import environment

    child = environment().from_string(
        '{% extends "pdf/document.html.j2" %}'
        "{% block changes_since_approval %}<p>CHANGES-FOR-{{ m.module.id }}</p>{% endblock %}"
    )
    from coursekit.render.pdf_views import parts

    course = _check(GOOD).course
    reviewer, learner = build_document(course, "reviewer", ON), build_document(course, "learner", ON)
    reviewer_html = child.render(doc=reviewer, parts=parts(reviewer))
    assert reviewer_html.count("CHANGES-FOR-") == 2
    assert "CHANGES-FOR-recording" in reviewer_html
    assert "CHANGES-FOR-" not in child.render(doc=learner, parts=parts(learner))


def test_reviewer_edition_shows_changes_since_last_approval(good_course, run):
    """Approve, edit the wording, export: reviewers see the old and new wording; learners see neither section."""
    assert run("review", "approve", "recording", "--by", "A. Adviser", "--role", "Legal adviser",
               str(good_course))[0] == 0
    module = good_course / "modules/recording.yml"
    module.write_text(module.read_text().replace("Only the subject's messages need recording.",
                                                 "Only the messages the subject sends need recording."))
    out = good_course / "review.pdf"
    one = ("--module", "recording")  # the edited module is enough, and a quarter of the work
    assert run("pdf", "--edition", "reviewer", *one, "-o", str(out), str(good_course))[0] == 0
    text = _flat(" ".join(_texts(PdfReader(out))))
    assert "Changes since last approval" in text
    assert "Only the subject's messages need recording." in text  # the approved wording
    assert "Only the messages the subject sends need recording." in text  # the wording now
    assert "approved by A. Adviser" in text
    learner_out = good_course / "handout.pdf"
    assert run("pdf", *one, "-o", str(learner_out), str(good_course))[0] == 0
    assert "Changes since last approval" not in _flat(" ".join(_texts(PdfReader(learner_out))))


def test_no_changes_section_when_the_approved_wording_is_unchanged(good_course, run):
    run("review", "approve", "recording", "--by", "A. Adviser", str(good_course))
    out = good_course / "review.pdf"
    assert run("pdf", "--edition", "reviewer", "-o", str(out), str(good_course))[0] == 0
    assert "Changes since last approval" not in _flat(" ".join(_texts(PdfReader(out))))


# --- assessment banks -------------------------------------------------------------------------------

def test_bank_questions_are_in_the_reviewer_answer_key_only():
    result = _check(GOOD.parent / "banks")
    bank = [(m, q) for m in result.course.modules for q in m.assessment_bank]
    assert len(bank) == 9
    learner = _flat(" ".join(_texts(_render(GOOD.parent / "banks", "learner"))))
    reviewer = _render(GOOD.parent / "banks", "reviewer")
    text = _flat(" ".join(_texts(reviewer)))
    for _, q in bank:
        assert _flat(q.prompt) not in learner and _flat(q.prompt) in text, q.id
    assert "BANK-" not in learner  # no bank feedback or explanation either
    assert text.count("Final assessment only") >= len(bank)
    assert "BANK-EXPLANATION Looseley confirms both remedies." in text
    assert "Answer key: final assessment only" in _flat(_texts(reviewer)[1])  # listed in the contents


def test_the_answer_key_gives_the_letter_a_learning_system_records_for_each_assessment_choice():
    """An LMS records a response by letters in the order the package's page writes the choices, not the module
    file's: the reviewer's key says which letter each choice is, so a report can be read against it."""
    from coursekit.render.site_view import right_values

    result = _check(GOOD.parent / "banks")
    html = render_html(result.course, "reviewer", ON, (), result.warnings)
    right = right_values(result.course)
    checked = 0
    for module, q in result.course.assessment_questions():
        if q.type == "true_false":
            continue
        block = re.search(rf'id="q-{module.id}--{q.id}".*?class="q-end"', html, re.S).group(0)
        letters = re.findall(r'<li class="(correct|wrong)">.*?\(reported as ([a-z])\)', block, re.S)
        assert sorted(letter for _, letter in letters) == [chr(97 + k) for k in range(len(q.choices))]
        expected = [chr(97 + k) for k in right[f"{module.id}/{q.id}"]]  # what the page's values report
        assert sorted(letter for kind, letter in letters if kind == "correct") == expected
        checked += 1
    assert checked >= 5
    assert "reported as" not in render_html(result.course, "learner", ON, (), result.warnings)


# --- lines broken as written, not after their first word ---------------------------------------------

LONG_OBJECTIVE = "Apply the Looseley factors to an operation and to the people or places it targets."
LONG_CHOICE = ("Consider, with DC Hale, changes such as breaks or a spell on different duties, "
               "in line with force policy.")


def test_an_objective_or_a_right_answer_is_not_broken_after_its_first_word(tmp_path):
    """WeasyPrint broke these two texts (from the sample course) after their first word when an inline
    box followed them on the line (the objective's id, the "(correct)" mark): each now stands apart."""
    root = tmp_path / "course-repo"
    shutil.copytree(GOOD, root)
    path = root / "modules/legal-line.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("text: Apply the unexceptional-opportunity test.", f"text: {LONG_OBJECTIVE}")
    text = text.replace("- text: The subject.\n", f"- text: {LONG_CHOICE}\n")
    path.write_text(text, encoding="utf-8")
    reader = _render(root, "reviewer")
    pages = _texts(reader)
    coverage = "\n".join(pages[index] for index in _pages_of(reader, "Objectives coverage"))
    assert "Apply the Looseley" in coverage
    key = "\n".join(pages)
    assert "Correct: Consider, with DC Hale" in key
    assert "Assesses: Apply the Looseley" in key



def test_no_full_garbage_collection_walks_the_pages_while_a_pdf_is_made(draft_course):
    """A laid-out document is millions of objects: each full collection walks them all (a sixth of the sample
    course's PDF time with Python's default thresholds). None runs while a PDF is made; the thresholds the
    process had are given back."""
    import gc

    full: list[dict] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(info)

    result = _check(draft_course)
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # Python's defaults, whatever this run's were
    gc.callbacks.append(count)
    try:
        assert render_pdf(result.course, "reviewer", ON, (), result.warnings).startswith(b"%PDF")
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*before)
    assert full == []
