"""The reviewer's diagram of a branching conversation: DOT text (pure), laid out by Graphviz as SVG.

A legal adviser signs off every path, so every step and reply is drawn, with the step numbers the PDF
prints. A verdict is told three ways: the words on the line, its style (solid, dashed, dotted and heavy)
and its colour, so the diagram reads in black and white and without colour vision. `describe` says the
same in words, as the picture's alternative text.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from collections.abc import Mapping, Sequence

from ..conversation import VERDICT_WORDS, numbers, reading_order
from ..model import Conversation, Course

DOT_TIMEOUT = 60  # seconds; a conversation of a hundred steps lays out in well under one
FONT = "DejaVu Sans"  # the PDF's own typeface (fonts-dejavu-core)
# verdict -> (mark, line style, colour, line width); the colours are dark enough to print as grey
STYLES = {"within": ("✓", "solid", "#1b5e20", 1.2), "risky": ("!", "dashed", "#7a4f00", 1.6),
          "crosses": ("✗", "dotted", "#b71c1c", 2.6)}
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LEGEND = ("Each line is a reply, labelled with its letter in the step and a mark: ✓ and a solid line for a "
          "reply within the line, ! and a dashed line for a risky one, ✗ and a heavy dotted line for one "
          "that crosses the line. Endings have a double border.")


class DiagramError(Exception):
    """Graphviz could not draw a diagram; the message says why, in words for the person exporting."""


def reply_letter(index: int) -> str:
    """A reply's letter in its step: A, B, ... then A2 ... past Z."""
    return LETTERS[index % 26] + (str(index // 26 + 1) if index >= 26 else "")


def _quote(text: str) -> str:
    """A DOT string: backslashes and quotes escaped, so a trainer's text is only ever a label."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _label(*lines: str) -> str:
    """A centred multi-line DOT label from lines that are already wrapped."""
    return "\\n".join(_quote(line)[1:-1] for line in lines)


def _wrap(text: str, width: int = 26, lines: int = 3) -> list[str]:
    """A text in lines of about `width` characters, at most `lines` of them (the last shortened with …)."""
    wrapped = textwrap.wrap(" ".join(text.split()), width=width) or [""]
    if len(wrapped) <= lines:
        return wrapped
    rest = textwrap.shorten(" ".join(wrapped[lines - 1:]), width=width, placeholder=" …")
    return [*wrapped[:lines - 1], rest]


def conversation_dot(conversation: Conversation, title: str) -> str:
    """The DOT source of one conversation's branches (pure).

    Lines carry only a reply's letter and mark: with its words on them, a conversation of ten steps drew
    too wide to read on an A4 page. The steps printed below the diagram give every reply in full.
    """
    number = numbers(conversation)
    out = [f"digraph {_quote(title)} {{", "  rankdir=TB; nodesep=0.35; ranksep=0.45;",
           f'  node [fontname="{FONT}", fontsize=10, shape=box, style=rounded, margin="0.12,0.06"];',
           f'  edge [fontname="{FONT}", fontsize=9.5, arrowsize=0.7];']
    for step in reading_order(conversation):
        if step.ending is not None:
            verdict = VERDICT_WORDS[step.ending.verdict].lower()
            label = _label(f"Step {number[step.id]}: ending", *_wrap(step.ending.title, 22), f"({verdict})")
            out.append(f'  s{number[step.id]} [label="{label}", peripheries=2, penwidth=1.4];')
        else:
            out.append(f'  s{number[step.id]} [label="{_label(f"Step {number[step.id]}", step.id)}"];')
    for step in reading_order(conversation):
        for i, reply in enumerate(step.replies or ()):
            if reply.next not in number:
                continue
            mark, style, colour, width = STYLES[reply.verdict]
            label = f"{reply_letter(i)} {mark}"
            out.append(f'  s{number[step.id]} -> s{number[reply.next]} [label="{label}", style={style}, '
                       f'color="{colour}", fontcolor="{colour}", penwidth={width}];')
    out.append("}")
    return "\n".join(out) + "\n"


def describe(conversation: Conversation, title: str) -> str:
    """The diagram in words: every step, where each reply leads and with what verdict, every ending."""
    number = numbers(conversation)
    steps = reading_order(conversation)
    endings = sum(1 for s in steps if s.ending is not None)
    parts = [f"Diagram of the branches of the conversation “{title}”: {len(steps)} steps, "
             f"{endings} of them ending{'s' if endings != 1 else ''}."]
    for step in steps:
        if step.ending is not None:
            parts.append(f"Step {number[step.id]} is an ending, “{step.ending.title}” "
                         f"({VERDICT_WORDS[step.ending.verdict].lower()}).")
            continue
        leads = [f"reply {reply_letter(i)} ({VERDICT_WORDS[r.verdict].lower()}) leads to step {number.get(r.next, '?')}"
                 for i, r in enumerate(step.replies or ())]
        parts.append(f"From step {number[step.id]}, " + "; ".join(leads) + ".")
    return " ".join(parts)


def dot_available() -> bool:
    """Whether Graphviz's `dot` is on the PATH."""
    return shutil.which("dot") is not None


def render_svg(dot_source: str) -> bytes:
    """Lay out DOT text with Graphviz (`dot -Tsvg`); raise DiagramError when it cannot."""
    dot = shutil.which("dot")
    if dot is None:
        raise DiagramError("Graphviz is not installed (the dot command was not found)")
    try:
        done = subprocess.run([dot, "-Tsvg"], input=dot_source.encode("utf-8"), capture_output=True,
                              timeout=DOT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DiagramError(f"Graphviz did not finish ({exc.__class__.__name__})") from None
    if done.returncode != 0 or b"<svg" not in done.stdout:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise DiagramError(f"Graphviz failed{': ' + reason[0] if reason else ''}")
    return done.stdout


def conversation_sections(course: Course, module_ids: Sequence[str] = ()) -> list[tuple[str, str, Conversation]]:
    """(key `module/section`, section title, conversation) of every conversation, in course order."""
    wanted = set(module_ids) or {m.id for m in course.modules}
    return [(f"{m.id}/{s.id}", s.title, s.conversation) for m in course.modules if m.id in wanted
            for s in m.sections if s.conversation is not None]


def course_diagrams(course: Course, module_ids: Sequence[str] = ()) -> tuple[Mapping[str, bytes], str | None]:
    """Each conversation's diagram as SVG (key `module/section`), and why any is missing (None if none is)."""
    diagrams: dict[str, bytes] = {}
    for key, title, conversation in conversation_sections(course, module_ids):
        try:
            diagrams[key] = render_svg(conversation_dot(conversation, title))
        except DiagramError as exc:
            return {}, str(exc)
    return diagrams, None
