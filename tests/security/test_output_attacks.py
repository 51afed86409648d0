"""Every output (site, learner and reviewer PDF, SCORM package) of a hostile course holds no script, no
event handler, no script URL and nothing loaded from outside; with the checker switched off, the renderers
alone still remove every attack. (The same pages in a real browser: tests/browser/test_security_browser.py.)"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import threading
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from coursekit.check import check_course
from coursekit.cli import main
from coursekit.render.pdf import html_to_pdf, render_html
from coursekit.render.site import render_site

from conftest import pdf_texts
from hostile import PNG, TEXT_ATTACK, attack_course, checker_bypassed, dangers, hostile_text_course

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def text_course(tmp_path_factory) -> Path:
    return hostile_text_course(tmp_path_factory.mktemp("text") / "course")


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """The course with Markdown attacks in every Markdown field, loaded with the checker's rules off."""
    course = attack_course(tmp_path_factory.mktemp("attacks") / "course")
    assert check_course(course).errors  # the checker refuses it...
    with checker_bypassed():
        result = check_course(course)  # ...and without its rules the model is made all the same
    assert result.course is not None
    return course, result.course


def _site_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_built_site_of_text_typed_as_markup_has_nothing_dangerous(text_course, tmp_path):
    assert main(["build", "--site-dir", str(tmp_path / "site"), "-q", str(text_course)]) == 0
    pages = _site_pages(tmp_path / "site")
    assert len(pages) >= 6
    for name, page in pages.items():
        assert not dangers(page), (name, dangers(page))
    module = pages["legal-line/index.html"]
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in module  # the text, shown as typed
    assert "<script>alert(1)</script>" not in "".join(pages.values())


def test_site_of_attacks_made_by_the_renderers_alone_is_sanitised(attacked, tmp_path):
    course_dir, course = attacked
    pages = render_site(course).pages
    assert not [(name, dangers(page)) for name, page in pages.items() if dangers(page)]
    with checker_bypassed():
        assert main(["build", "--site-dir", str(tmp_path / "site"), "-q", str(course_dir)]) == 0
    for name, page in _site_pages(tmp_path / "site").items():
        assert not dangers(page), (name, dangers(page))


@pytest.mark.parametrize("edition", ["learner", "reviewer"])
def test_pdf_html_of_attacks_is_sanitised_and_lays_out(attacked, edition):
    _, course = attacked
    document = render_html(course, edition, TODAY)
    assert not dangers(document)
    assert html_to_pdf(document).startswith(b"%PDF")  # no renderer crash on styles or nesting


@pytest.mark.parametrize("edition", ["learner", "reviewer"])
def test_pdf_of_text_typed_as_markup_shows_it_as_text(text_course, tmp_path, run, edition):
    out = tmp_path / f"{edition}.pdf"
    code, _, err = run("pdf", "--edition", edition, "-o", str(out), "-q", str(text_course))
    assert code == 0, err
    text = "".join(pdf_texts(out.read_bytes()))
    assert "<script>alert(1)</script>" in text.replace("\n", "")


def test_pdf_fetches_nothing_from_outside():
    """Even an address in the HTML given to the layout engine is never fetched: only course files are."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args) -> None:  # noqa: ANN002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        page = (f'<html><head><link rel="stylesheet" href="{base}/a.css"></head><body>'
                f'<img src="{base}/b.png"><p style="background:url({base}/c.png)">x</p>'
                f'<img src="chart.png"></body></html>')
        assert html_to_pdf(page, {"chart.png": PNG}).startswith(b"%PDF")
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


def test_scorm_package_of_text_typed_as_markup_is_well_formed_and_escaped(text_course, tmp_path):
    out = tmp_path / "course.zip"
    assert main(["scorm", "-o", str(out), "-q", str(text_course)]) == 0
    with zipfile.ZipFile(out) as package:
        manifest = etree.parse(io.BytesIO(package.read("imsmanifest.xml")))
        titles = manifest.xpath("//*[local-name()='title']/text()")
        assert f"Course {TEXT_ATTACK}" in titles  # the title as typed, escaped for XML
        pages = {name: package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".html")}
    for name, page in pages.items():
        assert not dangers(page), (name, dangers(page))


def test_a_hostile_hand_written_page_stops_the_build_even_with_the_checker_off(tmp_path, run):
    course = hostile_text_course(tmp_path / "course")
    (course / "docs/extra.md").write_text("# Extra\n\nHello <img src=x onerror=alert(1)> there.\n")
    with checker_bypassed():
        code, out, _ = run("build", "--site-dir", str(tmp_path / "site"), str(course))
    assert code == 1
    assert "docs/extra.md:3:18: error: the attribute `onerror` cannot be set" in out
    assert not (tmp_path / "site").exists()


def test_a_link_in_docs_to_a_file_elsewhere_never_reaches_an_output(tmp_path, run):
    """A received course folder could hold `docs/passwd.txt` -> /etc/passwd, or a picture that links out: the
    site leaves such a file out and says so (a failed strict build), and no PDF gets the linked file."""
    from coursekit.check import course_images

    course = hostile_text_course(tmp_path / "course")
    secret = tmp_path / "private.png"
    secret.write_bytes(PNG)
    (course / "docs" / "passwd.txt").symlink_to("/etc/passwd")
    (course / "docs" / "chart.png").symlink_to(secret)
    code, out, err = run("build", "--site-dir", str(tmp_path / "site"), str(course))
    assert code == 1 and not (tmp_path / "site").exists()
    assert "docs/passwd.txt is a link to a file outside docs/ and was left out of the site" in out + err
    assert "chart.png" not in course_images(course)
    (course / "docs" / "passwd.txt").unlink()
    (course / "docs" / "chart.png").unlink()
    assert run("build", "--site-dir", str(tmp_path / "site"), str(course))[0] == 0
