"""Review and sign-off: record approvals, report each module's review state, and show what changed since.

Pure functions compute (approve_text, course_status, module_changes); approve() and the loaders do the
file work, and only approve() writes: under the course's lock, guarded, the module and its approved copy
together (yamlio.write_files).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Code, Diagnostic
from .fingerprint import module_fingerprint
from .load import LoadError, load_file
from .model import Approval, Course, Module
from .signoff import SignOff, SignOffError, repeated, required_role, sign_off, status_after
from .signoff import of as sign_off_of
from .validate import validate_document
from .approval_text import approve_text
from .yamlio import UnsafeWrite, course_lock, guard, plain_data, write_files

if TYPE_CHECKING:
    from .check import ShownElsewhere

COURSE_FILE = "course/course.yml"
SNAPSHOT_DIR = "course/approved"
WRAP = 100  # terminal width for `review diff`
_NEW_UNIT = re.compile(r"^([-*+>|#]\s|\d+[.)]\s)")  # Markdown list items, quotes, table rows, headings
APPROVE_CHANGES = (("status",), ("review", "approvals"))  # all that approving may touch


class ReviewError(Exception):
    """A review request that cannot be carried out; the message says why, diagnostics say where."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics or []


def module_path(module_id: str) -> str:
    return f"modules/{module_id}.yml"


def snapshot_path(module_id: str) -> str:
    return f"{SNAPSHOT_DIR}/{module_id}.yml"


def read_module(root: Path, relpath: str) -> Module:
    """Load and validate one module file; raise ReviewError with its diagnostics when it is not valid."""
    try:
        doc = load_file(root, relpath)
    except LoadError as exc:
        raise ReviewError(f"{relpath} cannot be read", [exc.diagnostic]) from None
    module, problems = validate_document(doc, "module")
    if module is None or problems:
        raise ReviewError(f"{relpath} is not a valid module", problems)
    return module


# --- approve -----------------------------------------------------------------------------------------

class AlreadyApproved(ReviewError):
    """Nothing to record: this role already approved this very wording (the existing approval is kept)."""

    def __init__(self, message: str, approval: Approval):
        super().__init__(message)
        self.approval = approval


def _no_module(root: Path, module_id: str) -> str:
    """The error for a module id with no file, naming the nearest module there is (a typo)."""
    from .check import module_paths
    from .diagnostics import did_you_mean

    known = [path.removeprefix("modules/").removesuffix(".yml") for path in module_paths(root)]
    return f"no module `{module_id}`: {module_path(module_id)} does not exist{did_you_mean(module_id, known)}"


def approve(root: Path, module_id: str, by: str, role: str | None, on: dt.date) -> Approval:
    """Approve a valid module: record the approval in it and keep its approved copy, both or neither.

    The status becomes `approved` once every role the course's `sign_off` requires has approved the
    current wording, `in-review` until then. Raise AlreadyApproved, writing nothing, when this role has
    already approved this wording. Under the course's lock, so that concurrent approvals queue and each
    reads the module afresh.
    """
    with course_lock(root):
        return _approve(root, module_id, by, role, on)


def _approve(root: Path, module_id: str, by: str, role: str | None, on: dt.date) -> Approval:
    from .check import REFERENCES_FILE, FileCache, check_course

    relpath = module_path(module_id)
    if not (root / relpath).is_file():
        raise ReviewError(_no_module(root, module_id))
    loaded: FileCache = {}  # the check's own load of the module: no second read
    result = check_course(root, on, loaded)
    # An approved status with no approval behind it is exactly what approving puts right.
    errors = [d for d in result.errors if d.path == relpath and d.code is not Code.REVIEW_UNAPPROVED]
    if errors:
        raise ReviewError(f"{relpath} has errors; fix them before approving", errors)
    cited = set(loaded[relpath].model.references) if relpath in loaded and loaded[relpath].model else set()
    listed = {r.id for r in (loaded[REFERENCES_FILE].model or [])} if REFERENCES_FILE in loaded else set()
    if cited - listed:  # an entry with errors shows nothing: the approval would record the page without it
        raise ReviewError(f"{REFERENCES_FILE} has errors in the sources this module cites; fix them before approving",
                          [d for d in result.errors if d.path == REFERENCES_FILE])
    if result.info is None:
        raise ReviewError(f"{COURSE_FILE} has errors; fix them before approving",
                          [d for d in result.errors if d.path == COURSE_FILE])
    by, role = by.strip(), (role or "").strip() or None
    if not by:
        raise ReviewError("--by needs the approver's name")
    roles = result.info.sign_off
    try:
        role = required_role(role, roles)
    except SignOffError as exc:
        raise ReviewError(str(exc)) from None
    approval = Approval(by=by, role=role, date=on, fingerprint=result.fingerprints[relpath])
    module: Module = loaded[relpath].model
    earlier = repeated(module, approval)
    if earlier is not None:
        raise AlreadyApproved(_nothing_recorded(module, earlier), earlier)
    status = status_after(module, approval, roles)
    text = loaded[relpath].raw.decode("utf-8")  # as read under the lock; bytes kept (CRLF, byte-order mark)
    new = approve_text(text, approval, status)
    guard(text, new, APPROVE_CHANGES)
    _check_recorded(text, new, approval, status)
    write_files({root / relpath: new, root / snapshot_path(module_id): new})  # both or neither
    return approval


def module_sign_off(root: Path, module_id: str, fingerprint: str) -> SignOff:
    """The sign-off state of one module whose content (sources and pictures included) has `fingerprint`, as
    its file and course/course.yml now stand (both must be valid). Just after an approval the approval's own
    fingerprint is that content's: no second check of the whole course is needed to know it."""
    module = read_module(root, module_path(module_id))
    try:
        info, problems = validate_document(load_file(root, COURSE_FILE), "course")
    except LoadError as exc:
        raise ReviewError(f"{COURSE_FILE} cannot be read", [exc.diagnostic]) from None
    if info is None:
        raise ReviewError(f"{COURSE_FILE} is not valid", problems)
    return sign_off(module, fingerprint, info.sign_off)


def _nothing_recorded(module: Module, earlier: Approval) -> str:
    role = f" ({earlier.role})" if earlier.role else ""
    note = "" if module.status == "approved" else f"; its status is `{module.status}`"
    return (f"nothing recorded: {earlier.by}{role} already approved this wording of `{module.id}` on {earlier.date} "
            f"(content {earlier.fingerprint}){note}")


def _check_recorded(old: str, new: str, approval: Approval, status: str = "approved") -> None:
    """The new text holds exactly the old approvals plus this one, and the status intended."""
    before = (plain_data(old).get("review") or {}).get("approvals") or []
    data = plain_data(new)
    after = data["review"]["approvals"]
    recorded = Approval.model_validate(after[-1])
    if after[:-1] != before or recorded != approval or data["status"] != status:
        raise UnsafeWrite("the approval could not be recorded as intended")


# --- status ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ModuleStatus:
    """One module's review state, as `course review status` shows it."""

    id: str
    version: str
    status: str
    last_approval: Approval | None
    next_review_due: dt.date
    overdue: bool
    changed: bool  # approved, but the content differs from what its approvals signed
    awaiting: str = ""  # who has still to approve the current wording ("" when nobody)


def module_status(module: Module, state: SignOff, today: dt.date) -> ModuleStatus:
    """The review state of one module on `today`, given its sign-off state."""
    approvals = module.review.approvals
    return ModuleStatus(
        id=module.id, version=module.version, status=module.status,
        last_approval=approvals[-1] if approvals else None,
        next_review_due=module.review.next_review_due, overdue=module.review.next_review_due < today,
        changed=state.changed, awaiting=_awaiting(state),
    )


def _awaiting(state: SignOff) -> str:
    if state.complete or (state.changed and not state.missing):
        return ""  # without roles, "changed since approval" already says an approval is due
    return ", ".join(state.missing) if state.missing else "an approval"


def course_status(course: Course, today: dt.date) -> list[ModuleStatus]:
    """The review state of every module, in course order."""
    return [module_status(m, sign_off_of(course, m), today) for m in course.modules]


def format_status(rows: list[ModuleStatus]) -> list[str]:
    """Aligned lines: module, version, status, last approval, next review due, and what needs attention."""
    table = [("MODULE", "VERSION", "STATUS", "LAST APPROVAL", "NEXT REVIEW", "")]
    for row in rows:
        approval = f"{row.last_approval.by}, {row.last_approval.date}" if row.last_approval else "none recorded"
        notes = [n for n, on in (("changed since approval", row.changed), (f"awaiting {row.awaiting}", row.awaiting),
                                 ("review overdue", row.overdue)) if on]
        table.append((row.id, row.version, row.status, approval, str(row.next_review_due), "; ".join(notes)))
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    return ["  ".join([*(c.ljust(w) for c, w in zip(r[:5], widths)), r[5]]).rstrip() for r in table]


# --- diff --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One difference between the approved and the current module, in reviewers' words.

    `where` names the part of the module (`Section "What the court asks"`), `what` the field
    (`Text`, `Choice 2`); `before` is None for something added, `after` None for something removed.
    """

    where: str
    what: str
    before: str | None
    after: str | None

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"


@dataclass(frozen=True)
class ReviewDiff:
    """What changed in a module since its approved snapshot."""

    module_id: str
    approval: Approval | None  # the last approval recorded in the snapshot
    changes: list[Change]
    snapshot_current: bool = True  # False when the module records a later approval than the snapshot holds


def module_diff(root: Path, module_id: str) -> ReviewDiff:
    """Compare the module now with its approved snapshot."""
    if not (root / snapshot_path(module_id)).is_file():
        if not (root / module_path(module_id)).is_file():
            raise ReviewError(_no_module(root, module_id))
        raise ReviewError(f"module `{module_id}` has no approved copy ({snapshot_path(module_id)}); "
                          f"approve it first: course review approve {module_id} --by NAME")
    from .check import shown_elsewhere

    approved = read_module(root, snapshot_path(module_id))
    current = read_module(root, module_path(module_id))
    last = approved.review.approvals[-1] if approved.review.approvals else None
    recorded = current.review.approvals[-1] if current.review.approvals else None
    # the copy holds the wording the last approval was for (a name corrected by hand changes nothing)
    current_copy = recorded is None or (last is not None and recorded.fingerprint == last.fingerprint)
    changes = module_changes(approved, current)
    if current_copy:
        changes += shown_changes(shown_elsewhere(root), approved, recorded)
    return ReviewDiff(module_id, last, changes, current_copy)


def shown_changes(shown: ShownElsewhere, approved: Module, recorded: Approval | None) -> list[Change]:
    """The sources and pictures a module shows, when they are not what its last approval recorded: the
    approved copy, shown with today's course/references.yml and docs/, no longer has that fingerprint."""
    if recorded is None or shown.fingerprint(approved, module_fingerprint(approved)) == recorded.fingerprint:
        return []
    now = [r.citation + (f" ({r.url})" if r.url else "") for r in shown.sources(approved)]
    now += [f"Picture docs/{path}" for path in shown.pictures_of(approved)]
    return [Change("Shown from other files (course/references.yml, docs/)", "Sources and pictures",
                   "As approved: see the sources and pictures of the PDF that was signed.",
                   "\n\n".join(["Now:", *now]) if now else "Now: none.")]


def changes_since_approval(root: Path, course: Course) -> dict[str, list[Change]]:
    """For each approved module edited since its last approval, its changes against the approved copy."""
    from .check import shown_elsewhere

    found: dict[str, list[Change]] = {}
    shown = shown_elsewhere(root)
    for module in course.modules:
        approvals = module.review.approvals
        if not approvals or approvals[-1].fingerprint == course.module_fingerprints.get(module.id):
            continue
        if not (root / snapshot_path(module.id)).is_file():
            continue  # no approved copy to compare with; the review block already says it changed
        try:
            approved = read_module(root, snapshot_path(module.id))
            found[module.id] = module_changes(approved, module) + shown_changes(shown, approved, approvals[-1])
        except ReviewError:
            continue  # an unreadable snapshot is reported by `course review diff`, not by the PDF
    return found


def module_changes(before: Module, after: Module) -> list[Change]:
    """Every difference in wording between two versions of a module, in reading order (pure)."""
    return list(_module_changes(before, after))


def _module_changes(a: Module, b: Module) -> Iterator[Change]:
    for what, attr in (("Title", "title"), ("Summary", "summary"), ("Version", "version"),
                       ("Duration (minutes)", "duration_minutes"), ("Content note", "content_note")):
        yield from _field("Module", what, getattr(a, attr), getattr(b, attr))
    yield from _items("Objective", a.objectives, b.objectives, lambda o: f'Objective "{o.id}"',
                      lambda o: [("Text", o.text)])
    yield from _items("Section", a.sections, b.sections, lambda s: f'Section "{s.title}"', _section_fields)
    yield from _conversation_changes(a, b)
    yield from _field("Module", "Trainer notes", a.trainer_notes, b.trainer_notes)
    yield from _field("Module", "References", ", ".join(a.references), ", ".join(b.references))
    yield from _items("Question", a.questions, b.questions, lambda q: f'Question "{_short(q.prompt)}"',
                      _question_fields)
    yield from _items("Assessment question", a.assessment_bank, b.assessment_bank,
                      lambda q: f'Assessment question "{_short(q.prompt)}"', _question_fields)


def _field(where: str, what: str, before: Any, after: Any) -> Iterator[Change]:
    before, after = _text(before), _text(after)
    if before != after:
        yield Change(where, what, before, after)


def _items(kind: str, old: list[Any], new: list[Any], name: Any, fields: Any) -> Iterator[Change]:
    """Match items by id; report removed, added and changed items, and a change of their order."""
    old_by_id, new_by_id = {i.id: i for i in old}, {i.id: i for i in new}
    for item in old:
        if item.id not in new_by_id:
            yield Change(name(item), f"{kind} removed", _all_fields(fields(item)), None)
    for item in new:
        if item.id not in old_by_id:
            yield Change(name(item), f"{kind} added", None, _all_fields(fields(item)))
            continue
        before = dict(fields(old_by_id[item.id]))
        for what, value in fields(item):
            yield from _field(name(item), what, before.pop(what, None), value)
        for what, value in before.items():
            yield from _field(name(item), what, value, None)
    kept_old = [i for i in old if i.id in new_by_id]
    kept_new = [i for i in new if i.id in old_by_id]
    if [i.id for i in kept_old] != [i.id for i in kept_new]:
        yield Change("Module", f"Order of {kind.lower()}s", "\n".join(map(name, kept_old)), "\n".join(map(name, kept_new)))


def _section_fields(section: Any) -> list[tuple[str, str | None]]:
    fields = [("Title", section.title), ("Text", section.body)]
    if section.scenario is not None:
        lines = [f"Setting: {section.scenario.setting}"] if section.scenario.setting else []
        lines += _message_lines(section.scenario.messages)
        fields.append(("Conversation", "\n".join(lines)))
    if section.conversation is not None:  # its steps are compared one by one (_conversation_changes)
        fields += [("Setting", section.conversation.setting), ("First step", section.conversation.start)]
    return fields


def _message_lines(messages: list[Any]) -> list[str]:
    return [f"{m.speaker.capitalize()}: {m.text}" for m in messages]


def _conversation_changes(a: Module, b: Module) -> Iterator[Change]:
    """A branching conversation, step by step: steps added, removed or changed, matched by id."""
    before = {s.id: s for s in a.sections if s.conversation is not None}
    after = {s.id: s for s in b.sections if s.conversation is not None}
    for section_id in [*before, *(i for i in after if i not in before)]:
        old, new = before.get(section_id), after.get(section_id)
        title = (new or old).title
        yield from _items("Step", old.conversation.steps if old else [], new.conversation.steps if new else [],
                          lambda step, title=title: f'Section "{title}", step "{step.id}"', _step_fields)


def _step_fields(step: Any) -> list[tuple[str, str | None]]:
    fields = [("Messages", "\n".join(_message_lines(step.messages)) or None)]
    for n, reply in enumerate(step.replies or [], 1):
        fields.append((f"Reply {n}", f"{reply.text} ({reply.verdict}) -> step {reply.next}\nFeedback: {reply.feedback}"))
    if step.ending is not None:
        ending = step.ending
        fields.append(("Ending", f"{ending.title} ({ending.verdict})\nDebrief: {ending.debrief}"))
    return fields


def _question_fields(q: Any) -> list[tuple[str, str | None]]:
    fields = [("Question", q.prompt), ("Question type", q.type), ("Objective", q.objective), ("Scenario", q.scenario),
              ("Shown after section", q.after_section)]
    for n, choice in enumerate(q.choices or [], 1):
        mark = " (correct)" if choice.correct else ""
        feedback = f"\nFeedback: {choice.feedback}" if choice.feedback else ""
        fields.append((f"Choice {n}", f"{choice.text}{mark}{feedback}"))
    fields += [("Answer", None if q.answer is None else str(q.answer).lower()), ("Model answer", q.model_answer),
               ("Checklist", "\n".join(f"- {point}" for point in q.checklist) if q.checklist else None),
               ("Explanation", q.explanation)]
    return fields


def _all_fields(fields: list[tuple[str, str | None]]) -> str:
    return "\n".join(f"{what}: {value}" for what, value in fields if value is not None)


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value).strip()


def _short(text: str, width: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def format_changes(diff: ReviewDiff, mark: tuple[str, str, str, str] = ("", "", "", "")) -> list[str]:
    """Readable lines for a terminal; `mark` = (removed on, off, added on, off) highlights changed words."""
    approval = diff.approval
    since = f"since the approval by {approval.by}{f' ({approval.role})' if approval.role else ''} on {approval.date}" \
        if approval else "since the approved copy"
    note = [] if diff.snapshot_current else [
        f"Note: the approved copy {SNAPSHOT_DIR}/{diff.module_id}.yml is not the wording of the module's last "
        f"recorded approval (was a write interrupted, or the copy replaced?); approve the module again to renew it."]
    if not diff.changes:
        return [f'Module "{diff.module_id}": no changes {since}.', *note]
    count = len(diff.changes)
    lines = [f'Module "{diff.module_id}": {count} change{"s" if count != 1 else ""} {since}.', *note]
    for change in diff.changes:
        lines += ["", f"{change.where}: {change.what}" + ("" if change.what.endswith(("added", "removed")) else f" {change.kind}")]
        lines += _change_lines(change, mark)
    return lines


def _change_lines(change: Change, mark: tuple[str, str, str, str]) -> list[str]:
    """Changed paragraphs in full (not wrapped YAML lines), "…" where unchanged ones are left out."""
    prose = _is_prose(change)
    before, after = _units(change.before, prose), _units(change.after, prose)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append("    …")
            continue
        old, new = before[i1:i2], after[j1:j2]
        if tag == "replace" and len(old) == len(new):
            pairs = [_mark_words(o, n, mark) for o, n in zip(old, new)]
            old, new = [p[0] for p in pairs], [p[1] for p in pairs]
        out += [line for unit in old for line in _wrap("before: ", unit)]
        out += [line for unit in new for line in _wrap("after:  ", unit)]
    while out and out[0] == "    …":
        out.pop(0)
    while out and out[-1] == "    …":
        out.pop()
    return out


def _units(text: str | None, prose: bool) -> list[str]:
    """Split a text into what a reader sees as units: paragraphs and list items of prose, else lines."""
    lines = (text or "").splitlines()
    if not prose:
        return [line.strip() for line in lines if line.strip()]
    units: list[str] = []
    joinable = False
    for line in lines:
        stripped = line.strip()
        if joinable and stripped and not _NEW_UNIT.match(stripped):
            units[-1] += " " + stripped  # a wrapped line of the same paragraph
        elif stripped:
            units.append(stripped)
        joinable = bool(stripped)
    return units


def _is_prose(change: Change) -> bool:
    structured = change.what.startswith(("Choice", "Order of", "Conversation", "Messages", "Reply", "Ending",
                                         "Checklist")) or change.kind != "changed"
    return not structured


def _wrap(label: str, text: str) -> list[str]:
    return textwrap.wrap(text, width=WRAP, initial_indent="    " + label, subsequent_indent=" " * (4 + len(label)),
                         break_long_words=False, break_on_hyphens=False) or ["    " + label]


def _mark_words(old: str, new: str, mark: tuple[str, str, str, str]) -> tuple[str, str]:
    """Highlight the words that differ between two lines (no-op when `mark` is empty)."""
    if not any(mark):
        return old, new
    a, b = old.split(" "), new.split(" ")
    out_a, out_b = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out_a += a[i1:i2]
            out_b += b[j1:j2]
            continue
        if i2 > i1:
            out_a.append(mark[0] + " ".join(a[i1:i2]) + mark[1])
        if j2 > j1:
            out_b.append(mark[2] + " ".join(b[j1:j2]) + mark[3])
    return " ".join(out_a), " ".join(out_b)
