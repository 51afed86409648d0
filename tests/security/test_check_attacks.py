"""`course check` reports every attack in every field where it was written, with its code; text typed as
markup is not an error. The attacks are in hostile.py."""

from __future__ import annotations

import copy
import shutil

import pytest
import yaml

from coursekit.check import check_course

from hostile import (
    MARKDOWN_ATTACKS, MODULE, PAGE_ATTACKS, copy_good, line_of, markdown_paths, module_data, set_at,
    text_paths, write_module, hostile_text_course,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return copy_good(tmp_path_factory.mktemp("attacks") / "course")


def _course(tmp_path, template):
    target = tmp_path / "course"
    shutil.copytree(template, target)
    return target


@pytest.mark.parametrize("name, attack, code", MARKDOWN_ATTACKS, ids=[a[0] for a in MARKDOWN_ATTACKS])
def test_every_markdown_field_reports_the_attack_where_it_was_written(tmp_path, template, name, attack, code):
    course = _course(tmp_path, template)
    paths, original = markdown_paths(course), module_data(course)
    assert len(paths) >= 8  # bodies, prompts, feedback, explanations, trainer notes
    for path in paths:
        data = copy.deepcopy(original)
        set_at(data, path, attack)
        write_module(course, data)
        found = [d for d in check_course(course).errors if d.path == MODULE]
        assert [d.code.value for d in found] and {d.code.value for d in found} == {code}, (path, found)
        start = line_of(course, path)
        assert all(start <= d.line <= start + attack.count("\n") + 1 for d in found), (path, start, found)


@pytest.mark.parametrize("name, attack, code", MARKDOWN_ATTACKS[:3], ids=[a[0] for a in MARKDOWN_ATTACKS[:3]])
def test_glossary_definitions_are_checked_too(tmp_path, template, name, attack, code):
    course = _course(tmp_path, template)
    glossary = yaml.safe_load((course / "course/glossary.yml").read_text())
    glossary[0]["definition"] = attack
    (course / "course/glossary.yml").write_text(yaml.safe_dump(glossary))
    found = check_course(course).errors
    assert [(d.path, d.code.value) for d in found] == [("course/glossary.yml", code)]


@pytest.mark.parametrize("name, text, code", PAGE_ATTACKS, ids=[a[0] for a in PAGE_ATTACKS])
@pytest.mark.parametrize("page", ["docs/index.md", "docs/how-to/taking-part.md"])
def test_hand_written_pages_are_checked(tmp_path, template, name, text, code, page):
    course = _course(tmp_path, template)
    (course / page).parent.mkdir(parents=True, exist_ok=True)
    (course / page).write_text("# A page\n\nSome words.\n\n" + text if not text.startswith("---") else text)
    found = check_course(course).errors
    assert found and {(d.path, d.code.value) for d in found} == {(page, code)}, found
    lines = (course / page).read_text().splitlines()
    for d in found:
        assert d.line >= 1 and lines[d.line - 1].strip(), d  # points at a written line, not the top of the file


def test_text_typed_as_markup_is_valid_course_text(tmp_path):
    course = hostile_text_course(tmp_path / "course")
    assert text_paths(course) and markdown_paths(course)
    result = check_course(course)
    assert not result.errors, [d.format() for d in result.errors]
