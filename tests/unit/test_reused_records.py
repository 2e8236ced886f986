"""A preview rebuild takes the last build's records of the pages a save did not reach (story pages, campaign pages
with their timeline and chart): the records it ends with must be those a fresh view makes, page for page."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.content.model import Content
from frontline.views.impact import changed_stories, impact
from frontline.views.pages import CampaignPage, ListingPage
from frontline.views.related import placements_digest
from frontline.views.site import SiteView
from tests.unit.test_impact import EDITS, NOW, PLACES, START, _edit, _page_digests
from tests.unit.test_views import AUTHORS, CAMPAIGN, make_story
from tests.unit.test_views import SITE as SITE_INFO

CAMPAIGNS = {
    "bg": CAMPAIGN,
    "dn": dataclasses.replace(CAMPAIGN, id="dn", source="docs/campaigns/dn.md", title="Đà Nẵng", milestones=()),
    "hn": dataclasses.replace(CAMPAIGN, id="hn", source="docs/campaigns/hn.md", title="Hà Nội", phases=()),
}


def _archive(count: int = 120) -> list:
    rng = random.Random(11)
    return [
        make_story(
            f"s{n:03d}",
            (START + timedelta(hours=7 * n)).isoformat(),
            location=rng.choice(PLACES),
            campaign=rng.choice([None, "bg", "dn", "hn"]),
        )
        for n in range(count)
    ]


def _view(stories: list, now=NOW) -> SiteView:
    from frontline.config.settings import Settings

    content = Content(sorted(stories, key=lambda s: (s.date, s.id), reverse=True), CAMPAIGNS, AUTHORS)
    return SiteView(content, now, Settings(site=SITE_INFO, per_page=3), preview=True)


def _rebuilt(before: SiteView, stories: list, now=NOW) -> tuple[SiteView, set[str]]:
    """A view of ``stories`` made as a preview's rebuild makes it after ``before``; and the campaigns reached."""
    after = _view(stories, now)
    changed = changed_stories(before, after)
    after.adopt_placement(before, changed)
    reach = impact(before, after, changed)
    after.reuse_related(before, unless=reach.stories)
    after.reuse_story_pages(before, unless=reach.stories)
    after.reuse_campaign_pages(before, unless=reach.campaigns)
    return after, reach.campaigns


@settings(max_examples=60, deadline=None)
@given(kinds=st.lists(EDITS, min_size=1, max_size=3), index=st.integers(0, 10_000), value=st.integers(0, 10_000))
def test_records_reused_after_an_edit_are_those_a_fresh_view_makes(kinds, index, value):
    stories = _archive()
    before = _view(stories)
    before.pages  # the last build made every record  # noqa: B018
    edited = stories
    for step, kind in enumerate(kinds):
        edited = _edit(edited, kind, index + 37 * step, value + step)
    reused, _ = _rebuilt(before, edited)
    assert _page_digests(reused) == _page_digests(_view(edited))


def _campaign_records(view: SiteView) -> dict[str, CampaignPage]:
    return {record.campaign.id: record for record in view.pages if isinstance(record, CampaignPage)}


def test_an_edit_outside_a_campaign_keeps_its_record_and_one_inside_makes_it_again():
    stories = _archive()
    before = _view(stories)
    kept_before = _campaign_records(before)
    target = next(story for story in stories if story.campaign == "dn")
    edited = [dataclasses.replace(s, title="Tiêu đề mới") if s is target else s for s in stories]
    after, reached = _rebuilt(before, edited)
    records = _campaign_records(after)
    assert reached == {"dn"}
    assert records["bg"] is kept_before["bg"] and records["hn"] is kept_before["hn"]
    assert records["dn"] is not kept_before["dn"]
    assert "Tiêu đề mới" in {entry.story.title for entry in records["dn"].timeline.entries if entry.story}


def test_a_new_day_makes_every_campaign_record_again():
    stories = _archive()
    before = _view(stories)
    kept_before = _campaign_records(before)
    after, _ = _rebuilt(before, stories, now=NOW + timedelta(days=1))
    assert all(record is not kept_before[campaign] for campaign, record in _campaign_records(after).items())


def test_a_save_that_moves_no_story_takes_the_sections_and_related_index_with_the_new_story_in_them():
    stories = _archive()
    before = _view(stories)
    before.pages  # noqa: B018
    target = stories[40]
    edited = [dataclasses.replace(s, title="Tiêu đề mới", summary="Tóm tắt mới") if s is target else s for s in stories]
    after, _ = _rebuilt(before, edited)
    fresh = _view(edited)
    assert after.sections == fresh.sections
    new = after.story_by_id[target.id]
    assert any(new in section.stories for items in after.sections.values() for section in items)
    assert not any(target in section.stories for items in after.sections.values() for section in items)
    untouched = [s for s in before.sections["month"] if target not in s.stories]
    assert untouched and all(any(s is t for t in after.sections["month"]) for s in untouched)  # taken, not made
    for story in after.stories:
        assert after.related_index.related(story) == fresh.related_index.related(story)
    assert _page_digests(after) == _page_digests(fresh)
    listings = {r.url: r for r in before.pages if isinstance(r, ListingPage)}
    kept = [r for r in after.pages if isinstance(r, ListingPage) and r is listings.get(r.url)]
    made = [r for r in after.pages if isinstance(r, ListingPage) and r is not listings.get(r.url)]
    assert kept and made  # the listings of the story's sections are made again, the others taken
    assert all(target.id in {s.id for s in r.stories} or (r.kind, r.key) in after.sections_of(target) for r in made)


def test_a_save_that_moves_a_story_groups_the_sections_again():
    stories = _archive()
    before = _view(stories)
    before.pages  # noqa: B018
    target = stories[40]
    edited = [dataclasses.replace(s, location="Cần Thơ") if s is target else s for s in stories]
    after, _ = _rebuilt(before, edited)
    assert not any(s is t for s in before.sections["month"] for t in after.sections["month"])
    assert after.sections == _view(edited).sections
    assert _page_digests(after) == _page_digests(_view(edited))


def test_the_related_lists_digest_follows_what_places_a_story_not_its_words():
    stories = _archive()
    digest = placements_digest(stories)
    target = stories[40]
    worded = [dataclasses.replace(s, title="Tiêu đề mới", summary="Tóm tắt mới") if s is target else s for s in stories]
    assert placements_digest(worded) == digest
    for change in (
        {"location": "Cần Thơ"},
        {"tags": ("xét nghiệm",)},
        {"campaign": "dn" if target.campaign != "dn" else "hn"},
        {"date": START},
    ):
        moved = [dataclasses.replace(s, **change) if s is target else s for s in stories]
        assert placements_digest(moved) != digest, change
    assert placements_digest(stories[1:]) != digest


def test_kept_related_lists_are_taken_only_in_the_shape_the_index_makes_them():
    stories = _archive()
    chosen = _view(stories)
    chosen.pages  # noqa: B018
    kept = chosen.related_ids()
    assert kept is not None and len(kept) == len(stories)
    a, b, c = (s.id for s in stories[:3])
    d = next(s for s in stories if len(kept[s.id]) > 1)
    crafted = {
        **kept,
        a: [a, b],  # the story itself
        b: [a, c, a],  # twice the same
        c: [s.id for s in stories[3:10]],  # more than a page lists
        d.id: kept[d.id][::-1],  # a list in the index's shape: taken as it is
    }
    view = _view(stories)
    view.take_related(crafted)
    fresh = _view(stories)
    for story in stories:
        if story is not d:
            assert view.related(story) == fresh.related(story), story.id  # misshapen lists are ranked again
    assert [s.id for s in view.related(d)] == kept[d.id][::-1]
