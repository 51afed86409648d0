"""Rules of the course format within and across files; each check is a claim that returns its breaches."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from . import conversation as paths
from . import markup
from .diagnostics import Code, Diagnostic, did_you_mean
from .load import Document, LoadError, load_bytes
from .model import RESERVED_IDS, Conversation, CourseInfo, GlossaryEntry, Module, Question, Reference, markdown_texts
from .pictures import SUFFIXES as PICTURE_SUFFIXES
from .placeholders import PROSE_KEYS, placeholder_texts
from .signoff import SignOff, sign_off

LINK = re.compile(r"\]\(\s*(module|ref):([^)#\s]*)(?:#([^)\s]*))?\s*\)")
# Invisible characters that break a renderer or an XML file: C0 and C1 controls but tab, line feed and
# carriage return; unpaired surrogates; U+FFFE and U+FFFF (YAML's escapes can write every one of them).
# Control characters, and the invisible ones that change what a reader sees: bidirectional overrides and
# isolates make text display in another order than it is stored ("Trojan Source"), zero-width spaces and
# joiners hide inside words. (Joiners between letters of some scripts and of emoji, U+200C/U+200D, stay.)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff"
                     "\ud800-\udfff\ufffe\uffff]")
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
    fingerprints: dict[str, str] = field(default_factory=dict)  # module file path -> what approvals record
    glossary_doc: Document | None = None
    glossary: list[GlossaryEntry] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # hand-written pages: docs/... path -> text
    docs_files: set[str] | None = None  # every file under docs/, as paths relative to it (None: not looked)
    moving_pictures: dict[str, str] = field(default_factory=dict)  # pictures modules name that move -> why
    # module file path -> the loaded file (check.LoadedFile), whose `rules` keep what the module's rules found
    # last time and in which course: (context digest, diagnostics). A caller that keeps loaded files across
    # checks (`mkdocs serve`) has an unchanged module in an unchanged course not checked again.
    memo: dict[str, Any] = field(default_factory=dict)
    course_raw: bytes = b""  # course/course.yml as read: what module rules depend on of it

    def course_documents(self) -> Iterator[tuple[Document, Any]]:
        """The documents of course/: course.yml, references and glossary, each with its model."""
        for doc, model in ((self.course_doc, self.course), (self.references_doc, self.references),
                           (self.glossary_doc, self.glossary)):
            if doc is not None:
                yield doc, model


def check_all(src: Sources) -> list[Diagnostic]:
    """Run every rule; return all breaches."""
    found: list[Diagnostic] = []
    context = _module_context(src)
    for doc, module in src.modules.values():
        found.extend(_module_breaches(doc, module, src, context))
    for check in COURSE_CHECKS:
        found.extend(check(src))
    return found


def _module_breaches(doc: Document, module: Module, src: Sources, context: str) -> list[Diagnostic]:
    """The breaches of one module's rules (its texts' included), or what they were if nothing they read changed."""
    loaded = src.memo.get(doc.path)
    context = f"{context}:{src.fingerprints.get(doc.path, '')}"  # its sources and pictures are read too
    if loaded is not None and loaded.rules is not None and loaded.rules[0] == context:
        return loaded.rules[1]
    found = [d for check in MODULE_CHECKS for d in check(doc, module, src)]
    scan = _scan_texts(doc, src)  # one walk over the module's values serves both text rules
    found += _texts_are_safe(doc, module, src, scan)
    found += _starter_text(doc, scan)
    if loaded is not None:
        loaded.rules = (context, found)
    return found


def _module_context(src: Sources) -> str:
    """A digest of what module rules read besides the module itself: today, course.yml, the ids links name."""
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    for part in (str(src.today), sorted(src.reference_ids), src.module_files, sorted(src.docs_files or ()),
                 src.docs_files is None, [(m, [s.id for s in module.sections]) for m, (_, module) in src.modules.items()]):
        digest.update(repr(part).encode("utf-8"))
    digest.update(src.course_raw)
    return digest.hexdigest()


# --- within a module -------------------------------------------------------------------------------

def module_id_matches_file_name(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    expected = doc.path.rsplit("/", 1)[-1].removesuffix(".yml")
    if module.id != expected:
        yield doc.diagnostic(("id",), Code.ID_FILE_NAME, f"the module id `{module.id}` must equal the file name `{expected}`")


def module_id_is_not_reserved(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    if module.id in RESERVED_IDS:
        yield doc.diagnostic(("id",), Code.ID_RESERVED, f"the module id `{module.id}` names a page of the course site; choose another id")


def ids_are_unique(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    for key, items in (("objectives", module.objectives), ("sections", module.sections),
                       ("questions", module.questions), ("assessment_bank", module.assessment_bank)):
        yield from _duplicates(doc, key, [item.id for item in items], "id", f"another item of `{key}`")
    practice = {q.id for q in module.questions}  # `module/question` names either kind: one id for one question
    for i, q in enumerate(module.assessment_bank):
        if q.id in practice:
            yield doc.diagnostic(("assessment_bank", i, "id"), Code.ID_DUPLICATE,
                                 f"`{q.id}` is used by a question of `questions` too; each must be different")


SECTION_KINDS = ("body", "scenario", "conversation")


def sections_are_prose_scenario_or_conversation(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    for i, section in enumerate(module.sections):
        kinds = [f"`{k}`" for k in SECTION_KINDS if getattr(section, k) is not None]
        if len(kinds) != 1:
            has = f"both {kinds[0]} and {kinds[1]}" if len(kinds) == 2 else "all three" if kinds else "none of them"
            yield doc.diagnostic(("sections", i), Code.SECTION_KIND,
                                 f"section `{section.id}` needs exactly one of `body`, `scenario` or `conversation` "
                                 f"and has {has}")
        elif section.scenario is not None and not section.scenario.messages:
            yield doc.diagnostic(("sections", i, "scenario", "messages"), Code.SCENARIO_EMPTY, f"scenario `{section.id}` has no messages")


def _conversations(module: Module) -> Iterator[tuple[tuple[Any, ...], str, Conversation]]:
    """Every conversation of the module: where it is written, its section id, the conversation."""
    for i, section in enumerate(module.sections):
        if section.conversation is not None:
            yield ("sections", i, "conversation"), section.id, section.conversation


def conversations_are_well_formed(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    """Step ids are unique; each step has two or more replies or an ending; every start and next resolves."""
    for at, name, conv in _conversations(module):
        problems = [*_duplicates(doc, (*at, "steps"), [s.id for s in conv.steps], "id", "another step of this conversation")]
        problems += _step_shapes(doc, at, name, conv)
        problems += _step_links(doc, at, name, conv)
        yield from problems
        if not problems:  # a step cut off by a mistyped `next` would only repeat that mistake
            yield from _step_paths(doc, at, name, conv)


def _step_shapes(doc: Document, at: tuple[Any, ...], name: str, conv: Conversation) -> Iterator[Diagnostic]:
    for i, step in enumerate(conv.steps):
        where = (*at, "steps", i)
        if (step.replies is None) == (step.ending is None):
            has = "both `replies` and an `ending`" if step.ending is not None else "neither `replies` nor an `ending`"
            yield doc.diagnostic((*where, "id"), Code.CONVERSATION_STEP_KIND,
                                 f"step `{step.id}` of conversation `{name}` has {has}; give it replies if the "
                                 "conversation goes on from it, or an ending if a path stops there")
        elif step.replies is not None and len(step.replies) < 2:
            yield doc.diagnostic((*where, "replies"), Code.CONVERSATION_REPLIES,
                                 f"step `{step.id}` of conversation `{name}` offers {len(step.replies)} "
                                 f"repl{'y' if len(step.replies) == 1 else 'ies'}; give two or more, so that the "
                                 "learner has a choice, or make it an ending")
        elif step.replies is not None:
            yield from _duplicates(doc, (*where, "replies"), [r.text.strip() for r in step.replies], "text",
                                   "another reply of this step", Code.CHOICE_DUPLICATE)


def _step_links(doc: Document, at: tuple[Any, ...], name: str, conv: Conversation) -> Iterator[Diagnostic]:
    ids = [s.id for s in conv.steps]
    if conv.start not in ids:
        yield doc.diagnostic((*at, "start"), Code.CONVERSATION_STEP_UNKNOWN,
                             f"conversation `{name}` starts at `{conv.start}`, which is not one of its steps{did_you_mean(conv.start, ids)}")
    for i, step in enumerate(conv.steps):
        for j, reply in enumerate(step.replies or ()):
            if reply.next not in ids:
                yield doc.diagnostic((*at, "steps", i, "replies", j, "next"), Code.CONVERSATION_STEP_UNKNOWN,
                                     f"reply {j + 1} of step `{step.id}` leads to `{reply.next}`, which is not a step of "
                                     f"conversation `{name}`{did_you_mean(reply.next, ids)}")


def _step_paths(doc: Document, at: tuple[Any, ...], name: str, conv: Conversation) -> Iterator[Diagnostic]:
    seen, ends = paths.reachable(conv), paths.can_end(conv)
    for i, step in enumerate(conv.steps):
        if step.id not in seen:
            yield doc.diagnostic((*at, "steps", i, "id"), Code.CONVERSATION_UNREACHABLE,
                                 f"step `{step.id}` of conversation `{name}` cannot be reached: no reply leads to it; "
                                 f"add a reply with `next: {step.id}`, or delete the step")
        elif step.id not in ends:
            yield doc.diagnostic((*at, "steps", i, "id"), Code.CONVERSATION_NO_ENDING,
                                 f"from step `{step.id}` of conversation `{name}` no choice of replies reaches an "
                                 "ending; let one reply on the way lead towards a step with `ending:`")


def _all_questions(module: Module) -> Iterator[tuple[tuple[Any, ...], Question]]:
    """Every question of the module, practice and bank, with where it is written."""
    for key in ("questions", "assessment_bank"):
        for i, question in enumerate(getattr(module, key)):
            yield (key, i), question


def questions_are_well_formed(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    for at, question in _all_questions(module):
        yield from _question_shape(doc, at, question)


def _question_shape(doc: Document, at: tuple[Any, ...], q: Question) -> Iterator[Diagnostic]:
    if q.type == "draft":
        yield from _draft_shape(doc, at, q)
        return
    for key in ("model_answer", "checklist"):
        if getattr(q, key) is not None:
            yield doc.diagnostic((*at, key), Code.QUESTION_DRAFT,
                                 f"`{key}` is for drafting exercises (`type: draft`); remove it from this {q.type} question")
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


def _draft_shape(doc: Document, at: tuple[Any, ...], q: Question) -> Iterator[Diagnostic]:
    """A draft: a model answer and a checklist, nothing to mark, and never in the final assessment's bank."""
    if at[0] == "assessment_bank":
        yield doc.diagnostic((*at, "type"), Code.QUESTION_DRAFT,
                             f"draft `{q.id}` is in `assessment_bank`, but drafts are never scored; move it to `questions`")
    for key, what in (("choices", "choices"), ("answer", "an answer")):
        if getattr(q, key) is not None:
            yield doc.diagnostic((*at, key), Code.QUESTION_DRAFT,
                                 f"a draft is written, not marked: remove `{key}` (it takes no {what}) from `{q.id}`")
    if q.model_answer is None:
        yield doc.diagnostic((*at, "type"), Code.QUESTION_DRAFT,
                             f"draft `{q.id}` needs a `model_answer`: one answer a trainer would accept, and why")
    if not q.checklist:
        yield doc.diagnostic((*at, "checklist") if q.checklist is not None else (*at, "type"), Code.QUESTION_DRAFT,
                             f"draft `{q.id}` needs a `checklist` of at least one point for learners to tick")


def questions_point_to_known_things(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    objectives = {o.id for o in module.objectives}
    scenarios = {s.id for s in module.sections if s.scenario is not None or s.conversation is not None}
    for at, q in _all_questions(module):
        if q.objective not in objectives:
            yield doc.diagnostic((*at, "objective"), Code.OBJECTIVE_UNKNOWN,
                                 f"no objective `{q.objective}` in this module{did_you_mean(q.objective, objectives)} "
                                 f"(objectives here: {', '.join(sorted(objectives))})")
        if q.scenario is not None and q.scenario not in scenarios:
            known = ", ".join(sorted(scenarios)) or "none"
            yield doc.diagnostic((*at, "scenario"), Code.SCENARIO_UNKNOWN,
                                 f"no scenario or conversation section `{q.scenario}` in this module"
                                 f"{did_you_mean(q.scenario, scenarios)} (such sections here: {known})")


def questions_follow_known_sections(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    """`after_section` names a section of this module, on a practice question (the bank is never on the page)."""
    sections = [s.id for s in module.sections]
    for at, q in _all_questions(module):
        if q.after_section is None:
            continue
        if at[0] == "assessment_bank":
            yield doc.diagnostic((*at, "after_section"), Code.SECTION_UNKNOWN,
                                 f"`after_section` places a question on the module page, but `{q.id}` is in "
                                 "`assessment_bank`, which learners see only in the final assessment; remove it")
        elif q.after_section not in sections:
            yield doc.diagnostic((*at, "after_section"), Code.SECTION_UNKNOWN,
                                 f"no section `{q.after_section}` in this module{did_you_mean(q.after_section, sections)} "
                                 f"(sections here: {', '.join(sections)})")


def objectives_are_assessed(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    """Every objective needs a marked question. A drafting exercise does not count: learners tick their own
    checklist, so it tests nothing, and it is never in the final assessment."""
    questions = [q for _, q in _all_questions(module)]
    marked = {q.objective for q in questions if q.type != "draft"}
    drafted = {q.objective for q in questions if q.type == "draft"}
    for i, objective in enumerate(module.objectives):
        if objective.id in marked:
            continue
        ask = f"add a marked question (single, multiple or true_false) with `objective: {objective.id}`"
        if objective.id in drafted:
            message = (f"objective `{objective.id}` is assessed only by a drafting exercise, which learners mark "
                       f"themselves and the final assessment never asks; {ask}")
        else:
            message = f"objective `{objective.id}` is not assessed by any question; {ask}"
        yield doc.diagnostic(("objectives", i, "id"), Code.OBJECTIVE_UNASSESSED, message)


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


def _sign_off(doc: Document, module: Module, src: Sources) -> SignOff:
    roles = src.course.sign_off if src.course is not None else None
    return sign_off(module, src.fingerprints.get(doc.path, ""), roles)


def approved_status_is_recorded(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    """`status: approved` stands only on recorded approvals (one per required role) of some wording of the module."""
    state = _sign_off(doc, module, src)
    if state.state != "unapproved":
        return
    role = f'--role "{state.missing[0]}"' if state.missing else "--role ROLE"
    if state.missing and module.review.approvals:
        who = " and ".join(f"`{r}`" for r in state.missing)
        what = f"{who} {'has' if len(state.missing) == 1 else 'have'} not approved it"
    else:
        what = "no approval of it is recorded"
    yield doc.diagnostic(("status",), Code.REVIEW_UNAPPROVED,
                         f"module `{module.id}` says `status: approved` but {what}; have it approved with "
                         f"`course review approve {module.id} --by NAME {role}`, or write `status: in-review`")


def approved_module_is_unchanged(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    state = _sign_off(doc, module, src)
    if not state.changed:
        return  # approved as it is, never approved, or not claimed to be approved
    last = max(state.earlier, key=lambda a: a.date)
    approvals = module.review.approvals
    yield doc.diagnostic(("review", "approvals", len(approvals) - 1), Code.REVIEW_CHANGED,
                         f"module `{module.id}` changed since {last.by} approved it on {last.date}; "
                         f"see `course review diff {module.id}`, then approve it again")


def objectives_have_enough_bank_questions(doc: Document, module: Module, src: Sources) -> Iterator[Diagnostic]:
    """With `questions: bank`, every objective of a module in the course has a question to draw for each place."""
    if src.course is None or src.course.assessment.questions != "bank" or module.id not in src.course.modules:
        return
    need = src.course.assessment.draw
    for i, objective in enumerate(module.objectives):
        have = sum(1 for q in module.assessment_bank if q.objective == objective.id)
        if have < need:
            yield doc.diagnostic(("objectives", i, "id"), Code.ASSESSMENT_BANK,
                                 f"objective `{objective.id}` has {have} question{'s' if have != 1 else ''} in "
                                 f"`assessment_bank` but each attempt draws {need}; add {need - have} with "
                                 f"`objective: {objective.id}`")


MODULE_CHECKS = (
    module_id_matches_file_name, module_id_is_not_reserved, ids_are_unique, sections_are_prose_scenario_or_conversation,
    conversations_are_well_formed, questions_are_well_formed,
    questions_point_to_known_things, questions_follow_known_sections, objectives_are_assessed, references_resolve, review_dates_are_in_order,
    module_is_not_draft, approved_status_is_recorded, approved_module_is_unchanged,
    objectives_have_enough_bank_questions,
)


# --- across the course -----------------------------------------------------------------------------

def text_is_safe_and_links_resolve(src: Sources) -> Iterator[Diagnostic]:
    """Every text of the course's other files: no control characters, links resolve, nothing unsafe (see below)."""
    for doc, model in src.course_documents():
        yield from _texts_are_safe(doc, model, src)


def _texts_are_safe(doc: Document, model: Any, src: Sources, scan: _Scan | None = None) -> Iterator[Diagnostic]:
    """Every text of a file: no control characters, links resolve; Markdown: nothing the sanitiser removes."""
    yield from (scan or _scan_texts(doc, src)).problems
    for path, text in markdown_texts(model):
        yield from _markup_problems(doc, path, text, src)


@dataclass
class _Scan:
    """What one walk over a file's values found: texts with control characters or broken links, starter text."""

    problems: list[Diagnostic] = field(default_factory=list)
    placeholders: list[tuple[Any, ...]] = field(default_factory=list)  # paths of the starter's example texts


def _scan_texts(doc: Document, src: Sources) -> _Scan:
    """Walk every value of a file once, looking in each text only for what the file's text shows it may hold.

    Without a YAML escape (a backslash), a value's characters and words are those of the file's text with
    only the spaces and line breaks between words changed (a link split over two lines is joined with a
    space, which is no link). So a value holds a control character only if the file does; a link that
    does not resolve only if the file's text holds one (a link in a comment or in code only makes the walk
    look, it is not reported); the starter's text only if the file holds every inner word of it.
    """
    scan, path = _Scan(), []
    text = doc.text
    escapes = "\\" in text
    controls = escapes or CONTROL.search(text) is not None
    links = escapes or any(_link_problem(m.group(1), m.group(2), m.group(3), src) for m in LINK.finditer(text))
    placeholders = placeholder_texts()
    if not (controls or links or _may_hold_placeholders(text)):  # both are true where there are escapes
        return scan

    def visit(value: Any, key: Any) -> None:
        if isinstance(value, str):
            if controls and CONTROL.search(value):
                scan.problems.extend(_control_characters(doc, tuple(path), value))
            if links and "](" in value:
                scan.problems.extend(_broken_links(doc, tuple(path), value, src))
            if key in PROSE_KEYS and value.strip() in placeholders:
                scan.placeholders.append(tuple(path))
        elif isinstance(value, dict):
            for name, item in value.items():
                path.append(name)
                visit(item, name)
                path.pop()
        elif isinstance(value, list):
            for i, item in enumerate(value):
                path.append(i)
                visit(item, None)
                path.pop()

    visit(doc.data, None)
    return scan


def pages_are_safe(src: Sources) -> Iterator[Diagnostic]:
    """Hand-written pages (docs/*.md) go through the same sanitiser as module text; their front matter too."""
    for relpath, text in src.pages.items():
        text = text.replace("\r\n", "\n")
        front = markup.front_matter(text)
        yield from _front_matter_problems(relpath, front)
        found = markup.inspect(text[front.body_start:], raw_html=True)
        for problem in found.problems:
            line, column = _locate_in_page(text, front.body_start, problem.needles)
            yield Diagnostic(relpath, line, column, _markup_code(problem), problem.message)
        for needle, code, message in _link_problems(text[front.body_start:], src):
            line, column = _locate_in_page(text, front.body_start, (needle,))
            yield Diagnostic(relpath, line, column, code, message)


def _front_matter_problems(relpath: str, front: markup.FrontMatter) -> Iterator[Diagnostic]:
    if front.yaml is None:
        meta = {key: "" for key in front.keys}  # MultiMarkdown values are always text
        for key, line in front.keys.items():
            problem = markup.meta_problem(key, meta[key])
            if problem:
                yield Diagnostic(relpath, line, 1, Code.MARKDOWN_UNSAFE, problem)
        return
    try:
        doc = load_bytes(relpath, front.yaml.encode("utf-8"))
    except LoadError as exc:
        if exc.diagnostic.code is not Code.FILE_EMPTY:  # `---` lines around nothing are no front matter
            yield replace(exc.diagnostic, line=exc.diagnostic.line + 1 if exc.diagnostic.line else 0)
        return
    if not isinstance(doc.data, dict):
        yield Diagnostic(relpath, 2, 1, Code.SCHEMA_TYPE, "the front matter must be a block of keys such as `title:`")
        return
    for key, value in doc.data.items():
        problem = markup.meta_problem(key, value)
        if problem:
            line, column = doc.locate((key,), key=True)
            yield Diagnostic(relpath, line + 1, column, Code.MARKDOWN_UNSAFE, problem)


def _markup_problems(doc: Document, path: tuple[Any, ...], text: str, src: Sources) -> Iterator[Diagnostic]:
    found = markup.inspect(text)
    for problem in found.problems:
        line, column = _locate_first(doc, path, problem.needles)
        yield Diagnostic(doc.path, line, column, _markup_code(problem), problem.message)
    for image in found.images:
        if src.docs_files is not None and image not in src.docs_files:
            line, column = _locate_first(doc, path, (image,))
            yield Diagnostic(doc.path, line, column, Code.LINK_FILE,
                             f"no picture docs/{image}: an image must be a file under docs/; add it, or correct "
                             f"the path{did_you_mean(image, src.docs_files)}")
        elif not image.lower().endswith(PICTURE_SUFFIXES):
            line, column = _locate_first(doc, path, (image,))
            yield Diagnostic(doc.path, line, column, Code.LINK_FILE,
                             f"docs/{image} is not a picture file the PDFs can show: save it as .png, .jpg, .gif, "
                             ".svg or .webp (a reviewer would approve the module without seeing it)")
        elif image in src.moving_pictures:
            line, column = _locate_first(doc, path, (image,))
            yield Diagnostic(doc.path, line, column, Code.PICTURE_MOVING,
                             f"docs/{image} is {src.moving_pictures[image]}: the PDF a reviewer approves shows "
                             "only its first frame, the site all of it; show a still picture instead")


def _markup_code(problem: markup.Problem) -> Code:
    if problem.kind == "outside":
        return Code.MARKDOWN_EXTERNAL
    return Code.MARKDOWN_TOO_DEEP if problem.kind == "too-deep" else Code.MARKDOWN_UNSAFE


def _control_characters(doc: Document, path: tuple[Any, ...], text: str) -> Iterator[Diagnostic]:
    match = CONTROL.search(text)
    if match:
        yield doc.diagnostic(path, Code.TEXT_CONTROL,
                             f"the text holds an invisible control character (U+{ord(match.group(0)):04X}); "
                             "delete it (retype the text if you cannot see it)")


def _broken_links(doc: Document, path: tuple[Any, ...], text: str, src: Sources) -> Iterator[Diagnostic]:
    for needle, code, problem in _link_problems(text, src):
        line, column = _locate_in_text(doc, path, needle)
        yield Diagnostic(doc.path, line, column, code, problem)


def _link_problems(text: str, src: Sources) -> Iterator[tuple[str, Code, str]]:
    """Each course link of a text that does not resolve: (the link as written, code, message)."""
    # Links shown inside code (`[x](module:y)`) are examples, not links: blank code out, keeping offsets.
    prose = CODE.sub(lambda m: " " * len(m.group(0)), text)
    for match in LINK.finditer(prose):
        scheme, target, anchor = match.group(1), match.group(2), match.group(3)
        problem = _link_problem(scheme, target, anchor, src)
        if problem:
            yield match.group(0)[2:], Code.LINK_MODULE if scheme == "module" else Code.LINK_REF, problem


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


def parts_follow_the_course(src: Sources) -> Iterator[Diagnostic]:
    """Each part lists known modules, each module once, one block in course order; parts in that order too."""
    if src.course is None or src.course_doc is None or not src.course.parts:
        return
    doc, order = src.course_doc, {m: i for i, m in enumerate(src.course.modules)}
    seen: set[str] = set()
    titles = [" ".join(p.title.split()).casefold() for p in src.course.parts]
    yield from _duplicates(doc, "parts", titles, "title", "another part", Code.PART_REPEATED)
    last = -1  # place in `modules` of the previous part's last module
    for i, part in enumerate(src.course.parts):
        for j, module_id in enumerate(part.modules):
            at = ("parts", i, "modules", j)
            if module_id not in order:
                yield doc.diagnostic(at, Code.PART_MODULE, f"`{module_id}` is not one of the course's `modules`"
                                     f"{did_you_mean(module_id, src.course.modules)}")
            elif module_id in seen:
                yield doc.diagnostic(at, Code.PART_REPEATED, f"module `{module_id}` is already in a part; "
                                     "list each module in one part only")
            elif (problem := _part_order_problem(part.modules[:j], module_id, order, last)) is not None:
                yield doc.diagnostic(at, Code.PART_ORDER, problem)
            seen.add(module_id)
        last = max((order[m] for m in part.modules if m in order), default=last)


def _part_order_problem(before: list[str], module_id: str, order: dict[str, int], last: int) -> str | None:
    """Why `module_id` cannot follow `before` in its part (None if it can): course order, one block."""
    previous = next((m for m in reversed(before) if m in order), None)
    if previous is None:
        if order[module_id] <= last:
            return (f"`{module_id}` comes before the modules of the part above it in `modules`; list the parts "
                    "in the order of their modules")
        return None
    if order[module_id] < order[previous]:
        return (f"`{module_id}` comes before `{previous}` in `modules`; list a part's modules in that order")
    if order[module_id] != order[previous] + 1:
        return (f"`{module_id}` does not follow `{previous}` in `modules`: a part's modules follow one another "
                "there; move it in `modules`, or add the modules between them to this part")
    return None


def assessment_questions_exist(src: Sources) -> Iterator[Diagnostic]:
    if src.course is None or src.course_doc is None or src.course.assessment.questions in ("all", "bank"):
        return
    for i, ref in enumerate(src.course.assessment.questions):
        module_id, question_id = ref.split("/", 1)
        if module_id not in src.modules:
            if module_id not in src.module_files:
                yield src.course_doc.diagnostic(("assessment", "questions", i), Code.ASSESSMENT_QUESTION,
                                                f"no module `{module_id}` for `{ref}`"
                                                f"{did_you_mean(module_id, src.module_files, f'{{}}/{question_id}')}")
            continue
        module = src.modules[module_id][1]
        questions = [q.id for q in (*module.questions, *module.assessment_bank)]
        question = module.question(question_id)
        if question is None:
            yield src.course_doc.diagnostic(("assessment", "questions", i), Code.ASSESSMENT_QUESTION,
                                            f"module `{module_id}` has no question `{question_id}`"
                                            f"{did_you_mean(question_id, questions, f'{module_id}/{{}}')}")
        elif question.type == "draft":
            yield src.course_doc.diagnostic(("assessment", "questions", i), Code.ASSESSMENT_DRAFT,
                                            f"`{ref}` is a drafting exercise, which is never scored; remove it from "
                                            "the final assessment's questions")


def draw_is_for_a_bank(src: Sources) -> Iterator[Diagnostic]:
    """`draw_per_objective` says how to draw from banks; without `questions: bank` it would silently do nothing."""
    if src.course is None or src.course_doc is None:
        return
    assessment = src.course.assessment
    if assessment.draw_per_objective is not None and assessment.questions != "bank":
        yield src.course_doc.diagnostic(("assessment", "draw_per_objective"), Code.ASSESSMENT_DRAW,
                                        "`draw_per_objective` works only with `questions: bank`; "
                                        "write `questions: bank` or remove `draw_per_objective`")


def sign_off_roles_are_unique(src: Sources) -> Iterator[Diagnostic]:
    if src.course is not None and src.course_doc is not None and src.course.sign_off:
        roles = [" ".join(r.split()).casefold() for r in src.course.sign_off]
        yield from _duplicates(src.course_doc, "sign_off", roles, None, "another role of `sign_off`")


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
    """One warning per file that still holds the starter's example text, at the first such text (modules: above)."""
    for doc in (d for d in (src.course_doc, src.references_doc) if d):
        yield from _starter_text(doc, _scan_texts(doc, src))


def _may_hold_placeholders(text: str) -> bool:
    """Whether a file's text holds every inner word of one of the starter's texts (see _scan_texts)."""
    words = set(text.split())
    return any(inner <= words for inner in _placeholder_words())


@functools.lru_cache(maxsize=1)
def _placeholder_words() -> tuple[frozenset[str], ...]:
    """The words of each starter text but its first and last, and words a quoted YAML text writes otherwise."""
    return tuple(frozenset(w for w in p.split()[1:-1] if not set(w) & set("'\"\\"))
                 for p in placeholder_texts())


def _starter_text(doc: Document, scan: _Scan) -> Iterator[Diagnostic]:
    found = scan.placeholders
    if found:
        more = len(found) - 1
        where = f" and in {more} more place{'s' if more != 1 else ''} of this file" if more else ""
        yield doc.diagnostic(found[0], Code.TEXT_PLACEHOLDER,
                             f"the starter's example text is still here{where}; replace it with the course's own words")


REPEATED_ANSWER_WORDS = 5  # from this many words, a right answer repeated word for word is a cue
ECHOED_WORDS = 8  # a run this long of a practice question's answer or feedback, in a bank answer, is a cue too
_WORD = re.compile(r"[a-z0-9']+")


def bank_answers_are_not_practice_answers(src: Sources) -> Iterator[Diagnostic]:
    """A bank question's right answer worded as a practice question's, or repeating a run of its feedback or
    explanation, which learners read on the module pages: in the final assessment they could pick it by its
    words alone. Short answers ("The subject.") and short phrases (an offence's name) are bound to recur and
    are left alone: the cue is a statement repeated whole, or eight words in a row."""
    answers, runs = _practice_wording(src)
    for doc, module in src.modules.values():
        for i, q in enumerate(module.assessment_bank):
            for k, choice in enumerate(q.choices or ()):
                if not choice.correct:
                    continue
                said = _whole(choice.text)
                where = ("assessment_bank", i, "choices", k, "text")
                if said in answers:
                    yield doc.diagnostic(where, Code.QUESTION_ANSWER_REPEATED,
                                         f"the right answer of `{q.id}` is word for word the right answer of the "
                                         f"practice question `{answers[said]}`, which learners have seen answered: "
                                         "word it afresh, so that it is chosen for what it says")
                    continue
                echo = next((run for run in _runs(choice.text) if run in runs), None)
                if echo:
                    yield doc.diagnostic(where, Code.QUESTION_ANSWER_REPEATED,
                                         f"the right answer of `{q.id}` repeats \"{' '.join(echo)}\" from the "
                                         f"practice question `{runs[echo]}`, whose answer learners have read: word "
                                         "it afresh, so that it is chosen for what it says, not recognised")


def _practice_wording(src: Sources) -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """What learners read once they answer a practice question: its right answers whole (to a question's
    `module/id`), and every run of ECHOED_WORDS words of those answers, the choices' feedback and the explanation."""
    answers: dict[str, str] = {}
    runs: dict[tuple[str, ...], str] = {}
    for _, module in src.modules.values():
        for q in module.questions:
            ref = f"{module.id}/{q.id}"
            right = [c.text for c in q.choices or () if c.correct]
            for said in filter(None, map(_whole, right)):
                answers.setdefault(said, ref)
            for text in (*right, *(c.feedback or "" for c in q.choices or ()), q.explanation or ""):
                for run in _runs(text):
                    runs.setdefault(run, ref)
    return answers, runs


def _whole(text: str) -> str | None:
    """A right answer as compared whole: its words, if it has REPEATED_ANSWER_WORDS or more."""
    found = text.lower().split()
    return " ".join(found) if len(found) >= REPEATED_ANSWER_WORDS else None


def _runs(text: str) -> Iterator[tuple[str, ...]]:
    """Every run of ECHOED_WORDS words in a text, in lower case and without punctuation."""
    words = _WORD.findall(text.lower())
    return (tuple(words[i:i + ECHOED_WORDS]) for i in range(len(words) - ECHOED_WORDS + 1))


COURSE_CHECKS = (
    text_is_safe_and_links_resolve, pages_are_safe, modules_listed_exist, parts_follow_the_course,
    assessment_questions_exist, bank_answers_are_not_practice_answers,
    draw_is_for_a_bank, sign_off_roles_are_unique, references_are_unique_and_fresh, glossary_terms_are_unique,
    starter_text_is_replaced,
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


def _locate_first(doc: Document, path: tuple[Any, ...], needles: tuple[str, ...]) -> tuple[int, int]:
    """Where the first of `needles` found in the value at `path` is; the value's own place if none is."""
    value = _value_at(doc.data, path)
    for needle in needles:
        if needle and isinstance(value, str) and needle in value:
            return _locate_in_text(doc, path, needle)
    return doc.locate(path)


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _locate_in_page(text: str, start: int, needles: tuple[str, ...]) -> tuple[int, int]:
    """Line and column of the first of `needles` in a page's text (from `start`); its first line otherwise."""
    at = next((found for n in needles if n and (found := text.find(n, start)) >= 0), start)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


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
