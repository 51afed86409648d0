"""The CPU the test suite takes, counted two ways, with how fast the machine was at the time.

    .venv/bin/python tooling/bench/suite_cpu.py [--json FILE] [-- PYTEST ARGS ...]

Runs `python -m pytest` (with the arguments after `--`) as a child process and reports:
  - its CPU as `time` counts it (user + system of pytest and of the children it waited for);
  - the whole machine's CPU over the run (/proc/stat), which also counts Chromium's renderers: Playwright's
    driver never waits for them, so `time` misses most of the browser tests' work;
  - a reference loop of pure Python timed before and after, because on a shared virtual machine the same work
    takes up to half as long again from one hour to the next: compare runs by their ratio to the loop too.
Nothing else should run on the machine meanwhile (the machine's count includes everything).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def machine_cpu() -> float:
    """Seconds of CPU the whole machine has spent (user, nice, system, irq, softirq), from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    return sum(int(fields[i]) for i in (1, 2, 3, 6, 7)) / os.sysconf("SC_CLK_TCK")


LOOP = 20_000_000


def reference_loop(steps: int = LOOP) -> float:
    """CPU seconds of a fixed pure-Python loop (1.1 to 1.5 s on this 2-core EPYC machine in December 2026)."""
    start = time.process_time()
    total = 0
    for i in range(steps):
        total += i
    return time.process_time() - start


def measure(pytest_args: list[str], loop: int = LOOP) -> dict:
    loop_before = reference_loop(loop)
    machine_start, wall_start = machine_cpu(), time.perf_counter()
    children_start = resource.getrusage(resource.RUSAGE_CHILDREN)
    code = subprocess.call([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, machine = time.perf_counter() - wall_start, machine_cpu() - machine_start
    return {
        "exit_code": code,
        "pytest_args": pytest_args,
        "wall_s": round(wall, 1),
        "cpu_as_time_counts_s": round(children.ru_utime - children_start.ru_utime
                                      + children.ru_stime - children_start.ru_stime, 1),
        "machine_cpu_s": round(machine, 1),
        "reference_loop_s": [round(loop_before, 2), round(reference_loop(loop), 2)],
        "load_average_after": os.getloadavg(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    result = measure(argv[split + 1:] or ["-q"])
    for key, value in result.items():
        print(f"{key}: {value}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result["exit_code"]


if __name__ == "__main__":
    sys.exit(main())
