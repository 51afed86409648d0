"""The only way coursekit writes trainers' files: round-trip YAML that keeps comments, and atomic replaces."""

from __future__ import annotations

import bisect
import copy
import io
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

try:  # libyaml's parser, as the loader uses
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_WHOLE = object()  # "the whole collection", as opposed to one of its entries


def round_trip() -> YAML:
    """A ruamel.yaml instance that keeps comments, key order, quoting and blank lines."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap trainers' long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_round_trip(path: Path) -> Any:
    """Read a YAML file keeping everything needed to write it back unchanged."""
    return round_trip().load(path.read_text(encoding="utf-8"))


def dump_round_trip(data: Any) -> str:
    """Serialise round-trip data to text."""
    out = io.StringIO()
    round_trip().dump(data, out)
    return out.getvalue()


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write via a temporary file in the same folder, then rename: readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- guarding writes: nothing a trainer wrote may be lost ---------------------------------------------

_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#", re.MULTILINE)  # where a comment may start


class UnsafeWrite(Exception):
    """A write was refused because it would lose a comment or change data it was not asked to change."""


def comments(text: str) -> list[str]:
    """Every comment in a YAML text, in order, each stripped of surrounding spaces.

    Found independently of ruamel (from libyaml's scalar positions), so a comment ruamel dropped on
    reading is still noticed: a `#` is a comment unless it lies inside a scalar.
    """
    spans = _scalar_spans(text)
    starts = [s for s, _ in spans]
    found, line_done = [], -1
    for match in _COMMENT.finditer(text):
        at = match.start()
        i = bisect.bisect_right(starts, at) - 1
        if at < line_done or (i >= 0 and spans[i][0] <= at < spans[i][1]):
            continue
        end = text.find("\n", at)
        line_done = len(text) if end < 0 else end
        found.append(text[at:line_done].strip())
    return found


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.ScalarEvent):
            start, end = event.start_mark.index, event.end_mark.index
            if event.style in ("|", ">"):  # the header line `|  # note` may carry a comment of its own
                header_end = text.find("\n", start)
                start = end if header_end < 0 else min(header_end, end)
            spans.append((start, end))
    return sorted(spans)


def plain_data(text: str) -> Any:
    """The data of a YAML text exactly as the checker reads it (scalars as text, key order ignored by ==)."""
    from .load import load_bytes

    return load_bytes("(text)", text.encode("utf-8")).data


def without(data: Any, paths: Iterable[tuple[Any, ...]]) -> Any:
    """A deep copy of `data` with the values at `paths` removed (paths that do not exist are ignored)."""
    data = copy.deepcopy(data)
    for path in paths:
        parent = data
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
    return data


def guard(old: str, new: str, may_change: Iterable[tuple[Any, ...]] = ()) -> None:
    """Refuse (raise UnsafeWrite) unless `new` keeps every comment of `old` and all its data outside `may_change`."""
    try:
        after = plain_data(new)
    except Exception as exc:  # noqa: BLE001 - any failure to re-read means the write is not safe
        raise UnsafeWrite(f"the new text could not be read back ({exc})") from None
    lost = Counter(comments(old)) - Counter(comments(new))
    if lost:
        raise UnsafeWrite(f"the new text would lose {sum(lost.values())} comment(s), e.g. `{next(iter(lost))}`")
    paths = list(may_change)
    if without(plain_data(old), paths) != without(after, paths):
        raise UnsafeWrite("the new text would change data it was not asked to change")


def write_guarded(path: Path, old: str, new: str, may_change: Iterable[tuple[Any, ...]] = ()) -> None:
    """Check `new` against `old` with guard(), then write it atomically."""
    guard(old, new, may_change)
    write_atomic(path, new)


# --- moving the lines between entries ----------------------------------------------------------------
# ruamel stores the blank lines and full-line comments that come between two entries as a comment
# after the first entry's last scalar. Appending or reordering entries would leave them in the wrong
# place, so callers detach them first and attach them after whichever entry ends up before them.

def _leaf_slot(node: Any) -> tuple[Any, Any, int] | None:
    """Where the comment after a collection's last scalar lives: (container, key or index, slot)."""
    if isinstance(node, CommentedMap) and node:
        key = next(reversed(node))
        return _leaf_slot(node[key]) or (node, key, 2)
    if isinstance(node, CommentedSeq) and node:
        return _leaf_slot(node[-1]) or (node, len(node) - 1, 0)
    return None


def _slot(node: Any, key: Any = _WHOLE) -> tuple[Any, Any, int] | None:
    if key is _WHOLE:
        return _leaf_slot(node)
    return _leaf_slot(node[key]) or (node, key, 2 if isinstance(node, CommentedMap) else 0)


def _is_block(container: Any, where: Any) -> bool:
    """Whether the value at the slot is a `|` or `>` block, whose comment holds only the lines after it."""
    return isinstance(container[where], (LiteralScalarString, FoldedScalarString))


def detach_trailing(node: Any, key: Any = _WHOLE) -> str:
    """Remove and return the lines after the last line of `node` (or of its entry `key`)."""
    slot = _slot(node, key)
    if slot is None:
        return ""
    container, where, index = slot
    entry = container.ca.items.get(where)
    token = entry[index] if entry and len(entry) > index else None
    if not isinstance(token, CommentToken):
        return ""
    if _is_block(container, where):
        entry[index] = None
        return token.value
    if "\n" not in token.value:
        return ""
    head, rest = token.value.split("\n", 1)
    if not rest:
        return ""
    if head.strip():  # the entry's own end-of-line comment stays with it
        entry[index] = copy.copy(token)
        entry[index].value = head + "\n"
    else:
        entry[index] = None
    return rest


def attach_trailing(node: Any, trailing: str, key: Any = _WHOLE, column: int | None = None) -> None:
    """Put detached lines after the last line of `node` (or of its entry `key`), comments at `column` if given.

    Re-indenting matters after a `|` block: a comment indented deeper than the block's text would become text.
    """
    slot = _slot(node, key)
    if not trailing or slot is None:
        return
    if column is not None:
        trailing = "".join(" " * column + line.lstrip() if line.strip() else line
                           for line in trailing.splitlines(keepends=True))
    container, where, index = slot
    entry = container.ca.items.setdefault(where, [None, None, None, None])
    while len(entry) <= index:
        entry.append(None)
    token = entry[index]
    if isinstance(token, CommentToken):
        entry[index] = copy.copy(token)
        entry[index].value = token.value + ("" if token.value.endswith("\n") else "\n") + trailing
    else:
        entry[index] = CommentToken(trailing if _is_block(container, where) else "\n" + trailing, CommentMark(0))
