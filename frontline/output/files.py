"""Writing the build's non-page outputs (feeds, exports) into the site folder."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from frontline.build.paths import inside_site
from frontline.build.precompress import gzip_bytes
from frontline.content import urls
from frontline.content.model import Story
from frontline.output.exports import (
    SITEMAP_LIMIT,
    json_feed,
    news_sitemap,
    opml,
    robots_txt,
    sitemap_files,
    timelinejs,
)
from frontline.output.feed_documents import FeedEntries, render_feed
from frontline.views.feeds import FeedChannel
from frontline.views.site import SiteView


def _write(site_dir: Path, relative: str, payload: bytes) -> Path:
    target = Path(inside_site(site_dir, relative))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # it may be a link to a cache entry (an earlier feed): never write through it
    target.write_bytes(payload)
    return target


def feed_entries(view: SiteView, html_of: Callable[[Story], str]) -> FeedEntries:
    """The stories' feed entries for every channel written in one build."""
    return FeedEntries(view.settings.site, view.content.authors, view.campaigns, html_of)


def write_channel(view: SiteView, site_dir: Path, channel: FeedChannel, entries: FeedEntries) -> list[Path]:
    """One channel's RSS and Atom files."""
    rss, atom = render_feed(channel, entries, view.feeds_updated)
    return [_write(site_dir, channel.rss_path, rss), _write(site_dir, channel.atom_path, atom)]


def write_feed_lists(view: SiteView, site_dir: Path, html_of: Callable[[Story], str]) -> list[Path]:
    """The site's JSON Feed and the OPML list of every feed."""
    site = view.settings.site
    return [
        _write(site_dir, urls.SITE_JSON_FEED, json_feed(view.site_channel, site, view.content.authors, html_of)),
        _write(site_dir, urls.OPML, opml(view.channel_groups, site, view.feeds_updated)),
    ]


def write_exports(
    view: SiteView, site_dir: Path, campaigns: Collection[str] | None = None, left: Collection[str] = ()
) -> list[Path]:
    """The Google News sitemap, robots.txt and each campaign's TimelineJS file (or only those of ``campaigns``),
    but those of the campaigns ``left`` as the site folder holds them."""
    site = view.settings.site
    written = [
        _write(site_dir, urls.NEWS_SITEMAP, news_sitemap(view.stories, site, view.now, view.live_pages)),
        _write(site_dir, urls.ROBOTS, robots_txt(site)),
    ]
    for campaign in view.campaigns.values():
        if (campaigns is not None and campaign.id not in campaigns) or campaign.id in left:
            continue
        written.append(_write(site_dir, campaign.timeline_url, timelinejs(view.timeline(campaign.id), site)))
    return written


def write_sitemaps(
    view: SiteView, site_dir: Path, entries: Sequence[tuple[str, str]], per_file: int = SITEMAP_LIMIT
) -> list[Path]:
    """The sitemap of every page (an index of parts past ``per_file`` pages), ``sitemap.xml`` with its gzip twin
    (reproducible: no timestamp inside). Parts a kept site folder holds from an earlier build are removed."""
    files = sitemap_files(entries, view.settings.site, per_file)
    written = [_write(site_dir, relative, payload) for relative, payload in files.items()]
    # The twin the precompression would make, so that it keeps this one.
    written.append(_write(site_dir, urls.SITEMAP_GZ, gzip_bytes(files[urls.SITEMAP])))
    parts = site_dir / urls.SITEMAP_PARTS
    if parts.is_dir():
        for stale in set(parts.iterdir()) - set(written):
            stale.unlink()
        if not any(parts.iterdir()):
            parts.rmdir()
    return written
