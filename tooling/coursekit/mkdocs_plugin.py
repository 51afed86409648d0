"""MkDocs plugin `course`: a thin adapter between MkDocs and the site renderer.

on_config loads and validates the course once per build and sets what the site needs (offline theme,
runtime assets); on_files adds the rendered pages; on_serve watches course/ and modules/.
All layout lives in coursekit.render.site.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base, config_options
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import meta

from . import markup
from .check import FileCache, check_course
from .diagnostics import Code, Diagnostic, summary
from .model import Course
from .outputs import mark
from .render import scorm
from .render.site import ASSET_DIR, SiteRenderer, splice
from .render.site_view import PageLinks
from .yamlio import write_atomic

log = logging.getLogger("mkdocs.plugins.course")
WATCHED = ("course", "modules")
# Under `mkdocs serve --dirty`, pages are kept here and rewritten only when their text changes, so MkDocs
# rebuilds just the pages an edit touched (generated files in memory always count as modified).
PAGE_CACHE = Path(".course-cache") / "pages"
# Markdown extensions the generated pages rely on: attr_list gives headings their section ids.
EXTENSIONS = ("attr_list", "toc")


class CourseErrors(PluginError):
    """The course has errors; `diagnostics` holds every one, located, for the caller to print."""

    def __init__(self, diagnostics: list[Diagnostic], files: int):
        self.diagnostics = diagnostics
        self.files = files
        lines = "\n".join(d.format() for d in diagnostics)
        super().__init__(f"the course has errors:\n{lines}\n{summary(diagnostics, files)}")


class CourseConfig(base.Config):
    # Build the site to run inside an LMS frame (`course scorm` sets it): see prepare_for_lms.
    scorm = config_options.Type(bool, default=False)


class CoursePlugin(BasePlugin[CourseConfig]):
    """Turns the course's YAML into the site's pages at build time."""

    def __init__(self) -> None:
        self.course: Course | None = None
        self.root = Path(".")
        self.renderer: SiteRenderer | None = None
        self.cache_pages = False
        self.html_parts: dict[str, dict[str, str]] = {}
        self.generated: set[str] = set()  # src_uri of the pages the course renders (the rest are hand-written)
        self.links = markup.CourseLinks(pages=True)  # module:/ref: links in hand-written Markdown, set per page
        self.check_cache: FileCache = {}  # kept across `mkdocs serve` rebuilds: unchanged files are not re-read

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds, and with it the
        # renderer's cache: an edit to one module re-renders one page.
        self.renderer = None
        self.cache_pages = command == "serve" and dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).parent
        self.course = load_course(self.root, self.check_cache)
        if self.config.scorm:
            prepare_for_lms(config)
        if self.renderer is None or self.renderer.directory_urls != config.use_directory_urls:
            self.renderer = SiteRenderer(directory_urls=config.use_directory_urls)
        make_offline(config)
        for extension in EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.markdown_extensions.append(markup.links_extension(self.links))
        # Table alignment as `align`, not a `style` attribute, which the sanitiser removes.
        config.mdx_configs.setdefault("tables", {})["use_align_attribute"] = True
        config.extra_css.append(f"{ASSET_DIR}/quiz.css")
        if self.config.scorm:  # before quiz.js, which looks for the LMS bridge as it starts
            config.extra_javascript.extend(list(scorm.page_assets()))
        config.extra_javascript.append(f"{ASSET_DIR}/quiz.js")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.course is not None and self.renderer is not None  # on_config ran
        home = files.get_file_from_path("index.md")
        home_text = meta.get_data(home.content_string)[0] if home is not None else None
        if home is not None:
            files.remove(home)
        if self.config.scorm:
            # A package for learners' LMS: material for trainers (docs/trainers/) stays out of it.
            for file in [f for f in files if f.src_uri.startswith(f"{TRAINERS_FOLDER}/")]:
                files.remove(file)
        site = self.renderer.render(self.course, home_text)
        self.html_parts = site.html_parts
        for path, text in site.markdown.items():
            files.append(self._page_file(config, path, text))
        for path, data in {**site.assets, **(scorm.page_assets() if self.config.scorm else {})}.items():
            files.append(File.generated(config, path, content=data))
        self.generated = set(site.markdown)
        if config.nav is None:
            config.nav = course_nav(list(site.markdown), files)
        return files

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """A hand-written page's front matter keeps only what the theme can print safely (see markup)."""
        if page.file.src_uri not in self.generated:
            page.meta = markup.safe_page_meta(page.meta)
        self.links.resolve = page_links(page.url, config.use_directory_urls)
        self.links.outside = []
        return markdown

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """Sanitise what MkDocs made of the page's Markdown, then put back the renderer's own HTML blocks.

        The renderer's blocks (see render.site.splice) hold course text it sanitised itself; what is left is
        headings and hand-written Markdown (docs/*.md, the home page's text), which are sanitised here.
        `course check` reports what this would remove; if it still finds something, the build stops.
        """
        clean = markup.sanitise(html, keep_comments=True)
        problems = markup.removal_problems(html, clean)
        if problems:
            raise CourseErrors(self._locate(page.file.src_uri, problems), 1)
        parts = self.html_parts.get(page.file.src_uri)
        return splice(clean, parts) if parts else clean

    def _locate(self, src_uri: str, problems: list[markup.Problem]) -> list[Diagnostic]:
        """Place what the sanitiser removed in the hand-written page it came from (the home page's text too)."""
        relpath = f"docs/{src_uri}"
        try:
            text = (self.root / relpath).read_text(encoding="utf-8-sig")
        except OSError:
            text = ""
        found = []
        for problem in problems:
            at = next((i for n in problem.needles if n and (i := text.find(n)) >= 0), -1)
            line, column = (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)) if at >= 0 else (0, 0)
            found.append(Diagnostic(relpath, line, column, Code.MARKDOWN_UNSAFE, problem.message))
        return found

    def _page_file(self, config: MkDocsConfig, path: str, text: str) -> File:
        if not self.cache_pages:
            return File.generated(config, path, content=text)
        folder = self.root / PAGE_CACHE
        cached = folder / path
        if not cached.is_file() or cached.read_text(encoding="utf-8") != text:
            write_atomic(cached, text)
        return File(path, src_dir=str(folder), dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Mark the site as made by coursekit, so that `course build` may replace it later."""
        mark(Path(config.site_dir))

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        for folder in WATCHED:
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server


def page_links(url: str, directory_urls: bool) -> markup.LinkResolver:
    """Resolve module: and ref: links written in the page at `url` (a hand-written page, or the home page's text)."""
    to_root = "../" * url.count("/")
    from_root = PageLinks(page="index", directory_urls=directory_urls)

    def resolve(scheme: str, target: str, anchor: str | None) -> str:
        return to_root + from_root.resolve(scheme, target, anchor).removeprefix("./")

    return resolve


def load_course(root: Path, cache: FileCache | None = None) -> Course:
    """Check the course at root; raise CourseErrors with every located problem if it has errors."""
    result = check_course(root, cache=cache)
    if result.errors or result.course is None:
        raise CourseErrors(result.diagnostics, result.files)
    for warning in result.warnings:
        # Warnings do not stop a site build (they do stop `course check --strict`).
        log.info("%s", warning.format())
    return result.course


def course_plugin(config: MkDocsConfig) -> CoursePlugin:
    """The course plugin of a loaded configuration."""
    plugin = config.plugins.get("course")
    if not isinstance(plugin, CoursePlugin):
        raise PluginError("mkdocs.yml does not list the `course` plugin under `plugins:`")
    return plugin


def prepare_for_lms(config: MkDocsConfig) -> None:
    """Pages an LMS can serve as static files inside its frame.

    Links name files (`legal-line/index.html`), as a folder URL may not be served; each link is a plain
    page load, which the SCORM launch page sees (no instant navigation swapping pages in place).
    """
    config.use_directory_urls = False
    if config.theme.name == "material":
        features = config.theme.get("features") or []
        config.theme["features"] = [f for f in features if not str(f).startswith("navigation.instant")]


def make_offline(config: MkDocsConfig) -> None:
    """No request may leave the site: Material must not fetch Google Fonts."""
    if config.theme.name == "material":
        config.theme["font"] = False


# Titles of sections made from folders of hand-written pages; others are the folder name, capitalised.
TRAINERS_FOLDER = "trainers"
SECTION_TITLES = {TRAINERS_FOLDER: "For trainers"}
# Pages that open their section (a trainer arriving at "For trainers" should land on the guide).
SECTION_FIRST = ("index.md", "guide.md")


def course_nav(generated: list[str], files: Files) -> list[str | dict[str, list[str]]]:
    """Course order first (home, modules, assessment, references, glossary), then hand-written pages.

    Hand-written pages in a folder become a section after the top-level ones, so that material for
    trainers (docs/trainers/) sits apart from what learners read.
    """
    own = sorted((f.src_uri for f in files.documentation_pages() if f.src_uri not in set(generated)),
                 key=lambda uri: (uri.rsplit("/", 1)[-1] not in SECTION_FIRST, uri))
    sections: dict[str, list[str]] = {}
    for uri in (u for u in own if "/" in u):
        sections.setdefault(uri.split("/", 1)[0], []).append(uri)
    folded = [{SECTION_TITLES.get(name, name.replace("-", " ").capitalize()): pages} for name, pages in sections.items()]
    return [*generated, *(u for u in own if "/" not in u), *folded]

