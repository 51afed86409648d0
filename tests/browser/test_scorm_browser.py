"""The SCORM 1.2 package in real Chromium, launched by a stand-in LMS running scorm-again's SCORM 1.2 runtime.

The LMS page (tests/scorm/lms.html) provides window.API and shows the package's launch page in a frame; the
learner moves by the site's own links inside it and answers through the quiz's accessible controls.
scorm-again is installed from tests/scorm/package-lock.json (npm ci) the first time it is needed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (BANKS, GOOD, SAMPLE, TESTS, TODAY, browser, open_site, right_answers,  # noqa: F401
                             serve)

from coursekit.check import check_course
from coursekit.cli import main

NPM_DIR = TESTS / "scorm"
RUNTIME = NPM_DIR / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
SUSPEND_MAX = 4096


def scorm_again() -> Path:
    """scorm-again's SCORM 1.2 runtime, installed with npm from the lock file if it is not there yet."""
    if not RUNTIME.is_file():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI") == "true":
                pytest.fail("npm is missing: the SCORM browser tests must run in CI")
            pytest.skip("npm is missing")
        subprocess.run([npm, "ci", "--prefix", str(NPM_DIR), "--no-audit", "--no-fund"], check=True,
                       capture_output=True)
    return RUNTIME


def scorm_package(source: Path, work: Path) -> Path:
    """A copy of the course at source, packaged by `course scorm`; return the zip."""
    root = work / "course"
    skip = shutil.ignore_patterns("site", ".venv", ".git", "node_modules", ".pytest_cache", "tests",
                                  "tooling", ".course-cache")
    shutil.copytree(source, root, ignore=skip)
    package = work / "course.zip"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COURSE_TODAY", TODAY)
        assert main(["scorm", "--quiet", "-o", str(package), str(root)]) == 0
    return package


def lms_with_package(package: Path, work: Path) -> Path:
    """A folder with the stand-in LMS page, scorm-again, and the course's package unzipped under package/."""
    served = work / "lms"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(served / "package")
    shutil.copy(NPM_DIR / "lms.html", served / "lms.html")
    shutil.copy(scorm_again(), served / "scorm12.js")
    return served


@pytest.fixture(scope="session")
def fixture_lms(good_scorm_package, tmp_path_factory) -> Iterator[str]:
    """The small course's package (tests/conftest.py's good_scorm_package) in the stand-in LMS."""
    yield from serve(lms_with_package(good_scorm_package, tmp_path_factory.mktemp("scorm-fixture")))


@pytest.fixture(scope="session")
def sample_lms(tmp_path_factory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("scorm-sample")
    yield from serve(lms_with_package(scorm_package(SAMPLE, work), work))


class Launch:
    """One learner at the stand-in LMS: launch the SCO, look into its course frame, close it."""

    def __init__(self, session, base: str):
        self.session, self.page = session, session.page
        self.page.goto(base + "lms.html")
        self.course = self.page.frame_locator("#sco").frame_locator("#ck-course")

    def launch(self, kept: dict | None = None) -> None:
        self.page.evaluate("(kept) => launch(kept)", kept)
        self.course.locator("[data-ck-course]").wait_for(state="attached")

    def close(self) -> dict:
        return self.page.evaluate("close_sco()")

    def cmi(self, element: str):
        return self.page.evaluate("(e) => String(e.split('.').slice(1).reduce((o, k) => o[k], API.cmi))",
                                  element)

    def calls(self, name: str) -> int:
        return self.page.evaluate("(n) => lms.calls.filter((c) => c === n).length", name)

    def errors(self) -> list[str]:
        return self.page.evaluate("lms.errors")

    def follow(self, name: str | re.Pattern, page: str, where: str = "article") -> None:
        """Follow a link of the course page (its content, or `where`), as a learner does; wait for `page`."""
        self.course.locator(where).get_by_role("link", name=name).first.click()
        self.page.wait_for_function(
            """(page) => { const sco = document.querySelector('#sco').contentDocument;
                           const shown = sco.querySelector('#ck-course').contentWindow;
                           return shown.location.pathname.endsWith('/package/' + page)
                               && shown.document.readyState === 'complete'; }""", arg=page)

    def menu(self, name: str | re.Pattern, page: str) -> None:
        """Follow a link of the site's navigation menu."""
        self.follow(name, page, where="nav.md-nav--primary")


def question(frame, prompt: str):
    return frame.locator("fieldset.ck-q", has=frame.locator("legend", has_text=prompt))


def answer_assessment(course, right: bool) -> None:
    course.get_by_label("Your name").fill("PC Scorm")
    first = question(course, "Who raised the topic first?")
    first.get_by_label("The subject." if right else "The officer.").check()
    remedies = question(course, "Which remedies")
    remedies.get_by_label("A stay of the prosecution.").check()
    remedies.get_by_label("Exclusion of evidence under s.78.").check()
    question(course, "Only the subject's messages").get_by_role("radio", name="False", exact=True).check()


def take_assessment(lms: Launch, right: bool) -> None:
    lms.follow("Go to the final assessment", "assessment/index.html")
    answer_assessment(lms.course, right)
    lms.course.get_by_role("button", name="Submit assessment").click()
    lms.course.locator("[data-ck-result]").wait_for()


def test_right_answers_report_passed_with_the_score(fixture_lms, open_site):
    lms = Launch(open_site(fixture_lms), fixture_lms)
    lms.launch()
    assert lms.calls("LMSInitialize") == 1
    assert lms.cmi("cmi.core.lesson_status") == "incomplete"
    take_assessment(lms, right=True)
    assert "Passed: 100%" in lms.course.locator("[data-ck-result]").inner_text()
    assert (lms.cmi("cmi.core.lesson_status"), lms.cmi("cmi.core.score.raw")) == ("passed", "100")
    assert (lms.cmi("cmi.core.score.min"), lms.cmi("cmi.core.score.max")) == ("0", "100")
    assert lms.cmi("cmi.core.lesson_location") == "assessment/index.html"
    assert lms.calls("LMSCommit") >= 1 and lms.calls("LMSFinish") == 0
    lms.close()
    assert lms.calls("LMSFinish") == 1 and lms.calls("LMSInitialize") == 1
    assert lms.errors() == []


def test_wrong_answers_report_failed_with_the_score(fixture_lms, open_site):
    lms = Launch(open_site(fixture_lms), fixture_lms)
    lms.launch()
    take_assessment(lms, right=False)
    assert "Not passed: 66%" in lms.course.locator("[data-ck-result]").inner_text()
    assert (lms.cmi("cmi.core.lesson_status"), lms.cmi("cmi.core.score.raw")) == ("failed", "66")
    lms.close()
    assert lms.errors() == []


def test_relaunch_restores_progress_from_suspend_data(fixture_lms, open_site):
    session = open_site(fixture_lms)
    lms = Launch(session, fixture_lms)
    lms.launch()
    lms.follow("Module 1:", "legal-line/index.html")
    lms.course.get_by_role("button", name=re.compile("I have read the note")).click()
    q = question(lms.course, "Who raised the topic first?")
    q.get_by_label("The subject.").check()
    q.get_by_role("button", name="Check answer").click()
    assert "Correct." in q.locator("[role=status]").inner_text()
    lms.menu("Final assessment", "assessment/index.html")
    answer_assessment(lms.course, right=False)
    lms.course.get_by_role("button", name="Submit assessment").click()
    lms.course.locator("[data-ck-result]").wait_for()
    kept = lms.close()
    assert lms.calls("LMSInitialize") == 1 and lms.calls("LMSFinish") == 1  # many pages, one session
    assert 0 < len(kept["suspend_data"]) <= SUSPEND_MAX
    assert kept["core"]["lesson_location"] == "assessment/index.html"
    asked = json.loads(kept["suspend_data"])["u"]  # every question asked, so that a retake asks others
    assert len(asked.split(".")) == 3

    # A new launch, a new browser profile (nothing in localStorage): only the LMS remembers.
    later = Launch(open_site(fixture_lms), fixture_lms)
    later.launch(kept)
    assert later.calls("LMSInitialize") == 1
    course = later.course
    course.locator("[data-ck-assessment][data-ck-ready]").wait_for(state="attached")  # its script is loaded
    result = course.locator("[data-ck-result]")
    assert "Not passed: 66%" in result.inner_text()  # the launch resumed at the assessment
    assert "Apply the unexceptional-opportunity test." in course.locator("[data-ck-missed]").inner_text()
    assert course.get_by_label("Your name").input_value() == "PC Scorm"
    later.menu(re.compile("^The legal line"), "legal-line/index.html")
    q = question(course, "Who raised the topic first?")
    assert q.is_visible()  # the content note stays acknowledged
    assert q.get_by_label("The subject.").is_checked()
    assert "Correct." in q.locator("[role=status]").inner_text()
    later.menu(re.compile("^Test course"), "index.html")
    progress = course.locator(".ck-module [data-ck-progress=legal-line]").inner_text()
    assert progress == "In progress: 1 of 3 questions answered correctly"
    assert course.locator("[data-ck-result-summary]").inner_text().startswith("Not passed, 66%")
    assert later.page.evaluate("localStorage.length") == 0  # kept by the LMS, not the browser
    assert json.loads(later.close()["suspend_data"])["u"] == asked
    assert later.errors() == []


def test_a_conversation_path_comes_back_on_relaunch_and_a_draft_never_reaches_the_lms(fixture_lms, open_site):
    lms = Launch(open_site(fixture_lms), fixture_lms)
    lms.launch()
    lms.follow("Module 1:", "legal-line/index.html")
    course = lms.course
    course.get_by_role("button", name=re.compile("I have read the note")).click()
    for reply in ("13. u?", "ok. what games do u play", "Try another path", "13. u?"):
        course.get_by_role("button", name=reply, exact=True).click()
    assert "Step 2: choose your reply." in course.locator(".ck-conv__options").inner_text()
    course.get_by_label("Your draft").fill("my own words, never sent")
    course.get_by_role("button", name="Show the model answer").click()
    course.get_by_label("Stays in the persona's voice.").check()
    kept = lms.close()
    data = json.loads(kept["suspend_data"])
    assert data["v"] == "0.8"  # reply 0 at step 1 so far; ending at position 3 reached (bit 3: 8)
    assert "never sent" not in kept["suspend_data"] and "draft-reply" not in kept["suspend_data"]
    assert lms.errors() == []

    later = Launch(open_site(fixture_lms), fixture_lms)  # a new browser profile: only the LMS remembers
    later.launch(kept)
    course = later.course
    course.locator(".ck-conv__chat").wait_for()
    assert "13. u?" in course.get_by_role("log").inner_text()
    assert "Step 2: choose your reply." in course.locator(".ck-conv__options").inner_text()
    course.get_by_role("button", name="do u have a gf?").click()
    assert "You have reached 2 of the 3 endings." in course.locator(".ck-conv__end").inner_text()
    assert course.get_by_label("Your draft").input_value() == ""  # the draft stayed in the first browser
    later.close()
    assert later.errors() == []


def test_without_an_lms_the_package_works_as_the_plain_site(fixture_lms, open_site):
    page = open_site(fixture_lms).page
    page.goto(fixture_lms + "package/launch.html")
    course = page.frame_locator("#ck-course")
    course.locator("article").get_by_role("link", name="Go to the final assessment").click()
    answer_assessment(course, right=True)
    course.get_by_role("button", name="Submit assessment").click()
    assert "Passed: 100%" in course.locator("[data-ck-result]").inner_text()
    stored = page.evaluate("JSON.parse(localStorage.getItem('coursekit:test-course:1.2.0'))")
    assert stored["a"]["r"]["passed"] is True


def test_the_sample_course_fits_suspend_data_and_comes_back(sample_lms, open_site):
    """Every question of the sample course touched and an attempt passed: progress still fits in 4096 characters."""
    sample = check_course(SAMPLE).course
    lms = Launch(open_site(sample_lms), sample_lms)
    lms.launch()
    modules = lms.page.evaluate("JSON.parse(document.querySelector('#sco').contentDocument"
                                ".getElementById('ck-course-map').textContent)")
    for number in range(1, len(modules["modules"]) + 1):
        lms.follow(f"Module {number}:", f"{modules['modules'][number - 1]}/index.html")
        ack = lms.course.get_by_role("button", name=re.compile("I have read the note"))
        if ack.count():
            ack.click()
        # Choose every choice of every question and check it twice: the longest entries progress can have.
        lms.course.locator(".ck-quiz fieldset[data-ck-q]").evaluate_all("""(all) => all.forEach((fs) => {
            fs.querySelectorAll('input').forEach((i) => { i.checked = true; });
            fs.dispatchEvent(new Event('change', {bubbles: true}));
            fs.querySelector('.ck-check').click(); fs.querySelector('.ck-check').click(); })""")
        walk_conversations(lms.course)
        lms.menu(re.compile("^Covert"), "index.html")
    asked = take_sample_assessment(lms)
    kept = lms.close()
    assert len(modules["assessment"]) == len(sample.assessment_questions())
    assert asked == sum(len(m.objectives) for m in sample.modules) * (sample.info.assessment.draw_per_objective or 1)
    assert len(kept["suspend_data"]) <= SUSPEND_MAX, len(kept["suspend_data"])

    later = Launch(open_site(sample_lms), sample_lms)
    later.launch(kept)
    later.course.locator("[data-ck-assessment][data-ck-ready]").wait_for(state="attached")
    assert f"{asked} of {asked} questions right" in later.course.locator("[data-ck-record-result]").inner_text()
    later.menu(re.compile("^Covert"), "index.html")
    progress = later.course.locator(".ck-module [data-ck-progress]")
    assert progress.count() == len(modules["modules"])
    assert all(text.startswith(("In progress", "Completed")) for text in progress.all_inner_texts())
    later.close()
    assert lms.errors() == [] and later.errors() == []


def walk_conversations(course) -> None:
    """Each conversation on the page: the last reply at every step to an ending, then the first replies
    (for at most 40 steps each: a loop may never end) so that a path is under way as well."""
    for conv in course.locator(".ck-conv").all():
        conv.locator(".ck-conv__chat").wait_for()
        for pick in (-1, 0):
            for _ in range(40):
                replies = conv.locator(".ck-conv__options button:visible")
                if not replies.count():
                    break
                replies.nth(pick if pick >= 0 else replies.count() - 1).click()
            if pick == -1 and conv.locator(".ck-conv__end").is_visible():
                conv.get_by_role("button", name="Try another path").click()


def take_sample_assessment(lms: Launch) -> int:
    """Answer every question of the attempt right, by its answer key, and submit; return how many were asked."""
    lms.follow("Go to the final assessment", "assessment/index.html")
    asked = len(drawn(lms.course))
    choose(lms.course, right_answers(SAMPLE), wrong=0)
    lms.course.get_by_label("Your name").fill("PC " + "Long-Name " * 30)
    lms.course.get_by_role("button", name="Submit assessment").click()
    assert "Passed: 100%" in lms.course.locator("[data-ck-result]").inner_text()
    assert lms.cmi("cmi.core.lesson_status") == "passed"
    return asked


@pytest.fixture(scope="session")
def bank_lms(tmp_path_factory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("scorm-banks")
    yield from serve(lms_with_package(scorm_package(BANKS, work), work))


def cmi(lms: Launch) -> dict:
    """Everything the LMS holds, as scorm-again exports it (write-only elements included)."""
    return lms.page.evaluate("JSON.parse(JSON.stringify(API.cmi))")


def drawn(course) -> list[str]:
    course.locator("[data-ck-assessment][data-ck-ready]").wait_for(state="attached")
    return course.locator("[data-ck-questions] fieldset[data-ck-q]:visible").evaluate_all(
        "(all) => all.map((fs) => fs.getAttribute('data-ck-q'))")


def choose(course, right: dict[str, list[int]], wrong: int) -> dict[str, list[int]]:
    """Answer the drawn questions, the first `wrong` of them wrongly; return what was chosen."""
    return course.locator("[data-ck-questions] fieldset[data-ck-q]:visible").evaluate_all(
        """(all, [right, wrong]) => Object.fromEntries(all.map((fs, n) => {
             const ref = fs.getAttribute('data-ck-q'), inputs = [...fs.querySelectorAll('input')];
             const want = n < wrong ? [inputs.map((i) => Number(i.value)).find((v) => !right[ref].includes(v))]
                                    : right[ref];
             inputs.forEach((i) => { i.checked = want.includes(Number(i.value)); });
             fs.dispatchEvent(new Event('change', {bubbles: true}));
             return [ref, want]; }))""", [right, wrong])


def test_the_lms_receives_each_answer_and_each_objective(bank_lms, open_site):
    course_model = check_course(BANKS).course
    kinds = {f"{m.id}/{q.id}": ("true-false" if q.type == "true_false" else "choice", f"{m.id}/{q.objective}")
             for m, q in course_model.assessment_questions()}
    right = right_answers(BANKS)
    lms = Launch(open_site(bank_lms), bank_lms)
    lms.launch()
    lms.follow("Go to the final assessment", "assessment/index.html")
    first = drawn(lms.course)
    chosen = choose(lms.course, right, wrong=2)
    lms.course.get_by_role("button", name="Submit assessment").click()
    lms.course.locator("[data-ck-result]").wait_for()
    data = cmi(lms)
    assert (data["core"]["lesson_status"], data["core"]["score"]["raw"]) == ("failed", "66")
    interactions = [data["interactions"][str(n)] for n in range(len(data["interactions"]))]
    assert [i["id"] for i in interactions] == first
    for n, (ref, got) in enumerate(zip(first, interactions)):
        kind, objective = kinds[ref]
        response = ",".join(("t" if k == 0 else "f") if kind == "true-false" else "abcdef"[k] for k in chosen[ref])
        assert (got["type"], got["objectives"]["0"]["id"], got["student_response"]) == (kind, objective, response)
        assert got["result"] == ("wrong" if n < 2 else "correct")
        assert re.fullmatch(r"\d\d:\d\d:\d\d", got["time"])
    objectives = {o["id"]: o["status"] for o in data["objectives"].values()}
    assert objectives == {"first-contact/who-raised-it": "failed", "first-contact/remedies": "passed",
                          "recording/both-sides": "passed"}  # the first two questions share the first objective

    lms.course.get_by_role("button", name="Start again").click()
    lms.course.get_by_role("dialog", name="Start the assessment again?").get_by_role("button", name="Start again").click()
    second = drawn(lms.course)
    choose(lms.course, right, wrong=0)
    lms.course.get_by_role("button", name="Submit assessment").click()
    lms.course.locator("[data-ck-result]").wait_for()
    data = cmi(lms)
    assert (data["core"]["lesson_status"], data["core"]["score"]["raw"]) == ("passed", "100")
    assert [data["interactions"][str(n)]["id"] for n in range(6, 12)] == second and len(data["interactions"]) == 12
    assert {o["id"]: o["status"] for o in data["objectives"].values()} == dict.fromkeys(objectives, "passed")
    order = lms.course.locator(f"fieldset[data-ck-q='{second[0]}'] input").evaluate_all("(a) => a.map((i) => i.value)")
    kept = lms.close()
    assert len(kept["suspend_data"]) <= SUSPEND_MAX
    assert json.loads(kept["suspend_data"])["t"][0] == 2  # the attempt count travels with the progress

    later = Launch(open_site(bank_lms), bank_lms)
    later.launch(kept)  # resumes at the assessment, in a browser that kept nothing
    assert drawn(later.course) == second
    assert later.course.locator(f"fieldset[data-ck-q='{second[0]}'] input").evaluate_all(
        "(a) => a.map((i) => i.value)") == order
    assert later.course.locator("[data-ck-attempt]").inner_text() == "Attempt 2 of 3: marked"
    assert "Passed: 100%" in later.course.locator("[data-ck-result]").inner_text()
    assert later.course.locator("[data-ck-submit]").is_hidden()
    later.close()
    assert lms.errors() == [] and later.errors() == []
