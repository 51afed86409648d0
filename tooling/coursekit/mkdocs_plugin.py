"""MkDocs plugin `course`: a thin adapter between MkDocs and the site renderer.

on_config loads and validates the course once per build and sets what the site needs (offline theme,
runtime assets); on_files adds the rendered pages; on_serve watches course/ and modules/.
All layout lives in coursekit.render.site.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import base, config_options
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import meta
from markupsafe import Markup, escape

from . import markup
from .mkdocs_theme import THEME_DIR, CompiledTemplates, NavItems, speed_up_theme
from .check import BadToday, FileCache, check_course
from .diagnostics import Code, Diagnostic, summary
from .model import Course
from .outputs import OutputError, check_not_the_course, mark
from .render import scorm
from .render.site import ASSET_DIR, SiteRenderer, splice
from .render.site_view import PageLinks
from .yamlio import write_atomic

if TYPE_CHECKING:  # a type only: importing it would load the live-reload server into every build
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.course")
WATCHED = ("course", "modules")
# Under `mkdocs serve --dirty`, pages are kept here and rewritten only when their text changes, so MkDocs
# rebuilds just the pages an edit touched (generated files in memory always count as modified).
PAGE_CACHE = Path(".course-cache") / "pages"
# Markdown extensions the generated pages rely on: attr_list gives headings their section ids.
EXTENSIONS = ("attr_list", "toc")
# Material's offline plugin makes the site work from a folder (file://): links name files, and the search
# index is also written as a script. For search it adds a Web Worker shim from unpkg.com; the site gets
# this copy instead, so that nothing is fetched.
OFFLINE_SHIM = "assets/offline/iframe-worker.js"


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
        self.searchable: dict[str, frozenset[str]] = {}
        self.search_html: dict[str, str] = {}  # src_uri -> what the search plugin is to index of a generated page
        self.generated: set[str] = set()  # src_uri of the pages the course renders (the rest are hand-written)
        self.links = markup.CourseLinks(pages=True)  # module:/ref: links in hand-written Markdown, set per page
        self.check_cache: FileCache = {}  # kept across `mkdocs serve` rebuilds: unchanged files are not re-read
        self.nav_items = NavItems()
        self.compiled = CompiledTemplates()  # kept across `mkdocs serve` rebuilds

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds, and with it the
        # renderer's cache: an edit to one module re-renders one page.
        self.renderer = None
        self.cache_pages = command == "serve" and dirty

    @event_priority(100)  # before any plugin makes a template environment (the search plugin does)
    def _reuse_theme_work(self, config: MkDocsConfig) -> MkDocsConfig:
        speed_up_theme(config.theme, Path(config.config_file_path).parent, self.compiled)
        return config

    @event_priority(-50)  # after the theme's plugins: the offline plugin decides what links look like
    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).parent
        try:  # MkDocs empties site_dir before it builds: `site_dir: modules` would delete every module
            check_not_the_course(self.root, Path(config.site_dir))
        except OutputError as exc:
            raise PluginError(f"site_dir in mkdocs.yml: {exc}; nothing was built or deleted") from None
        self.course = load_course(self.root, self.check_cache, strict=config.strict)
        if self.config.scorm:
            prepare_for_lms(config)
        if self.renderer is None or self.renderer.directory_urls != config.use_directory_urls:
            self.renderer = SiteRenderer(directory_urls=config.use_directory_urls)
        make_offline(config)
        use_nav_override(config)
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

    on_config = CombinedEvent(_reuse_theme_work, _configure)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.course is not None and self.renderer is not None  # on_config ran
        docs = Path(config.docs_dir).resolve()  # the theme's files (src_dir its folder) are not looked at
        for file in [f for f in files if f.src_dir == config.docs_dir and f.abs_src_path
                     and not Path(f.abs_src_path).resolve().is_relative_to(docs)]:
            # A link in docs/ to a file elsewhere (`passwd.txt` -> /etc/passwd) would copy that file into the
            # site and the SCORM package: left out, and said (a warning fails `course build`, which is strict).
            files.remove(file)
            log.warning(f"docs/{file.src_uri} is a link to a file outside docs/ and was left out of the site; "
                        "put the file itself in docs/ if it belongs to the course")
        home = files.get_file_from_path("index.md")
        home_text = meta.get_data(home.content_string)[0] if home is not None else None
        if home is not None:
            files.remove(home)
        if self.config.scorm:
            # A package for learners' LMS: material for trainers (docs/trainers/) stays out of it.
            for file in [f for f in files if f.src_uri.startswith(f"{TRAINERS_FOLDER}/")]:
                files.remove(file)
        site = self.renderer.render(self.course, home_text)
        self.html_parts, self.searchable = site.html_parts, site.searchable
        self.search_html = {}
        for path, text in site.markdown.items():
            files.append(self._page_file(config, path, text))
        assets = {**site.assets, **offline_assets(config), **(scorm.page_assets() if self.config.scorm else {})}
        for path, data in assets.items():
            files.append(File.generated(config, path, content=data))
        self.generated = set(site.markdown)
        if config.nav is None:
            config.nav = course_nav(site.nav, files)
        return files

    def on_env(self, env, *, config: MkDocsConfig, files: Files):  # noqa: ANN001, ANN201 - a jinja2 Environment
        """Give the navigation override (see mkdocs_theme) its renderer, fresh for this build, and compiled templates kept across builds."""
        self.nav_items.reset()
        env.globals["coursekit_nav"] = self.nav_items
        return env

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
        if page.file.src_uri not in self.generated and "title" not in page.meta:
            # MkDocs takes the title from the first heading as HTML; the theme's <title> strips its tags, which
            # also decodes its entities (a heading written `&lt;/title&gt;&lt;img onerror=...&gt;` became
            # markup). Set as a front-matter title is (markup.safe_page_meta): the text, escaped.
            page.meta["title"] = escape(Markup(page.title or "").striptags())
        clean = markup.sanitise(html, keep_comments=True)
        problems = markup.removal_problems(html, clean)
        if problems:
            raise CourseErrors(self._locate(page.file.src_uri, problems), 1)
        parts = self.html_parts.get(page.file.src_uri)
        if not parts:
            return clean
        searchable = self.searchable.get(page.file.src_uri, frozenset())
        self.search_html[page.file.src_uri] = splice(clean, {k: parts[k] for k in searchable})
        return splice(clean, parts)

    @event_priority(50)  # before the search plugin (at 0) reads the page
    def _show_search_the_prose(self, context, *, page, config: MkDocsConfig, nav):  # noqa: ANN001, ANN201
        """Give the search plugin a generated page's headings and prose only (see on_page_content).

        The search plugin parses each page's HTML to index it, and would parse every question of a module
        only to leave it out (`data-search-exclude`). It gets the page without them, a fraction of the
        HTML; the page itself is put back before the theme renders it.
        """
        searched = self.search_html.get(page.file.src_uri)
        if searched is not None:
            page.coursekit_content, page.content = page.content, searched
        return context

    @event_priority(-50)  # after the search plugin, before the theme renders the page
    def _restore_page(self, context, *, page, config: MkDocsConfig, nav):  # noqa: ANN001, ANN201
        content = getattr(page, "coursekit_content", None)
        if content is not None:
            page.content = content
            del page.coursekit_content
        return context

    on_page_context = CombinedEvent(_show_search_the_prose, _restore_page)

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

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        return self._in_course_language(output)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return self._in_course_language(output_content)  # 404.html

    def _in_course_language(self, html: str) -> str:
        """The course's language on every page (WCAG 3.1.1): Material writes its translation's (`en` for en-GB),
        and has no translation for most regional tags. The tag was validated as `xx` or `xx-YY`."""
        assert self.course is not None  # on_config ran
        return _HTML_LANG.sub(f'<html lang="{self.course.info.language}"', html, count=1)

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


def load_course(root: Path, cache: FileCache | None = None, *, strict: bool = False) -> Course:
    """Check the course at root; raise CourseErrors with every located problem if it has errors.

    Course warnings are logged as MkDocs warnings (`mkdocs serve`, `mkdocs build`), except under a strict
    build, where MkDocs would count them as failures: there they are logged at INFO (`course build` shows
    them all the same). Warnings never stop a site; they stop `course check --strict`.
    """
    try:
        result = check_course(root, cache=cache)
    except BadToday as exc:  # said plainly, like a course error, not as a traceback
        raise PluginError(str(exc)) from None
    if result.errors or result.course is None:
        raise CourseErrors(result.diagnostics, result.files)
    level = logging.INFO if strict else logging.WARNING
    for warning in result.warnings:
        log.log(level, "%s", warning.format())
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
    """No request may leave the site: Material must not fetch Google Fonts, nor the offline plugin its shim."""
    if config.theme.name == "material":
        config.theme["font"] = False
    polyfills = config.extra.get("polyfills") or []
    config.extra["polyfills"] = [OFFLINE_SHIM if "iframe-worker" in str(p) else p for p in polyfills]


def use_nav_override(config: MkDocsConfig) -> None:
    """Put coursekit's `partials/nav.html` before Material's own (after a course's custom_dir, which wins)."""
    if config.theme.name != "material":
        return
    import material

    override = str(resources.files("coursekit").joinpath(THEME_DIR))
    theme = Path(material.__file__).parent / "templates"
    dirs = config.theme.dirs
    if override not in dirs:
        dirs.insert(next((i for i, d in enumerate(dirs) if Path(d) == theme), len(dirs)), override)


def offline_assets(config: MkDocsConfig) -> dict[str, bytes]:
    """The files that make_offline put in place of remote ones, keyed by site path."""
    if OFFLINE_SHIM not in (config.extra.get("polyfills") or []):
        return {}
    return {OFFLINE_SHIM: resources.files("coursekit.render").joinpath(OFFLINE_SHIM).read_bytes()}


_HTML_LANG = re.compile(r'<html lang="[^"]*"')  # the theme's own root element, written by its base.html

# Titles of sections made from folders of hand-written pages; others are the folder name, capitalised.
TRAINERS_FOLDER = "trainers"
SECTION_TITLES = {TRAINERS_FOLDER: "For trainers"}
# Pages that open their section (a trainer arriving at "For trainers" should land on the guide).
SECTION_FIRST = ("index.md", "guide.md")


def course_nav(generated: list[str | tuple[str, list[str]]], files: Files) -> list[str | dict[str, list[str]]]:
    """Course order first (home, modules by part, assessment, references, glossary), then hand-written pages.

    Hand-written pages in a folder become a section after the top-level ones, so that material for
    trainers (docs/trainers/) sits apart from what learners read. A part's title is HTML-escaped: the
    theme prints section titles into the page as they are.
    """
    ours = {p for item in generated for p in ([item] if isinstance(item, str) else item[1])}
    own = sorted((f.src_uri for f in files.documentation_pages() if f.src_uri not in ours),
                 key=lambda uri: (uri.rsplit("/", 1)[-1] not in SECTION_FIRST, uri))
    sections: dict[str, list[str]] = {}
    for uri in (u for u in own if "/" in u):
        sections.setdefault(uri.split("/", 1)[0], []).append(uri)
    folded = [{SECTION_TITLES.get(name, name.replace("-", " ").capitalize()): pages} for name, pages in sections.items()]
    course = [item if isinstance(item, str) else {str(escape(item[0])): item[1]} for item in generated]
    return [*course, *(u for u in own if "/" not in u), *folded]

