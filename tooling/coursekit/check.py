"""The checking pipeline: find a course's files, load them, validate them and assemble the model."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import markup
from .diagnostics import Code, Diagnostic, Severity
from .fingerprint import course_fingerprint, module_fingerprint, picture_digest, shown_fingerprint
from .load import Document, LoadError, load_bytes, read_bytes
from .model import Course, CourseInfo, Module, Reference, markdown_texts
from .pictures import SUFFIXES as IMAGE_SUFFIXES
from .pictures import motion
from .rules import Sources, check_all
from .signoff import course_sign_offs
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
    info: CourseInfo | None = None  # course.yml when it is valid, even if other files have errors
    fingerprints: dict[str, str] = field(default_factory=dict)  # each valid module's file -> what approvals record

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
    rules: tuple[str, list[Diagnostic]] | None = None  # a module's: see rules.Sources.memo


# relative path -> the file as last loaded. `mkdocs serve` keeps one across rebuilds, so an edit to one
# module re-validates that module only; the cross-file rules always run, and a module's own rules run
# again only when it, or what they read of other files, changed (LoadedFile.rules).
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
    course = read(COURSE_FILE, "course")
    src.course_doc, src.course, src.course_raw = course.doc, course.model, course.raw
    references, glossary = read(REFERENCES_FILE, "references", optional=True), read(GLOSSARY_FILE, "glossary", optional=True)
    src.references_doc, src.glossary_doc = references.doc, glossary.doc
    src.references, src.glossary = references.model or [], glossary.model or []
    src.reference_ids = _written_ids(src.references_doc)
    src.pages, src.docs_files = _docs(root, result)
    for relpath in module_paths(root):
        src.module_files.append(relpath.removeprefix("modules/").removesuffix(".yml"))
        loaded = src.memo[relpath] = read(relpath, "module")
        if loaded.doc is not None and loaded.model is not None:
            module = loaded.model
            src.modules[module.id if module.id not in src.modules else relpath] = (loaded.doc, module)
            src.fingerprints[relpath] = loaded.fingerprint
    shown = ShownElsewhere(root, src.references, src.docs_files)
    for relpath, content in list(src.fingerprints.items()):  # approvals record what the page shows
        src.fingerprints[relpath] = shown.fingerprint(src.memo[relpath].model, content)
    result.fingerprints = src.fingerprints
    shown.pictures_in(text for _, text in markdown_texts(src.glossary))  # read for motion: no approval records it
    src.moving_pictures = shown.moving
    result.info = src.course
    result.diagnostics.extend(check_all(src))
    result.diagnostics.sort(key=lambda d: (d.path, d.line, d.column, d.code.value))
    if not result.errors and src.course is not None:
        result.course = assemble(src)
    return result


def _read(result: CheckResult, root: Path, relpath: str, kind: str, optional: bool = False,
          cache: FileCache | None = None) -> LoadedFile:
    """Load and validate one file, recording its diagnostics (an optional file that is not there: nothing)."""
    if optional and not (root / relpath).exists():
        return LoadedFile(b"", None, None, [])
    result.files += 1
    loaded = _load(root, relpath, kind, cache)
    result.diagnostics.extend(loaded.problems)
    return loaded


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


DOCS_DIR = "docs"
PAGE_SUFFIXES = (".md", ".markdown")
# Folders of docs/ that are not course material (MkDocs ignores dot-folders; overrides holds theme templates).
_NOT_PAGES = ("overrides",)


def _docs(root: Path, result: CheckResult) -> tuple[dict[str, str], set[str]]:
    """The hand-written pages (docs/ path -> text) and every file under docs/ (paths relative to docs/)."""
    folder = root / DOCS_DIR
    pages: dict[str, str] = {}
    files: set[str] = set()
    if not folder.is_dir():
        return pages, files
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in names:
            relative = (Path(directory) / name).relative_to(folder).as_posix()
            files.add(relative)
            if name.endswith(PAGE_SUFFIXES) and not relative.startswith(_NOT_PAGES):
                pages[f"{DOCS_DIR}/{relative}"] = _page_text(root, f"{DOCS_DIR}/{relative}", result)
    return {k: v for k, v in pages.items() if v is not None}, files




def course_images(root: Path) -> dict[str, bytes]:
    """The pictures under docs/ (path relative to docs/ -> bytes): what course text may show, e.g. in a PDF.

    A picture that is a link to a file outside docs/ is none of them: a received course folder could make
    `chart.png` a link to a private file, which the PDF would then carry."""
    folder = root / DOCS_DIR
    if not folder.is_dir():
        return {}
    inside = folder.resolve()
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if _is_picture(p, folder, inside)}


def _is_picture(path: Path, folder: Path, inside: Path) -> bool:
    return (path.suffix.lower() in IMAGE_SUFFIXES and _in_docs(path, inside)
            and not any(part.startswith(".") for part in path.relative_to(folder).parts))


def _in_docs(path: Path, inside: Path) -> bool:
    """A file under docs/ (`inside`, resolved), not a link to one elsewhere."""
    return path.is_file() and path.resolve().is_relative_to(inside)


class ShownElsewhere:
    """What a module's page shows from other files: the sources it cites and the pictures its text names.

    Approvals record them with the module's content (fingerprint.shown_fingerprint). A picture is one its
    texts show, as the renderers resolve them (markup.inspect): a path written `chart\\.png`, or a file named
    `rule` or `rule.apng`, is still the picture the page shows."""

    def __init__(self, root: Path, references: Sequence[Reference], docs_files: set[str] | None) -> None:
        self.folder = root / DOCS_DIR
        self.inside = self.folder.resolve()
        self.references = {r.id: r for r in references}
        self.files = docs_files or set()
        self._digests: dict[str, str | None] = {}
        self.moving: dict[str, str] = {}  # a picture named that moves -> why (pictures.motion)

    def fingerprint(self, module: Module, content: str) -> str:
        return shown_fingerprint(content, self.sources(module), self.pictures_of(module))

    def sources(self, module: Module) -> list[Reference]:
        return [self.references[i] for i in module.references if i in self.references]

    def pictures_of(self, module: Module) -> dict[str, str]:
        return self.pictures_in(text for _, text in markdown_texts(module))

    def pictures_in(self, texts: Iterable[str]) -> dict[str, str]:
        """The files under docs/ these texts show (path -> digest); each is read once, and noted if it moves."""
        if not self.files:
            return {}
        shown = {image for text in texts for image in _images(text)}
        return {p: digest for p in sorted(shown & self.files) if (digest := self._digest(p)) is not None}

    def _digest(self, relative: str) -> str | None:
        if relative not in self._digests:
            path = self.folder / relative
            try:
                data = path.read_bytes() if _in_docs(path, self.inside) else None
            except OSError:
                data = None
            text = data is not None and relative.lower().endswith(".svg")  # git may check SVGs out with CRLF
            self._digests[relative] = (picture_digest(data.replace(b"\r\n", b"\n") if text else data)
                                       if data is not None else None)
            moves = motion(relative, data) if data is not None else None
            if moves:
                self.moving[relative] = moves
        return self._digests[relative]


@functools.lru_cache(maxsize=8192)  # `mkdocs serve` asks again at each rebuild, of texts mostly unchanged
def _images(text: str) -> tuple[str, ...]:
    """The pictures a text shows, as the renderers resolve them. Every picture is written `![` (raw HTML is
    shown as text), so a text without one is not converted for nothing."""
    return tuple(markup.inspect(text).images) if "![" in text else ()


def shown_elsewhere(root: Path) -> ShownElsewhere:
    """The sources and pictures modules of the course at `root` can show, as its files now stand (an invalid
    references file shows none of its entries)."""
    references = _load(root, REFERENCES_FILE, "references", None) if (root / REFERENCES_FILE).exists() else None
    _, files = _docs(root, CheckResult(root=root))
    return ShownElsewhere(root, (references.model if references else None) or [], files)


def _page_text(root: Path, relpath: str, result: CheckResult) -> str | None:
    try:
        return (root / relpath).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        result.diagnostics.append(Diagnostic(relpath, 0, 0, Code.FILE_BINARY, "the page is not UTF-8 text; save it as UTF-8"))
    except OSError as exc:
        result.diagnostics.append(Diagnostic(relpath, 0, 0, Code.FILE_MISSING, f"cannot read the page: {exc.strerror}"))
    return None


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
        sign_offs=course_sign_offs(modules, fingerprints, src.course.sign_off),
    )
