"""Output paths and the site swap: no typo destroys a file, and a complete site stands at the target always."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from filelock import FileLock

from coursekit import outputs
from coursekit.outputs import MARKER, OutputError, check_output_file, recover, replace_folder

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tooling" / "bench"))
from synthetic import generate  # noqa: E402


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _course_files(course: Path) -> dict[Path, bytes]:
    return {p: b for p, b in _files(course).items() if p.name != ".site.lock" and ".course-cache" not in p.parts}


# --- --site-dir and export-markdown: a folder is replaced only if coursekit made it ------------------

def test_a_site_made_by_build_is_replaced_whole_and_marked(good_course, run, tmp_path):
    target = tmp_path / "out" / "public"
    assert run("build", "--site-dir", str(target), str(good_course))[0] == 0
    assert (target / MARKER).is_file() and (target / "index.html").is_file()
    (target / "stale.html").write_text("from an older build", encoding="utf-8")
    code, out, _ = run("build", "--site-dir", str(target), str(good_course))
    assert code == 0 and f"Wrote the site into {target}: open {target / 'index.html'} in a browser" in out
    assert not (target / "stale.html").exists() and (target / "index.html").is_file()
    assert sorted(p.name for p in target.parent.iterdir()) == [".public.lock", "public"]  # no staging left


def test_a_site_built_before_sites_were_marked_is_replaced(good_course, run, tmp_path):
    """A clone's site/ from an earlier coursekit has no marker; its home page and runtime say what it is."""
    target = tmp_path / "site"
    assert run("build", "--site-dir", str(target), str(good_course))[0] == 0
    (target / MARKER).unlink()
    assert run("build", "--site-dir", str(target), str(good_course))[0] == 0
    assert (target / MARKER).is_file()
    (target / MARKER).unlink()
    (target / "assets/course/quiz.js").unlink()  # not the runtime of a course site: someone else's folder
    code, _, err = run("build", "--site-dir", str(target), str(good_course))
    assert code == 1 and "already holds files that coursekit did not make" in err


@pytest.mark.parametrize("command", ["build", "export-markdown"])
def test_a_folder_of_other_files_is_refused_and_kept(good_course, run, tmp_path, command):
    target = tmp_path / "project"
    target.mkdir()
    (target / "notes.md").write_text("my notes", encoding="utf-8")
    args = ["build", "--site-dir", str(target)] if command == "build" else ["export-markdown", str(target)]
    code, _, err = run(*args, str(good_course))
    assert code == 1
    assert f"error: {target} already holds files that coursekit did not make (notes.md)" in err
    assert "choose a new or empty folder" in err
    assert _files(target) == {target / "notes.md": b"my notes"}


@pytest.mark.parametrize("command", ["build", "export-markdown"])
def test_an_existing_file_is_not_turned_into_a_folder(good_course, run, tmp_path, command):
    target = tmp_path / "report.docx"
    target.write_bytes(b"a document")
    args = ["build", "--site-dir", str(target)] if command == "build" else ["export-markdown", str(target)]
    code, _, err = run(*args, str(good_course))
    assert code == 1 and f"{target} is a file, not a folder, and was left as it is" in err
    assert target.read_bytes() == b"a document"


def test_export_markdown_replaces_its_own_folder_and_an_empty_one(good_course, run, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()  # empty: may be used
    assert run("export-markdown", str(pages), str(good_course))[0] == 0
    (pages / "old-page.md").write_text("from an older export", encoding="utf-8")
    assert run("export-markdown", str(pages), str(good_course))[0] == 0
    assert (pages / MARKER).is_file() and not (pages / "old-page.md").exists()
    assert (pages / "legal-line" / "index.md").is_file()


def test_a_site_built_by_mkdocs_with_the_plugin_may_be_replaced(good_course, run):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(good_course / "mkdocs.yml"), site_dir=str(good_course / "site")))
    assert (good_course / "site" / MARKER).is_file()
    assert run("build", str(good_course))[0] == 0


@pytest.mark.parametrize("site_dir", ["modules", "course", "docs", ".", "modules/site"])
def test_mkdocs_with_the_plugin_refuses_a_site_dir_that_would_empty_the_course(good_course, site_dir):
    """MkDocs empties site_dir before it builds: a mistyped `site_dir` in mkdocs.yml must not delete modules."""
    config_file = good_course / "mkdocs.yml"
    config_file.write_text(config_file.read_text(encoding="utf-8") + f"site_dir: {site_dir}\n", encoding="utf-8")
    before = _course_files(good_course)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config_file)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    if site_dir not in ("docs", "."):  # MkDocs itself refuses a site_dir that holds docs_dir
        assert "site_dir in mkdocs.yml: " in done.stderr and "nothing was built or deleted" in done.stderr
    assert "Traceback" not in done.stderr
    assert _course_files(good_course) == before


# --- -o FILE: never a file the course reads, never a document of another kind ----------------------

@pytest.mark.parametrize("command,kind", [("pdf", "PDF"), ("scorm", "SCORM package")])
@pytest.mark.parametrize("victim", ["modules/recording.yml", "course/course.yml", "docs/index.md", "mkdocs.yml",
                                    "course/new.yml"])
def test_output_file_may_not_be_a_course_file(good_course, run, command, kind, victim):
    before = _course_files(good_course)
    code, _, err = run(command, "-o", str(good_course / victim), str(good_course))
    assert code == 1
    folder = victim.split("/")[0]
    why = f"is the course's own {victim}" if "/" not in victim else f"is inside the course's {folder}/ folder"
    assert why in err and f"write the {kind} somewhere else, such as" in err
    assert _course_files(good_course) == before


@pytest.mark.parametrize("command,kind", [("pdf", "PDF"), ("scorm", "SCORM package")])
@pytest.mark.parametrize("other", ["minutes.odt", "minutes.pdf"])
def test_output_file_that_is_another_document_is_not_overwritten(good_course, run, tmp_path, command, kind, other):
    """A signed PDF is not a SCORM package; a Word or OpenDocument file is a zip, but not a SCORM package either."""
    other = tmp_path / other
    if other.suffix == ".odt":
        with zipfile.ZipFile(other, "w") as document:
            document.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            document.writestr("content.xml", "<office:document-content/>")
    else:
        other.write_bytes(b"%PDF-1.7 signed minutes")
    before = other.read_bytes()
    code, _, err = run(command, "-o", str(other), str(good_course))
    if (command, other.suffix) == ("pdf", ".pdf"):
        assert code == 0  # a PDF replaced by the PDF asked for: what -o is for
        return
    assert code == 1
    assert f"{other} exists and is not a {kind}, so it was not overwritten" in err
    assert other.read_bytes() == before


def test_an_earlier_scorm_package_is_replaced(good_course, run, tmp_path, good_scorm_package):
    earlier = tmp_path / "course.zip"
    earlier.write_bytes(good_scorm_package.read_bytes())
    assert run("scorm", "-o", str(earlier), str(good_course))[0] == 0


def test_output_file_rules(good_course, tmp_path):
    (tmp_path / "old.pdf").write_bytes(b"%PDF-1.7 earlier handout")
    (tmp_path / "empty.pdf").write_bytes(b"")
    check_output_file(good_course, tmp_path / "old.pdf", "PDF")  # what the command makes: replaced
    check_output_file(good_course, tmp_path / "empty.pdf", "PDF")  # nothing to lose
    check_output_file(good_course, tmp_path / "new" / "course.zip", "SCORM package")
    with pytest.raises(OutputError, match="is a folder; give a file name"):
        check_output_file(good_course, tmp_path, "PDF")
    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_text("made by coursekit")
    with pytest.raises(OutputError, match="a site folder that the next build replaces whole"):
        check_output_file(good_course, site / "handout.pdf", "PDF")


# --- the swap ----------------------------------------------------------------------------------------

def _site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("made by coursekit")
    (folder / "index.html").write_text(text)
    return folder


def _fill(text: str):
    def fill(folder: Path) -> str:
        (folder / "index.html").write_text(text)
        return text
    return fill


def test_swap_exchanges_in_one_step_on_linux(tmp_path, monkeypatch):
    target = _site(tmp_path / "site", "old")
    calls = []
    real = outputs.exchange
    monkeypatch.setattr(outputs, "exchange", lambda a, b: calls.append((a, b)) or real(a, b))
    assert replace_folder(target, _fill("new")) == "new"
    assert (target / "index.html").read_text() == "new" and (target / MARKER).is_file()
    assert len(calls) == 1 and calls[0][1] == target
    if sys.platform.startswith("linux"):
        assert outputs._renameat2() is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_swap_without_exchange_uses_two_renames(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "exchange", lambda a, b: False)  # another system, or a file system refusing it
    target = _site(tmp_path / "site", "old")
    assert replace_folder(target, _fill("new")) == "new"
    assert (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_a_failed_swap_puts_the_previous_site_back(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "exchange", lambda a, b: False)
    target = _site(tmp_path / "site", "previous")
    real_rename = os.rename

    def failing_rename(source, destination):
        if Path(source).name.startswith(".site-new-"):
            raise OSError(28, "No space left on device")
        return real_rename(source, destination)

    monkeypatch.setattr(outputs.os, "rename", failing_rename)
    with pytest.raises(OSError):
        replace_folder(target, _fill("new"))
    monkeypatch.undo()
    assert (target / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_a_failed_fill_leaves_the_target_and_no_staging(tmp_path):
    target = _site(tmp_path / "site", "previous")
    assert replace_folder(target, lambda folder: None) is None
    with pytest.raises(ZeroDivisionError):
        replace_folder(target, lambda folder: 1 / 0)
    assert (target / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_recovery_restores_a_site_moved_aside_and_removes_only_its_own_leftovers(tmp_path):
    target = tmp_path / "site"
    _site(tmp_path / ".site-old-0123abcd", "previous")  # killed between the two renames: no site at target
    _site(tmp_path / ".site-new-89abcdef", "half built")  # killed while building
    (tmp_path / ".site-new-00000000").mkdir()  # killed just before removing an emptied folder
    not_ours = [tmp_path / ".site-new-feedf00d", tmp_path / ".site-notes", tmp_path / ".site-a-new-0123abcd"]
    for folder in not_ours:
        folder.mkdir()
        (folder / "keep.txt").write_text("a trainer's file")
    (not_ours[2] / MARKER).write_text("another target's build, maybe running now")
    recover(target)
    assert (target / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", *(p.name for p in not_ours)])
    assert all((folder / "keep.txt").read_text() == "a trainer's file" for folder in not_ours)


def test_a_concurrent_build_waits_then_fails_clearly(good_course, run, monkeypatch):
    monkeypatch.setattr(outputs, "BUILD_LOCK_WAIT", 0.3)
    lock = FileLock(str(good_course / ".site.lock"))
    lock.acquire()
    try:
        code, _, err = run("build", str(good_course))
    finally:
        lock.release()
    assert code == 1
    assert f"Waiting for another build into {good_course / 'site'} to finish..." in err
    assert "error: another build has been writing" in err and "for over 0.3 seconds" in err
    assert not (good_course / "site").exists()


# --- modes: as `cp` and `mkdir` give them under the umask ------------------------------------------

@pytest.fixture(params=[0o022, 0o002])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _modes(folder: Path) -> set[int]:
    return {p.stat().st_mode & 0o777 for p in [folder, *folder.rglob("*")]}


def test_site_and_exported_pages_get_the_umask_modes(good_course, run, tmp_path, umask):
    site, pages = tmp_path / "site", tmp_path / "pages"
    assert run("build", "--site-dir", str(site), str(good_course))[0] == 0
    assert run("export-markdown", str(pages), str(good_course))[0] == 0
    for folder in (site, pages):
        expected = {0o777 & ~umask, 0o666 & ~umask}  # folders, files
        assert _modes(folder) == expected, folder
    site.chmod(0o750)  # chosen by the trainer for the web server's group: a rebuild keeps it
    assert run("build", "--site-dir", str(site), str(good_course))[0] == 0
    assert site.stat().st_mode & 0o777 == 0o750


def test_written_files_get_the_umask_modes_and_replaced_files_keep_theirs(good_course, run, tmp_path, umask):
    module = good_course / "modules" / "recording.yml"
    module.chmod(0o640)
    assert run("review", "approve", "recording", "--by", "Jane", "--root", str(good_course))[0] == 0
    assert module.stat().st_mode & 0o777 == 0o640
    snapshot = good_course / "course" / "approved" / "recording.yml"
    assert snapshot.stat().st_mode & 0o777 == 0o666 & ~umask
    assert snapshot.parent.stat().st_mode & 0o777 == 0o777 & ~umask
    assert run("init", str(tmp_path / "new-course"))[0] == 0
    assert _modes(tmp_path / "new-course") == {0o777 & ~umask, 0o666 & ~umask}


# --- killed builds: the target always holds a complete site -----------------------------------------

def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def _build(course: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "coursekit", "build", "--quiet", str(course)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_until_built(course: Path, process: subprocess.Popen, limit: float, before: set[Path]) -> None:
    """Wait until this build's staging folder holds the search index, written last, just before the swap."""
    deadline = time.monotonic() + limit
    staging = None
    while time.monotonic() < deadline and process.poll() is None:
        if staging is None:
            staging = next(iter(set(course.glob(".site-new-*")) - before), None)
        elif (staging / "search" / "search_index.json").exists():
            return
        time.sleep(0.01)


def test_killed_builds_always_leave_a_complete_old_or_new_site(tmp_path):
    """SIGKILL `course build` of a 40-module course at random points: while it builds, and around its swap."""
    course = generate(tmp_path / "course", 40)
    target = course / "site"
    strangers = [course / ".site-notes", course / ".site-new-feedf00d"]  # look like leftovers, are not ours
    for folder in strangers:
        folder.mkdir()
        (folder / "keep.txt").write_text("a trainer's file")
    started = time.monotonic()
    assert _build(course).wait() == 0
    duration = time.monotonic() - started
    old = _snapshot(target)
    module = course / "modules" / "module-7.yml"
    module.write_text(module.read_text().replace("Module 7: a synthetic module", "Module 7: a new title"))
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    seen = []
    for kill in range(3):
        before = set(course.glob(".site-new-*"))  # a killed build's leftovers
        process = _build(course)
        if kill:
            _wait_until_built(course, process, 3 * duration, before)
            time.sleep(rng.uniform(0, 0.1))  # the swap, or the removal of the previous site
        else:
            time.sleep(rng.uniform(0.2, 0.9) * duration)  # while MkDocs writes the pages
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen.append(_snapshot(target))
    assert _build(course).wait() == 0
    new = _snapshot(target)
    assert new != old and "Module 7: a new title" in (target / "module-7" / "index.html").read_text()
    assert all(site in (old, new) for site in seen), f"an incomplete site after a kill (seed {seed})"
    assert sorted(p.name for p in course.iterdir() if p.name.startswith(".site")) == [
        ".site-new-feedf00d", ".site-notes", ".site.lock"]  # leftovers of killed builds removed, nothing else
    assert all((folder / "keep.txt").read_text() == "a trainer's file" for folder in strangers)


def test_a_read_only_site_folder_is_left_alone(good_course, run):
    assert run("build", str(good_course))[0] == 0
    site = good_course / "site"
    before = _files(site)
    site.chmod(0o555)
    try:
        code, _, err = run("build", str(good_course))
    finally:
        site.chmod(0o755)
    assert code == 1 and f"error: the folder {site} is read-only, so {site} was left as it is" in err
    assert _files(site) == before
