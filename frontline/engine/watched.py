"""What a preview's watcher saw change, for its next build's load (``frontline.content.memo.Since``).

The engine's server rebuilds on any event under the folders it watches; Frontline's observer (``engine/serve.py``)
also notes each event's paths here, so that a rebuild looks again only at the story files named rather than at
every file of a large archive. The first build after the watcher started looks at every file: what changed before it
started was not seen."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from frontline.content.memo import Since

_CREATED_OR_GONE = {"created", "deleted", "moved"}
_LOST = "events_lost"


class Changes:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watched: set[str] = set()
        self._paths: set[str] = set()
        self._listing = False
        self._taken = False
        """Whether a build took what was seen since the watcher started (the first takes nothing), or since it last
        lost track."""
        self._blind = False

    def watching(self, folder: str) -> None:
        with self._lock:
            self._watched.add(os.path.join(os.path.abspath(folder), ""))

    def saw(self, event: Any) -> None:
        with self._lock:
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:
                    self._paths.add(os.fsdecode(path))
            if event.event_type in _CREATED_OR_GONE:
                self._listing = True
            if event.is_directory or event.event_type == _LOST:
                # A folder's files come or go with no event of their own (a folder moved out, to the bin), and the
                # system drops events when its queue overflows: the next build looks at every file.
                self._taken = False

    def blind(self) -> None:
        """The watcher failed to watch part of the folders (the system's limit of watches): from now on every build
        looks at every file."""
        with self._lock:
            self._blind = True

    def take(self) -> Since | None:
        """What was seen since the last build took it; ``None`` when nothing vouches for the files (no watcher, or
        the first build since it started)."""
        with self._lock:
            if not self._watched or self._blind:
                return None
            taken = self._taken
            since = Since(frozenset(self._paths), self._listing, tuple(sorted(self._watched)))
            self._paths, self._listing, self._taken = set(), False, True
        return since if taken else None

    def give_back(self, since: Since | None) -> None:
        """What ``take`` gave, for the next build: this one stopped before it looked at those files."""
        with self._lock:
            if since is None:
                self._taken = False
            else:
                self._paths |= since.changed
                self._listing = self._listing or since.listing


CHANGES = Changes()


class _WatcherTrouble(logging.Handler):
    """watchdog warns, and goes on, when it cannot watch a folder (the system's limit of watches) or lost events."""

    def emit(self, record: logging.LogRecord) -> None:
        CHANGES.blind()


def notice_watcher_trouble() -> None:
    logging.getLogger("watchdog").addHandler(_WatcherTrouble(logging.WARNING))
