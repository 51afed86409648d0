"""The generated key and error references: complete, and the committed copies up to date."""

from __future__ import annotations

import pytest

from coursekit.diagnostics import Code
from coursekit.load import load_bytes
from coursekit.reference import FILES, error_reference, key_reference, reference_pages
from coursekit.reference_format import EXAMPLES, format_reference
from coursekit.validate import validate_document

from conftest import GOOD

DOCS = GOOD.parents[2] / "docs" / "trainers"


def test_every_key_has_help_text():
    for _, _, model, inner in FILES:
        for cls in (model, *inner):
            assert cls.__doc__, cls
            for name, info in cls.model_fields.items():
                assert info.description, f"{cls.__name__}.{name} has no help text"


def test_key_reference_lists_every_key():
    text = key_reference()
    for _, _, model, inner in FILES:
        for cls in (model, *inner):
            for name in cls.model_fields:
                assert f"| `{name}` |" in text, name
    assert "| `id` | yes | an id of lower-case letters" in text


def test_error_reference_explains_every_code_with_an_example():
    text = error_reference()
    for code in Code:
        entry = text.split(f"## `{code.value}`", 1)[1].split("\n## ", 1)[0]
        assert "**How to fix it:**" in entry and "- Before:" in entry and "- After:" in entry, code


def test_committed_references_are_up_to_date():
    for name, text in reference_pages().items():
        assert (DOCS / name).read_text() == text, f"docs/trainers/{name} is stale: run `course reference --write docs/trainers`"


KINDS = {"course/course.yml": "course", "modules/<id>.yml": "module", "course/references.yml": "references",
         "course/glossary.yml": "glossary"}


@pytest.mark.parametrize("path", list(EXAMPLES))
def test_the_format_references_examples_are_valid_files(path):
    document = load_bytes(path, EXAMPLES[path].encode("utf-8"))
    model, problems = validate_document(document, KINDS[path])
    assert problems == [] and model


def test_the_format_reference_has_every_file_key_and_rule():
    text = format_reference()
    assert "## The folder" in text and "## Markdown in texts" in text
    for path, _, model, inner in FILES:
        assert f"## `{path}`" in text
        for cls in (model, *inner):
            for name in cls.model_fields:
                assert f"| `{name}` |" in text, name
    for code in Code:
        assert (f"[`{code.value}`](errors.md#{code.value.replace('.', '')})" in text) is (code is not Code.INTERNAL)


def test_the_repository_refers_to_nothing_outside_it():
    """Users have the repository, not the folders beside it: no file of it may point there."""
    root = DOCS.parents[1]
    skip = {".git", ".venv", "node_modules", "site", ".pytest_cache", ".hypothesis", "__pycache__", ".course-cache"}
    found = []
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if path.is_file() and not skip & set(parts) and not any(p.endswith(".egg-info") for p in parts):
            text = path.read_bytes().decode("utf-8", errors="replace")
            if "../" + "shared" in text or "/work/" + "shared" in text:
                found.append(str(path.relative_to(root)))
    assert found == []


def test_angle_brackets_in_help_text_show_as_written():
    """`modules/<id>.yml` in a help text would vanish as an unknown HTML tag on the site; code spans stay as they are."""
    from coursekit.reference import prose

    assert prose("a file modules/<id>.yml, or `<script>`") == "a file modules/&lt;id>.yml, or `<script>`"
    assert "A module: `modules/<id>.yml`." in key_reference()  # written as code in the model
