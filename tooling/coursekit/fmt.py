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
from .yamlio import UnsafeWrite, attach_trailing, detach_trailing, dump_round_trip, guard, round_trip, write_atomic

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
    """Return `text` laid out in the house style with keys in contract order (pure; comments and data kept)."""
    current = text
    for _ in range(MAX_PASSES):
        data = round_trip().load(current)
        reorder(data, model)
        formatted = dump_round_trip(data)
        if formatted == current:
            break
        current = formatted
    else:
        raise FormatError("the layout does not settle; the file was left as it is")
    guard(text, current)
    return current


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
    """What `course fmt` did: files changed, files already formatted, files refused with their errors."""

    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: dict[str, list[Diagnostic]] = field(default_factory=dict)
    files: int = 0


def course_root(path: Path) -> tuple[Path, str | None]:
    """Split PATH into (course root, one file relative to it or None for the whole course)."""
    if path.is_dir():
        return path, None
    parent = path.resolve().parent
    return parent.parent, f"{parent.name}/{path.name}"


def format_course(root: Path, only: str | None = None, write: bool = True) -> FormatReport:
    """Format the course files under `root` (or just `only`); files with check errors are refused."""
    from .check import check_course, module_paths

    result = check_course(root)
    report = FormatReport(files=result.files)
    if not (root / COURSE_FILE).is_file():
        report.refused[COURSE_FILE] = result.errors
        return report
    candidates = [COURSE_FILE, *(p for p in FILE_MODELS if p != COURSE_FILE), *module_paths(root)]
    pending: dict[str, str] = {}
    for relpath in [only] if only else candidates:
        if not (root / relpath).is_file():
            continue
        errors = [d for d in result.errors if d.path == relpath]
        if errors or model_for(relpath) is None:
            report.refused[relpath] = errors
            continue
        _format_file(root, relpath, report, pending)
    # Written only once every file formatted safely: a refusal half-way leaves all files as they were.
    for relpath, formatted in pending.items() if write else ():
        write_atomic(root / relpath, formatted)
    return report


def _format_file(root: Path, relpath: str, report: FormatReport, pending: dict[str, str]) -> None:
    model = model_for(relpath)
    assert model is not None  # format_course refuses other files
    text = (root / relpath).read_text(encoding="utf-8")
    try:
        formatted = format_text(text, model)
    except FormatError as exc:
        raise FormatError(f"{relpath}: {exc}") from None
    except UnsafeWrite as exc:
        raise UnsafeWrite(f"{relpath}: {exc}") from None
    if formatted == text:
        report.unchanged.append(relpath)
        return
    report.changed.append(relpath)
    pending[relpath] = formatted
