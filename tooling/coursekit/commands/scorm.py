"""`course scorm`: the learner site as a SCORM 1.2 package for a force's learning management system."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable


def register(sub: Any, subcommand: Callable[..., argparse.ArgumentParser]) -> None:
    """Add `course scorm` to the command line."""
    p = subcommand(sub, "scorm", cmd_scorm,
                   "Package the learner site as SCORM 1.2 for an LMS, which then records score and pass or fail.",
                   "course scorm -o build/course-scorm.zip .")
    p.add_argument("path", nargs="?", default=".", metavar="PATH", help="the course folder (default: here)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.zip", help="the zip file to write")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line and no success message")


def cmd_scorm(args: argparse.Namespace) -> int:
    """Build the site for an LMS in a temporary folder, package it; write the zip only if all went well."""
    from ..cli import EXIT_OK, EXIT_PROBLEMS, Failure
    from ..outputs import OutputError, check_output_file, site_files
    from ..render.scorm import MANIFEST, PackageError, package_files, zip_package
    from ..render.scorm_schema import ManifestInvalid, validate_manifest
    from ..yamlio import write_atomic
    from .site import build_site

    output = Path(args.output)
    try:
        check_output_file(Path(args.path), output, "SCORM package")
    except OutputError as exc:
        raise Failure(str(exc)) from None
    import tempfile

    with tempfile.TemporaryDirectory(prefix="course-scorm-") as work:
        site_dir = Path(work) / "site"
        course = build_site(Path(args.path), site_dir, quiet=args.quiet, scorm=True,
                            not_built=f"No SCORM package written{_kept(output)}.")
        if course is None:
            return EXIT_PROBLEMS
        site = site_files(site_dir)  # without the marker that says coursekit made the folder
    try:
        files = package_files(site, course)
        validate_manifest(files[MANIFEST])  # the LMS's own check, done first: an invalid package is never written
    except (PackageError, ManifestInvalid) as exc:
        raise Failure(f"{exc}; no SCORM package written{_kept(output)}") from exc
    package = zip_package(files)
    write_atomic(output, package)
    if not args.quiet:
        print(f"Wrote {output} (SCORM 1.2 package of {course.info.title} version {course.info.version}, "
              f"{len(files)} files, {len(package) // 1024} KB)")
    return EXIT_OK


def _kept(output: Path) -> str:
    return f"; {output} is unchanged" if output.exists() else ""
