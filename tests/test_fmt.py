"""`course fmt`: one layout, keys in contract order, every comment and value kept, a second run a no-op."""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from coursekit.check import check_course
from coursekit.fmt import format_text
from coursekit.model import CourseInfo, Module
from coursekit.yamlio import comments, plain_data

from conftest import GOOD

SAMPLE = Path(__file__).resolve().parents[1]
MODULE_ORDER = list(Module.model_fields)

# A valid module with its keys out of contract order, odd indentation and comments everywhere.
MESSY = """\
# Recording evidence (messy layout on purpose)
title: Recording evidence        # the title
id: recording
status: in-review
version: 1.0.0
summary: Capture the whole exchange.
duration_minutes: 20
review:
    next_review_due: 2027-04-01  # due
    owner: Test Team
    last_reviewed: 2026-10-01

# Questions come before sections here
questions:
-   type: true_false
    id: both-sides
    objective: both-sides
    answer: false                # not true
    prompt: Only the subject's messages need recording.
    explanation: The officer's own messages are material too.
sections:
-   title: Capture everything
    id: capture
    body: |
        Capture both sides; see [the legal line](module:legal-line).
objectives:
-   text: Record both sides of every exchange.
    id: both-sides               # assessed by both-sides
# end
"""


def _keys_in_contract_order(data: dict) -> bool:
    return [k for k in MODULE_ORDER if k in data] == list(data)


def test_fmt_orders_keys_indents_and_keeps_every_comment():
    out = format_text(MESSY, Module)
    assert Counter(comments(out)) == Counter(comments(MESSY))
    assert plain_data(out) == plain_data(MESSY)
    data = plain_data(out)
    assert _keys_in_contract_order(data)
    assert list(data["review"]) == ["owner", "last_reviewed", "next_review_due"]
    assert list(data["questions"][0]) == ["id", "objective", "type", "prompt", "answer", "explanation"]
    assert "\n  - id: capture\n    title: Capture everything\n    body: |\n      Capture both sides;" in out
    assert "# Questions come before sections here\nquestions:" in out  # a comment above a key moves with it
    assert format_text(out, Module) == out


def test_fmt_orders_the_keys_of_conversations_and_drafts_as_the_model_declares_them():
    module = (GOOD / "modules/legal-line.yml").read_text()
    debrief = "            debrief: Every message that matters is his; the officer gave no more than an unexceptional opportunity.\n"
    swaps = [
        ("            - text: 13. u?\n              verdict: within\n",
         "            - verdict: within          # the reply's verdict first\n              text: 13. u?\n"),
        ("        - id: end-goes-ahead\n          ending:\n            title: The case goes ahead\n            verdict: within\n"
         + debrief,
         "        - ending:\n            verdict: within\n            title: The case goes ahead\n" + debrief
         + "          id: end-goes-ahead\n"),
        ("      setting: A public chat room; the officer's persona is 13.\n      start: opening\n",
         "      start: opening\n      setting: A public chat room; the officer's persona is 13.\n"),
        ("    checklist:\n      - Does not propose a time or place.\n      - Stays in the persona's voice.\n", ""),
        ("    model_answer: |\n", "    checklist:\n      - Does not propose a time or place.\n"
         "      - Stays in the persona's voice.\n    model_answer: |\n"),
    ]
    messy = module
    for old, new in swaps:
        assert old in messy, old
        messy = messy.replace(old, new, 1)
    assert messy != module
    out = format_text(messy, Module)
    data = plain_data(out)
    conv = data["sections"][2]["conversation"]
    assert list(conv) == ["setting", "start", "steps"]
    assert list(conv["steps"][0]["replies"][0]) == ["text", "verdict", "feedback", "next"]
    assert list(conv["steps"][3]) == ["id", "ending"] and list(conv["steps"][3]["ending"]) == ["title", "verdict", "debrief"]
    assert list(data["questions"][3])[-4:] == ["prompt", "model_answer", "checklist", "explanation"]
    assert Counter(comments(out)) == Counter(comments(messy)) and format_text(out, Module) == out


def test_fmt_command_formats_a_course_and_a_second_run_changes_nothing(good_course, run):
    (good_course / "modules/recording.yml").write_text(MESSY)
    code, out, _ = run("fmt", str(good_course))
    assert code == 0
    assert "Formatted modules/recording.yml" in out and "Formatted course/references.yml" in out
    first = {p: p.read_text() for p in good_course.rglob("*.yml")}
    assert check_course(good_course).diagnostics == []
    code, out, _ = run("fmt", str(good_course))
    assert code == 0 and out.strip() == "0 files reformatted, 5 already formatted."
    assert {p: p.read_text() for p in good_course.rglob("*.yml")} == first


def test_fmt_check_reports_and_writes_nothing(good_course, run):
    (good_course / "modules/recording.yml").write_text(MESSY)
    code, out, _ = run("fmt", "--check", str(good_course / "modules/recording.yml"))
    assert code == 1 and out.splitlines()[0] == "Would reformat modules/recording.yml"
    assert (good_course / "modules/recording.yml").read_text() == MESSY


def test_fmt_refuses_a_file_that_does_not_pass_check(good_course, run):
    broken = MESSY.replace("title: Recording evidence ", "titel: Recording evidence")
    (good_course / "modules/recording.yml").write_text(broken)
    code, out, _ = run("fmt", str(good_course))
    assert code == 1
    assert "modules/recording.yml:2:1: error: unknown key `titel`" in out
    assert "not formatted: modules/recording.yml" in out
    assert (good_course / "modules/recording.yml").read_text() == broken


def test_fmt_of_one_module_kept_elsewhere_behind_a_symlink_formats_it_through_the_link(good_course, run, tmp_path):
    kept = tmp_path / "shared-modules" / "recording.yml"
    kept.parent.mkdir()
    kept.write_text(MESSY)
    (good_course / "modules/recording.yml").unlink()
    (good_course / "modules/recording.yml").symlink_to(kept)
    code, out, err = run("fmt", str(good_course / "modules/recording.yml"))
    assert (code, err) == (0, "") and "Formatted modules/recording.yml" in out
    assert (good_course / "modules/recording.yml").is_symlink() and kept.read_text() != MESSY
    assert check_course(good_course).diagnostics == []


def test_fmt_refuses_files_it_does_not_know(good_course, run):
    code, _, err = run("fmt", str(good_course / "mkdocs.yml"))
    assert code == 1 and "not a course file" in err


def test_sample_course_modules_are_already_formatted(tmp_path, run):
    course = tmp_path / "sample"
    for folder in ("course", "modules"):
        shutil.copytree(SAMPLE / folder, course / folder)
    for path in (course / "modules").glob("*.yml"):
        assert format_text(path.read_text(), Module) == path.read_text(), path.name
    text = (course / "course/course.yml").read_text()
    assert format_text(text, CourseInfo) == text


# --- property: over generated modules, fmt keeps data and comments and is idempotent -----------------

SAFE = st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
words = st.text(SAFE, min_size=1, max_size=30).map(str.strip).filter(bool)
slugs = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
LATIN = st.characters(min_codepoint=32, max_codepoint=0x17F, blacklist_categories=("Cc",))
lines = st.text(LATIN, min_size=1, max_size=40).map(str.strip).filter(bool)
markdown = st.lists(lines, min_size=1, max_size=4).map(lambda ls: LiteralScalarString("\n".join(ls) + "\n"))
texts = st.one_of(words, markdown)
comment_text = st.text(LATIN, min_size=1, max_size=20).map(str.strip).filter(bool)
dates = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))


@st.composite
def modules(draw) -> dict:
    """A module's data with every kind of mapping the format has; optional keys sometimes present."""
    def opt(d: dict, key: str, strategy) -> dict:
        if draw(st.booleans()):
            d[key] = draw(strategy)
        return d

    message = st.fixed_dictionaries({"speaker": st.sampled_from(["subject", "officer", "note"]), "text": words})
    scenario = st.fixed_dictionaries({"setting": words, "messages": st.lists(message, min_size=1, max_size=3)})
    section = st.one_of(st.fixed_dictionaries({"id": slugs, "title": words, "body": texts}),
                        st.fixed_dictionaries({"id": slugs, "title": words, "scenario": scenario}))
    choice = st.fixed_dictionaries({"text": words}, optional={"correct": st.booleans(), "feedback": texts})
    question = st.fixed_dictionaries(
        {"id": slugs, "objective": slugs, "type": st.sampled_from(["single", "multiple", "true_false"]),
         "prompt": texts, "explanation": texts},
        optional={"scenario": slugs, "choices": st.lists(choice, min_size=2, max_size=3), "answer": st.booleans()})
    approval = st.fixed_dictionaries({"by": words, "date": dates, "fingerprint": st.from_regex(r"[0-9a-f]{16}", fullmatch=True)},
                                     optional={"role": words})
    review = st.fixed_dictionaries({"owner": words, "last_reviewed": dates, "next_review_due": dates},
                                   optional={"approvals": st.lists(approval, max_size=2)})
    module = {
        "id": draw(slugs), "title": draw(words), "summary": draw(texts), "version": "1.0.0",
        "status": draw(st.sampled_from(["draft", "in-review", "approved"])), "duration_minutes": draw(st.integers(1, 600)),
        "review": draw(review), "objectives": draw(st.lists(st.fixed_dictionaries({"id": slugs, "text": words}), min_size=1, max_size=3)),
        "sections": draw(st.lists(section, min_size=1, max_size=3)),
    }
    opt(module, "content_note", texts)
    opt(module, "trainer_notes", texts)
    opt(module, "references", st.lists(slugs, max_size=3))
    opt(module, "questions", st.lists(question, max_size=3))
    return module


def as_trainer_wrote_it(data: dict, rng: random.Random) -> str:
    """Dump `data` with shuffled keys, a random indentation and comments sprinkled over it."""
    def build(node, depth=0):
        if isinstance(node, dict):
            keys = list(node)
            rng.shuffle(keys)
            out = CommentedMap((k, build(node[k], depth + 1)) for k in keys)
            for k in keys:
                if rng.random() < 0.3 and not isinstance(out[k], (LiteralScalarString, dict, list)):
                    out.yaml_add_eol_comment(f"# note {rng.randrange(1000)} on {k}", k)
            if rng.random() < 0.3 and len(keys) > 1:  # a whole-line comment above a key, at any depth
                key = rng.choice(keys[1:])
                out.yaml_set_comment_before_after_key(key, before=f"about {key}", indent=rng.choice([0, 2, 4]))
            return out
        if isinstance(node, list):
            seq = CommentedSeq(build(v, depth + 1) for v in node)
            if node and rng.random() < 0.3 and len(node) > 1:
                seq.fa.set_flow_style() if all(isinstance(v, str) and not isinstance(v, LiteralScalarString) for v in node) else None
            return seq
        return node

    yaml = YAML(typ="rt")
    mapping = rng.choice([2, 4])
    offset = rng.choice([0, 2])
    yaml.indent(mapping=mapping, sequence=offset + rng.choice([2, 4]), offset=offset)
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(build(data), out)
    return "# a module written by hand\n" + out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=modules(), seed=st.integers(0, 2**32 - 1), comment=comment_text)
def test_fmt_keeps_data_and_comments_and_is_idempotent(data, seed, comment):
    text = as_trainer_wrote_it(data, random.Random(seed)).replace("# a module", f"# {comment}: a module")
    out = format_text(text, Module)
    assert plain_data(out) == plain_data(text)  # the data, exactly as the checker reads it
    assert Counter(comments(out)) == Counter(comments(text))
    assert format_text(out, Module) == out
    assert _keys_in_contract_order(plain_data(out))


def test_the_generator_makes_what_it_claims():
    """Guard the property test itself: shuffled keys, comments and indentation really occur."""
    data = {"id": "a", "title": "T", "summary": "S", "version": "1.0.0", "status": "draft", "duration_minutes": 5,
            "review": {"owner": "O", "last_reviewed": dt.date(2026, 1, 1), "next_review_due": dt.date(2026, 6, 1)},
            "objectives": [{"id": "o", "text": "x"}], "sections": [{"id": "s", "title": "t", "body": "b"}]}
    texts_made = [as_trainer_wrote_it(data, random.Random(seed)) for seed in range(20)]
    assert any(not _keys_in_contract_order(plain_data(t)) for t in texts_made)
    assert any(len(comments(t)) > 2 for t in texts_made)
    assert any("\n    - id:" in t or "\n-   id:" in t or "\n- id:" in t for t in texts_made)


def _needs_formatting(course: Path) -> None:
    """Move course.yml's title below its id, so that fmt has something to change there."""
    course_yml = course / "course/course.yml"
    course_yml.write_text(course_yml.read_text().replace("id: test-course", "title: x\nid: test-course", 1)
                          .replace('title: "Test course: the legal line"\n', "", 1))


def test_a_valid_file_fmt_cannot_lay_out_is_kept_and_named(good_course, run):
    """ruamel.yaml cannot read a tab before a comment after a flow mapping; libyaml (and check) can."""
    _needs_formatting(good_course)
    module = good_course / "modules/legal-line.yml"
    text = module.read_text().replace("        - speaker: officer\n          text: 13 u\n",
                                      "        - {speaker: officer, text: 13 u}\t# the persona's age\n")
    module.write_text(text)
    assert run("check", str(good_course))[0] == 0
    code, out, err = run("fmt", str(good_course))
    assert code == 0 and "internal error" not in err
    assert "kept as written: modules/legal-line.yml: ruamel.yaml, which fmt uses, cannot lay out this file" in out
    assert "Formatted course/course.yml" in out and "1 kept as written." in out
    assert module.read_text() == text
    assert list(plain_data((good_course / "course/course.yml").read_text()))[:2] == ["id", "title"]


def test_a_write_failing_half_way_leaves_every_file_as_it_was(good_course, run, monkeypatch):
    """fmt over several files changes all of them or none: a failed rename puts back those already renamed."""
    import os

    from coursekit import yamlio

    _needs_formatting(good_course)
    (good_course / "modules/recording.yml").write_text(MESSY)
    before = {p: p.read_bytes() for p in good_course.rglob("*") if p.is_file()}
    real_replace = os.replace

    def fail_for_modules(source, destination):
        if Path(destination).parent.name == "modules":
            raise OSError(28, "No space left on device")
        return real_replace(source, destination)

    monkeypatch.setattr(yamlio.os, "replace", fail_for_modules)
    code, out, err = run("fmt", str(good_course))
    monkeypatch.undo()
    assert code == 1
    assert err.strip() == (f"error: could not write {good_course / 'modules/recording.yml'}: No space left on device; "
                           "no file was changed")
    after = {p: p.read_bytes() for p in good_course.rglob("*") if p.is_file() and ".course-cache" not in p.parts}
    assert after == before  # course.yml, renamed first, was put back; no temporary or kept copy left


def test_fmt_into_a_read_only_folder_changes_nothing(good_course, run):
    """modules/ is read-only: course.yml, which could be written, is not written either."""
    _needs_formatting(good_course)
    (good_course / "modules/recording.yml").write_text(MESSY)
    folder = good_course / "modules"
    before = {p: p.read_bytes() for p in good_course.rglob("*") if p.is_file()}
    folder.chmod(0o555)
    try:
        code, _, err = run("fmt", str(good_course))
    finally:
        folder.chmod(0o755)
    assert code == 1
    assert err.strip() == (f"error: the folder {folder} is read-only, so {folder / 'recording.yml'} was not written "
                           f"and no file was changed; make it writable (chmod u+w {folder}) if it should change")
    assert {p: p.read_bytes() for p in good_course.rglob("*") if p.is_file() and ".course-cache" not in p.parts} == before
