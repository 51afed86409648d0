"""The learner site as files: validated course model in, Markdown pages and runtime assets out.

Pure: no file writes, no MkDocs. The MkDocs plugin and `course export-markdown` are the adapters.
Each page is Markdown that MkDocs turns into HTML: page and section headings are Markdown (so the
table of contents and the page titles work), everything else is HTML from the templates.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from ..model import Course, Module
from ..signoff import of as sign_off_of
from .site_view import PageLinks, assessment_questions_view, assessment_view, glossary_view, home_view
from .site_view import module_view, references_view

ASSET_DIR = "assets/course"
# quiz.js and quiz.css are on every page. quiz.js loads assessment.js on the assessment page only,
# conversation.js (with conversation.css, linked by the page) and draft.js only on pages that have one.
ASSET_NAMES = ("quiz.css", "quiz.js", "assessment.js", "conversation.js", "conversation.css", "draft.js")

# Characters Python-Markdown gives a meaning to in a heading; escaped so titles show literally.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


@dataclass(frozen=True)
class SiteFiles:
    """The generated site: pages in navigation order and assets (path -> bytes).

    Each page is `markdown` (path -> Markdown) in which the question blocks, plain HTML that Markdown
    need not parse, stand as placeholders; `html_parts` (path -> placeholder -> HTML) holds them, and
    `searchable` (path -> placeholders) names those that the site's search indexes: prose, not questions.
    `pages` gives the same pages whole, as self-contained Markdown files.
    """

    markdown: dict[str, str]
    html_parts: dict[str, dict[str, str]] = field(default_factory=dict)
    searchable: dict[str, frozenset[str]] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)
    # The pages in navigation order; a part is (its title, its module pages).
    nav: list[str | tuple[str, list[str]]] = field(default_factory=list)

    @functools.cached_property
    def pages(self) -> dict[str, str]:
        return {path: splice(text, self.html_parts.get(path, {})) for path, text in self.markdown.items()}


_PLACEHOLDER = "<!--ck-html:{}-->"


def splice(text: str, parts: dict[str, str]) -> str:
    """Put stashed HTML back in place of its placeholders (in Markdown, or in the HTML made from it)."""
    for key, html in parts.items():
        text = text.replace(_PLACEHOLDER.format(key), html)
    return text


@pass_context
def _stash(context, html: str, search: bool = False) -> Markup:
    """Template filter: keep a block of plain HTML away from Markdown, leaving a placeholder line.

    Python-Markdown scans raw HTML tag by tag; a 750-question assessment page took a quarter of a
    second of every rebuild. A comment placeholder passes through it at once. The placeholder names the
    block by a hash of its content, so a page's Markdown changes whenever one of its blocks does (under
    `mkdocs serve --dirty`, MkDocs rebuilds only pages whose Markdown file changed).
    `stash(search=true)` marks a block of prose for the site's search; other blocks stay out of it.
    """
    parts: dict[str, str] = context["html_parts"]
    key = hashlib.blake2b(str(html).encode("utf-8"), digest_size=8).hexdigest()
    parts[key] = str(html)
    if search:
        context["search_parts"].add(key)
    return Markup("\n\n" + _PLACEHOLDER.format(key) + "\n\n")


def page_path(key: str) -> str:
    """The docs path of a generated page: `index.md`, or `<key>/index.md` so its URL is `/<key>/`."""
    return "index.md" if key == "index" else f"{key}/index.md"


def front_title(title: str) -> Markup:
    """The page's `title:` front-matter line: themes print it into `<title>` and the navigation as HTML
    without escaping it, so it is HTML-escaped here (and quoted for YAML)."""
    return Markup("title: " + json.dumps(str(escape(title)), ensure_ascii=False))


def md_text(text: str) -> Markup:
    """Escape plain text for a Markdown heading: `&`, `<`, `>` as entities, Markdown punctuation backslashed.

    Quotes stay as they are: a heading is text, not an attribute, and the table of contents would show a
    numeric entity such as `&#34;` as written.
    """
    html = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(_MARKDOWN_SPECIALS.sub(r"\\\1", html))


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the site templates (made once per process)."""
    env = Environment(
        loader=PackageLoader("coursekit.render", "templates/site"),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are package files: no checking their dates at every include
    )
    env.filters["md_text"] = md_text
    env.filters["front_title"] = front_title
    env.filters["stash"] = _stash
    return env


@functools.lru_cache(maxsize=1)
def assets() -> dict[str, bytes]:
    """The course runtime as shipped (minified), keyed by site path.

    The sources stay readable and commented; officers' old laptops on slow networks get the minified
    files (rjsmin and rcssmin only remove comments and white space, so what runs is what was written).
    """
    import rcssmin
    import rjsmin

    minify = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}
    return {f"{ASSET_DIR}/{name}": minify[name[name.rindex("."):]](text).encode("utf-8")
            for name, text in asset_sources().items()}


def asset_sources() -> dict[str, str]:
    """The readable, commented sources of the course runtime, by file name."""
    folder = resources.files("coursekit.render").joinpath("assets/course")
    return {name: folder.joinpath(name).read_text(encoding="utf-8") for name in ASSET_NAMES}


@dataclass(frozen=True)
class _Page:
    text: str  # Markdown, with placeholders
    parts: dict[str, str]  # placeholder -> HTML
    searchable: frozenset[str]  # placeholders of prose, for the search index


class SiteRenderer:
    """Renders the site's pages; remembers module pages so a serve rebuild redoes only what changed."""

    def __init__(self, directory_urls: bool = True):
        self.directory_urls = directory_urls
        self._module_pages: dict[tuple, _Page] = {}
        self._question_runs: dict[tuple, tuple[Module, Markup]] = {}  # see _assessment_page

    def render(self, course: Course, home_text: str | None = None) -> SiteFiles:
        """Render every page of the course, in navigation order, and the runtime assets."""
        env = environment()
        pages = {page_path("index"): self._page(env, "home.md.j2",
                                                home_view(course, self._links("index"), home_text))}
        for number, module in enumerate(course.modules, start=1):
            pages[page_path(module.id)] = self._module_page(env, course, module, number)
        pages[page_path("assessment")] = self._assessment_page(env, course)
        for key, view in (("references", references_view), ("glossary", glossary_view)):
            pages[page_path(key)] = self._page(env, f"{key}.md.j2", view(course, self._links(key)))
        self._forget_except(course)
        return SiteFiles(markdown={path: page.text for path, page in pages.items()},
                         html_parts={path: page.parts for path, page in pages.items() if page.parts},
                         searchable={path: page.searchable for path, page in pages.items()},
                         assets=assets(), nav=navigation(course))

    def _module_page(self, env: Environment, course: Course, module: Module, number: int) -> _Page:
        # What a module page depends on besides its own content: its place and the module after it (its
        # end links there), the course's identity (storage keys), the citations it prints and its sign-off
        # (an approval changes no content).
        following = course.modules[number] if number < len(course.modules) else None
        key = (module.id, course.module_fingerprints.get(module.id), number, len(course.modules),
               following and (following.id, following.title),
               course.info.id, course.info.version, course.info.title, self._cited(course, module),
               sign_off_of(course, module).state, module.status)
        if key not in self._module_pages:
            view = module_view(course, module, number, self._links(module.id))
            self._module_pages[key] = self._page(env, "module.md.j2", view)
        return self._module_pages[key]

    def _assessment_page(self, env: Environment, course: Course) -> _Page:
        """The assessment page; each run of questions is rendered again only when it changed (a module edited)."""
        links = self._links("assessment")
        view = assessment_view(course, links)
        kept, self._question_runs = self._question_runs, {}
        blocks = []
        for run in view.pop("runs"):
            key = (run.module.id, tuple(q.id for q in run.questions), run.first, run.total, view["salt"], view["shuffle"])
            known = kept.get(key)
            if known is None or known[0] is not run.module:  # a module's model is new when its file changed
                questions = assessment_questions_view(run, links, view["salt"], view["shuffle"])
                known = (run.module, Markup(env.get_template("_assessment_questions.html.j2").render(questions=questions)))
            self._question_runs[key] = known
            blocks.append(known[1])
        return self._page(env, "assessment.md.j2", {**view, "question_blocks": blocks})

    def _forget_except(self, course: Course) -> None:
        """Drop remembered pages of modules whose content changed, so the cache cannot grow without end."""
        current = {(m.id, course.module_fingerprints.get(m.id)) for m in course.modules}
        for key in [k for k in self._module_pages if (k[0], k[1]) not in current]:
            del self._module_pages[key]

    @staticmethod
    def _cited(course: Course, module: Module) -> tuple:
        refs = (course.reference(r) for r in module.references)
        return tuple((r.id, r.citation, r.url) for r in refs if r is not None)

    def _links(self, page: str) -> PageLinks:
        return PageLinks(page=page, directory_urls=self.directory_urls)

    @staticmethod
    def _page(env: Environment, template: str, view: dict) -> _Page:
        parts: dict[str, str] = {}
        searchable: set[str] = set()
        text = env.get_template(template).render(**view, html_parts=parts, search_parts=searchable)
        return _Page(text, parts, frozenset(searchable))


def navigation(course: Course) -> list[str | tuple[str, list[str]]]:
    """The generated pages in navigation order: home, modules (a part's together, under its title), the rest."""
    nav: list[str | tuple[str, list[str]]] = [page_path("index")]
    for part, modules in course.module_groups():
        paths = [page_path(m.id) for m in modules]
        nav.extend([(part.title, paths)] if part is not None else paths)
    return nav + [page_path(key) for key in ("assessment", "references", "glossary")]


def render_site(course: Course, home_text: str | None = None, *, directory_urls: bool = True) -> SiteFiles:
    """Render the whole learner site of a validated course (no cache)."""
    return SiteRenderer(directory_urls=directory_urls).render(course, home_text)
