"""Benchmarks: whole-process timings side by side with the peers, in one run, reported as ratios.

    .venv/bin/python tooling/bench/run.py [--modules 150] [--runs 5] [--pdf-modules 20] [--scale 1000]
                                          [--only NAME ...] [--json FILE] [--quiet]

Generates a synthetic course (six prose sections, a scenario and five questions a module) and the same
text and questions as Markdown for MkDocs with mkdocs-quiz, then measures as whole processes, several
runs each, median and ratio:
  check     `course check` against PyYAML's C loader merely parsing the same files (target <= 3x)
  build     `course build` against `mkdocs build` with mkdocs-quiz (target <= 1x)
  serve     one edited module shown by `mkdocs serve --dirty` (target < 1 s)
  pdf       the reviewer PDF of a synthetic course (seconds per module; reported), and of the sample
            course in this repository (target < 60 s)
  runtime   bytes of assets/course/ as shipped (minified) against mkdocs-quiz's quiz.js + quiz.css
            (target <= 27,000 B, half of mkdocs-quiz's); the readable sources' bytes are reported too
  scale     a 1,000-module course checks and builds, each process under 1 GB of memory
Results go to the terminal as a table and to a JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measures import (  # noqa: E402
    COURSE, PYTHON, build_commands, median_runs, mkdocs_quiz_runtime_bytes, run, runtime_bytes, runtime_source_bytes,
    serve_rebuild,
)
from synthetic import generate, generate_markdown  # noqa: E402

from coursekit.progress import Progress  # noqa: E402

PYYAML_PARSE = """
import sys, glob, yaml
for f in sorted(glob.glob(sys.argv[1] + "/**/*.yml", recursive=True)):
    with open(f, "rb") as fh:
        yaml.load(fh, Loader=yaml.CSafeLoader)
"""
ALL = ("check", "build", "serve", "pdf", "runtime", "scale")


@dataclass
class Result:
    name: str
    ours: float
    unit: str
    peer: float | None  # None where there is no peer, only a target
    peer_name: str
    target: str
    meets_target: bool

    @property
    def ratio(self) -> float | None:
        return self.ours / self.peer if self.peer else None


def side_by_side(ours: list[str], peer: list[str], runs: int, label: str, quiet: bool) -> tuple[float, float]:
    """Median seconds of each command over `runs` alternating runs, after one warm-up of each."""
    with Progress(label, runs + 1, quiet=quiet) as progress:
        progress.step("warm-up")
        run(ours), run(peer)
        ours_times, peer_times = [], []
        for n in range(runs):
            progress.step(f"run {n + 1} of {runs}")
            ours_times.append(run(ours).seconds)
            peer_times.append(run(peer).seconds)
    return statistics.median(ours_times), statistics.median(peer_times)


def bench_check(course: Path, runs: int, quiet: bool) -> Result:
    ours, peer = side_by_side([*COURSE, "check", str(course)], [PYTHON, "-c", PYYAML_PARSE, str(course)], runs,
                              "Timing course check", quiet)
    return Result("check", ours, "s", peer, "PyYAML C loader, parse only", "ratio <= 3", ours / peer <= 3)


def bench_build(course: Path, peer_course: Path, out: Path, runs: int, quiet: bool) -> Result:
    ours_cmd, peer_cmd = build_commands(course, peer_course, out)
    ours, peer = side_by_side(ours_cmd, peer_cmd, runs, "Timing course build", quiet)
    return Result("build", ours, "s", peer, "mkdocs build + mkdocs-quiz", "ratio <= 1", ours <= peer)


def bench_serve(course: Path, edits: int, quiet: bool) -> Result:
    with Progress("Timing serve rebuilds", 1, quiet=quiet) as progress:
        timings = serve_rebuild(course, "module-5", edits=edits, dirty=True)
        progress.step()
    seconds = statistics.median(timings)
    return Result("serve", seconds, "s", None, "(edit saved -> new page served)", "< 1 s", seconds < 1.0)


def bench_pdf(modules: int, work: Path, quiet: bool) -> Result:
    course = generate(work / "pdf-course", modules)
    with Progress("Timing reviewer PDF", 1, quiet=quiet) as progress:
        timed = run([*COURSE, "pdf", "--edition", "reviewer", "-o", str(work / "review.pdf"), str(course)])
        progress.step()
    per_module = timed.seconds / modules
    return Result("pdf", per_module, "s/module", None, f"reviewer edition of {modules} modules, "
                  f"{timed.seconds:.1f} s", "reported", True)


def bench_sample_pdf(work: Path, quiet: bool) -> Result:
    sample = HERE.parents[1]  # the repository is the sample course
    with Progress("Timing the sample course's reviewer PDF", 1, quiet=quiet) as progress:
        timed = run([*COURSE, "pdf", "--edition", "reviewer", "-o", str(work / "sample.pdf"), str(sample)])
        progress.step()
    return Result("pdf sample", timed.seconds, "s", None, "reviewer edition of the sample course",
                  "< 60 s", timed.seconds < 60)


RUNTIME_BUDGET = 27_000  # bytes of every file under assets/course/ as shipped


def bench_runtime(site: Path) -> Result:
    ours, peer, sources = runtime_bytes(site), mkdocs_quiz_runtime_bytes(), runtime_source_bytes()
    return Result("runtime", ours, "bytes", peer,
                  f"mkdocs-quiz quiz.js + quiz.css; ours as shipped (minified), from {sources:,} B of commented sources",
                  f"<= {RUNTIME_BUDGET:,} B", ours <= RUNTIME_BUDGET)


def bench_scale(modules: int, work: Path, quiet: bool) -> list[Result]:
    course = generate(work / "scale-course", modules)
    results = []
    with Progress(f"Scale: {modules} modules", 2, quiet=quiet) as progress:
        for name, command in (("check", [*COURSE, "check", str(course)]),
                              ("build", [*COURSE, "build", "--site-dir", str(work / "scale-site"), str(course)])):
            timed = run(command)
            progress.step(name)
            results.append(Result(f"scale {name}", timed.peak_mb, "MB peak", None,
                                  f"{modules} modules, {timed.seconds:.1f} s, no error", "< 1024 MB", timed.peak_mb < 1024))
    return results


def measure(args: argparse.Namespace, work: Path) -> list[Result]:
    course = generate(work / "course", args.modules)
    peer = generate_markdown(work / "peer", args.modules)
    wanted = set(args.only or ALL)
    results: list[Result] = []
    if "check" in wanted:
        results.append(bench_check(course, args.runs, args.quiet))
    if wanted & {"build", "runtime"}:
        results.append(bench_build(course, peer, work / "out", args.runs, args.quiet))
        if "runtime" in wanted:
            results.append(bench_runtime(work / "out" / "ours"))
        results = [r for r in results if r.name in wanted]
    if "serve" in wanted:
        results.append(bench_serve(course, args.edits, args.quiet))
    if "pdf" in wanted:
        results.append(bench_pdf(args.pdf_modules, work, args.quiet))
        results.append(bench_sample_pdf(work, args.quiet))
    if "scale" in wanted:
        results.extend(bench_scale(args.scale, work, args.quiet))
    return results


def report(results: list[Result], args: argparse.Namespace) -> str:
    lines = [f"{'measurement':<14} {'ours':>10} {'peer':>10} {'ratio':>6}  {'target':<13} result  peer / detail",
             "-" * 100]
    for r in results:
        peer = f"{r.peer:>10.3f}" if r.peer is not None and r.unit == "s" else (f"{r.peer:>10,.0f}" if r.peer else f"{'':>10}")
        ours = f"{r.ours:>10.3f}" if r.unit in ("s", "s/module") else f"{r.ours:>10,.0f}"
        ratio = f"{r.ratio:>6.2f}" if r.ratio is not None else f"{'':>6}"
        lines.append(f"{r.name:<14} {ours} {peer} {ratio}  {r.target:<13} {'ok' if r.meets_target else 'MISSED':<7} "
                     f"{r.unit}; {r.peer_name}")
    lines.append(f"{args.modules} modules, {args.runs} runs; CPython {platform.python_version()} on "
                 f"{platform.machine()}, {os.cpu_count()} cores")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=150, help="modules in the synthetic course (default 150)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (default 5)")
    parser.add_argument("--edits", type=int, default=5, help="module edits timed under mkdocs serve (default 5)")
    parser.add_argument("--pdf-modules", type=int, default=20, help="modules in the PDF benchmark (default 20)")
    parser.add_argument("--scale", type=int, default=1000, help="modules in the scale test (default 1000)")
    parser.add_argument("--only", nargs="+", choices=ALL, help="run only these measurements")
    parser.add_argument("--json", type=Path, default=Path("bench-results/latest.json"), help="where to write results")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress line (it shows only on a terminal)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(args, Path(tmp))
    print(report(results, args))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "modules": args.modules, "runs": args.runs, "machine": platform.platform(), "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "results": [{**asdict(r), "ratio": r.ratio} for r in results],
    }, indent=2) + "\n")
    print(f"results written to {args.json}")
    return 0 if all(r.meets_target for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
