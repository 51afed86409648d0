"""The example texts that `course init` and `course new module` write, which trainers are to replace.

Read from the starter templates themselves, so the check cannot drift from what the starter writes:
every text of three words or more under a key that holds prose. Ids, titles (the trainer's own) and
short example lines ("hi") are not placeholders; nor is a default worth keeping (`England and Wales`).
"""

from __future__ import annotations

import functools
from importlib import resources
from string import Template
from typing import Any

import yaml

TEMPLATES = ("module.yml.tmpl", "course/course.yml.tmpl", "course/references.yml.tmpl")
PROSE_KEYS = frozenset({"summary", "text", "body", "setting", "trainer_notes", "prompt", "feedback", "explanation",
                        "audience", "citation"})
MIN_WORDS = 3


@functools.lru_cache(maxsize=1)
def placeholder_texts() -> frozenset[str]:
    """Every example text of the starter files, stripped of surrounding blanks."""
    found: set[str] = set()
    for name in TEMPLATES:
        template = resources.files("coursekit").joinpath("starter", name).read_text(encoding="utf-8")
        text = Template(template).safe_substitute(id="x", title="x", module="x", today="2026-01-01",
                                                  next_review="2026-07-01")
        found.update(_prose(yaml.safe_load(text)))
    return frozenset(found)


def _prose(data: Any, key: str | None = None):
    if isinstance(data, str) and key in PROSE_KEYS and len(data.split()) >= MIN_WORDS:
        yield data.strip()
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from _prose(value, name)
    elif isinstance(data, list):
        for item in data:
            yield from _prose(item, key)
