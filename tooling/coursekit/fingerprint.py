"""Stable content fingerprints: the same content gives the same hash, whatever its layout or comments."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .model import CourseInfo, GlossaryEntry, Module, Reference

LENGTH = 16  # hex digits shown on records; 64 bits tells course editions apart


def _digest(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:LENGTH]


def module_fingerprint(module: Module) -> str:
    """Hash what learners and reviewers read; the review block and status are bookkeeping, not content."""
    return _digest(module.model_dump(mode="json", exclude={"review", "status"}))


def course_fingerprint(
    info: CourseInfo,
    module_fingerprints: dict[str, str],
    references: tuple[Reference, ...],
    glossary: tuple[GlossaryEntry, ...],
) -> str:
    """Hash the whole course: its settings, each module's fingerprint, references and glossary."""
    return _digest(
        {
            "course": info.model_dump(mode="json"),
            "modules": module_fingerprints,
            "references": [r.model_dump(mode="json") for r in references],
            "glossary": [g.model_dump(mode="json") for g in glossary],
        }
    )
