"""``frontline build --now``: the command hands its one "now" to the engine process as an argument, so the
build publishes exactly what that moment allows, whatever the environment says."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.sites import make_site, story

pytestmark = pytest.mark.e2e


def _build(site, now: str, env_now: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "FRONTLINE_NOW": env_now}
    command = [sys.executable, "-m", "frontline.cli", "build", "--now", now]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=site.root)


def test_the_build_publishes_what_the_commands_now_allows(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/08/hen-gio.md", story("Bài hẹn giờ lúc mười giờ", "2021-08-20T10:00"))
    page = site.site_dir / "2021" / "08" / "bai-hen-gio-luc-muoi-gio" / "index.html"  # the story's URL: its title

    before = _build(site, "2021-08-20T09:59", env_now="2030-01-01T00:00")
    assert before.returncode == 0, before.stderr
    assert not page.exists()  # scheduled: the environment's later moment is not the command's

    after = _build(site, "2021-08-20T10:00", env_now="2020-01-01T00:00")
    assert after.returncode == 0, after.stderr
    assert page.exists()
    assert "Bài hẹn giờ lúc mười giờ" in page.read_text(encoding="utf-8")
