"""Review and sign-off: approvals that keep every comment, status, changes since approval, the diff."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursekit import review as review_mod
from coursekit import yamlio
from coursekit.check import check_course
from coursekit.diagnostics import Code
from coursekit.fingerprint import module_fingerprint
from coursekit.model import Approval
from coursekit.review import Change, ReviewError, approve, approve_text, module_changes, read_module
from coursekit.yamlio import comments, plain_data

from conftest import FIXTURES
from test_fmt import as_trainer_wrote_it, modules

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tooling" / "bench"))
from synthetic import generate  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1]  # the real sample course (course/, modules/)
TODAY = dt.date(2026, 11, 23)

# The recording module as a trainer might write it: comments of every kind, blank lines, quoting.
COMMENTED = """\
# Recording evidence: written by the training team.
# Keep the wording in step with the CPIA Code.
id: recording
title: 'Recording evidence'      # single quotes kept
summary: "Capture the whole exchange."
version: 1.0.0
status: in-review                # draft | in-review | approved
duration_minutes: 20

review:
  owner: Test Team               # who keeps it current
  last_reviewed: 2026-10-01
  next_review_due: 2027-04-01    # six months on

# What learners will be able to do
objectives:
  - id: both-sides
    text: Record both sides of every exchange.

sections:
  - id: capture                  # prose
    title: Capture everything
    body: |   # Markdown
      Capture both sides; see [the legal line](module:legal-line).

questions:
  - id: both-sides
    objective: both-sides
    type: true_false
    prompt: Only the subject's messages need recording.
    answer: false
    explanation: The officer's own messages are material too.
# end of module
"""

APPROVAL_LINES = """\
  approvals:
    - by: Jane Smith
      role: Legal adviser
      date: 2026-11-23
      fingerprint: {fingerprint}
"""


@pytest.fixture
def commented(good_course: Path) -> Path:
    (good_course / "modules/recording.yml").write_text(COMMENTED)
    return good_course


def _edit(course: Path, old: str, new: str, module: str = "recording") -> None:
    path = course / f"modules/{module}.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


# --- approve -----------------------------------------------------------------------------------------

def test_approve_changes_only_status_and_the_approval_lines(commented, run):
    code, out, _ = run("review", "approve", "recording", "--by", "Jane Smith", "--role", "Legal adviser",
                       str(commented))
    assert code == 0, out
    fingerprint = module_fingerprint(read_module(commented, "modules/recording.yml"))
    expected = COMMENTED.replace("status: in-review      ", "status: approved       ").replace(
        "  next_review_due: 2027-04-01    # six months on\n",
        "  next_review_due: 2027-04-01    # six months on\n" + APPROVAL_LINES.format(fingerprint=fingerprint),
    )
    assert (commented / "modules/recording.yml").read_text() == expected  # every comment, blank line, quote kept
    assert "Approved recording: by Jane Smith (Legal adviser) on 2026-11-23" in out


def test_approval_is_recorded_with_the_content_fingerprint_and_a_snapshot(commented):
    approval = approve(commented, "recording", " Jane Smith ", None, TODAY)
    module = read_module(commented, "modules/recording.yml")
    assert module.status == "approved"
    assert module.review.approvals == [Approval(by="Jane Smith", date=TODAY, fingerprint=module_fingerprint(module))]
    assert approval == module.review.approvals[0]
    snapshot = commented / "course/approved/recording.yml"
    assert snapshot.read_text() == (commented / "modules/recording.yml").read_text()
    assert check_course(commented).diagnostics == []


def test_second_approval_is_appended_and_blank_lines_stay_put(commented):
    approve(commented, "recording", "Jane Smith", "Legal adviser", TODAY)
    approve(commented, "recording", "Sam Lee", None, TODAY + dt.timedelta(days=1))
    text = (commented / "modules/recording.yml").read_text()
    approvals = plain_data(text)["review"]["approvals"]
    assert [a["by"] for a in approvals] == ["Jane Smith", "Sam Lee"]
    assert "      fingerprint: " in text and f"      date: {TODAY + dt.timedelta(days=1)}\n" in text
    # the blank line and the comment that introduce the objectives still come right before them
    assert text.split("\n\n# What learners will be able to do\nobjectives:")[0].endswith(
        f"fingerprint: {approvals[1]['fingerprint']}")
    assert comments(text) == comments(COMMENTED)


def test_approve_text_is_pure_and_handles_an_empty_flow_list():
    text = COMMENTED.replace("  next_review_due: 2027-04-01    # six months on\n",
                             "  next_review_due: 2027-04-01\n  approvals: []\n")
    approval = Approval(by="A", role="B", date=TODAY, fingerprint="0123456789abcdef")
    new = approve_text(text, approval)
    assert plain_data(new)["review"]["approvals"] == [
        {"by": "A", "role": "B", "date": "2026-11-23", "fingerprint": "0123456789abcdef"}]
    assert "  approvals:\n    - by: A\n" in new


def test_approving_every_sample_module_keeps_all_their_comments(tmp_path):
    course = tmp_path / "sample"
    for folder in ("course", "modules"):
        shutil.copytree(SAMPLE / folder, course / folder)
    for path in sorted((course / "modules").glob("*.yml")):
        before = path.read_text()
        approve(course, path.stem, "Reviewer", "Legal adviser", TODAY)
        after = path.read_text()
        assert comments(after) == comments(before)
        assert len(after.splitlines()) == len(before.splitlines()) + 5  # approvals:, by, role, date, fingerprint
    assert check_course(course).ok(strict=True)


def test_approve_refuses_a_module_with_errors_and_writes_nothing(commented, run):
    _edit(commented, "objective: both-sides", "objective: both-side")
    before = (commented / "modules/recording.yml").read_text()
    code, out, err = run("review", "approve", "recording", "--by", "Jane", str(commented))
    assert code == 1
    assert "[objective.unknown]" in out and "fix them before approving" in err
    assert (commented / "modules/recording.yml").read_text() == before
    assert not (commented / "course/approved").exists()


def test_approve_unknown_module_and_empty_name_are_clear_errors(commented, run):
    code, _, err = run("review", "approve", "nowhere", "--by", "Jane", str(commented))
    assert code == 1 and "no module `nowhere`" in err
    code, _, err = run("review", "approve", "recordin", "--by", "Jane", str(commented))
    assert code == 1 and "no module `recordin`: modules/recordin.yml does not exist; did you mean `recording`?" in err
    code, _, err = run("review", "diff", "recordin", str(commented))
    assert code == 1 and "did you mean `recording`?" in err
    code, _, err = run("review", "approve", "recording", "--by", "  ", str(commented))
    assert code == 1 and "--by needs" in err


@pytest.mark.parametrize("fail_in", ["modules", "approved"])
def test_interrupted_approve_leaves_every_file_as_it_was(commented, monkeypatch, fail_in):
    """The module and its approved copy change together: a rename failing half-way puts the first back."""
    real_replace = os.replace

    def replace_or_die(source, destination):
        if Path(destination).parent.name == fail_in:
            raise KeyboardInterrupt  # as if the trainer pressed Ctrl-C between the two renames
        return real_replace(source, destination)

    monkeypatch.setattr(yamlio.os, "replace", replace_or_die)
    with pytest.raises(KeyboardInterrupt):
        approve(commented, "recording", "Jane", None, TODAY)
    monkeypatch.undo()
    assert (commented / "modules/recording.yml").read_text() == COMMENTED
    assert not (commented / "course/approved").exists()  # nor the folder made for the copy
    assert sorted(p.name for p in (commented / "modules").iterdir()) == ["legal-line.yml", "recording.yml"]


KILLED_AFTER_STAGING = """
import signal, sys
from coursekit import yamlio
from coursekit.cli import main
real, staged = yamlio._stage, []
def stage_then_killed(path, data, made):
    staged.append(real(path, data, made))
    if len(staged) == 2:  # both files written beside their targets, none renamed yet
        signal.raise_signal(signal.SIGTERM)
    return staged[-1]
yamlio._stage = stage_then_killed
sys.exit(main(sys.argv[1:]))
"""


def test_a_killed_approve_changes_nothing_and_leaves_no_temporary_file(commented):
    """`kill` (or a closed terminal) stops the command as Ctrl-C does: its clean-up runs, exit 128 + 15."""
    before = {p: p.read_bytes() for p in commented.rglob("*") if p.is_file()}
    done = subprocess.run([sys.executable, "-c", KILLED_AFTER_STAGING, "review", "approve", "recording",
                           "--by", "Jane", str(commented)], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr.strip()) == (143, "stopped"), done.stderr
    after = {p: p.read_bytes() for p in commented.rglob("*") if p.is_file() and ".course-cache" not in p.parts}
    assert after == {p: b for p, b in before.items() if ".course-cache" not in p.parts}
    assert not (commented / "course/approved").exists()


def test_a_command_started_to_ignore_hang_ups_still_ignores_them(commented):
    """`nohup course ...`: a closed terminal (SIGHUP) must not stop it, although a kill does stop a command."""
    script = KILLED_AFTER_STAGING.replace("signal.SIGTERM", "signal.SIGHUP")
    done = subprocess.run([sys.executable, "-c", script, "review", "approve", "recording", "--by", "Jane",
                           str(commented)], capture_output=True, text=True, timeout=60,
                          preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    assert done.returncode == 0, done.stderr
    assert (commented / "course/approved/recording.yml").is_file()


# --- status and check --------------------------------------------------------------------------------

def test_change_after_approval_is_reported_then_cleared_by_a_new_approval(commented, run):
    approve(commented, "recording", "Jane Smith", None, TODAY)
    _edit(commented, "Capture both sides;", "Capture both sides of every exchange;")

    result = check_course(commented)
    assert [(d.code, d.path, d.line) for d in result.diagnostics] == [(Code.REVIEW_CHANGED, "modules/recording.yml", 15)]
    assert result.ok() and not result.ok(strict=True)
    code, out, _ = run("review", "status", str(commented))
    assert code == 0
    assert out.splitlines()[2].split() == ["recording", "1.0.0", "approved", "Jane", "Smith,", "2026-11-23",
                                           "2027-04-01", "changed", "since", "approval"]

    approve(commented, "recording", "Sam Lee", None, TODAY)
    assert check_course(commented).diagnostics == []
    _, out, _ = run("review", "status", str(commented))
    assert "changed since approval" not in out and "Sam Lee, 2026-11-23" in out


def test_status_lists_every_module_in_course_order(good_course, run):
    code, out, _ = run("review", "status", str(good_course))
    assert code == 0
    assert out.splitlines() == [
        "MODULE      VERSION  STATUS     LAST APPROVAL  NEXT REVIEW",
        "legal-line  1.0.0    in-review  none recorded  2027-04-01   awaiting an approval",
        "recording   1.0.0    in-review  none recorded  2027-04-01   awaiting an approval",
    ]


def test_status_of_a_broken_course_prints_the_errors(good_course, run):
    _edit(good_course, "status: in-review", "status: aproved")
    code, out, _ = run("review", "status", str(good_course))
    assert code == 1 and "[schema.value]" in out


def test_sample_course_claims_no_approval_it_did_not_get():
    result = check_course(SAMPLE)
    assert all(m.status == "in-review" and not m.review.approvals for m in result.course.modules)
    assert {Code.REVIEW_CHANGED, Code.REVIEW_UNAPPROVED}.isdisjoint({d.code for d in result.diagnostics})
    assert not any(state.approved for state in result.course.sign_offs.values())


def test_a_module_not_yet_approved_is_not_compared(commented):
    approve(commented, "recording", "Jane", None, TODAY)
    _edit(commented, "status: approved", "status: in-review")
    _edit(commented, "Capture both sides;", "Capture more;")
    assert Code.REVIEW_CHANGED not in {d.code for d in check_course(commented).diagnostics}


# --- diff --------------------------------------------------------------------------------------------

def test_diff_shows_the_edited_wording_under_its_section_title(commented, run):
    approve(commented, "recording", "Jane Smith", "Legal adviser", TODAY)
    _edit(commented, "Capture both sides;", "Capture both sides of every exchange;")
    code, out, _ = run("review", "diff", "recording", str(commented))
    assert code == 0
    assert out.splitlines() == [
        'Module "recording": 1 change since the approval by Jane Smith (Legal adviser) on 2026-11-23.',
        "",
        'Section "Capture everything": Text changed',
        "    before: Capture both sides; see [the legal line](module:legal-line).",
        "    after:  Capture both sides of every exchange; see [the legal line](module:legal-line).",
    ]


def test_diff_without_changes_and_without_a_snapshot(commented, run):
    code, _, err = run("review", "diff", "recording", str(commented))
    assert code == 1 and "no approved copy" in err and "course review approve recording" in err
    approve(commented, "recording", "Jane", None, TODAY)
    code, out, _ = run("review", "diff", "modules/recording.yml", str(commented))
    assert code == 0 and out.strip() == 'Module "recording": no changes since the approval by Jane on 2026-11-23.'


def test_conversation_changes_are_shown_step_by_step_and_draft_changes_by_field():
    before = read_module(FIXTURES / "good", "modules/legal-line.yml")
    section = before.sections[2]
    conv = section.conversation
    opening, his_answer, stayed, goes_ahead, challenged = conv.steps
    reply = his_answer.replies[1].model_copy(update={"verdict": "crosses", "feedback": "Now over the line."})
    edited = his_answer.model_copy(update={"replies": [his_answer.replies[0], reply]})
    apology = stayed.model_copy(update={"id": "end-apology"})
    new_conv = conv.model_copy(update={"steps": [opening, edited, stayed, goes_ahead, apology]})
    draft = before.questions[3]
    after = before.model_copy(update={
        "sections": [*before.sections[:2], section.model_copy(update={"conversation": new_conv})],
        "questions": [*before.questions[:3], draft.model_copy(update={"checklist": ["Does not propose a time."]})],
    })
    changes = module_changes(before, after)
    where = 'Section "An evening online", step'
    assert [(c.where, c.what, c.kind) for c in changes] == [
        (f'{where} "end-challenged"', "Step removed", "removed"),
        (f'{where} "his-answer"', "Reply 2", "changed"),
        (f'{where} "end-apology"', "Step added", "added"),
        ('Question "The subject writes "wanna meet up?". Write the persona\'s re…"', "Checklist", "changed"),
    ]
    assert changes[1].before.startswith("do u have a gf? (risky) -> step end-challenged\nFeedback: You brought")
    assert changes[1].after == "do u have a gf? (crosses) -> step end-challenged\nFeedback: Now over the line."
    assert changes[3].before == "- Does not propose a time or place.\n- Stays in the persona's voice."


def test_module_changes_is_structured_data_for_the_reviewer_pdf():
    before = read_module(FIXTURES / "good", "modules/legal-line.yml")
    question = before.questions[0]
    choices = [question.choices[0], question.choices[1].model_copy(update={"text": "The officer, first."})]
    after = before.model_copy(update={
        "title": "The legal line",
        "sections": [before.sections[1], before.sections[0].model_copy(update={"title": "What courts ask"}),
                     *before.sections[2:]],
        "questions": [question.model_copy(update={"choices": choices}), *before.questions[1:2], *before.questions[3:]],
    })
    changes = module_changes(before, after)
    assert changes == [
        Change("Module", "Title", "The legal line: <entrapment> & opportunity", "The legal line"),
        Change('Section "What courts ask"', "Title", "What the court asks", "What courts ask"),
        Change("Module", "Order of sections",
               'Section "What the court asks"\nSection "A first contact"\nSection "An evening online"',
               'Section "A first contact"\nSection "What courts ask"\nSection "An evening online"'),
        Change('Question "In England and Wales the defendant\'s predisposition decides…"', "Question removed",
               changes[3].before, None),
        Change('Question "Who raised the topic first?"', "Choice 2",
               "The officer.\nFeedback: Look again at the order of messages.",
               "The officer, first.\nFeedback: Look again at the order of messages."),
    ]
    assert changes[3].kind == "removed" and "Answer: false" in changes[3].before
    assert [c.kind for c in changes] == ["changed", "changed", "changed", "removed", "changed"]


def test_diff_says_when_the_approved_copy_is_not_the_last_approval(commented, run):
    approve(commented, "recording", "Jane", None, TODAY)
    snapshot = (commented / "course/approved/recording.yml").read_text()
    _edit(commented, "Capture both sides;", "Capture more;")
    approve(commented, "recording", "Sam", None, TODAY)
    (commented / "course/approved/recording.yml").write_text(snapshot)  # as if the copy had not been renewed
    _, out, _ = run("review", "diff", "recording", str(commented))
    assert "Note: the approved copy course/approved/recording.yml is not the wording" in out
    assert "    after:  Capture more; see" in out


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_source_reworded_after_approval_marks_the_module_changed_everywhere(good_course, run):
    """legal-line cites R v Looseley: its page lists the citation, so approvals record it. Reworded after
    approval, the module is "changed since approval" as if its own text had changed; a new checked_on date
    (bookkeeping) is not a change."""
    from coursekit.render.pdf import render_html

    approve(good_course, "legal-line", "Ann Adviser", None, TODAY)
    references = good_course / "course/references.yml"
    _replace(references, "checked_on: 2026-11-01", "checked_on: 2026-11-20")
    assert check_course(good_course).course.sign_offs["legal-line"].approved
    _replace(references, "[2001] UKHL 53", "[2001] UKHL 53 (no longer followed)")
    result = check_course(good_course)
    assert [(d.path, d.code) for d in result.diagnostics] == [("modules/legal-line.yml", Code.REVIEW_CHANGED)]
    assert result.course.sign_offs["legal-line"].changed
    _, out, _ = run("review", "diff", "legal-line", str(good_course))
    assert out.splitlines()[0] == 'Module "legal-line": 1 change since the approval by Ann Adviser on 2026-11-23.'
    assert "Shown from other files (course/references.yml, docs/): Sources and pictures changed" in out
    assert "UKHL 53 (no longer" in out and "Police and Criminal Evidence Act 1984, s.78" in out
    html = render_html(result.course, "reviewer", TODAY, (), result.warnings,
                       review_mod.changes_since_approval(good_course, result.course))
    assert "Shown from other files" in html and "UKHL 53 (no longer followed)" in html
    assert run("review", "approve", "legal-line", "--by", "Ann Adviser", "--root", str(good_course))[0] == 0
    assert check_course(good_course).course.sign_offs["legal-line"].approved


def test_an_approver_name_corrected_by_hand_leaves_the_diff_agreeing_with_the_check(good_course, run):
    approve(good_course, "legal-line", "A Khan", None, TODAY)
    _replace(good_course / "modules/legal-line.yml", "by: A Khan", "by: Aisha Khan")
    _replace(good_course / "course/references.yml", "[2001] UKHL 53", "[2001] UKHL 53 (reworded)")
    assert check_course(good_course).course.sign_offs["legal-line"].changed
    _, out, _ = run("review", "diff", "legal-line", str(good_course))
    assert "Note:" not in out and "Sources and pictures changed" in out


def test_approving_waits_for_the_sources_the_module_cites_to_be_valid(good_course, run):
    """An entry with an error shows nothing on the page: approving then would record the page without it."""
    _replace(good_course / "course/references.yml", "kind: case", "kind: cass")
    code, out, err = run("review", "approve", "legal-line", "--by", "Ann Adviser", str(good_course))
    assert code != 0 and "course/references.yml has errors in the sources this module cites" in err + out
    assert read_module(good_course, "modules/legal-line.yml").review.approvals == []


def test_a_picture_replaced_after_approval_marks_the_module_changed(good_course, run):
    """The picture a module's text shows is approved with it: the same file with other bytes is a change; a
    picture the module does not show is not its concern."""
    images = good_course / "docs" / "images"
    images.mkdir(parents=True)
    (images / "rule-chart.png").write_bytes(b"\x89PNG\r\n\x1a\napproved chart")
    (images / "other.png").write_bytes(b"\x89PNG\r\n\x1a\nanother")
    _edit(good_course, "Capture both sides;", "Capture both sides; ![The rule](images/rule-chart.png)")
    approve(good_course, "recording", "Ann Adviser", None, TODAY)
    (images / "other.png").write_bytes(b"\x89PNG\r\n\x1a\nanother, changed")
    assert check_course(good_course).course.sign_offs["recording"].approved
    (images / "rule-chart.png").write_bytes(b"\x89PNG\r\n\x1a\na different chart")
    result = check_course(good_course)
    assert result.course.sign_offs["recording"].changed
    _, out, _ = run("review", "diff", "recording", str(good_course))
    assert "Picture docs/images/rule-chart.png" in out and "other.png" not in out


def test_diff_shows_whole_paragraphs_not_wrapped_yaml_lines(good_course, run):
    approve(good_course, "legal-line", "Jane", None, TODAY)
    _edit(good_course, "**others could be expected to do**", "**anyone could be expected to do**", "legal-line")
    _, out, _ = run("review", "diff", "legal-line", str(good_course))
    assert out.splitlines()[2:] == [
        'Section "What the court asks": Text changed',
        "    before: The court asks whether the police did no more than **others could be expected to do**.",
        "            See [R v Looseley](ref:looseley-2001) and [recording](module:recording#capture).",
        "    after:  The court asks whether the police did no more than **anyone could be expected to do**.",
        "            See [R v Looseley](ref:looseley-2001) and [recording](module:recording#capture).",
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=modules(), seed=st.integers(0, 2**32 - 1))
def test_approve_text_keeps_everything_else_over_generated_modules(data, seed):
    text = as_trainer_wrote_it(data, random.Random(seed))
    approval = Approval(by="Jane Smith", role="Legal adviser", date=TODAY, fingerprint="0123456789abcdef")
    new = approve_text(text, approval)
    assert Counter(comments(new)) == Counter(comments(text))
    old_data, new_data = plain_data(text), plain_data(new)
    old_approvals = old_data["review"].pop("approvals", None) or []
    assert new_data["review"].pop("approvals") == [*old_approvals, {
        "by": "Jane Smith", "role": "Legal adviser", "date": "2026-11-23", "fingerprint": "0123456789abcdef"}]
    assert new_data.pop("status") == "approved"
    old_data.pop("status")
    assert new_data == old_data


def test_approve_that_would_lose_a_comment_writes_nothing(commented, run, monkeypatch):
    monkeypatch.setattr(review_mod, "approve_text", lambda text, approval, status: text.replace("# end of module\n", ""))
    code, _, err = run("review", "approve", "recording", "--by", "Jane", str(commented))
    assert code == 1 and "nothing was written: the new text would lose 1 comment(s)" in err
    assert (commented / "modules/recording.yml").read_text() == COMMENTED
    assert not (commented / "course/approved").exists()


# --- concurrent and failing writes ---------------------------------------------------------------------

# Each process loads coursekit, then waits for the go file, so that all approve at the same moment.
RACER = """
import os, pathlib, sys, time
import coursekit.check, coursekit.cli, coursekit.review, coursekit.validate
go = pathlib.Path(sys.argv[1])
(go.parent / f"ready-{os.getpid()}").touch()
while not go.exists():
    time.sleep(0.001)
sys.exit(coursekit.cli.main(sys.argv[2:]))
"""


def test_concurrent_approvals_are_all_recorded(tmp_path):
    """Approvals run at the same moment by different people queue on the course's lock: none is lost.

    A 40-module course makes each approval's check long enough that, without the lock, they overlap.
    """
    course = generate(tmp_path / "course", 40)
    module = course / "modules/module-3.yml"
    names = ["Jane Smith", "Sam Lee", "A. Khan"]
    go = tmp_path / "go"
    env = {**os.environ, "COURSE_TODAY": "2026-11-23"}
    processes = [subprocess.Popen([sys.executable, "-c", RACER, str(go), "review", "approve", "module-3", "--by", name,
                                   "--root", str(course)], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for name in names]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < len(names) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    results = [(p.returncode, *p.communicate(timeout=120)) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], results
    assert all("Approved module-3: by " in out for _, out, _ in results)
    text = module.read_text()
    assert sorted(a["by"] for a in plain_data(text)["review"]["approvals"]) == sorted(names)
    assert (course / "course/approved/module-3.yml").read_text() == text


def test_approve_waits_for_the_lock_then_fails_clearly(commented, run, monkeypatch):
    from filelock import FileLock

    monkeypatch.setattr(yamlio, "LOCK_WAIT", 0.2)
    lock = FileLock(str(commented / yamlio.LOCK_FILE))
    lock.acquire()
    try:
        code, _, err = run("review", "approve", "recording", "--by", "Jane", str(commented))
    finally:
        lock.release()
    assert code == 1
    assert err.strip() == (f"error: another course command has been changing {commented} for over 0.2 seconds; "
                           "nothing was changed: try again when it has finished")
    assert (commented / "modules/recording.yml").read_text() == COMMENTED
    assert not (commented / "course/approved").exists()


@pytest.mark.parametrize("read_only", ["modules/recording.yml", "course"])
def test_approve_into_a_read_only_file_or_folder_changes_nothing(commented, run, read_only):
    place = commented / read_only
    mode = place.stat().st_mode
    place.chmod(0o555 if place.is_dir() else 0o444)
    try:
        before = {p: p.read_bytes() for p in commented.rglob("*") if p.is_file()}
        code, _, err = run("review", "approve", "recording", "--by", "Jane", str(commented))
        after = {p: p.read_bytes() for p in commented.rglob("*") if p.is_file() and ".course-cache" not in p.parts}
    finally:
        place.chmod(mode)
    assert code == 1
    what = "folder" if read_only == "course" else "file"
    assert f"error: the {what} {place} is read-only" in err and "no file was changed" in err
    assert f"chmod u+w {place}" in err
    assert after == {p: b for p, b in before.items() if ".course-cache" not in p.parts}
    assert not (commented / "course/approved").exists()
