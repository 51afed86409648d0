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
