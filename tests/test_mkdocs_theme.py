"""The navigation rendered once per build is Material's own navigation, byte for byte, on every page.

Each course is built twice: as the plugin builds it (coursekit's partials/nav.html reusing items across
pages) and with Material's own templates alone. Every HTML file of the two sites must be identical, so
the navigation's markup, ARIA attributes and keyboard behaviour are Material's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coursekit import mkdocs_plugin, mkdocs_theme

from conftest import FIXTURES

PARTS = FIXTURES / "parts"


def _build(course: Path, site: Path, run) -> dict[str, bytes]:
    code, out, err = run("build", "--quiet", "--site-dir", str(site), str(course))
    assert code == 0, out + err
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def _variant(tmp_path: Path, source: Path, mkdocs_yml: str | None) -> Path:
    course = tmp_path / "course"
    shutil.copytree(source, course)
    if mkdocs_yml is not None:
        (course / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return course


DIRECTORY_URLS = "site_name: Parts\ntheme:\n  name: material\n  features: [navigation.prune]\nplugins: [search, course]\n"
SECTIONS = ("site_name: Parts\ntheme:\n  name: material\n  features: [navigation.sections, navigation.indexes]\n"
            "plugins: [search, offline, course]\n")


@pytest.mark.parametrize("source,mkdocs_yml", [
    (PARTS, None),  # parts, navigation.prune, offline (links name files), hand-written pages in a folder
    (PARTS, DIRECTORY_URLS),  # the same with folder URLs, where a link's form depends on the page's folder
    (PARTS, SECTIONS),  # parts always open, as sections
    (FIXTURES / "good", None),  # no parts: a flat navigation
], ids=["parts-pruned-offline", "parts-directory-urls", "parts-as-sections", "flat"])
def test_every_page_is_as_material_renders_it(tmp_path, run, monkeypatch, source, mkdocs_yml):
    course = _variant(tmp_path, source, mkdocs_yml)
    calls = []
    render = mkdocs_theme.NavItems.__call__
    monkeypatch.setattr(mkdocs_theme.NavItems, "__call__",
                        lambda self, *args: calls.append(args[2]) or render(self, *args))
    ours = _build(course, tmp_path / "ours", run)
    assert len([page for page in calls if page is not None]) == len(ours) - 1  # every page but 404.html
    monkeypatch.setattr(mkdocs_plugin, "use_nav_override", lambda config: None)
    theirs = _build(course, tmp_path / "material", run)
    assert ours.keys() == theirs.keys()
    different = [name for name in ours if ours[name] != theirs[name]]
    assert not different, different


def test_items_are_rendered_once_per_depth_not_once_per_page(tmp_path, run, monkeypatch):
    """On a flat navigation each top-level item is rendered about once per folder depth, plus the open one per page."""
    course = _variant(tmp_path, FIXTURES / "good", None)
    rendered = []
    original = mkdocs_theme.NavItems._joined_at

    def counting(self, depth, render, own):
        return original(self, depth, lambda item, n: rendered.append(n) or render(item, n), own)

    monkeypatch.setattr(mkdocs_theme.NavItems, "_joined_at", counting)
    pages = _build(course, tmp_path / "site", run)
    items = 6  # home, two modules, assessment, references, glossary
    depths = 2  # index.html, and <page>/index.html (the offline plugin's file URLs)
    assert len(pages) - 1 == items
    assert 0 < len(rendered) <= depths * items < items * items


def test_templates_are_compiled_once_then_reused_from_memory_and_from_disk(tmp_path, monkeypatch):
    import jinja2

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # Jinja's per-user folder goes under it
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, source, *a, **k: compiled.append(source) or original(self, source, *a, **k))
    templates = {"page.html": "{{ 6 * 7 }} {{ title }}"}

    def render(cache):
        env = jinja2.Environment(loader=jinja2.DictLoader(templates), bytecode_cache=cache)
        return env.get_template("page.html").render(title="t")

    first = mkdocs_theme.CompiledTemplates()
    assert render(first) == "42 t" and len(compiled) == 1
    assert render(first) == "42 t" and len(compiled) == 1  # a new environment, as each serve rebuild makes
    assert render(mkdocs_theme.CompiledTemplates()) == "42 t" and len(compiled) == 1  # a new process: from disk
    assert [p.stat().st_mode & 0o777 for p in tmp_path.iterdir()] == [0o700]
    templates["page.html"] = "{{ 6 * 7 }} changed"
    assert render(first) == "42 changed" and len(compiled) == 2  # an edited template is compiled again


def test_templates_still_render_where_the_cache_folder_cannot_be_written(tmp_path, monkeypatch):
    import jinja2

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    cache = mkdocs_theme.CompiledTemplates()
    cache._disk.directory = str(tmp_path / "gone" / "folder")  # as if removed or unwritable: writing fails
    env = jinja2.Environment(loader=jinja2.DictLoader({"a": "{{ 1 + 1 }}"}), bytecode_cache=cache)
    assert env.get_template("a").render() == "2"
