""" "Nothing lost": check a built site against the content it was built from.

Every published story appears exactly once as a page, once in its campaign's
timeline, in the sitemap, and in the feeds it belongs to when among the latest;
no draft or scheduled story appears anywhere."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
from ahocorasick_rs import BytesAhoCorasick
from lxml import etree

from frontline.build.precompress import GZIP_SUFFIX, is_twin_of
from frontline.config.settings import SiteInfo
from frontline.content import urls
from frontline.content.assets import STORY_PREFIX, published_assets
from frontline.content.loader import Layout
from frontline.content.model import Story
from frontline.output.verify_live import live_files, verify_live
from frontline.views.feeds import story_guid
from frontline.views.site import SiteView

_CANONICAL = re.compile(rb'<link rel="canonical" href="([^"]+)"')
_REFRESH = re.compile(rb'http-equiv="refresh"')


def verify_site(view: SiteView, site_dir: Path, layout: Layout | None = None) -> list[str]:
    """Every discrepancy between ``view`` (what should be published) and ``site_dir``; with the project's
    ``layout``, also every file the build did not make and nothing published refers to."""
    site = view.settings.site
    findings: list[str] = []
    files = site_files(site_dir)
    pages = _canonical_pages(site_dir, files)
    published = view.stories
    for story in published:
        count = pages[site.absolute(story.url)]
        if count != 1:
            findings.append(f"{story.source}: {count} trang cho /{story.url} (cần đúng 1).")
    findings += _check_timelines(view, site_dir)
    sitemap = _sitemap_locations(site_dir, site)
    findings += [f"{s.source}: thiếu trong sitemap.xml." for s in published if site.absolute(s.url) not in sitemap]
    findings += _check_feeds(view, site_dir)
    findings += verify_live(view, site_dir, sitemap)
    findings += _check_hidden(view, site_dir, published, files)
    if layout is not None:
        findings += unexpected_files(view, site_dir, layout, files)
    return findings


def site_files(site_dir: Path) -> list[tuple[str, bool]]:
    """Every file of the site (relative, with "/", sorted) and whether it is a symlink; a symlink to a folder is
    listed as a file, never followed."""
    found = []
    for folder, dirs, names in os.walk(site_dir):
        at = os.path.relpath(folder, site_dir)
        prefix = "" if at == "." else at.replace(os.sep, "/") + "/"
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                found.append((prefix + name, True))
        for name in names:
            found.append((prefix + name, os.path.islink(os.path.join(folder, name))))
    found.sort()
    return found


def _canonical_pages(site_dir: Path, files: list[tuple[str, bool]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for relative, link in files:
        if link or not relative.endswith(".html"):
            continue
        with open(site_dir / relative, "rb") as page:
            head = page.read(8192)
        match = _CANONICAL.search(head)
        if match and not _REFRESH.search(head):
            counts[match.group(1).decode()] += 1
    return counts


def _check_timelines(view: SiteView, site_dir: Path) -> list[str]:
    findings: list[str] = []
    site = view.settings.site
    for campaign_id, stories in view.by_campaign.items():
        campaign = view.campaigns[campaign_id]
        page = site_dir / campaign.url / "index.html"
        if not page.exists():
            findings.append(f"{campaign.source}: thiếu trang chiến dịch /{campaign.url}.")
            continue
        tree = lxml.html.fromstring(page.read_bytes())
        base = site.absolute(campaign.url)
        links = Counter(urljoin(base, href) for href in tree.xpath('//*[contains(@class,"fl-timeline")]//a/@href'))
        for story in stories:
            count = links[site.absolute(story.url)]
            if count != 1:
                findings.append(f"{story.source}: xuất hiện {count} lần trên dòng thời gian /{campaign.url} (cần 1).")
    return findings


def _sitemap_locations(site_dir: Path, site: SiteInfo) -> set[str]:
    """The page addresses the sitemap lists, following a sitemap index into its parts (one level: the protocol's)."""
    is_index, listed = _sitemap_entries(site_dir / urls.SITEMAP)
    if not is_index:
        return listed
    pages: set[str] = set()
    for part in listed:
        if part.startswith(site.url):
            pages |= _sitemap_entries(site_dir / part.removeprefix(site.url))[1]
    return pages


def _sitemap_entries(path: Path) -> tuple[bool, set[str]]:
    """Whether the sitemap file at ``path`` is an index, and the addresses it lists."""
    if not path.is_file():
        return False, set()
    tree = etree.parse(str(path))
    locations = {loc.text.strip() for loc in tree.iter("{*}loc") if loc.text}
    return etree.QName(tree.getroot()).localname == "sitemapindex", locations


def _feed_ids(path: Path) -> Counter[str]:
    if not path.exists():
        return Counter()
    tree = etree.parse(str(path))
    ids = [node.text for node in tree.iter("guid", "{http://www.w3.org/2005/Atom}id") if node.text]
    return Counter(ids)


def _check_feeds(view: SiteView, site_dir: Path) -> list[str]:
    findings: list[str] = []
    site = view.settings.site
    for channel in view.channels:
        for relative in (channel.rss_path, channel.atom_path):
            ids = _feed_ids(site_dir / relative)
            if not ids and channel.stories:
                findings.append(f"thiếu nguồn tin /{relative}.")
                continue
            for story in channel.stories:
                if ids[story_guid(story, site)] != 1:
                    findings.append(f"{story.source}: có {ids[story_guid(story, site)]} lần trong /{relative} (cần 1).")
    return findings


def _check_hidden(view: SiteView, site_dir: Path, published: list[Story], files: list[tuple[str, bool]]) -> list[str]:
    shown = {story.id for story in published}
    hidden = [story for story in view.content.stories if story.id not in shown]
    if not hidden:
        return []
    findings: list[str] = []
    site = view.settings.site
    # A title marks a hidden story only when no shown title holds it: a draft may repeat a published story's title
    # (or its start), which is then on every page listing that story. A feed id is looked for with what ends it in
    # XML and JSON, as a draft's id may start another's (``…/ten-bai`` and ``…/ten-bai-2``).
    shown_titles = "\0".join([story.title for story in published] + [page.title for page in view.live_pages])
    marks: list[bytes] = []
    owners: list[int] = []
    for number, story in enumerate(hidden):
        guid = story_guid(story, site)
        own = [story.url, guid + "<", guid + '"'] + ([story.title] if story.title not in shown_titles else [])
        marks += [mark.encode() for mark in own]
        owners += [number] * len(own)
    # Every mark in one pass over each file (Aho-Corasick), not one pass a mark: an archive has dozens of drafts.
    finder = BytesAhoCorasick(marks)
    for relative, link in files:
        if link or os.path.splitext(relative)[1] not in (".html", ".xml", ".json", ".txt"):
            continue
        data = (site_dir / relative).read_bytes()
        found = {owners[index] for index, _start, _end in finder.find_matches_as_indexes(data, overlapping=True)}
        for number in sorted(found):
            findings.append(f"{hidden[number].source}: bài chưa xuất bản xuất hiện trong {relative}.")
    for story in hidden:
        if (site_dir / story.url).exists():
            findings.append(f"{story.source}: bài chưa xuất bản có trang /{story.url}.")
    return findings


GENERATED_FOLDERS = (urls.ASSETS + "/", urls.SEARCH_BUNDLE, urls.SITEMAP_PARTS)
"""Folders the build fills itself: the theme's files, the search index, sitemap parts."""
GENERATED_FILES = frozenset(
    {urls.RSS_FILE, urls.ATOM_FILE, urls.JSON_FEED_FILE, urls.TIMELINE_FILE, urls.OPML, urls.ROBOTS}
    | {urls.LIVE_UPDATES_FILE}
    | {urls.SITEMAP, urls.SITEMAP_GZ, urls.NEWS_SITEMAP}
)
"""Names of the files the build writes beside pages (feeds, exports, sitemaps)."""


def unexpected_files(
    view: SiteView, site_dir: Path, layout: Layout, files: list[tuple[str, bool]] | None = None
) -> list[str]:
    """Files in ``site_dir`` (``files``: as ``site_files`` lists them) that are neither made by the build (pages,
    feeds, exports, the theme's and the search index's files), nor copied from docs/, nor published by a shown
    story (under ``stories/``: its lead image with its smaller copies, and the files its body links to). A draft's
    photo, a stray note or a file reached through a symlink is reported."""
    referenced = set(published_assets(view.stories, str(layout.stories_dir), str(layout.root))) | live_files(view)
    for story in view.stories:
        if story.image is not None:
            referenced.add(story.image.site_path)
            referenced.update(variant.site_path for variant in story.image.variants)
    listed = site_files(site_dir) if files is None else files
    links = {relative for relative, link in listed if link}
    present = {relative for relative, _link in listed}
    findings = []
    for relative, link in listed:
        name = relative.rpartition("/")[2]
        twin_of = relative.removesuffix(GZIP_SUFFIX)
        if link:
            findings.append(f"{relative}: liên kết tượng trưng trong trang đã dựng (không được xuất bản liên kết).")
        elif relative.endswith(GZIP_SUFFIX) and relative != urls.SITEMAP_GZ and twin_of in present:
            # The build's compressed twin of a file beside it: published if that file is, and only as its copy.
            if twin_of not in links and not is_twin_of(
                (site_dir / relative).read_bytes(), (site_dir / twin_of).read_bytes()
            ):
                findings.append(f"{relative}: bản nén không khớp với tệp {twin_of.rpartition('/')[2]} bên cạnh.")
        elif relative.startswith(STORY_PREFIX):
            if relative not in referenced:
                findings.append(f"{relative}: tệp trong stories/ không thuộc bài đã xuất bản nào; không được xuất bản.")
        elif not (
            relative.startswith(GENERATED_FOLDERS)
            or relative.endswith(".html")
            or name in GENERATED_FILES
            or (layout.docs_dir / relative).is_file()
        ):
            findings.append(f"{relative}: tệp lạ: bản dựng không tạo ra, không có trong docs/, không bài nào dẫn tới.")
    return findings


def describe(view: SiteView) -> str:
    hidden = len(view.content.stories) - len(view.stories)
    return f"{len(view.stories)} bài đã xuất bản, {hidden} bài nháp hoặc hẹn giờ (tính tới {view.now:%Y-%m-%d %H:%M})."
