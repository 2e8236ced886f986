"""Every address a built site prints (links and sources in its pages, feeds' links, the sitemap, JSON-LD) leads
to a file the build wrote: the URL scheme of ``frontline.content.urls`` and what the build publishes agree."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from frontline.content import urls
from tests.sites import jpeg_bytes, make_site, story

SITE_URL = "https://example.vn/tin/"
NOW = "2021-05-26T12:00:00+07:00"


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("urls") / "newsroom")
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
            body="Ảnh:\n\n![Ảnh trong bài](images/anh.jpg)",
            **common,
        ),
    )
    site.write("stories/2021/05/c.md", story("Cao điểm điều trị", "2021-05-25T20:00", location="Bắc Giang", **common))
    site.write(
        "stories/2021/04/d.md",
        story("Tin Đà Nẵng", "2021-04-10", location="Đà Nẵng", authors="[duc]", tags="[xét nghiệm]"),
    )
    result = site.build(now=NOW)
    assert result.returncode == 0, result.stderr
    return site


def _target(site_dir: Path, address: str) -> Path | None:
    """The file ``address`` (site-relative, no query or fragment) names, or None when the build wrote none."""
    path = site_dir / address
    if path.is_dir():
        path = path / urls.PAGE_FILE
    return path if path.is_file() else None


def _site_address(page_url: str, link: str) -> str | None:
    """``link`` (as printed on the page at ``page_url``) as a site-relative address, or None if it is elsewhere."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return link.removeprefix(SITE_URL).split("#")[0].split("?")[0] if link.startswith(SITE_URL) else None
    if not parts.path:
        return None  # an anchor in the page, or the page itself
    if parts.path.startswith("/"):
        return parts.path.removeprefix(urlsplit(SITE_URL).path)
    joined = posixpath.normpath(posixpath.join("/" + page_url, parts.path)).lstrip("/")
    if joined == ".":
        joined = ""
    folder = parts.path.endswith("/") or posixpath.basename(parts.path) in (".", "..")
    return joined + "/" if folder and joined else joined


def _printed_links(page: BeautifulSoup) -> list[str]:
    links = []
    for element in page.find_all(["a", "link", "script", "img", "source"]):
        for attribute in ("href", "src"):
            if element.get(attribute):
                links.append(element[attribute])
        if element.get("srcset"):
            links += [candidate.split()[0] for candidate in element["srcset"].split(",")]
    links += [element["content"] for element in page.select('meta[property="og:url"], meta[property="og:image"]')]
    for script in page.select('script[type="application/ld+json"]'):
        for item in json.loads(script.string):
            links += [entry["item"] for entry in item.get("itemListElement", [])]
            links += [value for key, value in item.items() if key in ("@id", "mainEntityOfPage")]
    return links


def test_every_address_a_page_prints_leads_to_a_published_file(newsroom):
    site_dir = newsroom.site_dir
    reached: set[str] = set()
    missing = []
    pages = sorted(site_dir.rglob(urls.PAGE_FILE))
    for path in pages:
        page_url = path.parent.relative_to(site_dir).as_posix() + "/" if path.parent != site_dir else ""
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for link in _printed_links(page):
            address = _site_address(page_url, link)
            if address is None:
                continue
            if _target(site_dir, address) is None:
                missing.append(f"{page_url or '/'}: {link}")
            reached.add(address)
        bundle = page.select_one("[data-bundle]")
        if bundle is not None:
            address = _site_address(page_url, bundle["data-bundle"])
            assert address == urls.SEARCH_BUNDLE and (site_dir / address / "pagefind.js").is_file()
    assert missing == []
    # what the templates print through the scheme, among what was checked
    assert {
        "places/",
        "units/",
        "topics/",
        "authors/",
        "archive/",
        "campaigns/",
        "theo-doi/",
        "feeds.opml",
        "feed.json",
        "places/bac-giang/",
        "units/benh-vien-19-8/",
        "topics/y-te-cand/",
        "topics/y-te-cand/page/2/",
        "archive/2021/04/",
        "campaigns/bac-giang/timeline.json",
        "campaigns/bac-giang/feed.xml",
        "2021/05/ngay-dau-o-benh-vien-da-chien/",
        urls.STYLESHEET,
        urls.SEARCH_SCRIPT,
    } <= reached


def test_feeds_and_sitemaps_list_published_addresses(newsroom):
    site_dir = newsroom.site_dir
    sitemap = etree.parse(str(site_dir / urls.SITEMAP))
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locations) > 20
    feed = json.loads((site_dir / urls.SITE_JSON_FEED).read_text(encoding="utf-8"))
    locations += [feed["feed_url"], feed["home_page_url"], *(item["url"] for item in feed["items"])]
    opml = etree.parse(str(site_dir / urls.OPML))
    locations += [
        outline.get(key) for outline in opml.iter("outline") for key in ("xmlUrl", "htmlUrl") if outline.get(key)
    ]
    robots = (site_dir / urls.ROBOTS).read_text(encoding="ascii")
    locations += [line.removeprefix("Sitemap: ") for line in robots.splitlines() if line.startswith("Sitemap: ")]
    missing = [loc for loc in locations if _target(site_dir, loc.removeprefix(SITE_URL)) is None]
    assert missing == []
    assert all(loc.startswith(SITE_URL) for loc in locations)
