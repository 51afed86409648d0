"""What the PDF templates show: the course model turned into plain view data, one edition at a time.

All the logic of the PDF lives here (numbering, anchors, which text each edition may carry); the
templates only lay it out. The learner edition's views are built without answers, feedback,
explanations, trainer notes or review data at all, so no template mistake can leak them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from markupsafe import Markup

from ..diagnostics import Code, Diagnostic
from ..model import Approval, Course, Module, Objective, Question, Reference, Scenario, Section
from ..markup import to_html
from .pdf_conversation import ConversationView, conversation_view
from ..signoff import SignOff, still_current
from ..signoff import of as sign_off_of
from .site_view import assessment_salt, page_positions

if TYPE_CHECKING:  # the renderer only reads Change's fields; it need not load the review workflow
    from ..review import Change

Edition = Literal["learner", "reviewer"]
EDITIONS: tuple[Edition, ...] = ("learner", "reviewer")

KIND_LABELS = {
    "single": "Choose one answer.",
    "multiple": "Choose all answers that apply.",
    "true_false": "True or false?",
    "draft": "Drafting exercise: write your answer.",
}
REVIEWER_DRAFT_LABEL = "Drafting exercise: self-assessed by the learner against the model answer, never scored."
SPEAKER_LABELS = {"subject": "Subject", "officer": "Officer", "note": "Note"}

# Signature lines of a sign-off sheet when the course names no `sign_off` roles.
DEFAULT_SIGNATURES = ("Legal adviser", "Training manager", "Module owner")

# The checker's warnings, under the headings a reviewer looks for.
WARNING_KINDS = {
    Code.REVIEW_CHANGED: "Changed since approval",
    Code.REVIEW_OVERDUE: "Overdue review",
    Code.REFERENCE_STALE: "Stale reference",
    Code.MODULE_DRAFT: "Draft module",
}


@dataclass(frozen=True)
class ChoiceView:
    text: Markup
    correct: bool = False
    feedback: Markup = Markup("")
    reported_as: str = ""  # reviewer edition, a final-assessment question: the letter an LMS records for it


@dataclass(frozen=True)
class QuestionView:
    anchor: str
    number: str
    kind: str
    kind_label: str
    prompt: Markup
    choices: tuple[ChoiceView, ...]
    scenario_anchor: str | None
    scenario_title: str | None
    scenario_kind: str = "transcript"  # or "conversation"
    # Reviewer edition only; empty in the learner edition.
    objective: Objective | None = None
    explanation: Markup = Markup("")
    assessment_only: bool = False  # from the module's assessment_bank
    model_answer: Markup = Markup("")  # a drafting exercise's, with its checklist
    checklist: tuple[str, ...] = ()
    ref: str = ""  # `module-id/question-id`: how a completion record and the course's assessment list name it


@dataclass(frozen=True)
class SectionView:
    anchor: str
    title: str
    body: Markup | None
    scenario: Scenario | None
    conversation: ConversationView | None = None


@dataclass(frozen=True)
class ApprovalView:
    approval: Approval
    current: bool  # approved the content as it is now (same fingerprint)


@dataclass(frozen=True)
class CoverageRow:
    objective: Objective
    questions: tuple[QuestionView, ...]

    @property
    def marked(self) -> int:
        """The questions that test the objective: a drafting exercise is ticked off by the learner, so not one."""
        return sum(q.kind != "draft" for q in self.questions)


@dataclass(frozen=True)
class ModuleView:
    module: Module
    number: int
    anchor: str
    draft: bool  # not approved as it is: every page is marked as for a draft
    fingerprint: str
    sign_off: SignOff
    content_note: str | None
    sections: tuple[SectionView, ...]
    questions: tuple[QuestionView, ...]
    references: tuple[Reference, ...]
    # Reviewer edition only; empty in the learner edition.
    trainer_notes: Markup = Markup("")
    approvals: tuple[ApprovalView, ...] = ()
    coverage: tuple[CoverageRow, ...] = ()
    changes: tuple[Change, ...] = ()  # since the last approval; empty when unchanged or never approved
    bank: tuple[QuestionView, ...] = ()  # assessment-only questions, in the answer key
    sign_off_roles: tuple[str, ...] = ()  # the course's `sign_off`

    @property
    def changed(self) -> bool:
        """Approved once, edited since: its pages say "changed since approval" as well as DRAFT."""
        return self.sign_off.changed

    @property
    def roles(self) -> tuple[str, ...]:
        """Who signs this module off on its sign-off sheet."""
        return self.sign_off_roles or DEFAULT_SIGNATURES


@dataclass(frozen=True)
class WarningView:
    kind: str
    where: str
    message: str
    code: str


@dataclass(frozen=True)
class DocumentView:
    """Everything the PDF templates need, for one edition."""

    course: Course
    edition: Edition
    exported_on: dt.date
    modules: tuple[ModuleView, ...]
    references: tuple[Reference, ...]
    glossary: tuple[tuple[str, Markup], ...]
    partial: bool  # only some of the course's modules are included
    warnings: tuple[WarningView, ...] = ()

    @property
    def speakers(self) -> dict[str, str]:
        return SPEAKER_LABELS

    @property
    def reviewer(self) -> bool:
        return self.edition == "reviewer"

    @property
    def title(self) -> str:
        return f"{self.course.info.title} ({self.edition} edition, version {self.course.info.version})"

    @property
    def edition_label(self) -> str:
        return "Reviewer edition, not for learners" if self.reviewer else "Learner edition"

    @property
    def traced_as(self) -> str:
        """What the foot of every page says, so that a loose page can be traced and is not handed out."""
        return f"{self.course.info.id} · version {self.course.info.version} · {self.edition_label}"


PartKind = Literal["cover", "contents", "coverage", "warnings", "modules", "back", "signoffs"]
# The contents and the coverage tables take about a page for four modules, a module about six pages: laid out in
# parts, each part of theirs lists this many times as many modules, for parts of about the same length.
LISTED_PER_MODULE = 4


@dataclass(frozen=True)
class Part:
    """A run of the document, in page order: its kind, the modules it lists or holds, and whether it opens its
    kind (the heading) and closes it (the contents' last entries). The whole document is every part in turn."""

    kind: PartKind
    modules: tuple[ModuleView, ...] = ()
    first: bool = True
    last: bool = True


def parts(doc: DocumentView, modules_per_part: int = 0) -> tuple[Part, ...]:
    """The document's parts: each kind whole, or with at most `modules_per_part` modules (or sign-off sheets) a
    part, and LISTED_PER_MODULE times as many contents entries or coverage tables."""
    def runs(kind: PartKind, size: int) -> list[Part]:
        size = size or len(doc.modules) or 1
        chunks = [doc.modules[i:i + size] for i in range(0, len(doc.modules), size)] or [()]
        return [Part(kind, chunk, i == 0, i == len(chunks) - 1) for i, chunk in enumerate(chunks)]

    listed = modules_per_part * LISTED_PER_MODULE
    found = [Part("cover"), *runs("contents", listed)]
    if doc.reviewer:
        found += [*runs("coverage", listed), Part("warnings")]
    found += [*runs("modules", modules_per_part), Part("back")]
    if doc.reviewer:
        found += runs("signoffs", modules_per_part)
    return tuple(found)


def section_anchor(module_id: str, section_id: str) -> str:
    """Anchor of a section; slugs never contain `--`, so these cannot collide."""
    return f"{module_id}--{section_id}"


class _Links:
    """Resolve module: and ref: links to anchors inside the PDF, remembering which sources were cited."""

    def __init__(self, included: set[str]):
        self.included: set[str] = included
        self.cited: set[str] = set()

    def __call__(self, scheme: str, target: str, anchor: str | None) -> str:
        if scheme == "file":
            return target  # a picture under docs/: html_to_pdf serves it from the course's files
        if scheme == "ref":
            self.cited.add(target)
            return f"#ref-{target}"
        if target not in self.included:
            return "#"  # the module is not in this document: keep the words, lose the jump
        return f"#{section_anchor(target, anchor)}" if anchor else f"#module-{target}"


def build_document(
    course: Course,
    edition: Edition,
    exported_on: dt.date,
    module_ids: Sequence[str] = (),
    warnings: Sequence[Diagnostic] = (),
    changes: Mapping[str, Sequence[Change]] | None = None,
    diagrams: Mapping[str, bytes] | None = None,
    diagram_problem: str = "",
) -> DocumentView:
    """Build the view of one edition; `module_ids` narrows it to some modules, in course order.

    `changes` maps a module id to its changes since the last approval (reviewer edition only);
    `diagrams` each conversation's branch diagram as SVG (key `module/section`), and `diagram_problem` why
    they are missing, if they are.
    """
    wanted = set(module_ids) or {m.id for m in course.modules}
    links = _Links(wanted)
    reviewer = edition == "reviewer"
    drawn = _Diagrams(diagrams or {}, diagram_problem)
    letters = _reported_letters(course) if reviewer else {}
    modules = tuple(
        _module_view(course, m, n, links, reviewer, tuple((changes or {}).get(m.id, ())), drawn, letters)
        for n, m in enumerate(course.modules, start=1) if m.id in wanted
    )
    partial = len(modules) < len(course.modules)
    glossary = tuple((g.term, to_html(g.definition, links, inline=True)) for g in course.glossary)
    return DocumentView(
        course=course, edition=edition, exported_on=exported_on, modules=modules,
        references=_references(course, modules, links.cited, partial), glossary=glossary, partial=partial,
        warnings=_warnings(warnings, wanted) if reviewer else (),
    )


@dataclass(frozen=True)
class _Diagrams:
    svg: Mapping[str, bytes]
    problem: str


def _module_view(course: Course, module: Module, number: int, links: _Links, reviewer: bool,
                 changes: tuple[Change, ...] = (), diagrams: _Diagrams = _Diagrams({}, ""),
                 letters: Mapping[str, tuple[str, ...]] | None = None) -> ModuleView:
    sections = tuple(_section_view(module, s, links, reviewer, diagrams) for s in module.sections)
    questions = tuple(_question_view(module, number, i, q, links, reviewer)
                      for i, q in enumerate(module.questions, start=1))
    state = sign_off_of(course, module)
    view = ModuleView(
        module=module, number=number, anchor=f"module-{module.id}", draft=not state.approved,
        fingerprint=course.module_fingerprints.get(module.id, ""), sign_off=state,
        content_note=module.content_note, sections=sections, questions=questions,
        references=tuple(r for r in course.references if r.id in module.references),
        sign_off_roles=tuple(course.info.sign_off or ()),
    )
    if not reviewer:
        return view  # a learner's handout: assessment-only questions are never built
    current = view.fingerprint
    bank = tuple(replace(_question_view(module, number, i, q, links, reviewer), assessment_only=True)
                 for i, q in enumerate(module.assessment_bank, start=len(module.questions) + 1))
    questions, bank = (tuple(_with_letters(v, (letters or {}).get(v.ref, ())) for v in views)
                       for views in (questions, bank))
    return replace(
        view,
        trainer_notes=to_html(module.trainer_notes, links),
        approvals=tuple(ApprovalView(a, now) for a, now in
                        zip(module.review.approvals, still_current(module.review.approvals, current,
                                                                  course.info.sign_off))),
        coverage=tuple(CoverageRow(o, tuple(q for q in questions + bank if q.objective == o))
                       for o in module.objectives),
        changes=changes, bank=bank, questions=questions,
    )


def _reported_letters(course: Course) -> dict[str, tuple[str, ...]]:
    """For each final-assessment question whose choices are shuffled (by `module/question`): the letter by
    which an LMS records each choice (in module order), `a` being the first the package's page writes."""
    if not course.info.assessment.shuffle_choices:
        return {}
    salt = assessment_salt(course)
    return {f"{m.id}/{q.id}": tuple(chr(97 + k) for k in page_positions(salt, f"{m.id}/{q.id}", q, True))
            for m, q in course.assessment_questions() if q.type != "true_false"}


def _with_letters(view: QuestionView, letters: tuple[str, ...]) -> QuestionView:
    if not letters:
        return view
    return replace(view, choices=tuple(replace(c, reported_as=l) for c, l in zip(view.choices, letters)))


def _section_view(module: Module, s: Section, links: _Links, reviewer: bool, diagrams: _Diagrams) -> SectionView:
    anchor = section_anchor(module.id, s.id)
    conversation = None
    if s.conversation is not None:
        key = f"{module.id}/{s.id}"
        conversation = conversation_view(s.conversation, anchor, s.title, lambda text: to_html(text, links),
                                         reviewer, diagrams.svg.get(key), diagrams.problem)
    return SectionView(anchor=anchor, title=s.title, body=to_html(s.body, links) if s.body else None,
                       scenario=s.scenario, conversation=conversation)


def _question_view(module: Module, number: int, index: int, q: Question, links: _Links,
                   reviewer: bool) -> QuestionView:
    if q.type == "true_false":
        choices = [ChoiceView(Markup("True"), q.answer is True), ChoiceView(Markup("False"), q.answer is False)]
    else:
        # A choice is plain text, shown as written (as the site's answer labels show it).
        choices = [ChoiceView(Markup.escape(c.text), c.correct, to_html(c.feedback, links, inline=True))
                   for c in q.choices or ()]
    if not reviewer:
        choices = [ChoiceView(c.text) for c in choices]  # no marks, no feedback: a learner's handout
    scenario = module.section(q.scenario) if q.scenario else None
    draft = q.type == "draft"
    return QuestionView(
        anchor=f"q-{module.id}--{q.id}", number=f"{number}.{index}", kind=q.type,
        kind_label=REVIEWER_DRAFT_LABEL if draft and reviewer else KIND_LABELS[q.type],
        prompt=to_html(q.prompt, links, inline=not draft), choices=tuple(choices),
        scenario_anchor=section_anchor(module.id, scenario.id) if scenario else None,
        scenario_title=scenario.title if scenario else None,
        scenario_kind="conversation" if scenario and scenario.conversation else "transcript",
        objective=next((o for o in module.objectives if o.id == q.objective), None) if reviewer else None,
        explanation=to_html(q.explanation, links) if reviewer else Markup(""),
        model_answer=to_html(q.model_answer, links) if reviewer and q.model_answer else Markup(""),
        checklist=tuple(q.checklist or ()) if reviewer else (),
        ref=f"{module.id}/{q.id}" if reviewer else "",
    )


def _references(course: Course, modules: tuple[ModuleView, ...], cited: set[str],
                partial: bool) -> tuple[Reference, ...]:
    """The whole list for the whole course; for some modules, only the sources they cite."""
    if not partial:
        return course.references
    wanted = cited | {r.id for m in modules for r in m.references}
    return tuple(r for r in course.references if r.id in wanted)


def _warnings(diagnostics: Sequence[Diagnostic], module_ids: set[str]) -> tuple[WarningView, ...]:
    """The checker's warnings about the modules in the document and the course as a whole."""
    views = []
    for d in diagnostics:
        if d.path.startswith("modules/") and d.path.removeprefix("modules/").removesuffix(".yml") not in module_ids:
            continue
        where = d.path if d.line == 0 else f"{d.path}:{d.line}"
        kind = WARNING_KINDS.get(d.code) or d.code.value.replace(".", " ").replace("-", " ").capitalize()
        views.append(WarningView(kind, where, d.message, d.code.value))
    order = list(WARNING_KINDS.values())
    return tuple(sorted(views, key=lambda w: (order.index(w.kind) if w.kind in order else len(order), w.where)))
