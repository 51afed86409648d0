"""Where outputs may go, and how a built folder takes the place of the previous one.

An output path can be a typo. A site folder (`course build --site-dir`, `course export-markdown DIR`)
is replaced only when it is new, empty, or was made by coursekit (it holds the MARKER file); a file
(`course pdf -o`, `course scorm -o`) never replaces a file the course reads, nor an existing file that
is not what the command makes (a PDF starts with %PDF, a zip with PK).

A new site is built in a hidden staging folder beside the target and swapped in whole. On Linux the
swap is one renameat2(RENAME_EXCHANGE): at every instant the target holds the complete old or new
site. Elsewhere it is two renames (target aside, staging in); a build killed between them leaves the
previous site aside, and the next build puts it back. The next build also removes what killed builds
left: only folders named as its staging folders are and carrying its marker, under a lock, so that it
never touches a folder it did not make nor one a concurrent build is filling.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import secrets
import shutil
import stat
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .yamlio import hold_lock, may_write

MARKER = ".coursekit-site"
MARKER_TEXT = ("This folder was made by coursekit (course build or course export-markdown).\n"
               "The next build replaces it whole: keep nothing of your own in it.\n")
# What the course reads: an output may not be one of these, nor lie inside one of these folders.
COURSE_FOLDERS = ("course", "modules", "docs", ".schema", ".course-cache", ".git")
COURSE_FILES = ("mkdocs.yml",)
BUILD_LOCK_WAIT = 600.0  # seconds a build waits for another build into the same folder

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
T = TypeVar("T")


class OutputError(Exception):
    """An output path was refused; the message says why and what to do instead. Nothing was written."""


# --- which paths may be written ----------------------------------------------------------------------

def check_output_folder(root: Path, target: Path) -> None:
    """Refuse an output folder that would replace the course's own files, a file, or a folder of other files."""
    check_not_the_course(root, target)
    check_replaceable(target)


def check_not_the_course(root: Path, target: Path) -> None:
    """Refuse a site folder that is, holds or lies inside what the course is made of: a build empties it first."""
    course, out = root.resolve(), target.resolve()
    instead = f"choose a folder of its own, such as {root / 'site'}"
    if out == course or course.is_relative_to(out):
        raise OutputError(f"{target} holds the course itself; {instead}")
    for name in COURSE_FOLDERS:
        if out.is_relative_to(course / name):
            raise OutputError(f"{target} is inside the course's {name}/ folder, whose files it would replace; {instead}")


def check_replaceable(target: Path) -> None:
    """Refuse to replace a file, or a folder holding files that coursekit did not make."""
    if os.path.lexists(target) and not target.is_dir():
        raise OutputError(f"{target} is a file, not a folder, and was left as it is; "
                          "give the name of a new or empty folder for the output")
    for place in [p for p in (target, target.parent) if p.is_dir()]:
        if not may_write(place):
            raise OutputError(f"the folder {place} is read-only, so {target} was left as it is; make it writable "
                              f"(chmod u+w {place}) if the site should be replaced")
    if target.is_dir() and not _made_here(target):
        names = sorted(p.name for p in target.iterdir())
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        raise OutputError(f"{target} already holds files that coursekit did not make ({shown}), so it was left "
                          "as it is; choose a new or empty folder, or delete this one yourself if you no longer "
                          "need what is in it")


def check_output_file(root: Path, output: Path, kind: str) -> None:
    """Refuse an output file that the course reads, a folder, or an existing file that is not a `kind`."""
    course, out = root.resolve(), output.resolve()
    instead = f"write the {kind} somewhere else, such as {root / 'build' / (output.stem + '.' + _suffix(kind))}"
    for name in COURSE_FOLDERS:
        if out.is_relative_to(course / name):
            raise OutputError(f"{output} is inside the course's {name}/ folder, which holds what the course is "
                              f"made of; {instead}")
    if out in {course / name for name in COURSE_FILES}:
        raise OutputError(f"{output} is the course's own {out.name}; {instead}")
    site = next((p for p in out.parents if (p / MARKER).is_file()), None)
    if site is not None:
        raise OutputError(f"{output} is inside {site}, a site folder that the next build replaces whole; {instead}")
    if out.is_dir():
        raise OutputError(f"{output} is a folder; give a file name, such as {output / ('course.' + _suffix(kind))}")
    if out.is_file() and out.stat().st_size and not _is_a(kind, out):
        raise OutputError(f"{output} exists and is not a {kind}, so it was not overwritten; choose another "
                          "file name, or delete that file yourself if you no longer need it")


def _suffix(kind: str) -> str:
    return "pdf" if kind == "PDF" else "zip"


def _is_a(kind: str, path: Path) -> bool:
    """Whether an existing file is a document of the kind the command writes, so that replacing it loses nothing
    of another kind. A Word, Excel or OpenDocument file is a zip too: a SCORM package is the zip with a manifest."""
    try:
        if kind == "PDF":
            with path.open("rb") as handle:
                return handle.read(4) == b"%PDF"
        with zipfile.ZipFile(path) as package:
            return "imsmanifest.xml" in package.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _made_here(folder: Path) -> bool:
    """Empty, or made by coursekit: it holds the marker, or it is a site built before there was one."""
    return (folder / MARKER).is_file() or not any(folder.iterdir()) or _site_before_markers(folder)


# What a site built by an earlier coursekit (before the marker) always holds: its home page and the runtime.
_EARLIER_SITE = ("index.html", "assets/course/quiz.js", "search/search_index.json")


def _site_before_markers(folder: Path) -> bool:
    return all((folder / name).is_file() for name in _EARLIER_SITE)


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by its path in the site, the marker left out."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).as_posix() != MARKER}


# --- replacing a folder whole ------------------------------------------------------------------------

def replace_folder(target: Path, fill: Callable[[Path], T | None],
                   on_wait: Callable[[], None] | None = None) -> T | None:
    """Fill a new folder with `fill`, then put it at `target` in one step, and return what `fill` returned.

    When `fill` returns None or raises, the new folder is removed and `target` is left as it was.
    Builds into the same target take turns (a lock beside it); `on_wait` is called if one must wait.
    """
    target = Path(os.path.realpath(target))  # through a symbolic link to the folder it names
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.parent / f".{target.name}.lock"
    with hold_lock(lock, BUILD_LOCK_WAIT, f"another build has been writing {target} for over {{wait}}", on_wait):
        recover(target)
        check_replaceable(target)
        staging = _new_folder(target, "new")
        try:
            result = fill(staging)
            if result is not None:
                _swap_in(staging, target)
        finally:
            _remove_ours(staging)  # the failed build, or after an exchange the previous site
    return result


def recover(target: Path) -> None:
    """Clean up after killed builds: put back a site moved aside if target is missing, remove the rest.

    Touches only folders beside target named as this module names its staging folders, and only when
    they carry its marker or are empty.
    """
    pattern = re.compile(re.escape(f".{target.name}-") + r"(new|old)-[0-9a-f]{8}")
    leftovers = [p for p in target.parent.iterdir() if pattern.fullmatch(p.name) and _is_ours(p)]
    aside = sorted((p for p in leftovers if p.name.startswith(f".{target.name}-old-")),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    if aside and not os.path.lexists(target):
        os.rename(aside[0], target)  # the previous site, moved aside by a build killed before its swap
        leftovers.remove(aside[0])
    for folder in leftovers:
        _remove_ours(folder)


def _is_ours(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and _made_here(folder)


def _new_folder(target: Path, kind: str) -> Path:
    """A new hidden folder beside target, with the marker in it (mode 0o777 less the umask, as mkdir)."""
    while True:
        folder = target.parent / f".{target.name}-{kind}-{secrets.token_hex(4)}"
        try:
            folder.mkdir()
            break
        except FileExistsError:
            continue
    mark(folder)  # first, so that a killed build's folder is known as ours
    return folder


def mark(folder: Path) -> None:
    """Leave the marker that lets the next build replace this folder (the MkDocs plugin marks its sites too)."""
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _swap_in(staging: Path, target: Path) -> None:
    """Put staging at target; the previous folder (if any) ends up at staging's name, to be removed."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return
    os.chmod(staging, stat.S_IMODE(target.stat().st_mode))  # the replaced folder keeps its mode
    if exchange(staging, target):
        return
    aside = _new_name(target, "old")
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(aside, target)  # a failed swap must not lose the previous site
        raise
    os.rename(aside, staging)


def _new_name(target: Path, kind: str) -> Path:
    while True:
        name = target.parent / f".{target.name}-{kind}-{secrets.token_hex(4)}"
        if not os.path.lexists(name):
            return name


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step (Linux renameat2 with RENAME_EXCHANGE).

    False, with nothing changed, where the system or the file system cannot do it.
    """
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later, musl 1.2.3
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _remove_ours(folder: Path) -> None:
    """Remove a folder this module made, its marker last: a removal cut short is still known as ours."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for entry in folder.iterdir():
        if entry.name == MARKER:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
    if [p.name for p in folder.iterdir()] not in ([], [MARKER]):
        return  # something could not be removed: keep the marker, so that the next build tries again
    with contextlib.suppress(OSError):
        (folder / MARKER).unlink(missing_ok=True)
        folder.rmdir()
