"""Everything a build derives from the content model, computed once per build."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from functools import cached_property

from frontline.config.settings import Settings
from frontline.content import urls
from frontline.content.model import Campaign, Content, LivePage, Story
from frontline.views.campaigns import (
    CampaignFigures,
    Neighbours,
    campaign_figures,
    campaign_neighbours,
    order_campaigns,
    stories_by_campaign,
)
from frontline.views.chart import ActivityChart, activity_chart
from frontline.views.feeds import FeedChannel, FeedLink
from frontline.views.live import LiveEntry, live_entry
from frontline.views.pages import (
    HOME_MILESTONES,
    CampaignPage,
    CampaignsIndexPage,
    HomePage,
    ListingPage,
    LivePageRecord,
    PageRecord,
    SearchPage,
    SectionIndexPage,
    StoryPage,
    SubscribePage,
    listing_page,
    story_source,
)
from frontline.views.related import RELATED_LIMIT, RelatedIndex
from frontline.views.sections import (
    SECTION_LABELS,
    Section,
    SectionKind,
    SectionPage,
    build_sections,
    paginate,
    section_keys,
    substituted_sections,
)
from frontline.views.sharing import Sharing
from frontline.views.timeline import Timeline, TimelineEntry, build_timeline

FEED_SECTION_KINDS: tuple[SectionKind, ...] = ("place", "author", "topic")


NEWS_SITEMAP_WINDOW = timedelta(days=2)
"""How long after its moment a story (or a live page) stays in the Google News sitemap."""


class SiteView:
    """The published site as data: no MkDocs, no HTML.

    Every property is computed at most once per build, and all lookups a page
    needs are dictionary lookups, so the per-page cost does not grow with the archive."""

    def __init__(
        self,
        content: Content,
        now: datetime,
        settings: Settings,
        *,
        preview: bool = False,
        stories_folder: str = "stories",
    ) -> None:
        self.content = content
        self.now = now
        self.settings = settings
        self.preview = preview
        self.stories_folder = stories_folder
        """The stories' folder as their ``source`` paths start (``options.stories_dir``): their pages' ``src_uri``."""
        self.stories: list[Story] = list(content.stories) if preview else content.published(now)
        """Published stories, newest first; in a preview, drafts and scheduled stories too."""
        self._related_found: dict[str, list[Story]] = {}
        self._timelines: dict[str, Timeline] = {}
        self._story_pages_kept: dict[str, StoryPage] = {}
        self._campaign_pages_kept: dict[str, CampaignPage] = {}
        self._listing_pages_kept: dict[str, ListingPage] = {}

    @property
    def campaigns(self) -> dict[str, Campaign]:
        return self.content.campaigns

    @cached_property
    def redirects(self) -> dict[str, Story]:
        """Old URL → story, from every shown story's ``aliases``."""
        return {alias: story for story in self.stories for alias in story.aliases}

    @cached_property
    def story_by_id(self) -> dict[str, Story]:
        return {story.id: story for story in self.stories}

    @cached_property
    def by_campaign(self) -> dict[str, list[Story]]:
        return stories_by_campaign(self.stories)

    @cached_property
    def neighbours(self) -> dict[str, Neighbours]:
        return campaign_neighbours(self.by_campaign)

    @cached_property
    def figures(self) -> dict[str, CampaignFigures]:
        today = self.now.date()
        return {
            campaign_id: campaign_figures(campaign, self.by_campaign.get(campaign_id, []), today)
            for campaign_id, campaign in self.campaigns.items()
        }

    @cached_property
    def campaign_list(self) -> list[CampaignFigures]:
        return order_campaigns(list(self.figures.values()))

    @cached_property
    def active_campaigns(self) -> list[CampaignFigures]:
        return [figures for figures in self.campaign_list if figures.ongoing]

    def chart(self, campaign_id: str) -> ActivityChart | None:
        return activity_chart(self.campaigns[campaign_id], self.by_campaign.get(campaign_id, []), self.now.date())

    def timeline(self, campaign_id: str) -> Timeline:
        """Built once per build: the campaign's page, its key and its TimelineJS export share it."""
        found = self._timelines.get(campaign_id)
        if found is None:
            live = self.live_by_campaign.get(campaign_id, ())
            found = build_timeline(self.campaigns[campaign_id], self.by_campaign.get(campaign_id, []), live)
            self._timelines[campaign_id] = found
        return found

    # -- live pages ------------------------------------------------------------------------------

    @cached_property
    def live_pages(self) -> list[LivePage]:
        """Live pages shown, newest start first, each with the updates shown (published by "now"; in a preview,
        every one), newest first."""
        shown = []
        for page in self.content.live.values():
            if not self.preview and not page.is_published(self.now):
                continue
            updates = page.updates if self.preview else page.shown_updates(self.now)
            shown.append(dataclasses.replace(page, updates=updates) if updates != page.updates else page)
        return sorted(shown, key=lambda page: (page.start, page.id), reverse=True)

    @cached_property
    def live_entries(self) -> dict[str, LiveEntry]:
        return {page.id: live_entry(page, self.now) for page in self.live_pages}

    @cached_property
    def live_by_campaign(self) -> dict[str, tuple[LiveEntry, ...]]:
        grouped: dict[str, list[LiveEntry]] = {}
        for page in self.live_pages:
            if page.campaign:
                grouped.setdefault(page.campaign, []).append(self.live_entries[page.id])
        return {campaign_id: tuple(entries) for campaign_id, entries in grouped.items()}

    @cached_property
    def live_channels(self) -> dict[str, FeedChannel]:
        """A feed of each live page's updates (listed with the others; written by ``frontline.output.live``, its
        items being updates, not stories)."""
        name = self.settings.site.name
        return {
            page.id: FeedChannel(f"live:{page.id}", f"Trực tiếp: {page.title} – {name}", page.summary, page.url, ())
            for page in self.live_pages
        }

    def live_record(self, page: LivePage) -> LivePageRecord:
        authors = self.content.authors
        ids = dict.fromkeys(author for update in page.updates for author in update.authors)
        campaign = self.campaigns.get(page.campaign) if page.campaign else None
        feeds = [self.live_channels[page.id].link]
        if campaign is not None:
            feeds.append(self.campaign_channels[campaign.id].link)
        feeds.append(self.site_channel.link)
        return LivePageRecord(
            urls.page_source(page.url),
            page.url,
            "live.html",
            page.title,
            page.summary,
            page,
            page.is_live(self.now),
            tuple(authors[author_id] for author_id in ids),
            campaign,
            urls.live_updates_url(page.id),
            tuple(feeds),
            self.settings.site,
            self.settings.logo,
            share=self.sharing,
        )

    @cached_property
    def sections(self) -> dict[SectionKind, list[Section]]:
        return build_sections(self.stories, self.content.authors)

    def sections_of(self, story: Story) -> list[tuple[SectionKind, str]]:
        """The ``(kind, key)`` of every section listing ``story``, one of this view's stories: worked out from the
        story alone (a preview's rebuild asks for the few a save changed, not a map of every story's)."""
        return [(kind, key) for kind, key, _ in section_keys(story, self.content.authors) if key]

    @cached_property
    def section_pages(self) -> list[SectionPage]:
        return [
            page
            for items in self.sections.values()
            for section in items
            for page in paginate(section, self.settings.per_page)
        ]

    @cached_property
    def latest(self) -> list[Story]:
        return self.stories[: self.settings.home_size]

    @cached_property
    def site_channel(self) -> FeedChannel:
        site = self.settings.site
        return FeedChannel(
            "site",
            site.name,
            site.description,
            urls.HOME,
            tuple(self.stories[: self.settings.feed_size]),
            tuple(self.live_entries.values()),
        )

    @cached_property
    def campaign_channels(self) -> dict[str, FeedChannel]:
        size = self.settings.feed_size
        return {
            campaign_id: FeedChannel(
                f"campaign:{campaign_id}",
                f"{campaign.title} – {self.settings.site.name}",
                campaign.summary,
                campaign.url,
                tuple(reversed(self.by_campaign.get(campaign_id, [])))[:size],
            )
            for campaign_id, campaign in self.campaigns.items()
        }

    @cached_property
    def section_channels(self) -> dict[tuple[str, str], FeedChannel]:
        """A feed for every place, author and topic."""
        size = self.settings.section_feed_size
        name = self.settings.site.name
        return {
            (section.kind, section.key): FeedChannel(
                f"{section.kind}:{section.key}",
                f"{section.label}: {section.title} – {name}",
                f"Tin mới về {section.title}" if section.kind != "author" else f"Bài mới của {section.title}",
                section.url,
                section.stories[:size],
            )
            for kind in FEED_SECTION_KINDS
            for section in self.sections[kind]
        }

    @property
    def channels(self) -> list[FeedChannel]:
        return [self.site_channel, *self.campaign_channels.values(), *self.section_channels.values()]

    @cached_property
    def channel_groups(self) -> list[tuple[str, list[FeedChannel]]]:
        """Every feed, grouped the way the subscribe page and the OPML list them."""
        groups: list[tuple[str, list[FeedChannel]]] = [
            ("Toàn trang", [self.site_channel]),
            ("Chiến dịch", [self.campaign_channels[f.campaign.id] for f in self.campaign_list]),
        ]
        if self.live_channels:
            groups.append(("Trực tiếp", list(self.live_channels.values())))
        for kind in FEED_SECTION_KINDS:
            channels = [self.section_channels[(kind, section.key)] for section in self.sections[kind]]
            groups.append((SECTION_LABELS[kind], channels))
        return groups

    def channels_for_story(self, story: Story) -> list[FeedChannel]:
        """The feeds a reader of ``story`` most likely wants: its campaign, place, authors, then the site."""
        channels = []
        if story.campaign:
            channels.append(self.campaign_channels[story.campaign])
        if story.location_slug:
            channels.append(self.section_channels[("place", story.location_slug)])
        channels += [
            self.section_channels[("author", a)] for a in story.authors if ("author", a) in self.section_channels
        ]
        return [*channels, self.site_channel]

    def channels_for_section(self, section: Section) -> list[FeedChannel]:
        own = self.section_channels.get((section.kind, section.key))
        return [own, self.site_channel] if own else [self.site_channel]

    @cached_property
    def related_index(self) -> RelatedIndex:
        return RelatedIndex(self.stories)

    def reuse_related(self, before: SiteView, unless: set[str]) -> None:
        """Take ``before``'s related stories of every story but those in ``unless``: the stories a change reached
        (``Impact.stories``, which holds every story whose related ones may differ)."""
        for story_id, found in before._related_found.items():
            if story_id not in unless and story_id in self.story_by_id:
                self._related_found.setdefault(story_id, found)

    def reuse_story_pages(self, before: SiteView, unless: set[str]) -> None:
        """Take ``before``'s record of every story page but those of the stories in ``unless`` (``Impact.stories``,
        which holds every story whose page may differ), when what every record holds besides its story's
        neighbourhood is unchanged (authors, campaigns, settings): a preview rebuild after one saved story then
        makes a few records, not one per story of the archive."""
        if (
            before.content.authors != self.content.authors
            or before.campaigns != self.campaigns
            or (before.settings, before.preview, before.stories_folder)
            != (self.settings, self.preview, self.stories_folder)
        ):
            return
        for record in before.pages:
            unchanged = isinstance(record, StoryPage) and record.story.id not in unless
            # ...and the story the same reading of an unchanged file
            if unchanged and self.story_by_id.get(record.story.id) is record.story:
                self._story_pages_kept[record.story.id] = record

    def reuse_campaign_pages(self, before: SiteView, unless: set[str]) -> None:
        """Take ``before``'s record of every campaign page but those of the campaigns in ``unless``
        (``Impact.campaigns``: every campaign whose stories, timeline entries or figures a change reached), on the
        same day (its figures and chart count days) and with what every record holds besides its campaign's
        stories unchanged: a rebuild then works out one campaign's timeline and chart, not every campaign's."""
        if (
            before.now.date() != self.now.date()
            or before.content.authors != self.content.authors
            or (before.settings, before.preview, before.stories_folder)
            != (self.settings, self.preview, self.stories_folder)
        ):
            return
        for record in before.pages:
            unchanged = isinstance(record, CampaignPage) and record.campaign.id not in unless
            if unchanged and self.campaigns.get(record.campaign.id) == record.campaign:
                self._campaign_pages_kept[record.campaign.id] = record

    def adopt_placement(self, before: SiteView, changed: set[str]) -> None:
        """Take ``before``'s sections and related-story index, with this view's versions of the ``changed`` stories
        in them, when the change left every story where it stood: the same stories in the same order, the same
        authors, and each changed story with the date and keys that place it (``_placement``). A preview's rebuild
        after a story's words were saved then groups no section and indexes no story again."""
        if (
            len(before.stories) != len(self.stories)
            or before.content.authors != self.content.authors
            or any(before.story_by_id.get(i) is None or i not in self.story_by_id for i in changed)
            or any(_placement(before.story_by_id[i]) != _placement(self.story_by_id[i]) for i in changed)
            or [story.id for story in before.stories] != [story.id for story in self.stories]
        ):
            return
        edited = [self.story_by_id[i] for i in changed]
        if "sections" in before.__dict__ and "sections" not in self.__dict__:
            self.__dict__["sections"] = substituted_sections(before.sections, edited, self.content.authors)
            same = (before.settings, before.preview, before.stories_folder, before.now.date()) == (
                self.settings,
                self.preview,
                self.stories_folder,
                self.now.date(),
            )
            if same and "pages" in before.__dict__:  # the listing pages of the sections the change left alone
                touched = {where for story in edited for where in self.sections_of(story)}
                self._listing_pages_kept = {
                    record.url: record
                    for record in before.pages
                    if isinstance(record, ListingPage) and (record.kind, record.key) not in touched
                }
        if "related_index" not in self.__dict__:
            # ``impact`` reads ``before``'s index too: made here if ``before`` took its related stories from the cache
            # (a preview's first build), once rather than once for each view.
            self.__dict__["related_index"] = before.related_index.substituted(edited)

    def take_related(self, found: Mapping[str, Sequence[str]]) -> None:
        """Take every story's related stories, by id, as a build of stories in the same places chose them (the
        ``placements_digest`` of this view's stories was the one they were chosen for): a warm build after words
        were edited ranks no story again."""
        by_id = self.story_by_id
        for story_id, ids in found.items():
            # a list as ``RelatedIndex.related`` makes one (at most the limit, other stories, each once), or none
            shaped = len(ids) <= RELATED_LIMIT and story_id not in ids and len(set(ids)) == len(ids)
            if shaped and story_id in by_id and all(other in by_id for other in ids):
                self._related_found.setdefault(story_id, [by_id[other] for other in ids])

    def related_ids(self) -> dict[str, list[str]] | None:
        """Every story's related stories by id, once this build chose them all (``None`` before)."""
        if any(story.id not in self._related_found for story in self.stories):
            return None
        return {story.id: [other.id for other in self._related_found[story.id]] for story in self.stories}

    def related(self, story: Story) -> list[Story]:
        """Computed once per story and build: page keys ask first, then the page itself."""
        if self.story_by_id.get(story.id) is not story:  # a story of another build (an edit's before and after)
            return self.related_index.related(story)
        found = self._related_found.get(story.id)
        if found is None:
            found = self._related_found[story.id] = self.related_index.related(story)
        return found

    @cached_property
    def milestones(self) -> list[TimelineEntry]:
        """Campaign milestones and milestone stories, newest first (for the home page)."""
        entries = [
            TimelineEntry(m.date, m.has_time, milestone=m) for c in self.campaigns.values() for m in c.milestones
        ]
        entries += [TimelineEntry(s.date, s.has_time, story=s) for s in self.stories if s.milestone]
        entries = [entry for entry in entries if entry.moment <= self.now]
        return sorted(entries, key=lambda entry: entry.moment, reverse=True)

    def next_change(self) -> datetime:
        """The first moment after ``now`` at which this view would show something else with its content unchanged:
        the next day (campaign figures count days), a story, live page, live update or milestone whose moment
        comes, or one that leaves the news sitemap. What a build made at ``now`` shows holds until then (a preview
        serves its kept folder at once, ``frontline build`` does not build again)."""
        now = self.now
        if not (self.stories or self.live_pages):
            return now  # nothing published: the feeds carry the build's own moment (``feeds_updated``)
        moments = [datetime.combine(now.date() + timedelta(days=1), time(), now.tzinfo)]
        moments += [story.date for story in self.content.stories]
        moments += [story.date + NEWS_SITEMAP_WINDOW for story in self.content.stories]  # out of the news sitemap
        for page in self.content.live.values():
            moments += [page.start, page.start + NEWS_SITEMAP_WINDOW, *(update.time for update in page.updates)]
            moments += [page.end] if page.end is not None else []
        moments += [milestone.date for campaign in self.campaigns.values() for milestone in campaign.milestones]
        return min(moment for moment in moments if moment > now)

    @cached_property
    def feeds_updated(self) -> datetime:
        """The time of a feed with no entry (a campaign's before its first story) and of the list of feeds: the
        newest story's or live page's, which the content sets, so two builds of the same content write them alike;
        the build's "now" while nothing is published."""
        moments = [story.last_modified for story in self.stories] + [page.start for page in self.live_pages]
        return max(moments, default=self.now)

    @cached_property
    def lead_story(self) -> Story | None:
        """The newest story with a lead image among the latest few, else the newest story."""
        recent = self.stories[:5]
        return next((story for story in recent if story.image), recent[0] if recent else None)

    # -- one record per page (frontline.views.pages) ---------------------------------------------

    @cached_property
    def sharing(self) -> Sharing:
        """The site-wide part of every page's card and structured data."""
        settings = self.settings
        return Sharing(settings.site, settings.share_image, settings.logo)

    def _search_choices(self) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[int, ...]]:
        """The search page's filters as the index holds them (``overrides/search-record.html``): campaigns by id,
        places by their address key (named as the first of their spellings), the years of stories and campaigns."""
        campaigns = tuple((f.campaign.id, f.campaign.title) for f in self.campaign_list)
        places: dict[str, str] = {}
        for place in sorted({story.location for story in self.stories if story.location}):
            places.setdefault(urls.section_key(place), place)
        years = {story.date.year for story in self.stories} | {c.start.year for c in self.campaigns.values()}
        return campaigns, tuple(sorted(places.items())), tuple(sorted(years, reverse=True))

    @cached_property
    def pages(self) -> list[PageRecord]:
        """Every page Frontline gives data to: stories, campaigns, home, search, subscribe, the campaigns and
        section indexes, then every section's listing pages."""
        site_feeds = (self.site_channel.link,)
        records: list[PageRecord] = [self.story_page(story) for story in self.stories]
        for campaign_id, campaign in self.campaigns.items():
            kept = self._campaign_pages_kept.get(campaign_id)
            if kept is not None:
                records.append(kept)
                continue
            records.append(
                CampaignPage(
                    urls.campaign_source(campaign_id),
                    campaign.url,
                    "campaign.html",
                    None,
                    None,
                    campaign,
                    self.figures[campaign_id],
                    self.timeline(campaign_id),
                    self.chart(campaign_id),
                    (self.campaign_channels[campaign_id].link, self.site_channel.link),
                    share=self.sharing,
                )
            )
        records.append(
            HomePage(
                urls.page_source(urls.HOME),
                urls.HOME,
                "home.html",
                None,
                None,
                self.lead_story,
                tuple(self.latest),
                tuple(self.active_campaigns),
                tuple(self.milestones[:HOME_MILESTONES]),
                site_feeds,
                tuple(entry for entry in self.live_entries.values() if entry.live),
                share=self.sharing,
            )
        )
        records += [self.live_record(live) for live in self.live_pages]
        page = urls.page_source
        records.append(
            SearchPage(
                page(urls.SEARCH_PAGE),
                urls.SEARCH_PAGE,
                "search.html",
                "Tìm kiếm",
                None,
                self.preview,
                site_feeds,
                *self._search_choices(),
                share=self.sharing,
            )
        )
        groups = tuple((label, tuple(channels)) for label, channels in self.channel_groups)
        records.append(
            SubscribePage(
                page(urls.SUBSCRIBE_PAGE),
                urls.SUBSCRIBE_PAGE,
                "subscribe.html",
                "Theo dõi",
                None,
                groups,
                site_feeds,
                share=self.sharing,
            )
        )
        records.append(
            CampaignsIndexPage(
                page(urls.CAMPAIGNS_INDEX),
                urls.CAMPAIGNS_INDEX,
                "campaigns.html",
                "Chiến dịch",
                None,
                tuple(self.campaign_list),
                site_feeds,
                share=self.sharing,
            )
        )
        for kind in urls.SECTION_ROOTS:
            url = urls.section_index_url(kind)
            records.append(
                SectionIndexPage(
                    page(url),
                    url,
                    "sections.html",
                    SECTION_LABELS[kind],
                    None,
                    kind,
                    tuple(self.sections[kind]),
                    site_feeds,
                    share=self.sharing,
                )
            )
        kept_listings = self._listing_pages_kept
        for listing in self.section_pages:
            kept = kept_listings.get(listing.url)
            if kept is not None:
                records.append(kept)
                continue
            feeds = tuple(channel.link for channel in self.channels_for_section(listing.section))
            records.append(listing_page(listing, feeds, self.now, self.sharing))
        return records

    @cached_property
    def by_src_uri(self) -> dict[str, PageRecord]:
        return {record.src_uri: record for record in self.pages}

    def story_page(self, story: Story) -> StoryPage:
        kept = self._story_pages_kept.get(story.id)
        if kept is not None and kept.story is story:
            return kept
        campaign = self.campaigns.get(story.campaign) if story.campaign else None
        authors = self.content.authors
        return StoryPage(
            story_source(story, self.stories_folder),
            story.url,
            "story.html",
            story.title,
            story.summary,
            story,
            tuple(authors[author_id] for author_id in story.authors),
            campaign,
            self.neighbours.get(story.id),
            tuple(self.related(story)),
            tuple(channel.link for channel in self.channels_for_story(story)),
            story.status(self.now) if self.preview else None,
            self.settings.site,
            self.settings.logo,
            share=self.sharing,
        )

    @property
    def site_feeds(self) -> tuple[FeedLink, ...]:
        """What a page without data of its own points at (``DocsPage``)."""
        return (self.site_channel.link,)


def _placement(story: Story) -> tuple:
    """What places a story among the others: its order, the sections listing it and its related-story keys."""
    return (story.date, story.authors, story.location, story.unit, story.tags, story.campaign)
