"""`frontline publish` announces a live release: the feeds it changed to the WebSub hub, its changed pages to
IndexNow; a ping that fails is told and the release stays live."""

from __future__ import annotations

import urllib.parse

import pytest

from tests.e2e.test_deploy_folder import build, edit_story, frontline, newsroom
from tests.e2e.test_deploy_pings import recorder  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e


def _configure(site, hub: str, indexnow: str) -> None:
    config = site.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  frontline:\n" in text
    config.write_text(
        text.replace(
            "  frontline:\n",
            f"  frontline:\n    websub_hub: {hub}\n    indexnow_key: 3f2a9c0d7b1e4a6f\n"
            f"    indexnow_endpoint: {indexnow}\n",
            1,
        ),
        encoding="utf-8",
    )


def test_publish_pings_what_the_release_changed_and_a_failed_ping_keeps_the_release(recorder, tmp_path):  # noqa: F811
    site = newsroom(tmp_path / "newsroom")
    _configure(site, f"{recorder.base}/204/hub", f"{recorder.base}/500/indexnow")
    build(site.root)
    dest = tmp_path / "www"
    first = frontline(site.root, "publish", str(dest))
    assert first.returncode == 0, first.stdout + first.stderr
    hubbed = [urllib.parse.parse_qs(r["body"])["hub.url"][0] for r in recorder.received if r["path"] == "/204/hub"]
    assert any(feed.endswith("/feed.xml") for feed in hubbed)  # a first release: every feed is news
    assert any(r["path"] == "/500/indexnow" for r in recorder.received)
    assert "indexnow" in first.stderr.lower() or "IndexNow" in first.stderr  # the failure is told…
    assert (dest / "current").is_symlink()  # …and the release stays live

    recorder.received.clear()
    edit_story(site, "Bản sửa: thêm giường bệnh.")
    build(site.root)
    second = frontline(site.root, "publish", str(dest))
    assert second.returncode == 0, second.stdout + second.stderr
    hubbed = {urllib.parse.parse_qs(r["body"])["hub.url"][0] for r in recorder.received if r["path"] == "/204/hub"}
    # the feeds the edited story is in (site, campaign, author), none of the places its neighbours are in
    assert hubbed == {
        f"https://example.vn/tin/{feed}"
        for folder in ("", "authors/ha/", "campaigns/bac-giang/")
        for feed in (f"{folder}feed.xml", f"{folder}atom.xml")
    } | {"https://example.vn/tin/feed.json"}

    recorder.received.clear()
    again = frontline(site.root, "publish", str(dest))
    assert again.returncode == 0
    assert recorder.received == []  # nothing changed: nobody is told
