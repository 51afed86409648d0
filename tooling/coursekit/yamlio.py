"""The only way coursekit writes trainers' files: round-trip YAML that keeps comments, and atomic replaces."""

from __future__ import annotations

import bisect
import contextlib
import copy
import io
import os
import re
import secrets
import shutil
import signal
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.events import MappingEndEvent, SequenceEndEvent
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from .stops import STOPS, handled

try:  # libyaml's parser, as the loader uses
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_WHOLE = object()  # "the whole collection", as opposed to one of its entries


class _Emitter(RoundTripEmitter):
    """ruamel's emitter, with its line break after a flow collection's end-of-line comment fixed.

    In a block list that starts with a comment line, an item such as `- {id: a, text: A}  # note`
    left the emitter believing it still stood just after a `- `, so the next item's second key was
    written on the same line (`- id: b text: B`): text that no longer parses. After writing such a
    comment the emitter is at the start of a new line, and is told so here.
    """

    def expect_flow_mapping_key(self) -> None:
        closing = isinstance(self.event, MappingEndEvent) and bool(self.event.comment and self.event.comment[0])
        super().expect_flow_mapping_key()
        if closing:
            self.no_newline = False

    def expect_flow_sequence_item(self) -> None:
        closing = isinstance(self.event, SequenceEndEvent) and bool(self.event.comment and self.event.comment[0])
        super().expect_flow_sequence_item()
        if closing:
            self.no_newline = False


def round_trip() -> YAML:
    """A ruamel.yaml instance that keeps comments, key order, quoting and blank lines."""
    yaml = YAML(typ="rt")
    yaml.Emitter = _Emitter
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap trainers' long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_round_trip(path: Path) -> Any:
    """Read a YAML file keeping everything needed to write it back unchanged."""
    return round_trip().load(path.read_text(encoding="utf-8"))


def dump_round_trip(data: Any) -> str:
    """Serialise round-trip data to text."""
    out = io.StringIO()
    round_trip().dump(data, out)
    return out.getvalue()


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write one file via a temporary file in the same folder, then rename: readers see the old or the new file."""
    write_files({path: text})


# --- writing files: all or none, with the modes `cp` would give --------------------------------------

class WriteError(Exception):
    """Files could not be written; every file is as it was before. The message says which and why."""


def write_files(files: Mapping[Path, str | bytes]) -> None:
    """Write several files so that either all change or none does.

    Every new content is first written and synced to a temporary file beside its target; only then are
    the temporaries renamed over the targets, one by one. If a rename fails, the targets already
    replaced get their kept copy (a hard link to the old file) back. New files get the mode the umask
    gives (as `cp` would), replaced files keep theirs; a file or folder without any write permission is
    taken as read-only and refused before anything is written.
    """
    items = [(_through_link(Path(p)), data.encode("utf-8") if isinstance(data, str) else data)
             for p, data in files.items()]
    for path, _ in items:
        _refuse_read_only(path)
    new_folders = _missing_folders(path for path, _ in items)
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []  # every temporary, named as soon as it exists, so a stop at any point removes it
    current = None
    try:
        for current, data in items:
            staged.append((current, _stage(current, data, made)))
        current = None
        _install(staged, keep=len(staged) > 1)
    except BaseException as exc:
        for tmp in made:
            tmp.unlink(missing_ok=True)
        for folder in new_folders:  # deepest first; only folders this write made, and only if empty
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, OSError):
            where = current or exc.filename
            raise WriteError(f"could not write {where}: {exc.strerror or exc}; no file was changed") from exc
        raise


def write_generated(files: Mapping[Path, str], made_here: Callable[[str], bool], command: str) -> None:
    """Write files that a command generates (the references, the schemas): all or none, and never over a file
    of the same name that the command did not write, such as a trainer's own notes."""
    for path in files:
        if path.is_dir() or (path.exists() and not made_here(_text_or_nothing(path))):
            raise WriteError(f"{path} exists and was not written by `{command}`, so no file was written; "
                             "write into another folder, or move that file away first")
    write_files(files)


def _text_or_nothing(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _through_link(path: Path) -> Path:
    """The file a symbolic link names (written through, as `cp` would), or the path itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _missing_folders(paths: Iterable[Path]) -> list[Path]:
    """The folders that writing `paths` will create, deepest first."""
    missing: set[Path] = set()
    for path in paths:
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            missing.add(folder)
            folder = folder.parent
    return sorted(missing, key=lambda p: len(p.parts), reverse=True)


def _refuse_read_only(path: Path) -> None:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the folder that would hold the new folders
    for place in ([path] if path.exists() else []) + [folder]:
        if not may_write(place):
            what = "folder" if place.is_dir() else "file"
            raise WriteError(f"the {what} {place} is read-only, so {path} was not written and no file was "
                             f"changed; make it writable (chmod u+w {place}) if it should change")


def may_write(path: Path) -> bool:
    """Writable by us, and not marked read-only: root may write anything, but a file without any write
    permission says the user wants it left alone."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _stage(path: Path, data: bytes, made: list[Path]) -> Path:
    """Write `data` to a new temporary file beside `path`, with the mode `path` will have; return it, and add
    it to `made` as soon as it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)  # mode 0o777 less the umask, as mkdir -p
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        made.append(tmp)
        try:  # 0o666 less the umask, as `cp` creates files (tempfile.mkstemp would give 0o600)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            break
        except FileExistsError:
            made.pop()  # another file's name: never remove it
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            if path.exists():
                _same_owner_and_mode(tmp, path.stat())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _same_owner_and_mode(tmp: Path, old: os.stat_result) -> None:
    """A replaced file keeps its mode, and its owner where we may set it: `sudo course fmt` must not leave a
    trainer's module owned by root, which they could then no longer save."""
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):  # only root may give a file away; others own what they write
            os.chown(tmp, old.st_uid, old.st_gid)


def _install(staged: list[tuple[Path, Path]], keep: bool) -> None:
    """Rename each temporary over its target; on any failure put back the targets already replaced.

    Ctrl-C, `kill` and a closed terminal wait until the renames are done (milliseconds): stopped between two
    renames, a command would leave one file changed and another not, such as a module approved without its
    approved copy."""
    done: list[tuple[Path, Path, Path | None]] = []
    kept: list[Path] = []
    with _stops_held():
        try:
            for path, tmp in staged:
                copy_ = _kept_name(path) if keep and path.exists() else None
                if copy_ is not None:
                    kept.append(copy_)
                    _keep_copy(path, copy_)
                done.append((path, tmp, copy_))  # before the rename, so a failure just after it still undoes it
                try:
                    os.replace(tmp, path)
                except OSError as exc:  # name the file the user knows, not the temporary
                    raise OSError(exc.errno, exc.strerror, str(path)) from exc
        except BaseException:
            for path, tmp, copy_ in reversed(done):
                if tmp.exists():
                    continue  # not renamed: the target is as it was
                if copy_ is not None:
                    os.replace(copy_, path)
                else:
                    path.unlink(missing_ok=True)
            raise
        finally:
            for copy_ in kept:
                copy_.unlink(missing_ok=True)
    for folder in {path.parent for path, _ in staged}:
        _sync_folder(folder)


@contextlib.contextmanager
def _stops_held() -> Iterator[None]:
    """Hold back the signals that stop a command until the block is done, then deliver the first one."""
    arrived: list[int] = []
    try:
        with handled(STOPS, lambda signum, _frame: arrived.append(signum)):
            yield
    finally:
        if arrived:
            signal.raise_signal(arrived[0])  # to the handler the command had: Ctrl-C raises KeyboardInterrupt


def _kept_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.kept")


def _keep_copy(path: Path, copy_: Path) -> None:
    """A second name for the current file (a hard link; a copy where links are not supported)."""
    try:
        os.link(path, copy_)
    except OSError:
        shutil.copy2(path, copy_)


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (where the system lets a folder be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- one writer at a time ----------------------------------------------------------------------------

LOCK_FILE = ".course-cache/course.lock"
LOCK_WAIT = 30.0  # seconds a command waits for another one changing the same course


@contextlib.contextmanager
def course_lock(root: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the course's write lock: commands that change trainers' files run one at a time.

    A second command waits (at most `wait` seconds, LOCK_WAIT by default) and must then read the files
    afresh, under the lock, so that no update is lost.
    """
    with hold_lock(root / LOCK_FILE, LOCK_WAIT if wait is None else wait,
                   f"another course command has been changing {root} for over {{wait}}"):
        yield


@contextlib.contextmanager
def hold_lock(path: Path, wait: float, busy: str, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock file `path`, waiting at most `wait` seconds; `busy` says why it failed ({wait} filled in).

    `on_wait` is called once if the lock is taken by another process, before waiting for it.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if on_wait is not None:
                on_wait()
            lock.acquire(timeout=wait)
    except Timeout:
        seconds = f"{wait:g} second{'s' if wait != 1 else ''}"
        raise WriteError(busy.format(wait=seconds) + "; nothing was changed: try again when it has finished") from None
    except OSError as exc:
        raise WriteError(f"cannot take the lock {path}: {exc.strerror or exc}; nothing was changed") from None
    try:
        yield
    finally:
        lock.release()


# --- guarding writes: nothing a trainer wrote may be lost ---------------------------------------------

_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#", re.MULTILINE)  # where a comment may start


class UnsafeWrite(Exception):
    """A write was refused because it would lose a comment or change data it was not asked to change."""


def comments(text: str) -> list[str]:
    """Every comment in a YAML text, in order, each stripped of surrounding spaces.

    Found independently of ruamel (from libyaml's scalar positions), so a comment ruamel dropped on
    reading is still noticed: a `#` is a comment unless it lies inside a scalar.
    """
    text = text.removeprefix("\ufeff")  # libyaml's positions do not count a byte-order mark
    spans = _scalar_spans(text)
    starts = [s for s, _ in spans]
    found, line_done = [], -1
    for match in _COMMENT.finditer(text):
        at = match.start()
        i = bisect.bisect_right(starts, at) - 1
        if at < line_done or (i >= 0 and spans[i][0] <= at < spans[i][1]):
            continue
        end = text.find("\n", at)
        line_done = len(text) if end < 0 else end
        found.append(text[at:line_done].strip())
    return found


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.ScalarEvent):
            start, end = event.start_mark.index, event.end_mark.index
            if event.style in ("|", ">"):  # the header line `|  # note` may carry a comment of its own
                header_end = text.find("\n", start)
                start = end if header_end < 0 else min(header_end, end)
            spans.append((start, end))
    return sorted(spans)


def plain_data(text: str) -> Any:
    """The data of a YAML text exactly as the checker reads it (scalars as text, key order ignored by ==)."""
    from .load import load_bytes

    return load_bytes("(text)", text.encode("utf-8")).data


def without(data: Any, paths: Iterable[tuple[Any, ...]]) -> Any:
    """A deep copy of `data` with the values at `paths` removed (paths that do not exist are ignored)."""
    data = copy.deepcopy(data)
    for path in paths:
        parent = data
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
    return data


def guard(old: str, new: str, may_change: Iterable[tuple[Any, ...]] = ()) -> None:
    """Refuse (raise UnsafeWrite) unless `new` keeps every comment of `old` and all its data outside `may_change`."""
    try:
        after = plain_data(new)
    except Exception as exc:  # noqa: BLE001 - any failure to re-read means the write is not safe
        raise UnsafeWrite(f"the new text could not be read back ({exc})") from None
    lost = Counter(comments(old)) - Counter(comments(new))
    if lost:
        raise UnsafeWrite(f"the new text would lose {sum(lost.values())} comment(s), e.g. `{next(iter(lost))}`")
    paths = list(may_change)
    if without(plain_data(old), paths) != without(after, paths):
        raise UnsafeWrite("the new text would change data it was not asked to change")


def write_guarded(path: Path, old: str, new: str, may_change: Iterable[tuple[Any, ...]] = ()) -> None:
    """Check `new` against `old` with guard(), then write it atomically."""
    guard(old, new, may_change)
    write_atomic(path, new)


# --- moving the lines between entries ----------------------------------------------------------------
# ruamel stores the blank lines and full-line comments that come between two entries as a comment
# after the first entry's last scalar. Appending or reordering entries would leave them in the wrong
# place, so callers detach them first and attach them after whichever entry ends up before them.

def _leaf_slot(node: Any) -> tuple[Any, Any, int] | None:
    """Where the comment after a collection's last scalar lives: (container, key or index, slot)."""
    if isinstance(node, CommentedMap) and node:
        key = next(reversed(node))
        return _leaf_slot(node[key]) or (node, key, 2)
    if isinstance(node, CommentedSeq) and node:
        return _leaf_slot(node[-1]) or (node, len(node) - 1, 0)
    return None


def _slot(node: Any, key: Any = _WHOLE) -> tuple[Any, Any, int] | None:
    if key is _WHOLE:
        return _leaf_slot(node)
    return _leaf_slot(node[key]) or (node, key, 2 if isinstance(node, CommentedMap) else 0)


def _is_block(container: Any, where: Any) -> bool:
    """Whether the value at the slot is a `|` or `>` block, whose comment holds only the lines after it."""
    return isinstance(container[where], (LiteralScalarString, FoldedScalarString))


def detach_trailing(node: Any, key: Any = _WHOLE) -> str:
    """Remove and return the lines after the last line of `node` (or of its entry `key`)."""
    slot = _slot(node, key)
    if slot is None:
        return ""
    container, where, index = slot
    entry = container.ca.items.get(where)
    token = entry[index] if entry and len(entry) > index else None
    if not isinstance(token, CommentToken):
        return ""
    if _is_block(container, where):
        entry[index] = None
        return token.value
    if "\n" not in token.value:
        return ""
    head, rest = token.value.split("\n", 1)
    if not rest:
        return ""
    if head.strip():  # the entry's own end-of-line comment stays with it
        entry[index] = copy.copy(token)
        entry[index].value = head + "\n"
    else:
        entry[index] = None
    return rest


def attach_trailing(node: Any, trailing: str, key: Any = _WHOLE, column: int | None = None) -> None:
    """Put detached lines after the last line of `node` (or of its entry `key`), comments at `column` if given.

    Re-indenting matters after a `|` block: a comment indented deeper than the block's text would become text.
    """
    slot = _slot(node, key)
    if not trailing or slot is None:
        return
    if column is not None:
        trailing = "".join(" " * column + line.lstrip() if line.strip() else line
                           for line in trailing.splitlines(keepends=True))
    container, where, index = slot
    entry = container.ca.items.setdefault(where, [None, None, None, None])
    while len(entry) <= index:
        entry.append(None)
    token = entry[index]
    if isinstance(token, CommentToken):
        entry[index] = copy.copy(token)
        entry[index].value = token.value + ("" if token.value.endswith("\n") else "\n") + trailing
    else:
        entry[index] = CommentToken(trailing if _is_block(container, where) else "\n" + trailing, CommentMark(0))
