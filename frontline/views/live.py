"""Live pages as the rest of the site sees them: an entry on timelines and the home page, feed identities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frontline.config.settings import SiteInfo
from frontline.content.model import LivePage, LiveUpdate


@dataclass(frozen=True, slots=True)
class LiveEntry:
    """A live page where another page lists it (its campaign's timeline, the home page): no updates, so that a new
    update leaves those pages' keys alone; ``live`` is whether it was live at the build's "now"."""

    id: str
    title: str
    url: str
    summary: str
    start: datetime
    end: datetime | None
    location: str | None
    live: bool


def live_entry(page: LivePage, now: datetime) -> LiveEntry:
    live = page.is_live(now)
    return LiveEntry(page.id, page.title, page.url, page.summary, page.start, page.end, page.location, live)


def update_guid(page: LivePage, update: LiveUpdate, site: SiteInfo) -> str:
    """An update's feed identity: the live page's id and the update file's name, never its text or time, so an
    edited update stays one item (a ``tag:`` URI, like a story's)."""
    return f"tag:{site.authority},{site.id_date}:live/{page.id}/{update.id}"


def live_page_guid(live_id: str, site: SiteInfo) -> str:
    """A live page's own feed identity (its feed's id, and its item in the site's feeds)."""
    return f"tag:{site.authority},{site.id_date}:live/{live_id}"
