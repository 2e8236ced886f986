"""Which pages a change to some stories can alter.

A preview rebuild after one saved story compares the site before and after and
re-keys only these pages, instead of all of them: the result must be a superset of
the pages whose data changed (tests compare it with a full comparison)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from frontline.views.pages import CampaignPage, ListingPage, PageRecord, StoryPage
from frontline.views.sections import SectionKind
from frontline.views.site import SiteView


@dataclass(slots=True)
class Impact:
    stories: set[str] = field(default_factory=set)
    """Ids of stories (shown after the change) whose page may differ."""
    sections: set[tuple[SectionKind, str]] = field(default_factory=set)
    """Sections (after the change) whose listing pages may differ."""
    campaigns: set[str] = field(default_factory=set)
    """Campaigns whose page (timeline, figures) may differ."""
    moved: bool = False
    """Whether a story's address changed (or a story came or went): links to it elsewhere change."""

    def reaches(self, record: PageRecord) -> bool:
        """Whether the change may alter the page of ``record``: a story's, a listing's or a campaign's page if
        the change reached it; any other page (home, indexes, live pages) always."""
        if isinstance(record, StoryPage):
            return record.story.id in self.stories
        if isinstance(record, ListingPage):
            return (record.kind, record.key) in self.sections
        if isinstance(record, CampaignPage):
            return record.campaign.id in self.campaigns
        return True


def changed_stories(before: SiteView, after: SiteView) -> set[str]:
    """Stories added, removed or edited, and those whose draft/scheduled status flipped."""
    old, new = before.story_by_id, after.story_by_id
    changed = set(old.keys() ^ new.keys())
    for story_id, story in new.items():
        previous = old.get(story_id)
        if previous is not None and previous is not story and previous != story:
            changed.add(story_id)
    if before.now != after.now:
        changed.update(s.id for s in after.stories if s.status(before.now) != s.status(after.now))
    return changed


def impact(before: SiteView, after: SiteView, changed: set[str]) -> Impact:
    """The pages of ``after`` that may differ from ``before`` when ``changed`` stories changed.

    A story's page shows its neighbours in the campaign, its related stories and links
    in its body; a listing shows its section's stories. Each is looked up on both sides,
    so a story leaving a section or a neighbour's slot is covered too."""
    result = Impact()
    moved_files: set[str] = set()
    for view in (before, after):
        for story_id in changed:
            story = view.story_by_id.get(story_id)
            if story is None:
                continue
            result.stories.add(story_id)
            neighbours = view.neighbours.get(story_id)
            if neighbours is not None:
                result.stories.update(s.id for s in (neighbours.previous, neighbours.next) if s is not None)
            result.stories |= view.related_index.nearby(story)
            result.sections.update(view.sections_of(story))
            if story.campaign:
                result.campaigns.add(story.campaign)
            other = (after if view is before else before).story_by_id.get(story_id)
            if other is None or other.url != story.url:
                moved_files.add(PurePosixPath(story.source).name)
    result.moved = bool(moved_files)
    if moved_files:  # a body link to a moved story now points elsewhere
        linking = (s for s in after.stories if s.may_link)  # a body without a link mark links to no file
        result.stories.update(s.id for s in linking if any(name in s.body for name in moved_files))
    titles = {(section.kind, section.key): section.title for items in before.sections.values() for section in items}
    for items in after.sections.values():
        for section in items:
            where = (section.kind, section.key)
            if where in result.sections and titles.get(where, section.title) != section.title:
                # a section named after its newest story's spelling: its feed title is on every member's page
                result.stories.update(story.id for story in section.stories)
    for live_id in before.live_entries.keys() | after.live_entries.keys():
        # a live page's entry (title, times, whether live) is on its campaign's timeline; its updates are not
        entries = [view.live_entries.get(live_id) for view in (before, after)]
        if entries[0] != entries[1]:
            pages = [view.content.live.get(live_id) for view in (before, after)]
            result.campaigns.update(page.campaign for page in pages if page is not None and page.campaign)
    result.stories &= after.story_by_id.keys()
    present = {(section.kind, section.key) for items in after.sections.values() for section in items}
    result.sections &= present
    return result
