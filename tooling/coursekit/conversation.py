"""The shape of a branching conversation: which steps lead where, in the order a reader meets them.

Pure functions over a validated `Conversation`, shared by the checker's rules, the site, the PDFs and the
branch diagram, so that every output numbers the steps alike.
"""

from __future__ import annotations

from collections import deque

from .model import Conversation, Step

VERDICT_WORDS = {"within": "Within the line", "risky": "Risky", "crosses": "Crosses the line"}


def targets(step: Step) -> list[str]:
    """The ids of the steps a step's replies lead to, in reply order."""
    return [reply.next for reply in step.replies or ()]


def _breadth_first(conversation: Conversation) -> list[str]:
    """The ids of the steps reached from `start`, breadth first, replies in order (unknown ids left out)."""
    by_id = {s.id: s for s in conversation.steps}
    order: dict[str, None] = {}  # insertion-ordered set
    queue = deque([conversation.start] if conversation.start in by_id else [])
    while queue:
        step_id = queue.popleft()
        if step_id in order:
            continue
        order[step_id] = None
        queue.extend(t for t in targets(by_id[step_id]) if t in by_id and t not in order)
    return list(order)


def reachable(conversation: Conversation) -> set[str]:
    """The ids of the steps a learner can reach from `start` (unknown ids are left out)."""
    return set(_breadth_first(conversation))


def can_end(conversation: Conversation) -> set[str]:
    """The ids of the steps from which some choice of replies reaches an ending.

    Found backwards from the endings, each step once: a file from elsewhere may hold a long conversation,
    and sweeping every step until none joins took time in the square of its length."""
    leads_here: dict[str, list[str]] = {}
    for step in conversation.steps:
        for target in targets(step):
            leads_here.setdefault(target, []).append(step.id)
    ending = {s.id for s in conversation.steps if s.ending is not None}
    queue = deque(ending)
    while queue:
        for earlier in leads_here.get(queue.popleft(), ()):
            if earlier not in ending:
                ending.add(earlier)
                queue.append(earlier)
    return ending


def reading_order(conversation: Conversation) -> list[Step]:
    """The steps numbered as every output shows them: breadth first from `start`, replies in order.

    Steps that cannot be reached (the checker refuses them) follow in file order, so nothing is lost.
    """
    by_id = {s.id: s for s in conversation.steps}
    order = _breadth_first(conversation)
    order += [s.id for s in conversation.steps if s.id not in order]
    return [by_id[i] for i in order]


def numbers(conversation: Conversation) -> dict[str, int]:
    """Each step's number (1 for `start`) in reading order."""
    return {step.id: n for n, step in enumerate(reading_order(conversation), start=1)}
