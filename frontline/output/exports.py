"""Machine-readable exports: JSON Feed, OPML, Google News sitemap, robots.txt, TimelineJS."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape
from typing import Any

from lxml import etree

from frontline.config.settings import SiteInfo
from frontline.content import urls
from frontline.content.model import Author, Campaign, LivePage, Story
from frontline.content.slugs import slugify_vi
from frontline.views.feeds import FeedChannel, story_guid
from frontline.views.live import live_page_guid
from frontline.views.site import NEWS_SITEMAP_WINDOW
from frontline.views.timeline import Timeline

NEWS_SITEMAP_LIMIT = 1000


def json_feed(
    channel: FeedChannel, site: SiteInfo, authors: dict[str, Author], html_of: Callable[[Story], str]
) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    items = []
    for story in channel.stories:
        item: dict[str, Any] = {
            "id": story_guid(story, site),
            "url": site.absolute(story.url),
            "title": story.title,
            "content_html": html_of(story),
            "summary": story.summary,
            "date_published": story.date.isoformat(),
            "date_modified": story.last_modified.isoformat(),
            "authors": [{"name": authors[a].name, "url": site.absolute(authors[a].url)} for a in story.authors],
            "tags": list(story.tags),
            "language": site.language,
        }
        if story.image:
            item["image"] = site.absolute(story.image.site_path)
        items.append(item)
    for live in channel.live:
        items.append(
            {
                "id": live_page_guid(live.id, site),
                "url": site.absolute(live.url),
                "title": live.title,
                "summary": live.summary,
                "content_text": live.summary,
                "date_published": live.start.isoformat(),
                "language": site.language,
            }
        )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel.title,
        "description": channel.description,
        "home_page_url": site.absolute(channel.page_url),
        "feed_url": site.absolute(urls.json_feed_url(channel.page_url)),
        "language": site.language,
        "items": items,
    }
    if site.icon:
        feed["icon"] = feed["favicon"] = site.icon_url  # square (checked), as JSON Feed asks of both
    if site.hub:
        feed["hubs"] = [{"type": "WebSub", "url": site.hub}]
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


def opml(groups: Sequence[tuple[str, Sequence[FeedChannel]]], site: SiteInfo, generated: datetime) -> bytes:
    """An OPML 2.0 subscription list: one outline per group, one RSS feed per channel."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = f"Nguồn tin {site.name}"
    etree.SubElement(head, "dateCreated").text = generated.strftime("%a, %d %b %Y %H:%M:%S %z")
    body = etree.SubElement(root, "body")
    for label, channels in groups:
        group = etree.SubElement(body, "outline", text=label, title=label)
        for channel in channels:
            etree.SubElement(
                group,
                "outline",
                type="rss",
                text=channel.title,
                title=channel.title,
                xmlUrl=site.absolute(channel.rss_path),
                htmlUrl=site.absolute(channel.page_url),
                language=site.language,
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def news_sitemap(stories: Sequence[Story], site: SiteInfo, now: datetime, live: Sequence[LivePage] = ()) -> bytes:
    """Google News sitemap: stories published in the two days before ``now``, and live pages started then or still
    live (an article Google News shows as live while it is updated), newest first, at most 1,000."""
    sitemap_ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    news_ns = "http://www.google.com/schemas/sitemap-news/0.9"
    root = etree.Element(f"{{{sitemap_ns}}}urlset", nsmap={None: sitemap_ns, "news": news_ns})
    since = now - NEWS_SITEMAP_WINDOW
    # Up to, not at, the window's end: what a build shows changes at a moment (``SiteView.next_change``).
    recent = [(story.date, story.url, story.title) for story in stories if since < story.date <= now]
    recent += [(page.start, page.url, page.title) for page in live if since < page.start <= now or page.is_live(now)]
    recent.sort(key=lambda item: item[0], reverse=True)  # stable: stories come newest first, as given
    for published, address, title in recent[:NEWS_SITEMAP_LIMIT]:
        url = etree.SubElement(root, f"{{{sitemap_ns}}}url")
        etree.SubElement(url, f"{{{sitemap_ns}}}loc").text = site.absolute(address)
        news = etree.SubElement(url, f"{{{news_ns}}}news")
        publication = etree.SubElement(news, f"{{{news_ns}}}publication")
        etree.SubElement(publication, f"{{{news_ns}}}name").text = site.name
        etree.SubElement(publication, f"{{{news_ns}}}language").text = site.language
        etree.SubElement(news, f"{{{news_ns}}}publication_date").text = published.isoformat()
        etree.SubElement(news, f"{{{news_ns}}}title").text = title
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


SITEMAP_LIMIT = 50_000
"""URLs one sitemap file may list (the sitemaps protocol's limit, which search engines enforce)."""
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(entries: Sequence[tuple[str, str]], site: SiteInfo) -> bytes:
    """An ordinary sitemap: ``(site-relative URL, lastmod date)`` for each page."""
    return _sitemap_xml("urlset", "url", entries, site)


def sitemap_files(
    entries: Sequence[tuple[str, str]], site: SiteInfo, per_file: int = SITEMAP_LIMIT
) -> dict[str, bytes]:
    """Site-relative path → content of the sitemap files for every page: ``sitemap.xml`` listing them all,
    or, past ``per_file`` pages (tens of thousands of stories), ``sitemap.xml`` as a sitemap index of
    ``sitemaps/sitemap-N.xml`` files. Either way robots.txt and search consoles point at ``sitemap.xml``."""
    if len(entries) <= per_file:
        return {urls.SITEMAP: sitemap(entries, site)}
    parts = [entries[start : start + per_file] for start in range(0, len(entries), per_file)]
    names = [urls.sitemap_part_url(number) for number in range(1, len(parts) + 1)]
    files = {name: sitemap(part, site) for name, part in zip(names, parts, strict=True)}
    newest = [max(lastmod for _, lastmod in part) for part in parts]
    files[urls.SITEMAP] = _sitemap_xml("sitemapindex", "sitemap", list(zip(names, newest, strict=True)), site)
    return files


def _sitemap_xml(root_tag: str, item_tag: str, entries: Sequence[tuple[str, str]], site: SiteInfo) -> bytes:
    root = etree.Element(f"{{{_SITEMAP_NS}}}{root_tag}", nsmap={None: _SITEMAP_NS})
    for path, lastmod in entries:
        item = etree.SubElement(root, f"{{{_SITEMAP_NS}}}{item_tag}")
        etree.SubElement(item, f"{{{_SITEMAP_NS}}}loc").text = site.absolute(path)
        etree.SubElement(item, f"{{{_SITEMAP_NS}}}lastmod").text = lastmod
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def robots_txt(site: SiteInfo) -> bytes:
    lines = ["User-agent: *", "Allow: /", "", f"Sitemap: {site.absolute(urls.SITEMAP)}"]
    lines.append(f"Sitemap: {site.absolute(urls.NEWS_SITEMAP)}")
    return ("\n".join(lines) + "\n").encode("ascii")


def _timeline_date(moment: datetime, has_time: bool = True) -> dict[str, Any]:
    date = {"year": moment.year, "month": moment.month, "day": moment.day}
    if has_time:
        date.update(hour=moment.hour, minute=moment.minute)
    return date


def _unique_id(first: str, second: str, used: set[str]) -> str:
    """An event's ``unique_id`` (TimelineJS's slide id and the address's ``#event-…``): ``first``, else ``second``
    when another event holds it, else ``second`` numbered."""
    chosen, number = (first if first not in used else second), 2
    while chosen in used:
        chosen, number = f"{second}-{number}", number + 1
    used.add(chosen)
    return chosen


def timelinejs(timeline: Timeline, site: SiteInfo) -> bytes:
    """TimelineJS3 JSON: stories and milestones as events, phases as eras.

    TimelineJS puts ``headline``, ``text``, ``group`` and the media's ``caption`` and ``alt`` into the page as HTML,
    so every text is escaped here."""
    campaign: Campaign = timeline.campaign
    events = []
    used: set[str] = set()
    for entry in timeline.entries:
        event: dict[str, Any] = {"start_date": _timeline_date(entry.moment, entry.has_time)}
        if entry.story:
            story = entry.story
            event["text"] = {"headline": escape(story.title), "text": escape(story.summary)}
            event["unique_id"] = _unique_id(story.slug, f"{story.slug}-{story.date:%Y-%m}", used)
            event["group"] = escape(story.location or "")
            if story.image:  # TimelineJS shows a media's url as what it is: an image, never the story's page
                event["media"] = {
                    "url": site.absolute(story.image.site_path),
                    "caption": escape(story.image.caption),
                    "alt": escape(story.image.alt),
                    "link": site.absolute(story.url),
                }
        elif entry.live:
            live = entry.live
            event["text"] = {"headline": escape(live.title), "text": escape(live.summary)}
            event["unique_id"] = f"truc-tiep-{live.id}"
            event["group"] = "Trực tiếp"  # no media: TimelineJS shows a media's url as an image, never a page
        else:
            milestone = entry.milestone
            event["text"] = {"headline": escape(milestone.title), "text": escape(milestone.text)}
            name = f"moc-{entry.moment:%Y-%m-%d}-{slugify_vi(milestone.title)[:60].strip('-')}".strip("-")
            event["unique_id"] = _unique_id(name, name, used)
            event["group"] = "Dấu mốc"
        events.append(event)
    eras = [
        {
            "start_date": _timeline_date(datetime(p.start.year, p.start.month, p.start.day), False),
            "end_date": _timeline_date(datetime(p.end.year, p.end.month, p.end.day), False),
            "text": {"headline": escape(p.title)},
        }
        for p in campaign.phases
    ]
    data = {
        "title": {"text": {"headline": escape(campaign.title), "text": escape(campaign.summary)}},
        "events": events,
        "eras": eras,
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
