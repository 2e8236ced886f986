"""A content-addressed cache of rendered pages under ``.cache/frontline/``.

Entries are written once under their key and never modified; each build records the
keys it used, and entries used by neither this build nor the last build of each kind
(site, preview) are removed.

A page is a file (linked into the site folder: no data copied), named by its key, all in one folder:
creating a folder on the build machines' disks takes 0.3-0.65 ms of kernel CPU, and spreading the
entries over 256 folders by their keys' first two digits (as until 2026-11-29) cost a cold build
0.1-0.15 s. The body HTML a feed carries is kept beside it in one SQLite file: a few hundred rows per
build, written in one transaction, where a file each cost more than rendering them (creating a file
takes 0.15-0.4 ms)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

MANIFEST = "used-by-previous-{kind}-build.txt"
"""The keys the last build of a kind used ("site" or "preview": their pages differ, so their entries do)."""
BODIES = "bodies.sqlite"
_ENTRY = re.compile(r"([0-9a-f]{16,})\.(?:html|rss|atom)")
"""An entry's file name: its key (a hex digest) and what it holds."""


class PageCache:
    def __init__(self, folder: Path, kind: str = "site") -> None:
        self.folder = folder
        self.kind = kind
        self.used: set[str] = set()

    @contextlib.contextmanager
    def _bodies(self) -> Iterator[sqlite3.Connection]:
        """The body table, in one transaction.

        Committed without waiting for the disk (``synchronous = OFF``), as the page files beside it are written:
        the journal still undoes a transaction the build did not finish, and a file a system crash left
        unreadable is started afresh. Storing a cold 1,000-story build's bodies on the bench's disk took 15-20 ms
        instead of 22-35 ms."""
        self.folder.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.folder / BODIES, timeout=60)
        connection.execute("PRAGMA synchronous = OFF")
        try:
            with connection:
                connection.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, html TEXT NOT NULL)")
                yield connection
        finally:
            connection.close()

    def _forget_bodies(self) -> None:
        """Start the body file afresh (it cannot be read): the bodies feeds need are rendered again."""
        for path in self.folder.glob(f"{BODIES}*"):  # with SQLite's journal
            path.unlink(missing_ok=True)

    def _path(self, key: str, suffix: str) -> Path:
        return self.folder / f"{key}{suffix}"

    def fetch(self, key: str, destination: Path, suffix: str = ".html") -> bool:
        """Put the cached page ``key`` at ``destination``; ``False`` when it is not cached.
        ``suffix`` tells apart outputs that share a key (a feed's RSS and Atom files).

        A hard link when possible (no data copied): cache entries are never modified, and
        the renderer removes a destination before writing it."""
        source = self._path(key, suffix)
        try:
            _link_or_copy(source, destination)
        except FileExistsError:  # a folder kept between builds (`serve --dirty`)
            destination.unlink()
            _link_or_copy(source, destination)
        except FileNotFoundError:
            if not source.exists():
                return False
            destination.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, destination)
        self.used.add(key)
        return True

    def fragment(self, key: str) -> str | None:
        """The story body HTML kept for page ``key`` (for feeds)."""
        try:
            with self._bodies() as bodies:
                row = bodies.execute("SELECT html FROM body WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            self._forget_bodies()
            return None
        return row[0] if row else None

    def keep_fragments(self, fragments: Iterable[tuple[str, str]]) -> None:
        """Keep ``(page key, body HTML)`` pairs for later builds' feeds."""
        rows = list(fragments)
        for attempt in (1, 2) if rows else ():
            try:
                with self._bodies() as bodies:
                    bodies.executemany("INSERT OR REPLACE INTO body (key, html) VALUES (?, ?)", rows)
                return
            except sqlite3.DatabaseError:
                if attempt == 2:
                    raise
                self._forget_bodies()

    def store(self, key: str, rendered: Path, suffix: str = ".html") -> None:
        """Keep the page just written at ``rendered`` under ``key``."""
        target = self._path(key, suffix)
        try:
            _store_link(rendered, target)
        except FileNotFoundError:  # the first entry
            target.parent.mkdir(parents=True, exist_ok=True)
            _store_link(rendered, target)
        self.used.add(key)

    def retain(self, extra: Iterable[str] = ()) -> int:
        """Delete entries used by neither this build nor the previous one of each kind; return how many.
        (A reporter's previews and a production build in the same folder do not evict each other.)"""
        keep = self.used | set(extra)
        for manifest in self.folder.glob(MANIFEST.format(kind="*")):
            keep |= set(manifest.read_text(encoding="ascii").split())
        manifest = self.folder / MANIFEST.format(kind=self.kind)
        (self.folder / "used-by-previous-build.txt").unlink(missing_ok=True)  # one for all kinds, before 2026-11
        removed = 0
        if self.folder.is_dir():
            for entry in os.scandir(self.folder):
                if entry.is_dir(follow_symlinks=False):  # a bucket of entries from before 2026-11-29: unused now
                    shutil.rmtree(entry.path, ignore_errors=True)
                elif (named := _ENTRY.fullmatch(entry.name)) and named.group(1) not in keep:
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


def _link_or_copy(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except (FileNotFoundError, FileExistsError):
        raise
    except OSError:  # another file system: copy
        shutil.copyfile(source, destination)


def _store_link(rendered: Path, target: Path) -> None:
    """``target`` becomes ``rendered``'s content, whole or not at all."""
    try:
        os.link(rendered, target)
    except FileExistsError:
        pass  # stored already (by another worker): same key, same content
    except FileNotFoundError:
        raise
    except OSError:  # another file system: copy, then rename into place
        staged = target.with_name(f".{target.name}.{os.getpid()}")
        shutil.copyfile(rendered, staged)
        os.replace(staged, target)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
