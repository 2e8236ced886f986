"""A site folder brought up to date in place instead of written anew: a production build into a folder that a build
of the project wrote, and that nothing changed since, writes only what differs from what it holds. ``frontline build``
keeps the site it replaces (``.site.spare`` beside ``site/``) and builds into it, then exchanges it with ``site/`` as
before; ``mkdocs build`` brings ``site/`` itself up to date. Writing every page of a large archive into a new folder (a
folder and a link or two per page) was most of a warm build's time.

What the build neither wrote nor kept is deleted at its end (``sweep``), so the folder holds what a build into an
empty folder would. The record of what a folder holds (its pages and feeds, with their keys) is a file in the
project's cache named by the folder's device and inode, which renames keep: a build takes it (deletes it) as it
starts, and writes the new one when it ends, so a build that stops part-way leaves a folder no record trusts."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path

from frontline.build.manifest import scan_site

RECORDS = "kept-sites"
"""The records' folder in the project's cache."""
HIDDEN = ".frontline-kept"
"""Where a kept folder's entries wait while the engine empties the site folder (it leaves dot-entries alone)."""


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


def same_file(one: str, other: str) -> bool:
    """Whether ``other`` is the file ``one`` itself (another link to it), not a symbolic link nor a copy: a kept
    folder's file linked from a cache, left as it is."""
    try:
        return os.path.samefile(one, other) and not os.path.islink(other)
    except OSError:
        return False


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


def make_room(folder: Path, paths: Iterable[str], kept: Callable[[], Iterable[str]] = tuple) -> None:
    """Clear the way in a kept ``folder`` for files about to be written at ``paths`` (full paths inside it): a folder
    where a file goes is deleted, and so is a file or link where a folder goes. Else a file of docs/ that became a
    folder (or a folder that became a file) fails the engine's copy, or lands inside the old folder. A folder holding
    a file ``kept`` names (the kept pages) stays: a build into a new folder writes those pages there too, and the
    engine copies the file into it."""
    top = os.fspath(folder)
    holding: set[str] | None = None  # the folders above the kept files, worked out if a folder is in a file's way
    checked: set[str] = set()  # folders looked at on the way (below a file or nothing, nothing is there)
    for path in paths:
        for here in reversed(list(_new_parents(path, top, checked))):  # from the top
            try:
                if not stat.S_ISDIR(os.lstat(here).st_mode):
                    os.unlink(here)
                    break
            except FileNotFoundError:
                break
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            if stat.S_ISDIR(os.lstat(path).st_mode):
                if holding is None:
                    holding = set()
                    for name in kept():
                        holding.update(_new_parents(name, top, holding))
                if path not in holding:
                    shutil.rmtree(path)


def clear_files_in_the_way(folder: Path, paths: Iterable[str], files: Mapping[str, Signature]) -> None:
    """Delete each file of a kept ``folder`` (``files``: its files as the build found them) that stands where a
    folder of one of ``paths`` goes: a file of docs/ whose place a new story's page, a listing, an image or a
    redirect now takes. No system call but for those."""
    top = os.fspath(folder)
    seen: set[str] = set()
    for path in paths:
        for here in _new_parents(path, top, seen):
            if here in files:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(here)


def _new_parents(path: str, top: str, seen: set[str]) -> Iterator[str]:
    """The folders above ``path`` below ``top``, nearest first, up to the first one in ``seen``; each added to it."""
    here = os.path.dirname(path)
    while len(here) > len(top) and here not in seen:
        seen.add(here)
        yield here
        here = os.path.dirname(here)


Signature = tuple[int, int, int]
"""A file's size, modification time and inode: what writing it changes, in place or by replacing it (the number of its
links and its change time move as other links to it, in a cache, come and go)."""


def signatures(folder: Path) -> dict[str, Signature] | None:
    """Every file under ``folder`` with its signature, as a build found it before writing; ``None`` if the folder
    holds a symbolic link (no build writes one: the folder is not brought up to date, but written anew). Its top-level
    dot-entries are left out: what the engine does not empty is not a build's (a ``.git`` a newsroom publishes from).
    One ``scandir`` a folder and one ``lstat`` a file (``manifest.scan_site``): a kept site has hundreds of thousands
    at 100,000 stories."""
    found: dict[str, Signature] = {}
    try:
        for _, entry in scan_site(folder, skip_top=lambda name: name.startswith(".")):
            if entry.is_symlink():
                return None
            try:
                status = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            found[entry.path] = (status.st_size, status.st_mtime_ns, status.st_ino)
    except OSError:  # a folder that cannot be read: what it holds is not known, so the folder is written anew
        return None
    return found


def sweep(
    folder: Path,
    before: dict[str, Signature],
    kept: Collection[str],
    twins: Collection[str] = (),
    files: Iterable[tuple[str, str, os.stat_result]] = (),
    folders: Iterable[str] = (),
) -> set[str]:
    """Delete every file under ``folder`` the build neither wrote nor kept, then every folder left with nothing in
    it; return the files deleted. ``files`` and ``folders``: the folder's, as ``manifest.walk_site`` lists them,
    the build having just walked it (its top-level dot-entries are left alone: what the engine does not empty is
    not a build's). Written: not there before the build (``before``), or with another signature. Kept: a path in
    ``kept``, which names every file the build left as it was or linked from a cache. A compressed twin (``twins``:
    ``X.gz`` made beside ``X``) goes with its file."""
    top = str(folder)
    listed = list(files)
    gone: set[str] = set()
    for relative, path, status in listed:
        if path in kept or path in twins or relative.startswith("."):
            continue
        if before.get(path) == (status.st_size, status.st_mtime_ns, status.st_ino):
            gone.add(path)
            if path + ".gz" in twins:
                gone.add(path + ".gz")
    for path in gone:
        os.unlink(path)
    occupied = set()
    for _, path, _ in listed:
        if path not in gone:
            here = os.path.dirname(path)
            while here not in occupied and here != top:
                occupied.add(here)
                here = os.path.dirname(here)
    own = (here for here in folders if not here[len(top) + 1 :].startswith("."))  # walk_site's paths: top + /…
    for here in sorted((here for here in own if here not in occupied), key=len, reverse=True):  # deepest first
        with contextlib.suppress(OSError):  # a link or another kind of file in it: it stays
            os.rmdir(here)
    return gone


def prune_records(cache: Path) -> None:
    """Keep the last few records (a project may build into more than one folder): an older one is of a folder deleted
    or replaced since (a record taken by a build is gone, and the folder is written anew if its build fails)."""
    with contextlib.suppress(OSError):
        records = [path for path in (cache / RECORDS).glob("*.json") if not path.name.startswith(".")]
        records.sort(key=lambda path: path.stat().st_mtime, reverse=True)
        for old in records[KEPT_RECORDS:]:
            old.unlink(missing_ok=True)


KEPT_RECORDS = 8
