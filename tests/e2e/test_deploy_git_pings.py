"""A publish to a git branch knows what is live (the branch's tip), so it pings only the feeds the release changed, as
the folder target does; with the project's cache lost (another machine, a CI run without it) it still does. The
remote's URL is not written into the cache (CI keeps that folder)."""

from __future__ import annotations

import shutil
import subprocess
import urllib.parse

import pytest

from tests.e2e.test_deploy_command_pings import _configure
from tests.e2e.test_deploy_folder import build, edit_story, frontline, newsroom
from tests.e2e.test_deploy_pings import recorder  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e

EDITED_FEEDS = {
    f"https://example.vn/tin/{feed}"
    for folder in ("", "authors/ha/", "campaigns/bac-giang/")
    for feed in (f"{folder}feed.xml", f"{folder}atom.xml")
} | {"https://example.vn/tin/feed.json"}
"""The feeds the edited story is in (site, campaign, author), none of the places its neighbours are in."""


def _hubbed(recorder) -> set[str]:  # noqa: F811
    return {urllib.parse.parse_qs(r["body"])["hub.url"][0] for r in recorder.received if r["path"] == "/204/hub"}


def test_a_git_publish_pings_only_the_feeds_the_release_changed(recorder, tmp_path):  # noqa: F811
    repo = tmp_path / "tuyendau.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(repo)], check=True)
    dest = f"git+file://{repo}#gh-pages"
    site = newsroom(tmp_path / "newsroom")
    _configure(site, f"{recorder.base}/204/hub", f"{recorder.base}/204/indexnow")
    build(site.root)
    first = frontline(site.root, "publish", dest)
    assert first.returncode == 0, first.stdout + first.stderr
    everything = _hubbed(recorder)
    assert everything > EDITED_FEEDS  # a first release: every feed is news

    recorder.received.clear()
    edit_story(site, "Bản sửa: thêm giường bệnh.")
    build(site.root)
    second = frontline(site.root, "publish", dest)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _hubbed(recorder) == EDITED_FEEDS
    (indexnow,) = [r for r in recorder.received if r["path"] == "/204/indexnow"]
    assert "https://example.vn/tin/2021/05/benh-vien-da-chien-so-2/" in indexnow["body"]

    recorder.received.clear()
    again = frontline(site.root, "publish", dest)
    assert again.returncode == 0
    assert recorder.received == []  # nothing changed: nobody is told

    # The cache lost: what is live is read from the branch itself.
    shutil.rmtree(site.root / ".cache" / "frontline" / "deploy")
    recorder.received.clear()
    edit_story(site, "Bản sửa lần hai.")
    build(site.root)
    third = frontline(site.root, "publish", dest)
    assert third.returncode == 0, third.stdout + third.stderr
    assert _hubbed(recorder) == EDITED_FEEDS

    configs = list((site.root / ".cache" / "frontline" / "deploy").glob("*/config"))
    assert configs and all(str(repo) not in path.read_text(encoding="utf-8") for path in configs)
