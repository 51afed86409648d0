"""Remake the screenshots of what officers see (docs/trainers/screenshots/), used by README.md and the guide.

    .venv/bin/python tooling/screenshots.py

Builds the sample course (this repository) into a temporary folder, serves it on 127.0.0.1 and walks through
it in Chromium (/usr/bin/chromium, through Playwright) at 1280 and 390 pixels wide: the home page with some
progress, a module mid-way, a wrong and a right answer, the end of a module, the assessment result and the
completion record. Not a test: look at the pictures before you commit them.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from coursekit.check import check_course
from coursekit.cli import main as course
from coursekit.render.site_view import right_values

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "trainers" / "screenshots"
WIDTHS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}
MODULE = "entrapment/"
CHROMIUM = dict(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu",
                                                            "--disable-background-networking"])


def serve(folder: Path) -> str:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # noqa: ANN002
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def right_answers() -> dict[str, list[int]]:
    """Each assessment question's right choices, as the page's input values, from the course itself."""
    result = check_course(ROOT, on_date=dt.date.today())
    assert result.course is not None
    return right_values(result.course)


# A part of a page taller than the window is shot in strips: the theme's fixed header would sit across it.
NO_FIXED_HEADER = ".md-header { visibility: hidden !important; }"


def shoot(page, name: str, width: str, target=None) -> None:  # noqa: ANN001 - a Playwright page and locator
    path = OUT / f"{name}-{width}.png"
    if target is None:
        page.screenshot(path=str(path))
    else:
        target.screenshot(path=str(path), style=NO_FIXED_HEADER)
    print("wrote", path.relative_to(ROOT))


def check(page, fieldset, values: list[int]) -> None:  # noqa: ANN001
    for value in values:
        fieldset.locator(f"input[value='{value}']").check()
    fieldset.get_by_role("button", name="Check answer").click()


def acknowledge(page) -> None:  # noqa: ANN001
    ack = page.get_by_role("button", name=re.compile("I have read the note"))
    if ack.count():
        ack.click()


def walk(page, base: str, width: str, answers: dict[str, list[int]]) -> None:  # noqa: ANN001
    page.goto(base + MODULE)
    acknowledge(page)
    q = page.locator("fieldset.ck-q[data-ck-q='entrapment/central-question']")
    key = q.evaluate("f => JSON.parse(atob(f.dataset.ckKey)).c")
    wrong = next(i for i in range(q.locator("input").count()) if i not in key)
    q.scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, -120)")
    shoot(page, "module-midway", width)
    check(page, q, [wrong])
    shoot(page, "answer-wrong", width, q)
    q.locator(f"input[value='{wrong}']").uncheck() if q.locator("input[type=checkbox]").count() else None
    check(page, q, key)
    shoot(page, "answer-right", width, q)
    for other in page.locator(".ck-quiz fieldset.ck-q[data-ck-key]").all()[1:4]:  # some progress to show
        check(page, other, other.evaluate("f => JSON.parse(atob(f.dataset.ckKey)).c"))
    end = page.locator(".ck-end")
    end.scroll_into_view_if_needed()
    shoot(page, "module-end", width, end)
    page.goto(base + "introduction/")
    acknowledge(page)
    for fs in page.locator(".ck-quiz fieldset.ck-q[data-ck-key]").all():
        check(page, fs, fs.evaluate("f => JSON.parse(atob(f.dataset.ckKey)).c"))
    page.goto(base)
    shoot(page, "home", width)
    page.goto(base + "assessment/")
    page.locator("[data-ck-assessment][data-ck-ready]").wait_for(state="attached")
    page.get_by_label(re.compile("Your name")).fill("PC Sam Example")
    drawn = page.locator("[data-ck-questions] fieldset[data-ck-q]:visible")
    for i in range(drawn.count()):
        fs = drawn.nth(i)
        right = answers[fs.get_attribute("data-ck-q")]
        values = right if i % 9 else [v for v in range(fs.locator("input").count()) if v not in right][:1]
        for value in values:  # every ninth answered wrong: a pass that still names objectives to go over
            fs.locator(f"input[value='{value}']").check()
    page.get_by_role("button", name="Submit assessment").click()
    page.evaluate("document.querySelector('[data-ck-result]').scrollIntoView(); window.scrollBy(0, -70)")
    shoot(page, "assessment-result", width)
    record = page.locator("[data-ck-record]").bounding_box()  # its head: the drawn questions run on for pages
    clip = {"x": record["x"], "y": record["y"] + page.evaluate("scrollY"), "width": record["width"],
            "height": min(record["height"], 1200)}
    page.screenshot(path=str(OUT / f"completion-record-{width}.png"), full_page=True, clip=clip,
                    style=NO_FIXED_HEADER)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    answers = right_answers()
    with tempfile.TemporaryDirectory() as work:
        site = Path(work) / "site"
        if course(["build", "--quiet", "--site-dir", str(site), str(ROOT)]) != 0:
            return 1
        base = serve(site)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**CHROMIUM)
            for width, viewport in WIDTHS.items():
                context = browser.new_context(viewport=viewport, device_scale_factor=1)
                walk(context.new_page(), base, width, answers)
                context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
