"""A live page whose every text field carries markup and quotes (``hostile(field)``): every page, feed and export
it reaches shows the text as text, and no element of it."""

from __future__ import annotations

import json

import feedparser
import pytest
from lxml import etree

from tests.e2e.test_escaping import feed_text
from tests.live_fixture import LIVE_ID, LIVE_URL, make_live_site, update
from tests.sites import _yaml, hostile

pytestmark = pytest.mark.e2e

FIELDS = ("title", "summary", "location")


@pytest.fixture(scope="module")
def hostile_live(tmp_path_factory):
    site = make_live_site(tmp_path_factory.mktemp("live-hostile") / "newsroom")
    front = {field: hostile(f"live.{field}") for field in FIELDS}
    front |= {"start": "2021-05-20T06:00", "campaign": "bac-giang"}
    site.write(
        f"stories/live/{LIVE_ID}/index.md",
        "---\n" + "".join(f"{key}: {_yaml(value)}\n" for key, value in front.items()) + "---\n",
    )
    site.write(
        f"stories/live/{LIVE_ID}/1600-hostile.md",
        update("2021-05-20T16:00", "Nội dung &lt;b&gt; &amp; chữ.", title=_yaml(hostile("update.title"))),
    )
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


def test_pages_show_the_fields_as_text(hostile_live):
    page = hostile_live.html(LIVE_URL)
    assert page.select_one("h1").get_text() == hostile("live.title")
    assert page.title.get_text().startswith(hostile("live.title"))
    assert page.select_one(".fl-standfirst").get_text() == hostile("live.summary")
    assert page.select_one(".fl-meta .fl-place").get_text() == hostile("live.location")
    assert page.select_one("#cap-nhat-1600-hostile .fl-update__title").get_text() == hostile("update.title")
    assert page.select("#fl-live script, #fl-live img[src=x]") == []
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data[0]["headline"] == hostile("live.title")[:110] and data[0]["description"] == hostile("live.summary")
    home = hostile_live.html("")
    assert home.select_one(".fl-live-pin a").get_text() == hostile("live.title")
    assert home.select_one(".fl-live-pin__summary").get_text() == hostile("live.summary")
    timeline = hostile_live.html("campaigns/bac-giang/")
    assert timeline.select_one("[data-kind=live] a").get_text() == hostile("live.title")
    assert timeline.select("[data-kind=live] script, [data-kind=live] img") == []
    subscribe = hostile_live.html("theo-doi/")
    assert any(hostile("live.title") in a.get_text() for a in subscribe.select(".fl-feeds a"))


def test_feeds_and_exports_give_back_the_text(hostile_live):
    site_dir = hostile_live.site_dir
    for path in (site_dir / LIVE_URL / "feed.xml", site_dir / LIVE_URL / "atom.xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert hostile("live.title") in feed_text(parsed.feed.title_detail)
        assert feed_text(parsed.feed.subtitle_detail) == hostile("live.summary")
        titles = [feed_text(entry.title_detail) for entry in parsed.entries]
        assert hostile("update.title") in titles
    for path in (site_dir / "feed.xml", site_dir / "atom.xml"):
        parsed = feedparser.parse(path.read_bytes())
        live = next(e for e in parsed.entries if e.id.endswith(f":live/{LIVE_ID}"))
        assert feed_text(live.title_detail) == hostile("live.title")
        assert feed_text(live.summary_detail) == hostile("live.summary")
    updates = json.loads((site_dir / LIVE_URL / "updates.json").read_text(encoding="utf-8"))
    assert hostile("update.title") in [item["title"] for item in updates["updates"]]
    body = next(item["html"] for item in updates["updates"] if item["id"] == "1600-hostile")
    assert body == "<p>Nội dung &lt;b&gt; &amp; chữ.</p>"
    opml = etree.parse(str(site_dir / "feeds.opml"))
    assert any(hostile("live.title") in text for text in opml.xpath("//outline/@title"))
    timelinejs = json.loads((site_dir / "campaigns/bac-giang/timeline.json").read_text(encoding="utf-8"))
    event = next(e for e in timelinejs["events"] if e.get("unique_id") == f"truc-tiep-{LIVE_ID}")
    assert "<script" not in event["text"]["headline"] and "&lt;script&gt;" in event["text"]["headline"]
