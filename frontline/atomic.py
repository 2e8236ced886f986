"""Publish a build atomically: the old site stays intact until the new one is complete."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


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
    shutil.rmtree(retired, ignore_errors=True)
    return True
