"""The pages the search index holds besides stories: campaigns, live pages and the pages of docs/ (the reporters'
guide, the about page…). Each is one small record, as a story is (``overrides/search-record.html``): its title, its
kind, the first words of its text. Stories are ``Story`` records themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from frontline.content.model import Campaign, LivePage
from frontline.content.summaries import leading_words

STORY_KIND = "Bài viết"
CAMPAIGN_KIND = "Chiến dịch"
LIVE_KIND = "Trực tiếp"
PAGE_KIND = "Trang"


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """A page of the index that is not a story: ``url`` site-relative, ``text`` its first words as plain text."""

    kind: str
    url: str
    title: str
    text: str
    summary: str = ""
    date: date | None = None
    campaign: str | None = None
    """The campaign's id, for the campaign filter (a campaign's own page is in its campaign)."""


def campaign_entry(campaign: Campaign, intro_markdown: str, words: int) -> SearchEntry:
    return SearchEntry(
        CAMPAIGN_KIND,
        campaign.url,
        campaign.title,
        leading_words(intro_markdown, words),
        campaign.summary,
        campaign.start,
        campaign.id,
    )


def page_entry(url: str, title: str, markdown: str, words: int, summary: str = "") -> SearchEntry:
    return SearchEntry(PAGE_KIND, url, title, leading_words(markdown, words), summary)


def live_entry(page: LivePage, words: int) -> SearchEntry:
    """A live page's record: its pinned updates, then the others from the first, so that an update added to the
    page (newest, unpinned) leaves the record, and the index built from it, as they were."""
    pinned = [update.body for update in page.updates if update.pinned]
    others = [update.body for update in reversed(page.updates) if not update.pinned]
    return SearchEntry(
        LIVE_KIND,
        page.url,
        page.title,
        leading_words("\n\n".join([*pinned, *others]), words),
        page.summary,
        page.start.date(),
    )
