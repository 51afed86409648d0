"""Plain-language hints for the YAML mistakes trainers make most, added beside the parser's own words.

The parser says what it found ("mapping values are not allowed in this context"); a trainer needs to
hear what to change. A hint is decided from the text around the place the parser stopped, never from
the parser's wording (which differs between libyaml versions):
- a tab in the indentation (YAML indents with spaces only);
- `: ` inside an unquoted text, which YAML reads as the start of another key;
- a line indented by a step that matches no block above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line that starts a key: indentation, any list dashes, the key, a colon, then the rest of the line.
_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>[^\s#'\"\-?:,\[\]{}][^:#]*?)\s*:(?:[ \t]+(?P<value>.*))?$")
# A line that is only a name and its colon so far, such as `   last_reviewed`: a key, whatever its indentation.
_NAME_KEY = re.compile(r"^ *(?:- +)*[A-Za-z_][A-Za-z0-9_-]*$")
# Values that are not plain text on one line: quoted, flow, block scalar, anchor, alias or tag.
_NOT_PLAIN = tuple("\"'[{|>&*!")


@dataclass(frozen=True)
class Hint:
    """Where the mistake is (1-based line and column) and what to do about it."""

    line: int
    column: int
    text: str


def syntax_hint(text: str, line: int, column: int) -> Hint | None:
    """A hint for the syntax error the parser reported at (line, column), if the text shows a known mistake."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    return _tab(lines, line) or _colon_in_text(lines, line, column) or _indentation(lines, line)


def _tab(lines: list[str], line: int) -> Hint | None:
    here = lines[line - 1]
    lead = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" not in lead:
        return None
    return Hint(line, lead.index("\t") + 1,
                "this line is indented with a tab; YAML indents with spaces only: replace the tab with spaces")


def _colon_in_text(lines: list[str], line: int, column: int) -> Hint | None:
    here = lines[line - 1]
    if not (0 < column <= len(here) and here[column - 1] == ":"):
        return None
    match = _KEY_LINE.match(here[: column - 1])
    if match and match["value"] and not match["value"].startswith(_NOT_PLAIN):
        return Hint(line, column, f"the text after `{match['key']}:` holds `: `, which YAML reads as the start of "
                                  f"another key; put the text in quotes: {_quoted(here, match)}")
    if _NAME_KEY.match(here[: column - 1]):
        return None  # `  name:` at the wrong step reads as a key, not as text: see _indentation
    above = _previous_content(lines, line)
    if above is None:
        return None
    previous = _KEY_LINE.match(lines[above - 1])
    indent = len(here) - len(here.lstrip(" "))
    if (previous and previous["value"] and not previous["value"].startswith(_NOT_PLAIN)
            and indent > _key_column(previous) - 1):  # this line goes on with the text of the key above
        key = previous["key"]
        return Hint(line, column, f"the text of `{key}` (line {above}) goes on to this line and holds `: `, which "
                                  f"YAML reads as the start of another key; write `{key}: >-` and the text on the "
                                  "lines below it, indented, or put the whole text in quotes")
    return None


def _quoted(here: str, match: re.Match[str]) -> str:
    """The line with its value in quotes, as the trainer could write it (a trailing comment kept outside)."""
    value, comment = here[match.start("value"):], ""
    if " #" in value:
        value, comment = value.split(" #", 1)
        comment = " #" + comment
    value = value.rstrip()
    if '"' in value and "'" not in value:
        quoted = f"'{value}'"
    else:
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{match['indent']}{match['dashes']}{match['key']}: {quoted}{comment}".strip()


def _indentation(lines: list[str], line: int) -> Hint | None:
    here = lines[line - 1]
    indent = len(here) - len(here.lstrip(" "))
    if not here.strip() or here.lstrip().startswith("#"):
        return None
    levels = _open_levels(lines, line)
    if not levels or indent in levels:
        return None
    nearest = sorted(levels.items(), reverse=True)[:2]
    columns = " or ".join(f"column {column + 1} (line {number})" for column, number in nearest)
    return Hint(line, indent + 1, f"this line starts at column {indent + 1}, but the lines above it start at "
                                  f"{columns}: start it in the same column as the key it belongs with "
                                  "(YAML counts the spaces; use two a level)")


def _open_levels(lines: list[str], line: int) -> dict[int, int]:
    """Columns (0-based) where the line could start, each with the line number above that starts there.

    Those are the columns of the nearest line above (a sibling, or a block the line opens) and of every
    block that line is in, found by walking up to lines that start further left.
    """
    levels: dict[int, int] = {}
    deepest = None
    number = _previous_content(lines, line)
    while number is not None:
        starts = _starts(lines[number - 1])
        if deepest is None or starts[0] < deepest:
            levels.update({column: number for column in starts if column not in levels})
            deepest = starts[0]
            if deepest == 0:
                break
        number = _previous_content(lines, number)
    return levels


def _starts(text: str) -> list[int]:
    """Where a line's content starts (0-based), and where each item after a `- ` starts."""
    starts = [len(text) - len(text.lstrip(" "))]
    rest = text[starts[0]:]
    while rest.startswith("- ") or rest == "-":
        step = len(rest) - len(rest[1:].lstrip(" "))
        starts.append(starts[-1] + step)
        rest = rest[step:]
    return starts


def _key_column(match: re.Match[str]) -> int:
    """The 1-based column at which a key line's key starts."""
    return len(match["indent"]) + len(match["dashes"]) + 1


def _previous_content(lines: list[str], line: int) -> int | None:
    """The number of the nearest line above `line` that holds more than blanks or a comment."""
    for number in range(line - 1, 0, -1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None
