"""Record an approval in a module's text: the status value and the approval's lines, every other byte kept.

`course review approve` must not touch what the trainer wrote: not the line endings (CRLF), a byte-order
mark, an unusual indentation, `\\u00e9` escapes, anchor names, comments or blank lines. So the change is
a text edit at the places libyaml's marks give, not a re-dump; approve() then checks the result with
yamlio.guard() before writing it.
"""

from __future__ import annotations

from . import yamltext
from .model import Approval
from .yamltext import Node
from .yamlio import UnsafeWrite

Edit = tuple[int, int, str]
NULLS = ("", "~", "null", "Null", "NULL")
HOUSE_LIST_INDENT = (2, 2)  # `- ` two columns in from its key, the item's keys two further (course fmt's style)


def approve_text(text: str, approval: Approval, status: str = "approved") -> str:
    """Return the module text with `status` (approved, or in-review while sign-off roles are missing) and
    `approval` appended to its review's approvals.

    New lines follow the file's own line endings and list indentation; a flow-style review block or
    approvals list gets a flow-style entry; a missing `approvals:` key is added at the end of the review.
    """
    bom, body = yamltext.split_bom(text)
    root = yamltext.parse(body)
    if root.kind != "map":
        raise UnsafeWrite("the module is not a block of keys")
    return bom + yamltext.apply(body, [_status_edit(body, root, status), *_approval_edits(body, root, approval)])


def _status_edit(text: str, root: Node, status: str) -> Edit:
    """Set the status value, keeping its quotes, anchor and the column of a comment after it."""
    pair = root.get("status")
    if pair is None or pair[1].kind not in ("scalar", "alias") or pair[1].block_scalar:
        raise UnsafeWrite("the module's `status:` is not a one-word value")
    node = pair[1]
    quote = node.style if node.style in ("'", '"') else ""
    return yamltext.replace_keeping_comment_column(text, yamltext.value_start(text, node), node.end,
                                                   f"{quote}{status}{quote}")


def _approval_edits(text: str, root: Node, approval: Approval) -> list[Edit]:
    pair = root.get("review")
    if pair is None or pair[1].kind != "map" or not pair[1].pairs:
        raise UnsafeWrite("the module's `review:` is not written out as a block of keys")
    review = pair[1]
    found = review.get("approvals")
    if review.flow:
        if found is None:  # `review: {owner: ..., next_review_due: ...}`
            end = review.pairs[-1][1].end
            return [(end, end, f", approvals: [{_flow_item(approval)}]")]
        return [_flow_append(text, found[1], approval)]
    if found is None:
        column = review.column
        dash, content = _list_indent(text, root)
        lines = [" " * column + "approvals:", *_block_item(approval, column + dash, column + dash + content)]
        return [yamltext.insert_lines(text, yamltext.after(text, review), lines)]
    return _append_to_approvals(text, root, *found, approval)


def _append_to_approvals(text: str, root: Node, key: Node, approvals: Node, approval: Approval) -> list[Edit]:
    """Append to an existing `approvals:` of a block review (a block list, a flow list, `[]` or nothing)."""
    if approvals.kind == "seq" and not approvals.flow:
        first = approvals.items[0]
        dash = yamltext.dash_column(text, first)
        if first.kind == "map" and first.flow:
            lines = [" " * dash + "- " + _flow_item(approval)]
        else:
            lines = _block_item(approval, dash, first.column if first.kind == "map" else dash + 2)
        return [yamltext.insert_lines(text, yamltext.after(text, approvals), lines)]
    if approvals.kind == "seq" and approvals.items:
        return [_flow_append(text, approvals, approval)]
    if approvals.kind == "seq" or (approvals.kind == "scalar" and approvals.style == "" and approvals.value in NULLS):
        # `approvals: []` or an empty value becomes a block list under the key
        dash, content = _list_indent(text, root)
        lines = _block_item(approval, key.column + dash, key.column + dash + content)
        if approvals.start == approvals.end:  # nothing written after `approvals:`
            return [yamltext.insert_lines(text, yamltext.line_end(text, key.end), lines)]
        return [_remove_value(text, approvals), yamltext.insert_lines(text, yamltext.line_end(text, approvals.end), lines)]
    raise UnsafeWrite("the module's `approvals:` is not a list")


def _flow_append(text: str, approvals: Node, approval: Approval) -> Edit:
    """Add an entry to a flow list `[...]` (or replace an empty value by one)."""
    item = _flow_item(approval)
    if approvals.kind == "seq" and approvals.flow:
        if approvals.items:
            end = approvals.items[-1].end
            return (end, end, f", {item}")
        close = approvals.end - 1  # the `]`
        return (close, close, item)
    if approvals.kind == "scalar" and approvals.style == "" and approvals.value in NULLS:
        return (yamltext.value_start(text, approvals), approvals.end, f"[{item}]")
    raise UnsafeWrite("the module's `approvals:` is not a list")


def _remove_value(text: str, node: Node) -> Edit:
    """Remove a value such as `[]` or `~` and the spaces before it (`approvals: []  # none` -> `approvals:  # none`)."""
    start = yamltext.value_start(text, node)
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return (start, node.end, "")


def _fields(approval: Approval) -> list[tuple[str, str]]:
    fields = [("by", yamltext.scalar(approval.by))]
    if approval.role:
        fields.append(("role", yamltext.scalar(approval.role)))
    return [*fields, ("date", approval.date.isoformat()), ("fingerprint", yamltext.scalar(approval.fingerprint))]


def _block_item(approval: Approval, dash: int, content: int) -> list[str]:
    """The approval as a block list item: `- by: ...` at column `dash`, its other keys at column `content`."""
    (key, value), *rest = _fields(approval)
    first = " " * dash + "-" + " " * max(1, content - dash - 1) + f"{key}: {value}"
    return [first, *(" " * content + f"{k}: {v}" for k, v in rest)]


def _flow_item(approval: Approval) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in _fields(approval)) + "}"


def _list_indent(text: str, root: Node) -> tuple[int, int]:
    """How this file indents a list of blocks: (columns from a key to its `-`, from the `-` to the item's keys)."""
    for key, value in _pairs(root):
        if value.kind == "seq" and not value.flow and value.items and value.items[0].kind == "map" \
                and not value.items[0].flow:
            dash = yamltext.dash_column(text, value.items[0])
            return dash - key.column, value.items[0].column - dash
    return HOUSE_LIST_INDENT


def _pairs(node: Node):
    """Every (key, value) of block mappings in the document, in order."""
    if node.kind == "map" and not node.flow:
        for key, value in node.pairs:
            yield key, value
            yield from _pairs(value)
    elif node.kind == "seq" and not node.flow:
        for item in node.items:
            yield from _pairs(item)
