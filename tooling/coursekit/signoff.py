"""Each module's sign-off state: is the wording learners see the wording its reviewers approved?

Pure: model, content fingerprint and the course's required roles in, a SignOff out. The checker, the
review commands and every renderer (site, PDFs, SCORM, completion record) ask this one function, so
they cannot disagree about whether a module is approved.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .model import Approval, Course, Module

COURSE_FILE = "course/course.yml"
State = Literal["approved", "changed", "unapproved", "not-approved"]

LABELS: dict[State, str] = {
    "approved": "approved",
    "changed": "changed since approval",
    "unapproved": "not approved",  # `status: approved` typed without an approval: an error, never built
    "not-approved": "not approved",
}


@dataclass(frozen=True)
class SignOff:
    """Where one module stands.

    `state` is `approved` (status approved, and every required role approved this very wording),
    `changed` (status approved, but the wording was edited after its approvals), `unapproved` (status
    approved with no approval behind it: an error) or `not-approved` (draft or in review).
    """

    module_id: str
    fingerprint: str
    status: str  # as written in the module
    state: State
    covering: tuple[Approval, ...]  # approvals of the current wording (with roles: the latest per role)
    missing: tuple[str, ...]  # required roles that have not approved the current wording
    earlier: tuple[Approval, ...]  # for a changed module: the approvals it had before the edit, latest per role
    complete: bool  # every required role (or, without roles, someone) approved the current wording

    @property
    def approved(self) -> bool:
        return self.state == "approved"

    @property
    def changed(self) -> bool:
        return self.state == "changed"

    @property
    def label(self) -> str:
        return LABELS[self.state]


def same_role(a: str | None, b: str | None) -> bool:
    """Roles match whatever their case and spacing; no role matches only no role."""
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def sign_off(module: Module, fingerprint: str, roles: Sequence[str] | None) -> SignOff:
    """The sign-off state of `module` whose content hashes to `fingerprint`, given the course's `sign_off` roles."""
    approvals = module.review.approvals
    wanted: list[str | None] = list(roles) if roles else [None]  # None: any one approval will do
    covering, missing, earlier, never = [], [], [], False
    for role in wanted:
        mine = [a for a in approvals if role is None or same_role(a.role, role)]
        current = standing(mine, fingerprint)
        if current:
            covering.extend(current if role is None else current[-1:])
            continue
        missing.append(role or "")
        if mine:
            earlier.append(mine[-1])
        else:
            never = True
    complete = not missing
    if module.status != "approved":
        state: State = "not-approved"
    elif complete:
        state = "approved"
    else:
        state = "unapproved" if never else "changed"
    return SignOff(module.id, fingerprint, module.status, state, tuple(covering),
                   tuple(m for m in missing if m), tuple(earlier) if state == "changed" else (), complete)


def standing(approvals: Sequence[Approval], fingerprint: str) -> list[Approval]:
    """The approvals of this wording that still stand: those recorded after the last approval of another.

    Approving a corrected wording supersedes every earlier one: a module put back to a wording approved
    before the correction is not approved until someone approves it again."""
    last_other = max((i for i, a in enumerate(approvals) if a.fingerprint != fingerprint), default=-1)
    return [a for a in approvals[last_other + 1:] if a.fingerprint == fingerprint]


def still_current(approvals: Sequence[Approval], fingerprint: str, roles: Sequence[str] | None) -> list[bool]:
    """For each approval, whether it still stands for this wording, as `sign_off` judges it (per role when
    the course names roles, all together when it does not)."""
    group = (lambda a: [x for x in approvals if same_role(x.role, a.role)]) if roles else (lambda a: approvals)
    return [any(a is b for b in standing(group(a), fingerprint)) for a in approvals]


def course_sign_offs(modules: Sequence[Module], fingerprints: dict[str, str],
                     roles: Sequence[str] | None) -> dict[str, SignOff]:
    """The sign-off state of every module, by id."""
    return {m.id: sign_off(m, fingerprints.get(m.id, ""), roles) for m in modules}


def of(course: Course, module: Module) -> SignOff:
    """The module's state as the course was assembled with it (computed for hand-built courses in tests)."""
    known = course.sign_offs.get(module.id)
    if known is not None and known.fingerprint == course.module_fingerprints.get(module.id, known.fingerprint):
        return known
    return sign_off(module, course.module_fingerprints.get(module.id, ""), course.info.sign_off)


# --- approving: which role is recorded, and what the status becomes -------------------------------------

class SignOffError(ValueError):
    """An approval the course's `sign_off` does not allow; the message says why and what to do."""


def required_role(role: str | None, roles: Sequence[str] | None) -> str | None:
    """The role to record: with `sign_off`, one of its roles (spelt as the course spells it), else as given."""
    if not roles:
        return role
    listed = ", ".join(f'"{r}"' for r in roles)
    if role is None:
        raise SignOffError(f"this course needs the approver's role ({COURSE_FILE} lists `sign_off` roles): "
                           f"add --role with one of {listed}")
    match = next((r for r in roles if same_role(r, role)), None)
    if match is not None:
        return match
    close = difflib.get_close_matches(role.casefold(), [r.casefold() for r in roles], n=1, cutoff=0.5)
    hint = f'; did you mean "{next(r for r in roles if r.casefold() == close[0])}"?' if close else ""
    raise SignOffError(f'"{role}" is not a role that signs off modules in this course{hint} '
                       f"The roles in {COURSE_FILE} `sign_off` are {listed}.")


def repeated(module: Module, approval: Approval) -> Approval | None:
    """The approval this person already recorded for this wording in this role, if any: another adds nothing.

    A second person approving the same wording is recorded: each name stakes its own sign-off.
    """
    in_role = [a for a in module.review.approvals if same_role(a.role, approval.role)]
    return next((a for a in reversed(standing(in_role, approval.fingerprint))
                 if " ".join(a.by.split()).casefold() == " ".join(approval.by.split()).casefold()), None)


def status_after(module: Module, approval: Approval, roles: Sequence[str] | None) -> str:
    """`approved` when, with `approval` added, every required role has approved the current wording; else `in-review`."""
    review = module.review.model_copy(update={"approvals": [*module.review.approvals, approval]})
    state = sign_off(module.model_copy(update={"review": review, "status": "approved"}), approval.fingerprint, roles)
    return "approved" if state.approved else "in-review"
