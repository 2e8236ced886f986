"""Campaign-level views: key figures, the campaigns index, previous/next in a campaign."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from frontline.content.model import Campaign, Story


@dataclass(frozen=True, slots=True)
class CampaignFigures:
    campaign: Campaign
    story_count: int
    places: tuple[str, ...]
    reporters: tuple[str, ...]
    first_story: date | None
    last_story: date | None
    ongoing: bool


def stories_by_campaign(stories: list[Story]) -> dict[str, list[Story]]:
    """Published stories of each campaign, oldest first (timeline order)."""
    grouped: dict[str, list[Story]] = defaultdict(list)
    for story in sorted(stories, key=lambda story: (story.date, story.id)):
        if story.campaign:
            grouped[story.campaign].append(story)
    return grouped


def campaign_figures(campaign: Campaign, stories: list[Story], today: date) -> CampaignFigures:
    """``stories``: the campaign's published stories, oldest first."""
    places = sorted({story.location for story in stories if story.location})
    reporters = sorted({author for story in stories for author in story.authors})
    return CampaignFigures(
        campaign=campaign,
        story_count=len(stories),
        places=tuple(places),
        reporters=tuple(reporters),
        first_story=stories[0].date.date() if stories else None,
        last_story=stories[-1].date.date() if stories else None,
        ongoing=campaign.is_ongoing(today),
    )


def order_campaigns(figures: list[CampaignFigures]) -> list[CampaignFigures]:
    """Ongoing campaigns first, then the most recent start first."""
    return sorted(figures, key=lambda item: (not item.ongoing, -item.campaign.start.toordinal(), item.campaign.id))


@dataclass(frozen=True, slots=True)
class Neighbours:
    previous: Story | None
    next: Story | None


def campaign_neighbours(by_campaign: dict[str, list[Story]]) -> dict[str, Neighbours]:
    """Previous and next story in the same campaign, for every story in one."""
    result: dict[str, Neighbours] = {}
    for stories in by_campaign.values():
        for index, story in enumerate(stories):
            result[story.id] = Neighbours(
                stories[index - 1] if index > 0 else None,
                stories[index + 1] if index + 1 < len(stories) else None,
            )
    return result
