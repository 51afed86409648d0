"""MkDocs plugin `course`: a thin adapter between MkDocs and the site renderer.

on_config loads and validates the course once per build and sets what the site needs (offline theme,
runtime assets); on_files adds the rendered pages; on_serve watches course/ and modules/.
All layout lives in coursekit.render.site.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import meta

from .check import check_course
from .diagnostics import Diagnostic, summary
from .model import Course
from .render.site import ASSET_DIR, SiteRenderer

log = logging.getLogger("mkdocs.plugins.course")
WATCHED = ("course", "modules")
# Markdown extensions the generated pages rely on: attr_list gives headings their section ids.
EXTENSIONS = ("attr_list", "toc")


class CourseErrors(PluginError):
    """The course has errors; `diagnostics` holds every one, located, for the caller to print."""

    def __init__(self, diagnostics: list[Diagnostic], files: int):
        self.diagnostics = diagnostics
        self.files = files
        lines = "\n".join(d.format() for d in diagnostics)
        super().__init__(f"the course has errors:\n{lines}\n{summary(diagnostics, files)}")


class CoursePlugin(BasePlugin):
    """Turns the course's YAML into the site's pages at build time."""

    def __init__(self) -> None:
        self.course: Course | None = None
        self.root = Path(".")
        self.renderer: SiteRenderer | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds, and with it the
        # renderer's cache: an edit to one module re-renders one page.
        self.renderer = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).parent
        self.course = load_course(self.root)
        if self.renderer is None or self.renderer.directory_urls != config.use_directory_urls:
            self.renderer = SiteRenderer(directory_urls=config.use_directory_urls)
        make_offline(config)
        for extension in EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.extra_css.append(f"{ASSET_DIR}/quiz.css")
        config.extra_javascript.append(f"{ASSET_DIR}/quiz.js")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.course is not None and self.renderer is not None  # on_config ran
        home = files.get_file_from_path("index.md")
        home_text = meta.get_data(home.content_string)[0] if home is not None else None
        if home is not None:
            files.remove(home)
        site = self.renderer.render(self.course, home_text)
        for path, text in site.pages.items():
            files.append(File.generated(config, path, content=text))
        for path, data in site.assets.items():
            files.append(File.generated(config, path, content=data))
        if config.nav is None:
            config.nav = course_nav(list(site.pages), files)
        return files

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        for folder in WATCHED:
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server


def load_course(root: Path) -> Course:
    """Check the course at root; raise CourseErrors with every located problem if it has errors."""
    result = check_course(root)
    if result.errors or result.course is None:
        raise CourseErrors(result.diagnostics, result.files)
    for warning in result.warnings:
        # Warnings do not stop a site build (they do stop `course check --strict`).
        log.info("%s", warning.format())
    return result.course


def make_offline(config: MkDocsConfig) -> None:
    """No request may leave the site: Material must not fetch Google Fonts."""
    if config.theme.name == "material":
        config.theme["font"] = False


# Titles of sections made from folders of hand-written pages; others are the folder name, capitalised.
SECTION_TITLES = {"trainers": "For trainers"}


def course_nav(generated: list[str], files: Files) -> list[str | dict[str, list[str]]]:
    """Course order first (home, modules, assessment, references, glossary), then hand-written pages.

    Hand-written pages in a folder become a section after the top-level ones, so that material for
    trainers (docs/trainers/) sits apart from what learners read.
    """
    own = sorted(f.src_uri for f in files.documentation_pages() if f.src_uri not in set(generated))
    sections: dict[str, list[str]] = {}
    for uri in (u for u in own if "/" in u):
        sections.setdefault(uri.split("/", 1)[0], []).append(uri)
    folded = [{SECTION_TITLES.get(name, name.replace("-", " ").capitalize()): pages} for name, pages in sections.items()]
    return [*generated, *(u for u in own if "/" not in u), *folded]

