"""The only writer of trainers' files: comments found independently, guarded writes, atomic replaces."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coursekit import yamlio
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


def test_trailing_lines_move_to_a_new_last_entry():
    data = round_trip().load("review:\n  owner: Team  # who\n\n# next part\nnext: 1\n")
    review = data["review"]
    trailing = detach_trailing(review)
    review["added"] = "yes"
    attach_trailing(review, trailing)
    assert dump_round_trip(data) == "review:\n  owner: Team  # who\n  added: yes\n\n# next part\nnext: 1\n"
