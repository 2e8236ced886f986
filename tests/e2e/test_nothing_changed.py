"""``frontline build`` with nothing changed since the last build (a scheduled rebuild with nothing due) looks at the
site instead of building it: the same folder stays, as a clean build would write it. Anything a build reads that
changed, a site folder changed by hand, or a clock past the first moment the pages would change by (a scheduled
story, the next day, a story leaving the news sitemap) builds as before."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.sites import make_site, story
from tests.snapshots import differences, snapshot

pytestmark = pytest.mark.e2e

LOOKED = "Không có gì thay đổi từ lần dựng trước"


def _newsroom(root):
    site = make_site(root)
    for n in range(3):
        site.write(f"stories/2021/05/bai-{n}.md", story(f"Bài số {n}", f"2021-05-{16 + n}T09:00", campaign="bac-giang"))
    return site


def _build(site, *args: str, now: str = "2021-12-31T00:00:00+07:00", env: dict | None = None) -> str:
    """``frontline build ARGS --now NOW``: the clock as the command's option (a variable setting it is an input)."""
    result = site.frontline("build", *args, "--now", now, now=None, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _clean(site, tmp_path, *args: str, **options) -> dict[str, bytes | None]:
    """The site a build into a new folder writes now."""
    target = tmp_path / "clean"
    shutil.rmtree(target, ignore_errors=True)
    _build(site, *args, "--site-dir", str(target / "site"), **options)
    return snapshot(target / "site")


def test_with_nothing_changed_a_build_looks_at_the_site_and_leaves_it_as_a_clean_build(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    assert LOOKED not in _build(site)
    folder = os.stat(site.site_dir).st_ino
    before = snapshot(site.site_dir)
    assert LOOKED in _build(site)
    assert os.stat(site.site_dir).st_ino == folder, "the same folder, not a new one"
    assert not (site.root / ".site.spare").exists(), "no build ran: none replaced the site"
    assert differences(snapshot(site.site_dir), before) == []
    assert differences(snapshot(site.site_dir), _clean(site, tmp_path)) == []
    assert LOOKED not in _build(site, "--fresh"), "--fresh builds all the same"


@pytest.mark.parametrize("change", ["page edited", "file added", "file deleted", "link added"])
def test_a_site_changed_by_hand_is_built_again(tmp_path, change):
    site = _newsroom(tmp_path / "newsroom")
    _build(site)
    page = site.site_dir / "2021/05/bai-so-1/index.html"
    if change == "page edited":
        with page.open("a", encoding="utf-8") as file:
            file.write("<script>alert('sửa tay')</script>")
    elif change == "file added":
        (site.site_dir / "them.html").write_text("<p>thêm</p>", encoding="utf-8")
    elif change == "file deleted":
        page.unlink()
    else:
        (site.site_dir / "lien-ket").symlink_to(site.root / "stories")
    assert LOOKED not in _build(site)
    assert differences(snapshot(site.site_dir), _clean(site, tmp_path)) == []


@pytest.mark.parametrize("change", ["story touched", "docs added", "config edited", "engine", "variable"])
def test_anything_a_build_reads_that_changed_builds(tmp_path, change):
    site = _newsroom(tmp_path / "newsroom")
    config = site.config.read_text(encoding="utf-8")
    site.write("mkdocs.yml", config.replace("site_name: Tuyến đầu thử nghiệm", "site_name: !ENV [TEN_TRANG, Tin]"))
    env = {"TEN_TRANG": "Tin tuyến đầu"}
    _build(site, env=env)
    assert LOOKED in _build(site, env=env)
    args: tuple[str, ...] = ()
    if change == "story touched":  # its text unchanged: a build tells that by reading it, not the look at the site
        path = site.root / "stories/2021/05/bai-1.md"
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    elif change == "docs added":
        site.write("docs/gioi-thieu.md", "# Giới thiệu\n\nToà soạn.\n")
    elif change == "config edited":
        site.write("mkdocs.yml", site.config.read_text(encoding="utf-8").replace("per_page: 2", "per_page: 3"))
    elif change == "engine":
        args = ("--engine", "properdocs")
    else:
        env = {"TEN_TRANG": "Tin tuyến đầu mới"}
    assert LOOKED not in _build(site, *args, env=env)
    assert LOOKED in _build(site, *args, env=env), "and the next build with nothing changed looks again"
    assert differences(snapshot(site.site_dir), _clean(site, tmp_path, *args, env=env)) == []
    if change == "variable":
        assert "Tin tuyến đầu mới" in (site.site_dir / "index.html").read_text(encoding="utf-8")


def test_a_clock_past_the_first_moment_the_pages_change_by_builds(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    site.write("stories/2021/06/hen-gio.md", story("Bài hẹn giờ", "2021-06-02T09:00"))
    _build(site, now="2021-06-01T08:00:00+07:00")
    assert LOOKED in _build(site, now="2021-06-01T23:59:00+07:00")
    assert LOOKED not in _build(site, now="2021-06-02T00:00:00+07:00"), "the next day: campaign figures count days"
    assert LOOKED in _build(site, now="2021-06-02T08:59:00+07:00")
    assert not (site.site_dir / "2021/06/bai-hen-gio").exists()
    assert LOOKED not in _build(site, now="2021-06-02T09:00:00+07:00"), "the scheduled story's moment"
    assert (site.site_dir / "2021/06/bai-hen-gio/index.html").is_file()
    assert "bai-hen-gio" in (site.site_dir / "news-sitemap.xml").read_text(encoding="utf-8")
    assert LOOKED not in _build(site, now="2021-06-04T08:00:00+07:00"), "a new day"
    assert LOOKED in _build(site, now="2021-06-04T08:59:00+07:00")
    # Two days after its moment the story leaves the news sitemap, in the middle of a day.
    assert LOOKED not in _build(site, now="2021-06-04T09:00:00+07:00")
    assert "bai-hen-gio" not in (site.site_dir / "news-sitemap.xml").read_text(encoding="utf-8")
    assert LOOKED not in _build(site, now="2021-06-01T08:00:00+07:00"), "a clock set back builds"
    assert not (site.site_dir / "2021/06/bai-hen-gio").exists()
