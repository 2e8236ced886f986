"""A content-addressed cache of rendered pages under ``.cache/frontline/``.

Entries are written once under their key and never modified; those used by neither this build nor the last
build of each kind (site, preview) are removed. A page is a read-only file named by its key and its content's
digest, all in one folder (a folder per bucket costs the kernel more than it saves), and is checked against the
digest whenever it is used: a page edited where it is linked into a site, or in a ``.cache`` shared between CI
runs, is rendered again rather than published. The body HTML a feed carries is kept in one SQLite file, with its
digest, because a file per body cost more than rendering them."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

MANIFEST = "used-by-previous-{kind}-build.txt"
"""The keys the last build of a kind used ("site" or "preview": their pages differ, so their entries do)."""
BODIES = "bodies.sqlite"
_ENTRY = re.compile(r"([0-9a-f]{16,})-([0-9a-f]{32})(\.html|\.rss|\.atom)")
"""An entry's file name: its key (a hex digest), its content's digest, and what it holds."""


READ_ONLY = 0o444


def content_digest(data: bytes) -> str:
    """Half a SHA-256 digest: a warm build hashes every page it reuses, and with the processors' SHA instructions
    SHA-256 is faster than BLAKE2b."""
    return hashlib.sha256(data).hexdigest()[:32]


CACHE_FOLDER = ".cache/frontline"
"""Where a project's caches live, below its root (a CI keeps this folder between builds)."""


class PageCache:
    def __init__(self, folder: Path, kind: str = "site", *, after: PageCache | None = None) -> None:
        self.folder = folder
        self.kind = kind
        self.used: set[str] = set()
        self._entries: dict[tuple[str, str], str] | None = None
        """``(key, suffix)`` → entry file name, read from the folder once a build (at the first fetch); or, ``after``
        the last build of the same process (a preview's), what that one knew and stored: listing tens of thousands
        of entries again would take a share of a rebuild. An entry it lacks is rendered again, one deleted since
        is found missing when fetched: neither can serve a wrong page."""
        self.stale = False
        """Whether an entry listed was found gone: the folder changed under the listing, which is not passed on."""
        if after is not None and after.folder == folder and not after.stale:
            self._entries = after._entries

    @contextlib.contextmanager
    def _bodies(self) -> Iterator[sqlite3.Connection]:
        """The body table, in one transaction.

        Committed without waiting for the disk (``synchronous = OFF``), as the page files beside it are written:
        the journal still undoes a transaction the build did not finish, and a file a system crash left
        unreadable is started afresh."""
        self.folder.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.folder / BODIES, timeout=60)
        connection.execute("PRAGMA synchronous = OFF")
        try:
            with connection:
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, html TEXT NOT NULL, digest TEXT NOT NULL)"
                )
                yield connection
        finally:
            connection.close()

    def _forget_bodies(self) -> None:
        """Start the body file afresh (it cannot be read, or is of another layout): the bodies feeds need are
        rendered again."""
        for path in self.folder.glob(f"{BODIES}*"):  # with SQLite's journal
            path.unlink(missing_ok=True)

    @property
    def listed(self) -> bool:
        """Whether the entries the folder holds are known (listed by this build, or carried from the last one)."""
        return self._entries is not None

    def list_entries(self) -> None:
        """Read which entries the folder holds, if not yet: done before threads fetch at once."""
        self._entry("", "")

    def _entry(self, key: str, suffix: str) -> str | None:
        if self._entries is None:
            self._entries = {}
            with contextlib.suppress(FileNotFoundError), os.scandir(self.folder) as found:
                for entry in found:
                    if named := _ENTRY.fullmatch(entry.name):
                        self._entries[(named.group(1), named.group(3))] = entry.name
        return self._entries.get((key, suffix))

    def holds(self, key: str, suffix: str = ".html") -> bool:
        """Whether an entry of ``key`` is listed (what it holds is checked when it is fetched)."""
        return self._entry(key, suffix) is not None

    def fetch(self, key: str, destination: Path, suffix: str = ".html") -> bool:
        """Put the cached page ``key`` at ``destination``; ``False`` when it is not cached, or its entry no
        longer holds what was stored (the entry is then deleted, and the page rendered again).
        ``suffix`` tells apart outputs that share a key (a feed's RSS and Atom files).

        A hard link to its entry (no data copied): whatever writes into the site folder removes a destination
        before writing it (the renderer, ``frontline.output.files``), never writing through a link."""
        name = self._entry(key, suffix)
        if name is None:
            return False
        assert self._entries is not None
        entry = self.folder / name
        try:
            data = _read_read_only(entry)
        except OSError:  # deleted meanwhile, or unreadable
            self._entries.pop((key, suffix), None)
            self.stale = True
            return False
        if content_digest(data) != name[len(key) + 1 : -len(suffix)]:
            self._entries.pop((key, suffix), None)
            entry.unlink(missing_ok=True)
            return False
        _link_or_write(entry, destination, data)
        self.used.add(key)
        return True

    def fragment(self, key: str) -> str | None:
        """The story body HTML kept for page ``key`` (for feeds); ``None`` when none is kept, or the
        one kept no longer matches its digest."""
        try:
            with self._bodies() as bodies:
                row = bodies.execute("SELECT html, digest FROM body WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            self._forget_bodies()
            return None
        if row is None or not isinstance(row[0], str) or content_digest(row[0].encode("utf-8")) != row[1]:
            return None
        return row[0]

    def keep_fragments(self, fragments: Iterable[tuple[str, str]]) -> None:
        """Keep ``(page key, body HTML)`` pairs for later builds' feeds."""
        rows = [(key, html, content_digest(html.encode("utf-8"))) for key, html in fragments]
        for attempt in (1, 2) if rows else ():
            try:
                with self._bodies() as bodies:
                    bodies.executemany("INSERT OR REPLACE INTO body (key, html, digest) VALUES (?, ?, ?)", rows)
                return
            except sqlite3.DatabaseError:
                if attempt == 2:
                    raise
                self._forget_bodies()

    def store(self, key: str, rendered: Path, suffix: str = ".html") -> None:
        """Keep the page (or feed) just written at ``rendered`` under ``key``, whole or not at all, by linking it
        (``rendered`` is then read-only too: nothing writes through a file of the site folder)."""
        data = rendered.read_bytes()
        target = self.folder / f"{key}-{content_digest(data)}{suffix}"
        os.chmod(rendered, READ_ONLY)
        try:
            os.link(rendered, target)
        except FileExistsError:  # stored already (by another worker): same name, same content
            pass
        except FileNotFoundError:  # the first entry
            self.folder.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                os.link(rendered, target)
        except OSError:  # another file system: copy
            _write_atomically(target, data)
        self.used.add(key)
        if self._entries is not None:
            self._entries[(key, suffix)] = target.name

    def retain(self, extra: Iterable[str] = (), *, delete: bool = True) -> int:
        """Delete entries used by neither this build nor the previous one of each kind; return how many.
        (A reporter's previews and a production build in the same folder do not evict each other.)
        Without ``delete``, only record what this build used, for the next build that deletes."""
        manifest = self.folder / MANIFEST.format(kind=self.kind)
        if not delete:
            _atomic_write(manifest, "\n".join(sorted(self.used | set(extra))).encode("ascii"))
            return 0
        keep = self.used | set(extra)
        for kept in self.folder.glob(MANIFEST.format(kind="*")):
            keep |= set(kept.read_text(encoding="ascii").split())
        removed = 0
        if self.folder.is_dir():
            for entry in os.scandir(self.folder):
                if (named := _ENTRY.fullmatch(entry.name)) and named.group(1) not in keep:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
                    removed += 1
        try:
            with self._bodies() as bodies:
                gone = [(key,) for (key,) in bodies.execute("SELECT key FROM body") if key not in keep]
                bodies.executemany("DELETE FROM body WHERE key = ?", gone)
            removed += len(gone)
        except sqlite3.DatabaseError:
            self._forget_bodies()
        _atomic_write(manifest, "\n".join(sorted(self.used | set(extra))).encode("ascii"))
        return removed


def _read_read_only(path: Path) -> bytes:
    """The content of ``path``, made read-only if it was not (a page is read by the thousand: no buffered file)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        status = os.fstat(descriptor)
        if status.st_mode & 0o222:
            os.fchmod(descriptor, READ_ONLY)
        data = os.read(descriptor, status.st_size + 1)
        if len(data) > status.st_size:  # grown meanwhile
            data += _read_rest(descriptor)
        return data
    finally:
        os.close(descriptor)


def _read_rest(descriptor: int) -> bytes:
    parts = []
    while part := os.read(descriptor, 1 << 20):
        parts.append(part)
    return b"".join(parts)


def _write_new(path: Path, data: bytes) -> None:
    """``path`` becomes a new file holding ``data``: a file already there (a kept site folder's) is replaced,
    never written through, as it may be a link to a cache entry."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        descriptor = os.open(path, flags, 0o666)
    except FileExistsError:
        path.unlink()
        descriptor = os.open(path, flags, 0o666)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, flags, 0o666)
    with open(descriptor, "wb") as handle:
        handle.write(data)


def _link_or_write(entry: Path, destination: Path, data: bytes) -> None:
    """``destination`` becomes a link to ``entry`` (which holds ``data``), or a copy on another file system."""
    try:
        os.link(entry, destination)
    except FileExistsError:  # a folder kept between builds (`serve --dirty`)
        destination.unlink()
        os.link(entry, destination)
    except FileNotFoundError:
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(entry, destination)
        except OSError:  # the entry deleted meanwhile (by another build's retain): what it held is here
            _write_new(destination, data)
    except OSError:  # another file system
        _write_new(destination, data)


def _write_atomically(target: Path, data: bytes) -> None:
    """A read-only entry at ``target`` holding ``data``, whole or absent."""
    staged = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        _write_new(staged, data)
        os.chmod(staged, READ_ONLY)
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
