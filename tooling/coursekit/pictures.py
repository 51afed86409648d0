"""Whether a course picture moves: read from the file's own structure (chunks, blocks, elements), never guessed.

A reviewer approves a module from its PDF, which shows a picture's first frame only; the site shows all
of it. An animated GIF, PNG or WebP, or an SVG that animates or runs a script, could show officers wording
the reviewer never saw, so course text may not show one (`picture.moving`). Pure: bytes in, a reason out.
"""

from __future__ import annotations

import base64
import struct
import urllib.parse
import xml.etree.ElementTree as ET

# SVG elements that change the picture after it is drawn (SMIL animation), or run or embed something else.
_SVG_MOVING = frozenset({"animate", "animateColor", "animateMotion", "animateTransform", "set", "discard",
                         "script", "foreignObject"})
_CSS_MOVING = ("animation", "transition")  # CSS properties whose names start so


SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")  # what course text may show


def motion(name: str, data: bytes) -> str | None:
    """Why the picture `name` moves, in words; None when it is still. A raster picture is read as the format
    its bytes are, whatever its name says: browsers go by the bytes (an animated GIF saved as chart.png or
    chart.jpg moves on the site). Bytes of no known picture format show as no picture anywhere: None."""
    found = _sniff(data)
    if found is None:
        return _svg(data) if name.lower().endswith(".svg") else None
    if found == "ftyp":
        return "an AVIF or HEIF picture, which can hold a sequence of frames"
    return {"png": _png, "gif": _gif, "webp": _webp}.get(found, lambda _: None)(data)


def _sniff(data: bytes) -> str | None:
    """The raster format a browser finds in the bytes, whatever the file is called."""
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:3] == b"\xff\xd8\xff":
        return "jpg"
    if data[4:8] == b"ftyp":  # AVIF, HEIF: may be image sequences
        return "ftyp"
    return None


def _png(data: bytes) -> str | None:
    at = 8  # after the signature; each chunk: length, type, data, CRC
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"acTL":
            return "an animated PNG"
        if kind in (b"IDAT", b"IEND"):  # acTL must come before the image data
            return None
        at += 12 + length
    return None


def _gif(data: bytes) -> str | None:
    if len(data) < 13 or data[:3] != b"GIF":
        return "not a GIF picture that can be read"
    at = 13 + _colour_table(data[10])
    frames = 0
    while at < len(data):
        block = data[at]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then data sub-blocks
            at = _sub_blocks(data, at + 2)
        elif block == 0x2C:  # image: descriptor, local colour table, LZW code size, data sub-blocks
            frames += 1
            if frames > 1:
                return "an animated GIF"
            if at + 10 > len(data):
                break
            at = _sub_blocks(data, at + 10 + _colour_table(data[at + 9]) + 1)
        else:
            return "not a GIF picture that can be read"
    return None


def _colour_table(flags: int) -> int:
    return 3 * 2 ** ((flags & 0x07) + 1) if flags & 0x80 else 0


def _sub_blocks(data: bytes, at: int) -> int:
    while at < len(data) and data[at]:
        at += data[at] + 1
    return at + 1


def _webp(data: bytes) -> str | None:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return "not a WebP picture that can be read"
    at = 12
    while at + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[at:at + 8])
        if kind in (b"ANIM", b"ANMF") or (kind == b"VP8X" and at + 8 < len(data) and data[at + 8] & 0x02):
            return "an animated WebP picture"
        at += 8 + length + (length & 1)
    return None


def _svg(data: bytes) -> str | None:
    target = _Target()
    try:  # expat: no external entities are fetched, nested expansions are bounded
        root = ET.fromstring(data, parser=ET.XMLParser(target=target))
    except (ET.ParseError, ValueError, LookupError, RecursionError):  # an encoding expat cannot read, too
        return "not an SVG picture that can be read"
    if "xml-stylesheet" in target.instructions:  # browsers apply it, data: address and all
        return "an SVG picture with an <?xml-stylesheet?> style sheet"
    for element in root.iter():
        name = _local(element.tag)
        if name in _SVG_MOVING:
            return f"an SVG picture with a <{name}> element"
        if name == "image" and (reason := _embedded(element)):
            return reason
        # A browser reads every text directly in <style>, also after a child element: all of it, here.
        if name == "style" and (changes := _css_changes("".join(element.itertext()))):
            return changes
        if _style_attribute_moves(element.get("style") or ""):
            return "an SVG picture whose style animates it"
    return None


class _Target(ET.TreeBuilder):
    """Builds the tree, and notes the processing instructions (before the root too, which a tree drops)."""

    def __init__(self) -> None:
        super().__init__()
        self.instructions: set[str] = set()

    def pi(self, target: str, text: str | None = None):
        self.instructions.add(target.lower())
        return super().pi(target, text)


def _embedded(image: ET.Element) -> str | None:
    """Why an SVG <image> is refused: it shows another file (which a browser does not load for a picture
    but the PDF might), or a picture written into it that moves."""
    href = next((v for k, v in image.attrib.items() if _local(k) == "href"), "").strip()
    if not href.startswith("data:"):
        return "an SVG picture that shows another file"
    head, _, body = href[5:].partition(",")
    kind = head.split(";")[0].strip().lower()
    try:
        data = base64.b64decode(body, validate=False) if head.lower().endswith(";base64") else \
            urllib.parse.unquote_to_bytes(body)
    except ValueError:
        return "an SVG picture with a picture written into it that cannot be read"
    inner = motion("embedded." + kind.rsplit("/", 1)[-1].replace("svg+xml", "svg"), data)
    return f"an SVG picture with {inner} written into it" if inner else None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""  # comments and processing instructions


def _style_attribute_moves(css: str) -> bool:
    """Whether one element's declarations (its `style` attribute) animate it."""
    if not _may_change(css):
        return False
    import tinycss2

    return _declarations_move(tinycss2.parse_blocks_contents(css))


# At-rules under which a picture shows other words on another screen (a phone, dark mode, a printer) than
# the PDF a reviewer approved.
_CONDITIONS = frozenset({"media", "supports", "container"})


def _may_change(css: str) -> bool:
    lowered = css.lower()
    return "\\" in css or any(word in lowered for word in (*_CSS_MOVING, "keyframes", *_CONDITIONS))


def _css_changes(css: str) -> str | None:
    """Why a style sheet makes the picture change, in words: @keyframes, an animation or transition property,
    or a rule that holds only on some screens; found by tinycss2's parser (it comes with WeasyPrint)."""
    if not _may_change(css):  # no such name is written, nor escaped: nothing to parse
        return None
    import tinycss2

    pending = [tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)]
    while pending:  # nested at-rules without recursion, nor serialising and parsing them again
        for rule in pending.pop():
            if rule.type == "at-rule" and rule.lower_at_keyword.endswith("keyframes"):
                return "an SVG picture whose style animates it"
            if rule.type == "at-rule" and rule.lower_at_keyword in _CONDITIONS:
                return f"an SVG picture whose style changes with the screen (@{rule.lower_at_keyword})"
            if rule.type in ("qualified-rule", "at-rule") and rule.content is not None:
                items = tinycss2.parse_blocks_contents(rule.content)
                if _declarations_move(items):
                    return "an SVG picture whose style animates it"
                pending.append([i for i in items if i.type in ("qualified-rule", "at-rule")])
    return None


def _declarations_move(items: list) -> bool:
    return any(item.type == "declaration" and item.lower_name.startswith(_CSS_MOVING) for item in items)
