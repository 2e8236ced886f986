"""A site folder brought up to date in place instead of written anew: ``frontline build`` keeps the site it replaces
(``.site.spare`` beside ``site/``), and its next build writes into that folder only what differs from what it holds,
then exchanges it with ``site/`` as before. Writing every page of a large archive into a new folder (a folder and a
link or two per page) was most of a warm build's time.

What the build neither wrote nor kept is deleted at its end (``sweep``), so the folder holds what a build into an
empty folder would. The record of what a kept folder holds (its pages and feeds, with their keys) is a file in the
project's cache named by the folder's device and inode, which renames keep; ``frontline build`` hands it to its
engine process (``RECORD_VARIABLE``) and files the engine's new record under the new site's name once it is live."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Collection
from pathlib import Path

RECORD_VARIABLE = "FRONTLINE_SITE_RECORD"
"""Set by ``frontline build`` for its engine: the file the record of the folder it builds into is read from (when it
reuses one) and the new record written to."""
RECORDS = "kept-sites"
"""The records' folder in the project's cache."""
HIDDEN = ".frontline-kept"
"""Where a kept folder's entries wait while the engine empties the site folder (it leaves dot-entries alone)."""
UNSURE_NS = 50_000_000
"""The kernel stamps files from a clock that lags ``time.time_ns`` by up to a tick: a file changed this long before
the build started counts as the build's own (the build before into this folder ended long before that)."""


def folder_id(folder: Path) -> str | None:
    """The name a folder's record is filed under: its device and inode, which a rename keeps."""
    try:
        status = os.stat(folder)
    except OSError:
        return None
    return f"{status.st_dev}-{status.st_ino}" if stat.S_ISDIR(status.st_mode) else None


def record_file(cache: Path, folder: Path) -> Path | None:
    found = folder_id(folder)
    return cache / RECORDS / f"{found}.json" if found is not None else None


def hide_entries(site: Path) -> None:
    """Move the folder's entries (but dot-entries) into ``HIDDEN`` inside it: the engine's cleaning skips it."""
    hidden = site / HIDDEN
    hidden.mkdir()
    for entry in os.listdir(site):
        if not entry.startswith("."):
            os.rename(site / entry, hidden / entry)


def bring_back(site: Path) -> None:
    hidden = site / HIDDEN
    if not hidden.is_dir():
        return
    for entry in os.listdir(hidden):
        os.rename(hidden / entry, site / entry)
    hidden.rmdir()


def sweep(folder: Path, since_ns: int, kept: Collection[str], twins: Collection[str] = ()) -> int:
    """Delete every file under ``folder`` the build did not write nor keep, then the folders left empty; return how
    many files. Written: a file of its own (one link) changed since ``since_ns`` (the build's start). Kept: a path in
    ``kept``, which names every file the build left as it was or linked from a cache (a cache's file changes as its
    other links come and go, so its change time says nothing of this folder). A compressed twin (``twins``: ``X.gz``
    made beside ``X``) goes with its file."""
    since_ns -= UNSURE_NS
    removed = 0
    top = str(folder)
    for here, _, names in os.walk(top, topdown=False):
        gone: list[str] = []
        for name in names:
            path = os.path.join(here, name)
            if path in kept or path in twins:
                continue
            try:
                status = os.lstat(path)
            except FileNotFoundError:
                continue
            if status.st_nlink == 1 and status.st_ctime_ns >= since_ns:
                continue
            gone.append(path)
        for path in gone:
            os.unlink(path)
            if path + ".gz" in twins:
                os.unlink(path + ".gz")
                removed += 1
        removed += len(gone)
        if here != top:
            with contextlib.suppress(OSError):  # a folder with files in it stays
                os.rmdir(here)
    return removed


def take_for(cache: Path, folder: Path, pending: Path) -> None:
    """Before a build into ``folder``: its record, if any, moved to ``pending`` (where the engine reads it)."""
    pending.unlink(missing_ok=True)
    found = record_file(cache, folder)
    if found is not None and found.is_file():
        os.replace(found, pending)


def file_record(cache: Path, site: Path, pending: Path) -> None:
    """After a build put its folder in place as ``site``: the engine's record (``pending``) filed under the site's
    name. The last few records are kept (a project may build into more than one site folder); an older one is of a
    folder deleted or brought up to date since, as a record taken by a build is gone."""
    named = record_file(cache, site)
    if named is not None and pending.is_file():
        os.replace(pending, named)
    pending.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        records = [path for path in (cache / RECORDS).glob("*.json") if not path.name.startswith(".")]
        records.sort(key=lambda path: path.stat().st_mtime, reverse=True)
        for old in records[KEPT_RECORDS:]:
            old.unlink(missing_ok=True)
        for left in (cache / RECORDS).glob(".pending-*"):  # a killed build's (builds of a project take turns)
            left.unlink(missing_ok=True)


KEPT_RECORDS = 8
