"""Edit YAML text in place: nodes are located with libyaml's marks, so every byte outside an edit is kept.

A re-dump (ruamel or PyYAML) rewrites the whole file: line endings, a byte-order mark, indentation,
`\\u00e9` escapes and anchor names can all change. Writers that must change one value and add a few
lines (`course review approve`) edit the text where the parser says the value is, instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml

try:  # libyaml's parser, as the loader uses
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

BOM = "\ufeff"
# Text that reads back as itself unquoted, in block and in flow context (no `:`, `#`, `,`, brackets).
_PLAIN_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .'()/@&+_-]*")
# What YAML 1.2 tools (editors, ruamel) read as a number, though YAML 1.1 (libyaml) reads it as text.
_NUMBER = re.compile(r"[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+")


@dataclass
class Node:
    """One node of a YAML text: where it starts and ends, and what it holds."""

    kind: str  # "map", "seq", "scalar" or "alias"
    start: int  # index of its first character (anchor and tag included)
    end: int  # index just after it; a block collection ends after its last value
    column: int  # column of its first character
    flow: bool = False  # a `{...}` / `[...]` collection
    style: str | None = None  # a scalar's style: "" plain, "'", '"', "|" or ">"
    value: str | None = None  # a scalar's value
    anchor: str | None = None  # `&name` on this node, or the name an alias `*name` refers to
    items: list[Node] = field(default_factory=list)  # a sequence's items
    pairs: list[tuple[Node, Node]] = field(default_factory=list)  # a mapping's keys and values

    def get(self, key: str) -> tuple[Node, Node] | None:
        """The (key, value) pair of a mapping whose key is `key`, if any."""
        return next(((k, v) for k, v in self.pairs if k.value == key), None)

    @property
    def block_scalar(self) -> bool:
        return self.kind == "scalar" and self.style in ("|", ">")


def split_bom(text: str) -> tuple[str, str]:
    """(byte-order mark or "", the rest): libyaml's marks do not count the mark."""
    return (BOM, text[1:]) if text.startswith(BOM) else ("", text)


def parse(text: str) -> Node:
    """The root node of a one-document YAML text (without a byte-order mark)."""
    stack: list[tuple[Node, list[Node]]] = []  # open collections with the nodes read so far
    root: Node | None = None
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
            node = Node(kind, event.start_mark.index, event.end_mark.index, event.start_mark.column,
                        flow=bool(event.flow_style), anchor=event.anchor)
            stack.append((node, []))
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node, children = stack.pop()
            _close(node, children, event)
        elif isinstance(event, yaml.ScalarEvent):
            node = Node("scalar", event.start_mark.index, event.end_mark.index, event.start_mark.column,
                        style=event.style or "", value=event.value, anchor=event.anchor)
        elif isinstance(event, yaml.AliasEvent):
            node = Node("alias", event.start_mark.index, event.end_mark.index, event.start_mark.column,
                        anchor=event.anchor)
        else:
            continue
        if stack:
            stack[-1][1].append(node)
        else:
            root = node
    if root is None:
        raise ValueError("the text holds no YAML document")
    return root


def _close(node: Node, children: list[Node], event: yaml.Event) -> None:
    if node.kind == "map":
        node.pairs = list(zip(children[0::2], children[1::2]))
    else:
        node.items = children
    if node.flow:
        node.end = event.end_mark.index
    elif children:
        node.end = children[-1].end
        if node.kind == "map":  # a block mapping's column is its keys' (its start may be an anchor)
            node.column = children[0].column


def apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Replace each span (start, end) of `text` by its new text; spans must not overlap."""
    out, at = [], 0
    for start, end, new in sorted(edits):
        if start < at:
            raise ValueError("overlapping edits")
        out += [text[at:start], new]
        at = end
    out.append(text[at:])
    return "".join(out)


def walk(node: Node, path: tuple = ()):
    """Every node under `node` (itself first) with its path of keys and list positions."""
    yield path, node
    for index, item in enumerate(node.items):
        yield from walk(item, (*path, index))
    for key, value in node.pairs:
        yield from walk(value, (*path, key.value))


def anchor_span(text: str, node: Node) -> tuple[int, int] | None:
    """Where the name of a node's `&anchor` or an alias's `*name` is written (the `&` or `*` included)."""
    if node.anchor is None:
        return None
    if node.kind == "alias":
        return node.start, node.end
    at = text.find("&" + node.anchor, node.start, value_start(text, node))
    return (at, at + 1 + len(node.anchor)) if at >= 0 else None


# --- where things are --------------------------------------------------------------------------------

def newline(text: str) -> str:
    """The file's own line break: that of its first line (CRLF or LF)."""
    at = text.find("\n")
    return "\r\n" if at > 0 and text[at - 1] == "\r" else "\n"


def line_end(text: str, index: int) -> int:
    """The index just after the line break that ends the line holding `index` (or the end of the text)."""
    at = text.find("\n", index)
    return len(text) if at < 0 else at + 1


def value_start(text: str, node: Node) -> int:
    """Where a node's own content starts, after its anchor and tag (`&a !!str value`)."""
    at = node.start
    while at < node.end and text[at] in "&!":
        while at < node.end and text[at] not in " \t\r\n":
            at += 1
        while at < node.end and text[at] in " \t\r\n":
            at += 1
    return at


def after(text: str, node: Node) -> int:
    """Where lines inserted after `node` (a value in block context) go: the start of the line after it.

    A `|` or `>` block ends after its trailing blank lines; unless those are part of its value
    (`|+`), new lines go before them, so the blank lines keep separating what they separated.
    """
    if node.kind == "map" and not node.flow and node.pairs:
        return after(text, node.pairs[-1][1])
    if node.kind == "seq" and not node.flow and node.items:
        return after(text, node.items[-1])
    if not node.block_scalar:
        return line_end(text, node.end)
    value = node.value or ""
    if value.rstrip(" \t\n") + ("\n" if value.endswith("\n") else "") != value:
        return node.end  # trailing blank or spaced lines belong to the value
    at = node.end
    while True:
        line_start = text.rfind("\n", node.start, at - 1) + 1  # of the line before the one at `at`
        if line_start <= node.start or text[line_start:at].strip(" \t\r\n"):
            return at
        at = line_start


def insert_lines(text: str, at: int, lines: list[str]) -> tuple[int, int, str]:
    """An edit inserting whole lines at `at` (the start of a line), with the file's own line break."""
    nl = newline(text)
    if at == len(text) and text and not text.endswith("\n"):  # the last line has no line break
        return (at, at, nl + nl.join(lines))
    return (at, at, nl.join(lines) + nl)


def dash_column(text: str, item: Node) -> int:
    """The column of the `-` that introduces a block sequence's item."""
    at = item.start - 1
    while at >= 0 and text[at] in " \t":
        at -= 1
    return item.column - (item.start - at) if at >= 0 and text[at] == "-" else item.column


def replace_keeping_comment_column(text: str, start: int, end: int, new: str) -> tuple[int, int, str]:
    """An edit replacing [start, end) by `new` that keeps an end-of-line comment after it in its column.

    Trainers line their comments up (`status: draft   # draft | in-review | approved`); at least one
    space is kept before the comment.
    """
    rest = text[end:line_end(text, end)]
    spaces = len(rest) - len(rest.lstrip(" "))
    if spaces == 0 or not rest[spaces:].startswith("#"):
        return start, end, new
    return start, end + spaces, new + " " * max(1, spaces + (end - start) - len(new))


# --- writing values ----------------------------------------------------------------------------------

def scalar(value: str) -> str:
    """`value` as a YAML scalar that reads back as the same text, in block or flow context.

    Plain when that is safe (`Jane Smith`), else double-quoted (`"Smith, J."`).
    """
    if _PLAIN_SAFE.fullmatch(value) and value == value.strip() and not _NUMBER.fullmatch(value) \
            and _reads_as_text(value):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _reads_as_text(value: str) -> bool:
    """Whether a plain `value` is read as that very text by YAML 1.1 tools (not a number, date, bool...)."""
    try:
        return yaml.safe_load(f"k: {value}\n") == {"k": value}
    except yaml.YAMLError:
        return False
