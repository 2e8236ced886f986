"""A ``.gz`` twin beside each page, stylesheet, script, feed and sitemap of a built site, made at the end of the build,
so a web server sends it compressed without compressing it at every request (nginx ``gzip_static``, Caddy
``precompressed``); and a note of when the build started, which ``frontline publish`` compares with the content.

The twins are deterministic (no name, mtime 0, one level), so two builds of the same content are byte-identical. A
twin is kept in ``.cache/frontline/precompressed/`` under the digest of the file it compresses and linked into the
site: a warm build compresses only what changed. The cache is not trusted: an entry is decompressed and compared
with the file before each use, and made again when it differs."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

COMPRESSED_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".xml", ".json", ".opml", ".svg", ".txt"})
"""Text kinds a browser or feed reader fetches; images, fonts and Pagefind's chunks are compressed already."""
MIN_BYTES = 1024
"""Below about one packet, compressing saves no round trip and the twin costs a file."""
GZIP_SUFFIX = ".gz"
LEVEL = 9
CACHE = "precompressed"
STAMPS = "deploy/built"
KEPT_STAMPS = 20
READ_ONLY = 0o444


def compressible(relative: str, size: int) -> bool:
    return size >= MIN_BYTES and os.path.splitext(relative)[1].lower() in COMPRESSED_SUFFIXES


def gzip_bytes(data: bytes) -> bytes:
    """The twin of ``data``: gzip with no file name and mtime 0, so it depends on the bytes alone."""
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def is_twin_of(twin: bytes, data: bytes) -> bool:
    try:
        return gzip.decompress(twin) == data
    except (OSError, EOFError, zlib.error):
        return False


def precompress_site(site_dir: Path, cache_dir: Path, *, workers: int = 2) -> int:
    """Write the ``.gz`` twin of every compressible file of ``site_dir`` (an existing twin that matches is kept,
    such as the sitemap's), drop entries of ``cache_dir`` no twin uses any more; return how many twins."""
    sources = []
    for folder, _dirs, names in os.walk(site_dir):
        for name in names:
            if name.endswith(GZIP_SUFFIX):
                continue
            path = os.path.join(folder, name)
            try:
                size = os.lstat(path).st_size
            except FileNotFoundError:
                continue
            if compressible(name, size) and not os.path.islink(path):
                sources.append(path)
    entries = cache_dir / CACHE
    entries.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:  # zlib and hashlib let go of the GIL
        used = set(pool.map(lambda path: _twin(Path(path), entries), sources))
    used.discard(None)
    for entry in entries.iterdir():
        if entry.name not in used:
            entry.unlink(missing_ok=True)
    return len(sources)


def _twin(source: Path, entries: Path) -> str | None:
    data = source.read_bytes()
    twin = source.with_name(source.name + GZIP_SUFFIX)
    name = hashlib.sha256(data).hexdigest() + GZIP_SUFFIX
    entry = entries / name
    try:
        cached = entry.read_bytes()
    except FileNotFoundError:
        cached = None
    if cached is None or not is_twin_of(cached, data):
        compressed = gzip_bytes(data)
        if len(compressed) >= len(data):
            return None
        temporary = entries / f".{name}.{os.getpid()}.tmp"
        temporary.write_bytes(compressed)
        temporary.chmod(READ_ONLY)
        os.replace(temporary, entry)
        cached = compressed
    if os.path.lexists(twin):
        if not twin.is_symlink() and twin.read_bytes() == cached:
            return name
        twin.unlink()
    try:
        os.link(entry, twin)
    except OSError:  # another file system, or links refused: a copy
        twin.write_bytes(cached)
    return name


# -- when the build started ---------------------------------------------------------------------------------------


def _stamp_path(cache_dir: Path, site_dir: Path) -> Path:
    """Named by the site folder's device and inode: the staging folder ``frontline build`` renames into place
    keeps them, so the note written for it is found under ``site/``."""
    status = os.stat(site_dir)
    return cache_dir / STAMPS / f"{status.st_dev}-{status.st_ino}.json"


def write_build_stamp(site_dir: Path, cache_dir: Path, started: float) -> None:
    path = _stamp_path(cache_dir, site_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"started": started, "written": time.time()}), encoding="utf-8")
    os.replace(temporary, path)
    notes = sorted(path.parent.glob("*.json"), key=lambda note: note.stat().st_mtime, reverse=True)
    for old in notes[KEPT_STAMPS:]:  # every `frontline build` stages a new folder: keep the last few notes
        old.unlink(missing_ok=True)


def build_started(site_dir: Path, cache_dir: Path) -> float | None:
    """When the build that made ``site_dir`` started, if a build of this project noted it."""
    try:
        note = json.loads(_stamp_path(cache_dir, site_dir).read_text(encoding="utf-8"))
        return float(note["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def finish_site(site_dir: Path, cache_dir: Path, started: float, *, workers: int = 2) -> None:
    """What a production build does last: the twins, then the note of when it started."""
    precompress_site(site_dir, cache_dir, workers=workers)
    write_build_stamp(site_dir, cache_dir, started)
