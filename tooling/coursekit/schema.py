"""JSON Schemas of the course files, for editors (completion and checks while typing)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from .validate import FILE_KINDS

SCHEMA_TITLES = {
    "course": "course/course.yml",
    "module": "modules/<id>.yml",
    "references": "course/references.yml",
    "glossary": "course/glossary.yml",
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """One JSON Schema per kind of course file, keyed by kind."""
    schemas = {}
    for kind, shape in FILE_KINDS.items():
        schema = TypeAdapter(shape).json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = SCHEMA_TITLES[kind]
        schemas[kind] = schema
    return schemas
