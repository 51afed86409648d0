"""What each site page shows, as plain data for the templates: links resolved, Markdown rendered.

The logic of the site lives here (numbering, answer keys, grouping); the templates only lay it out.
Trainer notes are never read here, so they cannot reach a learner page.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..model import Course, Module, Question, Scenario
from ..markup import to_html

SPEAKERS = {"subject": "Subject", "officer": "Officer", "note": "Note"}
KIND_HEADINGS = {"case": "Cases", "statute": "Legislation", "guidance": "Guidance", "research": "Research",
                 "report": "Reports"}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class PageLinks:
    """Relative links from one generated page to the others, so the site works under any path."""

    page: str  # "index", "assessment", "references", "glossary" or a module id
    directory_urls: bool = True

    def url(self, key: str, anchor: str | None = None) -> str:
        """The href of page `key` (and `#anchor`) as seen from this page."""
        fragment = f"#{anchor}" if anchor else ""
        if key == self.page and fragment:
            return fragment
        up = "" if self.page == "index" else "../"
        if self.directory_urls:
            path = up + ("" if key == "index" else f"{key}/")
        else:
            path = up + ("index.html" if key == "index" else f"{key}/index.html")
        return (path or "./") + fragment

    def resolve(self, scheme: str, target: str, anchor: str | None) -> str:
        """Resolve a checked `module:` or `ref:` link, or a picture under docs/, of trainers' Markdown."""
        if scheme == "ref":
            return self.url("references", target)
        if scheme == "file":  # MkDocs copies docs/ files to the same place in the site
            return ("" if self.page == "index" else "../") + target
        return self.url(target or self.page, anchor)

    def md(self, text: str | None) -> Markup:
        return _markdown(text or "", self.page, self.directory_urls, False)

    def inline(self, text: str | None) -> Markup:
        return _markdown(text or "", self.page, self.directory_urls, True)


@functools.lru_cache(maxsize=50_000)
def _markdown(text: str, page: str, directory_urls: bool, inline: bool) -> Markup:
    """Markdown to HTML, remembered: a rebuild under `mkdocs serve` converts only text that changed.

    Safe to remember because links depend only on the page and the URL style, never on other content.
    """
    links = PageLinks(page=page, directory_urls=directory_urls)
    return to_html(text, links.resolve, inline=inline)


def long_date(day: dt.date) -> str:
    """A date as British readers write it: 1 November 2026."""
    return f"{day.day} {day:%B %Y}"


def duration(minutes: int) -> str:
    """A length of time in words: 40 minutes, 1 hour, 5 hours 40 minutes."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.casefold()).strip("-") or "term"


def _identity(course: Course) -> dict[str, str]:
    return {"course_id": course.info.id, "course_version": course.info.version}


# --- home ----------------------------------------------------------------------------------------------

def home_view(course: Course, links: PageLinks, home_text: str | None) -> dict[str, Any]:
    """The home page: the course, its modules with time and progress, the assessment, hand-written text."""
    modules = [
        {"id": m.id, "number": n, "title": m.title, "summary": m.summary, "minutes": m.duration_minutes,
         "url": links.url(m.id), "questions": len(m.questions)}
        for n, m in enumerate(course.modules, start=1)
    ]
    return {
        **_identity(course), "info": course.info, "modules": modules,
        "total_time": duration(sum(m.duration_minutes for m in course.modules)),
        "assessment": {"url": links.url("assessment"), "questions": len(course.assessment_questions()),
                       "pass_mark": course.info.assessment.pass_mark},
        "references_url": links.url("references"), "glossary_url": links.url("glossary"),
        "home_text": Markup(_without_title(home_text or "", course.info.title)),
    }


def _without_title(text: str, title: str) -> str:
    """Hand-written home text under the generated title: its own H1 goes, or becomes an H2 if it says more."""
    lines = text.strip("\n").splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    match = _H1.match(lines[first]) if first is not None else None
    if match and first is not None:
        lines[first] = "" if match.group(1).strip() == title.strip() else f"## {match.group(1)}"
    return "\n".join(lines).strip("\n")


# --- modules and questions ----------------------------------------------------------------------------

def module_view(course: Course, module: Module, number: int, links: PageLinks) -> dict[str, Any]:
    """A module page: objectives, content note, sections, sources and its formative questions."""
    sections = [
        {"id": s.id, "title": s.title, "body": links.md(s.body) if s.body else None,
         "scenario": scenario_view(s.scenario) if s.scenario else None}
        for s in module.sections
    ]
    cited = [course.reference(r) for r in module.references]
    references = [{"citation": r.citation, "url": links.url("references", r.id), "external": r.url}
                  for r in cited if r is not None]
    questions = [question_view(module, q, n, len(module.questions), links, with_scenario=False)
                 for n, q in enumerate(module.questions, start=1)]
    return {
        **_identity(course), "module": module, "number": number, "total": len(course.modules),
        "sections": sections, "references": references, "questions": questions,
        "home_url": links.url("index"), "assessment_url": links.url("assessment"),
    }


def scenario_view(scenario: Scenario) -> dict[str, Any]:
    """A chat transcript with each speaker named in words."""
    return {"setting": scenario.setting,
            "messages": [{"speaker": m.speaker, "label": SPEAKERS[m.speaker], "text": m.text}
                         for m in scenario.messages]}


def question_view(module: Module, question: Question, number: int, total: int, links: PageLinks, *,
                  with_scenario: bool) -> dict[str, Any]:
    """One question as a fieldset: choices, and the answer key encoded out of the visible page."""
    name = f"ck-{module.id}-{question.id}"
    if question.type == "true_false":
        labels: list[Any] = ["True", "False"]
        correct = [0] if question.answer else [1]
        feedback: dict[str, str] = {}
    else:
        choices = question.choices or []
        labels = [c.text for c in choices]
        correct = [i for i, c in enumerate(choices) if c.correct]
        feedback = {str(i): str(links.md(c.feedback)) for i, c in enumerate(choices) if c.feedback}
    scenario_section = module.section(question.scenario) if question.scenario else None
    objective = next((o.text for o in module.objectives if o.id == question.objective), question.objective)
    return {
        "ref": f"{module.id}/{question.id}", "name": name, "number": number, "total": total,
        "prompt": links.inline(question.prompt),
        "input": "checkbox" if question.type == "multiple" else "radio",
        # Trainers often write "Select all that apply." themselves; say it only when they have not.
        "hint": question.type == "multiple" and "all that apply" not in question.prompt.lower(),
        "choices": [{"id": f"{name}-{i}", "value": str(i), "label": label} for i, label in enumerate(labels)],
        "key": answer_key(correct, feedback, str(links.md(question.explanation))),
        "objective": objective, "module_title": module.title,
        "scenario": {"title": scenario_section.title, "url": links.url(module.id, scenario_section.id),
                     "chat": scenario_view(scenario_section.scenario) if with_scenario else None}
        if scenario_section is not None and scenario_section.scenario is not None else None,
    }


def answer_key(correct: list[int], feedback: dict[str, str], explanation: str) -> str:
    """The answer, feedback and explanation as base64 JSON: the quiz can score, the page does not show it."""
    data = json.dumps({"c": correct, "f": feedback, "x": explanation},
                      ensure_ascii=True, separators=(",", ":"))
    return base64.b64encode(data.encode("ascii")).decode("ascii")


# --- assessment, references, glossary ------------------------------------------------------------------

def assessment_view(course: Course, links: PageLinks) -> dict[str, Any]:
    """The final assessment: every chosen question, scored only on submit, and the completion record."""
    chosen = course.assessment_questions()
    questions = [question_view(m, q, n, len(chosen), links, with_scenario=True)
                 for n, (m, q) in enumerate(chosen, start=1)]
    return {**_identity(course), "info": course.info, "questions": questions,
            "pass_mark": course.info.assessment.pass_mark, "fingerprint": course.fingerprint,
            "home_url": links.url("index")}


def references_view(course: Course, links: PageLinks) -> dict[str, Any]:
    """The sources, grouped by kind, each with the modules that cite it and when it was checked."""
    groups = []
    for kind, heading in KIND_HEADINGS.items():
        items = [
            {"id": r.id, "citation": r.citation, "url": r.url, "checked_on": long_date(r.checked_on),
             "cited_by": [{"number": n, "title": m.title, "url": links.url(m.id)}
                          for n, m in enumerate(course.modules, start=1) if r.id in m.references]}
            for r in course.references if r.kind == kind
        ]
        if items:
            groups.append({"id": f"ck-{kind}", "heading": heading, "sources": items})
    return {**_identity(course), "groups": groups}


def glossary_view(course: Course, links: PageLinks) -> dict[str, Any]:
    """The glossary in alphabetical order, each term with an anchor of its own."""
    entries = sorted(course.glossary, key=lambda g: g.term.casefold())
    return {**_identity(course),
            "entries": [{"id": f"term-{slug(g.term)}", "term": g.term, "definition": links.md(g.definition)}
                        for g in entries]}
