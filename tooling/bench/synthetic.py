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
status: in-review
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
{modules}{parts}assessment:
  pass_mark: 80
  questions: all
"""
# With parts, both sites prune the navigation to the open part (Material's `navigation.prune`).
MKDOCS = "site_name: Synthetic benchmark course\ntheme:\n  name: material\n{features}plugins:\n  - search\n{plugin}"
PRUNE = "  features:\n    - navigation.prune\n"


def module_text(i: int, n: int) -> str:
    """The YAML of synthetic module i of n."""
    sections = "".join(SECTION.format(j=j, r=1 + j % 2, other=(i + 1) % n) for j in range(1, 7))
    questions = "".join(QUESTION.format(k=k, o=1 + k % 2) for k in range(1, 6))
    return MODULE.format(i=i, sections=sections, questions=questions)


def part_groups(n: int, part_size: int) -> list[list[int]]:
    """Module numbers grouped in parts of `part_size` (none when 0)."""
    return [list(range(start, min(start + part_size, n))) for start in range(0, n, part_size)] if part_size else []


def generate(root: Path, n: int, part_size: int = 0) -> Path:
    """Write a synthetic course of n modules under root, in parts of `part_size` modules if given; return root."""
    (root / "course").mkdir(parents=True, exist_ok=True)
    (root / "modules").mkdir(exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    groups = part_groups(n, part_size)
    parts = ("parts:\n" + "".join(f"  - title: Part {k + 1}\n    modules: [{', '.join(f'module-{i}' for i in group)}]\n"
                                 for k, group in enumerate(groups))) if groups else ""
    (root / "course/course.yml").write_text(COURSE.format(modules="".join(f"  - module-{i}\n" for i in range(n)),
                                                          parts=parts))
    (root / "course/references.yml").write_text("".join(
        f"- id: source-{r}\n  kind: case\n  citation: Source {r} [2001] UKHL {r}\n  checked_on: 2099-01-01\n" for r in (1, 2)))
    (root / "mkdocs.yml").write_text(MKDOCS.format(features=PRUNE if groups else "", plugin="  - course\n"))
    (root / "docs/index.md").write_text("# Synthetic benchmark course\n")
    for i in range(n):
        (root / f"modules/module-{i}.yml").write_text(module_text(i, n))
    return root


# --- the same course as plain Markdown for MkDocs with mkdocs-quiz (the peer of `course build`) ------

PEER_SECTION = """## Section {j}: a heading of some length

Officers must record the whole exchange, both sides, as it happens. This paragraph is long
enough to stand for real prose: it cites [a source](../references.md#source-{r}) and links to
[another module](../module-{other}/index.md#section-1) so that link checks have work to do.

A second paragraph with **bold text**, a list and more words:

- the first point of the list;
- the second point of the list.

"""

PEER_QUESTION = """<quiz>
Question {k}, about the scenario above. Which is the right course of action?
- [x] The right answer for question {k}.
> Yes, that is right.
- [ ] A plausible wrong answer for question {k}.
> No, look again at who raised the topic.

Because the officer did no more than provide an unexceptional opportunity.
</quiz>

"""

PEER_MODULE = """# Module {i}: a synthetic module

One paragraph shown on the course home page for module {i}.

**Objectives**

- Apply the first test to an online conversation.
- Explain the second test.

{sections}## A first contact

*A public chat room; the officer's persona is 13.*

| Speaker | Message |
|---|---|
| Subject | hi how old r u |
| Officer | 13 u |
| Subject | ok |

## Questions

{questions}"""


def generate_markdown(root: Path, n: int, part_size: int = 0, plugin: str | None = "mkdocs_quiz") -> Path:
    """Write the same synthetic course as Markdown pages for `mkdocs build` with mkdocs-quiz
    (plugin=None: plain Material, the quiz blocks left as they are written).

    With parts, mkdocs.yml lists the same navigation as the course's: parts as sections, pruned.
    """
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    groups = part_groups(n, part_size)
    config = MKDOCS.format(features=PRUNE if groups else "", plugin=f"  - {plugin}\n" if plugin else "")
    if groups:
        config += "nav:\n  - index.md\n" + "".join(
            f"  - Part {k + 1}:\n" + "".join(f"    - module-{i}/index.md\n" for i in group)
            for k, group in enumerate(groups)) + "  - references.md\n"
    (root / "mkdocs.yml").write_text(config)
    (docs / "index.md").write_text("# Synthetic benchmark course\n\n" + "".join(
        f"- [Module {i}](module-{i}/index.md)\n" for i in range(n)))
    (docs / "references.md").write_text("# References\n\n" + "".join(
        f"## Source {r} {{#source-{r}}}\n\nSource {r} [2001] UKHL {r}\n\n" for r in (1, 2)))
    for i in range(n):
        sections = "".join(PEER_SECTION.format(j=j, r=1 + j % 2, other=(i + 1) % n) for j in range(1, 7))
        questions = "".join(PEER_QUESTION.format(k=k) for k in range(1, 6))
        (docs / f"module-{i}").mkdir(exist_ok=True)
        (docs / f"module-{i}/index.md").write_text(PEER_MODULE.format(i=i, sections=sections, questions=questions))
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=Path)
    parser.add_argument("-n", "--modules", type=int, default=150)
    parser.add_argument("--parts", type=int, default=0, metavar="SIZE", help="group modules in parts of SIZE")
    parser.add_argument("--markdown", action="store_true", help="write the mkdocs-quiz Markdown version instead")
    args = parser.parse_args()
    (generate_markdown if args.markdown else generate)(args.dir, args.modules, args.parts)
