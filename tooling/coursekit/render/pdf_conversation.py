"""A branching conversation in the PDF: a paper exercise for learners, every path for reviewers.

Learner edition: numbered steps, each reply sending the learner to a numbered note, which gives that
reply's verdict and feedback and the step to go on to; so no feedback is read before its reply is chosen.
Endings give their debrief where the learner arrives. Reviewer edition: every step with each reply's
verdict, feedback and next step, every ending with its verdict and debrief, and the branch diagram.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from .. import conversation as paths
from ..conversation import VERDICT_WORDS
from ..model import Conversation, Message
from .diagram import LEGEND, describe, reply_letter

ToHtml = Callable[[str], Markup]


@dataclass(frozen=True)
class ReplyView:
    letter: str
    text: str
    next_number: int
    next_anchor: str
    note: int = 0  # learner edition: the numbered note that reveals the reply's feedback
    note_anchor: str = ""
    # Reviewer edition only.
    verdict: str = ""  # within | risky | crosses
    verdict_words: str = ""
    feedback: Markup = Markup("")


@dataclass(frozen=True)
class EndingView:
    title: str
    verdict: str
    verdict_words: str
    debrief: Markup


@dataclass(frozen=True)
class StepView:
    number: int
    id: str
    anchor: str
    messages: tuple[Message, ...]
    replies: tuple[ReplyView, ...]
    ending: EndingView | None


@dataclass(frozen=True)
class NoteView:
    """Learner edition: a reply's verdict and feedback, read only by the learner who chose that reply."""

    number: int
    anchor: str
    reply: str
    verdict_words: str
    feedback: Markup
    next_number: int
    next_anchor: str


@dataclass(frozen=True)
class ConversationView:
    setting: str | None
    steps: tuple[StepView, ...]
    notes: tuple[NoteView, ...] = ()  # learner edition
    # Reviewer edition: the branch diagram (an SVG data: URI), its description in words, or why it is missing.
    diagram: str | None = None
    diagram_alt: str = ""
    diagram_missing: str = ""
    legend: str = LEGEND


def conversation_view(conv: Conversation, anchor: str, title: str, to_html: ToHtml, reviewer: bool,
                      diagram: bytes | None = None, missing: str = "") -> ConversationView:
    """The view of one conversation for an edition; `anchor` is its section's, `diagram` its SVG (reviewer)."""
    number = paths.numbers(conv)

    def at(n: int) -> str:
        return f"{anchor}--step-{n}"

    steps, notes = [], []
    for step in paths.reading_order(conv):
        replies = []
        for i, reply in enumerate(step.replies or ()):
            n, words = number[reply.next], VERDICT_WORDS[reply.verdict]
            view = ReplyView(reply_letter(i), reply.text, n, at(n))
            if reviewer:
                view = ReplyView(view.letter, reply.text, n, at(n), verdict=reply.verdict, verdict_words=words,
                                 feedback=to_html(reply.feedback))
            else:
                note = NoteView(len(notes) + 1, f"{anchor}--note-{len(notes) + 1}", reply.text, words,
                                to_html(reply.feedback), n, at(n))
                notes.append(note)
                view = ReplyView(view.letter, reply.text, n, at(n), note=note.number, note_anchor=note.anchor)
            replies.append(view)
        ending = step.ending
        steps.append(StepView(
            number[step.id], step.id, at(number[step.id]), tuple(step.messages), tuple(replies),
            EndingView(ending.title, ending.verdict, VERDICT_WORDS[ending.verdict], to_html(ending.debrief))
            if ending else None))
    if not reviewer:
        return ConversationView(conv.setting, tuple(steps), tuple(notes))
    image = f"data:image/svg+xml;base64,{base64.b64encode(diagram).decode('ascii')}" if diagram else None
    return ConversationView(conv.setting, tuple(steps), diagram=image, diagram_alt=describe(conv, title),
                            diagram_missing="" if diagram else (missing or "no diagram was drawn for this export"))
