"""Generate a synthetic course of N modules (about 120 lines each) for benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

SECTION = """  - id: section-{j}
    title: "Section {j}: a heading of some length"
    body: |
      Officers must record the whole exchange, both sides, as it happens. This paragraph is long
      enough to stand for real prose: it cites [a source](ref:source-{r}) and links to
      [another module](module:module-{other}#section-1) so that link checks have work to do.

      A second paragraph with **bold text**, a list and more words:

      - the first point of the list;
      - the second point of the list.
"""

QUESTION = """  - id: question-{k}
    objective: objective-{o}
    type: single
    scenario: first-contact
    prompt: Question {k}, about the scenario above. Which is the right course of action?
    choices:
      - text: The right answer for question {k}.
        correct: true
        feedback: Yes, that is right.
      - text: A plausible wrong answer for question {k}.
        feedback: No, look again at who raised the topic.
    explanation: Because the officer did no more than provide an unexceptional opportunity.
"""

MODULE = """# Synthetic module {i} for benchmarks.
id: module-{i}
title: "Module {i}: a synthetic module"
summary: One paragraph shown on the course home page for module {i}.
version: 1.0.0
status: approved
duration_minutes: 40
review:
  owner: Benchmark Team
  last_reviewed: 2026-10-01
  next_review_due: 2099-04-01
objectives:
  - id: objective-1
    text: Apply the first test to an online conversation.
  - id: objective-2
    text: Explain the second test.
sections:
{sections}  - id: first-contact
    title: A first contact
    scenario:
      setting: A public chat room; the officer's persona is 13.
      messages:
        - speaker: subject
          text: hi how old r u
        - speaker: officer
          text: 13 u
        - speaker: subject
          text: ok
trainer_notes: |
  Ask the group who raised the topic first.
references: [source-1, source-2]
questions:
{questions}"""

COURSE = """id: synthetic-course
title: Synthetic benchmark course
version: 1.0.0
jurisdiction: England and Wales
audience: Benchmarks
modules:
{modules}assessment:
  pass_mark: 80
  questions: all
"""


def module_text(i: int, n: int) -> str:
    """The YAML of synthetic module i of n."""
    sections = "".join(SECTION.format(j=j, r=1 + j % 2, other=(i + 1) % n) for j in range(1, 7))
    questions = "".join(QUESTION.format(k=k, o=1 + k % 2) for k in range(1, 6))
    return MODULE.format(i=i, sections=sections, questions=questions)


def generate(root: Path, n: int) -> Path:
    """Write a synthetic course of n modules under root; return root."""
    (root / "course").mkdir(parents=True, exist_ok=True)
    (root / "modules").mkdir(exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "course/course.yml").write_text(COURSE.format(modules="".join(f"  - module-{i}\n" for i in range(n))))
    (root / "course/references.yml").write_text("".join(
        f"- id: source-{r}\n  kind: case\n  citation: Source {r} [2001] UKHL {r}\n  checked_on: 2099-01-01\n" for r in (1, 2)))
    (root / "mkdocs.yml").write_text("site_name: Synthetic benchmark course\ntheme:\n  name: material\nplugins:\n  - search\n  - course\n")
    (root / "docs/index.md").write_text("# Synthetic benchmark course\n")
    for i in range(n):
        (root / f"modules/module-{i}.yml").write_text(module_text(i, n))
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=Path)
    parser.add_argument("-n", "--modules", type=int, default=150)
    args = parser.parse_args()
    generate(args.dir, args.modules)
