"""One typed record per page (frontline/views/pages.py): what a template is given and what its page is keyed on."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta

from frontline.build.fingerprint import Fingerprinter
from frontline.config.settings import Settings, SiteInfo
from frontline.content import urls
from frontline.content.model import Content, Story
from frontline.views.pages import CampaignPage, DocsPage, HomePage, ListingPage, StoryPage
from frontline.views.site import SiteView
from tests.sites import REPO
from tests.unit.test_views import AUTHORS, CAMPAIGN, SITE, make_story

NOW = datetime.fromisoformat("2021-06-15T12:00:00+07:00")
START = datetime.fromisoformat("2021-05-01T08:00:00+07:00")


def _view(count: int = 12, **settings) -> SiteView:
    stories = [
        make_story(
            f"s{n:02d}",
            (START + timedelta(days=n)).isoformat(),
            location="Đà Nẵng" if n % 2 else "Hà Nội",
            campaign="bg" if n % 3 else None,
        )
        for n in range(count)
    ]
    content = Content(sorted(stories, key=lambda s: s.date, reverse=True), {"bg": CAMPAIGN}, AUTHORS)
    return SiteView(content, NOW, Settings(site=SITE, per_page=5, **settings), stories_folder="stories")


def test_every_page_has_one_record_under_its_source_and_url():
    view = _view()
    records = view.pages
    assert len({record.src_uri for record in records}) == len(records)
    assert view.by_src_uri == {record.src_uri: record for record in records}
    stories = [record for record in records if isinstance(record, StoryPage)]
    assert [record.story for record in stories] == view.stories
    assert all(record.src_uri == "stories/" + record.story.source.removeprefix("stories/") for record in stories)
    for record in records:
        if isinstance(record, StoryPage | CampaignPage):
            continue
        assert record.src_uri == urls.page_source(record.url)
        assert (REPO / "overrides" / record.template).is_file()
    listings = [record for record in records if isinstance(record, ListingPage)]
    assert [record.url for record in listings] == [page.url for page in view.section_pages]
    assert sum(isinstance(record, HomePage) for record in records) == 1


def test_a_listing_record_holds_what_its_page_shows_not_its_whole_section():
    view = _view(count=12)
    place_pages = [r for r in view.pages if isinstance(r, ListingPage) and r.kind == "place" and r.key == "ha-noi"]
    assert [(page.number, page.count, len(page.stories)) for page in place_pages] == [(1, 2, 5), (2, 2, 1)]
    first, second = place_pages
    assert first.story_count == 6 and first.next_url == second.url and second.previous_url == first.url
    assert second.title == "Hà Nội – trang 2" and second.section_title == "Hà Nội"


def test_a_page_key_ignores_derived_fields_and_follows_every_other_one():
    """Fields marked ``metadata={"key": False}`` follow from the rest and the site-wide key: they are left out."""
    view = _view()
    record = next(r for r in view.pages if isinstance(r, StoryPage) and r.related)
    digest = Fingerprinter(whole=(Story,)).digest
    moved_site = dataclasses.replace(record, site=SiteInfo(url="https://khac.vn/", name="Khác"), logo="logo.png")
    assert digest(moved_site) == digest(record)
    assert digest(dataclasses.replace(record, related=record.related[1:])) != digest(record)
    assert digest(dataclasses.replace(record, status="draft")) != digest(record)
    listing = next(r for r in view.pages if isinstance(r, ListingPage))
    assert digest(dataclasses.replace(listing, lastmod="1999-01-01")) == digest(listing)
    assert digest(dataclasses.replace(listing, story_count=listing.story_count + 1)) != digest(listing)
    for kind in {type(r) for r in view.pages} | {DocsPage}:
        keyed = [f.name for f in dataclasses.fields(kind) if f.metadata.get("key", True)]
        assert keyed[:5] == ["src_uri", "url", "template", "title", "description"], kind


def test_a_story_record_gives_its_template_authors_crumbs_and_structured_data():
    view = _view()
    record = next(r for r in view.pages if isinstance(r, StoryPage) and r.campaign is not None)
    assert [author.name for author in record.authors] == [AUTHORS[a].name for a in record.story.authors]
    assert [crumb.url for crumb in record.crumbs] == [urls.HOME, urls.CAMPAIGNS_INDEX, CAMPAIGN.url]
    article, breadcrumbs = record.json_ld
    assert article["mainEntityOfPage"] == SITE.absolute(record.url)
    assert [a["name"] for a in article["author"]] == [author.name for author in record.authors]
    assert breadcrumbs["itemListElement"][-1]["name"] == record.story.title
    assert record.lastmod == record.story.last_modified.date().isoformat()


def test_no_template_reaches_into_the_view_or_the_content_model():
    """A template is given its page's record (``frontline``) and the site-wide chrome, nothing else."""
    found = []
    for template in sorted((REPO / "overrides").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        if re.search(r"frontline\.view\b|\.content\.(authors|campaigns|stories)\b", text):
            found.append(template.relative_to(REPO).as_posix())
    assert found == []
