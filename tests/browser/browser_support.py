"""Shared fixtures of the browser tests: built sites served on 127.0.0.1, and a real Chromium.

Test modules import the fixtures they use from here: a tests/browser/conftest.py would shadow the
`conftest` module that other tests import names from.
Under CI=true a missing Chromium fails the tests; elsewhere they are skipped.
"""

from __future__ import annotations

import atexit
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from coursekit.cli import main

TESTS = Path(__file__).resolve().parents[1]
GOOD = TESTS / "fixtures" / "good"
BANKS = TESTS / "fixtures" / "banks"
SAMPLE = TESTS.parent  # the repository root is the sample course
CHROMIUM = Path("/usr/bin/chromium")
TODAY = "2026-11-23"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: browser tests must run in CI")
    pytest.skip(f"{CHROMIUM} is missing")


def build(source: Path, work: Path, *, extra_config: str = "") -> Path:
    """Copy a course, optionally add lines to its mkdocs.yml, build it with `course build`; return the site."""
    root = work / "course"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("site", ".venv", ".git", "node_modules",
                                                                ".pytest_cache", "tests", "tooling"))
    if extra_config:
        with (root / "mkdocs.yml").open("a", encoding="utf-8") as handle:
            handle.write(extra_config)
    site = work / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_TODAY", TODAY)
        assert main(["build", "--site-dir", str(site), str(root)]) == 0
    return site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: ANN002 - keep test output clean
        pass


def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (port chosen by the system); yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


_running: dict[str, object] = {}


def _chromium():
    """One Playwright and one Chromium for the whole run, whichever test module asks first."""
    if "browser" not in _running:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _running["browser"] = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        atexit.register(playwright.stop)
        atexit.register(_running["browser"].close)
    return _running["browser"]


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    return _chromium()


@pytest.fixture(scope="session")
def fixture_site(good_site) -> Iterator[str]:
    """The small test course, built once per run (tests/conftest.py's good_site) and served."""
    yield from serve(good_site)


@pytest.fixture(scope="session")
def bank_site(tmp_path_factory) -> Iterator[str]:
    """The course whose final assessment draws from banks (two per objective, three attempts), built and served."""
    yield from serve(build(BANKS, tmp_path_factory.mktemp("bank-site")))


def right_answers(source: Path) -> dict[str, list[int]]:
    """Each assessment question's right choices, as the page's input values, from the course itself."""
    from coursekit.check import check_course
    from coursekit.render.site_view import right_values

    return right_values(check_course(source).course)


@pytest.fixture(scope="session")
def instant_site(tmp_path_factory) -> Iterator[str]:
    """The small test course with Material's instant navigation on."""
    extra = "  features:\n    - navigation.instant\n"
    work = tmp_path_factory.mktemp("instant-site")
    source = work / "source"
    shutil.copytree(GOOD, source)
    config = (source / "mkdocs.yml").read_text(encoding="utf-8").replace("  name: material\n",
                                                                        "  name: material\n" + extra)
    (source / "mkdocs.yml").write_text(config, encoding="utf-8")
    yield from serve(build(source, work))


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Iterator[str]:
    """The real sample course of this repository, built and served."""
    yield from serve(build(SAMPLE, tmp_path_factory.mktemp("sample-site")))


class PageWithRequests:
    """A browser page with fresh storage, and the requests that left the site and the page's JavaScript errors.

    A page costs Chromium a new renderer process (about half a second of CPU), so a test's first session
    reuses one page kept for the whole run, its site's storage cleared first: to the test, a fresh
    profile. Further sessions in a test, and sessions that add init scripts (`fresh=True`), get a
    context of their own.
    """

    def __init__(self, context, page, base: str, *, shared: bool):
        self.context, self.page, self.base, self.shared = context, page, base, shared
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", self._record)
        self.page.on("pageerror", self._error)

    def _record(self, request) -> None:  # noqa: ANN001 - playwright Request
        if not request.url.startswith(self.base) and not request.url.startswith("data:"):
            self.outside.append(request.url)

    def _error(self, exc) -> None:  # noqa: ANN001 - playwright Error
        self.errors.append(f"{exc.message}\n{exc.stack}")

    def close(self) -> None:
        if not self.shared:
            self.context.close()
            return
        self.page.goto("about:blank")  # nothing of this test runs on into the next one
        self.context.remove_listener("request", self._record)
        self.page.remove_listener("pageerror", self._error)


VIEWPORT = {"width": 1280, "height": 900}
_shared: dict[str, object] = {}


def _shared_page(browser, base: str):
    """The run's reused context and page, with the storage of base's site (and cookies) cleared."""
    if "page" not in _shared:
        _shared["context"] = browser.new_context(viewport=VIEWPORT)
        _shared["page"] = _shared["context"].new_page()
        _shared["cdp"] = _shared["context"].new_cdp_session(_shared["page"])
    origin = "/".join(base.split("/")[:3]) if "://" in base and not base.startswith("file:") else "file://"
    _shared["cdp"].send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    _shared["context"].clear_cookies()
    return _shared["context"], _shared["page"]


@pytest.fixture
def open_site(browser):
    """Open a site with fresh storage: `open_site(base)` returns a PageWithRequests (see there)."""
    made: list[PageWithRequests] = []

    def _open(base: str, *, fresh: bool = False) -> PageWithRequests:
        if made or fresh:
            context = browser.new_context(viewport=VIEWPORT)
            made.append(PageWithRequests(context, context.new_page(), base, shared=False))
        else:
            made.append(PageWithRequests(*_shared_page(browser, base), base, shared=True))
        return made[-1]

    yield _open
    for item in made:
        item.close()
    for item in made:
        assert not item.errors, f"JavaScript errors: {item.errors}"


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@functools.cache
def _axe_script() -> str:
    """axe-core's source as axe-playwright-python ships it, read once per run."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def wcag_violations(page) -> list[str]:  # noqa: ANN001 - a playwright Page
    """axe-core's WCAG 2.2 A and AA violations on the page as it is now, one line each.

    Only violations are gathered in full (`resultTypes`): the passes of every node of a long page were most of
    axe's work and of what came back to Python, and no test reads them. axe is injected once per document.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_script())
    results = page.evaluate("(options) => axe.run(document, options)",
                            {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['html'][:160]})"
            for v in results["violations"]]


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches selector, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")
