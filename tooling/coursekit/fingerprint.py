"""Stable content fingerprints: the same content gives the same hash, whatever its layout or comments."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from .model import CourseInfo, GlossaryEntry, Module, Reference

LENGTH = 16  # hex digits shown on records; 64 bits tells course editions apart


def _digest(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:LENGTH]


# Keys added to the format after courses were approved: left out of a hash while they hold their default, so
# that a coursekit upgrade does not change the fingerprint of content nobody edited (and void its approvals).
_LATER_MODULE_KEYS = {"assessment_bank": []}
_LATER_SECTION_KEYS = {"conversation": None}
_LATER_QUESTION_KEYS = {"model_answer": None, "checklist": None, "after_section": None}
_LATER_COURSE_KEYS = {"sign_off": None}
_LATER_ASSESSMENT_KEYS = {"draw_per_objective": None, "max_attempts": None, "shuffle_choices": True}


def _without_defaults(data: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not (k in later and v == later[k])}


def module_fingerprint(module: Module) -> str:
    """Hash what learners and reviewers read; the review block and status are bookkeeping, not content."""
    data = _without_defaults(module.model_dump(mode="json", exclude={"review", "status"}), _LATER_MODULE_KEYS)
    data["sections"] = [_without_defaults(s, _LATER_SECTION_KEYS) for s in data["sections"]]
    for key in ("questions", "assessment_bank"):
        if key in data:
            data[key] = [_without_defaults(q, _LATER_QUESTION_KEYS) for q in data[key]]
    return _digest(data)


def shown_fingerprint(content: str, sources: Sequence[Reference], pictures: Mapping[str, str]) -> str:
    """What approvals record: the module's own content (`module_fingerprint`) with what its page shows from
    other files: the sources it cites, as course/references.yml words them, and the pictures its text names
    (docs/ path -> digest of the file). A citation reworded or a picture replaced after approval changes it,
    as an edit of the module does. A module that shows neither keeps its content fingerprint."""
    if not sources and not pictures:
        return content
    cited = [{"id": r.id, "kind": r.kind, "citation": r.citation, "url": r.url} for r in sources]
    return _digest({"content": content, "sources": cited, "pictures": dict(sorted(pictures.items()))})


def picture_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def course_fingerprint(
    info: CourseInfo,
    module_fingerprints: dict[str, str],
    references: tuple[Reference, ...],
    glossary: tuple[GlossaryEntry, ...],
) -> str:
    """Hash the whole course: its settings, each module's fingerprint, references and glossary."""
    course = _without_defaults(info.model_dump(mode="json"), _LATER_COURSE_KEYS)
    course["assessment"] = _without_defaults(course["assessment"], _LATER_ASSESSMENT_KEYS)
    return _digest(
        {
            "course": course,
            "modules": module_fingerprints,
            "references": [r.model_dump(mode="json") for r in references],
            "glossary": [g.model_dump(mode="json") for g in glossary],
        }
    )
