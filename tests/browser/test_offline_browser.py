"""The built site opened from a folder (file://), as a shared drive, a USB stick or an unzipped copy gives it."""

from __future__ import annotations

import re
import shutil

from browser_support import browser, open_site  # noqa: F401 - fixtures


def test_from_a_folder_the_links_the_quiz_the_assessment_and_search_work(good_site, open_site, tmp_path):
    folder = tmp_path / "Shared drive" / "Training (2026) é" / "site"  # any folder, spaces and accents included
    shutil.copytree(good_site, folder)
    base = folder.as_uri() + "/"
    session = open_site(base)
    page = session.page
    page.goto(base + "index.html")

    page.locator("article a[href='legal-line/index.html']").first.click()  # the home page's list of modules
    page.wait_for_url(base + "legal-line/index.html")
    assert page.locator("h1").inner_text() == "The legal line: <entrapment> & opportunity"  # a page, not a listing
    page.get_by_role("button", name=re.compile("I have read the note")).click()
    question = page.locator("fieldset.ck-q", has=page.locator("legend", has_text="Who raised the topic first?"))
    question.get_by_label("The subject.").check()
    question.get_by_role("button", name="Check answer").click()
    assert "Correct." in question.locator("[role=status]").inner_text()

    page.locator("nav.md-nav--primary a[href$='assessment/index.html']").first.click()
    page.wait_for_url(base + "assessment/index.html")
    assert page.get_by_role("heading", name="Final assessment", level=1).is_visible()

    page.locator("input.md-search__input").click()
    page.keyboard.type("court asks")
    result = page.locator(".md-search-result__item a", has_text="What the court asks").first
    result.click()
    page.wait_for_url(re.compile(re.escape(base + "legal-line/index.html") + "#the-test$"))
    assert page.locator("#the-test").is_visible()
    page.goto(base + "index.html")
    assert "1 of 3" in page.locator(".ck-module [data-ck-progress=legal-line]").inner_text()  # progress kept on file:// too
    assert session.outside == []  # no request left the folder
