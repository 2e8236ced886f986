"""``frontline build`` keeps the site it replaces beside ``site/`` and brings that folder up to date at the next build
instead of writing every page into a new one: what it publishes is a clean build's site all the same, file for file,
after stories were edited, added, deleted, moved (with a redirect) and an image replaced, two builds after the state
the folder was last written in; a kept folder touched by hand, or one whose build failed, is not reused."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.sites import jpeg_bytes, make_site, story
from tests.snapshots import differences, snapshot

pytestmark = pytest.mark.e2e

SPARE = ".site.spare"


def _newsroom(root):
    site = make_site(root)
    site.write("stories/2021/05/images/lead.jpg", jpeg_bytes(1200, 675))
    site.write(
        "stories/2021/05/anh.md",
        story("Bài có ảnh", "2021-05-20T09:30", campaign="bac-giang", image="images/lead.jpg", image_alt="Ảnh"),
    )
    for n in range(6):
        site.write(f"stories/2021/05/bai-{n}.md", story(f"Bài số {n}", f"2021-05-{16 + n}T09:00", campaign="bac-giang"))
    site.write("stories/2021/03/chi-o-day.md", story("Bài ở Lạng Sơn", "2021-03-02T09:00", location="Lạng Sơn"))
    site.write("stories/2021/04/se-doi.md", story("Bài sẽ đổi ngày", "2021-04-02T09:00", slug="se-doi"))
    return site


def _build(site, timings: bool = True) -> str:
    site.touch()  # each a build, as after an edit (with nothing changed, a build only looks at the site)
    result = site.frontline("build", env={"FRONTLINE_TIMINGS": "1"} if timings else None)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def _clean(site, tmp_path) -> dict[str, bytes | None]:
    """The site a build into a new folder writes now."""
    target = tmp_path / "clean"
    shutil.rmtree(target, ignore_errors=True)
    result = site.frontline("build", "--site-dir", str(target / "site"))
    assert result.returncode == 0, result.stderr
    return snapshot(target / "site")


def test_a_kept_site_folder_is_brought_up_to_date_to_a_clean_build(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    _build(site)
    first = os.stat(site.site_dir).st_ino
    _build(site)
    assert (site.root / SPARE).is_dir(), "the site the build replaced is kept beside"
    log = _build(site)
    assert os.stat(site.site_dir).st_ino == first, "the third build wrote into the first one's folder"
    assert "(0 written)" in log and "swept" in log, log
    assert not differences(snapshot(site.site_dir), _clean(site, tmp_path))

    # An edit, a new story, a deleted one (its place's page and feeds go with it), a story moved with a redirect
    # from its old address, the lead image replaced (its smaller copies with it).
    site.write(
        "stories/2021/05/bai-2.md", story("Bài số 2 đã sửa", "2021-05-18T09:00", campaign="bac-giang", slug="bai-so-2")
    )
    site.write("stories/2021/06/moi.md", story("Bài mới", "2021-06-01T08:00", campaign="bac-giang"))
    (site.root / "stories/2021/03/chi-o-day.md").unlink()
    site.write(
        "stories/2021/04/se-doi.md",
        story("Bài sẽ đổi ngày", "2021-04-20T09:00", slug="da-doi", aliases="[2021/04/se-doi/]"),
    )
    site.write("stories/2021/05/images/lead.jpg", jpeg_bytes(1000, 600))
    before = snapshot(site.site_dir)
    assert any(path.startswith("places/lang-son") for path in before)
    for _ in range(2):  # into the folder of the build before the changes, then of the one before that
        log = _build(site)
        assert "swept" in log, log
        built = snapshot(site.site_dir)
        assert not differences(built, _clean(site, tmp_path))
    assert not any(path.startswith("places/lang-son") for path in built)
    assert not (site.site_dir / "places" / "lang-son").exists(), "its folders go with its files"
    assert "2021/04/se-doi/index.html" in built and "2021/04/da-doi/index.html" in built
    variant = _variant(built)
    assert built[variant] != before[variant], "the smaller copy of the replaced image is the new image's"

    # The deleted story back: its place's listing and feeds come back with it, though their keys are the ones the
    # kept folders last had.
    site.write("stories/2021/03/chi-o-day.md", story("Bài ở Lạng Sơn", "2021-03-02T09:00", location="Lạng Sơn"))
    for _ in range(2):
        assert "swept" in _build(site)
        built = snapshot(site.site_dir)
        assert not differences(built, _clean(site, tmp_path))
    assert "places/lang-son/feed.xml" in built and "places/lang-son/atom.xml.gz" in built


def test_a_kept_folder_writes_a_campaigns_timeline_again_only_when_the_campaign_changed(tmp_path):
    """A campaign's TimelineJS file is keyed as its feeds are: a build that changes nothing of a campaign leaves its
    file as it was (the same file), one that changes its page or its stories writes it as a clean build would."""
    from tests.sites import CAMPAIGN

    site = _newsroom(tmp_path / "newsroom")
    site.write("docs/campaigns/lang-son.md", CAMPAIGN.replace("Bắc Giang", "Lạng Sơn"))
    site.write("stories/2021/05/ls.md", story("Chốt kiểm dịch Lạng Sơn", "2021-05-20T10:00", campaign="lang-son"))
    for _ in range(3):  # the third into the first one's folder, which it brings up to date
        _build(site)
    timeline = {c: site.site_dir / c / "timeline.json" for c in ("campaigns/bac-giang", "campaigns/lang-son")}
    assert all(path.is_file() for path in timeline.values()), list(site.site_dir.glob("campaigns/*/*"))
    for turn in range(2):  # into each of the two folders kept
        site.write(
            "stories/2021/05/bai-3.md",
            story(f"Bài số 3, sửa {turn}", "2021-05-19T09:00", campaign="bac-giang", slug="bai-so-3"),
        )
        site.write("docs/campaigns/lang-son.md", CAMPAIGN.replace("Bắc Giang", "Lạng Sơn"))  # saved, not changed
        # The build writes into the folder kept beside (two builds old), then puts it in place of site/.
        before = {c: _signature(site.root / SPARE / c / "timeline.json") for c in timeline}
        _build(site)
        after = {c: _signature(path) for c, path in timeline.items()}
        assert after["campaigns/lang-son"] == before["campaigns/lang-son"], "left as it was"
        assert after["campaigns/bac-giang"] != before["campaigns/bac-giang"], "written again"
        assert f"Bài số 3, sửa {turn}" in timeline["campaigns/bac-giang"].read_text(encoding="utf-8")
        assert not differences(snapshot(site.site_dir), _clean(site, tmp_path))
    site.write("docs/campaigns/lang-son.md", CAMPAIGN.replace("Bắc Giang", "Lạng Sơn").replace("Y tế", "Công an"))
    _build(site)
    assert "Công an CAND" in timeline["campaigns/lang-son"].read_text(encoding="utf-8")
    assert not differences(snapshot(site.site_dir), _clean(site, tmp_path))


def _signature(path) -> tuple[int, int, int]:
    status = os.stat(path)
    return status.st_ino, status.st_mtime_ns, status.st_size


def _variant(files: dict) -> str:
    return next(path for path in files if path.endswith("lead-480w.jpg"))


def test_a_kept_folder_changed_by_hand_or_left_by_a_failed_build_is_not_reused(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    _build(site)
    _build(site)
    (site.root / SPARE / "stray.html").write_text("<p>not a build's</p>", encoding="utf-8")
    log = _build(site)
    assert "swept" not in log, "a folder whose entries changed since its record is written anew"
    assert "stray.html" not in snapshot(site.site_dir)
    assert not differences(snapshot(site.site_dir), _clean(site, tmp_path))

    site.write("stories/2021/05/hong.md", "---\ntitle: Thiếu ngày\n---\n\nThân bài.\n")
    failed = site.frontline("build")
    assert failed.returncode != 0
    assert not (site.root / SPARE).exists(), "the folder a failed build wrote into is not kept"
    (site.root / "stories/2021/05/hong.md").unlink()
    _build(site)
    log = _build(site)
    assert "swept" in log, log
    assert not differences(snapshot(site.site_dir), _clean(site, tmp_path))

    fresh = site.frontline("build", "--fresh", env={"FRONTLINE_TIMINGS": "1"})  # asked for: a new folder
    assert fresh.returncode == 0, fresh.stderr
    assert "swept" not in fresh.stderr and not (site.root / SPARE).exists()
    assert not differences(snapshot(site.site_dir), _clean(site, tmp_path))


def test_mkdocs_build_brings_its_own_site_folder_up_to_date(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    assert site.build().returncode == 0
    site.write(
        "stories/2021/05/bai-3.md", story("Bài số 3 đã sửa", "2021-05-19T09:00", campaign="bac-giang", slug="bai-so-3")
    )
    (site.site_dir / "2021" / "rong" / "rong-nua").mkdir(parents=True)  # empty folders made by hand
    result = site.build(extra_env={"FRONTLINE_TIMINGS": "1"}, quiet=False)
    assert result.returncode == 0, result.stderr
    assert "swept" in result.stderr, result.stderr
    assert not differences(snapshot(site.site_dir), _clean(site, tmp_path))
    assert not (site.site_dir / "2021" / "rong").exists(), "a build into an empty folder makes no empty folder"

    # What the engine leaves in a site folder it empties (its dot-entries: a git checkout published from) stays.
    (site.site_dir / ".git").mkdir()
    (site.site_dir / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    for _ in range(2):  # written anew (the folder's entries changed), then brought up to date
        assert site.build().returncode == 0
        assert (site.site_dir / ".git" / "HEAD").is_file()

    # A build that stopped while the folder's entries were set aside: the next one starts from an empty folder,
    # and what was set aside is not published.
    (site.site_dir / ".frontline-kept").mkdir()
    (site.site_dir / ".frontline-kept" / "index.html").write_text("<p>cũ</p>", encoding="utf-8")
    assert site.build().returncode == 0
    assert not (site.site_dir / ".frontline-kept").exists()
    assert not differences(snapshot(site.site_dir, skip=site.site_dir / ".git"), _clean(site, tmp_path))


def test_a_kept_folder_is_never_written_through_a_link(tmp_path):
    """A page of docs/ standing in for a listing the kept folder holds as the page cache's file is written as a file
    of its own (not into the cache entry, nor the live site that shares it); a kept folder holding a symbolic link
    (no build makes one) is written anew, so no page goes through it out of the site."""
    site = _newsroom(tmp_path / "newsroom")
    for _ in range(3):
        _build(site)
    listing = site.root / SPARE / "places/lang-son/index.html"
    entry = next(path for path in (site.root / ".cache/frontline/pages").iterdir() if os.path.samefile(path, listing))
    cached = entry.read_bytes()
    site.write("docs/places/lang-son/index.md", "---\ntitle: Lạng Sơn\n---\n\nTrang biên tập riêng.\n")
    assert "swept" in _build(site)
    assert not os.path.samefile(site.site_dir / "places/lang-son/index.html", entry) if entry.exists() else True
    assert not entry.exists() or entry.read_bytes() == cached, "the cache entry was written through"
    assert not differences(snapshot(site.site_dir), _clean(site, tmp_path))

    outside = tmp_path / "outside"
    page = site.root / SPARE / "2021/05/bai-so-1"
    page.rename(outside)
    page.symlink_to(outside, target_is_directory=True)
    site.write("stories/2021/05/bai-1.md", story("Bài số 1", "2021-05-17T09:00", campaign="bac-giang", body="Sửa."))
    assert "swept" not in _build(site), "a folder holding a link is written anew"
    assert not (site.site_dir / "2021/05/bai-so-1").is_symlink()
    assert "Sửa." not in (outside / "index.html").read_text(encoding="utf-8")
    assert not differences(snapshot(site.site_dir), _clean(site, tmp_path))


def test_a_site_folder_reached_through_a_symbolic_link_keeps_its_smaller_images(tmp_path):
    """The build names what it keeps as the sweep walks the folder (from the site folder given, not its real path):
    an unchanged image's smaller copies stay in a kept folder whose path goes through a link."""
    site = _newsroom(tmp_path / "newsroom")
    (site.root / "real").mkdir()
    (site.root / "lnk").symlink_to(site.root / "real")
    for _ in range(3):  # a new folder, then kept (unchanged), then kept again
        result = site.build(site_dir=site.root / "lnk" / "site", extra_env={"FRONTLINE_TIMINGS": "1"}, quiet=False)
        assert result.returncode == 0, result.stderr
        built = snapshot(site.root / "real" / "site")
        assert not differences(built, _clean(site, tmp_path))
    assert "swept" in result.stderr
    assert _variant(built)


def test_a_file_of_docs_that_becomes_a_folder_and_back_is_built_as_in_a_new_folder(tmp_path):
    """A kept folder holds the file where the new build writes a folder (or the reverse): the build clears the way
    instead of failing on the engine's copy, or copying the file into the old folder."""
    site = _newsroom(tmp_path / "newsroom")
    site.write("docs/du-lieu.json", '{"ca": "' + "x" * 3000 + '"}')
    for _ in range(3):
        _build(site)
    (site.root / "docs/du-lieu.json").unlink()
    site.write("docs/du-lieu.json/ghi-chu.txt", "Số liệu ca nhiễm theo ngày.\n" * 80)
    for _ in range(2):  # into each folder kept: each held the file
        assert "swept" in _build(site)
        assert not differences(snapshot(site.site_dir), _clean(site, tmp_path))
    shutil.rmtree(site.root / "docs/du-lieu.json")
    site.write("docs/du-lieu.json", '{"ca": "' + "z" * 3000 + '"}')
    for _ in range(2):  # each held the folder
        assert "swept" in _build(site)
        built = snapshot(site.site_dir)
        assert not differences(built, _clean(site, tmp_path))
    assert (site.site_dir / "du-lieu.json").is_file() and "du-lieu.json.gz" in built
    # A file of docs/ named as the folder of stories' pages: that folder stays, as in a new folder (the engine then
    # copies the file into it).
    site.write("docs/2021", "Năm 2021.\n" * 200)
    for _ in range(2):
        assert "swept" in _build(site)
        built = snapshot(site.site_dir)
        assert not differences(built, _clean(site, tmp_path))
    assert "2021/05/bai-so-1/index.html" in built
    # The same file left out of the site (``exclude_docs``): the engine writes nothing there.
    site.config.write_text(site.config.read_text(encoding="utf-8") + "exclude_docs: |\n  /2021\n", encoding="utf-8")
    for _ in range(2):
        assert "swept" in _build(site)
        built = snapshot(site.site_dir)
        assert not differences(built, _clean(site, tmp_path))
    assert "2021/05/bai-so-1/index.html" in built and "2021/2021" not in built


def test_files_of_docs_and_frontlines_pages_take_each_others_places_as_in_a_new_folder(tmp_path):
    """A file of docs/ gone where a new story's page or place listing goes, and a deleted story's page folder where a
    file of docs/ now goes: each kept build is a clean build, and none fails where a clean one does not."""
    site = _newsroom(tmp_path / "newsroom")
    site.write("docs/2021/05/bai-moi", "Ghi chú.\n" * 200)
    site.write("docs/places/ha-noi", "Ghi chú.\n" * 200)
    for _ in range(3):
        _build(site)
    shutil.rmtree(site.root / "docs/2021")
    shutil.rmtree(site.root / "docs/places")
    site.write("stories/2021/05/moi.md", story("Bài mới", "2021-05-19T09:00", location="Hà Nội", slug="bai-moi"))
    for _ in range(2):  # into each folder kept: each held the two files
        assert "swept" in _build(site)
        built = snapshot(site.site_dir)
        assert not differences(built, _clean(site, tmp_path))
    assert "2021/05/bai-moi/index.html" in built and "places/ha-noi/index.html" in built
    (site.root / "stories/2021/05/bai-1.md").unlink()
    site.write("docs/2021/05/bai-so-1", "Ghi chú thay cho bài đã gỡ.\n" * 80)
    for _ in range(2):  # each held the story's page folder
        assert "swept" in _build(site)
        built = snapshot(site.site_dir)
        assert not differences(built, _clean(site, tmp_path))
    assert (site.site_dir / "2021/05/bai-so-1").is_file()
