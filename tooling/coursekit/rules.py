"""Rules of the course format within and across files; each check is a claim that returns its breaches."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Code, Diagnostic, did_you_mean
from .load import Document
from .model import RESERVED_IDS, CourseInfo, GlossaryEntry, Module, Question, Reference
from .placeholders import PROSE_KEYS, placeholder_texts

LINK = re.compile(r"\]\(\s*(module|ref):([^)#\s]*)(?:#([^)\s]*))?\s*\)")
UNSAFE = re.compile(
    r"<\s*(script|iframe|object|embed|style|form)\b|<[^>]*\son[a-z]+\s*=|javascript\s*:|data\s*:\s*text/html",
    re.IGNORECASE,
)
CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
STALE_AFTER = dt.timedelta(days=365)


@dataclass
class Sources:
    """The loaded and schema-valid files of a course, with the documents that locate their values."""

    today: dt.date
    course_doc: Document | None = None
    course: CourseInfo | None = None
    modules: dict[str, tuple[Document, Module]] = field(default_factory=dict)
    module_files: list[str] = field(default_factory=list)  # every modules/*.yml id, valid or not
    references_doc: Document | None = None
    references: list[Reference] = field(default_factory=list)
    reference_ids: set[str] = field(default_factory=set)  # ids written in the file, valid entries or not
    fingerprints: dict[str, str] = field(default_factory=dict)  # module file path -> content fingerprint
    glossary_doc: Document | None = None
    glossary: list[GlossaryEntry] = field(default_factory=list)


def check_all(src: Sources) -> list[Diagnostic]:
    """Run every rule; return all breaches."""
    found: list[Diagnostic] = []
    for doc, module in src.modules.values():
        for check in MODULE_CHECKS:
            found.extend(check(doc, module, src))
    for check in COURSE_CHECKS:
        found.extend(check(src))
    return found


# --- within a module -------------------------------------------------------------------------------

def module_id_matches_file_name(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    expected = doc.path.rsplit("/", 1)[-1].removesuffix(".yml")
    if module.id != expected:
        yield doc.diagnostic(("id",), Code.ID_FILE_NAME, f"the module id `{module.id}` must equal the file name `{expected}`")


def module_id_is_not_reserved(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    if module.id in RESERVED_IDS:
        yield doc.diagnostic(("id",), Code.ID_RESERVED, f"the module id `{module.id}` names a page of the course site; choose another id")


def ids_are_unique(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    for key, items in (("objectives", module.objectives), ("sections", module.sections), ("questions", module.questions)):
        yield from _duplicates(doc, key, [item.id for item in items], "id", f"another item of `{key}`")


def sections_are_prose_or_scenario(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    for i, section in enumerate(module.sections):
        if (section.body is None) == (section.scenario is None):
            both = "both `body` and `scenario`" if section.body is not None else "neither `body` nor `scenario`"
            yield doc.diagnostic(("sections", i), Code.SECTION_KIND, f"section `{section.id}` has {both}; give exactly one")
        elif section.scenario is not None and not section.scenario.messages:
            yield doc.diagnostic(("sections", i, "scenario", "messages"), Code.SCENARIO_EMPTY, f"scenario `{section.id}` has no messages")


def questions_are_well_formed(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    for i, question in enumerate(module.questions):
        yield from _question_shape(doc, ("questions", i), question)


def _question_shape(doc: Document, at: tuple[Any, ...], q: Question) -> Iterator[Diagnostic]:
    if q.type == "true_false":
        if q.choices is not None:
            yield doc.diagnostic((*at, "choices"), Code.QUESTION_TRUE_FALSE, "a true_false question takes `answer: true|false`, not `choices`")
        elif q.answer is None:
            yield doc.diagnostic(at, Code.QUESTION_TRUE_FALSE, f"true_false question `{q.id}` needs `answer: true` or `answer: false`")
        return
    if q.answer is not None:
        yield doc.diagnostic((*at, "answer"), Code.QUESTION_CHOICES, f"`answer` is for true_false questions; a {q.type} question marks its choices `correct: true`")
    choices = q.choices or []
    if len(choices) < 2:
        yield doc.diagnostic((*at, "choices") if q.choices is not None else at, Code.QUESTION_CHOICES,
                             f"a {q.type} question needs at least two choices (found {len(choices)})")
        return
    correct = sum(1 for c in choices if c.correct)
    if q.type == "single" and correct != 1:
        yield doc.diagnostic((*at, "choices"), Code.QUESTION_ONE_CORRECT,
                             f"a single-answer question needs exactly one correct choice (found {correct})")
    if q.type == "multiple" and correct == 0:
        yield doc.diagnostic((*at, "choices"), Code.QUESTION_SOME_CORRECT,
                             "a multiple-answer question needs at least one choice marked `correct: true` (found 0)")
    yield from _duplicates(doc, (*at, "choices"), [c.text.strip() for c in choices], "text", "another choice", Code.CHOICE_DUPLICATE)


def questions_point_to_known_things(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    objectives = {o.id for o in module.objectives}
    scenarios = {s.id for s in module.sections if s.scenario is not None}
    for i, q in enumerate(module.questions):
        if q.objective not in objectives:
            yield doc.diagnostic(("questions", i, "objective"), Code.OBJECTIVE_UNKNOWN,
                                 f"no objective `{q.objective}` in this module{did_you_mean(q.objective, objectives)} "
                                 f"(objectives here: {', '.join(sorted(objectives))})")
        if q.scenario is not None and q.scenario not in scenarios:
            known = ", ".join(sorted(scenarios)) or "none"
            yield doc.diagnostic(("questions", i, "scenario"), Code.SCENARIO_UNKNOWN,
                                 f"no scenario section `{q.scenario}` in this module{did_you_mean(q.scenario, scenarios)} "
                                 f"(scenario sections here: {known})")


def objectives_are_assessed(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    assessed = {q.objective for q in module.questions}
    for i, objective in enumerate(module.objectives):
        if objective.id not in assessed:
            yield doc.diagnostic(("objectives", i, "id"), Code.OBJECTIVE_UNASSESSED,
                                 f"objective `{objective.id}` is not assessed by any question; add a question with `objective: {objective.id}`")


def references_resolve(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    for i, ref in enumerate(module.references):
        if ref not in src.reference_ids:
            yield doc.diagnostic(("references", i), Code.REFERENCE_UNKNOWN,
                                 f"no reference `{ref}` in course/references.yml{did_you_mean(ref, src.reference_ids)}")


def review_dates_are_in_order(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    review = module.review
    if review.next_review_due <= review.last_reviewed:
        yield doc.diagnostic(("review", "next_review_due"), Code.REVIEW_DATES,
                             f"`next_review_due` ({review.next_review_due}) must come after `last_reviewed` ({review.last_reviewed})")
    elif review.next_review_due < src.today:
        yield doc.diagnostic(("review", "next_review_due"), Code.REVIEW_OVERDUE,
                             f"review was due on {review.next_review_due}; review the module and update the dates")


def module_is_not_draft(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    if module.status == "draft":
        yield doc.diagnostic(("status",), Code.MODULE_DRAFT, f"module `{module.id}` is still a draft")


def approved_module_is_unchanged(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    approvals = module.review.approvals
    if module.status != "approved" or not approvals:
        return  # nothing signed, nothing to compare
    last = approvals[-1]
    if src.fingerprints.get(doc.path) != last.fingerprint:
        yield doc.diagnostic(("review", "approvals", len(approvals) - 1), Code.REVIEW_CHANGED,
                             f"module `{module.id}` changed since {last.by} approved it on {last.date}; "
                             f"see `course review diff {module.id}`, then approve it again")


MODULE_CHECKS = (
    module_id_matches_file_name, module_id_is_not_reserved, ids_are_unique, sections_are_prose_or_scenario, questions_are_well_formed,
    questions_point_to_known_things, objectives_are_assessed, references_resolve, review_dates_are_in_order,
    module_is_not_draft, approved_module_is_unchanged,
)


# --- across the course -----------------------------------------------------------------------------

def text_is_safe_and_links_resolve(src: Sources) -> Iterator[Diagnostic]:
    """Scan every text of every file: links must resolve and no text may carry script."""
    docs = [doc for doc, _ in src.modules.values()]
    docs += [d for d in (src.course_doc, src.references_doc, src.glossary_doc) if d is not None]
    for doc in docs:
        for path, text in _strings(doc.data):
            yield from _unsafe_markup(doc, path, text)
            yield from _broken_links(doc, path, text, src)


def _unsafe_markup(doc: Document, path: tuple[Any, ...], text: str) -> Iterator[Diagnostic]:
    for match in UNSAFE.finditer(text):
        line, column = _locate_in_text(doc, path, match.group(0))
        yield Diagnostic(doc.path, line, column, Code.MARKDOWN_UNSAFE,
                         f"`{match.group(0).strip()}` could run code in a learner's browser; remove it")


def _broken_links(doc: Document, path: tuple[Any, ...], text: str, src: Sources) -> Iterator[Diagnostic]:
    # Links shown inside code (`[x](module:y)`) are examples, not links: blank code out, keeping offsets.
    prose = CODE.sub(lambda m: " " * len(m.group(0)), text)
    for match in LINK.finditer(prose):
        scheme, target, anchor = match.group(1), match.group(2), match.group(3)
        problem = _link_problem(scheme, target, anchor, src)
        if problem:
            line, column = _locate_in_text(doc, path, match.group(0)[2:])
            code = Code.LINK_MODULE if scheme == "module" else Code.LINK_REF
            yield Diagnostic(doc.path, line, column, code, problem)


def _link_problem(scheme: str, target: str, anchor: str | None, src: Sources) -> str | None:
    if scheme == "ref":
        known = src.reference_ids
        return None if target in known else f"link to unknown reference `ref:{target}`{did_you_mean(target, known, 'ref:{}')}"
    if target not in src.module_files:
        return f"link to unknown module `module:{target}`{did_you_mean(target, src.module_files, 'module:{}')}"
    if anchor and target in src.modules and src.modules[target][1].section(anchor) is None:
        sections = [s.id for s in src.modules[target][1].sections]
        return (f"link to unknown section `{anchor}` of module `{target}`"
                f"{did_you_mean(anchor, sections, f'module:{target}#{{}}')}")
    return None


def modules_listed_exist(src: Sources) -> Iterator[Diagnostic]:
    if src.course is None or src.course_doc is None:
        return
    doc = src.course_doc
    for i, module_id in enumerate(src.course.modules):
        if module_id not in src.module_files:
            unlisted = [m for m in src.module_files if m not in src.course.modules]
            yield doc.diagnostic(("modules", i), Code.FILE_MISSING, f"module `{module_id}` is listed but "
                                 f"modules/{module_id}.yml does not exist{did_you_mean(module_id, unlisted)}")
    yield from _duplicates(doc, "modules", list(src.course.modules), None, "another module of the list")
    for module_id in src.module_files:
        if module_id not in src.course.modules:
            yield Diagnostic(f"modules/{module_id}.yml", 0, 0, Code.COURSE_MODULE_UNLISTED,
                             f"module `{module_id}` is not listed in course/course.yml, so learners will not see it")


def assessment_questions_exist(src: Sources) -> Iterator[Diagnostic]:
    if src.course is None or src.course_doc is None or src.course.assessment.questions == "all":
        return
    for i, ref in enumerate(src.course.assessment.questions):
        module_id, question_id = ref.split("/", 1)
        if module_id not in src.modules:
            if module_id not in src.module_files:
                yield src.course_doc.diagnostic(("assessment", "questions", i), Code.ASSESSMENT_QUESTION,
                                                f"no module `{module_id}` for `{ref}`"
                                                f"{did_you_mean(module_id, src.module_files, f'{{}}/{question_id}')}")
            continue
        questions = [q.id for q in src.modules[module_id][1].questions]
        if question_id not in questions:
            yield src.course_doc.diagnostic(("assessment", "questions", i), Code.ASSESSMENT_QUESTION,
                                            f"module `{module_id}` has no question `{question_id}`"
                                            f"{did_you_mean(question_id, questions, f'{module_id}/{{}}')}")


def references_are_unique_and_fresh(src: Sources) -> Iterator[Diagnostic]:
    doc = src.references_doc
    if doc is None:
        return
    yield from _duplicates(doc, (), [r.id for r in src.references], "id", "another reference")
    for i, ref in enumerate(src.references):
        if src.today - ref.checked_on > STALE_AFTER:
            yield doc.diagnostic((i, "checked_on"), Code.REFERENCE_STALE,
                                 f"reference `{ref.id}` was last checked on {ref.checked_on}, over a year ago; confirm it is current")


def glossary_terms_are_unique(src: Sources) -> Iterator[Diagnostic]:
    if src.glossary_doc is not None:
        yield from _duplicates(src.glossary_doc, (), [g.term.strip().lower() for g in src.glossary], "term", "another term")


def starter_text_is_replaced(src: Sources) -> Iterator[Diagnostic]:
    """One warning per file that still holds the starter's example text, at the first such text."""
    placeholders = placeholder_texts()
    docs = [doc for doc, _ in src.modules.values()] + [d for d in (src.course_doc, src.references_doc) if d]
    for doc in docs:
        found = [path for path, text in _prose(doc.data) if text.strip() in placeholders]
        if found:
            more = len(found) - 1
            where = f" and in {more} more place{'s' if more != 1 else ''} of this file" if more else ""
            yield doc.diagnostic(found[0], Code.TEXT_PLACEHOLDER,
                                 f"the starter's example text is still here{where}; replace it with the course's own words")


COURSE_CHECKS = (
    text_is_safe_and_links_resolve, modules_listed_exist, assessment_questions_exist,
    references_are_unique_and_fresh, glossary_terms_are_unique, starter_text_is_replaced,
)


# --- helpers ---------------------------------------------------------------------------------------

def _duplicates(doc: Document, at: Any, values: list[str], key: str | None, what: str,
                code: Code = Code.ID_DUPLICATE) -> Iterator[Diagnostic]:
    base = at if isinstance(at, tuple) else (at,)
    counts = Counter(values)
    for i, value in enumerate(values):
        if counts[value] > 1 and values.index(value) != i:
            path = (*base, i, key) if key else (*base, i)
            yield doc.diagnostic(path, code, f"`{value}` is used by {what} too; each must be different")


def _prose(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """The texts under the keys where the starter writes example prose, with their paths."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in PROSE_KEYS and isinstance(value, str):
                yield (*path, key), value
            elif isinstance(value, (dict, list)):
                yield from _prose(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if isinstance(value, (dict, list)):
                yield from _prose(value, (*path, i))


def _strings(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*path, i))


def _locate_in_text(doc: Document, path: tuple[Any, ...], needle: str) -> tuple[int, int]:
    """Find the exact line and column of `needle` inside the value at `path` (block texts included)."""
    line, column = doc.locate(path)
    lines = doc.text.splitlines()
    first = needle.splitlines()[0] if needle else needle
    for number in range(line - 1, len(lines)):
        start = column - 1 if number == line - 1 else 0
        found = lines[number].find(first, start)
        if found >= 0:
            return number + 1, found + 1
    return line, column
