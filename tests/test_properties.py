"""Property-based: whatever YAML a trainer's editor produces, checking never crashes and always locates.

Inputs are mutations of a real module (lines deleted, doubled, swapped, re-indented, truncated,
random text inserted), YAML generated from random data, and raw bytes.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursekit.check import check_course
from coursekit.diagnostics import Code

from conftest import GOOD

MODULE = (GOOD / "modules/recording.yml").read_text()
WHOLE_FILE_CODES = {Code.FILE_EMPTY, Code.FILE_BINARY, Code.FILE_TOO_LARGE, Code.COURSE_MODULE_UNLISTED, Code.FILE_MISSING}
YAMLISH = st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>#'\"%@`?, \t\nabc01\u00e9\u2028")), max_size=12)


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("prop") / "course"
    shutil.copytree(GOOD, target)
    return target


def _mutate(text: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, max(len(lines) - 1, 0)))
        op = data.draw(st.sampled_from(["delete", "double", "swap", "indent", "insert", "truncate", "replace"]))
        if op == "delete" and lines:
            del lines[i]
        elif op == "double" and lines:
            lines.insert(i, lines[i])
        elif op == "swap" and len(lines) > 1:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent" and lines:
            lines[i] = " " * data.draw(st.integers(0, 9)) + lines[i].lstrip()
        elif op == "insert" and lines:
            at = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + data.draw(YAMLISH) + lines[i][at:]
        elif op == "truncate":
            lines = lines[: i + 1]
        elif op == "replace" and lines and ":" in lines[i]:
            lines[i] = lines[i].split(":", 1)[0] + ": " + data.draw(YAMLISH)
    return "\n".join(lines)


def _assert_clean_or_located(course: Path, content: bytes) -> None:
    (course / "modules/recording.yml").write_bytes(content)
    result = check_course(course)  # must not raise, whatever the content
    # YAML also breaks lines at \r, NEL, U+2028 and U+2029, as str.splitlines does (and more, harmlessly)
    line_count = len(content.decode("utf-8", errors="replace").splitlines()) + 1
    for d in result.diagnostics:
        assert d.path and d.message and d.code in Code and "\n" not in d.message
        if d.code not in WHOLE_FILE_CODES and d.path == "modules/recording.yml":
            assert 1 <= d.line <= line_count + 1 and d.column >= 1, d
    if not result.errors:
        assert result.course is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_modules_load_cleanly_or_with_located_errors(course_dir, data):
    _assert_clean_or_located(course_dir, _mutate(MODULE, data).encode("utf-8"))


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSONISH, keep=st.sampled_from(["id", "title", "questions", "sections", None]))
def test_generated_yaml_loads_cleanly_or_with_located_errors(course_dir, value, keep):
    if keep and isinstance(value, dict):
        value = {**value, keep: value.get(keep)}
    _assert_clean_or_located(course_dir, yaml.safe_dump(value, allow_unicode=True).encode("utf-8"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_random_bytes_never_crash(course_dir, raw):
    _assert_clean_or_located(course_dir, raw)
