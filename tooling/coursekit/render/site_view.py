"""What each site page shows, as plain data for the templates: links resolved, Markdown rendered.

The logic of the site lives here (numbering, answer keys, grouping); the templates only lay it out.
Trainer notes are never read here, so they cannot reach a learner page.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import random
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import conversation as paths
from ..conversation import VERDICT_WORDS
from ..model import Conversation, Course, Message, Module, Question, Scenario, Section
from ..markup import to_html
from ..signoff import of as sign_off_of

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

    def asset(self, path: str) -> str:
        """The href of a file of the site (such as a script) as seen from this page."""
        return ("" if self.page == "index" else "../") + path

    def resolve(self, scheme: str, target: str, anchor: str | None) -> str:
        """Resolve a checked `module:` or `ref:` link, or a picture under docs/, of trainers' Markdown."""
        if scheme == "ref":
            return self.url("references", target)
        if scheme == "file":  # MkDocs copies docs/ files to the same place in the site
            return self.asset(target)
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
         "url": links.url(m.id), "questions": len(marked(m)), "sign_off": sign_off_view(course, m)}
        for n, m in enumerate(course.modules, start=1)
    ]
    return {
        **_identity(course), "info": course.info, "modules": modules, "groups": home_groups(course, modules),
        "total_time": duration(sum(m.duration_minutes for m in course.modules)),
        "assessment": {"url": links.url("assessment"), "questions": assessment_length(course),
                       "pass_mark": course.info.assessment.pass_mark},
        "references_url": links.url("references"), "glossary_url": links.url("glossary"),
        "home_text": Markup(_without_title(home_text or "", course.info.title)),
    }


def home_groups(course: Course, modules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The home page's module list in blocks: each part under its title, modules of no part at the parts' level.

    Module cards are headings one level below their part's heading (h4), or at the parts' level (h3).
    """
    groups: list[dict[str, Any]] = []
    at = 0
    for number, (part, members) in enumerate(course.module_groups(), start=1):
        cards = modules[at:at + len(members)]
        at += len(members)
        if part is None and groups and groups[-1]["title"] is None:
            groups[-1]["modules"].extend(cards)
            continue
        groups.append({"title": part.title if part else None, "id": f"ck-part-{number}",
                       "level": 4 if part else 3, "start": cards[0]["number"], "modules": cards})
    return groups


def assessment_length(course: Course) -> int:
    """How many questions one attempt at the final assessment asks."""
    settings = course.info.assessment
    if settings.questions == "bank":
        return sum(len(m.objectives) for m in course.modules) * settings.draw
    return len(course.assessment_questions())


def _without_title(text: str, title: str) -> str:
    """Hand-written home text under the generated title: its own H1 goes, or becomes an H2 if it says more."""
    lines = text.strip("\n").splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    match = _H1.match(lines[first]) if first is not None else None
    if match and first is not None:
        lines[first] = "" if match.group(1).strip() == title.strip() else f"## {match.group(1)}"
    return "\n".join(lines).strip("\n")


# --- modules and questions ----------------------------------------------------------------------------

def marked(module: Module) -> list[Question]:
    """The module's practice questions that are marked (drafting exercises are self-assessed)."""
    return [q for q in module.questions if q.type != "draft"]


def module_view(course: Course, module: Module, number: int, links: PageLinks) -> dict[str, Any]:
    """A module page: objectives, content note, sections (each with the knowledge checks placed after it),
    sources, the remaining questions, and the module's end: a summary and the way on."""
    placed = in_page_order(module)
    total = len(placed)
    views = {q.id: draft_view(module, q, n, total, links) if q.type == "draft" else
             question_view(module, q, n, total, links, with_scenario=False)
             for n, q in enumerate(placed, start=1)}
    sections = [
        {"id": s.id, "title": s.title, "body": links.md(s.body) if s.body else None,
         "scenario": scenario_view(s.scenario) if s.scenario else None,
         "conversation": conversation_view(module, s, s.conversation, links) if s.conversation else None,
         "checks": [views[q.id] for q in placed if q.after_section == s.id]}
        for s in module.sections
    ]
    cited = [course.reference(r) for r in module.references]
    references = [{"citation": r.citation, "url": links.url("references", r.id), "external": r.url}
                  for r in cited if r is not None]
    questions = [views[q.id] for q in placed if _at_the_end(module, q)]
    return {
        **_identity(course), "module": module, "number": number, "total": len(course.modules),
        "sign_off": sign_off_view(course, module),
        "sections": sections, "references": references, "questions": questions,
        "drafts": any(q["draft"] for q in questions),
        "marked": len(marked(module)), "end": module_end_view(course, module, number, links),
        "scripts": {name: links.asset(f"assets/course/{name}") for name in
                    ("conversation.js", "conversation.css", "draft.js")},
        "home_url": links.url("index"), "assessment_url": links.url("assessment"),
    }


def in_page_order(module: Module) -> list[Question]:
    """The practice questions in the order the page shows them: after their sections, then the rest."""
    after = [q for s in module.sections for q in module.questions if q.after_section == s.id]
    return after + [q for q in module.questions if _at_the_end(module, q)]


def _at_the_end(module: Module, question: Question) -> bool:
    return question.after_section is None or module.section(question.after_section) is None


def module_end_view(course: Course, module: Module, number: int, links: PageLinks) -> dict[str, Any]:
    """The end of a module: what it covered, and the next module (or, after the last, the final assessment)."""
    following = course.modules[number] if number < len(course.modules) else None
    if following is not None:
        onward = {"url": links.url(following.id), "label": f"Next: module {number + 1}, {following.title}"}
    else:
        onward = {"url": links.url("assessment"), "label": "Next: the final assessment"}
    return {"covered": [s.title for s in module.sections], "onward": onward, "home_url": links.url("index")}


def scenario_view(scenario: Scenario) -> dict[str, Any]:
    """A chat transcript with each speaker named in words."""
    return {"setting": scenario.setting, "messages": messages_view(scenario.messages)}


def messages_view(messages: list[Message]) -> list[dict[str, str]]:
    """Chat messages, each with its speaker named in words (not by colour or side alone)."""
    return [{"speaker": m.speaker, "label": SPEAKERS[m.speaker], "text": m.text} for m in messages]


def conversation_view(module: Module, section: Section, conv: Conversation, links: PageLinks) -> dict[str, Any]:
    """A branching conversation: a numbered exercise that reads without JavaScript, and, encoded out of
    the visible page (like a question's answer key), the whole conversation the chat window plays.

    The readable exercise holds no verdict, feedback or debrief: they show only once a reply is chosen.
    """
    steps = paths.reading_order(conv)
    number = paths.numbers(conv)
    anchor = f"ck-{module.id}-{section.id}-step-"
    readable = [
        {"number": number[step.id], "anchor": f"{anchor}{number[step.id]}",
         "messages": messages_view(step.messages),
         "replies": [{"text": r.text, "next": number[r.next], "url": f"#{anchor}{number[r.next]}"}
                     for r in step.replies or ()],
         "ending": step.ending.title if step.ending else None}
        for step in steps
    ]
    played = [{"n": number[step.id], "m": [[m["speaker"], m["label"], m["text"]] for m in messages_view(step.messages)],
               **({"e": [step.ending.title, step.ending.verdict, VERDICT_WORDS[step.ending.verdict],
                         str(links.md(step.ending.debrief))]} if step.ending else
                  {"r": [[r.text, r.verdict, VERDICT_WORDS[r.verdict], str(links.md(r.feedback)), number[r.next] - 1]
                         for r in step.replies or ()]})}
              for step in steps]
    return {"ref": f"{module.id}/{section.id}", "title": section.title, "setting": conv.setting,
            "steps": readable, "key": encoded({"t": played})}


def question_view(module: Module, question: Question, number: int, total: int, links: PageLinks, *,
                  with_scenario: bool) -> dict[str, Any]:
    """One practice question as a fieldset: choices, and the answer key encoded out of the visible page."""
    feedback = {str(i): str(links.md(c.feedback)) for i, c in enumerate(question.choices or []) if c.feedback}
    key = answer_key(correct_choices(question), feedback, str(links.md(question.explanation)))
    return {**_question_shape(module, question, number, total, links, with_scenario), "key": key, "hash": None,
            "draft": False}


def draft_view(module: Module, question: Question, number: int, total: int, links: PageLinks) -> dict[str, Any]:
    """A drafting exercise: a text box, and the model answer and checklist encoded until the learner asks."""
    name = f"ck-{module.id}-{question.id}"
    key = encoded({"m": str(links.md(question.model_answer)), "c": list(question.checklist or ()),
                   "x": str(links.md(question.explanation))})
    return {"ref": f"{module.id}/{question.id}", "name": name, "number": number, "total": total, "draft": True,
            "prompt": links.md(question.prompt), "key": key, "scenario": _about(module, question, links)}


def assessment_question_view(module: Module, question: Question, number: int, total: int, links: PageLinks,
                             salt: str, shuffle: bool = True) -> dict[str, Any]:
    """One question of the final assessment: choices and a salted hash of the right ones, nothing else.

    No feedback, no explanation and no readable answer reach the page: the hash lets the browser score an
    answer it is given, not read which answer is right (though a determined learner can try every one).
    Where choices are shuffled, the page also writes them in an order of their own (see written_order).
    """
    ref = f"{module.id}/{question.id}"
    shape = _question_shape(module, question, number, total, links, True)
    positions = page_positions(salt, ref, question, shuffle)
    labels = [choice["label"] for choice in shape["choices"]]
    by_position = sorted(range(len(labels)), key=positions.__getitem__)
    shape["choices"] = [{"id": f"{shape['name']}-{k}", "value": str(k), "label": labels[i]}
                        for k, i in enumerate(by_position)]
    right = [positions[i] for i in correct_choices(question)]
    return {**shape, "key": None, "hash": answer_hash(salt, ref, right),
            "objective_id": f"{module.id}/{question.objective}", "type": question.type}


def page_positions(salt: str, ref: str, question: Question, shuffle: bool) -> list[int]:
    """Where the assessment page writes each of a question's choices, in module order: the module's order
    itself, unless choices are shuffled (then written_order's); true/false keeps True before False."""
    count = 2 if question.type == "true_false" else len(question.choices or ())
    if not shuffle or question.type == "true_false":
        return list(range(count))
    order = written_order(salt, ref, count)
    return [order.index(i) for i in range(count)]


def right_values(course: Course) -> dict[str, list[int]]:
    """Each assessment question's right choices as the page's input values: for tools that take the
    assessment as a learner who knows the answers would (the screenshots, the browser tests)."""
    salt, shuffle = assessment_salt(course), course.info.assessment.shuffle_choices
    values = {}
    for module, question in course.assessment_questions():
        ref = f"{module.id}/{question.id}"
        positions = page_positions(salt, ref, question, shuffle)
        values[ref] = sorted(positions[i] for i in correct_choices(question))
    return values


def written_order(salt: str, ref: str, count: int) -> list[int]:
    """The order in which an assessment question's choices are written into the page: the module's choice
    indexes, shuffled once per edition. Trainers often write the right answer first; were the page to keep
    their order, its source (`value="0"`) would point at it, although the browser shows a new order."""
    order = list(range(count))
    random.Random(f"{salt}|{ref}").shuffle(order)  # seeded: the same build makes the same page
    return order


def correct_choices(question: Question) -> list[int]:
    """Indexes of the right choices; a true_false question's choices are True, False."""
    if question.type == "true_false":
        return [0] if question.answer else [1]
    return [i for i, c in enumerate(question.choices or []) if c.correct]


def _question_shape(module: Module, question: Question, number: int, total: int, links: PageLinks,
                    with_scenario: bool) -> dict[str, Any]:
    name = f"ck-{module.id}-{question.id}"
    labels = ["True", "False"] if question.type == "true_false" else [c.text for c in question.choices or []]
    objective = next((o.text for o in module.objectives if o.id == question.objective), question.objective)
    return {
        "ref": f"{module.id}/{question.id}", "name": name, "number": number, "total": total,
        "prompt": links.inline(question.prompt),
        "input": "checkbox" if question.type == "multiple" else "radio",
        # Trainers often write "Select all that apply." themselves; say it only when they have not.
        "hint": question.type == "multiple" and "all that apply" not in question.prompt.lower(),
        "choices": [{"id": f"{name}-{i}", "value": str(i), "label": label} for i, label in enumerate(labels)],
        "objective": objective, "module_title": module.title,
        "scenario": _about(module, question, links, with_scenario),
    }


def _about(module: Module, question: Question, links: PageLinks, with_chat: bool = False) -> dict[str, Any] | None:
    """The scenario or conversation a question is about: its title, a link to it, and the transcript if wanted."""
    section = module.section(question.scenario) if question.scenario else None
    if section is None or (section.scenario is None and section.conversation is None):
        return None
    return {"title": section.title, "url": links.url(module.id, section.id),
            "kind": "scenario" if section.scenario else "conversation",
            "chat": scenario_view(section.scenario) if with_chat and section.scenario else None}


def cyrb53(text: str, seed: int = 0) -> int:
    """cyrb53, a fast 53-bit string hash; the same as assessment.js computes (over UTF-16 code units)."""
    h1, h2 = 0xDEADBEEF ^ seed, 0x41C6CE57 ^ seed
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        unit = data[i] | data[i + 1] << 8
        h1 = _imul(h1 ^ unit, 2654435761)
        h2 = _imul(h2 ^ unit, 1597334677)
    h1 = _imul(h1 ^ (h1 >> 16), 2246822507)
    h1 ^= _imul(h2 ^ (h2 >> 13), 3266489909)
    h2 = _imul(h2 ^ (h2 >> 16), 2246822507)
    h2 ^= _imul(h1 ^ (h1 >> 13), 3266489909)
    return 4294967296 * (2097151 & h2) + h1


def _imul(a: int, b: int) -> int:
    return (a * b) & 0xFFFFFFFF  # JavaScript's Math.imul, kept unsigned


def answer_hash(salt: str, ref: str, correct: list[int]) -> str:
    """The salted hash of a question's right answer set, in base 36, as assessment.js computes it when scoring."""
    return _base36(cyrb53(f"{salt}|{ref}|{','.join(map(str, sorted(correct)))}"))


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[rest] + digits
        if not number:
            return digits


def answer_key(correct: list[int], feedback: dict[str, str], explanation: str) -> str:
    """The answer, feedback and explanation as base64 JSON: the quiz can score, the page does not show it."""
    return encoded({"c": correct, "f": feedback, "x": explanation})


def encoded(data: Any) -> str:
    """Data the page carries but does not show (nor search, nor read aloud): base64 of ASCII JSON."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return base64.b64encode(text.encode("ascii")).decode("ascii")


# --- assessment, references, glossary ------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionRun:
    """Questions of one module that follow one another on the assessment page, numbered from `first`."""

    module: Module
    questions: tuple[Question, ...]
    first: int
    total: int


def assessment_view(course: Course, links: PageLinks) -> dict[str, Any]:
    """The final assessment: the questions it may ask, how an attempt draws them, and the completion record.

    The questions come as runs (see question_runs); `assessment_questions_view` makes each run's views.
    """
    settings = course.info.assessment
    bank = settings.questions == "bank"
    runs = question_runs(course)
    return {**_identity(course), "info": course.info, "runs": runs, "unapproved": unapproved_view(course, runs),
            "asked": assessment_length(course),
            "draw": settings.draw if bank else 0, "max_attempts": settings.max_attempts or 0,
            "shuffle": settings.shuffle_choices, "salt": assessment_salt(course),
            "script": links.asset("assets/course/assessment.js"),
            "pass_mark": settings.pass_mark, "fingerprint": course.fingerprint,
            "modules": [record_module_view(course, m) for m in course.modules], "home_url": links.url("index")}


def unapproved_view(course: Course, runs: list[QuestionRun]) -> dict[str, Any] | None:
    """The modules whose questions the assessment asks in wording nobody approved (none: None), as their
    module pages say it: learners are told before they answer, not only on the completion record."""
    asked = list({run.module.id: run.module for run in runs}.values())
    number = {m.id: n for n, m in enumerate(course.modules, start=1)}
    states = [(m, sign_off_of(course, m)) for m in asked]
    pending = [f"{number[m.id]}. {m.title} ({state.label})" for m, state in states if not state.approved]
    if not pending:
        return None
    changed = any(state.changed for _, state in states)
    return {"changed": changed, "modules": pending, "all": len(pending) == len(asked) and not changed}


def question_runs(course: Course) -> list[QuestionRun]:
    """The assessment's questions in page order, in runs of the same module (a renderer may keep each run)."""
    chosen = course.assessment_questions()
    if course.info.assessment.questions == "bank":  # by objective: the page's order is the order an attempt shows
        place = {m.id: n for n, m in enumerate(course.modules)}
        chosen.sort(key=lambda mq: (place[mq[0].id], [o.id for o in mq[0].objectives].index(mq[1].objective)))
    runs: list[QuestionRun] = []
    for module, question in chosen:
        if runs and runs[-1].module is module:
            last = runs[-1]
            runs[-1] = QuestionRun(module, (*last.questions, question), last.first, len(chosen))
        else:
            first = runs[-1].first + len(runs[-1].questions) if runs else 1
            runs.append(QuestionRun(module, (question,), first, len(chosen)))
    return runs


def assessment_questions_view(run: QuestionRun, links: PageLinks, salt: str,
                              shuffle: bool = True) -> list[dict[str, Any]]:
    """The views of a run of assessment questions."""
    return [assessment_question_view(run.module, q, run.first + i, run.total, links, salt, shuffle)
            for i, q in enumerate(run.questions)]


def assessment_salt(course: Course) -> str:
    """The salt of the assessment's answer hashes: the course's id and version, and each question's right answers.

    Unique to the course edition, like the content fingerprint, but unchanged by edits to wording that
    asks nothing: editing a module's prose leaves every question's hash, and so its HTML, as it was.
    """
    import hashlib

    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{course.info.id}|{course.info.version}".encode("utf-8"))
    for module, question in course.assessment_questions():
        digest.update(f"|{module.id}/{question.id}:{correct_choices(question)}".encode("utf-8"))
    return digest.hexdigest()


def record_module_view(course: Course, module: Module) -> dict[str, Any]:
    """A module's line of the completion record: its fingerprint and the approvals that cover that wording."""
    state = sign_off_of(course, module)
    approvals = [f"{a.by}{f' ({a.role})' if a.role else ''}, {long_date(a.date)}" for a in state.covering]
    return {"title": module.title, "fingerprint": state.fingerprint,
            "approval": "; ".join(approvals) if state.approved else state.label}


def sign_off_view(course: Course, module: Module) -> dict[str, Any]:
    """What learners are told of a module's sign-off: nothing when approved, else that it is a draft and why."""
    state = sign_off_of(course, module)
    return {"state": state.state, "label": state.label, "status": module.status.replace("-", " ")}


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
