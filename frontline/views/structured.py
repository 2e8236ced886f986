"""Structured data for story pages: breadcrumbs, schema.org JSON-LD, reading time."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from frontline.config.settings import SiteInfo
from frontline.content import urls
from frontline.content.model import Author, Campaign, LivePage, Story
from frontline.content.summaries import leading_words

WORDS_PER_MINUTE = 220


@dataclass(frozen=True, slots=True)
class Crumb:
    title: str
    url: str
    """Site-relative URL ('' is the home page)."""


def reading_minutes(markdown: str) -> int:
    """Minutes to read a story's body at ``WORDS_PER_MINUTE``, words counted as ``wc -w`` counts them: what
    stands between spaces (a plain split, much cheaper than counting a regular expression's words, for what
    is an estimate anyway)."""
    return max(1, math.ceil(len(markdown.split()) / WORDS_PER_MINUTE))


def story_breadcrumbs(story: Story, campaign: Campaign | None) -> list[Crumb]:
    crumbs = [Crumb("Trang chủ", urls.HOME)]
    if campaign:
        crumbs += [Crumb("Chiến dịch", urls.CAMPAIGNS_INDEX), Crumb(campaign.title, campaign.url)]
    else:
        crumbs.append(Crumb(f"Tháng {story.date.month}/{story.date.year}", urls.month_url(story.date)))
    return crumbs


def story_json_ld(
    story: Story,
    authors: dict[str, Author],
    campaign: Campaign | None,
    crumbs: list[Crumb],
    site: SiteInfo,
    logo: str | None,
) -> list[dict[str, Any]]:
    """schema.org ``NewsArticle`` and ``BreadcrumbList`` for one story."""
    publisher: dict[str, Any] = {"@type": "Organization", "name": site.name, "url": site.url}
    if logo:
        publisher["logo"] = {"@type": "ImageObject", "url": site.absolute(logo)}
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": site.absolute(story.url) + "#article",
        "mainEntityOfPage": site.absolute(story.url),
        "headline": story.title[:110],
        "description": story.summary,
        "datePublished": story.date.isoformat(),
        "dateModified": story.last_modified.isoformat(),
        "inLanguage": site.language,
        "author": [
            {"@type": "Person", "name": authors[a].name, "url": site.absolute(authors[a].url)} for a in story.authors
        ],
        "publisher": publisher,
        "keywords": list(story.tags),
    }
    if story.image:
        article["image"] = [site.absolute(story.image.site_path)]
    if campaign:
        article["articleSection"] = campaign.title
    if story.location:
        article["contentLocation"] = {"@type": "Place", "name": story.location}
    return [article, _breadcrumb_list([*crumbs, Crumb(story.title, story.url)], site)]


def _breadcrumb_list(trail: list[Crumb], site: SiteInfo) -> dict[str, Any]:
    """The trail to a page (the page last) as schema.org ``BreadcrumbList``, for stories and live pages alike."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": crumb.title, "item": site.absolute(crumb.url)}
            for index, crumb in enumerate(trail, 1)
        ],
    }


def live_breadcrumbs(campaign: Campaign | None) -> list[Crumb]:
    crumbs = [Crumb("Trang chủ", urls.HOME)]
    if campaign:
        crumbs += [Crumb("Chiến dịch", urls.CAMPAIGNS_INDEX), Crumb(campaign.title, campaign.url)]
    return crumbs


def live_json_ld(
    page: LivePage,
    authors: dict[str, Author],
    crumbs: list[Crumb],
    site: SiteInfo,
    logo: str | None,
) -> list[dict[str, Any]]:
    """schema.org ``LiveBlogPosting`` (Google's live blog guidelines: ``coverageStartTime``, ``coverageEndTime``,
    each update a ``BlogPosting`` in ``liveBlogUpdate``) and ``BreadcrumbList``. ``page.updates`` are the shown
    ones, newest first."""
    publisher: dict[str, Any] = {"@type": "Organization", "name": site.name, "url": site.url}
    if logo:
        publisher["logo"] = {"@type": "ImageObject", "url": site.absolute(logo)}
    page_url = site.absolute(page.url)

    def people(ids: Any) -> list[dict[str, Any]]:
        return [{"@type": "Person", "name": authors[a].name, "url": site.absolute(authors[a].url)} for a in ids]

    updates = []
    for update in page.updates:
        posting: dict[str, Any] = {
            "@type": "BlogPosting",
            "@id": site.absolute(urls.live_update_url(page.id, update.id)),
            "url": site.absolute(urls.live_update_url(page.id, update.id)),
            "headline": (update.title or leading_words(update.body, 16))[:110],
            "datePublished": update.time.isoformat(),
            "articleBody": leading_words(update.body, 100_000),
            "author": people(update.authors),
        }
        if update.image:
            posting["image"] = [site.absolute(update.image.site_path)]
        updates.append(posting)
    blog: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": page_url + "#live",
        "mainEntityOfPage": page_url,
        "url": page_url,
        "headline": page.title[:110],
        "description": page.summary,
        "datePublished": page.start.isoformat(),
        "dateModified": max([page.start, *(u.time for u in page.updates)]).isoformat(),
        "coverageStartTime": page.start.isoformat(),
        "inLanguage": site.language,
        "publisher": publisher,
        "author": people(dict.fromkeys(a for u in page.updates for a in u.authors)),
        "liveBlogUpdate": updates,
    }
    if page.end is not None:
        blog["coverageEndTime"] = page.end.isoformat()
    if page.image:
        blog["image"] = [site.absolute(page.image.site_path)]
    if page.location:
        blog["contentLocation"] = {"@type": "Place", "name": page.location}
    return [blog, _breadcrumb_list([*crumbs, Crumb(page.title, page.url)], site)]


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/ld+json">``: no ``<``, ``>`` or ``&`` left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
