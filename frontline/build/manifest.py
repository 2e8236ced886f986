"""The list of files a production build left in its site folder, each with its SHA-256 digest, size, inode and
modification time: what ``frontline publish`` reads the site through instead of hashing every file again.

The build writes it last (``write_site_manifest``, from ``finish_site``); most files of a warm build are links to
cache entries, the same inodes build after build, so a memo of digests by device, inode, size and modification time
(``DIGEST_MEMO``) spares hashing them: a warm build hashes only the few files written anew. ``list_site`` then
walks the folder again and trusts a file's digest only while its inode, size and modification time are the ones
listed, hashing every other file; a file added, replaced or written since the build is read. As rsync's quick check,
this takes a file written in place with its modification time put back for unchanged: ``frontline verify``, which
reads every byte, is the independent check. A publish that has just run the build itself takes the manifest as the
build wrote it at its end (``listed_by_build``), moments before."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

LISTED = "deploy/listed"
"""Under the cache folder: one manifest per site folder, named like the build's note of when it started."""
KEPT_MANIFESTS = 4
"""Manifests kept (every ``frontline build`` stages a new folder; a manifest is a few megabytes at 10,000 stories)."""
DIGEST_MEMO = "site-digests.json"
VERSION = 1


def file_key(status: os.stat_result) -> str:
    """What the digest memos know a file by (this module's and the precompression's, whose digests the manifest
    takes): a file with the same device, inode, size and modification time was not written since it was hashed."""
    return f"{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


@dataclass(frozen=True, slots=True)
class Listed:
    """One regular file of a site: its SHA-256 digest (hex) and size."""

    digest: str
    size: int


@dataclass(frozen=True, slots=True)
class SiteListing:
    """Every regular file of a site folder (relative path with "/" → ``Listed``), its symlinks (a symlink to a
    folder is listed, never followed), and which files were read because the build's manifest did not vouch for
    them (all of them when there is no manifest)."""

    files: dict[str, Listed]
    links: tuple[str, ...]
    read: frozenset[str]

    def __reduce__(self):  # type: ignore[no-untyped-def]
        """Pickled as three flat lists (a publish hands its listing to the process verifying it): a third of the
        time of one object a file."""
        digests = [listed.digest for listed in self.files.values()]
        sizes = [listed.size for listed in self.files.values()]
        return _unpack_listing, (list(self.files), digests, sizes, self.links, self.read)


def _unpack_listing(
    paths: list[str], digests: list[str], sizes: list[int], links: tuple[str, ...], read: frozenset[str]
) -> SiteListing:
    return SiteListing(dict(zip(paths, map(Listed, digests, sizes), strict=True)), links, read)


def _stamp(status: os.stat_result) -> list[int]:
    return [status.st_ino, status.st_size, status.st_mtime_ns]


def _manifest_path(cache_dir: Path, site_dir: Path) -> Path:
    """Named by the site folder's device and inode, which survive ``frontline build``'s rename of its staging
    folder into ``site/``."""
    status = os.stat(site_dir)
    return cache_dir / LISTED / f"{status.st_dev}-{status.st_ino}.json"


def scan_site(
    top: Path | str, skip_top: Callable[[str], bool] = lambda name: False, folders_found: list[str] | None = None
) -> Iterator[tuple[str, os.DirEntry]]:
    """``(relative path, entry)`` of every entry under ``top`` that is not a folder (symbolic links included, to
    folders too, never followed), leaving out the top-level names ``skip_top`` names; the full path of every folder
    into ``folders_found``. One ``scandir`` a folder and nothing else: a caller stats what it needs (``DirEntry``
    keeps the status it takes). A folder gone meanwhile is skipped; another that cannot be read raises."""
    folders = [(os.fspath(top), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            listing = os.scandir(folder)
        except FileNotFoundError:
            if not prefix:
                raise
            continue
        with listing as entries:
            for entry in entries:
                if not prefix and skip_top(entry.name):
                    continue
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, relative + "/"))
                    if folders_found is not None:
                        folders_found.append(entry.path)
                else:
                    yield relative, entry


def walk_site(
    site_dir: Path,
    folders_found: list[str] | None = None,
    skip_top: Callable[[str], bool] = lambda name: False,
) -> tuple[list[tuple[str, str, os.stat_result]], list[str]]:
    """``(relative, full path, lstat)`` of every regular file, and the relative paths of symlinks (to folders too,
    never followed); the full path of every folder under ``site_dir`` into ``folders_found``; the top-level names
    ``skip_top`` names left out. One ``scandir`` a folder and one ``lstat`` a file: a site has tens of thousands."""
    found: list[tuple[str, str, os.stat_result]] = []
    links: list[str] = []
    for relative, entry in scan_site(site_dir, skip_top, folders_found):
        if entry.is_symlink():
            links.append(relative)
            continue
        try:
            status = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        if stat.S_ISREG(status.st_mode):
            found.append((relative, entry.path, status))
    return found, links


def _digest_of(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _read_json(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return document if isinstance(document, dict) and document.get("version") == VERSION else {}


def _write_json(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)


def write_site_manifest(
    site_dir: Path,
    cache_dir: Path,
    known: Mapping[str, str] | None = None,
    files: list[tuple[str, str, os.stat_result]] | None = None,
    links: list[str] | None = None,
) -> int:
    """List every file of the built ``site_dir`` with its digest, and its symlinks, into the cache folder; return how
    many files were hashed (the others' digests came from the memo, or from ``known``: digests by the memo's key that
    the build has just worked out, such as the precompression's). Call when nothing more is written into the site;
    ``files`` and ``links``: its ``walk_site`` lists, when the build has just walked it."""
    memo_path = cache_dir / DIGEST_MEMO
    memo = _read_json(memo_path).get("digests", {})
    if files is None or links is None:
        files, links = walk_site(site_dir)
    listed: dict[str, list] = {}
    seen: dict[str, str] = {}
    hashed = 0
    for relative, full, status in files:
        key = file_key(status)
        digest = memo.get(key) or (known or {}).get(key)
        if not isinstance(digest, str):
            digest = _digest_of(full)
            hashed += 1
        seen[key] = digest
        listed[relative] = [digest, *_stamp(status)]
    path = _manifest_path(cache_dir, site_dir)
    _write_json(path, {"version": VERSION, "files": listed, "links": sorted(links)})
    _write_json(memo_path, {"version": VERSION, "digests": seen})  # only the files of this site: it does not grow
    manifests = sorted(path.parent.glob("*.json"), key=lambda note: note.stat().st_mtime, reverse=True)
    for old in manifests[KEPT_MANIFESTS:]:
        old.unlink(missing_ok=True)
    return hashed


def listed_by_build(site_dir: Path, cache_dir: Path) -> SiteListing | None:
    """The site as the build that wrote its manifest last listed it, without a look at its files: for a publish that
    has just run that build itself (``list_site`` checks every file against the manifest, a walk of the whole site
    again). ``None`` without a manifest that lists the symlinks too (one an older Frontline wrote)."""
    document = _read_json(_manifest_path(cache_dir, site_dir))
    files, links = document.get("files"), document.get("links")
    if not isinstance(files, dict) or not isinstance(links, list):
        return None
    try:
        listed = {relative: Listed(str(entry[0]), int(entry[2])) for relative, entry in sorted(files.items())}
    except (TypeError, ValueError, IndexError):
        return None
    return SiteListing(listed, tuple(str(link) for link in links), frozenset())


def as_listed(site_dir: Path, cache_dir: Path) -> bool:
    """Whether ``site_dir`` holds the files and symlinks its manifest lists and nothing else (no other file, no
    folder without one), each file with the inode, size and modification time listed (rsync's quick check, as
    ``list_site`` trusts a file's digest)."""
    document = _read_json(_manifest_path(cache_dir, site_dir))
    listed, links = document.get("files"), document.get("links")
    if not isinstance(listed, dict) or not isinstance(links, list):
        return False
    top = os.fspath(site_dir)
    folders: list[str] = []
    found_links, seen = [], 0
    for relative, entry in scan_site(top, folders_found=folders):
        if entry.is_symlink():
            found_links.append(relative)
            continue
        status = entry.stat(follow_symlinks=False)
        known = listed.get(relative)
        if not stat.S_ISREG(status.st_mode) or not isinstance(known, list) or known[1:] != _stamp(status):
            return False
        seen += 1
    if seen != len(listed) or sorted(found_links) != links:
        return False
    held: set[str] = set()  # every folder above a file or link listed
    for name in (*listed, *links):
        folder = os.path.dirname(name)
        while folder and folder not in held:
            held.add(folder)
            folder = os.path.dirname(folder)
    return all(folder[len(top) + 1 :] in held for folder in folders)


def list_site(site_dir: Path, cache_dir: Path | None = None) -> SiteListing:
    """Every file of ``site_dir`` with its digest: from the build's manifest for a file whose inode, size and
    modification time are those it lists, read and hashed otherwise (every file, without ``cache_dir`` or a
    manifest)."""
    manifest: dict = {}
    if cache_dir is not None:
        try:
            manifest = _read_json(_manifest_path(cache_dir, site_dir)).get("files", {})
        except OSError:
            manifest = {}
    files, links = walk_site(site_dir)
    listed: dict[str, Listed] = {}
    read: set[str] = set()
    for relative, full, status in sorted(files):
        entry = manifest.get(relative)
        if isinstance(entry, list) and len(entry) == 4 and entry[1:] == _stamp(status):
            listed[relative] = Listed(str(entry[0]), status.st_size)
            continue
        with open(full, "rb") as file:
            data = file.read()
        listed[relative] = Listed(hashlib.sha256(data).hexdigest(), len(data))
        read.add(relative)
    return SiteListing(listed, tuple(sorted(links)), frozenset(read))
