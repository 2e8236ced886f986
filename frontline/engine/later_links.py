"""A preview's cached pages linked into its folder after the build, while the server already serves.

A preview started after a production build finds every page of the archive in the page cache, and linking them into
its own folder (a folder and a link each) was most of its first build: the first page waited for all of them. Its
build now keys every page and renders those not cached, as before, and leaves the cached ones to threads that link
them once the build has ended, while the server answers; a request for a page not linked yet links that page first
(``link_now``, from ``frontline.engine.serve``). The next build stops the threads before it starts and takes over
the pages they did not link (``stop``): those its change did not reach wait for its own threads, which a save soon
after the start would otherwise key again by the hundred thousand."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from frontline.build.cache import PageCache

LINK_LATER_FROM = 1000
"""Cached pages a preview's build leaves to be linked after it, from this many (a save's rebuild links a few: at
once, so the folder holds them when the build ends, as its tests and a reporter's browser expect)."""
CHUNKS_A_THREAD = 8
"""Chunks of consecutive pages (neighbours share a folder): a thread done early takes another's."""

log = logging.getLogger("mkdocs.frontline")

_current: LaterLinks | None = None
_lock = threading.Lock()
ON_MISSING: list[Callable[[], object]] = []
"""Called when a page could not be linked (its cache entry gone or damaged since its build keyed it): the server
registers its request for a rebuild, which renders the page."""


class LaterLinks:
    """Pages to link into the site folder from the page cache: ``(src_uri, key, destination)`` each."""

    def __init__(self, cache: PageCache, pages: Sequence[tuple[str, str, str]], threads: int) -> None:
        self._cache = cache
        self._pages = pages
        self._linked = bytearray(len(pages))  # 0 not yet, 1 linked, 2 not in the cache
        # MkDocs' destinations are normalised already; a request's path is normalised as it is looked up.
        self._by_destination = {destination: n for n, (_, _, destination) in enumerate(pages)}
        self._size = max(1, -(-len(pages) // (max(1, threads) * CHUNKS_A_THREAD)))
        self._locks = [threading.Lock() for _ in range(0, len(pages), self._size)]
        self._next_chunk = 0
        self._stopped = False
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(max(1, threads))]
        self._running = len(self._threads)
        self._began = 0.0

    def __len__(self) -> int:
        return len(self._pages)

    def begin(self) -> None:
        """Start linking, and answer the server's requests for these pages (the build has ended)."""
        global _current
        with _lock:
            _current = self
        self._began = time.monotonic()
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        try:
            while (chunk := self._take_chunk()) is not None:
                lock = self._locks[chunk]
                for n in range(chunk * self._size, min((chunk + 1) * self._size, len(self._pages))):
                    with lock:
                        if self._stopped:
                            return
                        if not self._linked[n]:
                            self._link(n)
        finally:
            with _lock:
                self._running -= 1
                last = self._running == 0
            if last:
                self._finished()

    def _take_chunk(self) -> int | None:
        with _lock:
            chunk, self._next_chunk = self._next_chunk, self._next_chunk + 1
        return chunk if chunk < len(self._locks) and not self._stopped else None

    def _finished(self) -> None:
        missing = self._linked.count(2)
        if not self._stopped:
            log.info(
                "Frontline: %d trang lấy từ bộ nhớ đệm đã vào thư mục xem trước sau khi dựng (%.2f s)%s",
                len(self._pages) - missing,
                time.monotonic() - self._began,
                f"; {missing} trang không còn trong bộ nhớ đệm, dựng lại" if missing else "",
            )
        if missing and not self._stopped:
            _rebuild()

    def _link(self, n: int) -> None:
        _, key, destination = self._pages[n]
        try:
            self._linked[n] = 1 if self._cache.fetch(key, Path(destination)) else 2
        except OSError:  # a folder where the page goes, say: the rebuild this asks for reports it
            self._linked[n] = 2

    def link_now(self, destination: str) -> bool:
        """Link the page that belongs at ``destination`` if it is one of these and not linked yet; whether it is
        there now."""
        n = self._by_destination.get(os.path.normpath(destination))
        if n is None:
            return False
        with self._locks[n // self._size]:
            if not self._stopped and not self._linked[n]:
                self._link(n)
                if self._linked[n] == 2:  # answered "not found" now; the browser reloads once the rebuild is done
                    _rebuild()
            return self._linked[n] == 1

    def stop(self) -> list[tuple[str, str, str]]:
        """Stop linking (a new build starts, or the server stops); return the pages not linked, as given."""
        global _current
        with _lock:
            self._stopped = True
            if _current is self:
                _current = None
        for thread in self._threads:
            if thread.is_alive():
                thread.join()
        for lock in self._locks:  # a request linking a page now
            with lock:
                pass
        return [page for n, page in enumerate(self._pages) if self._linked[n] != 1]


def link_now(paths: Sequence[str]) -> bool:
    """Link the first of ``paths`` (a requested file, or the ``index.html`` of a requested folder) that the last
    build left to be linked; whether one was."""
    with _lock:
        current = _current
    return current is not None and any(current.link_now(path) for path in paths)


def _rebuild() -> None:
    for request_rebuild in ON_MISSING:
        request_rebuild()
