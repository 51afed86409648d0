"""The `course` command as trainers use it: exit codes, messages, init, new module, schema."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.check import check_course

from conftest import GOOD


def test_check_good_course_exits_zero(run):
    code, out, _ = run("check", "--strict", str(GOOD))
    assert code == 0
    assert out.strip() == "No problems found in 5 files."


def test_check_starts_without_looking_for_pydantic_plugins(tmp_path):
    """Start-up is most of `course check`: looking for pydantic plugins (importing importlib.metadata and
    reading every installed package's entry points) was a tenth of it. The course is still validated."""
    bad = tmp_path / "course"
    shutil.copytree(GOOD, bad)
    (bad / "modules/recording.yml").write_text("id: recording\ntitle: 5\n", encoding="utf-8")
    script = ("import sys; from coursekit.cli import main; code = main(['check', sys.argv[1]]); "
              "print('metadata imported:', 'importlib.metadata' in sys.modules); sys.exit(code)")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", script, str(bad)], capture_output=True, text=True, env=env)
    assert done.returncode == 1 and "modules/recording.yml:" in done.stdout
    assert "metadata imported: False" in done.stdout


def test_check_defaults_to_the_current_folder(run, monkeypatch):
    monkeypatch.chdir(GOOD)
    assert run("check")[0] == 0


def test_bad_course_in_a_real_process_prints_no_traceback(good_course):
    (good_course / "modules/recording.yml").write_bytes(b"id: recording\ntitle: A: B\n")
    env = {**os.environ, "COURSE_TODAY": "2026-11-23"}
    result = subprocess.run([sys.executable, "-m", "coursekit", "check", str(good_course)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stdout.startswith("modules/recording.yml:2:9: error: YAML syntax")
    assert "Traceback" not in result.stdout + result.stderr


def test_internal_bug_is_reported_as_one(run, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("coursekit.check.check_course", broken)
    code, out, err = run("check", str(GOOD))
    assert code == 3
    assert "internal error: ZeroDivisionError: boom" in err
    assert "bug in coursekit" in err and "Traceback" not in out + err
    log = Path(re.search(r"details are in (\S+coursekit-crash-\S+\.log)", err).group(1))
    assert "ZeroDivisionError: boom" in log.read_text(encoding="utf-8")  # a new file each time, never a link
    assert (log.stat().st_mode & 0o777) == 0o600
    log.unlink()


def test_version_and_help_with_examples(run):
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("coursekit ")
    code, out, _ = run("check", "--help")
    assert code == 0 and "example:" in out and "course check --strict" in out


def test_init_makes_a_valid_course(tmp_path, run):
    target = tmp_path / "my-course"
    code, out, _ = run("init", str(target), "--title", "Safeguarding basics")
    assert code == 0 and f"Created {target / 'course/course.yml'}" in out
    for relpath in ("course/course.yml", "modules/getting-started.yml", "mkdocs.yml", "docs/index.md",
                    ".schema/module.schema.json"):
        assert (target / relpath).is_file(), relpath
    result = check_course(target)
    assert result.errors == []
    assert result.course.info.title == "Safeguarding basics"
    # a new module starts as a draft, and the starter's example texts wait to be replaced
    assert [d.code.value for d in result.warnings] == ["text.placeholder", "text.placeholder", "text.placeholder",
                                                        "module.draft"]


def test_the_starter_shows_the_sign_off_and_bank_keys_ready_to_uncomment(tmp_path, run):
    """A trainer who removes the `# ` before the new keys gets a valid course that draws from a bank."""
    course = tmp_path / "my-course"
    assert run("init", str(course))[0] == 0
    settings = course / "course/course.yml"
    text = settings.read_text()
    for key in ("# sign_off:", "# draw_per_objective: 2", "# max_attempts: 3", "# shuffle_choices: true"):
        assert key in text, key
    text = text.replace("  questions: all   ", "  questions: bank  ").replace("  # draw_per_objective: 2 ", "  draw_per_objective: 1   ")
    text = text.replace("# sign_off:", "sign_off:").replace("#   - ", "  - ")
    settings.write_text(text)
    module = course / "modules/getting-started.yml"
    lines = module.read_text().split("# assessment_bank:")
    module.write_text(lines[0] + "assessment_bank:" + lines[1].replace("\n#   - ", "\n  - ").replace("\n#     ", "\n    "))
    result = check_course(course)
    assert result.errors == [], [d.format() for d in result.errors]
    assert result.course.info.sign_off == ["Legal adviser", "Training manager"]
    assert [q.id for _, q in result.course.assessment_questions()] == ["bank-first-question"]


def test_the_starter_shows_a_conversation_and_a_draft_ready_to_uncomment(tmp_path, run):
    """A trainer who removes the `# ` before the example conversation and draft gets a valid course with both."""
    course = tmp_path / "my-course"
    assert run("init", str(course))[0] == 0
    module = course / "modules/getting-started.yml"
    text = module.read_text()
    assert "  # - id: your-reply" in text and "  # - id: draft-a-reply" in text
    module.write_text(text.replace("\n  # ", "\n  "))
    result = check_course(course)
    assert result.errors == [], [d.format() for d in result.errors]
    starter = result.course.module("getting-started")
    assert starter.section("your-reply").conversation.start == "first"
    assert [q.type for q in starter.questions][-1] == "draft"


def test_init_refuses_an_existing_course(good_course, run):
    code, _, err = run("init", str(good_course))
    assert code == 1 and "already exists" in err


def test_new_module_is_valid_and_listed_keeping_comments(good_course, run, monkeypatch):
    monkeypatch.chdir(good_course)
    course_yml = good_course / "course/course.yml"
    course_yml.write_text(course_yml.read_text().replace("  - recording\n", "  - recording   # keep last for now\n"))
    code, out, _ = run("new", "module", "welfare", "--title", "Welfare: staying well")
    assert code == 0, out
    text = course_yml.read_text()
    assert "# A small but complete course used by the tests." in text
    assert "# keep last for now" in text
    result = check_course(good_course)
    assert result.errors == [] and [d.code.value for d in result.warnings] == ["text.placeholder", "module.draft"]
    assert [m.id for m in result.course.modules] == ["legal-line", "recording", "welfare"]
    assert result.course.module("welfare").title == "Welfare: staying well"
    assert "# yaml-language-server: $schema=../.schema/module.schema.json" in (good_course / "modules/welfare.yml").read_text()


def test_new_module_rejects_bad_id_and_duplicates(good_course, run):
    code, _, err = run("new", "module", "Bad Id", str(good_course))
    assert code == 1 and "not a valid id" in err
    code, _, err = run("new", "module", "recording", str(good_course))
    assert code == 1 and "already exists" in err


def test_new_module_refuses_a_course_file_that_is_not_utf8_and_changes_nothing(good_course, run):
    """Text pasted from a Windows program (a 0x92 apostrophe) is never turned into "\ufffd" by rewriting the file."""
    course_yml = good_course / "course/course.yml"
    raw = course_yml.read_bytes().replace(b"modules:\n", b"# the officer\x92s course\nmodules:\n", 1)
    course_yml.write_bytes(raw)
    code, _, err = run("new", "module", "welfare", str(good_course))
    assert code == 1 and "course/course.yml:" in err and "is not UTF-8" in err and "nothing was written" in err
    assert course_yml.read_bytes() == raw and not (good_course / "modules/welfare.yml").exists()


def test_init_keeps_a_starter_module_the_folder_already_has(tmp_path, run):
    mine = tmp_path / "new-course" / "modules" / "getting-started.yml"
    mine.parent.mkdir(parents=True)
    mine.write_text("# my own work\n", encoding="utf-8")
    code, out, _ = run("init", str(tmp_path / "new-course"))
    assert code == 0 and mine.read_text(encoding="utf-8") == "# my own work\n"
    assert f"Created {mine}" not in out and f"Created {tmp_path / 'new-course' / 'course/course.yml'}" in out


@pytest.mark.parametrize("command,name", [("reference", "errors.md"), ("schema", "module.schema.json")])
def test_generated_files_replace_their_own_kind_only(run, tmp_path, command, name):
    """`reference --write` and `schema --write` refresh what they wrote before, never a file of one's own."""
    folder = tmp_path / "out"
    assert run(command, "--write", str(folder))[0] == 0
    assert run(command, "--write", str(folder))[0] == 0  # refreshed
    written = {p: p.read_bytes() for p in folder.iterdir()}
    (folder / name).write_text("# my notes\n", encoding="utf-8")
    code, _, err = run(command, "--write", str(folder))
    assert code == 1 and f"{folder / name} exists and was not written by `course {command} --write`" in err
    assert (folder / name).read_text(encoding="utf-8") == "# my notes\n"
    assert {p: p.read_bytes() for p in folder.iterdir() if p.name != name} == {
        p: b for p, b in written.items() if p.name != name}  # all or none


def test_schema_describes_every_key_for_editors(run, tmp_path):
    code, out, _ = run("schema", "module")
    schema = json.loads(out)
    assert code == 0 and schema["additionalProperties"] is False
    assert {"id", "title", "objectives", "questions"} <= set(schema["properties"])
    assert all(p.get("description") for p in schema["properties"].values())
    code, out, _ = run("schema", "--write", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "course.schema.json", "glossary.schema.json", "module.schema.json", "references.schema.json"]


def test_every_command_module_is_registered():
    """The command modules are named in a list (discovering them imported `inspect` on every start)."""
    from pathlib import Path

    from coursekit import commands

    folder = Path(commands.__file__).parent
    assert commands.MODULES == tuple(sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__"))


def test_every_code_is_documented():
    from coursekit.diagnostics import Code

    for code in Code:
        parts = (code.__doc__ or "").split("\n\n")
        assert len(parts) >= 3 and "Before:" in parts[-1] and "After:" in parts[-1], code


def test_committed_editor_schemas_match_the_model():
    """The sample course ships .schema/ for editors; it must say what the code checks."""
    from coursekit.schema import json_schemas

    root = GOOD.parents[2]
    for kind, schema in json_schemas().items():
        committed = json.loads((root / ".schema" / f"{kind}.schema.json").read_text())
        assert committed == schema, f".schema/{kind}.schema.json is stale: run `course schema --write .schema`"


def test_a_new_course_is_already_tidy(tmp_path, run):
    """What `course init` and `course new module` write is what `course fmt` would write."""
    target = tmp_path / "tidy"
    assert run("init", str(target))[0] == 0
    assert run("new", "module", "second", str(target))[0] == 0
    code, out, _ = run("fmt", "--check", str(target))
    assert code == 0, out


def test_every_command_takes_the_course_folder_as_path(good_course, run, tmp_path, monkeypatch):
    """`review` and `new module` take PATH as `check` and `build` do; the old `--root` still works, unadvertised."""
    monkeypatch.chdir(tmp_path)  # not the course folder: each command must use the PATH it is given
    assert run("new", "module", "welfare", str(good_course))[0] == 0
    assert (good_course / "modules" / "welfare.yml").is_file()
    code, out, _ = run("review", "status", str(good_course))
    assert code == 0 and "welfare" in out
    code, out, _ = run("review", "diff", "recording", str(good_course))
    assert code == 1 or "recording" in out
    code, _, err = run("review", "status", "--root", str(good_course))
    assert code == 0 and "note: --root is no longer needed" in err
    code, _, err = run("review", "status", str(tmp_path), "--root", str(good_course))
    assert code == 1 and "two course folders given" in err
    for words in (("new", "module"), ("review", "approve"), ("review", "status"), ("review", "diff")):
        _, out, _ = run(*words, "--help")
        assert "[PATH]" in out and "--root" not in out, words


def test_init_prints_a_next_step_that_can_be_pasted(tmp_path, run):
    code, out, _ = run("init", str(tmp_path / "my course"))
    assert code == 0
    step = out.splitlines()[-1].strip()
    assert step == f"cd {shlex.quote(str(tmp_path / 'my course'))} && course check && mkdocs serve"
    assert shlex.split(step)[:2] == ["cd", str(tmp_path / "my course")]  # one word, spaces and all
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    pasted = subprocess.run(["sh", "-c", step.replace(" && mkdocs serve", "")], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert pasted.returncode == 0, pasted.stdout + pasted.stderr  # as typed into a shell: into the course, checked
    assert pasted.stdout.endswith("4 warnings in 4 files.\n")


def test_init_keeps_outputs_out_of_git(tmp_path, run):
    """PDFs (a reviewer's holds the answers), SCORM zips and the built site are never committed by accident."""
    course = tmp_path / "c"
    assert run("init", str(course))[0] == 0
    subprocess.run(["git", "init", "-q", str(course)], check=True)
    for made in ("handout.pdf", "out/review.pdf", "course.zip", "site/index.html"):
        (course / made).parent.mkdir(parents=True, exist_ok=True)
        (course / made).write_bytes(b"x")
    ignored = subprocess.run(["git", "-C", str(course), "check-ignore", "handout.pdf", "out/review.pdf", "course.zip",
                              "site/index.html", "modules/getting-started.yml", "course/course.yml"],
                             capture_output=True, text=True).stdout.split()
    assert ignored == ["handout.pdf", "out/review.pdf", "course.zip", "site/index.html"]


@pytest.mark.parametrize("words", [("check",), ("build",), ("pdf", "-o", "x.pdf"), ("review", "status"),
                                   ("new", "module", "extra")])
def test_a_bad_course_today_is_a_clean_error(good_course, run, monkeypatch, words):
    monkeypatch.setenv("COURSE_TODAY", "2026-13-45")
    code, out, err = run(*words, str(good_course))
    assert code == 1
    assert err.strip() == ("error: COURSE_TODAY=2026-13-45 is not a real date written YYYY-MM-DD (month must be in "
                           "1..12); correct it, or unset it to judge review dates against today")
    assert "Traceback" not in out + err and not (good_course / "site").exists()
