"""A ``.gz`` twin beside each page, stylesheet, script, feed and sitemap of a built site, made at the end of the build,
so a web server sends it compressed without compressing it at every request (nginx ``gzip_static``, Caddy
``precompressed``); and a note of when the build started, which ``frontline publish`` compares with the content.

The twins are deterministic (no name, mtime 0, one compressor at one level), so two builds of the same content are
byte-identical. They are made by libdeflate (the ``deflate`` package), which at level 9 writes smaller gzip than zlib's
level 9 in about half its CPU time (figures in scripts/bench/RESULTS.md). A twin is kept in
``.cache/frontline/precompressed/`` under the digest of the file it compresses, the compressor and its own digest, and
linked into the site: a warm build compresses only what changed, and never reuses a twin another compressor made (a
cached build's twins are a cold build's). As with the page cache, an entry is checked against the
digest in its name before each use (hashing it took a twentieth of the time decompressing it did), and made again
when it differs; ``frontline verify`` decompresses every twin of a site and compares it with its file."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import stat
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import deflate

from frontline.build.manifest import write_site_manifest

COMPRESSED_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".xml", ".json", ".opml", ".svg", ".txt"})
"""Text kinds a browser or feed reader fetches; images, fonts and Pagefind's chunks are compressed already."""
MIN_BYTES = 1024
"""Below about one packet, compressing saves no round trip and the twin costs a file."""
GZIP_SUFFIX = ".gz"
LEVEL = 9
METHOD = f"libdeflate{LEVEL}"
"""Names the compressor in each cache entry's name: entries another compressor made are not used, and so deleted."""
CACHE = "precompressed"
MEMO = "precompressed.json"
"""Each compressed file's digest by its device, inode, size and modification time, as last read."""
MEMO_VERSION = 1
STAMPS = "deploy/built"
KEPT_STAMPS = 20
READ_ONLY = 0o444


def compressible(relative: str, size: int) -> bool:
    return size >= MIN_BYTES and os.path.splitext(relative)[1].lower() in COMPRESSED_SUFFIXES


def gzip_bytes(data: bytes) -> bytes:
    """The twin of ``data``: gzip with no file name and mtime 0, so it depends on the bytes alone."""
    return bytes(deflate.gzip_compress(data, LEVEL))


def is_twin_of(twin: bytes, data: bytes) -> bool:
    try:
        return gzip.decompress(twin) == data
    except (OSError, EOFError, zlib.error):
        return False


def precompress_site(site_dir: Path, cache_dir: Path, *, workers: int = 2) -> int:
    """Write the ``.gz`` twin of every compressible file of ``site_dir`` (an existing twin that matches is kept,
    such as the sitemap's), drop entries of ``cache_dir`` no twin uses any more; return how many twins."""
    sources: list[tuple[str, str]] = []
    for folder, _dirs, names in os.walk(site_dir):
        for name in names:
            if name.endswith(GZIP_SUFFIX):
                continue
            path = os.path.join(folder, name)
            try:
                status = os.lstat(path)
            except FileNotFoundError:
                continue
            if compressible(name, status.st_size) and stat.S_ISREG(status.st_mode):
                key = f"{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"
                sources.append((path, key))
    entries = cache_dir / CACHE
    entries.mkdir(parents=True, exist_ok=True)
    known = {
        name.partition("-")[0]: name
        for name in os.listdir(entries)
        if name.endswith(GZIP_SUFFIX) and name.split("-")[1:2] == [METHOD]
    }
    memo = _read_memo(cache_dir / MEMO)
    seen: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:  # zlib and hashlib let go of the GIL
        used = set(pool.map(lambda source: _twin(*source, str(entries), known, memo, seen), sources))
    used.discard(None)
    for name in os.listdir(entries):
        if name not in used:
            (entries / name).unlink(missing_ok=True)
    _write_memo(cache_dir / MEMO, seen)
    return len(sources)


def _read_memo(path: Path) -> dict[str, str]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        files = document["files"] if document.get("version") == MEMO_VERSION else {}
        return {str(key): str(value) for key, value in files.items()}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def _write_memo(path: Path, files: dict[str, str]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"version": MEMO_VERSION, "files": files}), encoding="utf-8")
    os.replace(temporary, path)


def _entry_name(source_digest: str, compressed: bytes) -> str:
    return f"{source_digest}-{METHOD}-{hashlib.sha256(compressed).hexdigest()[:32]}{GZIP_SUFFIX}"


def _twin(
    source: str, key: str, entries: str, known: dict[str, str], memo: dict[str, str], seen: dict[str, str]
) -> str | None:
    """The twin of ``source`` linked beside it; returns the name of its cache entry. A file whose device, inode, size
    and modification time the memo knows is not read again: a page the build linked from the page cache is the same
    inode from build to build, so a warm build reads and hashes only the pages it rendered."""
    digest = memo.get(key)
    data = None
    if digest is None or digest not in known:
        data = _read(source)
        digest = hashlib.sha256(data).hexdigest()
    name = known.get(digest)
    cached = None
    if name is not None:
        with contextlib.suppress(FileNotFoundError):
            cached = _read(os.path.join(entries, name))
        if cached is not None and _entry_name(digest, cached) != name:  # changed since it was written
            os.unlink(os.path.join(entries, name))
            cached = None
    if cached is None:
        if data is None:
            data = _read(source)
            digest = hashlib.sha256(data).hexdigest()
        compressed = gzip_bytes(data)
        if len(compressed) >= len(data):
            return None
        name = _entry_name(digest, compressed)
        temporary = os.path.join(entries, f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(temporary, "wb") as out:
            out.write(compressed)
        os.chmod(temporary, READ_ONLY)
        os.replace(temporary, os.path.join(entries, name))
        cached = compressed
    seen[key] = digest
    twin = source + GZIP_SUFFIX
    try:
        os.link(os.path.join(entries, name), twin)
    except FileExistsError:  # a kept site folder's, or the sitemap's written by the build: kept if it is this one
        if not os.path.islink(twin) and _read(twin) == cached:
            return name
        os.unlink(twin)
        _write_twin(os.path.join(entries, name), twin, cached)
    except OSError:
        _write_twin(os.path.join(entries, name), twin, cached)
    return name


def _write_twin(entry: str, twin: str, cached: bytes) -> None:
    try:
        os.link(entry, twin)
    except OSError:  # another file system, or links refused: a copy
        with open(twin, "wb") as out:
            out.write(cached)


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


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
    """What a production build does last: the twins, the list of the site's files with their digests (what a
    publish reads the site through), then the note of when it started."""
    precompress_site(site_dir, cache_dir, workers=workers)
    write_site_manifest(site_dir, cache_dir)
    write_build_stamp(site_dir, cache_dir, started)
