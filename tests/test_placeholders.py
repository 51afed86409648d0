"""The starter's example texts are a warning until the trainer has replaced them (an error only under --strict)."""

from __future__ import annotations

from coursekit.check import check_course
from coursekit.diagnostics import Code
from coursekit.placeholders import placeholder_texts


def test_the_placeholders_are_the_starters_prose_not_its_ids_titles_or_defaults():
    texts = placeholder_texts()
    assert "One paragraph that tells learners what this module covers; shown on the course home page." in texts
    assert "Who this course is for" in texts and "The full citation of the source" in texts
    assert not {"first-objective", "Introduction", "England and Wales", "hi", "The subject."} & texts


def test_a_new_course_warns_once_per_file_until_the_examples_are_replaced(tmp_path, run):
    course = tmp_path / "new-course"
    assert run("init", str(course))[0] == 0
    placeholders = [d for d in check_course(course).warnings if d.code is Code.TEXT_PLACEHOLDER]
    assert [(d.path, d.line) for d in placeholders] == [
        ("course/course.yml", 7), ("course/references.yml", 5), ("modules/getting-started.yml", 5)]
    assert placeholders[2].message == ("the starter's example text is still here and in 10 more places of this file; "
                                       "replace it with the course's own words")
    code, out, _ = run("check", str(course))
    assert code == 0 and "[text.placeholder]" in out  # a warning: the course still builds
    assert run("check", "--strict", str(course))[0] == 1

    course_yml = course / "course" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8").replace(
        "Who this course is for", "Officers new to online investigations"), encoding="utf-8")
    left = {d.path for d in check_course(course).warnings if d.code is Code.TEXT_PLACEHOLDER}
    assert left == {"course/references.yml", "modules/getting-started.yml"}


def test_an_edited_example_is_the_trainers_own_text(tmp_path, run):
    course = tmp_path / "c"
    assert run("init", str(course))[0] == 0
    module = course / "modules" / "getting-started.yml"
    text = module.read_text(encoding="utf-8")
    for placeholder in sorted(placeholder_texts(), key=len, reverse=True):
        for line in placeholder.splitlines():
            text = text.replace(line, line + " Ours.")
    module.write_text(text, encoding="utf-8")
    assert not [d for d in check_course(course).warnings if d.path == module.relative_to(course).as_posix()
                and d.code is Code.TEXT_PLACEHOLDER]


def test_an_example_text_is_found_however_the_yaml_writes_it(good_course):
    """The checker reads a file's words before walking its values: reflowed, quoted or escaped, the example is found."""
    module = good_course / "modules" / "recording.yml"
    original = module.read_text(encoding="utf-8")
    for written in ("summary: One paragraph that tells learners what this module covers;\n  shown on the course home page.",
                    "summary: >-\n  One paragraph that tells learners\n  what this module covers; shown on the course home page.",
                    "summary: 'One paragraph that tells learners what this module covers; shown on the course home page.'",
                    'summary: "One paragraph that tells\\x20learners what this module covers; shown on the course home page."'):
        module.write_text(original.replace("summary: Capture the whole exchange.", written), encoding="utf-8")
        found = [(d.path, d.line) for d in check_course(good_course).warnings if d.code is Code.TEXT_PLACEHOLDER]
        assert found == [("modules/recording.yml", 3)], written
    module.write_text(original.replace("title: Recording evidence", "title: 'Yes, the subject''s message comes first.'")
                      .replace("    prompt: Only the subject's messages need recording.",
                               "    prompt: 'Yes, the subject''s message\n      comes first.'"), encoding="utf-8")
    found = [(d.line, d.column) for d in check_course(good_course).warnings if d.code is Code.TEXT_PLACEHOLDER]
    assert found == [(23, 13)]  # the prompt (a title is the trainer's own, never an example)
