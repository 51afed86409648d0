"""The YAML mistakes trainers make most get a plain-language hint beside the parser's words, where the mistake is."""

from __future__ import annotations

import pytest

from coursekit.diagnostics import Code
from coursekit.load import LoadError, load_bytes
from coursekit.syntax_hints import syntax_hint


def diagnostic(text: str):
    with pytest.raises(LoadError) as caught:
        load_bytes("modules/m.yml", text.encode("utf-8"))
    found = caught.value.diagnostic
    assert found.code is Code.YAML_SYNTAX and found.message.startswith("YAML syntax: ")  # the parser's words first
    return found


@pytest.mark.parametrize("text,where", [
    ("id: x\nreview:\n\towner: z\n", (3, 1)),
    ("id: x\nreview:\n  owner: z\n\tlast_reviewed: 2026-01-01\n", (4, 1)),
    ("id: x\nreview:\n  \towner: z\n", (3, 3)),  # after two spaces: the tab itself is pointed at
    ("id: x\nobjectives:\n\t- id: a\n", (3, 1)),
])
def test_a_tab_in_the_indentation_is_named(text, where):
    found = diagnostic(text)
    assert (found.line, found.column) == where
    assert "This line is indented with a tab; YAML indents with spaces only: replace the tab with spaces" in found.message


def test_a_colon_in_an_unquoted_title_gets_the_line_to_write_instead():
    found = diagnostic("id: x\ntitle: The law: an overview\nsummary: y\n")
    assert (found.line, found.column) == (2, 15)
    assert found.message.endswith("The text after `title:` holds `: `, which YAML reads as the start of another key; "
                                  'put the text in quotes: title: "The law: an overview"')


@pytest.mark.parametrize("line,fix", [
    ('  - text: Explain: the law', '- text: "Explain: the law"'),
    ('title: The "law": a guide   # keep', "title: 'The \"law\": a guide' # keep"),  # quotes inside, comment kept out
])
def test_the_suggested_quotes_keep_the_text_and_the_comment(line, fix):
    found = diagnostic(f"id: x\nobjectives:\n  - id: a\n{line}\n" if line.startswith(" ") else f"id: x\n{line}\n")
    assert found.message.endswith(f"put the text in quotes: {fix}")


def test_a_colon_in_text_that_runs_on_to_the_next_line():
    found = diagnostic("id: x\nsummary: A long summary\n  that goes on: here\nversion: 1.0.0\n")
    assert (found.line, found.column) == (3, 15)
    assert "The text of `summary` (line 2) goes on to this line and holds `: `" in found.message
    assert "write `summary: >-` and the text on the lines below it" in found.message


@pytest.mark.parametrize("text,where,columns", [
    ("review:\n  owner: x\n   last_reviewed: 2026-01-01\n", (3, 4), "column 3 (line 2) or column 1 (line 1)"),
    ("review:\n  owner: x\n last_reviewed: 2026-01-01\n", (3, 2), "column 3 (line 2) or column 1 (line 1)"),
    ("sections:\n  - id: a\n   title: b\n", (3, 4), "column 5 (line 2) or column 3 (line 2)"),
    ("id: x\n\n  # a comment\n title: y\n", (4, 2), "column 1 (line 1)"),  # blank and comment lines skipped
])
def test_a_bad_indentation_step_names_the_columns_it_could_start_at(text, where, columns):
    found = diagnostic(text)
    assert (found.line, found.column) == where
    assert f"This line starts at column {where[1]}, but the lines above it start at {columns}: " in found.message
    assert "start it in the same column as the key it belongs with" in found.message


@pytest.mark.parametrize("text", ['id: x\ntitle: "abc\nsummary: y\n', "id: x\nreferences: [a, b\nsummary: y\n"])
def test_other_syntax_errors_keep_the_parsers_words_alone(text):
    found = diagnostic(text)
    assert ". " not in found.message.removeprefix("YAML syntax: ")  # no hint made up


def test_hints_never_fail_on_odd_positions():
    assert syntax_hint("", 0, 0) is None and syntax_hint("a: b", 5, 1) is None and syntax_hint("a: b", 1, 99) is None


def test_check_prints_the_hint_at_the_place(good_course, run):
    (good_course / "modules" / "recording.yml").write_text("id: recording\ntitle: Evidence: the record\n", encoding="utf-8")
    code, out, _ = run("check", str(good_course))
    assert code == 1
    line = out.splitlines()[0]
    assert line.startswith("modules/recording.yml:2:16: error: YAML syntax: ")  # then the parser's own words
    assert line.endswith('. The text after `title:` holds `: `, which YAML reads as the start of another key; '
                         'put the text in quotes: title: "Evidence: the record" [yaml.syntax]')
