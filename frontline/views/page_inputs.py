"""The data a Frontline page is rendered from, as cache-key input.

Only what a page shows goes in (a feed's title and address, not its items), and
nothing derived from it (breadcrumbs, JSON-LD), so keys are cheap to compute and a
page is re-rendered exactly when something on it changed. Site-wide inputs (authors,
campaigns, settings, templates) are keyed separately, once per build."""

from __future__ import annotations

from typing import Any

from frontline.model import Story
from frontline.views.sections import SectionPage
from frontline.views.site import SiteView


def story_page_inputs(view: SiteView, story: Story) -> list[Any]:
    campaign = view.campaigns.get(story.campaign) if story.campaign else None
    return [
        story,
        campaign,
        view.neighbours.get(story.id),
        view.related(story),
        [channel.link for channel in view.channels_for_story(story)],
        story.status(view.now) if view.preview else None,
    ]


def section_page_inputs(view: SiteView, page: SectionPage) -> list[Any]:
    section = page.section
    return [
        section.kind,
        section.key,
        section.title,
        section.author,
        len(section.stories),
        page.number,
        page.count,
        page.stories,
        [channel.link for channel in view.channels_for_section(section)],
    ]
