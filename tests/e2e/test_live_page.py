"""A live coverage page ("Trực tiếp") built from a fixture newsroom: what readers, feed readers, search engines and
the page's own script get, and what ``frontline verify`` checks of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from tests.e2e.test_escaping import feed_text
from tests.live_fixture import LIVE_ID, LIVE_URL, make_live_site, update
from tests.sites import hostile

pytestmark = pytest.mark.e2e

NOW = "2021-12-31T00:00:00+07:00"
NEWEST_FIRST = ["0800-ngay-hai", "1500-tieu-de-la", "1400-khu-dieu-tri", "0900-tiep-nhan", "0630-xuat-phat"]


def _run(site, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "FRONTLINE_NOW": NOW}
    command = [sys.executable, "-m", "frontline.cli", "-f", str(site.root / "mkdocs.yml"), *args]
    return subprocess.run(command, cwd=site.root, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    site = make_live_site(tmp_path_factory.mktemp("live") / "newsroom")
    # A scheduled update (after the build's "now") and hostile text in a title: neither may show as published.
    site.write(
        f"stories/live/{LIVE_ID}/hen-gio.md",
        update("2022-01-05T08:00", "Cập nhật hẹn giờ bí mật.", title="Chưa tới giờ"),
    )
    site.write(
        f"stories/live/{LIVE_ID}/1500-tieu-de-la.md",
        update("2021-05-20T15:00", "Nội dung bình thường.", title=json.dumps(hostile("update.title"))),
    )
    result = site.build(now=NOW)
    assert result.returncode == 0, result.stderr
    return site


def _updates(soup: BeautifulSoup) -> list[str]:
    return [node["data-update"] for node in soup.select(".fl-live__updates [data-update]")]


def test_the_page_shows_the_badge_pinned_first_then_every_update_newest_first(live_site):
    soup = live_site.html(LIVE_URL)
    assert soup.select_one(".fl-live-badge").get_text(strip=True) == "Trực tiếp"
    assert soup.select_one("#fl-live")["data-live"] == "true"
    assert soup.select_one("h1").get_text(strip=True) == "Bắc Giang ngày cao điểm"
    pinned = soup.select(".fl-live__pinned .fl-update")
    assert [p.select_one(".fl-update__title").get_text(strip=True) for p in pinned] == ["Tiếp nhận bệnh nhân đầu tiên"]
    assert pinned[0].find_previous("h1") is not None and soup.select(".fl-update")[0] is pinned[0]
    assert _updates(soup) == NEWEST_FIRST
    # One anchor per update, each linked from its own time; the pinned copy links to the one in the stream.
    for update_id in _updates(soup):
        anchor = f"cap-nhat-{update_id}"
        assert len(soup.select(f"#{anchor}")) == 1
        assert soup.select_one(f"#{anchor} a.fl-update__time")["href"] == f"#{anchor}"
    assert pinned[0].select_one("a.fl-update__time")["href"] == "#cap-nhat-0900-tiep-nhan"
    assert "Chưa tới giờ" not in str(soup) and "bí mật" not in str(soup)
    assert soup.select_one("script[src$='frontline-live.js']") is not None


def test_times_are_vietnam_time_and_the_date_shows_when_it_changes(live_site):
    soup = live_site.html(LIVE_URL)
    times = {node["data-update"]: node.select_one("time") for node in soup.select(".fl-live__updates [data-update]")}
    written_in_utc = times["1400-khu-dieu-tri"]
    assert written_in_utc["datetime"] == "2021-05-20T14:00:00+07:00"
    assert written_in_utc.get_text(" ", strip=True).startswith("14:00")
    assert all(time["datetime"].endswith("+07:00") for time in times.values())
    days = {key: time.select_one(".fl-update__day") for key, time in times.items()}
    assert "21/5/2021" in days["0800-ngay-hai"].get_text()  # the first (newest) update
    assert "20/5/2021" in days["1500-tieu-de-la"].get_text()  # the day changes
    assert days["1400-khu-dieu-tri"] is None and days["0630-xuat-phat"] is None  # same day as the one above


def test_update_text_is_text_and_bodies_are_rendered_markdown(live_site):
    soup = live_site.html(LIVE_URL)
    title = soup.select_one("#cap-nhat-1500-tieu-de-la .fl-update__title")
    assert title.get_text() == hostile("update.title")
    assert soup.select("#fl-live script") == [] and soup.select(".fl-update img[src='x']") == []
    body = soup.select_one("#cap-nhat-0630-xuat-phat .fl-update__body")
    assert body.select_one("strong").get_text() == "xuất phát"
    image = soup.select_one("#cap-nhat-1400-khu-dieu-tri img")
    assert image["alt"] == "Khu điều trị thứ hai"
    assert (live_site.site_dir / LIVE_URL / image["src"]).resolve().is_file()


def test_json_ld_is_a_live_blog_posting_with_every_update(live_site):
    soup = live_site.html(LIVE_URL)
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    blog = next(item for item in data if item["@type"] == "LiveBlogPosting")
    assert blog["coverageStartTime"] == "2021-05-20T06:00:00+07:00"
    assert "coverageEndTime" not in blog  # still live
    assert [u["@type"] for u in blog["liveBlogUpdate"]] == ["BlogPosting"] * 5
    first = blog["liveBlogUpdate"][0]
    assert first["datePublished"] == "2021-05-21T08:00:00+07:00"
    assert first["articleBody"] == "Ngày thứ hai: 40 ca xuất viện."
    assert first["url"] == f"https://example.vn/tin/{LIVE_URL}#cap-nhat-0800-ngay-hai"
    pinned = next(u for u in blog["liveBlogUpdate"] if u["url"].endswith("0900-tiep-nhan"))
    assert pinned["headline"] == "Tiếp nhận bệnh nhân đầu tiên"
    assert any(u["headline"] == hostile("update.title") for u in blog["liveBlogUpdate"])


def test_feeds_carry_every_shown_update_with_a_stable_id(live_site, tmp_path):
    folder = live_site.site_dir / LIVE_URL
    rss, atom = feedparser.parse(folder / "feed.xml"), feedparser.parse(folder / "atom.xml")
    json_feed = json.loads((folder / "feed.json").read_text(encoding="utf-8"))
    expected = [f"tag:example.vn,2020:live/{LIVE_ID}/{u}" for u in NEWEST_FIRST]
    for parsed in (rss, atom):
        assert not parsed.bozo, parsed.bozo_exception
        assert [entry.id for entry in parsed.entries] == expected
    assert [item["id"] for item in json_feed["items"]] == expected
    assert json_feed["version"] == "https://jsonfeed.org/version/1.1"
    for parsed in (rss, atom):  # what a reader shows: the text (escaped as HTML in RSS, text in Atom)
        assert feed_text(parsed.entries[1].title_detail) == hostile("update.title")
    assert rss.entries[-1].link == f"https://example.vn/tin/{LIVE_URL}#cap-nhat-0630-xuat-phat"
    assert "<strong>xuất phát</strong>" in rss.entries[-1].content[0].value
    assert not any("bí mật" in entry.get("summary", "") + entry.title for entry in rss.entries)


def test_an_edited_update_keeps_its_feed_id(tmp_path):
    site = make_live_site(tmp_path / "newsroom")
    assert site.build(now=NOW).returncode == 0
    before = [entry.id for entry in feedparser.parse(site.site_dir / LIVE_URL / "atom.xml").entries]
    site.write(
        f"stories/live/{LIVE_ID}/0630-xuat-phat.md",
        update("2021-05-20T06:35", "Đoàn công tác xuất phát lúc 6 giờ 35.", title="Sửa giờ"),
    )
    assert site.build(now=NOW).returncode == 0
    after = feedparser.parse(site.site_dir / LIVE_URL / "atom.xml")
    assert [entry.id for entry in after.entries] == before
    assert after.entries[-1].title == "Sửa giờ"


def test_updates_json_is_what_the_script_needs(live_site):
    data = json.loads((live_site.site_dir / LIVE_URL / "updates.json").read_text(encoding="utf-8"))
    assert data["live"] is True and data["id"] == LIVE_ID
    assert [item["id"] for item in data["updates"]] == _updates(live_site.html(LIVE_URL))
    first = data["updates"][0]
    assert first["clock"] == "08:00" and first["time"] == "2021-05-21T08:00:00+07:00"
    assert first["html"] == "<p>Ngày thứ hai: 40 ca xuất viện.</p>"
    assert first["authors"] == ["Nguyễn Thu Hà"]
    image = next(item["image"] for item in data["updates"] if "image" in item)
    assert (live_site.site_dir / LIVE_URL / image["src"]).resolve().is_file()
    assert "bí mật" not in json.dumps(data, ensure_ascii=False)


def test_the_live_page_is_listed_where_readers_and_robots_look(live_site):
    home = live_site.html("")
    pin = home.select_one(".fl-live-pin")
    assert pin is not None and pin.select_one("a")["href"] == LIVE_URL
    assert home.select(".fl-live-pin") and home.select_one("h1").find_next(class_="fl-live-pin") is pin
    timeline = live_site.html("campaigns/bac-giang/")
    entries = timeline.select(".fl-entry[data-kind=live] a.fl-entry__title")
    assert [a["href"] for a in entries] == [f"../../{LIVE_URL}"]
    subscribe = live_site.html("theo-doi/")
    assert any(a["href"] == f"../{LIVE_URL}feed.xml" for a in subscribe.select(".fl-feeds a"))
    opml = etree.parse(str(live_site.site_dir / "feeds.opml"))
    assert f"https://example.vn/tin/{LIVE_URL}feed.xml" in opml.xpath("//outline/@xmlUrl")
    sitemap = (live_site.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>https://example.vn/tin/{LIVE_URL}</loc>" in sitemap
    timelinejs = json.loads((live_site.site_dir / "campaigns/bac-giang/timeline.json").read_text(encoding="utf-8"))
    assert any(event.get("unique_id") == f"truc-tiep-{LIVE_ID}" for event in timelinejs["events"])


def test_verify_passes_and_notices_a_missing_update(live_site, tmp_path):
    result = _run(live_site, "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    copy = tmp_path / "site"
    subprocess.run(["cp", "-a", str(live_site.site_dir), str(copy)], check=True)
    data_path = copy / LIVE_URL / "updates.json"
    data = json.loads(data_path.read_text(encoding="utf-8"))
    data["updates"] = data["updates"][1:]
    data_path.write_text(json.dumps(data), encoding="utf-8")
    result = _run(live_site, "verify", "-d", str(copy))
    assert result.returncode == 1
    assert f"stories/live/{LIVE_ID}/0800-ngay-hai.md: có 0 lần trong /{LIVE_URL}updates.json (cần 1)." in result.stdout


def test_an_ended_page_says_so_stops_polling_and_leaves_the_home_page(tmp_path):
    site = make_live_site(tmp_path / "newsroom", end="2021-05-21T20:00")
    assert site.build(now=NOW).returncode == 0, "build"
    soup = site.html(LIVE_URL)
    assert soup.select_one(".fl-live-badge").get_text(strip=True) == "Đã kết thúc"
    assert soup.select_one("#fl-live")["data-live"] == "false"
    assert soup.select_one("script[src$='frontline-live.js']") is None
    assert site.html("").select(".fl-live-pin") == []
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data[0]["coverageEndTime"] == "2021-05-21T20:00:00+07:00"
    assert json.loads((site.site_dir / LIVE_URL / "updates.json").read_text())["live"] is False


def test_a_live_page_that_has_not_started_is_not_published(tmp_path):
    site = make_live_site(tmp_path / "newsroom")
    assert site.build(now="2021-05-20T05:00:00+07:00").returncode == 0
    assert not (site.site_dir / LIVE_URL).exists()
    assert LIVE_ID not in (site.site_dir / "feeds.opml").read_text(encoding="utf-8")


def test_both_engines_build_it(tmp_path):
    site = make_live_site(tmp_path / "newsroom")
    env = {**os.environ, "FRONTLINE_NOW": NOW}
    command = [sys.executable, "-m", "properdocs", "build", "-q", "--strict", "-f", str(site.root / "mkdocs.yml")]
    result = subprocess.run(command, cwd=site.root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert _updates(site.html(LIVE_URL))[0] == "0800-ngay-hai"
