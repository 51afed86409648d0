"""Benchmark measurements beyond `course check`: build, serve, PDF, runtime size and scale.

Every timing is of whole processes started afresh (interpreter start included). Peak memory comes
from the kernel's accounting of each finished child (`os.wait4`), so no profiler skews it.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PYTHON = sys.executable
BIN = Path(PYTHON).parent
COURSE = [PYTHON, "-m", "coursekit"]
MKDOCS = [PYTHON, "-m", "mkdocs"]


@dataclass
class Run:
    seconds: float  # wall time
    peak_mb: float  # the process's peak resident memory
    cpu: float = 0.0  # user + system CPU seconds of the process (and the children it waited for)


def run(command: list[str], cwd: Path | None = None) -> Run:
    """Run a command to completion; return its wall time, CPU time and peak resident memory.

    CPU time, not wall time, is what the ratios compare: other processes on a shared machine stretch
    the wall clock of both sides unevenly, much less the CPU a process itself uses.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COURSE_TODAY": os.environ.get("COURSE_TODAY", "2026-11-23")}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            out.seek(0)
            raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(command)}\n"
                             f"{out.read().decode(errors='replace')[-3000:]}")
    return Run(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def median_runs(command: list[str], runs: int, cwd: Path | None = None) -> Run:
    """Median time (and largest peak memory) over several runs, after one warm-up."""
    run(command, cwd)
    results = [run(command, cwd) for _ in range(runs)]
    times = sorted(r.seconds for r in results)
    return Run(times[len(times) // 2], max(r.peak_mb for r in results))


def course_build(course: Path, out: Path) -> list[str]:
    """`course build` of a YAML course into `out`."""
    return [*COURSE, "build", "--quiet", "--site-dir", str(out), str(course)]


def mkdocs_build(project: Path, out: Path) -> list[str]:
    """`mkdocs build` of a Markdown project (the peers) into `out`."""
    return [*MKDOCS, "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)]


def pdf_pages(path: Path) -> int:
    """Pages of a PDF file."""
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def runtime_bytes(site: Path) -> int:
    """Bytes of the course runtime the site ships (`assets/course/`)."""
    return sum(p.stat().st_size for p in (site / "assets" / "course").rglob("*") if p.is_file())


def runtime_source_bytes() -> int:
    """Bytes of the course runtime's readable, commented sources (the site ships them minified)."""
    from coursekit.render.site import asset_sources

    return sum(len(text.encode("utf-8")) for text in asset_sources().values())


def mkdocs_quiz_runtime_bytes() -> int:
    """Bytes of mkdocs-quiz's own runtime (its quiz.js and quiz.css, which it inlines into every page)."""
    import mkdocs_quiz

    package = Path(mkdocs_quiz.__file__).parent
    return (package / "js" / "quiz.js").stat().st_size + (package / "css" / "quiz.css").stat().st_size


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - 127.0.0.1 only
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _wait_for(url: str, needle: str, deadline: float) -> float | None:
    """Poll until the page holds `needle`; return when it did, or None at the deadline."""
    while time.perf_counter() < deadline:
        page = _fetch(url)
        if page is not None and needle in page:
            return time.perf_counter()
        time.sleep(0.02)
    return None


_BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


def serve_rebuild(course: Path, module: str, edits: int = 3, dirty: bool = False) -> list[tuple[float, float]]:
    """For several edits of a module under `mkdocs serve`: seconds from saving the file to the server
    serving the page with its new text, and the seconds of the rebuild itself (as MkDocs logs it)."""
    port = _free_port()
    command = [*MKDOCS, "serve", "-a", f"127.0.0.1:{port}", "-f", str(course / "mkdocs.yml")]
    if dirty:
        command.append("--dirty")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COURSE_TODAY": "2026-11-23"}
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(command, cwd=course, stdout=log, stderr=subprocess.STDOUT, env=env)
    page = f"http://127.0.0.1:{port}/{module}/"
    path = course / "modules" / f"{module}.yml"
    original = path.read_text()
    timings = []
    try:
        if _wait_for(page, "<html", time.perf_counter() + 300) is None:
            raise SystemExit("mkdocs serve did not start within 5 minutes")
        for n in range(edits):
            marker = f"Edited wording number {n} for the benchmark"
            text = original.replace("Section 1: a heading of some length", marker, 1)
            time.sleep(1.0)  # let the watcher settle after the previous rebuild
            builds = len(_builds(log))
            saved = time.perf_counter()
            path.write_text(text)
            shown = _wait_for(page, marker, saved + 60)
            rebuilt = _builds(log)[builds:]
            timings.append(((shown - saved) if shown else float("inf"), rebuilt[-1] if rebuilt else float("inf")))
    finally:
        server.terminate()
        server.wait(timeout=30)
        path.write_text(original)
        log.close()
    return timings


def _builds(log: Any) -> list[float]:
    """The build times MkDocs has logged so far (the first is the initial build)."""
    log.seek(0)
    return [float(m.group(1)) for m in _BUILT.finditer(log.read().decode("utf-8", errors="replace"))]
