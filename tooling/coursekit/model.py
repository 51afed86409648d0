"""The course model: one declaration per YAML mapping of the course format, with help text.

The same classes validate trainers' files, produce the JSON Schema for editors and feed every
renderer. They hold data only: no file access.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

if TYPE_CHECKING:
    from .signoff import SignOff

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
VERSION_PATTERN = r"^\d+\.\d+\.\d+$"
QUESTION_REF_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
URL_PATTERN = r"^https?://\S+$"

# A conversation is a short exercise (the sample's longest has 10 steps of at most 4 replies); the bounds keep
# a file from elsewhere from making the checker, the diagram and the PDF work for minutes.
MAX_STEPS, MAX_REPLIES = 100, 9

# Module ids that would collide with a page or folder of the site (checked by `course check`).
RESERVED_IDS = frozenset({"index", "assessment", "references", "glossary", "assets", "search", "trainers"})

# What each pattern means, in words, for error messages.
PATTERN_HELP = {
    SLUG_PATTERN: "an id of lower-case letters, digits and single hyphens, such as `the-test`",
    VERSION_PATTERN: "a version of three numbers such as `1.0.0`",
    QUESTION_REF_PATTERN: "`module-id/question-id`, such as `entrapment/who-raised-it`",
    LANGUAGE_PATTERN: "a language tag such as `en-GB`",
    URL_PATTERN: "a web address starting with https:// or http://",
}

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Version = Annotated[str, StringConstraints(pattern=VERSION_PATTERN)]
class _MarkdownText:
    """Marks a field as Markdown: the checker inspects it, and every renderer turns it into sanitised HTML."""


MARKDOWN = _MarkdownText()
Text = Annotated[str, StringConstraints(min_length=1)]  # plain text: escaped wherever it is shown
Markdown = Annotated[str, StringConstraints(min_length=1), MARKDOWN]


class _Strict(BaseModel):
    """Every mapping rejects keys it does not declare, so typos never pass silently.

    Each model's validator is built when first used, not when the class is made: `course check` validates
    through one adapter per kind of file (validate.py), so building every model's own at import was
    start-up work nothing used."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Reference(_Strict):
    """A legal or research source that modules cite (an item of course/references.yml)."""

    id: Slug = Field(description="Short id that modules use to cite this source, e.g. `looseley-2001`.")
    kind: Literal["case", "statute", "guidance", "research", "report"] = Field(
        description="What sort of source it is: case, statute, guidance, research or report."
    )
    citation: Text = Field(description="The full citation as a reader would look it up.")
    url: Annotated[str, StringConstraints(pattern=URL_PATTERN)] | None = Field(
        default=None, description="Optional web address of the source."
    )
    checked_on: dt.date = Field(
        description="The date (YYYY-MM-DD) a person last confirmed the source is current. Warned about after a year."
    )


class GlossaryEntry(_Strict):
    """A term and its definition (an item of course/glossary.yml)."""

    term: Text = Field(description="The term as it appears in the course.")
    definition: Markdown = Field(description="What the term means, in a sentence or two (Markdown).")


class Assessment(_Strict):
    """The final assessment: which questions it asks, how each attempt draws them, and the mark needed to pass."""

    pass_mark: int = Field(ge=1, le=100, description="Percentage needed to pass, 1 to 100.")
    questions: Literal["all", "bank"] | list[Annotated[str, StringConstraints(pattern=QUESTION_REF_PATTERN)]] = Field(
        description="`all` for every practice question of every module, `bank` to draw each attempt from the "
                    "modules' `assessment_bank` questions, or a list of `module-id/question-id`."
    )
    draw_per_objective: int | None = Field(
        default=None, ge=1, le=20,
        description="With `questions: bank`: how many bank questions each attempt draws for every objective "
                    "(1 when left out). Each objective needs at least this many bank questions.",
    )
    max_attempts: int | None = Field(
        default=None, ge=1, le=100,
        description="Optional: how many attempts a learner may make (no limit when left out).",
    )
    shuffle_choices: bool = Field(
        default=True,
        description="`true` (the default) to show the choices of each question in a new order on every attempt; "
                    "true/false questions keep their order.",
    )

    @property
    def draw(self) -> int:
        """Questions drawn per objective in each attempt, with `questions: bank`."""
        return self.draw_per_objective or 1


class Part(_Strict):
    """A group of modules, shown together in the site's navigation and on its home page (an item of `parts`)."""

    title: Text = Field(description="The part's title, shown above its modules, e.g. `The law`.")
    modules: list[Slug] = Field(
        min_length=1,
        description="The ids of the part's modules, as listed in `modules` and in the same order; they follow "
                    "one another there.",
    )


class CourseInfo(_Strict):
    """The course itself: course/course.yml."""

    id: Slug = Field(description="The course's id: lower-case letters, digits, hyphens.")
    title: Text = Field(description="The course title, shown on the home page and every PDF.")
    subtitle: Text | None = Field(default=None, description="Optional subtitle.")
    version: Version = Field(description="The course edition as a semantic version, e.g. `1.0.0`.")
    jurisdiction: Text = Field(description="Where the law taught applies, e.g. `England and Wales`.")
    audience: Text = Field(description="Who the course is for.")
    language: Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)] = Field(
        default="en-GB", description="Language of the course text, e.g. `en-GB` (the default)."
    )
    modules: list[Slug] = Field(
        min_length=1, description="The modules in course order; each id is a file `modules/<id>.yml`."
    )
    parts: list[Part] | None = Field(
        default=None,
        description="Optional: groups of modules, each with a title, for a long course. The navigation and the "
                    "home page show each part with its modules; a module belongs to at most one part, and parts "
                    "follow the order of `modules`. Modules in no part stay in their place.",
    )
    sign_off: list[Text] | None = Field(
        default=None,
        description="Optional: the roles that must each approve a module's current wording before it counts as "
                    "approved, e.g. `Legal adviser` and `Training manager`. Without it one approval is enough.",
    )
    assessment: Assessment = Field(description="The final assessment.")


class Approval(_Strict):
    """A recorded sign-off of a module's wording (written by `course review approve`)."""

    by: Text = Field(description="Who approved the module.")
    role: Text | None = Field(default=None, description="Their role, e.g. `Legal adviser`.")
    date: dt.date = Field(description="The date of the approval (YYYY-MM-DD).")
    fingerprint: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16,64}$")] = Field(
        description="The module's content fingerprint when it was approved."
    )


class Review(_Strict):
    """Who looks after a module and when it is next checked against the law."""

    owner: Text = Field(description="The team or person responsible for the module.")
    last_reviewed: dt.date = Field(description="When the module was last reviewed (YYYY-MM-DD).")
    next_review_due: dt.date = Field(
        description="When it must next be reviewed (YYYY-MM-DD); after last_reviewed. Warned about once passed."
    )
    approvals: list[Approval] = Field(
        default_factory=list, description="Sign-offs recorded by `course review approve`, oldest first."
    )


class Objective(_Strict):
    """Something the learner will be able to do after the module."""

    id: Slug = Field(description="Id that questions use to say which objective they assess.")
    text: Text = Field(description="The objective, starting with a verb: `Apply ...`, `Explain ...`.")


class Message(_Strict):
    """One line of an invented chat transcript."""

    speaker: Literal["subject", "officer", "note"] = Field(
        description="Who speaks: `subject`, `officer`, or `note` for a narrator's remark."
    )
    text: Text = Field(description="What was written (plain text).")


class Scenario(_Strict):
    """An invented chat transcript that questions can refer to."""

    setting: Text | None = Field(default=None, description="Where and between whom the chat takes place.")
    messages: list[Message] = Field(description="The messages in order.")


Verdict = Literal["within", "risky", "crosses"]


class Reply(_Strict):
    """One reply the learner may send as the officer at a step of a conversation."""

    text: Text = Field(description="The officer's message, as it would be sent (plain text).")
    verdict: Verdict = Field(
        description="Where the reply stands against the legal line: `within`, `risky` or `crosses`."
    )
    feedback: Markdown = Field(
        description="Why the reply stands where it does (Markdown); shown once the learner has chosen it."
    )
    next: Slug = Field(description="The id of the step this reply leads to.")


class Ending(_Strict):
    """How a path through a conversation ends, and what the learner should take from it."""

    title: Text = Field(description="What happened, in a few words: `The prosecution is stayed`.")
    verdict: Verdict = Field(description="Where the path as a whole stands: `within`, `risky` or `crosses`.")
    debrief: Markdown = Field(description="What followed and why (Markdown); shown at the end of the path.")


class Step(_Strict):
    """A point in a conversation: the subject's messages, then the officer's options or an ending."""

    id: Slug = Field(description="Id of the step, unique in the conversation; replies name it in `next`.")
    messages: list[Message] = Field(
        default_factory=list, description="The messages shown when the learner reaches the step, in order."
    )
    replies: list[Reply] | None = Field(
        default=None, max_length=MAX_REPLIES,
        description=f"Two to {MAX_REPLIES} replies the learner chooses from (a step has replies or an ending).",
    )
    ending: Ending | None = Field(default=None, description="Instead of replies: how this path ends.")


class Conversation(_Strict):
    """A branching exercise: the learner replies as the officer and sees where each choice leads."""

    setting: Text | None = Field(default=None, description="Where and between whom the chat takes place.")
    start: Slug = Field(description="The id of the first step.")
    steps: list[Step] = Field(
        min_length=1, max_length=MAX_STEPS,
        description=f"The steps (at most {MAX_STEPS}), each reachable from `start` and each able to reach an ending.",
    )

    def step(self, step_id: str) -> Step | None:
        """Return the step with this id, if any."""
        return next((s for s in self.steps if s.id == step_id), None)


class Section(_Strict):
    """A part of a module: prose (`body`), a chat scenario (`scenario`) or a branching `conversation`, exactly one."""

    id: Slug = Field(description="Id of the section, unique in the module; used in `module:<id>#<section>` links.")
    title: Text = Field(description="The section heading.")
    body: Markdown | None = Field(
        default=None,
        description="The section text in Markdown. Link modules as `[text](module:id#section)`, sources as `[text](ref:id)`.",
    )
    scenario: Scenario | None = Field(default=None, description="A chat transcript instead of prose.")
    conversation: Conversation | None = Field(
        default=None, description="A branching conversation in which the learner replies as the officer."
    )


class Choice(_Strict):
    """One answer a learner can pick."""

    text: Text = Field(description="The choice as the learner reads it.")
    correct: bool = Field(default=False, description="`true` on the right choice(s); leave out on the others.")
    feedback: Markdown | None = Field(default=None, description="Optional: shown when the learner picks this choice.")


class Question(_Strict):
    """A quiz question that assesses one objective."""

    id: Slug = Field(description="Id of the question, unique in the module.")
    objective: Slug = Field(description="The id of the objective this question assesses.")
    type: Literal["single", "multiple", "true_false", "draft"] = Field(
        description="`single` (one right choice), `multiple` (one or more), `true_false`, or `draft`: a drafting "
                    "exercise the learner writes and checks against a model answer (never scored)."
    )
    scenario: Slug | None = Field(
        default=None,
        description="Optional: id of a scenario or conversation section of this module that the question is about.",
    )
    after_section: Slug | None = Field(
        default=None,
        description="Optional: id of a section of this module; the question is shown on the module page as a "
                    "knowledge check right after that section. Without it, the question is in \"Check your "
                    "understanding\" at the end of the module.",
    )
    prompt: Markdown = Field(description="The question (Markdown).")
    choices: list[Choice] | None = Field(
        default=None, description="The choices of a single or multiple question (two or more)."
    )
    answer: bool | None = Field(default=None, description="For true_false questions: `true` or `false`.")
    model_answer: Markdown | None = Field(
        default=None, description="For draft questions: one answer a trainer would accept, and why (Markdown)."
    )
    checklist: list[Text] | None = Field(
        default=None, description="For draft questions: the points learners tick against their own text."
    )
    explanation: Markdown = Field(
        description="Why the answer is right, citing the rule (Markdown); shown after answering and in the answer key."
    )


class Module(_Strict):
    """A module: `modules/<id>.yml`."""

    id: Slug = Field(description="The module id; must equal the file name without `.yml`.")
    title: Text = Field(description="The module title.")
    summary: Text = Field(description="One paragraph shown on the course home page.")
    version: Version = Field(description="The module's version, e.g. `1.0.0`.")
    status: Literal["draft", "in-review", "approved"] = Field(
        description="`draft`, `in-review` or `approved`. Drafts are warned about."
    )
    duration_minutes: int = Field(ge=1, le=600, description="About how long the module takes, in minutes.")
    content_note: Text | None = Field(
        default=None,
        description="Optional warning about distressing content; learners acknowledge it before the content shows.",
    )
    review: Review = Field(description="Ownership and review dates.")
    objectives: list[Objective] = Field(min_length=1, description="What the learner will be able to do.")
    sections: list[Section] = Field(min_length=1, description="The module's content, in order.")
    trainer_notes: Markdown | None = Field(
        default=None, description="Notes for trainers and reviewers (Markdown); never shown to learners."
    )
    references: list[Slug] = Field(
        default_factory=list, description="Ids of the sources (from course/references.yml) the module relies on."
    )
    questions: list[Question] = Field(
        default_factory=list, description="The module's practice questions, shown on its page with feedback."
    )
    assessment_bank: list[Question] = Field(
        default_factory=list,
        description="Optional: questions for the final assessment only (same keys as `questions`). Never shown on "
                    "the module page or in the learner PDF; with `questions: bank` each attempt draws from them.",
    )

    def section(self, section_id: str) -> Section | None:
        """Return the section with this id, if any."""
        return next((s for s in self.sections if s.id == section_id), None)

    def question(self, question_id: str) -> Question | None:
        """Return the practice or bank question with this id, if any."""
        return next((q for q in (*self.questions, *self.assessment_bank) if q.id == question_id), None)


ReferenceList = list[Reference]
GlossaryList = list[GlossaryEntry]
AnyFile = Union[CourseInfo, Module, ReferenceList, GlossaryList]


@dataclass(frozen=True)
class Course:
    """A whole validated course, ready for the renderers."""

    info: CourseInfo
    modules: tuple[Module, ...]
    references: tuple[Reference, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    fingerprint: str = ""
    module_fingerprints: dict[str, str] = field(default_factory=dict)
    # module id -> its sign-off state (coursekit.signoff.SignOff), computed once when the course is assembled
    sign_offs: dict[str, SignOff] = field(default_factory=dict)

    def module(self, module_id: str) -> Module | None:
        """Return the module with this id, if any."""
        return self._by_id.get(module_id)

    @functools.cached_property
    def _by_id(self) -> dict[str, Module]:
        # A dict, not a search: renderers look modules up once per page, and a course may have thousands.
        return {m.id: m for m in self.modules}

    def module_groups(self) -> list[tuple[Part | None, list[Module]]]:
        """The modules in course order, grouped by part: each part with its modules, each module of no part alone."""
        part_of = {m: part for part in self.info.parts or () for m in part.modules}
        groups: list[tuple[Part | None, list[Module]]] = []
        for module in self.modules:
            part = part_of.get(module.id)
            if part is not None and groups and groups[-1][0] is part:
                groups[-1][1].append(module)
            else:
                groups.append((part, [module]))
        return groups

    def reference(self, reference_id: str) -> Reference | None:
        """Return the reference with this id, if any."""
        return next((r for r in self.references if r.id == reference_id), None)

    def assessment_questions(self) -> list[tuple[Module, Question]]:
        """The questions the final assessment may ask, in course order or in the order listed.

        With `questions: bank` these are every module's bank; each attempt draws some of them.
        """
        wanted = self.info.assessment.questions
        if wanted == "all":  # drafting exercises are practice, never scored
            return [(m, q) for m in self.modules for q in m.questions if q.type != "draft"]
        if wanted == "bank":
            return [(m, q) for m in self.modules for q in m.assessment_bank]
        found = []
        for ref in wanted:
            module_id, question_id = ref.split("/", 1)
            module = self.module(module_id)
            question = module.question(question_id) if module else None
            if module and question:
                found.append((module, question))
        return found


# --- which values are Markdown ---------------------------------------------------------------------------

def markdown_texts(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every Markdown text in a validated value (a model, or a list of them), with its path in the file."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from markdown_texts(item, (*path, i))
    elif isinstance(value, BaseModel):
        kinds = _field_kinds(type(value))
        for name, kind in kinds.items():
            item = getattr(value, name)
            if kind == "markdown" and isinstance(item, str):
                yield (*path, name), item
            elif kind == "markdown" and isinstance(item, list):
                yield from (((*path, name, i), text) for i, text in enumerate(item) if isinstance(text, str))
            elif kind == "nested" and item is not None:
                yield from markdown_texts(item, (*path, name))


@functools.lru_cache(maxsize=None)
def _field_kinds(model: type[BaseModel]) -> dict[str, str]:
    """Each field of a model that holds Markdown ("markdown") or other models ("nested")."""
    kinds = {}
    for name, info in model.model_fields.items():
        if MARKDOWN in info.metadata or _holds(info.annotation, lambda a: a is MARKDOWN):
            kinds[name] = "markdown"
        elif _holds(info.annotation, lambda a: isinstance(a, type) and issubclass(a, BaseModel)):
            kinds[name] = "nested"
    return kinds


def _holds(annotation: Any, test: Any) -> bool:
    """Whether `test` is true of the annotation or anything nested in it (Optional, list, Annotated)."""
    if test(annotation):
        return True
    return any(_holds(arg, test) for arg in typing.get_args(annotation))
