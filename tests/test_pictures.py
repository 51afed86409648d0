"""Pictures that move are found from the file's own structure, in each format course text may show."""

from __future__ import annotations

import io

import pytest
from conftest import GOOD
from coursekit.check import check_course
from coursekit.diagnostics import Code
from coursekit.pictures import motion
from PIL import Image


def _frames(fmt: str, count: int) -> bytes:
    """A real picture file written by Pillow: `count` frames of different colours."""
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")[:count]]
    out = io.BytesIO()
    if count > 1:
        frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=500, loop=0)
    else:
        frames[0].save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "suffix"), [("PNG", "png"), ("GIF", "gif"), ("WEBP", "webp")])
def test_a_picture_of_several_frames_moves_and_one_of_one_frame_does_not(fmt, suffix):
    assert motion(f"chart.{suffix}", _frames(fmt, 1)) is None
    assert "animated" in motion(f"chart.{suffix}", _frames(fmt, 3))
    assert motion("chart.jpg", _frames("JPEG", 1)) is None


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">{}</svg>'


@pytest.mark.parametrize(("inside", "moves"), [
    ('<text x="0" y="20">Never propose a meeting place.</text>', None),
    ('<text y="20">Never<set attributeName="display" to="none" begin="1s"/></text>', "<set> element"),
    ('<text y="20">A<animate attributeName="opacity" values="1;0" dur="2s"/></text>', "<animate> element"),
    ('<script>document.title = "x"</script>', "<script> element"),
    ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">Text</p></foreignObject>', "<foreignObject> element"),
    ("<style>@keyframes go { to { opacity: 0 } } text { fill: red }</style><text>A</text>", "style animates"),
    ("<style>@media screen { text { transition: opacity 1s } }</style><text>A</text>", "changes with the screen"),
    ("<style>@media (max-width: 500px) { #no { display: none } }</style><text id='no'>NOT</text>",
     "changes with the screen (@media)"),
    ("<style>@supports (display: grid) { text { fill: red } }</style><text>A</text>", "changes with the screen"),
    ("<style>text { fill: #123 }</style><text>A</text>", None),
    ('<text style="fill: red; animation-name: fade">A</text>', "style animates"),
    ('<text style="fill: red">A</text>', None),
])
def test_an_svg_that_animates_scripts_or_embeds_moves(inside, moves):
    found = motion("rule.svg", SVG.format(inside).encode())
    assert (found is None) if moves is None else (moves in found), found


def test_an_svg_that_shows_a_moving_picture_or_another_file_moves():
    """A browser animates a GIF written into an SVG; a file the SVG points to is loaded by the PDF only."""
    import base64

    def image(data: bytes, kind: str) -> bytes:
        href = f"data:{kind};base64,{base64.b64encode(data).decode()}"
        return SVG.format(f'<image xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="{href}" '
                          'width="8" height="8"/>').encode()

    assert motion("rule.svg", image(_frames("PNG", 1), "image/png")) is None
    assert motion("rule.svg", image(_frames("GIF", 2), "image/gif")) == \
        "an SVG picture with an animated GIF written into it"
    inner = SVG.format('<text>A<set attributeName="display" to="none" begin="1s"/></text>').encode()
    assert "<set> element" in motion("rule.svg", image(inner, "image/svg+xml"))
    assert motion("rule.svg", SVG.format('<image href="images/other.png"/>').encode()) == \
        "an SVG picture that shows another file"


def test_an_svg_that_cannot_be_read_is_said_so():
    assert motion("rule.svg", b"<svg><text>unclosed</svg>") == "not an SVG picture that can be read"


def test_a_module_that_shows_a_moving_picture_is_refused_where_it_names_it(good_course):
    images = good_course / "docs" / "images"
    images.mkdir(parents=True)
    (images / "still.gif").write_bytes(_frames("GIF", 1))
    (images / "moving.gif").write_bytes(_frames("GIF", 2))
    _show(good_course, "![The rule](images/still.gif)")
    assert check_course(good_course).diagnostics == []
    _show(good_course, "![The rule](images/moving.gif)")
    (problem,) = check_course(good_course).diagnostics
    assert (problem.path, problem.line, problem.code) == ("modules/recording.yml", 20, Code.PICTURE_MOVING)
    assert problem.message.startswith("docs/images/moving.gif is an animated GIF: the PDF a reviewer approves")


def test_a_picture_is_read_as_its_bytes_say_whatever_its_name():
    """Browsers go by the bytes: an animated GIF saved as chart.jpg or chart.png moves on the site."""
    assert motion("chart.jpg", _frames("GIF", 2)) == "an animated GIF"
    assert motion("chart.png", _frames("GIF", 2)) == "an animated GIF"
    assert motion("chart.png", b"not a picture at all") is None  # shows as no picture, on the site and the PDF


@pytest.mark.parametrize(("svg", "moves"), [
    # a browser reads every text directly in <style>, also after a child element
    (SVG.format("<style>.x {}<desc/>@keyframes k { to { opacity: 0 } } #t { animation: k 1s }</style>"
                '<text id="t">A</text>'), "style animates"),
    ('<?xml-stylesheet type="text/css" href="data:text/css,text{animation:k 1s}"?>' + SVG.format("<text>A</text>"),
     "xml-stylesheet"),
    # encodings the XML parser cannot read are refused in words (they had crashed the checker)
    ('<?xml version="1.0" encoding="Shift_JIS"?>' + SVG.format("<text>A</text>"), "not an SVG picture that can be read"),
    ('<?xml version="1.0" encoding="no-such-encoding"?>' + SVG.format("<text>A</text>"), "not an SVG picture that can"),
    (SVG.format("<style>" + "@font-feature-values x {" * 600 + "text { transition: opacity 1s }" + "}" * 600
                + "</style>"), "style animates"),
])
def test_svg_style_sheets_are_read_whole_and_no_svg_crashes_the_reader(svg, moves):
    found = motion("rule.svg", svg.encode("utf-8"))
    assert (found is None) if moves is None else (moves in found), found


def test_what_a_module_shows_is_found_as_the_page_resolves_it(good_course):
    """A path written `rule\\.gif` is the picture rule.gif; a picture without a known suffix is refused
    (the PDFs cannot show it, so the reviewer would approve the module without seeing it)."""
    images = good_course / "docs" / "images"
    images.mkdir(parents=True)
    (images / "rule.gif").write_bytes(_frames("GIF", 2))
    (images / "rule").write_bytes(_frames("GIF", 1))
    _show(good_course, "![The rule](images/rule\\.gif)")
    assert [d.code for d in check_course(good_course).diagnostics] == [Code.PICTURE_MOVING]
    _show(good_course, "![The rule](images/rule)")
    (problem,) = check_course(good_course).diagnostics
    assert problem.code is Code.LINK_FILE and "not a picture file the PDFs can show" in problem.message


def test_an_svg_checked_out_with_windows_line_endings_keeps_its_approval(good_course):
    images = good_course / "docs" / "images"
    images.mkdir(parents=True)
    chart = images / "chart.svg"
    chart.write_bytes(SVG.format("\n<text>A</text>\n").encode())
    _show(good_course, "![The chart](images/chart.svg)")
    before = check_course(good_course).fingerprints["modules/recording.yml"]
    chart.write_bytes(chart.read_bytes().replace(b"\n", b"\r\n"))
    assert check_course(good_course).fingerprints["modules/recording.yml"] == before
    chart.write_bytes(SVG.format("\n<text>B</text>\n").encode())
    assert check_course(good_course).fingerprints["modules/recording.yml"] != before


def _show(course, markdown: str) -> None:
    """The fixture's recording module, with `markdown` (a picture) in a paragraph after its text."""
    module = course / "modules" / "recording.yml"
    old = "      Capture both sides; see [the legal line](module:legal-line).\n"
    text = (GOOD / "modules" / "recording.yml").read_text()
    module.write_text(text.replace(old, old + f"\n      {markdown}\n"))


def test_a_glossary_definition_may_not_show_a_moving_picture_either(good_course):
    """No approval records the glossary, but officers read it: its pictures are checked as modules' are."""
    images = good_course / "docs" / "images"
    images.mkdir(parents=True)
    (images / "stay.gif").write_bytes(_frames("GIF", 2))
    glossary = good_course / "course" / "glossary.yml"
    glossary.write_text(glossary.read_text().replace(
        "  definition: An order stopping a prosecution as an abuse of process.",
        "  definition: \"An order stopping a prosecution as an abuse of process. ![Stay](images/stay.gif)\""))
    (problem,) = check_course(good_course).diagnostics
    assert (problem.path, problem.code) == ("course/glossary.yml", Code.PICTURE_MOVING)
