"""Caches that cannot be turned against the build: the story memo is data read into the model's own records
(never code), a story's change is seen whatever its file's modification time says, and a cached page is
published only while it holds what was stored."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from frontline.content.memo import StoryMemo
from frontline.engine.mkdocs import CACHE_FOLDER, MEMO_FILE
from tests.cli import run_frontline
from tests.sites import make_site, story
from tests.unit.test_cache_safety import _variants

NOW = "2021-12-31T00:00:00+07:00"


def _frontline_build(root: Path) -> subprocess.CompletedProcess:
    return run_frontline("build", cwd=root, config=root / "mkdocs.yml", now=NOW)


def test_a_crafted_memo_in_a_shared_cache_runs_no_code_and_changes_no_page(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write("stories/2021/05/a.md", story("Bài A", "2021-05-20T09:00"))
    site.write("stories/2021/05/b.md", story("Bài B", "2021-05-21T09:00"))
    result = _frontline_build(site.root)
    assert result.returncode == 0, result.stderr
    memo_file = site.root / CACHE_FOLDER / MEMO_FILE
    marker = tmp_path / "ran"
    crafted = _variants(memo_file.read_bytes(), "BỊ CHÈN", marker)
    (site.root / CACHE_FOLDER / "stories.pickle").write_bytes(crafted["pickle"])  # where it was read before
    for name in ("pickle", "another version", "a field too many", "a class named", "truncated"):
        memo_file.write_bytes(crafted[name])
        site.touch()  # a build that reads the memo, not a look at a site with nothing changed
        result = _frontline_build(site.root)
        assert result.returncode == 0, (name, result.stderr)
        assert site.html("2021/05/bai-a/").h1.get_text(strip=True) == "Bài A", name
        assert "BỊ CHÈN" not in (site.site_dir / "feed.xml").read_text(encoding="utf-8"), name
        assert not marker.exists(), name
        assert StoryMemo.load(memo_file).readings, name  # read afresh, and saved again


def test_a_same_size_edit_with_its_old_modification_time_is_published(tmp_path):
    site = make_site(tmp_path / "newsroom")
    path = site.write("stories/2021/05/a.md", story("Bài A", "2021-05-20T09:00", body="Số ca mắc hôm nay: 120."))
    site.write("stories/2021/05/b.md", story("Bài B", "2021-05-21T09:00"))
    assert site.build(now=NOW).returncode == 0
    assert "Số ca mắc hôm nay: 120." in site.html("2021/05/bai-a/").get_text()
    before = path.stat()
    with path.open("r+b") as handle:  # in place: the same inode
        text = handle.read().replace(b"120", b"210")
        handle.seek(0)
        handle.write(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    result = site.build(now=NOW)
    assert result.returncode == 0, result.stderr
    assert "Số ca mắc hôm nay: 210." in site.html("2021/05/bai-a/").get_text()


EDIT = '<script>alert("sửa trong site")</script>'


def _entries(site) -> list[Path]:
    return sorted(p for p in (site.root / CACHE_FOLDER / "pages").iterdir() if not p.name.startswith("."))


def _entry_of(site, page: Path) -> Path:
    return next(entry for entry in _entries(site) if os.path.samefile(entry, page))


def test_a_page_edited_in_the_site_or_in_the_cache_is_rendered_again_not_published(tmp_path):
    site = make_site(tmp_path / "newsroom")
    for n in range(4):
        site.write(f"stories/2021/05/bai-{n}.md", story(f"Bài {n}", f"2021-05-2{n}T09:00"))
    assert site.build(now=NOW).returncode == 0
    assert site.build(now=NOW).returncode == 0  # from the cache
    page = site.site_dir / "2021/05/bai-1/index.html"
    original = page.read_bytes()
    entry = _entry_of(site, page)  # linked: no data copied
    assert entry.stat().st_mode & 0o777 == 0o444

    os.chmod(page, 0o644)  # what root needs not do
    with page.open("ab") as handle:
        handle.write(EDIT.encode())
    assert EDIT in entry.read_text(encoding="utf-8")  # the same file
    result = site.build(now=NOW)
    assert result.returncode == 0, result.stderr
    assert page.read_bytes() == original
    assert not any(EDIT in path.read_text(encoding="utf-8") for path in _entries(site) if path.suffix != ".sqlite")
    assert _entry_of(site, page).stat().st_mode & 0o777 == 0o444

    feed = site.site_dir / "feed.xml"
    feed_original = feed.read_bytes()
    rss = next(path for path in _entries(site) if path.suffix == ".rss" and path.read_bytes() == feed_original)
    for tampered in (_entry_of(site, page), rss):
        tampered.unlink()  # replaced by a file of the same name: another inode, the same mode
        tampered.write_bytes(feed_original.replace(b"</channel>", EDIT.encode() + b"</channel>"))
        os.chmod(tampered, 0o444)
    result = site.build(now=NOW)
    assert result.returncode == 0, result.stderr
    # The site is brought up to date in place: its page and feed are not the cache's new files, and stay as they were.
    assert page.read_bytes() == original and feed.read_bytes() == feed_original
    # A build into a new folder takes every page and feed from the cache: it finds the cache's files changed, and
    # renders them again.
    result = site.build(now=NOW, site_dir=tmp_path / "new")
    assert result.returncode == 0, result.stderr
    new_page = tmp_path / "new" / page.relative_to(site.site_dir)
    assert new_page.read_bytes() == original and (tmp_path / "new" / "feed.xml").read_bytes() == feed_original
    assert not any(EDIT in path.read_text(encoding="utf-8") for path in _entries(site) if path.suffix != ".sqlite")
