"""What readers and subscribers get: indexes, story extras, exports, feeds valid in real readers."""

from __future__ import annotations

import json
import posixpath
import re
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from lxml import etree

from tests.sites import jpeg_bytes, make_site, story

NOW = "2021-05-26T12:00:00+07:00"


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("readers") / "newsroom")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    logo: assets/logo.png\n", encoding="utf-8")
    site.write("docs/assets/logo.png", jpeg_bytes(60, 60))
    site.write("stories/2021/05/images/anh.jpg", jpeg_bytes(1200, 675))
    common = {"campaign": "bac-giang", "tags": "[y tế CAND, bệnh viện dã chiến]"}
    site.write(
        "stories/2021/05/a.md",
        story("Lên đường chi viện", "2021-05-17T06:00", location="Hà Nội", unit="Bệnh viện 19-8", **common),
    )
    site.write(
        "stories/2021/05/b.md",
        story(
            "Ngày đầu ở bệnh viện dã chiến",
            "2021-05-20T09:30",
            location="Bắc Giang",
            unit="Bệnh viện 19-8",
            image="images/anh.jpg",
            image_alt="Y bác sĩ",
            body=" ".join(["chữ"] * 500) + "\n\n![Ảnh trong bài](images/anh.jpg)",
            **common,
        ),
    )
    site.write("stories/2021/05/c.md", story("Cao điểm điều trị", "2021-05-25T20:00", location="Bắc Giang", **common))
    site.write(
        "stories/2021/05/d.md",
        story(
            "Tin Đà Nẵng không cùng chiến dịch", "2021-05-10", location="Đà Nẵng", authors="[duc]", tags="[xét nghiệm]"
        ),
    )
    result = site.build(now=NOW)
    assert result.returncode == 0, result.stderr
    return site


def test_index_pages_are_paginated_and_linked(newsroom):
    place = newsroom.html("places/bac-giang/")
    assert place.h1.get_text() == "Bắc Giang"
    assert [a.get_text() for a in place.select(".fl-card__title a")] == [
        "Cao điểm điều trị",
        "Ngày đầu ở bệnh viện dã chiến",
    ]
    topics = newsroom.html("topics/y-te-cand/")
    assert topics.select_one(".fl-pagination a[rel=next]")["href"] == "page/2/"
    second = newsroom.html("topics/y-te-cand/page/2/")
    assert [a.get_text() for a in second.select(".fl-card__title a")] == ["Lên đường chi viện"]
    assert second.select_one(".fl-pagination a[rel=prev]")["href"] == "../../"
    author = newsroom.html("authors/ha/")
    assert author.h1.get_text() == "Nguyễn Thu Hà"
    assert "Phóng viên, Ban Thời sự" in author.select_one(".fl-profile").get_text()
    assert "Theo dõi mảng y tế." in author.get_text()
    units = newsroom.html("units/")
    assert [a.get_text() for a in units.select(".fl-sections a")] == ["Bệnh viện 19-8"]
    month = newsroom.html("archive/2021/05/")
    assert month.h1.get_text() == "Tháng 5/2021"
    story_page = newsroom.html("2021/05/ngay-dau-o-benh-vien-da-chien/")
    assert story_page.select_one(".fl-place")["href"] == "../../../places/bac-giang/"
    assert story_page.select_one(".fl-unit")["href"] == "../../../units/benh-vien-19-8/"


def test_every_story_card_links_to_its_story_from_any_depth(newsroom):
    """A card is rendered once per build and reused (frontline/engine/cards.py); its link is relative to the
    page showing it. The same card on the home page, a listing, a listing's second page and a story's related
    list must each reach the story."""
    checked = set()
    for page in newsroom.site_dir.rglob("index.html"):
        folder = page.parent.relative_to(newsroom.site_dir).as_posix()
        address = "/" if folder == "." else f"/{folder}/"
        for link in newsroom.html(address).select(".fl-card__title a"):
            target = posixpath.normpath(posixpath.join(address, link["href"]))
            story_page = newsroom.site_dir / target.lstrip("/") / "index.html"
            assert story_page.is_file(), f"{address}: {link.get_text()} → {link['href']}"
            assert link.get_text() in story_page.read_text(encoding="utf-8")
            checked.add((address.count("/"), link.get_text()))
    depths = {depth for depth, title in checked if title == "Lên đường chi viện"}
    assert len(depths) >= 3  # shown at three depths at least: home, listings, paginated listings, story pages


def test_story_extras(newsroom):
    page = newsroom.html("2021/05/ngay-dau-o-benh-vien-da-chien/")
    assert page.select_one(".fl-reading-time").get_text() == "3 phút đọc"
    related = [a.get_text() for a in page.select(".fl-related .fl-card__title a")]
    # same campaign, unit and tags (9) beats same campaign, place and tags (8); nothing shared, not related
    assert related == ["Lên đường chi viện", "Cao điểm điều trị"]
    crumbs = [li.get_text(strip=True) for li in page.select(".fl-breadcrumbs li")]
    assert crumbs == ["Trang chủ", "Chiến dịch", "Bệnh viện dã chiến Bắc Giang", "Ngày đầu ở bệnh viện dã chiến"]
    lead = page.select_one("figure.fl-lead img")
    assert lead["srcset"].split(", ") == [
        "../../../stories/2021/05/images/anh-480w.jpg 480w",
        "../../../stories/2021/05/images/anh-800w.jpg 800w",
        "../../../stories/2021/05/images/anh.jpg 1200w",
    ]
    assert (lead["width"], lead["height"]) == ("1200", "675") and "sizes" in lead.attrs
    assert (newsroom.site_dir / "stories/2021/05/images/anh-480w.jpg").stat().st_size < len(jpeg_bytes(1200, 675))
    body_image = page.select_one(".fl-body img")
    assert (body_image["loading"], body_image["alt"]) == ("lazy", "Ảnh trong bài")


def test_story_head_has_social_and_structured_data(newsroom):
    page = newsroom.html("2021/05/ngay-dau-o-benh-vien-da-chien/")
    meta = {tag.get("property") or tag.get("name"): tag["content"] for tag in page.select("meta[content]")}
    url = "https://example.vn/tin/2021/05/ngay-dau-o-benh-vien-da-chien/"
    assert page.select_one('link[rel="canonical"]')["href"] == url
    assert meta["og:type"] == "article" and meta["og:url"] == url
    assert meta["og:image"] == "https://example.vn/tin/stories/2021/05/images/anh.jpg"
    assert meta["article:published_time"] == "2021-05-20T09:30:00+07:00"
    assert meta["article:modified_time"] == "2021-05-20T09:30:00+07:00"
    assert meta["article:section"] == "Bệnh viện dã chiến Bắc Giang"
    assert [t["content"] for t in page.select('meta[property="article:tag"]')] == ["y tế CAND", "bệnh viện dã chiến"]
    assert meta["twitter:card"] == "summary_large_image"
    article, breadcrumbs = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert article["@type"] == "NewsArticle" and article["headline"] == "Ngày đầu ở bệnh viện dã chiến"
    assert article["author"] == [
        {"@type": "Person", "name": "Nguyễn Thu Hà", "url": "https://example.vn/tin/authors/ha/"}
    ]
    assert article["publisher"]["@type"] == "Organization" and article["image"] == [meta["og:image"]]
    assert article["publisher"]["logo"]["url"] == "https://example.vn/tin/assets/logo.png"
    assert (newsroom.site_dir / "assets/logo.png").is_file()
    assert article["datePublished"] == "2021-05-20T09:30:00+07:00"
    assert [item["name"] for item in breadcrumbs["itemListElement"]][-1] == "Ngày đầu ở bệnh viện dã chiến"
    assert breadcrumbs["itemListElement"][-1]["item"] == url


def test_every_place_author_and_topic_has_valid_feeds(newsroom):
    for path in ("places/bac-giang/", "authors/duc/", "topics/xet-nghiem/"):
        for name in ("feed.xml", "atom.xml"):
            parsed = feedparser.parse((newsroom.site_dir / path / name).read_bytes())
            assert not parsed.bozo, (path, name, parsed.get("bozo_exception"))
            assert parsed.entries
    place_feed = feedparser.parse((newsroom.site_dir / "places/bac-giang/feed.xml").read_bytes())
    assert [e.title for e in place_feed.entries] == ["Cao điểm điều trị", "Ngày đầu ở bệnh viện dã chiến"]
    head = newsroom.html("places/bac-giang/").head
    hrefs = [link["href"] for link in head.select('link[rel="alternate"]')]
    assert hrefs[0] == "https://example.vn/tin/places/bac-giang/feed.xml"
    story_hrefs = [
        link["href"]
        for link in newsroom.html("2021/05/ngay-dau-o-benh-vien-da-chien/").head.select('link[rel="alternate"]')
    ]
    assert "https://example.vn/tin/places/bac-giang/feed.xml" in story_hrefs
    assert "https://example.vn/tin/authors/ha/atom.xml" in story_hrefs


def test_feeds_follow_the_validators_rules(newsroom):
    guids = set()
    for path in newsroom.site_dir.rglob("feed.xml"):
        tree = etree.parse(str(path))
        channel = tree.find("channel")
        self_link = channel.find("{http://www.w3.org/2005/Atom}link[@rel='self']").get("href")
        assert self_link == "https://example.vn/tin/" + path.relative_to(newsroom.site_dir).as_posix()
        assert channel.findtext("link").startswith("https://example.vn/tin/")
        items = channel.findall("item")
        ids = [item.findtext("guid") for item in items]
        assert len(ids) == len(set(ids))
        dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
        assert dates == sorted(dates, reverse=True)
        for item in items:
            assert re.fullmatch(r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0700", item.findtext("pubDate"))
            content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
            for url in re.findall(r'(?:src|href)="([^"]+)"', content):
                assert url.startswith("https://"), url
        if path.parent == newsroom.site_dir:
            guids = set(ids)
    assert len(guids) == 4


def test_json_feed_opml_and_subscribe_page(newsroom):
    feed = json.loads((newsroom.site_dir / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://example.vn/tin/feed.json"
    assert [item["title"] for item in feed["items"]][0] == "Cao điểm điều trị"
    assert feed["items"][0]["id"] == "tag:example.vn,2020:2021/05/c"
    assert feed["items"][0]["date_published"] == "2021-05-25T20:00:00+07:00"
    opml = etree.parse(str(newsroom.site_dir / "feeds.opml"))
    urls = opml.xpath("//outline[@type='rss']/@xmlUrl")
    assert "https://example.vn/tin/feed.xml" in urls and "https://example.vn/tin/places/da-nang/feed.xml" in urls
    expected = {
        f"https://example.vn/tin/{p.relative_to(newsroom.site_dir).as_posix()}"
        for p in newsroom.site_dir.rglob("feed.xml")
    }
    assert set(urls) == expected
    page = newsroom.html("theo-doi/")
    listed = {a["href"] for a in page.select(".fl-feeds a") if a.get_text() == "RSS"}
    assert len(listed) == len(expected)
    assert page.select_one('a[href$="feeds.opml"]') is not None


def test_news_sitemap_and_robots(newsroom):
    tree = etree.parse(str(newsroom.site_dir / "news-sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    assert tree.xpath("//s:loc/text()", namespaces=ns) == ["https://example.vn/tin/2021/05/cao-diem-dieu-tri/"]
    assert tree.xpath("//n:publication/n:language/text()", namespaces=ns) == ["vi"]
    assert tree.xpath("//n:publication/n:name/text()", namespaces=ns) == ["Tuyến đầu thử nghiệm"]
    robots = (newsroom.site_dir / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.vn/tin/sitemap.xml" in robots
    assert "Sitemap: https://example.vn/tin/news-sitemap.xml" in robots


def test_timelinejs_export(newsroom):
    data = json.loads((newsroom.site_dir / "campaigns/bac-giang/timeline.json").read_text(encoding="utf-8"))
    headlines = [event["text"]["headline"] for event in data["events"]]
    assert headlines == [
        "Thành lập đoàn công tác",
        "Lên đường chi viện",
        "Ngày đầu ở bệnh viện dã chiến",
        "Cao điểm điều trị",
    ]
    assert data["events"][2]["start_date"] == {"year": 2021, "month": 5, "day": 20, "hour": 9, "minute": 30}
    assert data["events"][2]["media"]["url"] == "https://example.vn/tin/stories/2021/05/images/anh.jpg"
    assert data["eras"] == [
        {
            "start_date": {"year": 2021, "month": 5, "day": 18},
            "end_date": {"year": 2021, "month": 5, "day": 31},
            "text": {"headline": "Cao điểm thứ nhất"},
        }
    ]


def test_campaign_chart_and_place_filter(newsroom):
    page = newsroom.html("campaigns/bac-giang/")
    chart = page.select_one("figure.fl-chart svg")
    assert chart["role"] == "img"
    assert "3 bài" in chart.desc.get_text() and "Cao điểm thứ nhất" in chart.desc.get_text()
    bars = chart.select("rect.fl-chart__bar")
    assert len(bars) == 3 and {bar.title.get_text() for bar in bars} >= {"Ngày 20/5: 1 bài"}
    assert len(chart.select("rect.fl-chart__band")) == 1
    rows = [[td.get_text() for td in tr.select("td")] for tr in page.select(".fl-chart__data tbody tr")]
    assert rows == [["17/5/2021", "1"], ["20/5/2021", "1"], ["25/5/2021", "1"]]
    links = {a.get_text(): a["href"] for a in page.select(".fl-filter a")}
    assert links == {"Tất cả": "#fl-timeline-heading", "Bắc Giang": "#noi-bac-giang", "Hà Nội": "#noi-ha-noi"}
    assert page.select_one("#noi-bac-giang") is not None
    places = [li.get("data-place") for li in page.select(".fl-entry[data-kind=story]")]
    assert places == ["ha-noi", "bac-giang", "bac-giang"]
    assert (
        '#noi-ha-noi:target ~ .fl-timeline .fl-entry:not([data-place="ha-noi"])'
        in "".join(style.get_text() for style in page.select("head style"))  # HTML allows no other <style> in <body>
    )
