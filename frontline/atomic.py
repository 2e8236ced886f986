"""Publish a build atomically: the old site stays intact until the new one is complete."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

DELETING = ".frontline-deleting-"


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
    _delete_in_background(retired)  # the new site is live: the old one can go at its own pace
    return True


def empty_in_background(folder: Path) -> subprocess.Popen | None:
    """Empty ``folder`` as MkDocs cleans a site folder (dot-entries stay), but fast: move
    the entries into a hidden folder inside it, then delete that in another process
    while the build goes on. Returns the process (wait for it before publishing)."""
    if not folder.is_dir():
        return None
    entries = [e for e in folder.iterdir() if not e.name.startswith(".") or e.name.startswith(DELETING)]
    if not entries:
        return None
    trash = folder / f"{DELETING}{os.getpid()}"
    trash.mkdir(exist_ok=True)
    for entry in entries:
        if entry != trash:
            entry.rename(trash / entry.name)
    return _delete_in_background(trash)


def _delete_in_background(folder: Path) -> subprocess.Popen | None:
    if not folder.exists():
        return None
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    return subprocess.Popen([sys.executable, "-c", code, str(folder)], stdin=subprocess.DEVNULL)
