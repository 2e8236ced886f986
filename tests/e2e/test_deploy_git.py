"""`frontline publish git+file:///…#gh-pages`: against a bare repository made here, the branch's tree is the site's
files, one commit per release, nothing pushed when nothing changed, rollback a new commit, a killed publish leaves the
branch on a complete release."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_deploy_folder import NOW, STORY_URL, build, counts, edit_story, frontline, newsroom_copy, publish_ok

pytestmark = pytest.mark.e2e

BRANCH = "gh-pages"


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", f"--git-dir={repo}", *args], capture_output=True, text=True, check=True)
    return result.stdout


def tree_files(repo: Path, ref: str) -> dict[str, str]:
    """path → blob id of the files in ``ref``'s tree."""
    listed = git(repo, "ls-tree", "-r", "-z", ref)
    files = {}
    for line in filter(None, listed.split("\0")):
        meta, path = line.split("\t", 1)
        files[path] = meta.split()[2]
    return files


def blob_ids(folder: Path) -> dict[str, str]:
    paths = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    hashed = subprocess.run(
        ["git", "hash-object", "--stdin-paths"],
        input="\n".join(str(folder / p) for p in paths),
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
    ).stdout.split()
    return dict(zip(paths, hashed, strict=True))


@pytest.fixture
def remote(tmp_path):
    repo = tmp_path / "tuyendau.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(repo)], check=True)
    return repo


def test_the_branch_holds_the_site_one_commit_per_release_and_rollback_is_a_new_commit(
    tmp_path, remote, built_newsroom
):
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    dest = f"git+file://{remote}#{BRANCH}"
    first = publish_ok(site.root, dest)  # no site yet: built first
    assert "Đã đăng bản" in first
    expected = {**blob_ids(site.site_dir), ".nojekyll": git(remote, "hash-object", "/dev/null").strip()}
    assert tree_files(remote, BRANCH) == expected
    release = first.split("Đã đăng bản ")[1].split(":")[0]
    assert f"release: {release}" in git(remote, "log", "-1", "--format=%B", BRANCH)
    first_commit = git(remote, "rev-parse", BRANCH).strip()

    again = publish_ok(site.root, dest)
    assert counts(again)["sent"] == 0
    assert git(remote, "rev-parse", BRANCH).strip() == first_commit  # nothing committed nor pushed

    edit_story(site, "Bản thứ hai trên nhánh gh-pages.")
    build(site.root)
    dry = publish_ok(site.root, dest, "--dry-run")
    assert f"+ {STORY_URL}index.html" in dry and "Chạy thử" in dry
    assert git(remote, "rev-parse", BRANCH).strip() == first_commit
    figures = counts(publish_ok(site.root, dest))
    assert figures == counts(dry.splitlines()[-1])
    assert 2 <= figures["sent"] <= 40 and figures["sent"] * 4 < figures["sent"] + figures["unchanged"], figures
    second_commit = git(remote, "rev-parse", BRANCH).strip()
    assert git(remote, "rev-parse", f"{second_commit}^").strip() == first_commit
    page = git(remote, "show", f"{BRANCH}:{STORY_URL}index.html")
    assert "Bản thứ hai trên nhánh gh-pages." in page

    listed = frontline(site.root, "releases", dest).stdout.splitlines()
    assert len(listed) == 2 and listed[1].startswith("* ") and not listed[0].startswith("* "), listed

    back = frontline(site.root, "rollback", dest)
    assert back.returncode == 0 and release in back.stdout, back.stdout + back.stderr
    third_commit = git(remote, "rev-parse", BRANCH).strip()
    assert git(remote, "rev-parse", f"{third_commit}^").strip() == second_commit  # history kept, not forced
    assert git(remote, "rev-parse", f"{third_commit}^{{tree}}") == git(remote, "rev-parse", f"{first_commit}^{{tree}}")
    assert frontline(site.root, "releases", dest).stdout.splitlines()[0].startswith("* ")
    assert frontline(site.root, "rollback", dest).returncode == 1


def test_a_killed_publish_leaves_the_branch_on_a_complete_release_and_the_next_completes(
    tmp_path, remote, built_newsroom
):
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    dest = f"git+file://{remote}#{BRANCH}"
    publish_ok(site.root, dest)
    first_tree = git(remote, "rev-parse", f"{BRANCH}^{{tree}}").strip()
    edit_story(site, "Bản đăng bị ngắt giữa chừng.")
    build(site.root)
    env = {**os.environ, "FRONTLINE_NOW": NOW}
    command = [sys.executable, "-m", "frontline.cli", "-f", str(site.root / "mkdocs.yml"), "publish", dest]
    other = tmp_path / "khac.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(other)], check=True)
    started = time.monotonic()
    publish_ok(site.root, f"git+file://{other}#{BRANCH}")  # how long a whole publish takes here
    duration = time.monotonic() - started
    second_tree = git(other, "rev-parse", f"{BRANCH}^{{tree}}").strip()
    chance = random.Random(2024)
    for attempt in range(6):
        process = subprocess.Popen(
            command, cwd=site.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        time.sleep(chance.uniform(0.1, 1.0) * duration)
        # The whole process group, as a cancelled CI job or Ctrl-C kills it: a git child left running would still
        # be writing into the remote while the checks below read it.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        tree = git(remote, "rev-parse", f"{BRANCH}^{{tree}}").strip()
        assert tree in (first_tree, second_tree), attempt
        git(remote, "fsck", "--no-dangling")
        if tree == second_tree:  # it finished: the next attempt starts from the first release again
            assert frontline(site.root, "rollback", dest).returncode == 0
    result = publish_ok(site.root, dest)
    assert git(remote, "rev-parse", f"{BRANCH}^{{tree}}").strip() == second_tree, result


def test_a_wrong_branch_or_a_remote_that_refuses_is_a_message_without_credentials(tmp_path, remote, built_newsroom):
    site = newsroom_copy(built_newsroom, tmp_path / "newsroom")
    build(site.root)
    bad = frontline(site.root, "publish", f"git+file://{remote}#../ngoai")
    assert bad.returncode == 1 and "git+ĐỊA_CHỈ#nhánh" in bad.stderr
    secret = "mat-khau-bi-mat"
    missing = frontline(site.root, "publish", f"git+http://bien-tap:{secret}@127.0.0.1:9/khong-co.git#{BRANCH}")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr, missing.stderr
    assert secret not in missing.stdout + missing.stderr
