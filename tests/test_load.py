"""The loader: values as text, positions on demand, and hostile or broken files turned into diagnostics."""

from __future__ import annotations

import pytest
import yaml

from coursekit.diagnostics import Code
from coursekit.load import MAX_FILE_BYTES, LoadError, load_bytes

from conftest import GOOD


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
    diagnostic = caught.value.diagnostic
    assert diagnostic.code is Code.YAML_NESTING
    assert (diagnostic.line, diagnostic.column) == (1, 65)  # the 65th level, wherever libyaml would stop


class _LibyamlWithItsOwnLimit(yaml.CSafeLoader):
    """Stands in for a libyaml that stops at a flow depth of its own, in its own words (newer libyaml: 1000 levels)."""

    def __init__(self, stream):
        if "[" * 100 in stream:
            raise yaml.scanner.ScannerError(None, None, "too deep for this libyaml", yaml.Mark("", 0, 0, 99, None, None))
        super().__init__(stream)


@pytest.mark.parametrize("c_parser", [_LibyamlWithItsOwnLimit, yaml.CSafeLoader, yaml.SafeLoader],
                         ids=["libyaml-with-a-limit", "installed-libyaml", "no-libyaml"])
@pytest.mark.parametrize("text,where", [
    (b"[" * 150 + b"]" * 150, (1, 65)),
    (b"summary: " + b"[" * 70 + b"]" * 70 + b"\n", (1, 73)),  # the file's own mapping is the first level
    (b"a:\n  - " + b"{b: " * 100 + b"1" + b"}" * 100 + b"\n", (2, 253)),
])
def test_nesting_depth_is_decided_by_coursekit_not_by_libyaml(monkeypatch, c_parser, text, where):
    monkeypatch.setattr("coursekit.load._Loader", c_parser)
    with pytest.raises(LoadError) as caught:
        load_bytes("deep.yml", text)
    diagnostic = caught.value.diagnostic
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == (Code.YAML_NESTING, *where)


def test_ordinary_files_are_read_by_the_c_parser():
    from coursekit.load import _Loader, _parser_for

    module = (GOOD / "modules" / "legal-line.yml").read_text(encoding="utf-8")
    assert _parser_for(module) is _Loader
    links = "body: |\n" + "".join(f"  See [item {i}](ref:x).\n" for i in range(200))  # many brackets, few a line
    assert _parser_for(links) is _Loader


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
