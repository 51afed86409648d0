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
def fixture_site(tmp_path_factory) -> Iterator[str]:
    """The small test course, built and served."""
    yield from serve(build(GOOD, tmp_path_factory.mktemp("fixture-site")))


@pytest.fixture(scope="session")
def bank_site(tmp_path_factory) -> Iterator[str]:
    """The course whose final assessment draws from banks (two per objective, three attempts), built and served."""
    yield from serve(build(BANKS, tmp_path_factory.mktemp("bank-site")))


def right_answers(source: Path) -> dict[str, list[int]]:
    """Each assessment question's right choices (original positions), from the course itself."""
    from coursekit.check import check_course
    from coursekit.render.site_view import correct_choices

    course = check_course(source).course
    return {f"{m.id}/{q.id}": correct_choices(q) for m, q in course.assessment_questions()}


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
    """A fresh browser context (so fresh storage) and the requests that left the site."""

    def __init__(self, browser, base: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", self._record)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(f"{exc.message}\n{exc.stack}"))
        self.base = base

    def _record(self, request) -> None:  # noqa: ANN001 - playwright Request
        if not request.url.startswith(self.base) and not request.url.startswith("data:"):
            self.outside.append(request.url)


@pytest.fixture
def open_site(browser):
    """Open a site in a fresh context: `open_site(base)` returns a PageWithRequests."""
    made: list[PageWithRequests] = []

    def _open(base: str) -> PageWithRequests:
        made.append(PageWithRequests(browser, base))
        return made[-1]

    yield _open
    for item in made:
        assert not item.errors, f"JavaScript errors: {item.errors}"
        item.context.close()


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches selector, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")
