"""Read course YAML files into plain data, keeping a way back to line and column.

Design: libyaml's C parser produces events; one short Python loop builds the values from them.
Positions are not stored while loading (clean files never pay for them): a Document re-reads its
own text into a position index only when a diagnostic asks where something is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Code, Diagnostic
from .syntax_hints import syntax_hint

try:  # the C parser is what makes checking fast; fall back rather than fail where it is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML wheels ship libyaml
    _Loader = yaml.SafeLoader
_PyLoader: type = yaml.SafeLoader  # PyYAML's own parser: no nesting limit of its own, events as it goes

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 64  # course files nest about 6 deep; the bound keeps hostile files from exhausting stacks
MAX_ALIAS_NODES = 10_000  # values an alias may re-use in one file, in total ("billion laughs" guard)

# Tags a trainer may legitimately write; their values are kept as text and typed by the schema.
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

PathKey = tuple[Any, ...]


class LoadError(Exception):
    """A file could not be read into data; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class Document:
    """One loaded YAML file: its data, and where each value came from (computed on demand)."""

    path: str  # relative to the course root
    text: str
    data: Any
    _index: dict[PathKey, tuple[tuple[int, int], tuple[int, int] | None]] | None = field(
        default=None, repr=False
    )

    def locate(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Return the 1-based (line, column) of the value at `path`, or of its key when `key`.

        A path that does not exist (a missing key) falls back to its nearest existing parent.
        """
        if self._index is None:
            self._index = _position_index(self.text)
        path = tuple(path)
        while path not in self._index and path:
            path = path[:-1]
        value_mark, key_mark = self._index.get(path, ((1, 1), None))
        return key_mark if (key and key_mark) else value_mark

    def diagnostic(self, path: PathKey, code: Code, message: str, *, key: bool = False) -> Diagnostic:
        """Make a diagnostic located at `path` in this document."""
        line, column = self.locate(path, key=key)
        return Diagnostic(self.path, line, column, code, message)


def load_file(root: Path, relpath: str) -> Document:
    """Load one file under `root`; raise LoadError with a located diagnostic when it cannot be read."""
    return load_bytes(relpath, read_bytes(root, relpath))


def read_bytes(root: Path, relpath: str) -> bytes:
    """The bytes of one file under `root`; raise LoadError naming the file when it cannot be read."""
    try:
        return (root / relpath).read_bytes()
    except FileNotFoundError:
        raise LoadError(Diagnostic(relpath, 0, 0, Code.FILE_MISSING, "file not found")) from None
    except OSError as exc:
        raise LoadError(
            Diagnostic(relpath, 0, 0, Code.FILE_MISSING, f"cannot read the file: {exc.strerror}")
        ) from None


def load_bytes(relpath: str, raw: bytes) -> Document:
    """Load YAML bytes named `relpath`; raise LoadError on anything that is not one clean document."""
    text = _decode(relpath, raw)
    data = _build(relpath, text)
    if data is None:
        raise LoadError(
            Diagnostic(relpath, 0, 0, Code.FILE_EMPTY, "the file is empty; it needs the keys of the course format")
        )
    return Document(relpath, text, data)


def _decode(relpath: str, raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(
            Diagnostic(relpath, 0, 0, Code.FILE_TOO_LARGE, f"the file is {len(raw):,} bytes; the limit is 2 MB")
        )
    if b"\x00" in raw:
        raise LoadError(Diagnostic(relpath, 0, 0, Code.FILE_BINARY, "the file holds binary data, not text"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(
            Diagnostic(relpath, line, column, Code.FILE_BINARY, "the file is not UTF-8 text; save it as UTF-8")
        ) from None
    return text


def _mark(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _fail(relpath: str, event: Any, code: Code, message: str) -> LoadError:
    line, column = _mark(event)
    return LoadError(Diagnostic(relpath, line, column, code, message))


def _tag_name(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _scalar(relpath: str, event: Any) -> Any:
    """Keep scalars as text (the schema types them); only an empty or `null` plain scalar is None."""
    tag = event.tag
    if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
        raise _fail(relpath, event, Code.YAML_TAG, f"the tag `{_tag_name(tag)}` is not used in course files; remove it")
    if not event.style and tag is None and event.value in _NULLS:  # plain style is "" in libyaml, None in pure Python
        return None
    return event.value


def _parser_for(text: str) -> type:
    """The C parser, unless one line opens more flow collections (`[`, `{`) than files may nest.

    While a `[` or `{` may still start a key, libyaml reads ahead to the end of the line before it
    yields an event, and newer libyaml stops at its own nesting limit (1000 levels) while doing so,
    with its own message. So the depth is decided here, not by whichever libyaml is installed: a line
    that could nest that deep is read by PyYAML's pure-Python parser, which yields events as it goes,
    and the builder stops at the 65th level, where it would on any line. (Lines are split at "\n"
    only: YAML's other line breaks make them longer, never shorter, so no such line is missed.)
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return _Loader
    deep = any(line.count("[") + line.count("{") > MAX_DEPTH for line in text.split("\n"))
    return _PyLoader if deep else _Loader


def _events(relpath: str, text: str):
    """Yield parser events, turning the parser's errors into located diagnostics."""
    try:
        yield from _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or "the text is not valid YAML"
        message = f"YAML syntax: {problem}" + (f" ({exc.context})" if exc.context else "")
        hint = syntax_hint(text, line, column)
        if hint is not None:  # the parser's words, then what to change, where the mistake is
            line, column = hint.line, hint.column
            message += f". {hint.text[0].upper()}{hint.text[1:]}"
        raise LoadError(Diagnostic(relpath, line, column, Code.YAML_SYNTAX, message)) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise LoadError(Diagnostic(
            relpath, line, column, Code.FILE_BINARY,
            f"the file contains a control character (#x{exc.character:04x}) that YAML does not allow; delete it",
        )) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports everything else with a mark
        problem = " ".join(str(exc).split())
        raise LoadError(Diagnostic(relpath, 1, 1, Code.YAML_SYNTAX, f"YAML syntax: {problem}")) from None


class _Builder:
    """Turns an event stream into Python values, one container on the stack per open collection."""

    def __init__(self, relpath: str):
        self.relpath = relpath
        self.stack: list[list[Any]] = []  # [container, pending key, start event, anchor, node count]
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.alias_nodes = 0
        self.documents = 0
        self.result: Any = None

    def feed(self, event: Any) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self.add(_scalar(self.relpath, event), event, 1, event.anchor)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if len(self.stack) >= MAX_DEPTH:
                raise _fail(self.relpath, event, Code.YAML_NESTING, f"lists and blocks nest deeper than {MAX_DEPTH} levels")
            self.check_tag(event)
            container: Any = {} if kind is yaml.MappingStartEvent else []
            self.stack.append([container, _NO_KEY, event, event.anchor, 1])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            container, _, start, anchor, size = self.stack.pop()
            self.add(container, start, size, anchor)
        elif kind is yaml.AliasEvent:
            self.alias(event)
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise _fail(self.relpath, event, Code.YAML_SYNTAX, "a course file holds one YAML document; remove '---'")

    def check_tag(self, event: Any) -> None:
        if event.tag is not None and event.tag != "!" and event.tag not in _PLAIN_TAGS:
            raise _fail(self.relpath, event, Code.YAML_TAG, f"the tag `{_tag_name(event.tag)}` is not used in course files; remove it")

    def alias(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            raise _fail(
                self.relpath, event, Code.YAML_ALIAS_LIMIT,
                f"the alias *{event.anchor} refers to an anchor that is not defined before it (or to itself)",
            )
        value, size = self.anchors[event.anchor]
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise _fail(
                self.relpath, event, Code.YAML_ALIAS_LIMIT,
                f"aliases expand to more than {MAX_ALIAS_NODES:,} values; write the content out instead",
            )
        self.add(value, event, size, None)

    def add(self, value: Any, event: Any, size: int, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.result = value
            return
        top = self.stack[-1]
        top[4] += size
        container = top[0]
        if type(container) is list:
            container.append(value)
        elif top[1] is _NO_KEY:
            self.set_key(top, value, event)
        else:
            container[top[1]] = value
            top[1] = _NO_KEY

    def set_key(self, top: list[Any], key: Any, event: Any) -> None:
        if not isinstance(key, str):
            raise _fail(self.relpath, event, Code.YAML_KEY, "a key must be a simple name such as `title`")
        if key in top[0]:
            raise _fail(
                self.relpath, event, Code.YAML_DUPLICATE_KEY,
                f"the key `{key}` appears twice in the same block; keep one",
            )
        top[1] = key


_NO_KEY = object()


def _parse(text: str):
    """The parser's events, as yaml.parse gives them, in lists (a generator step per event is a fifth of a load).

    The builder sees every event before the parser's error that follows it, as it would one by one. PyYAML's
    own parser, used for deeply nested lines, gives one event at a time: the builder stops it at its limit.
    """
    parser = _parser_for(text)
    loader = parser(text)
    size = 1 if parser is _PyLoader else 256
    try:
        get = loader.get_event
        while True:
            batch: list[Any] = []
            try:
                for _ in range(size):
                    event = get()
                    if event is None:  # the stream has ended
                        yield batch
                        return
                    batch.append(event)
            except yaml.YAMLError:
                yield batch
                raise
            yield batch
    finally:
        loader.dispose()


def _build(relpath: str, text: str) -> Any:
    builder = _Builder(relpath)
    feed = builder.feed
    for batch in _events(relpath, text):
        for event in batch:
            feed(event)
    return builder.result


def _position_index(text: str) -> dict[PathKey, tuple[tuple[int, int], tuple[int, int] | None]]:
    """Map every path in a (successfully loaded) text to (value position, key position)."""
    index: dict[PathKey, tuple[tuple[int, int], tuple[int, int] | None]] = {}
    # Each open collection: [its path, next list index or pending key, pending key's position]
    stack: list[list[Any]] = []
    first = True

    def place(event: Any) -> PathKey | None:
        nonlocal first
        if not stack:
            if first:
                index[()] = (_mark(event), None)
                first = False
            return ()
        top = stack[-1]
        if top[1] is _NO_KEY:  # this scalar is a key
            top[1], top[2] = getattr(event, "value", None), _mark(event)
            return None
        if isinstance(top[1], int):
            path = (*top[0], top[1])
            index[path] = (_mark(event), None)
            top[1] += 1
        else:
            path = (*top[0], top[1])
            index[path] = (_mark(event), top[2])
            top[1] = _NO_KEY
        return path

    for event in yaml.parse(text, Loader=_parser_for(text)):
        kind = type(event)
        if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
            place(event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            path = place(event)
            if path is None:  # a collection used as a key; loading already rejected it
                path = ()
            stack.append([path, _NO_KEY if kind is yaml.MappingStartEvent else 0, None])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
    return index
