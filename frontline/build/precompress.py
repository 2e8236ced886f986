"""A ``.gz`` twin beside each page, stylesheet, script, feed and sitemap of a built site, made at the end of the build,
so a web server sends it compressed without compressing it at every request (nginx ``gzip_static``, Caddy
``precompressed``); and a note of when the build started, which ``frontline publish`` compares with the content.

The twins are deterministic (no name, mtime 0, one compressor at one level), so two builds of the same content are
byte-identical. They are made by libdeflate (the ``deflate`` package), which at level 9 writes smaller gzip than zlib's
level 9 in about half its CPU time (figures in scripts/bench/RESULTS.md). A twin is kept in
``.cache/frontline/precompressed/`` under the digest of the file it compresses, the compressor and its own digest, and
linked into the site: a warm build compresses only what changed, and never reuses a twin another compressor made (a
cached build's twins are a cold build's). As with the page cache, an entry is checked against the
digest in its name before it is used (hashing it took a twentieth of the time decompressing it did), and made again
when it differs; an entry checked before and not changed since (its inode, size, modification and change times, which
any write changes, as the memo noted them) is not read again. ``frontline verify`` decompresses every twin of a site
and compares it with its file."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import threading
import time
import zlib
from collections.abc import Collection, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import deflate

from frontline.build.kept_site import Signature, same_file, sweep
from frontline.build.manifest import as_listed, file_key, walk_site, write_site_manifest

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
"""Each compressed file's digest by its device, inode, size and modification time, as last read; and the status of
each cache entry found to hold what its name says."""
MEMO_VERSION = 2
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
    return Precompression(site_dir, cache_dir, workers=workers).start().finish()


class Precompression:
    """``precompress_site`` in two steps: ``start`` compresses, in threads, every file but those of the folders
    ``later`` names (what another process is still writing: the search index), while the build goes on;
    ``finish`` compresses those, waits for the rest, and drops the cache entries no twin uses."""

    def __init__(
        self,
        site_dir: Path,
        cache_dir: Path,
        *,
        workers: int = 2,
        later: Collection[str] = (),
        before: dict[str, Signature] | None = None,
    ) -> None:
        self.site_dir = site_dir
        self.before = before or {}
        """A kept site folder's files as the build found them (``kept_site.signatures``, the folder's record having
        vouched for them): a twin there whose file the build left as it was is the last build's, and right."""
        self.cache_dir = cache_dir
        self.later = frozenset(later)
        self.entries = cache_dir / CACHE
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers))  # libdeflate and hashlib let go of the GIL
        self.results: list[Future[list[tuple[str, str | None]]]] = []
        self.count = 0
        self.known: dict[str, str] = {}
        self.memo: dict[str, str] = {}
        self.checked: dict[str, list] = {}
        """Entry name → its status (``_status``) when it was last found to hold what its name says, and its SHA-256
        (the name holds half of it; the site's manifest lists the whole)."""
        self.checked_now: dict[str, list] = {}
        self.seen: dict[str, str] = {}
        self.twins: dict[str, str] = {}
        self.made: set[str] = set()
        """Every twin in the site once ``finish`` returns (a kept site folder's sweep keeps them)."""
        self.listed: list[tuple[str, str, os.stat_result]] = []
        self.folders: list[str] = []
        """Every file (``manifest.walk_site``) and folder of the site its walks found: ``site_files`` after
        ``finish``, with the twins made since, is the site as one walk at the end would list it."""
        self.links: list[str] = []
        """The site's symlinks (relative paths) its walks found."""
        self.twin_status: dict[str, os.stat_result] = {}
        """Each twin ``_twin`` linked or found, as it is once done (a twin left as it was is as the walk found it)."""

    def start(self) -> Precompression:
        self.entries.mkdir(parents=True, exist_ok=True)
        self.known = {
            name.partition("-")[0]: name
            for name in os.listdir(self.entries)
            if name.endswith(GZIP_SUFFIX) and name.split("-")[1:2] == [METHOD]
        }
        self.memo, self.checked = _read_memo(self.cache_dir / MEMO)
        self._submit(self._walk(self.site_dir, "", skip=self.later))
        return self

    def finish(self) -> int:
        try:
            for folder in sorted(self.later):
                if (self.site_dir / folder).is_dir():
                    self.folders.append(str(self.site_dir / folder))
                    self._submit(self._walk(self.site_dir / folder, folder + "/"))
            made = [made for result in self.results for made in result.result()]
        finally:
            self.pool.shutdown(cancel_futures=True)
        used = {name for _, name in made if name is not None}
        self.made = {source + GZIP_SUFFIX for source, name in made if name is not None}
        for name in os.listdir(self.entries):
            if name not in used:
                (self.entries / name).unlink(missing_ok=True)
        _write_memo(self.cache_dir / MEMO, self.seen, {n: s for n, s in self.checked_now.items() if n in used})
        return self.count

    def _walk(self, top: Path, prefix: str, skip: Collection[str] = ()) -> list[tuple[str, str]]:
        """List ``top`` (``prefix`` before its files' relative paths) into ``listed``; return its compressible
        files, each with the key of its memo."""
        files, links = walk_site(top, self.folders, skip_top=lambda name: name in skip)
        self.listed.extend((prefix + relative, path, status) for relative, path, status in files)
        self.links.extend(prefix + link for link in links)
        return [(path, file_key(status)) for relative, path, status in files if compressible(relative, status.st_size)]

    def site_files(self) -> list[tuple[str, str, os.stat_result]]:
        """After ``finish``: every regular file of the site (``manifest.walk_site``'s form), the twins as they are
        now: nothing but the twins and the ``later`` folders, listed last, changed since ``start`` listed the rest."""
        twins = self.twin_status
        files = [file if file[1] not in twins else (file[0], file[1], twins[file[1]]) for file in self.listed]
        listed = {path for _, path, _ in self.listed}
        top = len(str(self.site_dir)) + 1
        files.extend((twin[top:], twin, status) for twin, status in twins.items() if twin not in listed)
        return files

    @property
    def digests(self) -> dict[str, str]:
        """The SHA-256 of every file compressed and of every twin, by device, inode, size and modification time:
        the site's manifest need not read them again."""
        return {**self.seen, **self.twins}

    def cancel(self) -> None:
        """The build failed: no more twins (those made are kept in the cache)."""
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, sources: list[tuple[str, str]]) -> None:
        """Sources in batches, a task each: a task per file cost more in the pool than compressing small files."""
        self.count += len(sources)
        entries = str(self.entries)
        for first in range(0, len(sources), BATCH):
            batch = sources[first : first + BATCH]
            self.results.append(
                self.pool.submit(
                    lambda batch: [(source[0], _twin(*source, entries, self)) for source in batch],
                    batch,
                )
            )


BATCH = 32


def _read_memo(path: Path) -> tuple[dict[str, str], dict[str, list]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("version") != MEMO_VERSION:
            return {}, {}
        files = {str(key): str(value) for key, value in document["files"].items()}
        checked = {
            str(name): [*(int(n) for n in checked[:-1]), str(checked[-1])]
            for name, checked in document["checked"].items()
        }
        return files, checked
    except (OSError, ValueError, AttributeError, KeyError, TypeError, RecursionError):
        return {}, {}


def _write_memo(path: Path, files: dict[str, str], checked: dict[str, list]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    document = {"version": MEMO_VERSION, "files": files, "checked": checked}
    temporary.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)


def _status(status: os.stat_result) -> list[int]:
    """What any change to a file changes: its inode, size and modification and change times (the change time is the
    kernel's, set by every write, and no program sets it back)."""
    return [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def _entry_name(source_digest: str, compressed_digest: str) -> str:
    return f"{source_digest}-{METHOD}-{compressed_digest[:32]}{GZIP_SUFFIX}"


def _twin(source: str, key: str, entries: str, run: Precompression) -> str | None:
    """The twin of ``source`` linked beside it; returns the name of its cache entry. A file whose device, inode, size
    and modification time the memo knows is not read again: a page the build linked from the page cache is the same
    inode from build to build, so a warm build reads and hashes only the pages it rendered. The digests of the
    source (``run.seen``) and of its twin (``run.twins``) are kept by that key, for the site's manifest."""
    known = run.known
    digest = run.memo.get(key)
    twin = source + GZIP_SUFFIX
    if run.before and digest is not None:
        kept = _kept_twin(run, source, twin, key, digest)
        if kept is not None:
            return kept
    data = None
    if digest is None or digest not in known:
        data = _read(source)
        digest = hashlib.sha256(data).hexdigest()
    name = known.get(digest)
    cached = None
    trusted = False  # the entry is what its name says, unchanged since it was found so: not read
    if name is not None:
        entry = os.path.join(entries, name)
        with contextlib.suppress(FileNotFoundError):
            known_entry = run.checked.get(name)
            if known_entry is not None and known_entry[:-1] == _status(os.stat(entry)):
                trusted = True
                twin_digest = known_entry[-1]
            else:
                cached = _read(entry)
        if cached is not None:
            twin_digest = hashlib.sha256(cached).hexdigest()
            if _entry_name(digest, twin_digest) != name:  # changed since it was written
                os.unlink(entry)
                cached = None
    if cached is None and not trusted:
        if data is None:
            data = _read(source)
            digest = hashlib.sha256(data).hexdigest()
        compressed = gzip_bytes(data)
        if len(compressed) >= len(data):
            return None
        twin_digest = hashlib.sha256(compressed).hexdigest()
        name = _entry_name(digest, twin_digest)
        temporary = os.path.join(entries, f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(temporary, "wb") as out:
            out.write(compressed)
        os.chmod(temporary, READ_ONLY)
        os.replace(temporary, os.path.join(entries, name))
        cached = compressed
    run.seen[key] = digest
    entry = os.path.join(entries, name)
    if not same_file(entry, twin):  # else a kept site folder's twin: the entry just checked
        try:
            os.link(entry, twin)
        except FileExistsError:  # a kept site folder's, or the sitemap's written by the build: kept if it is this one
            cached = _read(entry) if cached is None else cached  # a trusted entry's bytes, read only when needed
            if os.path.islink(twin) or _read(twin) != cached:
                os.unlink(twin)
                _write_twin(entry, twin, cached)
        except OSError:
            _write_twin(entry, twin, _read(entry) if cached is None else cached)
    with contextlib.suppress(FileNotFoundError):
        status = os.lstat(twin)
        run.twin_status[twin] = status
        run.twins[file_key(status)] = twin_digest
        if status.st_nlink > 1:  # the entry itself, linked: its status once linked
            entry_status = _status(os.stat(entry))
            if entry_status[:2] == [status.st_dev, status.st_ino]:
                run.checked_now[name] = [*entry_status, twin_digest]
    return name


def _kept_twin(run: Precompression, source: str, twin: str, key: str, digest: str) -> str | None:
    """The entry name of the twin a kept site folder holds for ``source``, when neither was written since the last
    build made it (their signatures are those the build found, and the twin is the entry that build checked, by
    inode, size and modification time): no system call. None otherwise (``_twin`` then looks)."""
    file_before, twin_before = run.before.get(source), run.before.get(twin)
    if file_before is None or twin_before is None:
        return None
    dev, ino, size, mtime = (int(part) for part in key.split(":"))
    name = run.known.get(digest)
    checked = run.checked.get(name) if name is not None else None
    if file_before != (size, mtime, ino) or checked is None or checked[0] != dev:
        return None
    if (checked[2], checked[3], checked[1]) != twin_before:  # the twin is not that entry as it was checked
        return None
    run.seen[key] = digest
    run.twins[f"{dev}:{checked[1]}:{checked[2]}:{checked[3]}"] = checked[-1]
    run.checked_now[name] = checked
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


def write_build_stamp(
    site_dir: Path, cache_dir: Path, started: float, note: Mapping[str, str | None] | None = None
) -> None:
    """The note of when the build that made ``site_dir`` started, with what ``note`` adds (``site_is_current``)."""
    path = _stamp_path(cache_dir, site_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"started": started, "written": time.time(), **(note or {})}), encoding="utf-8")
    os.replace(temporary, path)
    notes = sorted(path.parent.glob("*.json"), key=lambda note: note.stat().st_mtime, reverse=True)
    for old in notes[KEPT_STAMPS:]:  # every `frontline build` stages a new folder: keep the last few notes
        old.unlink(missing_ok=True)


def build_started(site_dir: Path, cache_dir: Path) -> float | None:
    """When the build that made ``site_dir`` started, if a build of this project noted it."""
    try:
        note = json.loads(_stamp_path(cache_dir, site_dir).read_text(encoding="utf-8"))
        return float(note["started"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def site_is_current(site_dir: Path, cache_dir: Path, inputs: str, now: datetime) -> bool:
    """Whether ``site_dir`` is what a build of ``inputs`` (``frontline.config.inputs``, as the command found them
    before it started the build) at ``now`` would write: the build that made it was told the same inputs, ``now``
    lies from the moment it built at until the first moment its pages would change by (``SiteView.next_change``),
    and the folder holds the files its manifest lists, each as listed (``as_listed``)."""
    try:
        note = json.loads(_stamp_path(cache_dir, site_dir).read_text(encoding="utf-8"))
        if note["inputs"] != inputs or not datetime.fromisoformat(note["now"]) <= now < datetime.fromisoformat(
            note["until"]
        ):
            return False
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return False
    try:
        return as_listed(site_dir, cache_dir)
    except OSError:  # a folder of it that cannot be read: the build says what is wrong
        return False


def finish_site(
    site_dir: Path,
    cache_dir: Path,
    started: float,
    *,
    workers: int = 2,
    started_twins: Precompression | None = None,
    kept: Collection[str] | None = None,
    before: dict[str, Signature] | None = None,
    note: Mapping[str, str | None] | None = None,
) -> dict[str, Signature]:
    """What a production build does last: the twins (those ``started_twins`` began), the list of the site's files
    with their digests (what a publish reads the site through), then the note of when it started (with ``note``:
    the inputs it was told, the moments its pages hold between, for ``site_is_current``); returns every
    file's signature. A kept site folder is swept first: ``kept`` names what the build kept of it besides what it
    wrote, ``before`` its files as the build found them (``frontline.build.kept_site``)."""
    twins = started_twins or Precompression(site_dir, cache_dir, workers=workers).start()
    twins.finish()
    files = twins.site_files()  # the twins' walks: for the sweep, the manifest and the caller
    if kept is not None:
        gone = sweep(site_dir, before or {}, set(kept), twins.made, files, twins.folders)
        files = [file for file in files if file[1] not in gone]
    write_site_manifest(site_dir, cache_dir, known=twins.digests, files=files, links=twins.links)
    write_build_stamp(site_dir, cache_dir, started, note)
    return {path: (status.st_size, status.st_mtime_ns, status.st_ino) for _, path, status in files}
