"""A torture corpus of valid module files (tests/fixtures/torture/), written back by approve and by fmt.

Each file is tried as written and with CRLF line endings, a byte-order mark, or both.
`course review approve` must keep every byte except the status value and the approval's new lines;
`course fmt` must keep the data, every comment, every anchor name, the line endings and the mark, and
must give the same text when run again, or leave the file as it is and say why.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from coursekit.fmt import FormatError, format_text
from coursekit.load import load_bytes
from coursekit.model import Approval, Module
from coursekit.review import APPROVE_CHANGES, _check_recorded, approve_text
from coursekit.validate import validate_document
from coursekit.yamlio import UnsafeWrite, comments, guard, plain_data
from coursekit.yamltext import parse, walk

from conftest import FIXTURES, GOOD

CORPUS = sorted((FIXTURES / "torture").glob("*.yml"))
BOM = "\ufeff"
VARIANTS = {
    "as-written": lambda text: text,
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "bom": lambda text: BOM + text,
    "bom-crlf": lambda text: BOM + text.replace("\n", "\r\n"),
}
# Valid files that ruamel.yaml cannot lay out without loss: fmt leaves them as they are, and says why.
FMT_KEEPS_AS_WRITTEN = {"flow-review-multiline.yml": "lose 1 comment"}  # a comment inside `{...}`
APPROVAL = Approval(by="Smith, J.", role="Legal adviser", date=dt.date(2026, 11, 23), fingerprint="0123456789abcdef")
STATUS = re.compile(r"(\ufeff?status:\s+(?:&\S+\s+)?)(['\"]?)([a-z-]+)\2(.*)", re.S)
APPROVAL_LINE = re.compile(r"\s*(-\s+)?(approvals:|by:|role:|date:|fingerprint:|\{by: )")


def _read(path: Path, variant: str) -> str:
    return VARIANTS[variant](path.read_bytes().decode("utf-8"))


def _lines(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)  # line breaks as libyaml sees them (CR kept with LF)


def _one_change(old: str, new: str) -> tuple[str, str]:
    """(what was removed, what was inserted) when `new` is `old` with one stretch changed."""
    prefix = len(os.path.commonprefix([old, new]))
    suffix = len(os.path.commonprefix([old[prefix:][::-1], new[prefix:][::-1]]))
    return old[prefix:len(old) - suffix], new[prefix:len(new) - suffix]


def _is_intended(old_line: str, new_line: str) -> bool:
    """The status value set to approved, an approval added inside a flow line, `[]` removed, or a last
    line given its line break."""
    was, now = STATUS.fullmatch(old_line), STATUS.fullmatch(new_line)
    if was:  # same key, anchor and quotes; only the padding before a comment may change
        return bool(now) and now[3] == "approved" and was.group(1, 2) == now.group(1, 2) and was[4].lstrip(" ") == now[4].lstrip(" ")
    if not old_line.endswith("\n") and new_line.rstrip("\r\n") == old_line:
        return True  # the last line gets a line break, so that the approval's lines can follow it
    removed, inserted = _one_change(old_line, new_line)
    if not removed:
        return "by: " in inserted and "fingerprint: " in inserted
    return not inserted and removed.strip() == "[]"


def assert_only_the_approval_changed(old: str, new: str) -> None:
    """Every line of `old` is in `new` byte for byte, except the status line and a line gaining the approval."""
    old_lines, new_lines = _lines(old), _lines(new)
    changed = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        added = new_lines[j1:j2]
        for line in old_lines[i1:i2]:
            match = next((a for a in added if _is_intended(line, a)), None)
            assert match is not None, f"line changed: {line!r}"
            added.remove(match)
            changed.append(line)
        assert all(APPROVAL_LINE.match(line) for line in added), added
    assert any(line.lstrip(BOM).startswith("status:") for line in changed) or "status: approved" in old


def _anchor_names(text: str) -> Counter:
    return Counter(node.anchor for _, node in walk(parse(text.removeprefix(BOM)))
                   if node.anchor and node.kind != "alias")


def test_every_corpus_file_is_a_valid_module():
    assert len(CORPUS) >= 12
    for path in CORPUS:
        module, problems = validate_document(load_bytes(path.name, path.read_bytes()), "module")
        assert module is not None and problems == [], path.name


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_approve_changes_only_the_status_and_the_approval_lines(path, variant):
    text = _read(path, variant)
    new = approve_text(text, APPROVAL)
    guard(text, new, APPROVE_CHANGES)
    _check_recorded(text, new, APPROVAL)
    assert_only_the_approval_changed(text, new)
    if "\r\n" in text:
        assert new.count("\n") == new.count("\r\n")  # the new lines take the file's line endings
    assert _anchor_names(new) == _anchor_names(text)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_fmt_keeps_everything_and_settles(path, variant):
    text = _read(path, variant)
    if path.name in FMT_KEEPS_AS_WRITTEN:
        with pytest.raises((FormatError, UnsafeWrite), match=FMT_KEEPS_AS_WRITTEN[path.name]):
            format_text(text, Module)
        return
    out = format_text(text, Module)
    assert format_text(out, Module) == out
    assert plain_data(out) == plain_data(text)
    assert Counter(comments(out)) == Counter(comments(text))
    assert _anchor_names(out) == _anchor_names(text)
    assert out.startswith(BOM) == text.startswith(BOM) and out.count(BOM) == text.count(BOM)
    assert out.count("\r\n") == (out.count("\n") if "\r\n" in text else 0)


def test_the_corpus_on_disk_through_the_commands(tmp_path, run):
    """approve and fmt as trainers run them: bytes read and written as they are (CRLF, byte-order mark)."""
    course = tmp_path / "course"
    shutil.copytree(GOOD, course)
    for path in CORPUS:
        (course / "modules" / path.name).write_bytes(_read(path, "bom-crlf").encode("utf-8"))
    before = {path.name: (course / "modules" / path.name).read_bytes() for path in CORPUS}
    for path in CORPUS:
        code, out, err = run("review", "approve", path.stem, "--by", "Smith, J.", "--root", str(course))
        assert code == 0, err
        after = (course / "modules" / path.name).read_bytes()
        assert_only_the_approval_changed(before[path.name].decode("utf-8"), after.decode("utf-8"))
        assert (course / "course" / "approved" / path.name).read_bytes() == after
    code, out, err = run("fmt", str(course))
    assert code == 0, out + err
    assert "kept as written: modules/flow-review-multiline.yml: the new text would lose 1 comment(s)" in out
    for path in CORPUS:
        data = (course / "modules" / path.name).read_bytes()
        assert data.startswith(BOM.encode("utf-8")) and data.count(b"\n") == data.count(b"\r\n"), path.name
