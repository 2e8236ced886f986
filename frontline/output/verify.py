""" "Nothing lost": check a built site against the content it was built from.

Every published story appears exactly once as a page, once in its campaign's
timeline, in the sitemap, and in the feeds it belongs to when among the latest;
no draft or scheduled story appears anywhere."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
from ahocorasick_rs import BytesAhoCorasick
from lxml import etree

from frontline.build.manifest import SiteListing
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


def verify_site(
    view: SiteView,
    site_dir: Path,
    layout: Layout | None = None,
    *,
    listing: SiteListing | None = None,
    memo: VerifyMemo | None = None,
) -> list[str]:
    """Every discrepancy between ``view`` (what should be published) and ``site_dir``; with the project's
    ``layout``, also every file the build did not make and nothing published refers to.

    With ``listing`` (every file's digest, ``frontline.build.manifest.list_site``) and ``memo``, what is read out of
    a file (its canonical link, a feed's ids, a timeline's links, which hidden stories' marks it holds, whether a
    twin is its file's) is taken from the memo for a digest already read, so a publish after a one-story edit reads
    the few files that changed; every check still runs on every file's findings, against the content as it is now.
    Without them, every file is read."""
    return Verification(view, site_dir, layout).check(listing=listing, memo=memo)


class Verification:
    """``verify_site`` in two steps: what needs the content alone, then, given the built site (``check``),
    everything else: a publish does the first while the site is built or listed."""

    def __init__(self, view: SiteView, site_dir: Path, layout: Layout | None = None) -> None:
        self.view, self.site_dir, self.layout = view, site_dir, layout
        site = view.settings.site
        self.absolute = {story.id: site.absolute(story.url) for story in view.stories}  # urljoin, once a story
        self.referenced = _referenced(view, layout) if layout is not None else set()

    def check(self, *, listing: SiteListing | None = None, memo: VerifyMemo | None = None) -> list[str]:
        view, site_dir = self.view, self.site_dir
        sitemap = _sitemap_locations(site_dir, view.settings.site)
        findings: list[str] = []
        if listing is not None:
            files = sorted([(path, False) for path in listing.files] + [(path, True) for path in listing.links])
            digests = {path: listed.digest for path, listed in listing.files.items()}
        else:
            files, digests = site_files(site_dir), {}
        known = _Known(memo or VerifyMemo(), digests if memo is not None else {})
        pages = _canonical_pages(site_dir, files, known)
        published = view.stories
        for story in published:
            count = pages[self.absolute[story.id]]
            if count != 1:
                findings.append(f"{story.source}: {count} trang cho /{story.url} (cần đúng 1).")
        findings += _check_timelines(view, site_dir, known, self.absolute)
        findings += [f"{s.source}: thiếu trong sitemap.xml." for s in published if self.absolute[s.id] not in sitemap]
        findings += _check_feeds(view, site_dir, known)
        findings += verify_live(view, site_dir, sitemap)
        findings += _check_hidden(view, site_dir, published, files, known)
        if self.layout is not None:
            findings += unexpected_files(view, site_dir, self.layout, files, known, referenced=self.referenced)
        return findings


VERIFY_MEMO = "verify.json"
"""Under the cache folder: the ``VerifyMemo`` of the last publish."""
MEMO_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
"""A memo is read by the code that wrote it only: what a file yields is this module's reading of it."""


@dataclass
class VerifyMemo:
    """What verify read out of files, by their content's digest (kept in the cache folder between publishes)."""

    canonical: dict[str, str] = field(default_factory=dict)
    """Page digest → its canonical address ("" for none, or a redirect page)."""
    feed_ids: dict[str, list[str]] = field(default_factory=dict)
    timeline: dict[str, list[str]] = field(default_factory=dict)
    """Campaign page digest and its address ("digest address") → the links of its timeline, joined to it."""
    twins: set[str] = field(default_factory=set)
    """``twin digest:file digest`` pairs found to be a file and its compressed twin."""
    marks: str = ""
    """Digest of the hidden stories' marks that ``hidden`` was found with."""
    hidden: dict[str, list[int]] = field(default_factory=dict)
    """File digest → the hidden stories (their number among the marks) whose marks it holds."""

    @classmethod
    def load(cls, path: Path) -> VerifyMemo:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("version") != MEMO_VERSION:
                return cls()
            return cls(
                dict(document["canonical"]),
                dict(document["feed_ids"]),
                dict(document["timeline"]),
                set(document["twins"]),
                str(document["marks"]),
                dict(document["hidden"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return cls()

    def save(self, path: Path, listing: SiteListing) -> None:
        """Keep what the files of ``listing`` yield (what other sites' files yielded is dropped: it does not grow)."""
        present = {listed.digest for listed in listing.files.values()}
        document = {
            "version": MEMO_VERSION,
            "canonical": {d: v for d, v in self.canonical.items() if d in present},
            "feed_ids": {d: v for d, v in self.feed_ids.items() if d in present},
            "timeline": {k: v for k, v in self.timeline.items() if k.partition(" ")[0] in present},
            "twins": sorted(pair for pair in self.twins if pair.partition(":")[0] in present),
            "marks": self.marks,
            "hidden": {d: v for d, v in self.hidden.items() if d in present},
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)


@dataclass
class _Known:
    """The memo, and each file's digest where the caller vouches for it (none: every file is read)."""

    memo: VerifyMemo
    digests: dict[str, str]

    def recall(self, table: dict, relative: str, read: Callable[[], object], also: str = ""):  # type: ignore[no-untyped-def]
        """What ``read()`` gives for the file ``relative``, kept in ``table`` by its digest (and ``also``: what else
        the reading depends on)."""
        digest = self.digests.get(relative)
        if digest is None:
            return read()
        key = f"{digest} {also}" if also else digest
        if key not in table:
            table[key] = read()
        return table[key]


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


def _canonical_pages(site_dir: Path, files: list[tuple[str, bool]], known: _Known) -> Counter[str]:
    counts: Counter[str] = Counter()
    for relative, link in files:
        if link or not relative.endswith(".html"):
            continue
        canonical = known.recall(
            known.memo.canonical, relative, lambda relative=relative: _canonical(site_dir / relative)
        )
        if canonical:
            counts[canonical] += 1
    return counts


def _canonical(page: Path) -> str:
    """The page's canonical address, "" for none (or a redirect page's)."""
    with open(page, "rb") as opened:
        head = opened.read(8192)
    match = _CANONICAL.search(head)
    return match.group(1).decode() if match and not _REFRESH.search(head) else ""


def _check_timelines(view: SiteView, site_dir: Path, known: _Known, absolute: dict[str, str]) -> list[str]:
    findings: list[str] = []
    site = view.settings.site
    for campaign_id, stories in view.by_campaign.items():
        campaign = view.campaigns[campaign_id]
        relative = f"{campaign.url}index.html"
        page = site_dir / campaign.url / "index.html"
        if not page.exists():
            findings.append(f"{campaign.source}: thiếu trang chiến dịch /{campaign.url}.")
            continue

        base = site.absolute(campaign.url)

        def joined(page: Path = page, base: str = base) -> list[str]:
            tree = lxml.html.fromstring(page.read_bytes())
            return [urljoin(base, str(href)) for href in tree.xpath('//*[contains(@class,"fl-timeline")]//a/@href')]

        # Kept with the address the links are joined to: the same bytes at another address join otherwise.
        links = Counter(known.recall(known.memo.timeline, relative, joined, also=base))
        for story in stories:
            count = links[absolute[story.id] if story.id in absolute else site.absolute(story.url)]
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


def _feed_ids(path: Path) -> list[str]:
    if not path.exists():
        return []
    tree = etree.parse(str(path))
    return [node.text for node in tree.iter("guid", "{http://www.w3.org/2005/Atom}id") if node.text]


def _check_feeds(view: SiteView, site_dir: Path, known: _Known) -> list[str]:
    findings: list[str] = []
    site = view.settings.site
    for channel in view.channels:
        for relative in (channel.rss_path, channel.atom_path):
            path = site_dir / relative
            ids = Counter(known.recall(known.memo.feed_ids, relative, lambda path=path: _feed_ids(path)))
            if not ids and channel.stories:
                findings.append(f"thiếu nguồn tin /{relative}.")
                continue
            for story in channel.stories:
                if ids[story_guid(story, site)] != 1:
                    findings.append(f"{story.source}: có {ids[story_guid(story, site)]} lần trong /{relative} (cần 1).")
    return findings


def _check_hidden(
    view: SiteView, site_dir: Path, published: list[Story], files: list[tuple[str, bool]], known: _Known
) -> list[str]:
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
    marks_key = hashlib.sha256(b"\0".join(marks) + repr(owners).encode()).hexdigest()
    if known.memo.marks != marks_key:  # what files held is known for these marks only
        known.memo.marks, known.memo.hidden = marks_key, {}

    def holders(relative: str) -> list[int]:
        data = (site_dir / relative).read_bytes()
        return sorted({owners[index] for index, _start, _end in finder.find_matches_as_indexes(data, overlapping=True)})

    for relative, link in files:
        if link or not relative.endswith((".html", ".xml", ".json", ".txt")):
            continue
        found = known.recall(known.memo.hidden, relative, lambda relative=relative: holders(relative))
        for number in found:
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
    view: SiteView,
    site_dir: Path,
    layout: Layout,
    files: list[tuple[str, bool]] | None = None,
    known: _Known | None = None,
    *,
    referenced: set[str] | None = None,
) -> list[str]:
    """Files in ``site_dir`` (``files``: as ``site_files`` lists them) that are neither made by the build (pages,
    feeds, exports, the theme's and the search index's files), nor copied from docs/, nor published by a shown
    story (under ``stories/``: its lead image with its smaller copies, and the files its body links to). A draft's
    photo, a stray note or a file reached through a symlink is reported."""
    if referenced is None:
        referenced = _referenced(view, layout)
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
            if twin_of not in links and not _twins(site_dir, relative, twin_of, known):
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


def _referenced(view: SiteView, layout: Layout) -> set[str]:
    """The files of stories/ that shown stories and live pages publish."""
    referenced = set(published_assets(view.stories, str(layout.stories_dir), str(layout.root))) | live_files(view)
    for story in view.stories:
        if story.image is not None:
            referenced.add(story.image.site_path)
            referenced.update(variant.site_path for variant in story.image.variants)
    return referenced


def _twins(site_dir: Path, twin: str, source: str, known: _Known | None) -> bool:
    """Whether the file ``twin`` decompresses to the file ``source``: decompressed once per pair of contents."""
    digests = known.digests if known is not None else {}
    pair = f"{digests.get(twin)}:{digests.get(source)}" if twin in digests and source in digests else None
    if pair is not None and known is not None and pair in known.memo.twins:
        return True
    matches = is_twin_of((site_dir / twin).read_bytes(), (site_dir / source).read_bytes())
    if matches and pair is not None and known is not None:
        known.memo.twins.add(pair)
    return matches


def describe(view: SiteView) -> str:
    hidden = len(view.content.stories) - len(view.stories)
    return f"{len(view.stories)} bài đã xuất bản, {hidden} bài nháp hoặc hẹn giờ (tính tới {view.now:%Y-%m-%d %H:%M})."
