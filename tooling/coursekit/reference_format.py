"""The format reference (docs/trainers/format.md): the layout of a course repository, every file, key and rule.

The contract with trainers, kept in the project. The key tables come from the model and the rules from the
diagnostic codes, as in keys.md and errors.md, so they say what `course check` enforces; the examples are
checked against the model by the tests.
"""

from __future__ import annotations

from .diagnostics import WARNING_CODES, Code
from .reference import FILES, GENERATED, fields_table, prose

LAYOUT = """\
| path | what it holds | needed |
|---|---|---|
| `mkdocs.yml` | the site's settings: `site_name`, `theme: material`, `plugins: [search, offline, course]` | yes |
| `course/course.yml` | the course: id, title, version, jurisdiction, audience, the order of the modules, the assessment | yes |
| `course/references.yml` | the legal and research sources that modules cite | if a module cites one |
| `course/glossary.yml` | terms and their definitions | no |
| `modules/<id>.yml` | one module a file; the file name is the module id | one or more |
| `docs/` | hand-written pages: `docs/index.md` is the home page's own text; a folder of pages becomes a section of the menu (`docs/trainers/` is "For trainers", and stays out of SCORM packages) | yes (`docs/index.md` may be missing) |
| `course/approved/<id>.yml` | the approved copy of each module, kept by `course review approve` (commit it) | written for you |
| `.schema/` | JSON Schemas that let editors complete and check the files (`course schema --write .schema`) | no |
| `.gitignore` | keeps what coursekit makes out of git: `site/`, `*.pdf`, `*.zip` | written by `course init` |

Everything else in the folder is left alone. `course build` writes the site into `site/`; `course pdf`
and `course scorm` write the files you name with `-o`."""

EXAMPLES = {
    "course/course.yml": """\
id: covert-online-investigations       # lower-case letters, digits and hyphens
title: Covert Online Child Protection Investigations
subtitle: The legal line, evidence and welfare
version: 1.0.0                         # the course edition
jurisdiction: England and Wales
audience: Accredited undercover online operatives and their supervisors
language: en-GB
modules:                               # the course order; each is a file modules/<id>.yml
  - introduction
  - entrapment
  - authorisation
  - evidence
parts:                                 # optional: groups of modules, shown together in the menu and on the home page
  - title: The law
    modules: [entrapment, authorisation]   # in course order, one after another; `introduction` is in no part
  - title: Evidence
    modules: [evidence]
sign_off:                              # optional: every role must approve each module's wording
  - Legal adviser
  - Training manager
assessment:
  pass_mark: 80                        # percent
  questions: bank                      # all | bank | a list such as [entrapment/who-raised-it]
  draw_per_objective: 1                # with bank: questions drawn per objective for each attempt
  max_attempts: 3                      # optional
  shuffle_choices: true                # the default
""",
    "modules/<id>.yml": """\
id: entrapment                         # the file name, without .yml
title: "The legal line: entrapment"    # quoted, because it holds a colon
summary: What a court asks about the officer's conduct, and what follows when the line is crossed.
version: 1.0.0
status: draft                          # draft | in-review | approved
duration_minutes: 40
content_note: >-
  This module quotes short invented chat messages between an adult and an officer posing as a child.
review:
  owner: Covert Online Training Team
  last_reviewed: 2026-10-01
  next_review_due: 2027-04-01
objectives:
  - id: unexceptional-opportunity
    text: Apply the unexceptional-opportunity test to an online conversation.
sections:
  - id: the-test                       # a prose section
    title: What the court asks
    body: |
      Whether the police did no more than give an **unexceptional opportunity**
      ([R v Looseley](ref:looseley-2001)). Recording is covered in [evidence](module:evidence#the-record).
  - id: first-contact                  # a scenario section: an invented chat transcript
    title: A first contact
    scenario:
      setting: A public chat room; the officer's persona is 13.
      messages:
        - speaker: subject             # subject | officer | note
          text: hi how old r u
        - speaker: officer
          text: 13 u
  - id: an-evening-online              # a conversation section: the learner replies as the officer
    title: An evening online
    conversation:
      setting: A public chat room; the officer's persona is 13.
      start: opening
      steps:
        - id: opening
          messages:
            - speaker: subject
              text: hi how old r u
          replies:                     # two or more
            - text: 13. u?
              verdict: within          # within | risky | crosses
              feedback: A plain answer to the question asked.
              next: stayed-neutral
            - text: old enough for what u want
              verdict: crosses
              feedback: The officer has raised the topic first.
              next: stayed
        - id: stayed-neutral
          messages:
            - speaker: note
              text: The subject changes the subject.
          ending:                      # a step has replies or an ending, never both
            title: The evidence is admitted
            verdict: within
            debrief: The officer gave no more than an unexceptional opportunity.
        - id: stayed
          ending:
            title: The prosecution is stayed
            verdict: crosses
            debrief: The judge finds that the officer instigated the offence.
trainer_notes: |
  For trainers and reviewers only: ask the group who raised the topic first.
references: [looseley-2001]
questions:
  - id: who-raised-it
    objective: unexceptional-opportunity
    type: single                       # single | multiple | true_false
    scenario: first-contact
    prompt: Who raised the topic first?
    choices:
      - text: The subject.
        correct: true
        feedback: Yes. The subject's message comes first.
      - text: The officer.
    explanation: The transcript shows the subject raised it, so the officer gave an unexceptional opportunity.
  - id: predisposition
    objective: unexceptional-opportunity
    type: true_false
    prompt: The subject's predisposition decides the question.
    answer: false
    explanation: The court looks at what the police did, not at the subject's character.
  - id: draft-the-reply                # a drafting exercise: written, self-assessed, never scored
    objective: unexceptional-opportunity
    type: draft
    prompt: The subject writes "wanna meet up?". Write the persona's reply.
    model_answer: '"dunno. where?": it leaves any proposal of a time or place to him.'
    checklist:
      - Does not propose a time or place.
      - Stays in the persona's voice.
    explanation: A meeting must be his proposal, not the officer's.
assessment_bank:                       # final-assessment questions, never on the module page
  - id: bank-who-raised-it
    objective: unexceptional-opportunity
    type: true_false
    scenario: an-evening-online
    prompt: Replying "13. u?" to "how old r u" gives more than an unexceptional opportunity.
    answer: false
    explanation: It answers the question asked and raises nothing new.
""",
    "course/references.yml": """\
- id: looseley-2001
  kind: case                           # case | statute | guidance | research | report
  citation: "R v Looseley; Attorney General's Reference (No 3 of 2000) [2001] UKHL 53"
  url: https://www.bailii.org/uk/cases/UKHL/2001/53.html
  checked_on: 2026-11-01               # when a person last confirmed it is current
""",
    "course/glossary.yml": """\
- term: CHIS
  definition: Covert human intelligence source (RIPA 2000 s.26(8)); includes undercover officers.
""",
}

MARKDOWN = """\
Keys whose value is Markdown (`body`, `prompt`, `explanation`, `feedback`, `debrief`, `model_answer`,
`trainer_notes`, `definition`) take the plain Markdown of everyday writing:

- paragraphs (leave a blank line between them), `**bold**`, `*italic*`, lists (`- ` or `1. `), quotations
  (`> `), tables and `code`;
- links to web pages, `[text](https://...)` (or `http://`, `mailto:`);
- links to another module, `[text](module:evidence)`, or to one of its sections,
  `[text](module:evidence#the-record)`: the module and section must exist;
- links to a source in `course/references.yml`, `[R v Looseley](ref:looseley-2001)`: the id must exist;
- pictures that are files of the course, saved under `docs/`: `![A chart of the steps](images/steps.png)`
  for `docs/images/steps.png` (the file must exist).

A module may come from another force, so every text is treated as untrusted and goes through one
sanitiser for the site, the PDFs and the SCORM package. HTML typed into a text is shown as you typed it,
never used as markup. Anything that would reach a learner's page otherwise is an error at its line and
column: a link that is not a web page, an email, a module or a source (`javascript:`, `data:`, however it
is spelt: `markdown.unsafe`), a picture from another site (`https://...`, `//...`: `markdown.external`,
since the course loads nothing from outside), an attribute list `{: ... }` setting more than an id
(`#name`) and classes (`.name`) (`markdown.unsafe`), nesting deeper than 20 levels (`markdown.too-deep`)
and invisible control characters in any text (`text.control`). Headings are made by the course (one per
section), so use none in the text. Hand-written pages in `docs/` (the home page) may use HTML, sanitised
and checked the same way; their front matter may set only `title`, `description`, `hide` and `search`.

A text with a colon followed by a space (`The law: an overview`) must be in quotes on one line, or written
as a block (`summary: >-` with the text on the lines below, indented). `|` keeps line breaks (for
Markdown), `>-` joins the lines into one paragraph."""


def format_reference() -> str:
    """Markdown: the layout of a course repository, each file with an example and its keys, the rules, Markdown."""
    out = ["---", "title: The course format", "---", GENERATED, "", "# The course format", "",
           "A course is a folder of plain text files: YAML files that say what the course holds, with Markdown "
           "inside for the text. This page is the whole format: the files, every key, every rule `course check` "
           "enforces, and the Markdown you can use. Key names are a contract: new keys may be added, existing "
           "ones are never renamed. A key the format does not know is an error, so a typo never passes silently.",
           "", "## The folder", "", LAYOUT, ""]
    for path, shape, model, inner in FILES:
        out += [f"## `{path}`", "", f"{prose(model.__doc__.strip())} {shape}", "", "```yaml", EXAMPLES[path].rstrip(), "```",
                "", *fields_table(model), ""]
        for sub in inner:
            out += [f"### {sub.__name__.lower()} (in `{path}`)", "", prose(sub.__doc__.strip()), "", *fields_table(sub), ""]
    out += ["## Rules", "", "Besides the keys and their values, `course check` enforces these rules. Errors stop "
            "the site, the PDFs and the SCORM package; warnings are reported and stop only `course check --strict`. "
            "[Every message](errors.md) has how to fix it and an example.", ""]
    out += [_rule(code) for code in Code if code is not Code.INTERNAL]
    out += ["", "## Markdown in texts", "", MARKDOWN]
    return "\n".join(out).rstrip() + "\n"


def _rule(code: Code) -> str:
    meaning = " ".join((code.__doc__ or "").split("\n\n")[0].split()).removeprefix("(Warning) ")
    kind = "warning" if code in WARNING_CODES else "error"
    return f"- **{kind}** [`{code.value}`](errors.md#{code.value.replace('.', '')}): {prose(meaning)}"
