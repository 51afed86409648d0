"""Benchmarks: whole processes side by side with the peers, in one run, reported as ratios of CPU time.

    .venv/bin/python tooling/bench/run.py [--sizes 150 1000] [--runs 5] [--large-runs 3] [--part-size 10]
                                          [--pdf-modules 150] [--edits 5] [--only NAME ...] [--json FILE] [--quiet]

For each size it generates a synthetic course (six prose sections, a scenario and five questions a
module), flat and in parts, and the same text and questions as Markdown for MkDocs with mkdocs-quiz, flat (as its
users set it up) and with the same parts as navigation sections and Material's `navigation.prune`. Every
command of one size runs in turn, several rounds after a warm-up (none over 150 modules), so the ratios
are of the same run: medians of CPU time (user + system) of whole processes, interpreter start included, with peak memory.
  check     `course check` / PyYAML's C loader merely parsing the same files (target <= 2x)
  build     `course build` / `mkdocs build` with mkdocs-quiz, flat (target <= 0.6x at 150, <= 0.4x at 1,000);
            / plain Material of the same pages without quiz or plugin (reported);
            `course build` of the course in parts / mkdocs-quiz with the same parts and pruning (<= 0.8x);
            growth: the largest size's build / the 150-module build (<= 8x for 1,000); peak memory (<= 300 MB)
  serve     one edited module under `mkdocs serve --dirty` at the first size: save to new page served
            (< 1 s) and the rebuild itself as MkDocs logs it (< 0.5 s); wall time, as a trainer waits
  pdf       reviewer (<= 20 s CPU, >= 5 pages/s) and learner (<= 12 s) PDF of the sample course in this
            repository; the reviewer PDF of a synthetic course of --pdf-modules modules (peak < 500 MB)
  runtime   bytes of assets/course/ as shipped (minified) against mkdocs-quiz's quiz.js + quiz.css
Results go to the terminal as a table and to a JSON file (with the machine's load before and after).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measures import (  # noqa: E402
    COURSE, PYTHON, Run, course_build, mkdocs_build, mkdocs_quiz_runtime_bytes, pdf_pages, run, runtime_bytes,
    runtime_source_bytes, serve_rebuild,
)
from synthetic import generate, generate_markdown  # noqa: E402

from coursekit.progress import Progress  # noqa: E402

PYYAML_PARSE = """
import sys, glob, yaml
for f in sorted(glob.glob(sys.argv[1] + "/**/*.yml", recursive=True)):
    with open(f, "rb") as fh:
        yaml.load(fh, Loader=yaml.CSafeLoader)
"""
ALL = ("check", "build", "serve", "pdf", "runtime")


@dataclass
class Result:
    name: str
    ours: float
    unit: str
    peer: float | None  # None where there is no peer, only a target
    peer_name: str
    target: str
    meets_target: bool | None  # None: reported, no target
    peak_mb: float | None = None  # ours
    peer_peak_mb: float | None = None
    detail: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.ours / self.peer if self.peer else None


@dataclass
class Timings:
    """CPU seconds and peak memory of each run of one command."""

    runs: list[Run] = field(default_factory=list)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def wall(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)


def in_turn(commands: dict[str, list[str]], runs: int, label: str, quiet: bool,
            warm_up: bool = True) -> dict[str, Timings]:
    """Each command once to warm up (if asked), then `runs` rounds of every command in turn."""
    timings = {name: Timings() for name in commands}
    with Progress(label, runs + 1, quiet=quiet) as progress:
        progress.step("warm-up")
        for command in commands.values() if warm_up else ():
            run(command)
        for n in range(runs):
            progress.step(f"round {n + 1} of {runs}")
            for name, command in commands.items():
                timings[name].runs.append(run(command))
    return timings


def bench_size(n: int, args: argparse.Namespace, work: Path) -> tuple[list[Result], Timings | None]:
    """Every check and build figure at one size, from one set of rounds."""
    root = work / str(n)
    course, parted = generate(root / "course", n), generate(root / "course-parts", n, args.part_size)
    quiz, quiz_parts = generate_markdown(root / "quiz", n), generate_markdown(root / "quiz-parts", n, args.part_size)
    plain = generate_markdown(root / "plain", n, plugin=None)
    wanted = set(args.only or ALL)
    commands: dict[str, list[str]] = {}
    if "check" in wanted:
        commands |= {"check": [*COURSE, "check", str(course)], "parse": [PYTHON, "-c", PYYAML_PARSE, str(course)]}
    if wanted & {"build", "runtime"}:
        commands |= {"build": course_build(course, root / "out/ours"),
                     "quiz": mkdocs_build(quiz, root / "out/quiz"),
                     "plain": mkdocs_build(plain, root / "out/plain"),
                     "build parts": course_build(parted, root / "out/ours-parts"),
                     "quiz parts": mkdocs_build(quiz_parts, root / "out/quiz-parts")}
    if not commands:
        return [], None
    # Over 150 modules a run lasts long enough that a warm-up (the files are in the page cache since
    # they were written) is not worth its minutes.
    runs = args.runs if n <= 150 else args.large_runs
    t = in_turn(commands, runs, f"{n} modules", args.quiet, warm_up=n <= 150)
    results = []
    if "check" in t:
        results.append(compared(f"check {n}", t["check"], t["parse"], "PyYAML C loader, parse only", 2.0))
    if "build" in t:
        limit = 0.6 if n <= 150 else 0.4
        results.append(compared(f"build {n}", t["build"], t["quiz"], "mkdocs-quiz, flat navigation", limit))
        results.append(compared(f"build {n} vs plain", t["build"], t["plain"],
                                "plain Material, same pages, no quiz or plugin", None))
        results.append(compared(f"build {n} parts", t["build parts"], t["quiz parts"],
                                f"mkdocs-quiz, parts of {args.part_size} + navigation.prune", 0.8))
        if n >= 1000:
            results.append(Result(f"build {n} memory", t["build"].peak_mb, "MB peak", None,
                                  "course build, flat", "<= 300 MB", t["build"].peak_mb <= 300))
    if "runtime" in wanted and n == args.sizes[0]:
        results.append(bench_runtime(root / "out/ours"))
    return results, t.get("build")


def compared(name: str, ours: Timings, peer: Timings, peer_name: str, limit: float | None) -> Result:
    ratio = ours.cpu / peer.cpu
    return Result(name, ours.cpu, "s CPU", peer.cpu, peer_name, f"ratio <= {limit}" if limit else "reported",
                  ratio <= limit if limit else None, ours.peak_mb, peer.peak_mb,
                  {"wall": ours.wall, "peer_wall": peer.wall, "runs": len(ours.runs)})


def bench_growth(builds: dict[int, Timings]) -> list[Result]:
    """The largest size's build CPU over the 150-module build's (linear growth would be the size ratio)."""
    if 150 not in builds or len(builds) < 2:
        return []
    large = max(builds)
    return [Result(f"growth {large}/150", builds[large].cpu, "s CPU", builds[150].cpu, "course build at 150 modules",
                   f"ratio <= {8 * large / 1000:g}", builds[large].cpu / builds[150].cpu <= 8 * large / 1000,
                   builds[large].peak_mb, builds[150].peak_mb)]


def bench_serve(n: int, edits: int, work: Path, quiet: bool) -> list[Result]:
    course = generate(work / "serve", n)
    with Progress(f"Serve --dirty, {n} modules", 1, quiet=quiet) as progress:
        timings = serve_rebuild(course, "module-5", edits=edits, dirty=True)
        progress.step()
    shown = statistics.median(t[0] for t in timings)
    rebuilt = statistics.median(t[1] for t in timings)
    return [Result(f"serve {n} saved->served", shown, "s wall", None, f"median of {edits} edits", "< 1 s", shown < 1.0),
            Result(f"serve {n} rebuild", rebuilt, "s wall", None, "as MkDocs logs it", "< 0.5 s", rebuilt < 0.5)]


def bench_pdf(modules: int, work: Path, quiet: bool) -> list[Result]:
    sample = HERE.parents[1]  # the repository is the sample course
    results = []
    with Progress("PDFs", 3, quiet=quiet) as progress:
        for edition, limit in (("reviewer", 20.0), ("learner", 12.0)):
            out = work / f"sample-{edition}.pdf"
            timed = run([*COURSE, "pdf", "--quiet", "--edition", edition, "-o", str(out), str(sample)])
            progress.step(edition)
            pages = pdf_pages(out)
            results.append(Result(f"pdf sample {edition}", timed.cpu, "s CPU", None,
                                  f"{pages} pages, {pages / timed.cpu:.1f} pages/s", f"<= {limit:g} s",
                                  timed.cpu <= limit, timed.peak_mb, detail={"pages": pages, "wall": timed.seconds}))
            if edition == "reviewer":
                rate = pages / timed.cpu
                results.append(Result("pdf pages/s", rate, "pages/s", None, "reviewer edition of the sample course",
                                      ">= 5", rate >= 5))
        if modules:
            course = generate(work / "pdf-course", modules)
            out = work / "synthetic-reviewer.pdf"
            timed = run([*COURSE, "pdf", "--quiet", "--edition", "reviewer", "-o", str(out), str(course)])
            progress.step("synthetic")
            pages = pdf_pages(out)
            results.append(Result(f"pdf {modules} memory", timed.peak_mb, "MB peak", None,
                                  f"reviewer edition, {pages} pages, {timed.cpu:.0f} s CPU, "
                                  f"{pages / timed.cpu:.1f} pages/s", "< 500 MB", timed.peak_mb < 500,
                                  timed.peak_mb, detail={"pages": pages, "cpu": timed.cpu, "wall": timed.seconds}))
    return results


def bench_runtime(site: Path) -> Result:
    ours, peer, sources = runtime_bytes(site), mkdocs_quiz_runtime_bytes(), runtime_source_bytes()
    return Result("runtime", ours, "bytes", peer,
                  f"mkdocs-quiz quiz.js + quiz.css; ours as shipped (minified), from {sources:,} B of commented sources",
                  "<= 27,000 B", ours <= 27_000)


def measure(args: argparse.Namespace, work: Path) -> list[Result]:
    wanted = set(args.only or ALL)
    results: list[Result] = []
    builds: dict[int, Timings] = {}
    for n in args.sizes:
        found, build = bench_size(n, args, work)
        results += found
        if build is not None:
            builds[n] = build
    results += bench_growth(builds)
    if "serve" in wanted:
        results += bench_serve(args.sizes[0], args.edits, work, args.quiet)
    if "pdf" in wanted:
        results += bench_pdf(args.pdf_modules, work, args.quiet)
    return results


def report(results: list[Result], args: argparse.Namespace, load: tuple[str, str]) -> str:
    lines = [f"{'measurement':<24} {'ours':>9} {'peer':>9} {'ratio':>6} {'MB':>5} {'peer MB':>7}  {'target':<15} "
             f"result  unit; peer / detail", "-" * 120]
    for r in results:
        ratio = f"{r.ratio:>6.2f}" if r.ratio is not None else f"{'':>6}"
        verdict = "-" if r.meets_target is None else ("ok" if r.meets_target else "MISSED")
        lines.append(f"{r.name:<24} {r.ours:>9.3f} {_num(r.peer):>9} {ratio} {_num(r.peak_mb, 0):>5} "
                     f"{_num(r.peer_peak_mb, 0):>7}  {r.target:<15} {verdict:<7} {r.unit}; {r.peer_name}")
    lines.append(f"sizes {args.sizes}, {args.runs} rounds (sizes over 150: {args.large_runs}); CPython "
                 f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
                 f"load average before {load[0]}, after {load[1]}")
    return "\n".join(lines)


def _num(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[150], help="course sizes in modules (default 150)")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds at sizes up to 150 modules (default 5)")
    parser.add_argument("--large-runs", type=int, default=3, help="timed rounds at larger sizes (default 3)")
    parser.add_argument("--part-size", type=int, default=10, help="modules a part in the parted courses (default 10)")
    parser.add_argument("--edits", type=int, default=5, help="module edits timed under mkdocs serve (default 5)")
    parser.add_argument("--pdf-modules", type=int, default=150,
                        help="modules in the synthetic reviewer PDF, 0 for none (default 150)")
    parser.add_argument("--only", nargs="+", choices=ALL, help="run only these measurements")
    parser.add_argument("--json", type=Path, default=Path("bench-results/latest.json"), help="where to write results")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress line (it shows only on a terminal)")
    args = parser.parse_args()
    before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(args, Path(tmp))
    load = (before, _load())
    print(report(results, args, load))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "sizes": args.sizes,
        "runs": args.runs, "large_runs": args.large_runs, "part_size": args.part_size,
        "machine": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version(),
        "load_average_before": before, "load_average_after": load[1],
        "results": [{**asdict(r), "ratio": r.ratio} for r in results],
    }, indent=2) + "\n")
    print(f"results written to {args.json}")
    return 0 if all(r.meets_target is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
