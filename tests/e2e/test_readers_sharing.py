"""Every page says what it is when shared: OpenGraph and Twitter cards (a site picture when the page has none of its
own), and structured data that names listings as collections (``CollectionPage`` with an ``ItemList`` in the order
the page shows), campaigns as collections about an event, and the home page as the site with its search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from frontline.cli import main
from tests.e2e.test_reporting import _configured, _line_of
from tests.readers_tools import NOW, page_paths
from tests.sites import hostile

pytestmark = pytest.mark.e2e

DEMO_URL = "https://tuyendau.example.vn"
KINDS_URL = "https://example.vn/tin"


@pytest.fixture(scope="module")
def sites(demo_site, every_kind_site) -> list[tuple[Path, str]]:
    return [(demo_site, DEMO_URL), (every_kind_site.site_dir, KINDS_URL)]


def head(site_dir: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir / path.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def meta(page: BeautifulSoup, name: str) -> str | None:
    tag = page.find("meta", attrs={"property": name}) or page.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def json_ld(page: BeautifulSoup) -> list[dict]:
    return [item for script in page.select('script[type="application/ld+json"]') for item in json.loads(script.string)]


def test_every_page_has_a_card_with_a_picture(sites):
    missing = []
    for site_dir, origin in sites:
        for path in page_paths(site_dir):
            if path == "/404.html":
                continue  # an address that does not exist is not shared
            page = head(site_dir, path)
            card = {name: meta(page, name) for name in ("og:title", "og:type", "og:url", "og:image", "twitter:card")}
            if None in card.values() or card["og:url"] != origin + path:
                missing.append(f"{origin}{path}: {card}")
            expected = "article" if path.startswith(("/2020/", "/2021/", "/truc-tiep/")) else "website"  # a live blog
            if card["og:type"] != expected:
                missing.append(f"{origin}{path}: og:type {card['og:type']}")
    assert missing == [], "\n".join(missing[:30])


def test_a_page_without_a_picture_shows_the_sites_and_a_story_its_own(sites):
    demo, _ = sites[0]
    fallback = f"{DEMO_URL}/assets/chia-se.png"
    assert (demo / "assets" / "chia-se.png").is_file()
    home = head(demo, "/")
    assert (meta(home, "og:image"), meta(home, "twitter:card")) == (fallback, "summary")
    stories = [head(demo, path) for path in page_paths(demo) if path.startswith("/2021/")]
    story = next(page for page in stories if page.select_one("figure.fl-lead"))
    assert meta(story, "og:image").startswith(f"{DEMO_URL}/stories/") and meta(story, "og:image") != fallback
    assert meta(story, "twitter:card") == "summary_large_image" and meta(story, "og:image:alt")
    kinds, _ = sites[1]  # no share_image: the logo stands in
    assert meta(head(kinds, "/places/"), "og:image") == f"{KINDS_URL}/assets/logo.png"


def test_listings_are_collections_of_what_they_show(sites):
    for site_dir, origin in sites:
        for path in page_paths(site_dir):
            page = head(site_dir, path) if path != "/404.html" else None
            parts = [part for part in path.split("/") if part]
            if page is None or not parts or parts[0] not in {"authors", "places", "units", "topics", "archive"}:
                continue
            (data,) = json_ld(page)
            assert data["@type"] == "CollectionPage" and data["url"] == origin + path, path
            listed = [(item["position"], item["url"]) for item in data["mainEntity"]["itemListElement"]]
            if len(parts) == 1:  # the index of sections: each section
                links = [a["href"] for a in page.select(".fl-sections a")]
            else:  # a section's page: its story cards, in order
                links = [a["href"] for a in page.select(".fl-card__title a")]
            expected = [(n, origin + "/" + _resolve(path, href)) for n, href in enumerate(links, 1)]
            assert listed == expected and listed, path


def _resolve(page_path: str, href: str) -> str:
    from urllib.parse import urljoin

    return urljoin("https://x.invalid" + page_path, href).removeprefix("https://x.invalid/")


def test_campaigns_and_home_say_what_they_are(sites):
    demo, _ = sites[0]
    campaign = head(demo, "/campaigns/bac-giang-2021/")
    (data,) = json_ld(campaign)
    assert data["@type"] == "CollectionPage" and data["about"]["@type"] == "Event"
    assert data["about"]["name"] == meta(campaign, "og:title") == campaign.h1.get_text()
    assert (data["about"]["startDate"], data["about"]["endDate"]) == ("2021-05-15", "2021-06-30")
    stories = [a["href"] for a in campaign.select(".fl-entry[data-kind=story] a.fl-entry__title")]
    assert [item["url"] for item in data["mainEntity"]["itemListElement"]] == [
        f"{DEMO_URL}/" + _resolve("/campaigns/bac-giang-2021/", href) for href in stories
    ]
    (index,) = json_ld(head(demo, "/campaigns/"))
    assert index["@type"] == "CollectionPage" and len(index["mainEntity"]["itemListElement"]) == 4
    (website,) = json_ld(head(demo, "/"))
    assert website["@type"] == "WebSite"
    assert website["potentialAction"]["target"]["urlTemplate"] == f"{DEMO_URL}/tim-kiem/?q={{search_term_string}}"


def test_cards_carry_markup_as_text(sites):
    kinds, _ = sites[1]
    story = head(kinds, "/2021/05/bai-viet/")
    assert meta(story, "og:title") == hostile("story.title") == meta(story, "twitter:title")
    assert meta(story, "og:description") == hostile("story.summary")
    assert meta(head(kinds, "/campaigns/bac-giang/"), "og:title") == hostile("campaign.title")


@pytest.mark.parametrize(
    "written, expected",
    [
        ("share_image: assets/khong-co.png", "extra.frontline.share_image: không có tệp 'assets/khong-co.png'"),
        ("share_image: ''", "extra.frontline.share_image: phải là đường dẫn tới ảnh chia sẻ trong docs/"),
        ("share_image: https://example.vn/anh.png", None),
    ],
)
def test_check_reports_a_wrong_share_image_on_its_line(tmp_path, capsys, monkeypatch, written, expected):
    site = _configured(tmp_path, written)
    monkeypatch.setenv("FRONTLINE_NOW", NOW)
    code = main(["--config", str(site.root / "mkdocs.yml"), "check"])
    out, err = capsys.readouterr()
    if expected is None:
        assert code == 0, out + err
    else:
        assert code == 1 and f"mkdocs.yml:{_line_of(site, written)}: {expected}" in err, err
