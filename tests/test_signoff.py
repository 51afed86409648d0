"""Sign-off that cannot be skipped: hand-typed approvals, several roles, edits after approval, re-approval."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from coursekit.check import check_course
from coursekit.diagnostics import Code
from coursekit.model import Approval
from coursekit.review import AlreadyApproved, ReviewError, approve, approve_text, read_module
from coursekit.signoff import sign_off

from conftest import FIXTURES

TODAY = dt.date(2026, 11, 23)
BANKS = FIXTURES / "banks"  # its course.yml requires a Legal adviser and a Training manager
ROLES = ["Legal adviser", "Training manager"]


@pytest.fixture
def two_roles(tmp_path: Path) -> Path:
    target = tmp_path / "bank-course"
    shutil.copytree(BANKS, target)
    return target


def _set(course: Path, module: str, old: str, new: str) -> None:
    path = course / f"modules/{module}.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _codes(course: Path) -> list[tuple[str, Code]]:
    return [(d.path, d.code) for d in check_course(course).diagnostics]


# --- the state of a module, computed in one place ---------------------------------------------------

def test_sign_off_states_without_roles():
    module = read_module(FIXTURES / "good", "modules/recording.yml")
    fp = "0123456789abcdef"
    approved = module.model_copy(update={"status": "approved"})
    assert sign_off(module, fp, None).state == "not-approved"
    assert sign_off(approved, fp, None).state == "unapproved"  # approved, and nobody approved it
    signed = Approval(by="A", date=TODAY, fingerprint=fp)
    with_approval = approved.model_copy(update={"review": approved.review.model_copy(update={"approvals": [signed]})})
    assert sign_off(with_approval, fp, None).state == "approved"
    edited = sign_off(with_approval, "fedcba9876543210", None)
    assert edited.state == "changed" and edited.label == "changed since approval" and edited.earlier == (signed,)


def test_sign_off_states_with_roles():
    module = read_module(FIXTURES / "good", "modules/recording.yml").model_copy(update={"status": "approved"})
    old, new = "0" * 16, "1" * 16

    def state(*approvals: tuple[str, str]):
        recorded = [Approval(by="X", role=role, date=TODAY, fingerprint=fp) for role, fp in approvals]
        review = module.review.model_copy(update={"approvals": recorded})
        return sign_off(module.model_copy(update={"review": review}), new, ROLES)

    assert state(("legal adviser", new), ("Training  Manager", new)).state == "approved"  # case and spacing
    one = state(("Legal adviser", new))
    assert one.state == "unapproved" and one.missing == ("Training manager",)
    assert state(("Legal adviser", old), ("Training manager", old)).state == "changed"
    # the Training manager never approved any wording: the approved status was never true
    assert state(("Legal adviser", old)).state == "unapproved"
    assert state(("Legal adviser", old), ("Training manager", old), ("Legal adviser", new)).missing == ("Training manager",)


def test_a_wording_put_back_after_a_correction_was_approved_is_not_approved(good_course):
    """v1 approved, the correction v2 approved, then the module put back to v1: the adviser's approval of v2
    superseded v1, so v1 shows as changed since approval until someone approves it again."""
    module = good_course / "modules/recording.yml"
    approve(good_course, "recording", "A. Adviser", None, TODAY)
    module.write_text(module.read_text().replace("Capture both sides;", "Capture both sides, always;"))
    approve(good_course, "recording", "A. Adviser", None, TODAY)
    approved_v1 = read_module(good_course, "modules/recording.yml").review.approvals[0]
    put_back = module.read_text().replace("Capture both sides, always;", "Capture both sides;")
    module.write_text(put_back)
    result = check_course(good_course)
    assert result.course.sign_offs["recording"].changed
    assert [d.code for d in result.diagnostics] == [Code.REVIEW_CHANGED]
    # the reviewer PDF agrees: neither approval is current (the first was superseded by the second)
    from coursekit.render.pdf import render_html

    html = render_html(result.course, "reviewer", TODAY, (), result.warnings)
    review = html[html.index('id="review-recording"'):]
    assert "Yes: the content is unchanged" not in review[:review.index("</section>")]
    # the same adviser may approve the first wording again, and then it stands
    again = approve(good_course, "recording", "A. Adviser", None, TODAY)
    assert again.fingerprint == approved_v1.fingerprint
    assert check_course(good_course).course.sign_offs["recording"].approved


# --- hand-typed approval ----------------------------------------------------------------------------

def test_hand_typed_approval_is_a_located_error(good_course, run):
    _set(good_course, "recording", "status: in-review", "status: approved")
    code, out, _ = run("check", str(good_course))
    assert code == 1
    assert ("modules/recording.yml:5:9: error: module `recording` says `status: approved` but no approval of it "
            "is recorded; have it approved with `course review approve recording --by NAME --role ROLE`, or write "
            "`status: in-review` [review.unapproved]") in out
    code, out, _ = run("build", str(good_course))
    assert code == 1 and "[review.unapproved]" in out and not (good_course / "site").exists()


def test_approved_status_needs_every_role(two_roles):
    approve(two_roles, "recording", "S. Patel", "Legal adviser", TODAY)
    _set(two_roles, "recording", "status: in-review", "status: approved")
    result = check_course(two_roles)
    [found] = result.errors
    assert found.code is Code.REVIEW_UNAPPROVED and "`Training manager` has not approved it" in found.message
    assert '--role "Training manager"' in found.message


def test_approving_a_hand_typed_status_puts_it_right(good_course):
    _set(good_course, "recording", "status: in-review", "status: approved")
    approve(good_course, "recording", "Jane Smith", None, TODAY)
    assert check_course(good_course).diagnostics == []


# --- several roles ----------------------------------------------------------------------------------

def test_module_is_approved_only_when_every_role_has_approved(two_roles, run):
    code, out, _ = run("review", "approve", "recording", "--by", "S. Patel", "--role", "legal adviser",
                       "--root", str(two_roles))
    assert code == 0, out
    assert "by S. Patel (Legal adviser)" in out  # recorded as the course spells the role
    assert "Status in-review until this wording is also approved by: Training manager" in out
    assert read_module(two_roles, "modules/recording.yml").status == "in-review"
    _, out, _ = run("review", "status", "--root", str(two_roles))
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert lines["recording"].endswith("awaiting Training manager")
    assert lines["first-contact"].endswith("awaiting Legal adviser, Training manager")

    code, out, _ = run("review", "approve", "recording", "--by", "R. Jones", "--role", "Training manager",
                       "--root", str(two_roles))
    assert code == 0 and "status in-review" not in out
    module = read_module(two_roles, "modules/recording.yml")
    assert module.status == "approved" and [a.role for a in module.review.approvals] == ROLES
    assert check_course(two_roles).diagnostics == []
    _, out, _ = run("review", "status", "--root", str(two_roles))
    assert "awaiting" not in out.splitlines()[2]


def test_role_is_required_and_must_be_one_of_the_course_roles(two_roles, run):
    before = (two_roles / "modules/recording.yml").read_text()
    code, _, err = run("review", "approve", "recording", "--by", "S. Patel", "--root", str(two_roles))
    assert code == 1 and 'add --role with one of "Legal adviser", "Training manager"' in err
    code, _, err = run("review", "approve", "recording", "--by", "S. Patel", "--role", "Legal advisor",
                       "--root", str(two_roles))
    assert code == 1 and 'did you mean "Legal adviser"?' in err
    assert (two_roles / "modules/recording.yml").read_text() == before
    assert not (two_roles / "course/approved").exists()


def test_an_edit_after_every_role_approved_warns_and_names_the_change(two_roles):
    for role in ROLES:
        approve(two_roles, "recording", "Reviewer", role, TODAY)
    _set(two_roles, "recording", "Capture both sides;", "Capture both sides, always;")
    result = check_course(two_roles)
    assert [(d.code, d.severity.value) for d in result.diagnostics] == [(Code.REVIEW_CHANGED, "warning")]
    assert result.ok() and not result.ok(strict=True)
    assert result.course.sign_offs["recording"].changed
    # one role approving the new wording is not enough: the module waits for the other
    approve(two_roles, "recording", "Reviewer", "Legal adviser", TODAY)
    module = read_module(two_roles, "modules/recording.yml")
    assert module.status == "in-review" and check_course(two_roles).diagnostics == []


# --- approving again --------------------------------------------------------------------------------

def test_approving_unchanged_content_again_records_nothing(good_course, run):
    assert run("review", "approve", "recording", "--by", "Jane Smith", "--root", str(good_course))[0] == 0
    files = {p: p.read_bytes() for p in good_course.rglob("*.yml")}
    code, out, _ = run("review", "approve", "recording", "--by", "Jane Smith", "--root", str(good_course))
    assert code == 0
    assert out.startswith("nothing recorded: Jane Smith already approved this wording of `recording` on 2026-11-23")
    assert {p: p.read_bytes() for p in good_course.rglob("*.yml")} == files


def test_same_person_and_role_again_records_nothing_but_another_person_or_role_does(two_roles):
    first = approve(two_roles, "recording", "S. Patel", "Legal adviser", TODAY)
    with pytest.raises(AlreadyApproved) as raised:
        approve(two_roles, "recording", "s.  patel", "legal adviser", TODAY + dt.timedelta(days=3))
    assert raised.value.approval == first and isinstance(raised.value, ReviewError)
    approve(two_roles, "recording", "A. Other", "Legal adviser", TODAY)  # a second signatory is recorded
    approve(two_roles, "recording", "R. Jones", "Training manager", TODAY)
    approvals = read_module(two_roles, "modules/recording.yml").review.approvals
    assert [(a.by, a.role) for a in approvals] == [("S. Patel", "Legal adviser"), ("A. Other", "Legal adviser"),
                                                   ("R. Jones", "Training manager")]


def test_course_file_with_errors_stops_an_approval(two_roles):
    course = two_roles / "course/course.yml"
    course.write_text(course.read_text().replace("pass_mark: 80", "pass_mark: 180"))
    with pytest.raises(ReviewError, match="course/course.yml has errors"):
        approve(two_roles, "recording", "S. Patel", "Legal adviser", TODAY)


# --- the status line edit ---------------------------------------------------------------------------

def test_approve_text_sets_the_status_asked_for_in_place_and_keeps_the_comment_column():
    approval = Approval(by="A. Khan", role="Legal adviser", date=dt.date(2026, 11, 20), fingerprint="0123456789abcdef")
    text = ("id: a\nstatus: approved        # draft | in-review | approved\nsummary: 'status: x'\n"
            "review:\n  owner: T\n")
    new = approve_text(text, approval, "in-review")
    assert new.startswith("id: a\nstatus: in-review       # draft | in-review | approved\nsummary: 'status: x'\n")
    assert approve_text("status: 'draft'\nreview:\n  owner: T\n", approval).startswith("status: 'approved'\n")

def test_a_changed_bank_question_shows_in_the_diff(two_roles, run):
    for role in ROLES:
        approve(two_roles, "recording", "Reviewer", role, TODAY)
    _set(two_roles, "recording", "prompt: Which belong in the record of an online exchange?",
         "prompt: Which belong in the record of an exchange online?")
    assert [d.code for d in check_course(two_roles).diagnostics] == [Code.REVIEW_CHANGED]  # bank wording is signed too
    code, out, _ = run("review", "diff", "recording", "--root", str(two_roles))
    assert code == 0
    assert 'Assessment question "Which belong in the record of an exchange online?": Question changed' in out
