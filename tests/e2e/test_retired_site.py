"""A rebuilt site's old pages are moved out of the way at once and deleted after the build, never published."""

from __future__ import annotations

import os
import time

from frontline.build.atomic import retire_site_contents
from tests.sites import make_site, story


def _site_with_old_pages(tmp_path):
    site = tmp_path / "site"
    (site / "2021/05/bai-cu").mkdir(parents=True)
    (site / "2021/05/bai-cu/index.html").write_text("trang cũ", encoding="utf-8")
    (site / "index.html").write_text("trang chủ cũ", encoding="utf-8")
    (site / ".git").mkdir()  # MkDocs keeps dot-entries when it cleans a site folder
    return site


def _eventually(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def _nothing_retired(site) -> bool:
    """No old site left in the cache: none was moved there (a build that brought the folder up to date in place,
    ``frontline.build.kept_site``), or it was deleted."""
    holding = site.root / ".cache/frontline/retired"
    return not holding.exists() or not any(holding.iterdir())


def test_old_pages_leave_the_site_at_once_and_are_deleted_after_the_build(tmp_path):
    site = _site_with_old_pages(tmp_path)
    holding = tmp_path / ".cache/frontline/retired"
    retired = retire_site_contents(site, holding)
    assert retired is not None and not retired.inside_site
    assert sorted(p.name for p in site.iterdir()) == [".git"]
    assert (retired.folder / "2021/05/bai-cu/index.html").read_text(encoding="utf-8") == "trang cũ"
    retired.finish()
    assert _eventually(lambda: not retired.folder.exists())


def test_without_a_holding_folder_old_pages_are_deleted_inside_the_site_before_the_build_ends(tmp_path):
    site = _site_with_old_pages(tmp_path)
    blocked = tmp_path / "retired"
    blocked.write_text("a file where the holding folder would go", encoding="utf-8")
    retired = retire_site_contents(site, blocked)
    assert retired is not None and retired.inside_site
    retired.finish()
    assert sorted(p.name for p in site.iterdir()) == [".git"]
    assert blocked.read_text(encoding="utf-8").startswith("a file")


def test_a_rebuild_publishes_only_the_new_pages(tmp_path):
    site = make_site(tmp_path / "newsroom", with_campaign=False)
    site.write("stories/2021/06/mot.md", story("Bài một", "2021-06-01T08:00"))
    old = site.write("stories/2021/06/hai.md", story("Bài hai", "2021-06-02T08:00"))
    assert site.build().returncode == 0
    assert (site.site_dir / "2021/06/bai-hai/index.html").is_file()
    old.unlink()
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert not (site.site_dir / "2021/06/bai-hai").exists()
    assert (site.site_dir / "2021/06/bai-mot/index.html").is_file()
    assert [p.name for p in site.site_dir.iterdir() if p.name.startswith(".")] == []
    assert _eventually(lambda: _nothing_retired(site))
    # the new index (its records changed) replaced the old one in the cache, nothing half made beside it
    bundles = site.root / ".cache/frontline/search"
    assert [bundle.name.startswith(".") for bundle in bundles.iterdir()] == [False]


def test_a_build_deletes_sites_left_by_interrupted_builds_but_not_one_being_moved(tmp_path):
    site = _site_with_old_pages(tmp_path)
    holding = tmp_path / ".cache/frontline/retired"
    left_long_ago, in_progress = holding / "retired-old", holding / "retired-now"
    for folder in (left_long_ago, in_progress):
        (folder / "2020").mkdir(parents=True)
    hours_ago = time.time() - 2 * 3600
    os.utime(left_long_ago, (hours_ago, hours_ago))
    retired = retire_site_contents(site, holding)
    retired.finish()
    assert _eventually(lambda: not retired.folder.exists() and not left_long_ago.exists())
    assert (in_progress / "2020").is_dir()


def test_a_failed_rebuild_deletes_the_site_it_emptied(tmp_path):
    """MkDocs empties the site folder before building; when the build then fails, the old pages it moved
    aside are deleted at once, not left in the cache."""
    site = make_site(tmp_path / "newsroom", with_campaign=False)
    site.write("stories/2021/06/mot.md", story("Bài một", "2021-06-01T08:00"))
    assert site.build().returncode == 0
    # a page of docs/ where the new story's page goes among the site's files: found only once the build has
    # emptied the site folder (reading the content refuses what it can before that)
    site.write("docs/stories/2021/06/hai.md", "# Trang trùng chỗ\n")
    site.write("stories/2021/06/hai.md", story("Bài hai", "2021-06-02T08:00"))
    result = site.build()
    assert result.returncode != 0
    assert "stories/2021/06/hai.md: trùng tệp stories/2021/06/hai.md trong docs/" in result.stderr
    assert _eventually(lambda: _nothing_retired(site))
    # the index it had started (its records changed) is stopped and dropped; the last good one stays cached
    bundles = site.root / ".cache/frontline/search"
    assert [bundle.name.startswith(".") for bundle in bundles.iterdir()] == [False]
