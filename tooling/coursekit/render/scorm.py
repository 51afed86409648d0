"""The SCORM 1.2 package: the built learner site and the course in, imsmanifest.xml and zip bytes out.

Pure: no file reads beyond this package's own templates and assets, no writes. `course scorm` builds the
site (for an LMS frame: file links, no instant navigation, the page bridge scorm.js) and writes the zip.

How the package talks to the LMS, and why this way:
- The package is one SCO. Its launch page, launch.html, shows the course home in a full-window frame;
  the learner moves between home, modules and assessment by the site's own links, inside that frame.
- A SCORM 1.2 runtime allows LMSInitialize once per launch: scorm-again, like the standard, answers a
  second LMSInitialize, or one after LMSFinish, with error 101. Every link in the site loads a new
  document, so a SCO whose pages each talked to the LMS could not know which unload is the last one to
  call LMSFinish on. The launch page therefore holds the session for the whole launch: it finds the API
  (the standard search of parent windows, then of the opener's), calls LMSInitialize once, restores the
  progress from cmi.suspend_data and the page from cmi.core.lesson_location, records each page it shows
  as the lesson location, and on its own unload (pagehide) commits and calls LMSFinish.
- The pages do not call the LMS. quiz.js keeps progress through `window.coursekitStore` when scorm.js
  has set it, and scorm.js hands that progress to the launch page (window.parent.coursekitLms). The
  launch page writes it to cmi.suspend_data (compact: 4096 characters at most in SCORM 1.2; the current
  attempt's drawn questions, their choice order and the attempt count, and the path taken through each
  branching conversation included; what a learner writes in a drafting exercise stays in the browser and
  never reaches the LMS) and, when it holds a new
  assessment result (the learner chose "Submit assessment"), sets cmi.core.score.raw/min/max and
  cmi.core.lesson_status passed or failed (a pass is kept: a later failed attempt does not undo it), one
  cmi.interactions.n per question of the attempt and cmi.objectives.n per objective it tested, then commits.
- Without an LMS (no API found, or a page opened on its own) nothing is set and quiz.js keeps progress
  in the browser, as on the plain site.
"""

from __future__ import annotations

import functools
import io
import urllib.parse
import zipfile
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..model import Course
from ..signoff import of as sign_off_of

MANIFEST = "imsmanifest.xml"
LAUNCH_PAGE = "launch.html"
HOME_PAGE = "index.html"
ASSET_DIR = "assets/scorm"
PAGE_SCRIPT = "scorm.js"  # in every site page of a SCORM build
LAUNCH_SCRIPT = "launch.js"  # in the launch page only
MANIFEST_VERSION_MAX = 20  # the IMS content-packaging schema's limit for manifest/@version
# A fixed time for every zip entry, so the same course and site give the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PackageError(ValueError):
    """The built site cannot be packaged (a hand-written page takes a name the package needs)."""


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the SCORM templates (made once per process)."""
    return Environment(loader=PackageLoader("coursekit.render", "templates/scorm"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def _asset(name: str) -> bytes:
    return resources.files("coursekit.render").joinpath(f"assets/scorm/{name}").read_bytes()


def page_assets() -> dict[str, bytes]:
    """What every page of a SCORM build loads besides the site's runtime, keyed by site path."""
    return {f"{ASSET_DIR}/{PAGE_SCRIPT}": _asset(PAGE_SCRIPT)}


def course_map(course: Course) -> dict[str, object]:
    """What the launch page needs to encode progress compactly: edition, and ids in a fixed order.

    Progress is stored by position in these lists, not by id, so 67 questions fit in suspend_data.
    """
    chosen = course.assessment_questions()
    return {
        "edition": f"{course.info.id}@{course.info.version}",
        "home": HOME_PAGE,
        "modules": [m.id for m in course.modules],
        "conversations": [f"{m.id}/{s.id}" for m in course.modules for s in m.sections if s.conversation],
        "questions": [f"{m.id}/{q.id}" for m in course.modules for q in m.questions if q.type != "draft"],
        "assessment": [f"{m.id}/{q.id}" for m, q in chosen],
        # per assessment question, for cmi.interactions: the objective it tests and its SCORM type
        "objectives": [f"{m.id}/{q.objective}" for m, q in chosen],
        "kinds": ["true-false" if q.type == "true_false" else "choice" for _, q in chosen],
    }


def launch_page(course: Course) -> str:
    """The SCO's launch page: holds the LMS session, shows the course home in a frame."""
    return environment().get_template("launch.html.j2").render(
        title=course.info.title, language=course.info.language, home=HOME_PAGE, map=course_map(course),
        script=f"{ASSET_DIR}/{LAUNCH_SCRIPT}")


def manifest(course: Course, paths: list[str]) -> str:
    """imsmanifest.xml: one organisation, one SCO (the launch page) listing every file of the package."""
    info = course.info
    return environment().get_template("imsmanifest.xml.j2").render(
        identifier=f"coursekit-{info.id}-{info.version}", version=info.version[:MANIFEST_VERSION_MAX],
        title=info.title, item_title=item_title(course),
        mastery_score=info.assessment.pass_mark, launch=LAUNCH_PAGE,
        files=[_href(p) for p in sorted(paths) if p != MANIFEST])


def item_title(course: Course) -> str:
    """The title the LMS lists the course under; it says so when modules changed since their approval."""
    changed = sum(1 for m in course.modules if sign_off_of(course, m).changed)
    note = f", {changed} module{'s' if changed != 1 else ''} changed since approval" if changed else ""
    return f"{course.info.title} (version {course.info.version}{note})"


def _href(path: str) -> str:
    """A package path as a relative URI (spaces and the like percent-encoded)."""
    return urllib.parse.quote(path, safe="/")


def package_files(site: dict[str, bytes], course: Course) -> dict[str, bytes]:
    """Every file of the package: the built site, the launch page and its script, the manifest."""
    own = {LAUNCH_PAGE: launch_page(course).encode("utf-8"),
           f"{ASSET_DIR}/{LAUNCH_SCRIPT}": _asset(LAUNCH_SCRIPT)}
    taken = sorted(set(own) & set(site) | ({MANIFEST} & set(site)))
    if taken:
        raise PackageError(f"the site has its own {', '.join(taken)}, a name the SCORM package needs: "
                           "rename that page in docs/")
    if HOME_PAGE not in site:
        raise PackageError(f"the built site has no {HOME_PAGE}")
    files = {**site, **own}
    files[MANIFEST] = manifest(course, list(files)).encode("utf-8")
    return files


def render_scorm(site: dict[str, bytes], course: Course) -> bytes:
    """The SCORM 1.2 package as zip bytes: the manifest first, then every file in path order."""
    return zip_package(package_files(site, course))


def zip_package(files: dict[str, bytes]) -> bytes:
    """The package's files as zip bytes, the manifest first, with fixed times (same files, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in [MANIFEST, *sorted(p for p in files if p != MANIFEST)]:
            entry = zipfile.ZipInfo(path, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, files[path])
    return buffer.getvalue()
