"""Material's templates at the cost of one page, not of every page of the course; compiled once, not per build.

The navigation: Material renders all of it into every page, so each page costs time in proportion to the
number of pages, and a build grows with their square (a quarter of a 150-module build, most of a 1,000-module one).
Yet an item of the navigation renders the same on every page that is not inside it and sits as deep in the
site: its links are relative, and from a page at depth d a link that shares no folder with the page is
`../` * d followed by its own path, whatever the page. So the plugin's override of `partials/nav.html`
(coursekit/theme/partials/nav.html: Material's own, with its loop handed to `NavItems`) renders each
top-level item with Material's own macro once per depth, joins them once, and for each page renders afresh
only the item that holds it (open, with its table of contents) and any item that shares a folder with it.
The HTML, its ARIA attributes and so its keyboard behaviour are Material's, byte for byte
(tests/test_mkdocs_theme.py compares whole pages with Material's own rendering).

The templates: see CompiledTemplates and speed_up_theme.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from typing import Any

from pathlib import Path

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, FileSystemLoader
from jinja2.bccache import Bucket
from markupsafe import Markup

# The override's folder: the plugin puts it before the theme's own folders.
THEME_DIR = "theme"

Render = Callable[[Any, int], str]  # the override's macro: (top-level item, its 1-based place) -> HTML


def _folders(url: str) -> list[str]:
    """The folders of a page URL as MkDocs' get_relative_url sees them (a last part with a dot is a file)."""
    folder, _, last = url.rpartition("/")
    path = folder if "." in last else url
    normal = posixpath.normpath("/" + path)[1:]
    return normal.split("/") if normal else []


def _urls(item: Any) -> list[str]:
    """Every URL an item of the navigation links to, its children's included."""
    url = getattr(item, "url", None)
    found = [url] if isinstance(url, str) else []
    for child in getattr(item, "children", None) or ():
        found.extend(_urls(child))
    return found


class NavItems:
    """Renders Material's top-level navigation items, reusing each where the page cannot change it.

    One instance serves one build (`reset` when the next starts). Called from the override template with
    the macro that renders one item, the navigation's items and the page being built.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._items: Sequence[Any] = ()
        self._place: dict[int, int] = {}  # id(item) -> its index among the top-level items
        self._by_folder: dict[str, set[int]] = {}  # first folder of a URL -> items with a link into it
        self._fresh: set[int] = set()  # items that are always rendered afresh (links that climb or blog views)
        self._rendered: dict[int, list[str | None]] = {}  # depth -> each item's HTML as seen from that depth
        self._missing: dict[int, set[int]] = {}  # depth -> items not rendered from that depth yet
        self._joined: dict[int, tuple[str, list[int]]] = {}  # depth -> all items joined, and where each starts

    def __call__(self, render: Render, items: Sequence[Any], page: Any) -> Markup:
        if page is None or getattr(page, "url", None) is None:  # a page of the theme's own (404): nothing to reuse
            return Markup("".join(render(item, n) for n, item in enumerate(items, start=1)))
        if items is not self._items:
            self._learn(items)
        folders = _folders(page.url)
        own = self._own_items(page, folders)
        depth = len(folders)
        joined, starts = self._joined_at(depth, render, own)
        pieces, at = [], 0
        for index in sorted(own):
            pieces += [joined[at:starts[index]], render(items[index], index + 1)]
            at = starts[index + 1]
        pieces.append(joined[at:])
        return Markup("".join(pieces))

    def _learn(self, items: Sequence[Any]) -> None:
        """Index a navigation: where each item is, and which folders its links lead into."""
        self.reset()
        self._items = items
        for index, item in enumerate(items):
            self._place[id(item)] = index
            if hasattr(item, "pages"):  # a blog's view: Material checks the page against its pages
                self._fresh.add(index)
            for url in _urls(item):
                if url.startswith("..") or "\\" in url:
                    self._fresh.add(index)
                elif "://" not in url and not url.startswith(("/", "#")) and (folders := _folders(url)):
                    self._by_folder.setdefault(folders[0], set()).add(index)

    def _own_items(self, page: Any, folders: list[str]) -> set[int]:
        """The items this page must render afresh: the one holding it, those linking into its first folder."""
        top = page
        while getattr(top, "parent", None) is not None:
            top = top.parent
        own = set(self._fresh)
        if id(top) in self._place:
            own.add(self._place[id(top)])
        if folders:
            own |= self._by_folder.get(folders[0], set())
        return own

    def _joined_at(self, depth: int, render: Render, own: set[int]) -> tuple[str, list[int]]:
        """Every item as seen from pages at this depth, joined, with where each starts (and the end)."""
        if depth not in self._rendered:
            self._rendered[depth] = [None] * len(self._items)
            self._missing[depth] = set(range(len(self._items)))
        rendered, missing = self._rendered[depth], self._missing[depth] - own
        for index in sorted(missing):
            rendered[index] = str(render(self._items[index], index + 1))
        self._missing[depth] -= missing
        if missing or depth not in self._joined:
            starts, at = [], 0
            for html in rendered:
                starts.append(at)
                at += len(html or "")
            starts.append(at)
            self._joined[depth] = ("".join(html or "" for html in rendered), starts)
        return self._joined[depth]


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory across builds (`mkdocs serve`) and on disk across processes.

    MkDocs makes a new template environment for every build, which compiles Material's templates again: 40%
    of a `mkdocs serve --dirty` rebuild, half a second of every `course build`. Jinja's own bytecode cache
    checks each template's source before using what it kept. The disk copy is in Jinja's per-user folder
    under the system's temporary folder (mode 0700, checked to be the user's own), never in the course
    folder, which may have come from elsewhere; where that folder cannot be used, templates are compiled.
    """

    def __init__(self) -> None:
        self._memory: dict[str, bytes] = {}
        try:
            self._disk: FileSystemBytecodeCache | None = FileSystemBytecodeCache(pattern="coursekit-%s.cache")
        except (OSError, RuntimeError):
            self._disk = None

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._memory.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
        elif self._disk is not None:
            self._disk.load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._memory[bucket.key] = bucket.bytecode_to_string()
        if self._disk is not None:
            try:
                self._disk.dump_bytecode(bucket)
            except OSError:  # a full or read-only disk: the memory copy still serves this process
                pass


# Folder -> the templates and files in it, for theme folders outside the course (the installed theme's):
# MkDocs lists every file of the theme at every build, some 10,000 icons included.
_LISTED: dict[str, list[str]] = {}


class _ListedOnce(FileSystemLoader):
    """A theme's template loader that lists an installed theme's folders once per process (`mkdocs serve`)."""

    def __init__(self, searchpath: list[str], course: Path) -> None:
        super().__init__(searchpath)
        self.course = course

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if Path(folder).resolve().is_relative_to(self.course):  # the course's own overrides may change
                found.update(FileSystemLoader(folder).list_templates())
            else:
                if folder not in _LISTED:
                    _LISTED[folder] = FileSystemLoader(folder).list_templates()
                found.update(_LISTED[folder])
        return sorted(found)


def speed_up_theme(theme: Any, course: Path, compiled: CompiledTemplates) -> None:
    """Have every template environment MkDocs and its plugins make from this theme use the kept templates.

    MkDocs makes environments with `theme.get_env()` (the build's, and the search plugin's for its words);
    each gets the compiled templates and the installed theme's file listing, kept across builds.
    """
    make = theme.get_env
    if getattr(make, "coursekit", False):
        return

    def get_env() -> Environment:
        env = make()
        if isinstance(env.loader, FileSystemLoader):
            env.loader = _ListedOnce(list(env.loader.searchpath), course.resolve())
        env.bytecode_cache = compiled
        return env

    get_env.coursekit = True  # type: ignore[attr-defined]
    theme.get_env = get_env
