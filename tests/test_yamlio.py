"""The only writer of trainers' files: comments found independently, guarded writes, atomic replaces."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from coursekit import cli, yamlio
from coursekit.yamlio import (
    UnsafeWrite, attach_trailing, comments, detach_trailing, dump_round_trip, guard, round_trip, write_atomic,
    write_guarded,
)

COMMENTED = """\
# header comment
title: "A # inside quotes"   # after a quoted value
tag: a#b                     # a hash without a space before it is text
body: |   # on the block header
  # inside a block: text, not a comment
  more text
# between keys

list: [1, 2]  # after a flow list
"""


def test_comments_are_found_outside_scalars_only():
    assert comments(COMMENTED) == [
        "# header comment",
        "# after a quoted value",
        "# a hash without a space before it is text",
        "# on the block header",
        "# between keys",
        "# after a flow list",
    ]


def test_guard_accepts_a_text_that_keeps_everything():
    guard(COMMENTED, dump_round_trip(round_trip().load(COMMENTED)))


def test_guard_refuses_a_lost_comment():
    with pytest.raises(UnsafeWrite, match="lose 1 comment"):
        guard(COMMENTED, COMMENTED.replace("# between keys\n", ""))


def test_guard_refuses_changed_data_unless_allowed():
    changed = COMMENTED.replace("more text", "other text")
    with pytest.raises(UnsafeWrite, match="change data"):
        guard(COMMENTED, changed)
    guard(COMMENTED, changed, may_change=[("body",)])


def test_guard_refuses_a_text_that_cannot_be_read_back():
    with pytest.raises(UnsafeWrite, match="could not be read back"):
        guard("a: 1\n", "a: [1\n")


def test_refused_guarded_write_leaves_the_file_alone(tmp_path: Path):
    path = tmp_path / "m.yml"
    path.write_text(COMMENTED)
    with pytest.raises(UnsafeWrite):
        write_guarded(path, COMMENTED, COMMENTED.replace("# header comment\n", ""))
    assert path.read_text() == COMMENTED


@pytest.mark.parametrize("fail_in", ["fsync", "replace"])
def test_interrupted_write_leaves_the_original_intact(tmp_path: Path, monkeypatch, fail_in):
    path = tmp_path / "module.yml"
    path.write_text("original: true\n")

    def interrupt(*_args, **_kwargs):
        raise KeyboardInterrupt  # as if the trainer pressed Ctrl-C mid-write

    monkeypatch.setattr(yamlio.os, fail_in, interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new: " + "x" * 100_000 + "\n")
    monkeypatch.undo()
    assert path.read_text() == "original: true\n"
    assert os.listdir(tmp_path) == ["module.yml"]  # no temporary file left behind


def test_atomic_write_keeps_the_file_mode(tmp_path: Path):
    path = tmp_path / "m.yml"
    path.write_text("a: 1\n")
    path.chmod(0o640)
    write_atomic(path, "a: 2\n")
    assert path.read_text() == "a: 2\n" and (path.stat().st_mode & 0o777) == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can own another user's file")
def test_a_write_as_root_keeps_the_trainers_ownership(tmp_path: Path):
    """`sudo course fmt` must not leave a trainer's module owned by root, which they could no longer save."""
    path = tmp_path / "m.yml"
    path.write_text("a: 1\n")
    os.chown(path, 1234, 2345)
    write_atomic(path, "a: 2\n")
    assert path.read_text() == "a: 2\n" and (path.stat().st_uid, path.stat().st_gid) == (1234, 2345)


def test_trailing_lines_move_to_a_new_last_entry():
    data = round_trip().load("review:\n  owner: Team  # who\n\n# next part\nnext: 1\n")
    review = data["review"]
    trailing = detach_trailing(review)
    review["added"] = "yes"
    attach_trailing(review, trailing)
    assert dump_round_trip(data) == "review:\n  owner: Team  # who\n  added: yes\n\n# next part\nnext: 1\n"


# --- several files: all or none -------------------------------------------------------------------------

def test_write_files_changes_all_or_none(tmp_path: Path, monkeypatch):
    first, second = tmp_path / "a.yml", tmp_path / "sub" / "new" / "b.yml"
    first.write_text("a: old\n")
    real_replace = os.replace

    def fail_second(source, destination):
        if Path(destination) == second:
            raise OSError(5, "Input/output error")
        return real_replace(source, destination)

    monkeypatch.setattr(yamlio.os, "replace", fail_second)
    with pytest.raises(yamlio.WriteError, match=f"could not write {second}: Input/output error; no file was changed"):
        yamlio.write_files({first: "a: new\n", second: "b: new\n"})
    monkeypatch.undo()
    assert first.read_text() == "a: old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yml"]  # no temporary, kept copy or new folder left
    yamlio.write_files({first: "a: new\n", second: "b: new\n"})
    assert first.read_text() == "a: new\n" and second.read_text() == "b: new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yml", "sub"]


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_a_stop_signalled_between_two_renames_waits_until_both_are_done(tmp_path: Path, monkeypatch, stop):
    """Ctrl-C or `kill` landing just after the first of two renames: the second still happens, then the command
    stops; never one file changed and the other not."""
    first, second = tmp_path / "a.yml", tmp_path / "b.yml"
    first.write_text("a: old\n")
    second.write_text("b: old\n")
    real_replace = os.replace

    def replace_then_signal(source, destination):
        real_replace(source, destination)
        if Path(destination) == first:
            signal.raise_signal(getattr(signal, stop))

    monkeypatch.setattr(yamlio.os, "replace", replace_then_signal)
    # Ctrl-C as Python handles it in `course` (a browser test's driver may have left another handler in this
    # process), and kill as the `course` command handles it.
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with cli._stops_clean_up(), pytest.raises(KeyboardInterrupt):
            yamlio.write_files({first: "a: new\n", second: "b: new\n"})
    finally:
        signal.signal(signal.SIGINT, before)
    assert first.read_text() == "a: new\n" and second.read_text() == "b: new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yml", "b.yml"]  # no temporary or kept copy left


def test_write_files_refuses_a_read_only_file_before_writing_any(tmp_path: Path):
    first, second = tmp_path / "a.yml", tmp_path / "b.yml"
    first.write_text("a: old\n")
    second.write_text("b: old\n")
    second.chmod(0o444)
    with pytest.raises(yamlio.WriteError, match=f"the file {second} is read-only"):
        yamlio.write_files({first: "a: new\n", second: "b: new\n"})
    assert first.read_text() == "a: old\n" and second.read_text() == "b: old\n"


def test_new_files_get_the_umask_mode(tmp_path: Path):
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "out" / "handout.pdf", b"%PDF-1.7")
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "handout.pdf").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o750


def test_comments_are_found_after_a_byte_order_mark():
    assert comments("\ufeff# top\na: '# not a comment'  # after\n") == ["# top", "# after"]


def test_a_flow_item_with_a_comment_after_a_comment_line_round_trips():
    """ruamel.yaml wrote `- id: b text: B` here (text that no longer parses); yamlio's emitter does not."""
    text = "list:\n  # a comment line\n  - {id: a, text: A}  # a note\n  - id: b\n    text: B\n"
    assert dump_round_trip(round_trip().load(text)) == text


def test_a_symbolic_link_is_written_through(tmp_path: Path):
    (tmp_path / "v3.pdf").write_bytes(b"%PDF old")
    (tmp_path / "latest.pdf").symlink_to("v3.pdf")
    write_atomic(tmp_path / "latest.pdf", b"%PDF new")
    assert (tmp_path / "latest.pdf").is_symlink() and (tmp_path / "v3.pdf").read_bytes() == b"%PDF new"
