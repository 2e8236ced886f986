"""What every publishing target shares: a built site read as a release, the headers each file is served with,
and what a publish reports. Targets (a folder, SSH + rsync, S3, a git branch) differ only in how they send it."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Protocol

from frontline.build.manifest import SiteListing, list_site

# One Cache-Control policy for every target and every server snippet: names that change when their content
# changes are kept for a year; pages a few minutes, so a correction reaches readers soon; feeds and sitemaps less.
IMMUTABLE = "public, max-age=31536000, immutable"
PAGE = "public, max-age=300, must-revalidate"
FEED = "public, max-age=120, must-revalidate"
OTHER = "public, max-age=3600"

# Material's bundles carry an 8-hex content hash in their names; Pagefind's chunks and its meta file a longer one.
_HASHED = re.compile(
    r"(^assets/.*\.[0-9a-f]{8}\.min\.(js|css)(\.map)?$)|(^pagefind/.*_[0-9a-f]{8,}\.pf_\w+$)|(^pagefind/.*\.[0-9a-f]{10,}\.\w+$)"
)
_FEEDS = re.compile(
    r"(^|/)(feed\.xml|atom\.xml|feed\.json|feeds\.opml|sitemap[^/]*\.xml|news-sitemap\.xml|robots\.txt)$"
)

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
    ".wasm": "application/wasm",
}


def content_type(path: str) -> str:
    return _TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")


def cache_control(path: str) -> str:
    if _HASHED.search(path):
        return IMMUTABLE
    if _FEEDS.search(path):
        return FEED
    if path.endswith(".html") or path.endswith("/") or path == "":
        return PAGE
    return OTHER


def headers_for(path: str) -> dict[str, str]:
    """The headers a file of the site (its path relative to the site root) is served with."""
    return {"Content-Type": content_type(path), "Cache-Control": cache_control(path)}


@dataclass(frozen=True)
class SiteFile:
    path: str  # relative to the site root, with "/"
    digest: str  # sha256 of the bytes, hex
    size: int


@dataclass(frozen=True)
class Release:
    """A built site as a list of files: what a target stores as one release and compares with the previous one."""

    id: str
    created: datetime
    files: tuple[SiteFile, ...]

    def manifest(self) -> bytes:
        """``json.dumps(document, ensure_ascii=False, indent=0, sort_keys=True)`` of the release, byte for byte, but
        made a line at a time: with an indent, ``json`` encodes in Python, a second of a 10,000-story publish."""

        text = encode_basestring  # json.dumps(value, ensure_ascii=False) of a string, without its wrapping

        by_path = {f.path: f for f in self.files}
        entries = ",\n".join(
            f'{text(path)}: {{\n"sha256": {text(by_path[path].digest)},\n"size": {int(by_path[path].size)}\n}}'
            for path in sorted(by_path)
        )
        files = f"{{\n{entries}\n}}" if entries else "{}"
        created, release = text(self.created.isoformat()), text(self.id)
        return f'{{\n"created": {created},\n"files": {files},\n"release": {release}\n}}'.encode()


def read_site(site: Path, created: datetime, listing: SiteListing | None = None) -> Release:
    """Every regular file under ``site`` (a symlink is refused: ``verify`` reports it before a publish). With
    ``listing`` (``list_site``: the build's digests, checked against each file's inode, size and modification
    time), its digests are taken instead of reading every file again."""
    if listing is None:
        listing = list_site(site)
    if listing.links:
        raise ValueError(f"{site / listing.links[0]}: liên kết tượng trưng không được đăng")
    files = [SiteFile(path, listed.digest, listed.size) for path, listed in listing.files.items()]
    files.sort(key=lambda f: f.path)
    whole = hashlib.sha256("".join(f"{f.path}\0{f.digest}\n" for f in files).encode()).hexdigest()
    # Milliseconds too: ids sort as releases were made, and two publishes within one second are told apart in order.
    release_id = f"{created.strftime('%Y%m%dT%H%M%S')}{created.microsecond // 1000:03d}Z-{whole[:8]}"
    return Release(release_id, created, tuple(files))


def release_content(release_id: str) -> str:
    """The digest of a release's files, which its id ends with (``read_site``)."""
    return release_id.rpartition("-")[2]


def release_before(ids: list[str], live: str | None) -> str | None:
    """What a rollback makes live: the newest release older than the live one whose files differ from it (a release
    published again after a rollback has the same files as an older one, and going back to it changes nothing for
    readers). ``ids`` oldest first, as their times sort."""
    if live is None:
        return ids[-1] if ids else None
    older = [i for i in ids if i < live and release_content(i) != release_content(live)]
    return older[-1] if older else None


def releases_to_prune(ids: list[str], live: str | None, keep: int) -> list[str]:
    """All but the releases of the ``keep`` newest contents (never the live one): ``--keep N`` keeps N sites a
    rollback can go back to, however many times one of them was published again. ``ids`` oldest first."""
    contents: set[str] = set()
    first_gone = 0
    for index in range(len(ids) - 1, -1, -1):
        contents.add(release_content(ids[index]))
        if len(contents) > keep:
            first_gone = index + 1
            break
    return [i for i in ids[:first_gone] if i != live]


@dataclass(frozen=True)
class PublishReport:
    release: str
    sent_files: int
    sent_bytes: int
    unchanged_files: int
    deleted_files: int
    dry_run: bool


@dataclass(frozen=True)
class ReleaseInfo:
    id: str
    files: int
    live: bool


class Target(Protocol):
    """A place the site is published to. ``publish`` makes ``release`` live in one step readers cannot see half of,
    after ``ready()`` returned (it raises to refuse the release: called before anything readers could see changes,
    it lets a target prepare meanwhile); ``rollback`` makes the release before the live one live again and returns
    it."""

    def publish(
        self, site: Path, release: Release, *, dry_run: bool = False, ready: Callable[[], None] = lambda: None
    ) -> PublishReport: ...

    def rollback(self) -> ReleaseInfo: ...

    def releases(self) -> list[ReleaseInfo]: ...
