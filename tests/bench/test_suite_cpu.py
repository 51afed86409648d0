"""The suite's CPU meter counts a child pytest's CPU as `time` does, and the machine's CPU over the same run."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tooling" / "bench"))
import suite_cpu  # noqa: E402


def test_a_run_of_pytest_is_measured_both_ways_and_gives_its_exit_code(tmp_path):
    tests = tmp_path / "test_busy.py"
    tests.write_text("def test_busy():\n    assert sum(i * i for i in range(3_000_000)) > 0\n\n\n"
                     "def test_fails():\n    assert False\n", encoding="utf-8")
    result = suite_cpu.measure(["-q", "-p", "no:cacheprovider", str(tests)], loop=100_000)
    assert result["exit_code"] == 1  # one test failed: the meter passes pytest's verdict on
    assert result["cpu_as_time_counts_s"] >= 0.2  # the interpreter, pytest and the busy test
    # The machine's count holds the child's too (ticks of 1/100 s, so allow a little).
    assert result["machine_cpu_s"] >= result["cpu_as_time_counts_s"] - 0.1
    assert result["wall_s"] > 0 and len(result["reference_loop_s"]) == 2
