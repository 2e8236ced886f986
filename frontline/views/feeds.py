"""The site's feeds as the content model sees them: channels, their links and each story's feed identity.
The RSS and Atom documents are made in ``frontline.output.feed_documents``, so that feedgen and lxml, slow to
import, are imported only at the build's end, when they are written."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from frontline.config.settings import SiteInfo
from frontline.content import urls
from frontline.content.model import Story
from frontline.views.live import LiveEntry


@functools.lru_cache(maxsize=1 << 16)
@dataclass(frozen=True, slots=True)
class FeedChannel:
    """One feed, published as RSS and Atom beside the page it follows (``urls.rss_url``, ``urls.atom_url``)."""

    key: str
    title: str
    description: str
    page_url: str
    """Site-relative URL of the page the feed follows ('' for the home page)."""
    stories: tuple[Story, ...]
    live: tuple[LiveEntry, ...] = ()
    """Live pages the feed carries as one item each (the site's feeds), beside its stories."""

    @property
    def rss_path(self) -> str:
        return self.link.rss_path

    @property
    def atom_path(self) -> str:
        return self.link.atom_path

    @property
    def link(self) -> FeedLink:
        """What a page needs to point at this feed (and nothing that changes with its items)."""
        return FeedLink(self.title, self.page_url)


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A page's pointer to a feed: ``<link rel="alternate">`` and "follow" links."""

    title: str
    page_url: str

    @property
    def rss_path(self) -> str:
        return urls.rss_url(self.page_url)

    @property
    def atom_path(self) -> str:
        return urls.atom_url(self.page_url)


def story_guid(story: Story, site: SiteInfo) -> str:
    """The feed identity of a story: its ``id`` when that is a URI, else a ``tag:`` URI of it.

    It never depends on the title, slug, date or domain, so an edited story stays one item."""
    if ":" in story.id.split("/")[0]:
        return story.id
    return f"tag:{site.authority},{site.id_date}:{story.id}"


def channel_updated(channel: FeedChannel, fallback: datetime) -> datetime:
    moments = [story.last_modified for story in channel.stories] + [entry.start for entry in channel.live]
    return max(moments, default=fallback)
