"""The site's URL scheme: every site-relative address the build publishes, made here and nowhere else.

Pure (no MkDocs): records, feeds, sitemaps, JSON-LD and the engine ask this module, and templates print what
it made (``links`` in their globals, or a record's ``url``) through the ``url`` filter, never building one.
A page's URL ends with ``/`` (``""`` is the home page); MkDocs writes it as ``index.html`` in that folder, and
a page Frontline generates has ``index.md`` there as its source (``src_uri``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from frontline.content.slugs import slugify_vi

SectionKind = Literal["author", "place", "unit", "topic", "month"]

# -- the folders at the site's root -------------------------------------------------------------

AUTHORS = "authors"
PLACES = "places"
UNITS = "units"
TOPICS = "topics"
ARCHIVE = "archive"
CAMPAIGNS = "campaigns"
SEARCH = "tim-kiem"
SUBSCRIBE = "theo-doi"
LIVE = "truc-tiep"
"""Live coverage pages (``truc-tiep/<id>/``)."""
STORY_FILES = "stories"
"""Where a story's files (its images, the files its body links to) are published, under its source's path."""
ASSETS = "assets"
"""The theme's files (Material's and ``overrides/assets/``)."""
SEARCH_BUNDLE_FOLDER = "pagefind"
MKDOCS_SEARCH_FOLDER = "search"
"""MkDocs' own search plugin's index, when a site turns it on."""
SITEMAP_FOLDER = "sitemaps"

SECTION_ROOTS: dict[SectionKind, str] = {
    "author": AUTHORS,
    "place": PLACES,
    "unit": UNITS,
    "topic": TOPICS,
    "month": ARCHIVE,
}
"""Each kind of section's folder, in the order sections are listed."""

# -- the files a feed, an export or a sitemap is published as ---------------------------------------

RSS_FILE = "feed.xml"
ATOM_FILE = "atom.xml"
JSON_FEED_FILE = "feed.json"
TIMELINE_FILE = "timeline.json"
LIVE_UPDATES_FILE = "updates.json"
"""A live page's updates as data, which its script polls."""
OPML = "feeds.opml"
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
SITEMAP_GZ = SITEMAP + ".gz"
SITEMAP_PARTS = SITEMAP_FOLDER + "/"
NEWS_SITEMAP = "news-sitemap.xml"
NOT_FOUND = "404.html"
"""Material's page for addresses that have none."""
PAGE_FILE = "index.html"
PAGE_SOURCE = "index.md"

# -- pages -------------------------------------------------------------------------------------

HOME = ""
CAMPAIGNS_INDEX = CAMPAIGNS + "/"
SEARCH_PAGE = SEARCH + "/"
SUBSCRIBE_PAGE = SUBSCRIBE + "/"
SITE_JSON_FEED = HOME + JSON_FEED_FILE
SEARCH_BUNDLE = SEARCH_BUNDLE_FOLDER + "/"
SEARCH_PARTS_FILE = "phan.json"
"""In the search bundle's folder: the folders of its other parts, which the search page merges with the first."""
SEARCH_PARTS = SEARCH_BUNDLE + SEARCH_PARTS_FILE
STORY_PREFIX = STORY_FILES + "/"
"""Where story sources sit among the site's files (``stories/2021/08/ten-bai.md``), whatever the folder's name."""
STYLESHEET = ASSETS + "/stylesheets/frontline.css"
SEARCH_SCRIPT = ASSETS + "/javascripts/frontline-search.js"
PREVIEW_SCRIPT = ASSETS + "/javascripts/frontline-preview.js"
PREVIEW_FOLDER = "_xem-truoc"
PREVIEW_PROBLEMS = PREVIEW_FOLDER + "/loi.json"
"""What a preview build found wrong in the content, read by every page it serves (never written by a build)."""
PREVIEW_SCRIPTS = PREVIEW_FOLDER + "/them-vao-trang.html"
"""What the preview's server adds to every page it serves (``partials/frontline/preview-scripts.html``)."""
LIVE_SCRIPT = ASSETS + "/javascripts/frontline-live.js"


def story_url(published: datetime, slug: str) -> str:
    """``2021/08/ten-bai/``: the year and month it was published, then its slug."""
    return f"{published:%Y}/{published:%m}/{slug}/"


def section_url(kind: SectionKind, key: str) -> str:
    return f"{SECTION_ROOTS[kind]}/{key}/"


def section_page_url(url: str, number: int) -> str:
    """Page ``number`` of the listing whose first page is at ``url``."""
    return url if number == 1 else f"{url}page/{number}/"


def section_index_url(kind: SectionKind) -> str:
    """The page listing every section of a kind (every place, every month…)."""
    return SECTION_ROOTS[kind] + "/"


def author_url(author_id: str) -> str:
    return section_url("author", author_id)


def section_key(name: str) -> str:
    """What a place, a unit or a topic is named by in its section's URL."""
    return slugify_vi(name)


def place_url(place: str) -> str:
    return section_url("place", section_key(place))


def unit_url(unit: str) -> str:
    return section_url("unit", section_key(unit))


def topic_url(tag: str) -> str:
    return section_url("topic", section_key(tag))


def month_key(moment: date) -> str:
    return f"{moment:%Y/%m}"


def month_url(moment: date) -> str:
    """The archive page of the month of ``moment``."""
    return section_url("month", month_key(moment))


def campaign_url(campaign_id: str) -> str:
    return f"{CAMPAIGNS}/{campaign_id}/"


def campaign_source(campaign_id: str) -> str:
    """The editors' page of a campaign in docs/ (MkDocs publishes it at ``campaign_url``)."""
    return f"{CAMPAIGNS}/{campaign_id}.md"


def campaign_timeline_url(campaign_id: str) -> str:
    """The campaign's TimelineJS data."""
    return campaign_url(campaign_id) + TIMELINE_FILE


def live_url(live_id: str) -> str:
    return f"{LIVE}/{live_id}/"


def live_updates_url(live_id: str) -> str:
    """The live page's updates as JSON (``updates.json``), which the page's script polls."""
    return live_url(live_id) + LIVE_UPDATES_FILE


def live_update_anchor(update_id: str) -> str:
    """The fragment (without ``#``) of one update on its live page."""
    return f"cap-nhat-{update_id}"


def live_update_url(live_id: str, update_id: str) -> str:
    """One update's own address: its live page at the update's anchor."""
    return f"{live_url(live_id)}#{live_update_anchor(update_id)}"


def rss_url(page_url: str) -> str:
    """The RSS feed following the page at ``page_url``."""
    return page_url + RSS_FILE


def atom_url(page_url: str) -> str:
    return page_url + ATOM_FILE


def json_feed_url(page_url: str) -> str:
    return page_url + JSON_FEED_FILE


def sitemap_part_url(number: int) -> str:
    """Part ``number`` (from 1) of a sitemap too large for one file."""
    return f"{SITEMAP_PARTS}sitemap-{number}.xml"


def search_part_folder(number: int) -> str:
    """The search index's part ``number`` (1 the oldest stories), relative to the bundle's folder, which holds the
    newest part itself: ``phan-1/``."""
    return f"phan-{number}/"


SEARCH_PATCH_FOLDER = "phan-sua/"
"""The search index's part holding the records of pages edited (or dated) into an older part whose bundle is kept as
it was, relative to the bundle's folder; the search page leaves out the records they replace there."""


def page_file(url: str) -> str:
    """The file the page at ``url`` is written as."""
    return url + PAGE_FILE


def page_source(url: str) -> str:
    """The ``src_uri`` of a page Frontline generates at ``url``."""
    return url + PAGE_SOURCE


ROOT_FILES = frozenset(
    {RSS_FILE, ATOM_FILE, JSON_FEED_FILE, OPML, ROBOTS, SITEMAP, SITEMAP_GZ, NEWS_SITEMAP, NOT_FOUND}
)
"""The files the build writes at the site's root."""
ROOT_FOLDERS = frozenset(
    {
        ASSETS,
        SEARCH_BUNDLE_FOLDER,
        MKDOCS_SEARCH_FOLDER,
        SITEMAP_FOLDER,
        STORY_FILES,
        CAMPAIGNS,
        *SECTION_ROOTS.values(),
        SEARCH,
        SUBSCRIBE,
        PREVIEW_FOLDER,
        LIVE,
    }
)
"""The folders the build writes at the site's root (story pages' year folders aside)."""


@dataclass(frozen=True, slots=True)
class SiteLinks:
    """The site-wide addresses templates link to, as ``links`` in their globals."""

    home: str = HOME
    archive: str = section_index_url("month")
    places: str = section_index_url("place")
    units: str = section_index_url("unit")
    topics: str = section_index_url("topic")
    authors: str = section_index_url("author")
    campaigns: str = CAMPAIGNS_INDEX
    search: str = SEARCH_PAGE
    subscribe: str = SUBSCRIBE_PAGE
    json_feed: str = SITE_JSON_FEED
    opml: str = OPML
    search_bundle: str = SEARCH_BUNDLE
    search_parts: str = SEARCH_PARTS
    stylesheet: str = STYLESHEET
    search_script: str = SEARCH_SCRIPT
    preview_script: str = PREVIEW_SCRIPT
    preview_problems: str = PREVIEW_PROBLEMS
    live_script: str = LIVE_SCRIPT


LINKS = SiteLinks()
