"""`course fmt`: one layout for every course file (indentation, key order), keeping every comment and value.

The key order is the order the model declares its fields in, which is the order of the format contract:
the schema is declared once. Only files that pass `course check` are formatted, so every mapping is
one the model knows.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .diagnostics import Diagnostic
from .model import CourseInfo, GlossaryEntry, Module, Reference
from .check import COURSE_FILE, GLOSSARY_FILE, REFERENCES_FILE
from . import yamltext
from .yamlio import UnsafeWrite, attach_trailing, course_lock, detach_trailing, dump_round_trip, guard, round_trip, write_files

FILE_MODELS: dict[str, type[BaseModel]] = {
    COURSE_FILE: CourseInfo,
    REFERENCES_FILE: Reference,
    GLOSSARY_FILE: GlossaryEntry,
}
MAX_PASSES = 3  # ruamel settles in one pass; a second confirms it, a third would mean a bug


class FormatError(Exception):
    """Formatting could not produce a text as safe as the original."""


def model_for(relpath: str) -> type[BaseModel] | None:
    """The model whose field order lays out the file at `relpath`, or None when fmt leaves it alone."""
    if relpath.startswith("modules/") and relpath.endswith(".yml") and relpath.count("/") == 1:
        return Module
    return FILE_MODELS.get(relpath)


def format_text(text: str, model: type[BaseModel]) -> str:
    """Return `text` laid out in the house style with keys in contract order (pure; comments and data kept).

    The file's line endings (CRLF or LF), byte-order mark and anchor names are kept. Raises FormatError
    when ruamel.yaml cannot lay the text out safely, UnsafeWrite when the result would lose anything.
    """
    bom, body = yamltext.split_bom(text)
    nl = yamltext.newline(body)
    plain = body.replace("\r\n", "\n")
    try:
        current = _settle(plain, model)
    except FormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - ruamel.yaml refusing some valid YAML is not the trainer's fault
        problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FormatError(f"ruamel.yaml, which fmt uses, cannot lay out this file ({problem})") from None
    current = keep_source_details(plain, current)
    guard(plain, current)
    return bom + current.replace("\n", nl)


def _settle(text: str, model: type[BaseModel]) -> str:
    """Lay out and reorder until the text no longer changes."""
    current = text
    for _ in range(MAX_PASSES):
        data = round_trip().load(current)
        _dump_every_anchor(data)
        reorder(data, model)
        formatted = dump_round_trip(data)
        if formatted == current:
            return current
        current = formatted
    raise FormatError("the layout does not settle")


def _dump_every_anchor(node: Any) -> None:
    """ruamel writes an anchor only when an alias refers to it; a trainer's `&first` stays all the same."""
    anchor = getattr(node, "anchor", None) if isinstance(node, (CommentedMap, CommentedSeq, str, int, float)) else None
    if anchor is not None and getattr(anchor, "value", None):
        anchor.always_dump = True
    if isinstance(node, CommentedMap):
        for value in node.values():
            _dump_every_anchor(value)
    elif isinstance(node, CommentedSeq):
        for item in node:
            _dump_every_anchor(item)


def keep_source_details(old: str, new: str) -> str:
    """`new` with what ruamel changes but a trainer wrote on purpose put back: anchor names and escapes.

    ruamel renames some anchors and drops others (`&checked` on a date becomes `&id001`, or disappears
    when nothing refers to it), and writes `"caf\\u00e9"` as `"café"` (an invisible `\\u200b` would
    vanish from sight). Raises FormatError when an anchor of `old` would still be lost.
    """
    old_nodes = dict(yamltext.walk(yamltext.parse(old)))
    nodes = list(yamltext.walk(yamltext.parse(new)))
    kept = yamltext.apply(new, _anchor_edits(old_nodes, nodes, new) + _escape_edits(old, old_nodes, nodes, new))
    names = {node.anchor for _, node in yamltext.walk(yamltext.parse(kept)) if node.anchor}
    lost = sorted({node.anchor for node in old_nodes.values() if node.anchor} - names)
    if lost:
        raise FormatError(f"ruamel.yaml, which fmt uses, would drop the anchor &{lost[0]}")
    return kept


def _anchor_edits(old_nodes: dict, nodes: list, new: str) -> list[tuple[int, int, str]]:
    new_names = {node.anchor for _, node in nodes if node.anchor}
    renames: dict[str, str] = {}
    edits = []
    for path, node in nodes:
        wanted = old_nodes[path].anchor if path in old_nodes else None
        if wanted is None or wanted == node.anchor:
            continue
        if node.anchor is not None:
            renames.setdefault(node.anchor, wanted)
        elif node.kind == "scalar" and node.end > node.start and wanted not in new_names:
            edits.append(yamltext.replace_keeping_comment_column(
                new, node.start, node.end, f"&{wanted} {new[node.start:node.end]}"))
    for _, node in nodes:
        span = yamltext.anchor_span(new, node)
        if node.anchor in renames and span is not None:
            edits.append((span[0], span[1], new[span[0]] + renames[node.anchor]))
    return edits


def _escape_edits(old: str, old_nodes: dict, nodes: list, new: str) -> list[tuple[int, int, str]]:
    """Put back the source of one-line double-quoted values whose text is unchanged (their escapes)."""
    edits = []
    for path, node in nodes:
        was = old_nodes.get(path)
        if node.style != '"' or was is None or was.style != '"' or was.value != node.value:
            continue
        source = old[yamltext.value_start(old, was):was.end]
        start = yamltext.value_start(new, node)
        if "\n" not in source and source != new[start:node.end]:
            edits.append(yamltext.replace_keeping_comment_column(new, start, node.end, source))
    return edits


def reorder(node: Any, model: type[BaseModel], column: int = 0) -> None:
    """Put the keys of `node` (and of the mappings inside it) in the order `model` declares them.

    `column` is where this node's keys will be written (house style: mappings +2, list items +4).
    """
    if isinstance(node, CommentedSeq):
        for item in node:
            reorder(item, model, column + 4)
        return
    if not isinstance(node, CommentedMap):
        return
    fields = list(model.model_fields)
    wanted = [k for k in fields if k in node] + [k for k in node if k not in fields]
    if list(node) != wanted:
        _move_keys(node, wanted, column)
    for key in node:
        child = _nested_model(model.model_fields[key].annotation) if key in model.model_fields else None
        if child is not None:
            reorder(node[key], child, column if isinstance(node[key], CommentedSeq) else column + 2)


def _move_keys(node: CommentedMap, wanted: list[Any], column: int) -> None:
    """Reorder keys; the comment lines above a key travel with it (ruamel stores them on the key before)."""
    keys = list(node)
    above = {key: detach_trailing(node, prev) for prev, key in zip(keys, keys[1:])}
    tail = detach_trailing(node, keys[-1])
    for key in wanted:
        node.move_to_end(key)
    lost_first = above.pop(wanted[0], "")  # lines that were above a key now first: keep them just after it
    for prev, key in zip(wanted, wanted[1:]):
        attach_trailing(node, (lost_first if prev == wanted[0] else "") + above.get(key, ""), prev, column)
    attach_trailing(node, tail, wanted[-1], column)


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation such as `list[Choice] | None`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _nested_model(arg)
            if found is not None:
                return found
    return None


# --- files -------------------------------------------------------------------------------------------

@dataclass
class FormatReport:
    """What `course fmt` did: files changed, already formatted, refused (their errors), kept as written (why)."""

    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: dict[str, list[Diagnostic]] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)  # valid files fmt cannot lay out safely, and why
    files: int = 0


def course_root(path: Path) -> tuple[Path, str | None]:
    """Split PATH into (course root, one file relative to it or None for the whole course)."""
    if path.is_dir():
        return path, None
    parent = path.parent.resolve()  # not the file: a module kept elsewhere behind a symlink is still modules/x.yml
    return parent.parent, f"{parent.name}/{path.name}"


def format_course(root: Path, only: str | None = None, write: bool = True) -> FormatReport:
    """Format the course files under `root` (or just `only`); files with check errors are refused.

    Writing holds the course's lock and changes every formatted file or none (yamlio.write_files).
    """
    if not write:
        return _format_course(root, only, write)
    with course_lock(root):
        return _format_course(root, only, write)


def _format_course(root: Path, only: str | None, write: bool) -> FormatReport:
    from .check import check_course, module_paths

    result = check_course(root)
    report = FormatReport(files=result.files)
    if not (root / COURSE_FILE).is_file():
        report.refused[COURSE_FILE] = result.errors
        return report
    candidates = [COURSE_FILE, *(p for p in FILE_MODELS if p != COURSE_FILE), *module_paths(root)]
    pending: dict[Path, str] = {}
    for relpath in [only] if only else candidates:
        if not (root / relpath).is_file():
            continue
        errors = [d for d in result.errors if d.path == relpath]
        if errors or model_for(relpath) is None:
            report.refused[relpath] = errors
            continue
        formatted = _format_file(root, relpath, report)
        if formatted is not None:
            pending[root / relpath] = formatted
    if write and pending:
        write_files(pending)
    return report


def _format_file(root: Path, relpath: str, report: FormatReport) -> str | None:
    """The new text of one file, or None when it stays as it is (recorded in the report)."""
    model = model_for(relpath)
    assert model is not None  # format_course refuses other files
    text = (root / relpath).read_bytes().decode("utf-8")  # not read_text: that would turn CRLF into LF
    try:
        formatted = format_text(text, model)
    except (FormatError, UnsafeWrite) as exc:
        report.kept[relpath] = str(exc)
        return None
    if formatted == text:
        report.unchanged.append(relpath)
        return None
    report.changed.append(relpath)
    return formatted
