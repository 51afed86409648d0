"""Trainers' Markdown: raw HTML shown as text, course links resolved per call."""

from __future__ import annotations

from coursekit.markup import to_html


def test_raw_html_is_text_and_links_resolve_per_call():
    site = lambda scheme, target, anchor: f"../{target}/" + (f"#{anchor}" if anchor else "")  # noqa: E731
    html = to_html("See [the test](module:legal-line#the-test) <script>x</script> & a < b", site)
    assert '<a href="../legal-line/#the-test">the test</a>' in html
    assert "&lt;script&gt;" in html and "<script>" not in html and "&amp; a &lt; b" in html
    pdf = lambda scheme, target, anchor: f"#{scheme}-{target}"  # noqa: E731
    assert to_html("[Looseley](ref:looseley-2001)", pdf, inline=True) == '<a href="#ref-looseley-2001">Looseley</a>'


def test_conversions_do_not_leak_into_each_other():
    resolve = lambda scheme, target, anchor: target  # noqa: E731
    first = to_html("- one\n- two", resolve)
    assert to_html("plain", resolve) == "<p>plain</p>"
    assert to_html("- one\n- two", resolve) == first
