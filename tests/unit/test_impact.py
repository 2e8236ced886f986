"""The pages a preview re-keys after a save include every page whose data changed.

Compared with brute force: every page's record (its cache key's input) is digested before and after a
random edit, and each page whose digest changed must be reached by the impact."""

from __future__ import annotations

import dataclasses
import functools
import random
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.build.fingerprint import Fingerprinter
from frontline.config.settings import Settings
from frontline.content.model import Content, Story
from frontline.views.impact import changed_stories, impact
from frontline.views.pages import CampaignPage, ListingPage, StoryPage
from frontline.views.site import SiteView
from tests.unit.test_views import AUTHORS, CAMPAIGN, SITE, make_story

PLACES = ["Bắc Giang", "Đà Nẵng", "Hà Nội", "Bình Dương"]
TAGS = ["y tế", "công an", "xét nghiệm", "tiêm chủng", "chốt kiểm dịch", "hậu cần"]
START = datetime.fromisoformat("2021-05-01T08:00:00+07:00")
NOW = datetime.fromisoformat("2021-06-15T12:00:00+07:00")


def _archive(count: int = 150) -> list:
    rng = random.Random(7)
    return [
        make_story(
            f"s{n:03d}",
            (START + timedelta(hours=7 * n)).isoformat(),
            location=rng.choice(PLACES),
            tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
            campaign="bg" if rng.random() < 0.6 else None,
            body=f"Xem [bài trước](s{n - 1:03d}.md)." if n % 10 == 0 and n else "",
        )
        for n in range(count)
    ]


def _view(stories: list) -> SiteView:
    content = Content(sorted(stories, key=lambda s: (s.date, s.id), reverse=True), {"bg": CAMPAIGN}, AUTHORS)
    return SiteView(content, NOW, Settings(site=SITE, per_page=3), preview=True)


def _page_digests(view: SiteView) -> dict[str, str]:
    """Every keyed page's record digested as the build keys it (``frontline.views.pages``), by ``src_uri``."""
    digest = Fingerprinter(whole=(Story,)).digest
    return {
        record.src_uri: digest(record)
        for record in view.pages
        if isinstance(record, StoryPage | ListingPage | CampaignPage)
    }


@functools.cache
def _before() -> tuple[list, SiteView, dict[str, str]]:
    """The archive before any edit, its view and its pages' digests: the same in every example, so made once (a
    view only computes what it is asked, once, so a view already digested answers as a fresh one would)."""
    stories = _archive()
    view = _view(stories)
    return stories, view, _page_digests(view)


EDITS = st.sampled_from(["title", "date", "place", "tags", "campaign", "draft", "remove", "add", "slug"])


def _edit(stories: list, kind: str, index: int, value: int) -> list:
    stories = list(stories)
    story = stories[index % len(stories)]
    if kind == "remove":
        stories.remove(story)
        return stories
    if kind == "add":
        # A new story has an id of its own (the loader refuses two stories of one id).
        story_id = f"moi{value}"
        return [*stories, make_story(story_id, (START + timedelta(hours=value % 1000)).isoformat(), location="Cần Thơ")]
    changes = {
        "title": {"title": f"Tiêu đề mới {value}"},
        "date": {"date": START + timedelta(hours=value % 1000)},
        "place": {"location": PLACES[value % 4] if value % 5 else "Cần Thơ"},
        "tags": {"tags": tuple(TAGS[: value % 4])},
        "campaign": {"campaign": None if story.campaign else "bg"},
        "draft": {"draft": not story.draft},
        "slug": {"slug": f"duong-dan-moi-{value}"},
    }[kind]
    stories[stories.index(story)] = dataclasses.replace(story, **changes)
    return stories


@settings(max_examples=60, deadline=None)
@given(kinds=st.lists(EDITS, min_size=1, max_size=3), index=st.integers(0, 10_000), value=st.integers(0, 10_000))
def test_impact_covers_every_page_whose_inputs_changed(kinds, index, value):
    before_stories, before, old = _before()
    after_stories = before_stories
    for step, kind in enumerate(kinds):
        after_stories = _edit(after_stories, kind, index + 37 * step, value + step)
    after = _view(after_stories)
    reach = impact(before, after, changed_stories(before, after))

    new = _page_digests(after)
    changed = [after.by_src_uri[uri] for uri, d in new.items() if old.get(uri) != d]
    assert [record.src_uri for record in changed if not reach.reaches(record)] == []
    # A preview rebuild ranks related stories again only where the change reached: its records are the same.
    reused = _view(after_stories)
    reused.reuse_related(before, unless=reach.stories)
    assert _page_digests(reused) == new


def test_a_title_edit_reaches_a_few_pages_not_the_archive():
    stories = _archive()
    before = _view(stories)
    after = _view(_edit(stories, "title", 75, 1))
    reach = impact(before, after, changed_stories(before, after))
    assert "s075" in reach.stories
    assert len(reach.stories) < len(stories) // 2
