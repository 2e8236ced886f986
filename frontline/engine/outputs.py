"""What a build writes after MkDocs' pages: feeds and their lists, exports, image variants, sitemaps, redirects.

Each output is skipped when the kept site folder (``SiteFolder``) already holds it as it would be written."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontline.build.cache import PageCache
from frontline.build.fingerprint import Fingerprinter
from frontline.build.paths import inside_site
from frontline.content import urls
from frontline.content.images import render_variants
from frontline.content.loader import redirect_file
from frontline.content.model import LiveUpdate, Story
from frontline.content.problems import Problem
from frontline.views.impact import Impact
from frontline.views.pages import ListingPage, LivePageRecord, StoryPage
from frontline.views.site import SiteView

if TYPE_CHECKING:  # the session imports this module
    from frontline.engine.session import SiteFolder


PREVIEW_SCRIPTS_TEMPLATE = "partials/frontline/preview-scripts.html"


def write_preview_problems(site_dir: Path, problems: list[Problem], env: Any, site_path: str) -> None:
    """The preview's list of problems, each as ``check`` prints it and whether it is only a warning (an empty
    list once they are mended), and the scripts its server adds to every page it serves, which read it
    (``site_path``: where the server serves the site, the path of its ``site_url``)."""
    listed = [{"text": str(p), "warning": p.warning} for p in sorted(problems)]
    scripts = env.get_template(PREVIEW_SCRIPTS_TEMPLATE).render(
        script=site_path + urls.PREVIEW_SCRIPT, problems=site_path + urls.PREVIEW_PROBLEMS
    )
    written = {urls.PREVIEW_PROBLEMS: json.dumps(listed, ensure_ascii=False), urls.PREVIEW_SCRIPTS: scripts}
    for path, text in written.items():
        target = Path(inside_site(site_dir, path))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        target.write_text(text, encoding="utf-8")


def write_outputs(
    view: SiteView,
    site_dir: Path,
    *,
    html_of: Callable[[Story], str],
    cache: PageCache,
    folder: SiteFolder,
    site_key: str,
    story_keys: dict[str, str],
    reach: Impact | None,
    sitemap_entries: list[tuple[str, str]],
    images_cache: Path,
    live_html: Callable[[LiveUpdate], str],
    redirect_template: Any,
    config: Any,
    mark: Callable[[str], None],
    page_prints: Fingerprinter,
    kept: set[str] | None = None,
) -> None:
    """Everything after MkDocs' pages but the search index. ``folder`` records what the site folder holds; ``html_of``
    gives a story's body HTML as feeds carry it; ``mark`` ends a phase of the build's stopwatch; ``kept`` names the
    files of a kept site folder left as they were (``frontline.build.kept_site``); ``page_prints``: the fingerprints
    the pages were keyed with (a campaign page's timeline is its export's, digested once)."""
    # Imported here, at the build's end: feedgen and lxml are slow to import, and the build's start would wait.
    from frontline.output.files import write_exports, write_feed_lists, write_sitemaps
    from frontline.output.live import write_live_outputs

    write_feeds(view, site_dir, html_of, cache=cache, folder=folder, site_key=site_key, story_keys=story_keys)
    write_feed_lists(view, site_dir, html_of)
    # A live page's feeds carry all its updates (hundreds): written again only when the page or the site changed.
    fingerprints = Fingerprinter(whole=(Story,))
    live_keys = {
        page.id: fingerprints.digest([site_key, page, page.is_live(view.now), view.live_channels[page.id]])
        for page in view.live_pages
    }
    unchanged = {page_id for page_id, key in live_keys.items() if folder.live.get(page_id) == key}
    folder.live = {}  # dropped before the files are written, as every record of the folder
    write_live_outputs(view, site_dir, live_html, unchanged)
    folder.live = live_keys
    mark("feeds")
    # A campaign's timeline is written again only when it or the site changed; in an incremental build (``reach``),
    # one the change does not reach keeps its key, as its file (a save would digest every campaign's timeline).
    reached = reach.campaigns if reach is not None else None
    timeline_keys = {
        campaign_id: folder.exports[campaign_id]
        if reached is not None and campaign_id not in reached and campaign_id in folder.exports
        else page_prints.digest([site_key, view.settings.site, view.timeline(campaign_id)])
        for campaign_id in view.campaigns
    }
    left = {campaign_id for campaign_id, key in timeline_keys.items() if folder.exports.get(campaign_id) == key}
    folder.exports = {}
    write_exports(view, site_dir, reach.campaigns if reach is not None else None, left=left)
    folder.exports = timeline_keys
    root = Path(config.config_file_path).parent  # the model's files are named relative to it
    render_variants(
        ((Path(s.image.source_in(root)), s.image.variants) for s in view.stories if s.image and s.image.variants),
        site_dir,
        images_cache,
        kept,
    )
    if sitemap_entries != folder.sitemap:
        folder.sitemap = None
        write_sitemaps(view, site_dir, sitemap_entries)
        folder.sitemap = sitemap_entries
    if view.redirects:
        write_redirects(view, site_dir, redirect_template, config)
    mark("exports, sitemaps")


def write_feeds(
    view: SiteView,
    site_dir: Path,
    html_of: Callable[[Story], str],
    *,
    cache: PageCache,
    folder: SiteFolder,
    site_key: str,
    story_keys: dict[str, str],
) -> None:
    """Every channel's RSS and Atom files, from the cache when its items are unchanged
    (and not at all when a kept site folder has them already)."""
    from frontline.output.files import feed_entries, write_channel  # feedgen: see write_outputs

    fingerprints = Fingerprinter(whole=(Story,))
    entries = feed_entries(view, html_of)
    for channel in view.channels:
        key = fingerprints.digest(
            [
                site_key,
                channel.key,
                channel.link,
                channel.description,
                [story_keys[story.id] for story in channel.stories],
                channel.live,
                view.feeds_updated if not channel.stories else None,
            ]
        )
        if folder.feeds.get(channel.key) == key:
            continue
        folder.feeds.pop(channel.key, None)
        rss, atom = site_dir / channel.rss_path, site_dir / channel.atom_path
        if not (cache.fetch(key, rss, ".rss") and cache.fetch(key, atom, ".atom")):
            write_channel(view, site_dir, channel, entries)
            cache.store(key, rss, suffix=".rss")
            cache.store(key, atom, suffix=".atom")
        folder.feeds[channel.key] = key


def write_redirects(view: SiteView, site_dir: Path, template: Any, config: Any) -> None:
    """A page at each story's old address (``aliases``) that sends readers on to its page."""
    for alias, story in sorted(view.redirects.items()):
        target = Path(inside_site(site_dir, redirect_file(alias)))
        target.parent.mkdir(parents=True, exist_ok=True)
        html = template.render(story=story, target=view.settings.site.absolute(story.url), config=config)
        target.unlink(missing_ok=True)  # never write through a link (a kept folder's cached page)
        target.write_text(html, encoding="utf-8")


def sitemap_entries(view: SiteView, mkdocs_pages: Sequence[Any], own_pages: Sequence[str]) -> list[tuple[str, str]]:
    """``(site-relative URL, lastmod)`` of every page: MkDocs' own (its files: the build's day, by the build's clock,
    where MkDocs would give the day its own clock reads in UTC) and Frontline's (their ``src_uri``)."""
    build_day = view.now.date().isoformat()
    entries = [(file.url, build_day) for file in mkdocs_pages]
    for src_uri in own_pages:
        record = view.by_src_uri[src_uri]
        assert isinstance(record, StoryPage | ListingPage | LivePageRecord)
        entries.append((record.url, record.lastmod))
    return sorted(entries)
