"""`course build`, `course export-markdown` and the MkDocs plugin, end to end through MkDocs."""

from __future__ import annotations

import re

import json
from pathlib import Path

import pytest

from coursekit.mkdocs_plugin import CoursePlugin

from conftest import GOOD


def _all_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file()
                     and p.suffix in {".html", ".json", ".xml", ".js", ".css"})


@pytest.fixture
def built(good_course, run) -> Path:
    code, out, err = run("build", str(good_course))
    assert code == 0, out + err
    return good_course / "site"


def test_build_makes_every_page(good_site):
    for page in ("index.html", "legal-line/index.html", "recording/index.html", "assessment/index.html",
                 "references/index.html", "glossary/index.html", "assets/course/quiz.js", "assets/course/quiz.css"):
        assert (good_site / page).is_file(), page


def test_learner_site_has_no_trainer_notes_anywhere(good_site):
    assert "SECRET-TRAINER-NOTE" not in _all_text(good_site)  # pages, search index, sitemap


def test_search_index_holds_no_answers(good_site):
    index = (good_site / "search" / "search_index.json").read_text(encoding="utf-8")
    for secret in ("Yes. The subject wrote first.", "Predisposition is irrelevant", "data-ck-key"):
        assert secret not in index
    assert "What the court asks" in index  # the content itself is searchable


def test_conversation_feedback_debriefs_and_model_answers_are_nowhere_to_read_or_search(good_site):
    """Only the encoded data a page carries holds them: not the pages' text, not the search index."""
    import re

    index = (good_site / "search" / "search_index.json").read_text(encoding="utf-8")
    secrets = ("You answered the question you were asked", "You brought in a romantic theme",
               "The judge finds the officer instigated", "leaves the proposal of a place to him",
               "Does not propose a time or place", "Any meeting must be his proposal")
    for page in good_site.rglob("*.html"):
        shown = re.sub(r'data-ck-key="[^"]*"', "", page.read_text(encoding="utf-8"))
        assert not [s for s in secrets if s in shown], page
    assert not [s for s in secrets if s in index]


def test_site_loads_nothing_from_elsewhere(good_site):
    html = "\n".join(p.read_text(encoding="utf-8") for p in good_site.rglob("*.html"))
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    assert "assets/course/quiz.js" in (good_site / "legal-line/index.html").read_text(encoding="utf-8")


def test_navigation_is_in_course_order_then_own_pages(good_course, run):
    (good_course / "docs" / "contacts.md").write_text("# Contacts\n\nYour coordinator.\n", encoding="utf-8")
    assert run("build", str(good_course))[0] == 0
    html = (good_course / "site" / "index.html").read_text(encoding="utf-8")
    order = [html.index(f'href="{href}" class="md-nav__link') for href in
             ("legal-line/index.html", "recording/index.html", "assessment/index.html", "references/index.html",
              "glossary/index.html", "contacts.html")]
    assert order == sorted(order)


def test_failed_build_leaves_previous_site_untouched(built, good_course, run):
    before = {p: p.read_bytes() for p in built.rglob("*") if p.is_file()}
    module = good_course / "modules" / "recording.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("objective: both-sides", "objective: nowhere"),
                      encoding="utf-8")
    code, out, _ = run("build", str(good_course))
    assert code == 1
    assert "modules/recording.yml:" in out and "nowhere" in out and "2 errors in 5 files." in out
    assert {p: p.read_bytes() for p in built.rglob("*") if p.is_file()} == before
    assert [p.name for p in good_course.iterdir() if p.name.startswith(".site")] == [".site.lock"]  # staging removed


def test_broken_link_in_hand_written_page_fails_the_build(built, good_course, run):
    before = (built / "index.html").read_bytes()
    (good_course / "docs" / "index.md").write_text("See [the missing page](missing.md).\n", encoding="utf-8")
    code, out, err = run("build", str(good_course))
    assert code == 1
    assert "missing.md" in out + err
    assert (built / "index.html").read_bytes() == before


def test_build_without_mkdocs_yml_is_a_clean_error(tmp_path, run):
    code, _, err = run("build", str(tmp_path))
    assert code == 1 and err.startswith("error: no mkdocs.yml")


def test_export_markdown_writes_the_pages(good_course, run, tmp_path):
    code, out, _ = run("export-markdown", str(tmp_path / "pages"), str(good_course))
    assert code == 0 and "Wrote 6 pages" in out
    module = (tmp_path / "pages" / "legal-line" / "index.md").read_text(encoding="utf-8")
    assert module.split("---\n", 2)[2].startswith("# The legal line: &lt;entrapment&gt;")
    assert "Hand-written home page text." in (tmp_path / "pages" / "index.md").read_text(encoding="utf-8")


def test_export_markdown_of_a_bad_course_prints_located_errors(good_course, run, tmp_path):
    (good_course / "modules" / "recording.yml").write_text("id: recording\n", encoding="utf-8")
    code, out, _ = run("export-markdown", str(tmp_path / "pages"), str(good_course))
    assert code == 1 and out.startswith("modules/recording.yml:")
    assert not (tmp_path / "pages").exists()


def test_plugin_watches_course_and_modules(good_course):
    class Server:
        def __init__(self):
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    plugin = CoursePlugin()
    plugin.root = good_course
    server = Server()
    assert plugin.on_serve(server, config=None, builder=None) is server
    assert server.watched == [str(good_course / "course"), str(good_course / "modules")]


def test_generated_config_is_offline(good_course):
    from mkdocs.config import load_config

    config = load_config(config_file=str(good_course / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert config.theme["font"] is False
    assert config.use_directory_urls is False  # Material's offline plugin: links name files, for file://
    assert config.extra["polyfills"] == ["assets/offline/iframe-worker.js"]  # its shim, not unpkg.com's
    assert "attr_list" in config.markdown_extensions
    assert json.dumps([str(s) for s in config.extra_javascript]).count("assets/course/quiz.js") == 1


def test_pages_in_a_folder_form_a_section_after_the_course(good_course, run):
    """docs/trainers/ becomes a "For trainers" section, apart from what learners read."""
    trainers = good_course / "docs" / "trainers"
    trainers.mkdir()
    (trainers / "guide.md").write_text("# Guide for trainers\n\nHow to write a module.\n", encoding="utf-8")
    assert run("build", str(good_course))[0] == 0
    html = (good_course / "site" / "index.html").read_text(encoding="utf-8")
    assert "For trainers" in html
    assert (html.index('href="glossary/index.html" class="md-nav__link') < html.index("For trainers")
            < html.index('href="trainers/guide.html"'))


def test_module_id_naming_a_site_page_fails_with_a_located_error(good_course, run):
    modules = good_course / "modules"
    (modules / "recording.yml").rename(modules / "glossary.yml")
    text = (modules / "glossary.yml").read_text(encoding="utf-8").replace("id: recording", "id: glossary")
    (modules / "glossary.yml").write_text(text.replace("module:recording", "module:glossary"), encoding="utf-8")
    for path in (good_course / "course/course.yml", modules / "legal-line.yml"):
        path.write_text(path.read_text(encoding="utf-8").replace("recording", "glossary"), encoding="utf-8")
    code, out, _ = run("build", str(good_course))
    assert code == 1
    assert "modules/glossary.yml:1:5: error: the module id `glossary` names a page of the course site" in out
    assert not (good_course / "site").exists()


def test_dirty_serve_rebuilds_only_pages_whose_text_changed(good_course, monkeypatch):
    """Under `mkdocs serve --dirty`, pages are kept in .course-cache and rewritten only when they change."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.chdir(good_course)
    config = load_config(str(good_course / "mkdocs.yml"), site_dir=str(good_course / "served"))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    cache = good_course / ".course-cache" / "pages"
    before = {p.relative_to(cache): p.stat().st_mtime_ns for p in cache.rglob("*.md")}
    assert {str(p) for p in before} >= {"index.md", "legal-line/index.md", "recording/index.md", "assessment/index.md"}
    module = good_course / "modules" / "recording.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("Capture everything", "Capture every message"),
                      encoding="utf-8")
    build(config, dirty=True)
    after = {p.relative_to(cache): p.stat().st_mtime_ns for p in cache.rglob("*.md")}
    changed = {str(p) for p in after if after[p] != before[p]}
    assert changed == {"recording/index.md", "assessment/index.md"}  # the assessment shows the new fingerprint
    assert "Capture every message" in (good_course / "served" / "recording" / "index.html").read_text(encoding="utf-8")


def test_course_warnings_are_shown_but_do_not_stop_the_build(good_course, run):
    module = good_course / "modules" / "recording.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("status: in-review", "status: draft"), encoding="utf-8")
    code, out, err = run("build", str(good_course))
    assert code == 0
    assert "modules/recording.yml:5:9: warning: module `recording` is still a draft [module.draft]" in out + err


def test_question_html_bypasses_markdown_and_is_spliced_back(good_site):
    """Question blocks reach MkDocs as placeholders (Markdown need not parse them) and the pages as HTML."""
    from coursekit.check import check_course
    from coursekit.render.site import render_site

    site = render_site(check_course(GOOD).course)
    assert "<fieldset" not in site.markdown["assessment/index.md"] and "ck-html:" in site.markdown["assessment/index.md"]
    assert "<fieldset" in site.pages["assessment/index.md"] and "ck-html:" not in site.pages["assessment/index.md"]
    for page, fieldsets in (("legal-line/index.html", 4), ("assessment/index.html", 3)):  # 3 questions (+ a draft)
        html = (good_site / page).read_text(encoding="utf-8")
        assert "ck-html:" not in html and html.count("<fieldset") == fieldsets


@pytest.mark.parametrize("folder", ["modules", "docs", "course", "docs/site", "."])
def test_output_folder_may_not_replace_the_course(good_course, run, folder):
    """`--site-dir modules` would have replaced the module files with the site: it is refused, nothing lost."""
    before = {p: p.read_bytes() for p in good_course.rglob("*") if p.is_file()}
    code, _, err = run("build", "--site-dir", str(good_course / folder), str(good_course))
    assert code == 1 and "choose a folder of its own" in err
    assert {p: p.read_bytes() for p in good_course.rglob("*") if p.is_file()} == before
    code, _, err = run("export-markdown", str(good_course / folder), str(good_course))
    assert code == 1 and "choose a folder of its own" in err
    assert {p: p.read_bytes() for p in good_course.rglob("*") if p.is_file()} == before


def test_home_page_that_is_not_utf8_is_a_clean_error(good_course, run, tmp_path):
    (good_course / "docs" / "index.md").write_bytes(b"# Caf\xe9\n")
    code, out, err = run("export-markdown", str(tmp_path / "pages"), str(good_course))
    assert code == 1 and "internal error" not in err
    assert "docs/index.md: error: the page is not UTF-8 text; save it as UTF-8 [file.binary]" in out


def test_export_markdown_shows_course_warnings(good_course, run, tmp_path):
    module = good_course / "modules" / "recording.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("status: in-review", "status: draft"), encoding="utf-8")
    code, out, _ = run("export-markdown", str(tmp_path / "pages"), str(good_course))
    assert code == 0 and "warning: module `recording` is still a draft" in out
    assert (tmp_path / "pages" / "recording" / "index.md").is_file()


def test_built_bank_site_holds_no_bank_feedback_or_explanation_anywhere(run, tmp_path):
    """Pages, search index, sitemap and scripts: no bank feedback or explanation, bank prompts only on the assessment."""
    import html
    import shutil

    from coursekit.check import check_course

    source = Path(__file__).resolve().parents[1] / "fixtures" / "banks"
    root = tmp_path / "banks"
    shutil.copytree(source, root)
    assert run("build", "--quiet", str(root))[0] == 0
    site = root / "site"
    assert "BANK-" not in _all_text(site)  # every bank feedback, explanation and trainer note is marked so
    prompts = [q.prompt for m in check_course(root).course.modules for q in m.assessment_bank]
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    for page in site.rglob("*.html"):
        text = html.unescape(page.read_text(encoding="utf-8"))
        expected = prompts if page.relative_to(site).as_posix() == "assessment/index.html" else []
        assert [p for p in prompts if p in text] == expected, page
    assert not [p for p in prompts if p in index]


def test_table_of_contents_shows_a_section_title_as_written(good_course, run, tmp_path):
    module = good_course / "modules" / "legal-line.yml"
    module.write_text(module.read_text(encoding="utf-8").replace(
        "    title: What the court asks\n", "    title: 'What the court asks: \"others\" & the officer''s <role>'\n"),
        encoding="utf-8")
    assert run("build", "--site-dir", str(tmp_path / "site"), "-q", str(good_course))[0] == 0
    page = (tmp_path / "site" / "legal-line" / "index.html").read_text(encoding="utf-8")
    toc = re.findall(r'href="#the-test" class="md-nav__link">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', page)
    assert toc and set(toc) == {"What the court asks: \"others\" &amp; the officer's &lt;role&gt;"}


def test_plugin_says_a_bad_course_today_plainly(good_course, monkeypatch):
    """Under `mkdocs serve` too: MkDocs shows a plugin's error as one line, where a ValueError was a traceback."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    monkeypatch.setenv("COURSE_TODAY", "2026-13-45")
    config = load_config(str(good_course / "mkdocs.yml"))
    with pytest.raises(PluginError, match=r"^COURSE_TODAY=2026-13-45 is not a real date written YYYY-MM-DD"):
        config.plugins.on_config(config)


@pytest.mark.parametrize("strict,level", [(False, "WARNING"), (True, "INFO")])
def test_course_warnings_are_mkdocs_warnings_except_where_strict_would_fail_on_them(good_course, caplog, strict,
                                                                                     level):
    """`mkdocs serve` shows them as warnings; a strict build (`course build`) lists them without failing."""
    import logging

    from coursekit.mkdocs_plugin import load_course

    module = good_course / "modules" / "recording.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("status: in-review", "status: draft"), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.course"):
        load_course(good_course, strict=strict)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (level, "modules/recording.yml:5:9: warning: module `recording` is still a draft [module.draft]")]
