"""The loader: values as text, positions on demand, and hostile or broken files turned into diagnostics."""

from __future__ import annotations

import pytest

from coursekit.diagnostics import Code
from coursekit.load import MAX_FILE_BYTES, LoadError, load_bytes


def test_scalars_stay_text_so_the_schema_types_them():
    doc = load_bytes("m.yml", b"a: yes\nb: 1.0\nc: 2026-10-01\nd:\ne: ~\nf: ''\ng: no\n")
    assert doc.data == {"a": "yes", "b": "1.0", "c": "2026-10-01", "d": None, "e": None, "f": "", "g": "no"}


def test_positions_are_found_for_values_and_keys():
    text = b"title: A\nsections:\n  - id: one\n    body: |\n      text\n  - id: two\n"
    doc = load_bytes("m.yml", text)
    assert doc.locate(("sections", 1, "id")) == (6, 9)
    assert doc.locate(("sections", 0, "body"), key=True) == (4, 5)
    assert doc.locate(("sections", 0, "body")) == (4, 11)
    assert doc.locate(("sections", 0, "missing")) == (3, 5)  # falls back to the enclosing block
    assert doc.locate(()) == (1, 1)


def test_byte_order_mark_is_accepted():
    assert load_bytes("m.yml", "\ufeffid: x\n".encode("utf-8")).data == {"id": "x"}


def test_billion_laughs_fails_with_a_located_error():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    with pytest.raises(LoadError) as caught:
        load_bytes("laughs.yml", "\n".join(lines).encode())
    diagnostic = caught.value.diagnostic
    # a1 re-uses 10x11 values, a2 10x111, a3's eighth alias passes 10,000: stopped on line 4, not after
    assert diagnostic.code is Code.YAML_ALIAS_LIMIT and diagnostic.line == 4


def test_a_few_aliases_are_fine():
    doc = load_bytes("m.yml", b"a: &x [1, 2]\nb: *x\n")
    assert doc.data == {"a": ["1", "2"], "b": ["1", "2"]}


def test_deep_nesting_is_refused_before_any_parser_recursion():
    with pytest.raises(LoadError) as caught:
        load_bytes("deep.yml", b"[" * 200_000 + b"]" * 200_000)
    assert caught.value.diagnostic.code is Code.YAML_NESTING


def test_oversized_file_is_refused_without_parsing():
    with pytest.raises(LoadError) as caught:
        load_bytes("big.yml", b"a: " + b"x" * MAX_FILE_BYTES)
    assert caught.value.diagnostic.code is Code.FILE_TOO_LARGE
    assert caught.value.diagnostic.path == "big.yml"


@pytest.mark.parametrize("raw", [b"", b"   \n", b"# only a comment\n", b"---\n"])
def test_empty_files_are_named(raw):
    with pytest.raises(LoadError) as caught:
        load_bytes("modules/empty.yml", raw)
    assert caught.value.diagnostic.code is Code.FILE_EMPTY
    assert caught.value.diagnostic.format().startswith("modules/empty.yml: error: ")


def test_several_documents_are_refused():
    with pytest.raises(LoadError) as caught:
        load_bytes("m.yml", b"a: 1\n---\nb: 2\n")
    assert caught.value.diagnostic.code is Code.YAML_SYNTAX and caught.value.diagnostic.line == 2


def test_control_character_is_located():
    with pytest.raises(LoadError) as caught:
        load_bytes("m.yml", b"id: x\ntitle: a\x01b\n")
    diagnostic = caught.value.diagnostic
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (2, 9, Code.FILE_BINARY)
    assert "#x0001" in diagnostic.message
