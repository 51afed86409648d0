"""The checking pipeline: find a course's files, load them, validate them and assemble the model."""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Code, Diagnostic, Severity
from .fingerprint import course_fingerprint, module_fingerprint
from .load import Document, LoadError, load_bytes, read_bytes
from .model import Course
from .rules import Sources, check_all
from .validate import validate_document

COURSE_FILE = "course/course.yml"
REFERENCES_FILE = "course/references.yml"
GLOSSARY_FILE = "course/glossary.yml"


@dataclass
class CheckResult:
    """What checking a course found: the model (when it has no errors) and every diagnostic."""

    root: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    course: Course | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def ok(self, strict: bool = False) -> bool:
        """True when nothing blocks: no errors, and no warnings either under strict."""
        return not self.errors and not (strict and self.warnings)


class BadToday(ValueError):
    """COURSE_TODAY is set to something that is not a date; the message says what to do."""


def today() -> dt.date:
    """Today's date; COURSE_TODAY=YYYY-MM-DD fixes it, so tests and reviews can be reproduced."""
    fixed = os.environ.get("COURSE_TODAY")
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed.strip())
    except ValueError as exc:
        raise BadToday(f"COURSE_TODAY={fixed} is not a real date written YYYY-MM-DD ({exc}); "
                       "correct it, or unset it to judge review dates against today") from None


def module_paths(root: Path) -> list[str]:
    """Relative paths of the module files, sorted."""
    folder = root / "modules"
    if not folder.is_dir():
        return []
    return sorted(f"modules/{p.name}" for p in folder.iterdir() if p.suffix == ".yml" and p.is_file())


@dataclass
class LoadedFile:
    """One file as read, loaded and validated; kept in a FileCache to skip the work while its bytes stay the same."""

    raw: bytes
    doc: Document | None
    model: Any
    problems: list[Diagnostic]
    fingerprint: str = ""  # of a valid module: hashed once per content, shared by the rules and the model


# relative path -> the file as last loaded. `mkdocs serve` keeps one across rebuilds, so an edit to one
# module re-validates that module only; the cross-file rules always run.
FileCache = dict[str, LoadedFile]


def check_course(root: Path, on_date: dt.date | None = None, cache: FileCache | None = None) -> CheckResult:
    """Check the course at `root`; every problem in every file is reported in one pass."""
    result = CheckResult(root=root)
    read = functools.partial(_read, result, root, cache=cache)
    src = Sources(today=on_date or today())
    if not (root / COURSE_FILE).is_file():
        result.diagnostics.append(Diagnostic(COURSE_FILE, 0, 0, Code.FILE_MISSING,
                                             f"no {COURSE_FILE} here: is {root} a course folder? (start one with `course init`)"))
        return result
    src.course_doc, src.course = read(COURSE_FILE, "course")[:2]
    src.references_doc, refs = read(REFERENCES_FILE, "references", optional=True)[:2]
    src.glossary_doc, terms = read(GLOSSARY_FILE, "glossary", optional=True)[:2]
    src.references, src.glossary = refs or [], terms or []
    src.reference_ids = _written_ids(src.references_doc)
    for relpath in module_paths(root):
        src.module_files.append(relpath.removeprefix("modules/").removesuffix(".yml"))
        doc, module, fingerprint = read(relpath, "module")
        if doc is not None and module is not None:
            src.modules[module.id if module.id not in src.modules else relpath] = (doc, module)
            src.fingerprints[relpath] = fingerprint
    result.diagnostics.extend(check_all(src))
    result.diagnostics.sort(key=lambda d: (d.path, d.line, d.column, d.code.value))
    if not result.errors and src.course is not None:
        result.course = assemble(src)
    return result


def _read(result: CheckResult, root: Path, relpath: str, kind: str, optional: bool = False,
          cache: FileCache | None = None) -> tuple[Document | None, Any, str]:
    """Load and validate one file, recording its diagnostics; return (document, model, fingerprint) or Nones."""
    if optional and not (root / relpath).exists():
        return None, None, ""
    result.files += 1
    loaded = _load(root, relpath, kind, cache)
    result.diagnostics.extend(loaded.problems)
    return loaded.doc, loaded.model, loaded.fingerprint


def _load(root: Path, relpath: str, kind: str, cache: FileCache | None) -> LoadedFile:
    try:
        raw = read_bytes(root, relpath)
    except LoadError as exc:
        return LoadedFile(b"", None, None, [exc.diagnostic])
    known = cache.get(relpath) if cache is not None else None
    if known is not None and known.raw == raw:
        return known
    try:
        doc = load_bytes(relpath, raw)
    except LoadError as exc:
        loaded = LoadedFile(raw, None, None, [exc.diagnostic])
    else:
        model, problems = validate_document(doc, kind)
        fingerprint = module_fingerprint(model) if kind == "module" and model is not None else ""
        loaded = LoadedFile(raw, doc, model, problems, fingerprint)
    if cache is not None:
        cache[relpath] = loaded
    return loaded


def _written_ids(doc: Document | None) -> set[str]:
    """Ids as written in a list file, so an invalid entry's id does not also break every citation of it."""
    if doc is None or not isinstance(doc.data, list):
        return set()
    return {item["id"] for item in doc.data if isinstance(item, dict) and isinstance(item.get("id"), str)}


def assemble(src: Sources) -> Course:
    """Build the course model from valid sources, modules in course order."""
    assert src.course is not None  # only called when course.yml validated
    loaded = [src.modules[m] for m in src.course.modules]
    modules = tuple(module for _, module in loaded)
    fingerprints = {module.id: src.fingerprints[doc.path] for doc, module in loaded}
    references, glossary = tuple(src.references), tuple(src.glossary)
    return Course(
        info=src.course, modules=modules, references=references, glossary=glossary,
        fingerprint=course_fingerprint(src.course, fingerprints, references, glossary),
        module_fingerprints=fingerprints,
    )
