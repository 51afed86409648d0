"""Schema validation of one loaded file: pydantic's errors, said in trainers' words, at file:line:column."""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .diagnostics import Code, Diagnostic, did_you_mean
from .load import Document
from .model import PATTERN_HELP, CourseInfo, GlossaryEntry, Module, Reference

# What each kind of file must be, and the adapter that validates it (built once: building is the cost).
FILE_KINDS: dict[str, Any] = {
    "course": CourseInfo,
    "module": Module,
    "references": list[Reference],
    "glossary": list[GlossaryEntry],
}
_ADAPTERS = {kind: TypeAdapter(shape) for kind, shape in FILE_KINDS.items()}
# List files are validated item by item, so one bad entry does not hide the good ones from other checks.
_ITEM_ADAPTERS = {"references": TypeAdapter(Reference), "glossary": TypeAdapter(GlossaryEntry)}

_KIND_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (lines starting with `- `)",
    "model_type": "a block of keys (such as `id:` and `title:` on their own lines)",
    "model_attributes_type": "a block of keys (such as `id:` and `title:` on their own lines)",
    "dict_type": "a block of keys",
}
_DATE_TYPES = {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}


def validate_document(doc: Document, kind: str) -> tuple[Any, list[Diagnostic]]:
    """Validate a document as the given kind; return (model or None, diagnostics).

    For list files the model is the list of the entries that are valid.
    """
    if kind in _ITEM_ADAPTERS and isinstance(doc.data, list):
        return _validate_items(doc, kind)
    try:
        return _ADAPTERS[kind].validate_python(doc.data), []
    except ValidationError as exc:
        return None, _translate(doc, FILE_KINDS[kind], exc.errors(include_url=False))


def _validate_items(doc: Document, kind: str) -> tuple[list[Any], list[Diagnostic]]:
    valid, problems = [], []
    for i, item in enumerate(doc.data):
        try:
            valid.append(_ITEM_ADAPTERS[kind].validate_python(item))
        except ValidationError as exc:
            errors = [{**e, "loc": (i, *e["loc"])} for e in exc.errors(include_url=False)]
            problems.extend(_translate(doc, FILE_KINDS[kind], errors))
    return valid, problems


def _translate(doc: Document, shape: Any, errors: list[dict[str, Any]]) -> list[Diagnostic]:
    diagnostics: dict[tuple[Any, ...], Diagnostic] = {}
    for error in errors:
        loc, owner, in_union = _clean_loc(shape, error["loc"])
        if in_union and loc in diagnostics:
            continue  # one message for a value that matched none of a union's forms
        diagnostics[loc] = _diagnostic(doc, shape, loc, owner, error, in_union)
    return sorted(_drop_misspelt_missing(diagnostics, errors).values())


def _drop_misspelt_missing(diagnostics: dict[tuple[Any, ...], Diagnostic], errors: list[dict[str, Any]]):
    """A typo (`titel`) already says "did you mean `title`"; the matching "needs `title`" would repeat it."""
    unknown = [e["loc"] for e in errors if e["type"] == "extra_forbidden"]
    for loc in [loc for loc, d in diagnostics.items() if d.code is Code.SCHEMA_MISSING_KEY]:
        parent, wanted = loc[:-1], loc[-1]
        typos = [u[-1] for u in unknown if tuple(u[:-1]) == parent and isinstance(u[-1], str)]
        if difflib.get_close_matches(str(wanted), typos, n=1, cutoff=0.6):
            del diagnostics[loc]
    return diagnostics


def _clean_loc(shape: Any, loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any, bool]:
    """Drop pydantic's union-member tags from a location; return (path, model owning the last key, was union)."""
    path: list[Any] = []
    current, owner, in_union = shape, None, False
    for part in loc:
        inner = _step(current, part)
        if inner is _NOT_A_FIELD:
            in_union = True
            continue
        path.append(part)
        if isinstance(part, str) and _is_model(current):
            owner = current
        current = inner
    return tuple(path), owner, in_union


_NOT_A_FIELD = object()


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional to reach the type a value must have."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _step(tp: Any, part: Any) -> Any:
    tp = _unwrap(tp)
    if isinstance(part, int):
        args = typing.get_args(tp)
        return args[0] if typing.get_origin(tp) is list and args else None
    if _is_model(tp):
        fields = tp.model_fields
        return fields[part].annotation if part in fields else None  # an unknown key the trainer wrote
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return _NOT_A_FIELD
    return None


def _name(loc: tuple[Any, ...]) -> str:
    if not loc:
        return "the file"
    last = loc[-1]
    if isinstance(last, int):
        parent = next((p for p in reversed(loc) if isinstance(p, str)), None)
        return f"item {last + 1} of `{parent}`" if parent else f"item {last + 1}"
    return f"`{last}`"


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, (dict, list)) else ("a block of keys" if isinstance(value, dict) else "a list")
    return text if len(text) <= 60 else text[:57] + "..."


def _help(owner: Any, loc: tuple[Any, ...]) -> str:
    if owner is None or not loc or not isinstance(loc[-1], str):
        return ""
    info = owner.model_fields.get(loc[-1])
    return (info.description or "") if info else ""


def _diagnostic(doc: Document, shape: Any, loc: tuple[Any, ...], owner: Any, error: dict[str, Any], in_union: bool) -> Diagnostic:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    name = _name(loc)
    if kind == "extra_forbidden":
        return doc.diagnostic(loc, Code.SCHEMA_UNKNOWN_KEY, _unknown_key(owner, loc[-1]), key=True)
    if kind == "missing":
        info = _help(owner, loc)
        where = _name(loc[:-1]) if len(loc) > 1 else "this file"
        hint = f": {info}" if info else ""
        return doc.diagnostic(loc[:-1], Code.SCHEMA_MISSING_KEY, f"{where} needs the key {name}{hint}")
    if in_union:
        return doc.diagnostic(loc, Code.SCHEMA_VALUE, f"{name} must be {_help(owner, loc) or 'one of the allowed forms'}")
    if kind in _DATE_TYPES:
        return doc.diagnostic(loc, Code.SCHEMA_DATE, _date_message(name, value))
    if kind in _KIND_WORDS and value is None:
        return doc.diagnostic(loc, Code.SCHEMA_TYPE, f"{name} is empty; it must be {_KIND_WORDS[kind]}")
    if kind in _KIND_WORDS:
        return doc.diagnostic(loc, Code.SCHEMA_TYPE, f"{name} must be {_KIND_WORDS[kind]}, not {_show(value)}")
    return doc.diagnostic(loc, Code.SCHEMA_VALUE, _value_message(name, kind, value, ctx, error["msg"]))


def _unknown_key(owner: Any, key: str) -> str:
    allowed = list(owner.model_fields) if owner is not None else []
    hint = did_you_mean(key, allowed)
    listed = f" Keys allowed here: {', '.join(allowed)}." if allowed else ""
    return f"unknown key `{key}`{hint}{listed}"


def _date_message(name: str, value: Any) -> str:
    reason = ""
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            reason = f" ({exc})" if "out of range" in str(exc) else ""
    return f"{name} must be a real date written YYYY-MM-DD, not {_show(value)}{reason}"


def _value_message(name: str, kind: str, value: Any, ctx: dict[str, Any], fallback: str) -> str:
    shown = _show(value)
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",") if o.strip()]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        return f"{name} must be one of {', '.join(f'`{o}`' for o in options)}, not {shown}{hint}"
    if kind == "string_pattern_mismatch":
        return f"{name} must be {PATTERN_HELP.get(ctx.get('pattern', ''), 'in the documented form')}, not {shown}"
    if kind in ("string_too_short", "too_short"):
        if kind == "string_too_short":
            return f"{name} is empty; write its text"
        return f"{name} needs at least {ctx.get('min_length', 1)} item(s)"
    if kind == "too_long":
        return f"{name} has {ctx.get('actual_length', 'too many')} items; at most {ctx.get('max_length')} are allowed"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{name} must be at least {ctx.get('ge', ctx.get('gt'))}, not {shown}"
    if kind in ("less_than_equal", "less_than"):
        return f"{name} must be at most {ctx.get('le', ctx.get('lt'))}, not {shown}"
    return f"{name}: {fallback.lower()} (found {shown})"
