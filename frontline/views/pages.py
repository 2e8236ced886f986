"""One typed record per page: what its template shows, and so what its cache key is made of.

Each record is frozen and carries its page's source id (``src_uri``), URL, template, title and description, then
exactly the data its template shows. The engine hands a template its record (``frontline`` in the context) and
keys a page Frontline renders on the record: one definition of what a page depends on, so a cached page cannot go
stale because a list of inputs and a template disagree.

The key rule: every field is a key input unless declared ``_derived()`` (``metadata={"key": False}``). A derived
field or a property holds what follows from the keyed fields and the site-wide part of the key (settings, authors,
campaigns, templates: ``frontline.engine.site_key``), such as breadcrumbs, JSON-LD or a sitemap's ``lastmod``; it
must never hold anything else, or a page would not be rendered again when it changes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontline.config.settings import SiteInfo
from frontline.content import urls
from frontline.content.model import Author, Campaign, LivePage, LiveUpdate, Story
from frontline.content.urls import SectionKind
from frontline.views.campaigns import CampaignFigures, Neighbours
from frontline.views.chart import ActivityChart
from frontline.views.feeds import FeedChannel, FeedLink
from frontline.views.live import LiveEntry
from frontline.views.sections import SECTION_LABELS, Section, SectionPage
from frontline.views.sharing import Card, Sharing, card, collection_json_ld, website_json_ld
from frontline.views.structured import (
    Crumb,
    live_breadcrumbs,
    live_json_ld,
    reading_minutes,
    story_breadcrumbs,
    story_json_ld,
)
from frontline.views.timeline import Timeline, TimelineEntry


def _derived(default: Any = dataclasses.MISSING) -> Any:
    """A field left out of the page's key: it follows from the keyed fields and the site-wide key."""
    return dataclasses.field(default=default, metadata={"key": False})


@dataclass(frozen=True, slots=True)
class PageHead:
    """What every page's record opens with: where its source is among the site's files, its URL, its template,
    and the title and description Material prints (None where the page's own Markdown gives them)."""

    src_uri: str
    url: str
    template: str | None
    title: str | None
    description: str | None
    share: Sharing | None = dataclasses.field(default=None, kw_only=True, metadata={"key": False})
    """The site-wide part of the page's card (``card``, ``json_ld``): derived from the settings."""

    @property
    def card(self) -> Card | None:
        """What the page shows when shared (OpenGraph, Twitter)."""
        return card(self.share, self.url, self.title, self.description) if self.share else None

    @property
    def json_ld(self) -> list[dict[str, Any]]:
        """The page's schema.org data (none by default)."""
        return []


@dataclass(frozen=True, slots=True)
class StoryPage(PageHead):
    story: Story
    authors: tuple[Author, ...]
    campaign: Campaign | None
    neighbours: Neighbours | None
    related: tuple[Story, ...]
    feeds: tuple[FeedLink, ...]
    status: str | None
    """``"draft"`` or ``"scheduled"`` in a preview (``story_status`` prints it), else None."""
    site: SiteInfo = _derived()
    logo: str | None = _derived(None)

    @property
    def crumbs(self) -> list[Crumb]:
        return story_breadcrumbs(self.story, self.campaign)

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.story.body)

    @property
    def json_ld(self) -> list[dict[str, Any]]:
        authors = {author.id: author for author in self.authors}
        return story_json_ld(self.story, authors, self.campaign, self.crumbs, self.site, self.logo)

    @property
    def card(self) -> Card | None:
        story, image = self.story, self.story.image
        if self.share is None:
            return None
        return card(
            self.share,
            story.url,
            story.title,
            story.summary,
            kind="article",
            image=image.site_path if image else None,
            image_alt=image.alt if image else "",
        )

    @property
    def lastmod(self) -> str:
        return self.story.last_modified.date().isoformat()


@dataclass(frozen=True, slots=True)
class ListingPage(PageHead):
    """One page of a section's listing (``section.html``): what it shows of its section, not all of the section's
    stories, so a story added to page 3 leaves page 1's key alone."""

    kind: SectionKind
    key: str
    section_title: str
    author: Author | None
    story_count: int
    number: int
    count: int
    stories: tuple[Story, ...]
    feeds: tuple[FeedLink, ...]
    lastmod: str = _derived()
    """The newest of its stories' changes (the build's day if it has none), for the sitemap."""

    @property
    def index_url(self) -> str:
        return urls.section_index_url(self.kind)

    @property
    def summary(self) -> str:
        return f"{self.label} {self.section_title}: {self.story_count} bài"

    @property
    def card(self) -> Card | None:
        return card(self.share, self.url, self.title, self.summary) if self.share else None

    @property
    def json_ld(self) -> list[dict[str, Any]]:
        if self.share is None:
            return []
        items = [(story.title, story.url) for story in self.stories]
        return [collection_json_ld(self.share, self.url, self.title or self.section_title, self.summary, items)]

    @property
    def label(self) -> str:
        return SECTION_LABELS[self.kind]

    @property
    def previous_url(self) -> str | None:
        return (
            urls.section_page_url(urls.section_url(self.kind, self.key), self.number - 1) if self.number > 1 else None
        )

    @property
    def next_url(self) -> str | None:
        if self.number >= self.count:
            return None
        return urls.section_page_url(urls.section_url(self.kind, self.key), self.number + 1)


@dataclass(frozen=True, slots=True)
class SectionIndexPage(PageHead):
    """Every section of one kind (``sections.html``)."""

    kind: SectionKind
    sections: tuple[Section, ...]
    feeds: tuple[FeedLink, ...]

    @property
    def json_ld(self) -> list[dict[str, Any]]:
        if self.share is None:
            return []
        items = [(section.title, section.url) for section in self.sections]
        return [collection_json_ld(self.share, self.url, self.title or "", self.description or "", items)]


@dataclass(frozen=True, slots=True)
class CampaignPage(PageHead):
    """A campaign's page (``campaign.html``), written by its editors under docs/campaigns/."""

    campaign: Campaign
    figures: CampaignFigures
    timeline: Timeline
    chart: ActivityChart | None
    feeds: tuple[FeedLink, ...]

    @property
    def card(self) -> Card | None:
        campaign = self.campaign
        return card(self.share, self.url, campaign.title, campaign.summary) if self.share else None

    @property
    def json_ld(self) -> list[dict[str, Any]]:
        """A ``CollectionPage`` of the campaign's stories in timeline order, about the campaign as an event."""
        if self.share is None:
            return []
        campaign = self.campaign
        event: dict[str, Any] = {"@type": "Event", "name": campaign.title, "startDate": campaign.start.isoformat()}
        if campaign.end:
            event["endDate"] = campaign.end.isoformat()
        if self.figures.places:
            event["location"] = [{"@type": "Place", "name": place} for place in self.figures.places]
        items = [(entry.story.title, entry.story.url) for entry in self.timeline.entries if entry.story]
        return [collection_json_ld(self.share, self.url, campaign.title, campaign.summary, items, about=event)]


@dataclass(frozen=True, slots=True)
class CampaignsIndexPage(PageHead):
    campaigns: tuple[CampaignFigures, ...]
    feeds: tuple[FeedLink, ...]

    @property
    def json_ld(self) -> list[dict[str, Any]]:
        if self.share is None:
            return []
        items = [(figures.campaign.title, figures.campaign.url) for figures in self.campaigns]
        return [collection_json_ld(self.share, self.url, self.title or "", self.description or "", items)]


@dataclass(frozen=True, slots=True)
class HomePage(PageHead):
    lead: Story | None
    latest: tuple[Story, ...]
    active_campaigns: tuple[CampaignFigures, ...]
    milestones: tuple[TimelineEntry, ...]
    feeds: tuple[FeedLink, ...]
    live_now: tuple[LiveEntry, ...] = ()
    """Live pages live at the build's "now", pinned at the top."""

    @property
    def card(self) -> Card | None:
        return card(self.share, self.url, self.share.site.name, None) if self.share else None

    @property
    def json_ld(self) -> list[dict[str, Any]]:
        return [website_json_ld(self.share)] if self.share else []


@dataclass(frozen=True, slots=True)
class LivePageRecord(PageHead):
    """A live coverage page (``live.html``): ``live`` holds the updates shown (published by the build's "now"),
    newest first; ``is_live`` whether coverage goes on (the badge, and whether the page's script polls)."""

    live: LivePage
    is_live: bool
    authors: tuple[Author, ...]
    """Every author of a shown update."""
    campaign: Campaign | None
    updates_url: str
    feeds: tuple[FeedLink, ...]
    site: SiteInfo = _derived()
    logo: str | None = _derived(None)

    @property
    def pinned(self) -> tuple[LiveUpdate, ...]:
        return tuple(update for update in self.live.updates if update.pinned)

    def author_of(self, author_id: str) -> Author:
        return next(author for author in self.authors if author.id == author_id)

    @property
    def crumbs(self) -> list[Crumb]:
        return live_breadcrumbs(self.campaign)

    @property
    def json_ld(self) -> list[dict[str, Any]]:
        return live_json_ld(self.live, {a.id: a for a in self.authors}, self.crumbs, self.site, self.logo)

    @property
    def lastmod(self) -> str:
        return self.live.last_modified.date().isoformat()

    @property
    def card(self) -> Card | None:
        live, image = self.live, self.live.image
        if self.share is None:
            return None
        picture = image.site_path if image else None
        alt = image.alt if image else ""
        return card(self.share, self.url, live.title, live.summary, kind="article", image=picture, image_alt=alt)


@dataclass(frozen=True, slots=True)
class SearchPage(PageHead):
    preview: bool
    """A preview has no search index: the page says so."""
    feeds: tuple[FeedLink, ...]
    campaigns: tuple[tuple[str, str], ...] = ()
    """The filters' choices, each its value in the index and its label: campaigns (id, title), places (address
    key, name), years (newest first)."""
    places: tuple[tuple[str, str], ...] = ()
    years: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SubscribePage(PageHead):
    channel_groups: tuple[tuple[str, tuple[FeedChannel, ...]], ...]
    feeds: tuple[FeedLink, ...]


@dataclass(frozen=True, slots=True)
class DocsPage(PageHead):
    """A page of docs/ that Frontline has no data for: its chrome still points at the site's feed."""

    feeds: tuple[FeedLink, ...]


PageRecord = (
    StoryPage
    | ListingPage
    | SectionIndexPage
    | CampaignPage
    | CampaignsIndexPage
    | HomePage
    | SearchPage
    | SubscribePage
    | DocsPage
    | LivePageRecord
)

HOME_MILESTONES = 6
"""Milestones the home page lists."""


def story_source(story: Story, stories_folder: str) -> str:
    """A story page's ``src_uri``: its source's path under ``stories/`` among the site's files."""
    return urls.STORY_PREFIX + story.source.removeprefix(stories_folder + "/")


def listing_page(
    page: SectionPage, feeds: tuple[FeedLink, ...], now: datetime, share: Sharing | None = None
) -> ListingPage:
    section = page.section
    title = section.title if page.number == 1 else f"{section.title} – trang {page.number}"
    newest = max((story.last_modified for story in page.stories), default=now)
    return ListingPage(
        urls.page_source(page.url),
        page.url,
        "section.html",
        title,
        None,
        section.kind,
        section.key,
        section.title,
        section.author,
        len(section.stories),
        page.number,
        page.count,
        page.stories,
        feeds,
        newest.date().isoformat(),
        share=share,
    )
