"""The site's feeds as the content model sees them: channels, their links and each story's feed identity.
The RSS and Atom documents are made in ``frontline.views.feed_documents``, which imports feedgen and lxml
(30 ms) only for the build's end, when they are written."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from frontline import urls
from frontline.model import Story


@functools.lru_cache(maxsize=1 << 16)
def _join(base: str, path: str) -> str:
    return urljoin(base, path)


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What feeds need to know about the site. ``url`` ends with a slash."""

    url: str
    name: str
    description: str = ""
    language: str = "vi"
    id_authority: str = ""
    """Authority of the ``tag:`` URIs used as feed ids; keep it when the domain changes."""
    id_date: str = "2020"
    hub: str = ""
    """The WebSub hub the feeds name (``extra.frontline.websub_hub``), where readers may subscribe; '' for none."""

    def absolute(self, path: str) -> str:
        return _join(self.url, path)

    @property
    def authority(self) -> str:
        return self.id_authority or urlsplit(self.url).hostname or "localhost"


@dataclass(frozen=True, slots=True)
class FeedChannel:
    """One feed, published as RSS and Atom beside the page it follows (``urls.rss_url``, ``urls.atom_url``)."""

    key: str
    title: str
    description: str
    page_url: str
    """Site-relative URL of the page the feed follows ('' for the home page)."""
    stories: tuple[Story, ...]

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
    return max((story.last_modified for story in channel.stories), default=fallback)
