"""`frontline build` lists its site's files with their digests, and `frontline publish` reads the site through that
list and the memo of its last verify: only files changed since are read again. What is trusted must never let a
change through: a file written, added or replaced after the build is read, its new bytes published, and a site
altered after the build is refused by the publish as by `frontline verify`."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from frontline.build.cache import CACHE_FOLDER
from frontline.build.manifest import list_site, listed_by_build
from frontline.output.verify import VERIFY_MEMO
from tests.e2e.test_deploy_folder import (
    STORY_URL,
    assert_complete,
    build,
    counts,
    edit_story,
    frontline,
    live_release,
    newsroom_copy,
    publish_ok,
)
from tests.sites import story

pytestmark = pytest.mark.e2e

DRAFT = "stories/2021/05/nhap.md"
DRAFT_TITLE = "Bản nháp chưa duyệt về Bắc Giang"


def _newsroom(built: Path, root: Path):
    site = newsroom_copy(built, root)
    site.write(DRAFT, story(DRAFT_TITLE, "2021-05-21T08:00", draft="true"))
    return site


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rewrite(path: Path, data: bytes) -> None:
    """Write ``path`` in place (its inode kept), as an editor would, though the build left it read-only."""
    os.chmod(path, 0o644)
    with open(path, "r+b") as file:
        file.write(data)
        file.truncate()


def test_the_build_lists_every_file_with_its_digest_and_a_change_since_is_read(tmp_path, built_newsroom):
    site = _newsroom(built_newsroom, tmp_path / "newsroom")
    build(site.root)
    cache = site.root / CACHE_FOLDER
    listing = list_site(site.site_dir, cache)
    files = sorted(p for p in site.site_dir.rglob("*") if p.is_file())
    assert len(files) > 50 and sorted(listing.files) == sorted(p.relative_to(site.site_dir).as_posix() for p in files)
    assert listing.read == frozenset()  # every digest from the build's list
    assert all(listing.files[p.relative_to(site.site_dir).as_posix()].digest == _sha256(p) for p in files)
    # What a publish that has just built the site takes instead of walking it: the same files, sizes and digests.
    assert listed_by_build(site.site_dir, cache) == listing
    page = site.site_dir / STORY_URL / "index.html"
    _rewrite(page, page.read_bytes().replace("Bản đầu.".encode(), "Sửa tay.".encode()))
    (site.site_dir / "ghi-chu.txt").write_text("không phải của bản dựng\n", encoding="utf-8")
    again = list_site(site.site_dir, cache)
    assert again.read == {f"{STORY_URL}index.html", "ghi-chu.txt"}
    assert again.files[f"{STORY_URL}index.html"].digest == _sha256(page)
    # Built again, the site is a new folder with a list of its own, and a warm build hashes few files for it.
    build(site.root)
    assert list_site(site.site_dir, cache).read == frozenset()
    # A story edited and built again into the folder the build kept (its files listed by the build's walks, not
    # one walk at its end): the build's own list is still the site as it is.
    edit_story(site, "Bản sửa lần hai.")
    build(site.root)
    build(site.root)
    assert listed_by_build(site.site_dir, cache) == list_site(site.site_dir, cache)


def test_publish_trusts_the_lists_yet_refuses_a_site_altered_after_the_build_and_publishes_bytes_changed(
    tmp_path, built_newsroom
):
    site = _newsroom(built_newsroom, tmp_path / "newsroom")
    dest = tmp_path / "dest"
    build(site.root)
    publish_ok(site.root, dest)  # the verify memo now knows every file of this build
    assert (site.root / CACHE_FOLDER / VERIFY_MEMO).is_file()
    listing_page = site.site_dir / "topics" / "index.html"
    original = listing_page.read_bytes()
    # The draft's title written into a page after the build: a leak the memo has never seen in that page.
    _rewrite(listing_page, original.replace(b"</body>", DRAFT_TITLE.encode() + b"</body>"))
    leaked = frontline(site.root, "publish", str(dest))
    assert leaked.returncode == 1 and f"{DRAFT}: bài chưa xuất bản xuất hiện trong topics/index.html" in leaked.stderr
    _rewrite(listing_page, original)
    assert counts(publish_ok(site.root, dest))["sent"] == 0
    # A story's page gone: the canonical count is made from every page, memo or not.
    page = site.site_dir / STORY_URL / "index.html"
    kept = page.read_bytes()
    page.unlink()
    lost = frontline(site.root, "publish", str(dest))
    assert lost.returncode == 1 and f"0 trang cho /{STORY_URL}" in lost.stderr, lost.stderr
    page.write_bytes(kept)
    assert counts(publish_ok(site.root, dest))["sent"] == 0
    # A file changed after the build (a new line in robots.txt, too small for a twin): verify finds nothing wrong
    # in it, and the bytes published are the file's, not those of the digest the build listed.
    robots = site.site_dir / "robots.txt"
    assert robots.stat().st_size < 1024 and not robots.with_name("robots.txt.gz").exists()
    _rewrite(robots, robots.read_bytes() + b"# sua tay\n")
    figures = counts(publish_ok(site.root, dest))
    assert figures["sent"] == 1, figures
    assert (live_release(dest) / "robots.txt").read_bytes() == robots.read_bytes()
    assert frontline(site.root, "verify").returncode == 0


def test_pruned_releases_leave_releases_at_once_and_are_deleted_behind_the_live_one(tmp_path, built_newsroom):
    site = _newsroom(built_newsroom, tmp_path / "newsroom")
    dest = tmp_path / "dest"
    for round_ in range(3):
        edit_story(site, f"Lần sửa thứ {round_}.")
        build(site.root)
        out = publish_ok(site.root, dest, "--keep", "1")
    assert "Đã xoá 1 bản cũ (giữ 1 bản mới nhất)." in out
    live = live_release(dest)
    assert sorted(p.name for p in (dest / "releases").iterdir()) == sorted([live.name, live.name + ".json"])
    deadline = time.monotonic() + 120  # deleted by a process of its own, at the lowest priority
    while any(p.name.startswith(".pruned-") for p in dest.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(p.name.startswith(".pruned-") for p in dest.iterdir())
    assert_complete(dest)
