"""Start new courses and modules from the starter templates shipped with coursekit."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from pathlib import Path
from string import Template

from .check import COURSE_FILE
from .model import SLUG_PATTERN
from .schema import json_schemas
from .yamlio import dump_round_trip, read_round_trip, write_atomic


class ScaffoldError(Exception):
    """A scaffold request that cannot be carried out; the message says why and what to do."""


def _template(name: str) -> Template:
    return Template(resources.files("coursekit").joinpath("starter", name).read_text(encoding="utf-8"))


def _dates(today: dt.date) -> dict[str, str]:
    due = today.replace(year=today.year + 1) if today.month > 6 else today.replace(month=today.month + 6, day=min(today.day, 28))
    return {"today": today.isoformat(), "next_review": due.isoformat()}


def _check_id(module_id: str) -> None:
    if not re.match(SLUG_PATTERN, module_id):
        raise ScaffoldError(f"`{module_id}` is not a valid id: use lower-case letters, digits and single hyphens, e.g. `evidence-recording`")


def module_text(module_id: str, title: str, today: dt.date) -> str:
    """The commented skeleton of a new, valid module."""
    return _template("module.yml.tmpl").safe_substitute(id=module_id, title=title.replace('"', "'"), **_dates(today))


def write_schemas(folder: Path) -> list[Path]:
    """Write the JSON Schemas into `folder` (a course keeps them in .schema/, where its `$schema` lines point)."""
    written = []
    for name, schema in json_schemas().items():
        path = folder / f"{name}.schema.json"
        write_atomic(path, json.dumps(schema, indent=2) + "\n")
        written.append(path)
    return written


def init_course(target: Path, today: dt.date, title: str = "New course") -> list[Path]:
    """Create a new, valid course repository in `target` (which must not already hold a course)."""
    if (target / COURSE_FILE).exists():
        raise ScaffoldError(f"{target / COURSE_FILE} already exists; `course init` only starts new courses")
    course_id = re.sub(r"[^a-z0-9]+", "-", target.resolve().name.lower()).strip("-") or "new-course"
    values = {"id": course_id, "title": title, "module": "getting-started", **_dates(today)}
    files = {
        "course/course.yml": "course/course.yml.tmpl",
        "course/references.yml": "course/references.yml.tmpl",
        "course/glossary.yml": "course/glossary.yml.tmpl",
        "mkdocs.yml": "mkdocs.yml.tmpl",
        "docs/index.md": "docs/index.md.tmpl",
        ".gitignore": "gitignore.tmpl",
    }
    written = []
    for relpath, template in files.items():
        if not (target / relpath).exists():
            write_atomic(target / relpath, _template(template).safe_substitute(values))
            written.append(target / relpath)
    module_path = target / "modules" / "getting-started.yml"
    write_atomic(module_path, module_text("getting-started", "Getting started", today))
    return [*written, module_path, *write_schemas(target / ".schema")]


def new_module(root: Path, module_id: str, title: str | None, today: dt.date) -> Path:
    """Write modules/<id>.yml and append the id to course.yml's module list, keeping its comments."""
    _check_id(module_id)
    course_path = root / COURSE_FILE
    if not course_path.is_file():
        raise ScaffoldError(f"no {COURSE_FILE} in {root}; run this in a course folder, or start one with `course init`")
    path = root / "modules" / f"{module_id}.yml"
    if path.exists():
        raise ScaffoldError(f"modules/{module_id}.yml already exists; choose another id")
    course = read_round_trip(course_path)
    modules = course.get("modules") if hasattr(course, "get") else None
    if modules is None or not hasattr(modules, "append"):
        raise ScaffoldError(f"{COURSE_FILE} has no `modules:` list to add to; fix it first (`course check`)")
    if module_id not in modules:
        modules.append(module_id)
    write_atomic(path, module_text(module_id, title or module_id.replace("-", " ").capitalize(), today))
    write_atomic(course_path, dump_round_trip(course))
    return path
