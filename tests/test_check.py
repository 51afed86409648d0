"""Checking whole courses: the good fixture, the model it yields, reports of many problems at once."""

from __future__ import annotations

import datetime as dt

from coursekit.check import check_course
from coursekit.diagnostics import Code
from coursekit.fingerprint import module_fingerprint

from conftest import FIXTURES, GOOD

SAMPLE = FIXTURES.parents[1]  # the repository's own sample course


def test_the_sample_course_passes_strict():
    """The showcase a force's legal adviser reads has nothing for the checker to warn about (a bank answer that
    repeats a practice question's feedback, say): `course build` publishes a course with warnings, so only
    this test would notice one."""
    result = check_course(SAMPLE, dt.date(2026, 11, 23))
    assert [d.format() for d in result.diagnostics] == []
    assert len(result.course.modules) == 10


def test_good_course_passes_strict_and_yields_the_model():
    result = check_course(GOOD, dt.date(2026, 11, 23))
    assert result.diagnostics == []
    assert result.ok(strict=True)
    course = result.course
    assert [m.id for m in course.modules] == ["legal-line", "recording"]
    assert course.info.assessment.pass_mark == 80
    assert [q.id for _, q in course.assessment_questions()] == ["who-raised-it", "stay-or-exclude", "both-sides"]
    question = course.module("legal-line").questions[0]
    assert question.choices[0].correct is True and question.choices[1].correct is False
    assert course.module("legal-line").review.last_reviewed == dt.date(2026, 10, 1)
    assert len(course.fingerprint) == 16


def test_all_problems_are_reported_in_one_run(good_course):
    module = good_course / "modules/recording.yml"
    text = module.read_text()
    text = text.replace("status: in-review", "status: in-reviw").replace("duration_minutes: 20", "duration_minutes: many")
    module.write_text(text.replace("objective: both-sides", "objective: both-side"))
    (good_course / "modules/legal-line.yml").write_text(
        (good_course / "modules/legal-line.yml").read_text().replace("ref:looseley-2001)", "ref:nowhere)")
    )
    codes = [d.code for d in check_course(good_course).diagnostics]
    assert codes.count(Code.SCHEMA_VALUE) == 1 and codes.count(Code.SCHEMA_TYPE) == 1
    assert codes.count(Code.LINK_REF) == 3  # the section's, the explanation's and a conversation reply's feedback


def test_cross_file_rules_still_run_when_one_module_is_broken(good_course):
    (good_course / "modules/recording.yml").write_text("id: recording\ntitle: [broken\n")
    legal = good_course / "modules/legal-line.yml"
    legal.write_text(legal.read_text().replace("type: multiple", "type: single"))
    codes = {d.code for d in check_course(good_course).diagnostics}
    assert codes == {Code.YAML_SYNTAX, Code.QUESTION_ONE_CORRECT}  # no false "unknown module" for recording


def test_unlisted_module_is_a_warning(good_course):
    (good_course / "modules/spare.yml").write_text((good_course / "modules/recording.yml").read_text().replace("id: recording", "id: spare"))
    result = check_course(good_course)
    assert [(d.path, d.code) for d in result.diagnostics] == [("modules/spare.yml", Code.COURSE_MODULE_UNLISTED)]
    assert result.ok() and not result.ok(strict=True)


def test_missing_course_file_is_one_clear_error(tmp_path):
    result = check_course(tmp_path)
    assert [d.code for d in result.diagnostics] == [Code.FILE_MISSING]
    assert "course init" in result.diagnostics[0].message


def test_fingerprint_ignores_layout_comments_and_review_but_not_wording(good_course):
    before = check_course(good_course).course
    path = good_course / "modules/legal-line.yml"
    text = path.read_text()
    path.write_text("# a new comment\n" + text.replace("last_reviewed: 2026-10-01", "last_reviewed: 2026-10-02"))
    after = check_course(good_course).course
    assert module_fingerprint(after.module("legal-line")) == module_fingerprint(before.module("legal-line"))
    path.write_text(text.replace("Who raised the topic first?", "Who raised the subject first?"))
    edited = check_course(good_course).course
    assert edited.module_fingerprints["legal-line"] != before.module_fingerprints["legal-line"]
    assert edited.fingerprint != before.fingerprint


def test_keys_added_later_leave_the_fingerprints_of_unedited_modules_as_they_were():
    """Conversations and drafts came after modules were approved: at their defaults they are not hashed.

    The values were computed by coursekit before those keys existed; recorded approvals hold them."""
    course = check_course(GOOD / "../banks").course
    assert {m.id: module_fingerprint(m) for m in course.modules} == {"first-contact": "5cbfd1d8c5d59dab",
                                                                     "recording": "33925f4fd8a1e963"}
    # what approvals record adds the sources a module cites (first-contact's); a module citing none keeps it
    assert course.module_fingerprints["recording"] == "33925f4fd8a1e963"
    assert course.module_fingerprints["first-contact"] != "5cbfd1d8c5d59dab"
    assert check_course(GOOD).course.module_fingerprints["recording"] == "a8633d03c71bd15a"


def test_a_file_cache_reuses_unchanged_files_and_gives_the_same_result(good_course):
    from coursekit.check import FileCache

    cache: FileCache = {}
    first = check_course(good_course, cache=cache)
    kept = {path: loaded.doc for path, loaded in cache.items()}
    module = good_course / "modules/recording.yml"
    module.write_text(module.read_text().replace("status: in-review", "status: draft"))
    second = check_course(good_course, cache=cache)
    assert cache["modules/legal-line.yml"].doc is kept["modules/legal-line.yml"]  # not read again
    assert cache["modules/recording.yml"].doc is not kept["modules/recording.yml"]  # edited: read again
    assert second.diagnostics == check_course(good_course).diagnostics  # same answer as without a cache
    assert [d.code for d in second.diagnostics] == [Code.MODULE_DRAFT] and first.diagnostics == []


def test_an_unchanged_module_is_not_checked_again_unless_what_its_rules_read_changed(good_course, monkeypatch):
    """With a file cache (mkdocs serve), a module's rules rerun only when it, or the ids its links name, change."""
    from coursekit import rules
    from coursekit.check import FileCache

    recording, legal = good_course / "modules/recording.yml", good_course / "modules/legal-line.yml"
    recording.write_text(recording.read_text().replace("(module:legal-line)", "(module:legal-line#the-test)"))
    checked = []
    original = rules._scan_texts
    monkeypatch.setattr(rules, "_scan_texts", lambda doc, src: checked.append(doc.path.removeprefix("modules/")
                                                                                 .removesuffix(".yml")) or original(doc, src))
    cache: FileCache = {}
    assert check_course(good_course, cache=cache).diagnostics == []
    assert sorted(c for c in checked if "/" not in c) == ["legal-line", "recording"]
    checked.clear()
    legal.write_text(legal.read_text().replace("summary: ", "summary: Edited. ", 1))
    assert check_course(good_course, cache=cache).diagnostics == []
    assert [c for c in checked if "/" not in c] == ["legal-line"]  # recording.yml is not checked again
    checked.clear()
    # recording links to a section of legal-line: renaming that section breaks the link, recording unchanged.
    legal.write_text(legal.read_text().replace("  - id: the-test\n", "  - id: renamed\n", 1))
    after = check_course(good_course, cache=cache)
    assert sorted(c for c in checked if "/" not in c) == ["legal-line", "recording"]
    assert ("modules/recording.yml", Code.LINK_MODULE) in [(d.path, d.code) for d in after.errors]
    assert after.diagnostics == check_course(good_course).diagnostics
