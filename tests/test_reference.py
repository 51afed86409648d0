"""The generated key and error references: complete, and the committed copies up to date."""

from __future__ import annotations

from coursekit.diagnostics import Code
from coursekit.reference import FILES, error_reference, key_reference, reference_pages

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
