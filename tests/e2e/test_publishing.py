"""Publishing rules and builds you can trust: scheduling, corrections, aliases, previews,
escaping, reproducibility, both engines, and the "nothing lost" check."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from frontline.config.settings import SiteInfo
from frontline.output.exports import sitemap_files
from tests.sites import HOSTILE_TITLE as TITLE
from tests.sites import REPO, hostile_story, make_site, search_documents, story
from tests.snapshots import differences, snapshot


@pytest.fixture
def newsroom(site):
    return _newsroom(site)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The newsroom built once at the fixtures' "now", for the tests that only read what it published."""
    site = _newsroom(make_site(tmp_path_factory.mktemp("published") / "newsroom"))
    assert site.build().returncode == 0
    return site


def _newsroom(site):
    site.write(
        "stories/2021/05/a.md",
        story("Lên đường chi viện Bắc Giang", "2021-05-17T06:00", campaign="bac-giang", location="Hà Nội"),
    )
    site.write(
        "stories/2021/05/b.md",
        story(
            "Bệnh viện dã chiến tiếp nhận bệnh nhân",
            "2021-05-20T09:30",
            campaign="bac-giang",
            location="Bắc Giang",
            aliases="[2021/05/ten-cu/, /tin/benh-vien-da-chien.html]",
            corrections="[{date: '2021-05-21T08:00', text: 'Sửa số giường bệnh từ 300 thành 500.'}]",
        ),
    )
    site.write(
        "stories/2021/05/nhap.md", story("Bản nháp chưa duyệt", "2021-05-21", campaign="bac-giang", draft="true")
    )
    site.write("stories/2021/06/hen.md", story("Bài hẹn giờ tháng sáu", "2021-06-10T07:00", campaign="bac-giang"))
    return site


def _all_text(site_dir):
    return {
        path.relative_to(site_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in site_dir.rglob("*")
        if path.is_file() and path.suffix in {".html", ".xml", ".json"}
    }


def test_scheduled_story_appears_only_once_its_time_has_come(newsroom):
    assert newsroom.build(now="2021-06-01T00:00:00+07:00").returncode == 0
    assert not any("Bài hẹn giờ tháng sáu" in text for text in _all_text(newsroom.site_dir).values())
    assert newsroom.build(now="2021-06-10T07:00:00+07:00").returncode == 0
    assert (newsroom.site_dir / "2021/06/bai-hen-gio-thang-sau/index.html").exists()
    entries = feedparser.parse((newsroom.site_dir / "feed.xml").read_bytes()).entries
    assert entries[0].title == "Bài hẹn giờ tháng sáu"


def test_correction_is_shown_and_updates_the_feed_item_without_duplicating_it(published):
    page = published.html("2021/05/benh-vien-da-chien-tiep-nhan-benh-nhan/")
    notice = page.select_one(".fl-corrections")
    assert notice.h2.get_text() == "Đính chính"
    assert "Sửa số giường bệnh từ 300 thành 500." in notice.get_text()
    assert notice.time["datetime"] == "2021-05-21T08:00:00+07:00"
    atom = feedparser.parse((published.site_dir / "atom.xml").read_bytes())
    ids = [entry.id for entry in atom.entries]
    assert len(ids) == len(set(ids)) == 3
    corrected = next(e for e in atom.entries if e.title == "Bệnh viện dã chiến tiếp nhận bệnh nhân")
    assert corrected.updated == "2021-05-21T08:00:00+07:00"
    assert corrected.published == "2021-05-20T09:30:00+07:00"


def test_aliases_redirect_to_the_story(published):
    for alias in ("2021/05/ten-cu/", "tin/benh-vien-da-chien.html"):
        page = published.html(alias)
        target = "https://example.vn/tin/2021/05/benh-vien-da-chien-tiep-nhan-benh-nhan/"
        assert page.select_one('link[rel="canonical"]')["href"] == target
        assert page.select_one('meta[http-equiv="refresh"]')["content"] == f"0; url={target}"
    sitemap = (published.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert "ten-cu" not in sitemap


def test_an_alias_may_not_take_another_story_url(newsroom):
    newsroom.write(
        "stories/2021/05/c.md", story("Bài khác", "2021-05-22", aliases="[2021/05/len-duong-chi-vien-bac-giang/]")
    )
    result = newsroom.build()
    assert result.returncode == 1
    assert (
        "stories/2021/05/c.md:1: aliases: đường dẫn cũ /2021/05/len-duong-chi-vien-bac-giang/ đã là đường dẫn của"
        in (result.stderr)
    )


def test_preview_shows_drafts_and_scheduled_stories_marked(newsroom):
    result = newsroom.build(now="2021-06-01T00:00:00+07:00", extra_env={"FRONTLINE_PREVIEW": "1"})
    assert result.returncode == 0, result.stderr
    draft = newsroom.html("2021/05/ban-nhap-chua-duyet/")
    assert "Bản nháp: chưa xuất bản" in draft.select_one(".fl-status--draft").get_text()
    scheduled = newsroom.html("2021/06/bai-hen-gio-thang-sau/")
    assert "Hẹn giờ: sẽ xuất bản lúc Thứ Năm, 10/6/2021, 07:00" in scheduled.select_one(".fl-status").get_text()
    timeline = newsroom.html("campaigns/bac-giang/")
    assert len(timeline.select(".fl-timeline .fl-status")) == 2
    # and a production build of the same content has neither
    assert newsroom.build(now="2021-06-01T00:00:00+07:00").returncode == 0
    assert not (newsroom.site_dir / "2021/05/ban-nhap-chua-duyet").exists()


def test_markup_in_metadata_is_text_everywhere(site):
    site.write("stories/2021/05/x.md", hostile_story(campaign="bac-giang", tags="['<i>y tế</i>']"))
    assert site.build().returncode == 0
    page_html = (site.site_dir / "2021/05/script-alert-1-script-da-nang/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page_html
    assert "<img src=x" not in page_html and "<b>Đà Nẵng</b>" not in page_html and "<i>y tế</i>" not in page_html
    page = site.html("2021/05/script-alert-1-script-da-nang/")
    assert page.select_one("article.fl-story h1").get_text() == TITLE
    assert page.title.get_text().startswith(TITLE)
    assert page.select_one('meta[name="description"]')["content"] == "<img src=x onerror=alert(1)> tóm tắt"
    assert page.select_one(".fl-place").get_text() == "<b>Đà Nẵng</b>"
    timeline = site.html("campaigns/bac-giang/")
    assert timeline.select_one(".fl-entry[data-kind=story] .fl-entry__title").get_text() == TITLE
    for name in ("feed.xml", "atom.xml"):
        title = feedparser.parse((site.site_dir / name).read_bytes()).entries[0].title_detail
        # RSS titles are read as HTML (Frontline escapes them), Atom's as text: a reader shows TITLE either way
        shown = BeautifulSoup(title.value, "html.parser").get_text() if title.type == "text/html" else title.value
        assert shown == TITLE
    [document] = [doc for doc in search_documents(site.site_dir) if doc["meta"]["kind"] == "Bài viết"]
    assert document["meta"]["title"] == TITLE
    for path in site.site_dir.rglob("*.html"):
        assert "<script>alert(1)" not in path.read_text(encoding="utf-8"), path


def test_builds_are_reproducible(newsroom, tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1622505600"}
    outputs = [
        newsroom.built(site_dir=tmp_path / f"out{run}", now=None, strict=False, extra_env=env) for run in range(2)
    ]
    assert differences(outputs[0], outputs[1]) == []
    assert b"<lastmod>2021-05-21</lastmod>" in outputs[0]["sitemap.xml"]


def test_properdocs_builds_the_same_pages(newsroom, tmp_path):
    """The same pages but for the generator tag, which names the engine that built them, on every page: a page
    taken from the cache the other engine filled is rendered again."""
    trees = {}
    generator = re.compile(rb'<meta name="generator" content="[^"]*">')
    for engine in ("mkdocs", "properdocs"):
        env = {"SOURCE_DATE_EPOCH": "1622505600"}
        built = newsroom.built(engine=engine, site_dir=tmp_path / engine, now=None, extra_env=env)
        named = {tag for path, data in built.items() if path.endswith(".html") for tag in generator.findall(data)}
        assert len(named) == 1 and (b"ProperDocs" in next(iter(named))) == (engine == "properdocs"), named
        # A page's gzip twin is compared as the page it holds (the generator's name differs inside it too).
        trees[engine] = {
            path: generator.sub(b"", gzip.decompress(data) if path.endswith(".gz") else data)
            for path, data in built.items()
        }
    assert differences(trees["mkdocs"], trees["properdocs"]) == []


def test_verify_finds_nothing_lost_then_catches_a_lost_page_and_a_leaked_draft(newsroom):
    command = [sys.executable, "scripts/verify_site.py", "--config", str(newsroom.root / "mkdocs.yml")]
    env = {**os.environ, "FRONTLINE_NOW": "2021-06-01T00:00:00+07:00"}
    assert newsroom.build(now=env["FRONTLINE_NOW"]).returncode == 0
    root = REPO
    ok = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "2 bài đã xuất bản, 2 bài nháp hoặc hẹn giờ" in ok.stdout
    (newsroom.site_dir / "2021/05/len-duong-chi-vien-bac-giang/index.html").unlink()
    leaked = newsroom.site_dir / "topics/index.html"
    leaked.write_text(leaked.read_text(encoding="utf-8") + "Bản nháp chưa duyệt", encoding="utf-8")
    bad = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "stories/2021/05/a.md: 0 trang cho /2021/05/len-duong-chi-vien-bac-giang/ (cần đúng 1)." in bad.stdout
    assert "stories/2021/05/nhap.md: bài chưa xuất bản xuất hiện trong topics/index.html." in bad.stdout


def test_verify_follows_a_sitemap_index_into_its_parts(newsroom):
    """Past 50,000 pages the sitemap is an index of parts; verify reads the parts, and misses a lost one."""
    command = [sys.executable, "scripts/verify_site.py", "--config", str(newsroom.root / "mkdocs.yml")]
    env = {**os.environ, "FRONTLINE_NOW": "2021-06-01T00:00:00+07:00"}
    assert newsroom.build(now=env["FRONTLINE_NOW"]).returncode == 0
    site = SiteInfo(url="https://example.vn/tin/", name="")
    single = etree.parse(str(newsroom.site_dir / "sitemap.xml")).getroot()
    entries = [(url.findtext("{*}loc").removeprefix(site.url), url.findtext("{*}lastmod")) for url in single]
    for relative, payload in sitemap_files(entries, site, per_file=3).items():
        (newsroom.site_dir / relative).parent.mkdir(exist_ok=True)
        (newsroom.site_dir / relative).write_bytes(payload)
    root = REPO
    ok = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    holding = [p for p in (newsroom.site_dir / "sitemaps").iterdir() if b"len-duong-chi-vien" in p.read_bytes()]
    holding[0].unlink()
    bad = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "stories/2021/05/a.md: thiếu trong sitemap.xml." in bad.stdout


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(newsroom):
    root = newsroom.root
    assert newsroom.frontline("build", now=None).returncode == 0
    before = snapshot(newsroom.site_dir)
    newsroom.write("stories/2021/05/hong.md", "---\ntitle: Hỏng\n")
    failed = newsroom.frontline("build", now=None)
    assert failed.returncode == 1
    assert "giữ nguyên bản trước" in failed.stderr
    assert differences(snapshot(newsroom.site_dir), before) == []
    assert sorted(p.name for p in root.iterdir() if p.name != ".cache") == ["docs", "mkdocs.yml", "site", "stories"]
