"""`course scorm` and its package: a manifest valid against the SCORM 1.2 schemas, listing every file."""

from __future__ import annotations

import io
import json
import re
import urllib.parse
import zipfile
from pathlib import Path

import lxml.etree as ET
import pytest
from conftest import GOOD, approve_modules

from coursekit.check import check_course
from coursekit.render.scorm import MANIFEST, PackageError, course_map, package_files, render_scorm
from coursekit.render.scorm_schema import ManifestInvalid, load_schema, validate_manifest

NS = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
      "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}


@pytest.fixture(scope="module")
def schema() -> ET.XMLSchema:
    """The SCORM 1.2 schemas shipped inside coursekit: the copy `course scorm` validates against."""
    return load_schema()[0]


@pytest.fixture(scope="module")
def package(good_scorm_package) -> Path:
    """The small test course packaged once by the command, as trainers run it (shared with the browser tests)."""
    return good_scorm_package


def listed(manifest: ET._ElementTree) -> list[str]:
    return [urllib.parse.unquote(f.get("href")) for f in manifest.iterfind(".//cp:resource/cp:file", NS)]


def test_manifest_is_valid_scorm_12_and_lists_every_file(package, schema):
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        manifest = ET.parse(io.BytesIO(archive.read("imsmanifest.xml")))
    schema.assertValid(manifest)
    files = listed(manifest)
    assert files and set(files) <= set(names)  # every listed file is in the zip
    assert set(names) - set(files) == {"imsmanifest.xml"}  # and every file of the zip is listed
    assert not [n for n in names if ".coursekit-site" in n]  # the built folder's marker stays out
    assert len(files) == len(set(files))
    for page in ("launch.html", "index.html", "legal-line/index.html", "assessment/index.html",
                 "assets/course/quiz.js", "assets/scorm/scorm.js", "assets/scorm/launch.js"):
        assert page in files


def test_manifest_carries_title_version_launch_page_and_mastery_score(package):
    with zipfile.ZipFile(package) as archive:
        root = ET.fromstring(archive.read("imsmanifest.xml"))
    assert root.get("version") == "1.2.0"
    assert [e.text for e in root.iterfind("cp:metadata/*", NS)] == ["ADL SCORM", "1.2"]
    organization = root.find("cp:organizations/cp:organization", NS)
    assert organization.findtext("cp:title", namespaces=NS) == "Test course: the legal line"
    item = root.find("cp:organizations/cp:organization/cp:item", NS)
    assert "1.2.0" in item.findtext("cp:title", namespaces=NS)
    assert item.findtext("adlcp:masteryscore", namespaces=NS) == "80"  # the course's pass mark
    resources = root.findall("cp:resources/cp:resource", NS)
    assert len(resources) == 1  # one SCO
    sco = resources[0]
    assert sco.get(f"{{{NS['adlcp']}}}scormtype") == "sco" and sco.get("href") == "launch.html"
    assert item.get("identifierref") == sco.get("identifier")


def test_pages_are_built_for_an_lms_frame(package):
    with zipfile.ZipFile(package) as archive:
        home = archive.read("index.html").decode("utf-8")
        module = archive.read("legal-line/index.html").decode("utf-8")
        launch = archive.read("launch.html").decode("utf-8")
    assert 'href="legal-line/index.html"' in home and 'href="assessment/index.html"' in home  # file links
    assert "navigation.instant" not in module
    scripts = re.findall(r'<script src="([^"]+)"', module)
    assert scripts.index("../assets/scorm/scorm.js") < scripts.index("../assets/course/quiz.js")
    assert "SECRET-TRAINER-NOTE" not in home + module
    course = json.loads(re.search(r'id="ck-course-map">(.*?)</script>', launch).group(1))
    assert course["edition"] == "test-course@1.2.0" and course["home"] == "index.html"
    assert course["assessment"] == ["legal-line/who-raised-it", "legal-line/stay-or-exclude",
                                    "recording/both-sides"]


def test_plain_site_build_is_unchanged(good_site):
    module = (good_site / "legal-line" / "index.html").read_text(encoding="utf-8")
    assert "scorm.js" not in module and not (good_site / "assets" / "scorm").exists()
    assert 'href="../recording/index.html"' in module  # file links, as the offline plugin makes them


def test_schemas_ship_in_the_package_and_load_nothing_from_outside():
    schema, asked = load_schema()
    assert sorted(asked) == ["adlcp_rootv1p2.xsd", "ims_xml.xsd", "imscp_rootv1p1p2.xsd"]  # names, no URLs
    folder = Path(__import__("coursekit.render", fromlist=["x"]).__file__).parent / "scorm12_xsd"
    assert (folder / "README.md").is_file()  # the copy keeps its notice
    assert isinstance(schema, ET.XMLSchema)


def test_an_invalid_manifest_is_refused_with_its_line():
    course = check_course(GOOD).course
    manifest = package_files({"index.html": b""}, course)[MANIFEST]
    validate_manifest(manifest)  # the real one passes
    broken = manifest.replace(b'adlcp:scormtype="sco"', b'adlcp:scormtype="lesson"')
    assert broken != manifest
    with pytest.raises(ManifestInvalid, match=r"line \d+: .*scormtype"):
        validate_manifest(broken)
    with pytest.raises(ManifestInvalid, match="not well-formed"):
        validate_manifest(b"<manifest")


def test_scorm_command_writes_no_package_whose_manifest_is_invalid(good_course, run, tmp_path, monkeypatch):
    from coursekit.render import scorm

    real = scorm.manifest
    monkeypatch.setattr(scorm, "manifest", lambda course, paths: real(course, paths).replace('scormtype="sco"', 'scormtype="lesson"'))
    out = tmp_path / "course.zip"
    code, _, err = run("scorm", "--quiet", "-o", str(out), str(good_course))
    assert code == 1 and "does not conform to the SCORM 1.2 schemas" in err and "no SCORM package written" in err
    assert not out.exists()


def test_package_is_reproducible_and_pure():
    course = check_course(GOOD).course
    site = {"index.html": b"<p>home</p>", "my page.html": b"x"}
    first = render_scorm(site, course)
    assert render_scorm(site, course) == first
    files = package_files(site, course)
    assert set(files) == {"index.html", "my page.html", "launch.html", "assets/scorm/launch.js",
                          "imsmanifest.xml"}
    assert b'href="my%20page.html"' in files["imsmanifest.xml"]
    assert course_map(course)["questions"][:2] == ["legal-line/who-raised-it", "legal-line/stay-or-exclude"]


def test_a_page_named_like_the_launch_page_is_refused():
    course = check_course(GOOD).course
    with pytest.raises(PackageError, match="launch.html"):
        package_files({"index.html": b"", "launch.html": b"mine"}, course)


def test_course_with_errors_prints_diagnostics_and_writes_nothing(good_course, run, tmp_path):
    out = tmp_path / "course.zip"
    with zipfile.ZipFile(out, "w") as previous:
        previous.writestr("imsmanifest.xml", "<manifest>the previous package</manifest>")
    before = out.read_bytes()
    module = good_course / "modules" / "legal-line.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    code, stdout, _ = run("scorm", "-o", str(out), str(good_course))
    assert code == 1
    assert re.search(r"modules/legal-line\.yml:\d+:\d+: error", stdout)
    assert f"No SCORM package written; {out} is unchanged." in stdout
    assert out.read_bytes() == before


def test_docs_page_clashing_with_the_package_is_a_clean_error(good_course, run, tmp_path):
    (good_course / "docs" / "launch.md").write_text("# Mine\n", encoding="utf-8")
    code, _, stderr = run("scorm", "--quiet", "-o", str(tmp_path / "c.zip"), str(good_course))
    assert code == 1 and "launch.html" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "c.zip").exists()


def test_trainer_pages_stay_out_of_the_learners_package(good_course, run, tmp_path):
    trainers = good_course / "docs" / "trainers"
    trainers.mkdir()
    (trainers / "guide.md").write_text("# Guide for trainers\n\nHow to approve a module.\n", encoding="utf-8")
    out = tmp_path / "course.zip"
    assert run("scorm", "--quiet", "-o", str(out), str(good_course))[0] == 0
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        home = archive.read("index.html").decode("utf-8")
    assert not [n for n in names if n.startswith("trainers/")] and "For trainers" not in home
    assert run("build", "--quiet", str(good_course))[0] == 0  # the plain site keeps them
    assert (good_course / "site" / "trainers" / "guide.html").is_file()


def test_a_module_changed_since_approval_is_marked_in_the_package(good_course, run, tmp_path):
    approve_modules(good_course)
    module = good_course / "modules" / "recording.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("Capture both sides;", "Capture both sides, always;"),
                      encoding="utf-8")
    out = tmp_path / "course.zip"
    assert run("scorm", "--quiet", "-o", str(out), str(good_course))[0] == 0
    with zipfile.ZipFile(out) as archive:
        item = ET.fromstring(archive.read("imsmanifest.xml")).find("cp:organizations/cp:organization/cp:item", NS)
        changed = archive.read("recording/index.html").decode("utf-8")
        approved = archive.read("legal-line/index.html").decode("utf-8")
        home = archive.read("index.html").decode("utf-8")
        record = archive.read("assessment/index.html").decode("utf-8")
    assert item.findtext("cp:title", namespaces=NS) == "Test course: the legal line (version 1.2.0, 1 module changed since approval)"
    assert 'data-ck-signoff="changed"' in changed and "Changed since approval" in changed
    assert "data-ck-signoff" not in approved
    assert home.count('data-ck-signoff="changed"') == 1
    assert "<td>changed since approval</td>" in record


def test_course_map_gives_each_assessment_question_its_objective_and_kind():
    course = check_course(GOOD.parent / "banks").course
    found = course_map(course)
    assert len(found["assessment"]) == len(found["objectives"]) == len(found["kinds"]) == 9
    position = found["assessment"].index("recording/bank-capture")
    assert (found["objectives"][position], found["kinds"][position]) == ("recording/both-sides", "choice")
    assert found["kinds"][found["assessment"].index("recording/bank-gaps")] == "true-false"


def test_course_map_names_each_conversation_and_leaves_drafts_out():
    """The LMS keeps a path through each conversation; a drafting exercise never reaches it."""
    found = course_map(check_course(GOOD).course)
    assert found["conversations"] == ["legal-line/an-evening-online"]
    assert "legal-line/draft-reply" not in found["questions"] and len(found["questions"]) == 4
