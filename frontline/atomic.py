"""Publish a build atomically: the old site stays intact until the new one is complete."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DELETING = ".frontline-deleting-"
RETIRED = "retired-"


def build_atomically(site_dir: Path, build: Callable[[Path], bool]) -> bool:
    """Run ``build(staging_dir)``; on success swap it in for ``site_dir``, else discard it.

    The staging folder is a sibling of ``site_dir`` (same file system), so the swap is
    two renames. Returns whether the build succeeded."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = site_dir.parent / f".{site_dir.name}.building-{os.getpid()}"
    retired = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        ok = build(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not ok or not staging.is_dir():
        shutil.rmtree(staging, ignore_errors=True)
        return False
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    _delete_in_background(retired, detached=True)  # the new site is live: the old one can go at its own pace
    return True


@dataclass
class RetiredSite:
    """A site folder's previous contents, moved out of the way of the build that replaces them.

    Deleting thousands of files while the build creates thousands more makes both slow (on
    ext4 without a journal, a new file skips the inodes freed in the last minute), so the old
    pages are deleted after the build: by a process left running when the build is done, if they
    could be moved out of the site folder; else from inside it, waited for before the build ends
    (a hidden folder half deleted must not be published)."""

    folder: Path
    inside_site: bool
    deleting: subprocess.Popen | None = None

    def finish(self) -> None:
        """Call when the new site is written."""
        if self.inside_site:
            if self.deleting is not None:
                self.deleting.wait()
        else:
            delete_detached(self.folder)


def retire_site_contents(site: Path, holding: Path) -> RetiredSite | None:
    """Empty ``site`` as MkDocs cleans a site folder (dot-entries stay), but at once: move its entries
    into a new folder under ``holding`` (on the same file system), or a hidden one inside ``site``."""
    if not site.is_dir():
        return None
    entries = [e for e in site.iterdir() if not e.name.startswith(".") or e.name.startswith(DELETING)]
    if not entries:
        return None
    outside: Path | None = None
    try:
        holding.mkdir(parents=True, exist_ok=True)
        outside = Path(tempfile.mkdtemp(prefix=RETIRED, dir=holding))
        entries[0].rename(outside / entries[0].name)
    except OSError:  # another file system (or no room for the holding folder)
        if outside is not None:
            with contextlib.suppress(OSError):
                outside.rmdir()
        trash = site / f"{DELETING}{os.getpid()}"
        trash.mkdir(exist_ok=True)
        for entry in entries:
            if entry != trash:
                entry.rename(trash / entry.name)
        return RetiredSite(trash, inside_site=True, deleting=_delete_in_background(trash))
    for entry in entries[1:]:
        entry.rename(outside / entry.name)
    return RetiredSite(outside, inside_site=False)


def delete_detached(folder: Path) -> None:
    """Delete the retired site ``folder`` in a low-priority process that outlives this one, with any that a build
    stopped part-way left beside it over an hour ago (a newer one may belong to a build still moving pages in)."""
    stale = time.time() - 3600
    left = sorted(p for p in folder.parent.glob(f"{RETIRED}*") if p != folder and _modified_before(p, stale))
    _delete_in_background(folder, *left, detached=True)


def _modified_before(path: Path, moment: float) -> bool:
    try:
        return path.stat().st_mtime < moment
    except FileNotFoundError:  # deleted meanwhile
        return False


def _delete_in_background(*folders: Path, detached: bool = False) -> subprocess.Popen | None:
    """Delete ``folders`` in another process; ``detached``: at low priority and in a session of its own,
    so it outlives this process (and a Ctrl+C given to it). Returns the process, to wait for when not detached."""
    existing = [str(folder) for folder in folders if folder.exists()]
    if not existing:
        return None
    nice = "os.nice(19); " if detached else ""
    code = f"import os, shutil, sys; {nice}[shutil.rmtree(p, ignore_errors=True) for p in sys.argv[1:]]"
    return subprocess.Popen(
        [sys.executable, "-c", code, *existing],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=detached,
    )
