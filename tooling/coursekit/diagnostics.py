"""Diagnostics: every problem the tool finds, as data, and how it is printed."""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x1f]")


class Severity(str, enum.Enum):
    """How serious a diagnostic is: errors stop a build, warnings only do under --strict."""

    ERROR = "error"
    WARNING = "warning"


class Code(str, enum.Enum):
    """Stable diagnostic codes; each member's docstring is its entry in the error reference.

    A docstring has three parts separated by blank lines: what it means, how to fix it, and an
    example (lines starting "Before:" and "After:").
    """

    def __new__(cls, value: str, doc: str = "") -> "Code":
        member = str.__new__(cls, value)
        member._value_ = value
        member.__doc__ = doc  # the member's own help, used by the error reference
        return member

    FILE_MISSING = (
        "file.missing",
        """A file the course needs does not exist.

    Create the file, or correct the name that points to it. A module listed in `course/course.yml`
    must exist as `modules/<id>.yml`.

    Before: `modules:` lists `- evidence` but there is no `modules/evidence.yml`.
    After: create `modules/evidence.yml` (for example with `course new module evidence`).""",
    )

    FILE_EMPTY = (
        "file.empty",
        """The file is empty or holds only comments.

    Write the content the file should have, or delete the file if it is not needed.

    Before: an empty `modules/welfare.yml`.
    After: a module with at least `id`, `title`, `summary`, ... (run `course new module welfare`).""",
    )

    FILE_BINARY = (
        "file.binary",
        """The file is not text: it holds binary data or is not valid UTF-8.

    Save the file as plain UTF-8 text from a text editor (not a word processor).

    Before: a `.yml` file saved by a word processor.
    After: the same content saved as plain text (UTF-8).""",
    )

    FILE_TOO_LARGE = (
        "file.too-large",
        """The file is larger than any course file should be (over 2 MB).

    Split the content into several modules, or remove pasted binary data.

    Before: a 5 MB module file.
    After: several modules of a few hundred lines each.""",
    )

    YAML_SYNTAX = (
        "yaml.syntax",
        """The file is not valid YAML, so nothing in it could be read.

    Look at the line shown and the one before it: usually an indentation step that does not match,
    a missing space after a colon, or a text containing `: ` that needs quotes.

    Before: `title: The law: an overview`
    After: `title: "The law: an overview"`""",
    )

    YAML_DUPLICATE_KEY = (
        "yaml.duplicate-key",
        """The same key appears twice in one mapping; YAML would silently keep only the last one.

    Delete one of the two, or merge their content.

    Before: two `title:` lines in one section.
    After: one `title:` line.""",
    )

    YAML_ALIAS_LIMIT = (
        "yaml.alias-limit",
        """YAML anchors and aliases (`&name`, `*name`) expand to too much data or refer to themselves.

    Write the content out instead of using aliases; course files never need them.

    Before: `a: &x [*x]`
    After: write the list out in full.""",
    )

    YAML_NESTING = (
        "yaml.nesting",
        """Lists and blocks are nested far deeper than any course needs (more than 64 levels).

    Look for a run of `[` or `- - -` that was pasted by mistake, and flatten the structure.

    Before: `[[[[[[[[ ... ]]]]]]]]`
    After: a plain list of items.""",
    )

    YAML_TAG = (
        "yaml.tag",
        """The value carries a YAML tag (`!something`) that course files do not use.

    Remove the tag; write the value as plain text, a number, a date or true/false.

    Before: `summary: !!binary aGVsbG8=`
    After: `summary: Hello`""",
    )

    YAML_KEY = (
        "yaml.key",
        """A mapping key is not a simple name (it is a list, a mapping or empty).

    Write keys as simple words such as `title:`.

    Before: `? [a, b]: text`
    After: `title: text`""",
    )

    SCHEMA_UNKNOWN_KEY = (
        "schema.unknown-key",
        """A key that the course format does not know: usually a typo.

    Correct the spelling (the message suggests the nearest known key) or remove the key.

    Before: `titel: Introduction`
    After: `title: Introduction`""",
    )

    SCHEMA_MISSING_KEY = (
        "schema.missing-key",
        """A key the course format requires is missing.

    Add the key with a value.

    Before: a question without `explanation:`.
    After: `explanation: Why the answer is right, citing the rule.`""",
    )

    SCHEMA_TYPE = (
        "schema.type",
        """A value has the wrong kind: text where a list is expected, a list where text is expected, and so on.

    Write the value in the kind the message names.

    Before: `objectives: Apply the test.`
    After: `objectives:` followed by a list of `- id: ...` / `text: ...` items.""",
    )

    SCHEMA_VALUE = (
        "schema.value",
        """A value has the right kind but is not allowed: a number out of range, an unknown status, a malformed id or version.

    Use one of the values the message lists, or follow the pattern it describes.

    Before: `status: aproved`
    After: `status: approved`""",
    )

    SCHEMA_DATE = (
        "schema.date",
        """A date is not a real calendar date written as YYYY-MM-DD.

    Write the date as year-month-day and check that the day exists in that month.

    Before: `last_reviewed: 2026-02-30`
    After: `last_reviewed: 2026-02-28`""",
    )

    ID_FILE_NAME = (
        "id.file-name",
        """A module's `id` differs from its file name; the file name is the module id.

    Make the `id` equal the file name without `.yml`, or rename the file.

    Before: `modules/evidence.yml` with `id: evidence-recording`
    After: `id: evidence`""",
    )

    ID_RESERVED = (
        "id.reserved",
        """A module id names a page of the course site (index, assessment, references, glossary, assets, search, trainers).

    Choose another id for the module and rename its file to match.

    Before: `modules/glossary.yml` with `id: glossary`
    After: `modules/key-terms.yml` with `id: key-terms`""",
    )

    ID_DUPLICATE = (
        "id.duplicate",
        """Two things in the same scope share an id (two sections in one module, two steps in one conversation,
    two modules in the course, two references).

    Give each one its own id, and update anything that pointed to the renamed one.

    Before: two sections with `id: the-test`.
    After: `id: the-test` and `id: applying-the-test`.""",
    )

    COURSE_MODULE_UNLISTED = (
        "course.module-unlisted",
        """(Warning) A module file exists in `modules/` but `course/course.yml` does not list it, so learners never see it.

    Add its id to the `modules:` list in `course/course.yml`, or delete the file.

    Before: `modules/extra.yml` exists; `modules:` does not mention `extra`.
    After: `modules:` includes `- extra`.""",
    )

    PART_MODULE = (
        "part.module",
        """A part of `parts` (in `course/course.yml`) lists a module that `modules:` does not.

    Write the module's id as `modules:` lists it (the nearest id is suggested), or add the module to
    `modules:` first.

    Before: `modules: [entrapment, evidence]` and a part with `modules: [evidense]`
    After: the part lists `modules: [evidence]`""",
    )

    PART_REPEATED = (
        "part.repeated",
        """A module is listed in two parts (or twice in one), or two parts have the same title.

    Keep each module in one part only, and give each part a title of its own.

    Before: `evidence` under both "Evidence" and "Welfare".
    After: `evidence` under "Evidence" only.""",
    )

    PART_ORDER = (
        "part.order",
        """A part's modules are not listed in course order one after another, or the parts are not in course order.

    The navigation and the home page show a part as one block of modules, in the order of `modules:`.
    List a part's modules in that order; make them follow one another in `modules:` (move the module
    there, or put the module between them in the part too); list parts in the order of their modules.

    Before: `modules: [intro, entrapment, evidence]` and a part with `modules: [intro, evidence]`
    After: the part lists `modules: [intro, entrapment, evidence]`, or `modules:` is reordered.""",
    )

    SECTION_KIND = (
        "section.kind",
        """A section must be exactly one of: prose (`body:`), a scenario (`scenario:`) or a branching
    conversation (`conversation:`).

    Keep `body:` for a prose section, `scenario:` for a chat transcript or `conversation:` for an exercise
    in which the learner replies as the officer; one of the three, never two and never none.

    Before: a section with only `id:` and `title:`.
    After: add `body: |` with the section's text.""",
    )

    SCENARIO_EMPTY = (
        "scenario.empty",
        """A scenario has no messages.

    Add at least one message with `speaker:` and `text:`.

    Before: `messages: []`
    After: `messages:` with `- speaker: subject` / `text: hi`.""",
    )

    CONVERSATION_STEP_UNKNOWN = (
        "conversation.step-unknown",
        """A conversation's `start`, or a reply's `next`, names a step that the conversation does not have.

    Use the `id` of one of the conversation's steps (the message suggests the nearest one), or add the
    missing step.

    Before: `next: his-anwser` where the step is `id: his-answer`.
    After: `next: his-answer`""",
    )

    CONVERSATION_UNREACHABLE = (
        "conversation.unreachable",
        """A step of a conversation cannot be reached: no reply leads to it, and it is not the `start`.
    Learners would never see it, and reviewers would sign off a path nobody can take.

    Make a reply lead to it with `next: <its id>`, or delete the step.

    Before: a step `id: he-apologises` that no `next:` names.
    After: a reply with `next: he-apologises`, or no such step.""",
    )

    CONVERSATION_NO_ENDING = (
        "conversation.no-ending",
        """From this step of a conversation no choice of replies ever reaches an ending: the learner would
    go round in circles.

    Give one of the replies on the way a `next` that leads, sooner or later, to a step with `ending:`.

    Before: step `again` whose replies both lead back to `again`.
    After: one of its replies has `next: end-reported`, a step with an `ending:`.""",
    )

    CONVERSATION_STEP_KIND = (
        "conversation.step-kind",
        """A step of a conversation must have either `replies:` (the officer's options) or an `ending:`,
    exactly one of the two.

    Give the step `replies:` if the conversation goes on from it, or an `ending:` (title, verdict,
    debrief) if a path ends there.

    Before: a step with `messages:` only.
    After: the same step with `ending:` and its `title`, `verdict` and `debrief`.""",
    )

    CONVERSATION_REPLIES = (
        "conversation.replies",
        """A step of a conversation offers fewer than two replies, so the learner has no choice to make.

    Give the step two or more replies (a reply that stays within the line and one that does not teaches
    the most), or make it an ending.

    Before: `replies:` with a single reply.
    After: `replies:` with two or three replies, each with `text`, `verdict`, `feedback` and `next`.""",
    )

    QUESTION_DRAFT = (
        "question.draft",
        """A drafting exercise (`type: draft`) is written and self-assessed: it needs a `model_answer` and a
    `checklist` of at least one point, and takes no `choices` or `answer`. `model_answer` and `checklist`
    belong to drafts only, and a draft cannot be in `assessment_bank`, because it is never scored.

    Give the draft its `model_answer` and `checklist` and remove `choices` or `answer`; move a draft from
    `assessment_bank` to `questions`; on any other type of question remove `model_answer` and `checklist`.

    Before: `type: draft` with `choices:`.
    After: `type: draft` with `model_answer: |` and `checklist:` (a list of points).""",
    )

    QUESTION_ONE_CORRECT = (
        "question.one-correct",
        """A single-answer question must have exactly one choice marked `correct: true`.

    Mark exactly one choice correct, or make the question `type: multiple` if several answers are right.

    Before: two choices with `correct: true` in a `type: single` question.
    After: one choice with `correct: true`.""",
    )

    QUESTION_ANSWER_REPEATED = (
        "question.answer-repeated",
        """A bank question's right answer of five words or more is written word for word as a practice question's,
    or repeats eight words in a row of a practice question's right answer, feedback or explanation.

    Learners meet the practice questions, and their answers, on the module pages: in the final
    assessment they could pick the same words again without knowing why they are right. Word the bank
    question's answer afresh: the same point, in other words. A short phrase (an offence's name) may recur.

    Before: `text: A Chief Constable authorises it, with a Judicial Commissioner's prior approval.` in both.
    After: `text: Chief Constable authorisation, approved beforehand by a Judicial Commissioner.` in the bank.""",
    )

    QUESTION_SOME_CORRECT = (
        "question.some-correct",
        """A multiple-answer question must have at least one choice marked `correct: true`.

    Mark every right choice with `correct: true`.

    Before: no choice marked correct.
    After: `correct: true` on each right choice.""",
    )

    QUESTION_CHOICES = (
        "question.choices",
        """A single or multiple question needs at least two choices, and no `answer:` key.

    Give the question two or more `choices:`; `answer:` belongs to true/false questions only.

    Before: `type: single` with one choice.
    After: `type: single` with two or more choices.""",
    )

    QUESTION_TRUE_FALSE = (
        "question.true-false",
        """A true/false question takes `answer: true` or `answer: false` and no `choices:`.

    Remove `choices:` and write `answer: true` or `answer: false`.

    Before: `type: true_false` with `choices:`.
    After: `type: true_false` with `answer: false`.""",
    )

    CHOICE_DUPLICATE = (
        "choice.duplicate",
        """Two choices of one question have the same text, so a learner cannot tell them apart.

    Reword or remove one of them.

    Before: two choices `text: Stay the prosecution`.
    After: `text: Stay the prosecution` and `text: Exclude the evidence`.""",
    )

    OBJECTIVE_UNKNOWN = (
        "objective.unknown",
        """A question names an `objective` that the module does not define.

    Use the id of one of the module's objectives, or add the objective.

    Before: `objective: unexceptional-oportunity`
    After: `objective: unexceptional-opportunity`""",
    )

    OBJECTIVE_UNASSESSED = (
        "objective.unassessed",
        """An objective is not assessed by any marked question.

    Add a question with `objective: <this id>`, or remove the objective. A drafting exercise
    (`type: draft`) does not count: learners tick its checklist themselves, and the final
    assessment never asks it, so it cannot show that an officer has met the objective.

    Before: objective `record-both-sides` that no question names.
    After: a question with `objective: record-both-sides`.""",
    )

    SCENARIO_UNKNOWN = (
        "scenario.unknown",
        """A question names a `scenario` that is not a scenario or conversation section of the same module.

    Use the id of a section in this module that has `scenario:` or `conversation:`.

    Before: `scenario: first-contct`
    After: `scenario: first-contact`""",
    )

    SECTION_UNKNOWN = (
        "section.unknown",
        """A question's `after_section` names a section that the module does not have, or is on a question of
    `assessment_bank`, which is never shown on the module page.

    Use the id of one of this module's sections (the question is then shown right after it), or remove
    `after_section` to keep the question in "Check your understanding" at the end of the module.

    Before: `after_section: the-tset`
    After: `after_section: the-test`""",
    )

    REFERENCE_UNKNOWN = (
        "reference.unknown",
        """A module's `references` list names an id that `course/references.yml` does not define.

    Correct the id, or add the source to `course/references.yml`.

    Before: `references: [looseley]`
    After: `references: [looseley-2001]`""",
    )

    LINK_MODULE = (
        "link.module",
        """A Markdown link `module:<id>` or `module:<id>#<section>` points to a module or section that does not exist.

    Correct the module id (its file name) or the section id.

    Before: `[evidence](module:evidance)`
    After: `[evidence](module:evidence)`""",
    )

    LINK_REF = (
        "link.ref",
        """A Markdown link `ref:<id>` points to a reference that `course/references.yml` does not define.

    Correct the id or add the reference.

    Before: `[Looseley](ref:loosely-2001)`
    After: `[Looseley](ref:looseley-2001)`""",
    )

    MARKDOWN_UNSAFE = (
        "markdown.unsafe",
        """Course text (or a hand-written page in docs/) would put something into a learner's page that the site
    removes for safety: an attribute other than an id or a class (`onclick`, `style`), a link whose address is not
    a web page, an email address or a course link (`javascript:`, `data:`), or, in docs/ pages, an HTML element
    other than plain text markup (`<script>`, `<iframe>`, `<form>`).

    Remove it: course text is words, lists, tables, links and pictures. An attribute list `{: ... }` may set an
    id (`#name`) and classes (`.name`) only; links go to https:// pages, `module:ID` or `ref:ID`.

    Before: `body: Read this.` followed by a line `{: onclick="steal()" }`
    After: `body: Read this.`""",
    )

    MARKDOWN_EXTERNAL = (
        "markdown.external",
        """A picture would be loaded from another site (its address has a scheme such as `https:` or starts with
    `//`), or from outside the course's docs/ folder. Officers take the course on networks without internet:
    the site loads nothing from outside.

    Save the picture under docs/ (for example docs/images/) and give its path there. Links to web pages that
    a learner chooses to open stay allowed.

    Before: `![Diagram](https://example.org/diagram.png)`
    After: `![Diagram](images/diagram.png)` with the file at docs/images/diagram.png""",
    )

    MARKDOWN_TOO_DEEP = (
        "markdown.too-deep",
        """Lists, quotes, emphasis or brackets nest far deeper than any course text needs (more than 20 levels),
    which would make the site and PDF renderers fail.

    Look for a run of `>`, `*` or `[` pasted by mistake, or lines indented far to the right, and flatten them.

    Before: a line starting `> > > > > > > > > > > > > > > > > > > > > >`
    After: `> A quotation.`""",
    )

    TEXT_CONTROL = (
        "text.control",
        """A text holds an invisible control character (often pasted from another program, or written as an
    escape such as `"\\x01"`); such characters break the site, the PDF and the SCORM package.

    Delete the character: retype the text, or remove the escape.

    Before: `title: "Evidence\\x0b and welfare"`
    After: `title: Evidence and welfare`""",
    )

    LINK_FILE = (
        "link.file",
        """A picture names a file that does not exist under docs/.

    Put the file under docs/ at the path given, or correct the path (it is relative to docs/).

    Before: `![Chart](images/chrt.png)` with docs/images/chart.png
    After: `![Chart](images/chart.png)`""",
    )

    PICTURE_MOVING = (
        "picture.moving",
        """A picture that course text shows moves: an animated GIF, PNG or WebP, or an SVG that animates
    (animation elements or CSS animations and transitions), changes with the screen (CSS `@media`,
    `@supports`, `@container`: other words on a phone or in dark mode), holds a script or embedded content,
    or shows another file or a moving picture written into it.

    A reviewer approves a module from its PDF, which shows only a picture's first frame; the site would
    show officers the rest, which nobody approved. Save the picture as a still image.

    Before: `![The rule](images/rule.gif)` with an animated GIF
    After: `![The rule](images/rule.png)` with one still frame""",
    )

    REVIEW_DATES = (
        "review.dates",
        """`next_review_due` must come after `last_reviewed`.

    Correct one of the two dates.

    Before: `last_reviewed: 2026-10-01`, `next_review_due: 2026-04-01`
    After: `next_review_due: 2027-04-01`""",
    )

    ASSESSMENT_QUESTION = (
        "assessment.question",
        """The assessment lists a question as `module-id/question-id` that does not exist.

    Correct the module or question id, or use `questions: all`.

    Before: `- entrapment/who-raised`
    After: `- entrapment/who-raised-it`""",
    )

    ASSESSMENT_DRAFT = (
        "assessment.draft",
        """The final assessment lists a drafting exercise (`type: draft`). Drafts are self-assessed practice,
    never scored, so they cannot be asked in the final assessment.

    Remove the draft from the `questions:` list of `assessment:` (with `questions: all`, drafts are left
    out by themselves).

    Before: `- evidence/write-the-note` under `questions:`, where `write-the-note` is a draft.
    After: the list without it.""",
    )

    ASSESSMENT_DRAW = (
        "assessment.draw",
        """`draw_per_objective` is set, but the assessment does not draw from banks (`questions:` is not `bank`),
    so the setting would do nothing.

    Write `questions: bank` to draw each attempt's questions from the modules' `assessment_bank`, or
    remove `draw_per_objective`.

    Before: `questions: all` with `draw_per_objective: 2`
    After: `questions: bank` with `draw_per_objective: 2`""",
    )

    ASSESSMENT_BANK = (
        "assessment.bank",
        """With `questions: bank`, an objective has fewer questions in its module's `assessment_bank` than each
    attempt draws for it (`draw_per_objective`, 1 when left out), so an attempt could not be drawn.

    Add bank questions with `objective: <this id>` until there are at least `draw_per_objective`
    (more lets a retake draw questions the learner has not seen), or lower `draw_per_objective`.

    Before: `draw_per_objective: 2` and one bank question for objective `record-both-sides`.
    After: two or more bank questions with `objective: record-both-sides`.""",
    )

    REVIEW_UNAPPROVED = (
        "review.unapproved",
        """A module says `status: approved` but no approval of it is recorded (or, when `course/course.yml` lists
    `sign_off` roles, a role has not approved it). Learners would be told it was signed off when nobody did.

    Have each reviewer approve it with `course review approve <module> --by NAME --role ROLE`, which
    records the approval and sets the status; until then write `status: in-review`.

    Before: `status: approved` typed by hand, no `approvals:` in `review:`.
    After: `status: in-review`, then `course review approve <module> --by "S. Patel" --role "Legal adviser"`.""",
    )

    REVIEW_OVERDUE = (
        "review.overdue",
        """(Warning) The module's `next_review_due` date has passed: the law or guidance may have moved on.

    Review the module, then set `last_reviewed` to today and `next_review_due` to the next review date.

    Before: `next_review_due: 2025-01-01`
    After: `last_reviewed: <today>`, `next_review_due: <in six months>`""",
    )

    REFERENCE_STALE = (
        "reference.stale",
        """(Warning) A reference's `checked_on` date is more than a year old.

    Open the source, confirm it is still current, and set `checked_on` to the day you did.

    Before: `checked_on: 2024-05-01`
    After: `checked_on: <the day you checked it>`""",
    )

    MODULE_DRAFT = (
        "module.draft",
        """(Warning) A module's status is still `draft`.

    Finish the module and have it reviewed; `course review approve` sets the status to approved.

    Before: `status: draft`
    After: `status: approved` (with an approval recorded).""",
    )

    TEXT_PLACEHOLDER = (
        "text.placeholder",
        """(Warning) A text is still the example that `course init` or `course new module` wrote, such as
    "One paragraph that tells learners what this module covers". One warning per file, at the first such
    text, saying how many there are.

    Replace each example text with the course's own words (or delete the example item).

    Before: `summary: One paragraph that tells learners what this module covers; shown on the course home page.`
    After: `summary: How to record an online conversation so that a court can rely on it.`""",
    )

    REVIEW_CHANGED = (
        "review.changed",
        """(Warning) An approved module's content has changed since its last recorded approval, so the wording
    learners read is not the wording that was signed off.

    See what changed with `course review diff <module>`, then have it approved again with
    `course review approve <module> --by NAME --role ROLE` (or undo the edit). Until then the site,
    both PDFs, the SCORM package and completion records mark the module "changed since approval".

    Before: `status: approved`, an approval with `fingerprint: 3f2a...`, and a section edited since.
    After: a new approval whose fingerprint matches the edited content.""",
    )

    INTERNAL = (
        "internal",
        """The tool itself failed: this is a bug in coursekit, not in your course.

    Report it with the command you ran and the log file the message names.

    Before: (none)
    After: (none)""",
    )


# Codes that are warnings by nature; everything else is an error.
WARNING_CODES = frozenset(
    {Code.REVIEW_OVERDUE, Code.REFERENCE_STALE, Code.MODULE_DRAFT, Code.COURSE_MODULE_UNLISTED, Code.REVIEW_CHANGED,
     Code.TEXT_PLACEHOLDER, Code.QUESTION_ANSWER_REPEATED}
)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in one place of one file."""

    path: str  # relative to the course root, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when the problem concerns the whole file
    code: Code
    message: str

    def __post_init__(self) -> None:
        # One line per problem, whatever text of the trainer's a message quotes.
        if any(ch < " " for ch in self.message):
            object.__setattr__(self, "message", _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], self.message))

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.code in WARNING_CODES else Severity.ERROR

    def format(self) -> str:
        """Render as `path:line:col: severity: message [code]`, the form editors recognise."""
        where = self.path if self.line == 0 else f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.severity.value}: {self.message} [{self.code.value}]"


def did_you_mean(written: str, known: Iterable[str], shown: str = "{}") -> str:
    """`; did you mean `x`?` when a known name is close to the one written (a typo), else "".

    `shown` formats the suggestion as the trainer would write it, e.g. "ref:{}" for a link.
    """
    close = difflib.get_close_matches(written, sorted(set(known)), n=1, cutoff=0.6)
    return f"; did you mean `{shown.format(close[0])}`?" if close else ""


def count(diagnostics: list[Diagnostic]) -> tuple[int, int]:
    """Return (errors, warnings)."""
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    return errors, len(diagnostics) - errors


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    """One closing line for a report."""
    errors, warnings = count(diagnostics)
    if not diagnostics:
        return f"No problems found in {files} files."
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{' and '.join(parts)} in {files} files."
