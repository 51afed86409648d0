"""Start new courses and modules from the starter templates shipped with coursekit."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from pathlib import Path
from string import Template

from . import yamltext
from .check import COURSE_FILE
from .load import LoadError
from .model import SLUG_PATTERN
from .schema import SCHEMA_TITLES, json_schemas
from .yamlio import UnsafeWrite, course_lock, guard, plain_data, write_atomic, write_files, write_generated


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
    """Write the JSON Schemas into `folder` (a course keeps them in .schema/, where its `$schema` lines point),
    replacing earlier ones but no other file."""
    files = {folder / f"{name}.schema.json": json.dumps(schema, indent=2) + "\n" for name, schema in json_schemas().items()}
    write_generated(files, _is_a_schema, "course schema --write")
    return list(files)


def _is_a_schema(text: str) -> bool:
    """A schema coursekit wrote: JSON naming the course file it describes."""
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and "$schema" in data and data.get("title") in SCHEMA_TITLES.values()


def init_course(target: Path, today: dt.date, title: str = "New course") -> list[Path]:
    """Create a new, valid course repository in `target` (which must not already hold a course)."""
    if (target / COURSE_FILE).exists():
        raise ScaffoldError(f"{target / COURSE_FILE} already exists; `course init` only starts new courses")
    course_id = re.sub(r"[^a-z0-9]+", "-", target.resolve().name.lower()).strip("-") or "new-course"
    values = {"id": course_id, "title": title, "module": "getting-started", **_dates(today)}
    files: dict[str, str | None] = {
        "course/course.yml": "course/course.yml.tmpl",
        "course/references.yml": "course/references.yml.tmpl",
        "course/glossary.yml": "course/glossary.yml.tmpl",
        "mkdocs.yml": "mkdocs.yml.tmpl",
        "docs/index.md": "docs/index.md.tmpl",
        ".gitignore": "gitignore.tmpl",
    }
    files["modules/getting-started.yml"] = None  # the starter module, from the module template
    schemas = write_schemas(target / ".schema")  # first: the one write here that may be refused
    written = []
    for relpath, template in files.items():
        if (target / relpath).exists():
            continue  # a file of the user's own: never replaced
        text = (module_text("getting-started", "Getting started", today) if template is None
                else _template(template).safe_substitute(values))
        write_atomic(target / relpath, text)
        written.append(target / relpath)
    return [*written, *schemas]


def new_module(root: Path, module_id: str, title: str | None, today: dt.date) -> Path:
    """Write modules/<id>.yml and append the id to course.yml's module list, keeping its comments."""
    _check_id(module_id)
    course_path = root / COURSE_FILE
    if not course_path.is_file():
        raise ScaffoldError(f"no {COURSE_FILE} in {root}; run this in a course folder, or start one with `course init`")
    with course_lock(root):
        path = root / "modules" / f"{module_id}.yml"
        if path.exists():
            raise ScaffoldError(f"modules/{module_id}.yml already exists; choose another id")
        try:  # never errors="replace": writing the text back would turn every odd byte into "�" for good
            text = course_path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            line = course_path.read_bytes()[:exc.start].count(b"\n") + 1
            raise ScaffoldError(f"{COURSE_FILE}:{line}: a character there is not UTF-8 (often text pasted from a "
                                "Windows program); nothing was written: save the file as UTF-8, then run this again "
                                "(`course check` shows where)") from None
        listed = with_module_listed(text, module_id)
        write_files({path: module_text(module_id, title or module_id.replace("-", " ").capitalize(), today),
                     course_path: listed})  # both or neither
    return path


def with_module_listed(text: str, module_id: str) -> str:
    """course.yml's text with `module_id` appended to its `modules:` list; every other byte kept."""
    bom, body = yamltext.split_bom(text)
    unfit = ScaffoldError(f"{COURSE_FILE} has no `modules:` list to add to; fix it first (`course check`)")
    try:
        old = plain_data(text)
    except LoadError:
        raise unfit from None
    root = yamltext.parse(body)
    pair = root.get("modules") if root.kind == "map" else None
    if pair is None or pair[1].kind != "seq" or not pair[1].items:
        raise unfit
    modules = pair[1]
    if any(item.value == module_id for item in modules.items):
        return text
    entry = yamltext.scalar(module_id)
    if modules.flow:
        end = modules.items[-1].end
        edit = (end, end, f", {entry}")
    else:
        dash = yamltext.dash_column(body, modules.items[0])
        gap = " " * max(1, modules.items[0].column - dash - 1)
        edit = yamltext.insert_lines(body, yamltext.after(body, modules), [" " * dash + "-" + gap + entry])
    new = bom + yamltext.apply(body, [edit])
    try:
        guard(text, new, [("modules",)])
        if plain_data(new)["modules"] != [*old["modules"], module_id]:
            raise UnsafeWrite("the list would not end with the new module")
    except UnsafeWrite as exc:
        raise ScaffoldError(f"`{module_id}` could not be added to the `modules:` list of {COURSE_FILE} ({exc}); "
                            "nothing was written: add the module by hand") from None
    return new
