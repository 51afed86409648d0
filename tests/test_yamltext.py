"""Text edits located with libyaml's marks: where a value starts and ends, where new lines go."""

from __future__ import annotations

import pytest

from coursekit import yamltext
from coursekit.yamlio import plain_data


def _value(text: str, *path: str | int) -> yamltext.Node:
    node = yamltext.parse(text)
    for key in path:
        node = node.items[key] if isinstance(key, int) else node.get(key)[1]
    return node


def test_nodes_know_where_they_are():
    text = "a: &x 'v'  # c\nb:\n  - p: 1\n    q: [1, 2]\n"
    a = _value(text, "a")
    assert text[a.start:a.end] == "&x 'v'" and a.anchor == "x" and a.style == "'"
    assert text[yamltext.value_start(text, a):a.end] == "'v'"
    item = _value(text, "b", 0)
    assert item.column == 4 and yamltext.dash_column(text, item) == 2
    assert text[item.start:item.end] == "p: 1\n    q: [1, 2]"


@pytest.mark.parametrize("block,after_insert", [
    ("|\n    x\n\n\n", "\n\n# next"),  # clipped: the blank lines after it stay before what follows
    ("|-\n    x\n\n", "\n# next"),
    ("|+\n    x\n\n", "# next"),  # kept: the blank lines are part of the value
    (">\n    x\n    y\n", "# next"),
])
def test_lines_after_a_block_go_after_its_text(block, after_insert):
    text = f"r:\n  a: {block}# next\nn: 1\n"
    at = yamltext.after(text, _value(text, "r"))
    new = yamltext.apply(text, [yamltext.insert_lines(text, at, ["  b: 2"])])
    assert new[new.index("  b: 2\n") + len("  b: 2\n"):].startswith(after_insert)
    assert plain_data(new)["r"] == {**plain_data(text)["r"], "b": "2"}


def test_inserted_lines_take_the_file_line_endings_and_a_missing_last_break():
    assert yamltext.insert_lines("a: 1\r\nb: 2\r\n", 6, ["c: 3"]) == (6, 6, "c: 3\r\n")
    assert yamltext.insert_lines("a: 1\nb: 2", 9, ["c: 3"]) == (9, 9, "\nc: 3")


def test_a_comment_after_a_replaced_value_keeps_its_column():
    text = "status: in-review   # note\n"
    start = text.index("in-review")
    edit = yamltext.replace_keeping_comment_column(text, start, start + 9, "approved")
    assert yamltext.apply(text, [edit]) == "status: approved    # note\n"
    edit = yamltext.replace_keeping_comment_column(text, start, start + 9, "much-longer-value")
    assert yamltext.apply(text, [edit]) == "status: much-longer-value # note\n"


@pytest.mark.parametrize("value,written", [
    ("Jane Smith", "Jane Smith"),
    ("O'Brien", "O'Brien"),
    ("Smith, J.", '"Smith, J."'),  # a comma ends a plain value in flow context
    ("yes", '"yes"'),  # a YAML 1.1 boolean
    ("2026-11-23", '"2026-11-23"'),  # a date
    ("0123456789012345", '"0123456789012345"'),  # a number
    ("0123456789abcdef", "0123456789abcdef"),
    ("a: b", '"a: b"'),
    ("# x", '"# x"'),
    ("Zoë \"Z\" \\ Ng", '"Zoë \\"Z\\" \\\\ Ng"'),
])
def test_scalars_are_written_to_read_back_as_the_same_text(value, written):
    assert yamltext.scalar(value) == written
    assert plain_data(f"k: {written}\n") == {"k": value}
    assert plain_data(f"k: [{written}]\n") == {"k": [value]}
