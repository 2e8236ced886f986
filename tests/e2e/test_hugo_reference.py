"""The bench's Hugo reference site, built by the real ``hugo`` (Debian's, which ``make install`` brings) from a
20-story generated corpus: the same page set as Frontline's build of that corpus, and feeds that parse."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup

from frontline.content.loader import Layout, load_content
from tests.bench_scripts import script
from tests.sites import FixtureSite

hugo_site = script("hugo_site")
gen_corpus = script("gen_corpus")

NOW = "2026-01-01T00:00:00+07:00"
"""After every generated story (2020–2025), as the bench builds them."""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    gen_corpus.write_corpus(corpus, gen_corpus.corpus_files(20, 5))
    project = tmp_path_factory.mktemp("hugo") / "project"
    hugo_site.convert(corpus, project)
    program = hugo_site.hugo_program()
    assert program, "hugo is not installed: make install brings Debian's"
    done = subprocess.run(hugo_site.build_command(project), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    frontline = FixtureSite(corpus).build(now=NOW)
    assert frontline.returncode == 0, frontline.stderr
    content, problems = load_content(Layout.for_project(corpus))
    assert problems == []
    return corpus / "site", project / hugo_site.SITE_FOLDER, content


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_hugo_renders_the_page_set_frontline_publishes(built):
    site, public, _ = built
    ours, hugos = hugo_site.page_set(site), hugo_site.page_set(public)
    assert hugos["story pages"] == ours["story pages"] > 0
    assert hugos["term pages"] == ours["term pages"] > 0
    assert hugos["RSS feeds"] == ours["RSS feeds"] > 1
    assert {kind: count for kind, count in hugos.items() if kind != "redirects"} == ours
    # Hugo's only extra files: page/1/ of each listing, sending the reader to its first page.
    for redirect in public.glob("**/page/1/index.html"):
        assert soup(redirect).find("meta", attrs={"http-equiv": "refresh"})


def test_every_story_home_campaign_and_term_page_is_at_frontlines_address(built):
    site, public, content = built
    published = [story for story in content.stories if not story.draft]
    for story in published:
        page = soup(public / story.url / "index.html")
        assert page.h1.get_text(strip=True) == story.title
        assert (site / story.url / "index.html").is_file()
    home = soup(public / "index.html")
    newest = sorted(published, key=lambda story: story.date, reverse=True)[:20]
    assert [a["href"] for a in home.select("article.card h3 a")] == ["/" + story.url for story in newest]
    for campaign in content.campaigns.values():
        assert soup(public / campaign.url / "index.html").h1.get_text(strip=True) == campaign.title
    for path in site.glob("*/*/index.html"):
        relative = path.relative_to(site)
        if relative.parts[0] in hugo_site.TAXONOMIES.values():
            assert (public / relative).is_file(), relative


def test_feeds_parse_and_carry_the_newest_stories(built):
    _, public, content = built
    published = sorted((s for s in content.stories if not s.draft), key=lambda story: story.date, reverse=True)
    rss = feedparser.parse((public / "feed.xml").read_bytes())
    atom = feedparser.parse((public / "atom.xml").read_bytes())
    assert not rss.bozo and not atom.bozo
    assert [entry.link for entry in rss.entries] == [f"https://bench.example.vn/{story.url}" for story in published]
    assert [entry.title for entry in atom.entries] == [story.title for story in published]
    assert "<p>" in rss.entries[0].description  # the story's body, rendered by Hugo
    feed = json.loads((public / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and len(feed["items"]) == len(published)
    for campaign in content.campaigns.values():
        own = [story for story in published if story.campaign == campaign.id]
        parsed = feedparser.parse((public / campaign.url / "feed.xml").read_bytes())
        assert not parsed.bozo and [entry.title for entry in parsed.entries] == [story.title for story in own]
        timeline = json.loads((public / campaign.url / "timeline.json").read_text(encoding="utf-8"))
        assert len(timeline["events"]) == len(own) + len(campaign.milestones)
    story = published[0]
    place = feedparser.parse((public / "places" / story.location_slug / "atom.xml").read_bytes())
    assert not place.bozo and story.title in [entry.title for entry in place.entries]
    ET.parse(public / "feeds.opml")
    ET.parse(public / "sitemap.xml")
