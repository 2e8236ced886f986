"""Giving memory a process has freed back to the system, and collecting a preview's garbage between its builds."""

from __future__ import annotations

import ctypes
import functools
import gc
import threading


@functools.cache  # looked up once per process
def _malloc_trim():  # noqa: ANN202 - a C function, or None
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # not glibc (musl, macOS): nothing to call
        return None


def give_back_freed_memory() -> None:
    """Return to the system what the C allocator keeps of the memory freed in this process.

    glibc keeps freed blocks in its heaps for reuse, and a thread's arena (the search's reply reader) hardly ever
    shrinks: a build waiting for the search index, or the process feeding Pagefind between two parts, would hold
    tens of MiB it no longer uses while Pagefind builds a part's bundle beside it."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


IDLE_BEFORE_COLLECTING = 30.0
"""Seconds a long-running preview waits, once a build has ended and no other has started, before it collects."""
BUILDS_BEFORE_COLLECTING = 50
"""Builds after which a preview collects at a build's end, idle or not (saves every second, for minutes)."""


class CollectBetweenBuilds:
    """A preview's cyclic garbage collected while it waits for a save, rather than during the rebuild a save starts.

    What a build leaves alive (the content model, MkDocs' files, the compiled templates: millions of objects at
    100,000 stories) is frozen when it ends (``gc.freeze()``), so that the collections Python runs during the next
    build walk only what that build makes; the last build's garbage, frozen with it, is collected (thawed, collected,
    frozen again) once the preview has been idle a while, or after a run of builds with none."""

    def __init__(self, idle: float = IDLE_BEFORE_COLLECTING, builds: int = BUILDS_BEFORE_COLLECTING) -> None:
        self._idle = idle
        self._builds = builds
        self._since = 0
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def build_starts(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def build_ended(self) -> None:
        self._since += 1
        if self._since >= self._builds:
            self._collect()
            return
        gc.freeze()
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self._idle, self._collect)
            self._timer.daemon = True
            self._timer.start()

    def _collect(self) -> None:
        self._since = 0
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        give_back_freed_memory()
