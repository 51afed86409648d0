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


def test_a_class_written_in_course_text_never_takes_one_of_the_outputs_styles():
    """`{: .ck-sr }` hid a word on the site that the reviewer's PDF showed (see the browser test of approved
    text): every class in course text gets the prefix ids get, in the one converter the site and PDFs share."""
    resolve = lambda scheme, target, anchor: target  # noqa: E731
    html = to_html("Never *propose*{: .ck-sr .md-toggle } a place.\n{: .ck-gate--closed #rule }", resolve)
    assert html == ('<p class="text-ck-gate--closed" id="text-rule">Never '
                    '<em class="text-ck-sr text-md-toggle">propose</em> a place.</p>')


def test_an_id_written_in_course_text_never_takes_over_one_of_the_outputs_own(good_course):
    """`{: #signoff }` in a module once moved the reviewer PDF's contents line "Sign-off sheets" to the module
    text; on the site, `#__search` or `#ck-name` would repeat the theme's and the assessment's own ids."""
    import datetime as dt

    from coursekit.check import check_course
    from coursekit.render.pdf import render_html

    resolve = lambda scheme, target, anchor: f"../{target}/"  # noqa: E731
    html = to_html("Note.\n{: #signoff }\n\nSee [the note](#signoff), [a module](module:legal-line) and "
                   "[a section of this page](#first-contact).", resolve)
    assert '<p id="text-signoff">Note.</p>' in html and '<a href="#text-signoff">the note</a>' in html
    assert '<a href="#first-contact">a section of this page</a>' in html  # not an id of the text: as written
    assert '<a href="../legal-line/">a module</a>' in html
    module = good_course / "modules" / "recording.yml"
    text = module.read_text(encoding="utf-8")
    old = "      Capture both sides; see [the legal line](module:legal-line).\n"
    assert old in text
    module.write_text(text.replace(old, old + "      {: #signoff }\n"), encoding="utf-8")
    result = check_course(good_course)
    assert not result.errors
    on = dt.date(2026, 11, 23)
    reviewer = render_html(result.course, "reviewer", on, (), result.warnings)
    assert reviewer.count('id="signoff"') == 1 and reviewer.count('id="text-signoff"') == 1
