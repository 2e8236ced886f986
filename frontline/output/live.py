"""A live page's files besides its page: RSS, Atom and JSON Feed of its updates, and ``updates.json``, which the
page's script polls. Text is escaped as in the site's other feeds (``frontline.output.feed_documents``); the
updates' HTML is the page's own, cleaned by the build's allowlist."""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable, Collection
from html import escape
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator

from frontline.config.settings import SiteInfo
from frontline.content import urls
from frontline.content.dates import format_date_vi, format_time
from frontline.content.model import Author, LivePage, LiveUpdate
from frontline.content.summaries import leading_words
from frontline.output.feed_documents import FEED_GENERATOR, with_icon
from frontline.output.files import _write
from frontline.output.html import absolutize_links
from frontline.views.feeds import FeedChannel
from frontline.views.live import live_page_guid, update_guid
from frontline.views.site import SiteView

UPDATES_FORMAT = 1


def _headline(update: LiveUpdate) -> str:
    """An update's title, or its first words when it has none (feed readers list items by title)."""
    return update.title or leading_words(update.body, 16)


def live_feeds(
    page: LivePage,
    channel: FeedChannel,
    site: SiteInfo,
    authors: dict[str, Author],
    html_of: Callable[[LiveUpdate], str],
) -> tuple[bytes, bytes]:
    """``(rss, atom)`` of the page's updates, newest first; each item's id is ``update_guid``, stable."""
    rss = _feed(page, channel, site, authors, html_of, rss=True).rss_str(pretty=True)
    atom = _feed(page, channel, site, authors, html_of, rss=False).atom_str(pretty=True)
    return rss, atom


def _feed(
    page: LivePage,
    channel: FeedChannel,
    site: SiteInfo,
    authors: dict[str, Author],
    html_of: Callable[[LiveUpdate], str],
    *,
    rss: bool,
) -> FeedGenerator:
    """RSS titles and descriptions are read as HTML, so text goes there escaped; Atom's are text as given."""
    text = escape if rss else str
    generator = FeedGenerator()
    page_url = site.absolute(page.url)
    generator.id(live_page_guid(page.id, site))
    generator.title(text(channel.title))
    generator.description(text(page.summary))
    if not rss:
        generator.subtitle(page.summary)
    generator.language(site.language)
    generator.generator(FEED_GENERATOR)
    generator.updated(page.last_modified)
    for update in page.updates:
        entry = generator.add_entry(order="append")
        entry.guid(update_guid(page, update, site), permalink=False)
        entry.title(text(_headline(update)))
        entry.link(href=site.absolute(urls.live_update_url(page.id, update.id)), rel="alternate")
        # As a story's entry: its words as text (Atom <summary>, escaped in the RSS <description>), its HTML as
        # content (content:encoded in RSS). feedgen sets the RSS description from the summary too: set after.
        words = leading_words(update.body, 60)
        entry.summary(words, type="text")
        entry.description(escape(words), isSummary=False)
        entry.content(absolutize_links(html_of(update), page_url), type="html")
        entry.published(update.time)
        entry.updated(update.time)
        for author_id in update.authors:
            entry.author(name=authors[author_id].name, uri=site.absolute(authors[author_id].url))
    # feedgen takes the RSS <link> from the last link added: the page, after the self link.
    generator.link(href=site.absolute(channel.rss_path if rss else channel.atom_path), rel="self")
    generator.link(href=page_url, rel="alternate")
    with_icon(generator, site)
    return generator


def live_json_feed(
    page: LivePage,
    channel: FeedChannel,
    site: SiteInfo,
    authors: dict[str, Author],
    html_of: Callable[[LiveUpdate], str],
) -> bytes:
    """JSON Feed 1.1 of the page's updates."""
    page_url = site.absolute(page.url)
    items = []
    for update in page.updates:
        item: dict[str, Any] = {
            "id": update_guid(page, update, site),
            "url": site.absolute(urls.live_update_url(page.id, update.id)),
            "title": _headline(update),
            "content_html": absolutize_links(html_of(update), page_url),
            "date_published": update.time.isoformat(),
            "authors": [{"name": authors[a].name, "url": site.absolute(authors[a].url)} for a in update.authors],
            "language": site.language,
        }
        if update.image:
            item["image"] = site.absolute(update.image.site_path)
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel.title,
        "description": page.summary,
        "home_page_url": page_url,
        "feed_url": site.absolute(urls.json_feed_url(page.url)),
        "language": site.language,
        "items": items,
    }
    if site.icon:
        feed["icon"] = feed["favicon"] = site.icon_url
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


def updates_json(
    page: LivePage, is_live: bool, authors: dict[str, Author], html_of: Callable[[LiveUpdate], str]
) -> bytes:
    """What the page's script polls: whether coverage goes on, and every shown update newest first, with the
    HTML and the texts the page prints for it (times in Vietnam time, as on the page). ``digest`` changes exactly
    when the updates do. Paths are relative to the page, which is where the script uses them."""
    updates = []
    for update in page.updates:
        item: dict[str, Any] = {
            "id": update.id,
            "anchor": update.anchor,
            "time": update.time.isoformat(),
            "clock": format_time(update.time),
            "day": format_date_vi(update.time),
            "title": update.title,
            "pinned": update.pinned,
            "authors": [authors[a].name for a in update.authors],
            "html": html_of(update),
        }
        if update.image:
            item["image"] = {
                "src": posixpath.relpath(update.image.site_path, page.url),
                "alt": update.image.alt,
                "caption": update.image.caption,
            }
        updates.append(item)
    digest = hashlib.blake2b(json.dumps(updates, sort_keys=True).encode("utf-8"), digest_size=12).hexdigest()
    data = {"format": UPDATES_FORMAT, "id": page.id, "live": is_live, "digest": digest, "updates": updates}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def write_live_outputs(
    view: SiteView, site_dir: Path, html_of: Callable[[LiveUpdate], str], unchanged: Collection[str] = ()
) -> list[Path]:
    """Each shown live page's feeds and ``updates.json``, but those of the pages in ``unchanged`` (ids: the site
    folder holds them as they would be written)."""
    site, authors = view.settings.site, view.content.authors
    written = []
    for page in view.live_pages:
        if page.id in unchanged:
            continue
        channel = view.live_channels[page.id]
        rss, atom = live_feeds(page, channel, site, authors, html_of)
        written += [
            _write(site_dir, channel.rss_path, rss),
            _write(site_dir, channel.atom_path, atom),
            _write(site_dir, urls.json_feed_url(page.url), live_json_feed(page, channel, site, authors, html_of)),
            _write(
                site_dir,
                urls.live_updates_url(page.id),
                updates_json(page, page.is_live(view.now), authors, html_of),
            ),
        ]
    return written
