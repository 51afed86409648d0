"""Benchmarks: whole-process timings side by side with a peer, in one run, reported as ratios.

    .venv/bin/python tooling/bench/run.py [--modules 150] [--runs 5] [--json FILE]

Each measurement runs both commands as separate processes (interpreter start included), alternating,
several times; the table shows medians and the ratio ours/peer against the target.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synthetic import generate  # noqa: E402

PYTHON = sys.executable
COURSE = [PYTHON, "-m", "coursekit"]

PYYAML_PARSE = """
import sys, glob, yaml
for f in sorted(glob.glob(sys.argv[1] + "/**/*.yml", recursive=True)):
    with open(f, "rb") as fh:
        yaml.load(fh, Loader=yaml.CSafeLoader)
"""


@dataclass
class Result:
    name: str
    ours_seconds: float
    peer: str
    peer_seconds: float
    target_ratio: float

    @property
    def ratio(self) -> float:
        return self.ours_seconds / self.peer_seconds

    @property
    def meets_target(self) -> bool:
        return self.ratio <= self.target_ratio


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"benchmark command failed ({done.returncode}): {' '.join(command)}\n{done.stdout}{done.stderr}")
    return elapsed


def side_by_side(ours: list[str], peer: list[str], runs: int) -> tuple[float, float]:
    """Median seconds of each command over `runs` alternating runs, after one warm-up of each."""
    _time(ours), _time(peer)
    ours_times, peer_times = [], []
    for _ in range(runs):
        ours_times.append(_time(ours))
        peer_times.append(_time(peer))
    return statistics.median(ours_times), statistics.median(peer_times)


def bench_check(course: Path, runs: int) -> Result:
    ours, peer = side_by_side([*COURSE, "check", str(course)], [PYTHON, "-c", PYYAML_PARSE, str(course)], runs)
    return Result("course check", ours, "PyYAML C loader, parse only", peer, 3.0)


def report(results: list[Result], modules: int) -> str:
    lines = [f"{'measurement':<16} {'ours (s)':>9} {'peer (s)':>9} {'ratio':>6} {'target':>7}  peer",
             "-" * 78]
    for r in results:
        mark = "ok" if r.meets_target else "MISSED"
        lines.append(f"{r.name:<16} {r.ours_seconds:>9.3f} {r.peer_seconds:>9.3f} {r.ratio:>6.2f} {'<= ' + str(r.target_ratio):>7}  {r.peer} [{mark}]")
    lines.append(f"{modules} modules; {platform.python_implementation()} {platform.python_version()} on {platform.machine()}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=150, help="modules in the synthetic course (default 150)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (default 5)")
    parser.add_argument("--json", type=Path, default=Path("bench-results/latest.json"), help="where to write results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        course = generate(Path(tmp) / "course", args.modules)
        results = [bench_check(course, args.runs)]
    print(report(results, args.modules))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "modules": args.modules, "runs": args.runs, "machine": platform.platform(),
        "cpus": __import__("os").cpu_count(),
        "results": [{**asdict(r), "ratio": round(r.ratio, 3), "meets_target": r.meets_target} for r in results],
    }, indent=2) + "\n")
    print(f"results written to {args.json}")
    return 0 if all(r.meets_target for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
