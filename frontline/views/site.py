"""Everything a build derives from the content model, computed once per build."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from frontline.model import Campaign, Content, Story
from frontline.views.campaigns import (
    CampaignFigures,
    Neighbours,
    campaign_figures,
    campaign_neighbours,
    order_campaigns,
    stories_by_campaign,
)
from frontline.views.feeds import FeedChannel, SiteInfo
from frontline.views.sections import Section, SectionKind, SectionPage, build_sections, paginate
from frontline.views.timeline import Timeline, build_timeline


@dataclass(frozen=True, slots=True)
class Settings:
    """Editorial settings of a site (``extra.frontline`` in mkdocs.yml)."""

    site: SiteInfo
    per_page: int = 20
    feed_size: int = 50
    home_size: int = 20


class SiteView:
    """The published site as data: no MkDocs, no HTML.

    Every property is computed at most once per build, and all lookups a page
    needs are dictionary lookups, so the per-page cost does not grow with the archive."""

    def __init__(self, content: Content, now: datetime, settings: Settings, *, preview: bool = False) -> None:
        self.content = content
        self.now = now
        self.settings = settings
        self.preview = preview
        self.stories: list[Story] = list(content.stories) if preview else content.published(now)
        """Published stories, newest first; in a preview, drafts and scheduled stories too."""

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

    def timeline(self, campaign_id: str) -> Timeline:
        return build_timeline(self.campaigns[campaign_id], self.by_campaign.get(campaign_id, []))

    @cached_property
    def sections(self) -> dict[SectionKind, list[Section]]:
        return build_sections(self.stories, self.content.authors)

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
        return FeedChannel("site", site.name, site.description, "", tuple(self.stories[: self.settings.feed_size]))

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

    @property
    def channels(self) -> list[FeedChannel]:
        return [self.site_channel, *self.campaign_channels.values()]

    def channels_for_story(self, story: Story) -> list[FeedChannel]:
        channels = [self.site_channel]
        if story.campaign:
            channels.append(self.campaign_channels[story.campaign])
        return channels
