"""The CI recipes (GitHub Actions, GitLab CI) run the README's commands, which the real command line accepts; they
keep the build's own cache folder between runs, and publish from the main branch only."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from frontline import cli
from frontline.build.cache import CACHE_FOLDER
from frontline.deploy import command as deploy_command

REPO = Path(__file__).resolve().parents[2]
GITHUB = REPO / ".github" / "workflows" / "publish.yml"
GITLAB = REPO / ".gitlab-ci.yml"
MAIN_ONLY_GITHUB = "github.ref == 'refs/heads/main'"
MAIN_ONLY_GITLAB = '$CI_COMMIT_BRANCH == "main"'


def _github() -> dict:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


def _gitlab_jobs() -> dict[str, dict]:
    """GitLab's jobs (keys not starting with a dot, nor global keywords), with ``extends`` applied (one level)."""
    document = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    jobs = {}
    for name, job in document.items():
        if name.startswith(".") or name in ("image", "stages", "variables", "default", "workflow", "include"):
            continue
        merged = dict(document[job["extends"]]) if "extends" in job else {}
        merged.update({key: value for key, value in job.items() if key != "extends"})
        jobs[name] = merged
    return jobs


def _github_steps() -> list[dict]:
    (job,) = _github()["jobs"].values()
    return job["steps"]


def _lines(script: str | list[str]) -> list[str]:
    items = script if isinstance(script, list) else [script]
    return [line.strip() for item in items for line in item.splitlines() if line.strip()]


def _commands() -> list[str]:
    """Every command line the two recipes run."""
    lines = [line for step in _github_steps() if "run" in step for line in _lines(step["run"])]
    for job in _gitlab_jobs().values():
        for key in ("before_script", "script"):
            lines += _lines(job.get(key, []))
    return lines


def _readme_ci_block() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Publishing from CI", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the README's CI section shows its commands in a sh block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_recipes_run_the_readmes_commands_and_nothing_else():
    readme = _readme_ci_block()
    commands = _commands()
    assert set(commands) == set(readme)
    assert any("frontline build" in line for line in commands)
    assert any("frontline publish" in line for line in commands)


@pytest.mark.parametrize("line", sorted({line for line in _commands() if "/frontline " in line}))
def test_each_frontline_command_is_one_the_command_line_accepts(line):
    words = shlex.split(line.replace('"$FRONTLINE_DEST"', "s3://bucket/tuyendau"))
    assert words[0] == ".venv/bin/frontline"
    args = cli._parser().parse_args(words[1:])  # an unknown option or a missing argument exits
    assert args.command in ("build", "publish")
    if args.command == "publish":
        assert args.dest == "s3://bucket/tuyendau"
        # The options it uses are the real command's, as its help shows them.
        shown = subprocess.run(
            [sys.executable, "-m", "frontline.cli", "publish", "--help"], capture_output=True, text=True, check=True
        ).stdout
        for option in (word for word in words[1:] if word.startswith("-")):
            assert re.search(rf"(^|[\s,]){re.escape(option)}\b", shown), option


def test_the_install_line_is_the_python_part_of_make_install():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "-m venv $(VENV)" in makefile and "-m pip install" in makefile and "-e '.[test]'" in makefile
    install = [line for line in _commands() if "pip install" in line]
    assert install and all(
        line.startswith("python3 -m venv .venv && .venv/bin/python -m pip install") and line.endswith("-e .")
        for line in install
    )


def test_both_recipes_keep_the_builds_cache_folder():
    assert CACHE_FOLDER == deploy_command.CACHE_FOLDER == ".cache/frontline"
    (cache,) = [step for step in _github_steps() if step.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["path"] == CACHE_FOLDER
    # Saved under a key of its own each run (a key is written once), restored from the newest of the branch or any.
    assert "github.run_id" in cache["with"]["key"]
    restore = _lines(cache["with"]["restore-keys"])
    assert restore and all(cache["with"]["key"].startswith(prefix) for prefix in restore[:1])
    assert restore[-1] == "frontline-"
    for name, job in _gitlab_jobs().items():
        assert job["cache"]["paths"] == [CACHE_FOLDER], name
        assert job["cache"]["key"].startswith("frontline-")


def test_the_actions_are_pinned_to_a_commit():
    uses = [step["uses"] for step in _github_steps() if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-\w+", yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["image"])


def test_github_publishes_from_main_only():
    steps = _github_steps()
    publishing = [step for step in steps if "frontline publish" in step.get("run", "")]
    assert len(publishing) == 1
    condition = publishing[0]["if"]
    assert MAIN_ONLY_GITHUB in condition and "||" not in condition
    # Builds run everywhere: only the publish is held back.
    assert all("if" not in step for step in steps if step is not publishing[0])
    # Credentials come from secrets, the destination from a variable; none is written in the file.
    env = publishing[0]["env"]
    assert env["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.AWS_SECRET_ACCESS_KEY }}"
    assert env["FRONTLINE_DEST"].startswith("${{ vars.")
    triggers = _github().get(True) or _github().get("on")  # YAML 1.1 reads the key `on` as true
    assert "push" in triggers


def test_gitlab_publishes_from_main_only():
    jobs = _gitlab_jobs()
    publishing = [name for name, job in jobs.items() if any("frontline publish" in line for line in job["script"])]
    assert publishing == ["publish"]
    assert jobs["publish"]["rules"] == [{"if": MAIN_ONLY_GITLAB}]
    others = [job for name, job in jobs.items() if name != "publish"]
    assert others and all(job["rules"] == [{"if": MAIN_ONLY_GITLAB.replace("==", "!=")}] for job in others)
