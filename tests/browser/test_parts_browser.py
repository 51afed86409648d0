"""A course in parts with Material's navigation.prune, opened from a folder (file://) as officers open it."""

from __future__ import annotations

import shutil

from browser_support import TESTS, browser, build, open_site  # noqa: F401 - fixtures


def test_the_pruned_navigation_leads_from_part_to_part_from_a_folder(open_site, tmp_path):
    site = build(TESTS / "fixtures" / "parts", tmp_path / "built")
    folder = tmp_path / "USB stick (E)" / "site"
    shutil.copytree(site, folder)
    base = folder.as_uri() + "/"
    session = open_site(base)
    page = session.page
    page.goto(base + "the-test/index.html")
    nav = page.locator("nav.md-nav--primary")
    assert nav.locator("a[href='../the-record/index.html']").count() == 1  # the open part lists its modules
    assert nav.locator("a[href='../storage/index.html']").count() == 0  # the closed part is pruned

    closed = nav.locator("a[href='../capture/index.html']", has_text="Evidence & <disclosure>").first
    closed.focus()
    page.keyboard.press("Enter")  # the closed part's link, by keyboard, leads to its first module
    page.wait_for_url(base + "capture/index.html")
    assert page.locator("h1").first.is_visible()
    nav = page.locator("nav.md-nav--primary")
    nav.locator("a[href='../storage/index.html']").first.click()  # now that part is open: its second module
    page.wait_for_url(base + "storage/index.html")
    assert page.locator("nav.md-nav--primary a[href='../the-record/index.html']").count() == 0  # and the other closed
    assert session.outside == []  # no request left the folder
