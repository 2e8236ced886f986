"""Publish a build atomically: the old site stays intact until the new one is complete."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from frontline.build.kept_site import HIDDEN

DELETING = ".frontline-deleting-"
RETIRED = "retired-"


def build_atomically(site_dir: Path, build: Callable[[Path], bool], *, keep: bool = False) -> bool:
    """Run ``build(staging_dir)``; on success put it in place of ``site_dir`` in one step, else discard it.

    The caller holds the project's build lock (:func:`frontline.build.locks.build_lock`): the folders a build
    leaves beside the site are then no running build's, and are deleted first. The staging folder is a
    sibling of ``site_dir`` (same file system), so the new site replaces the old by an exchange of the two
    (:func:`publish`). With ``keep``, the site replaced that way is kept beside as the spare (``spare_of``), and
    the next build's staging folder is the spare, which ``build`` may find full (``frontline.build.kept_site``).
    Returns whether the build succeeded."""
    site_dir = _site_path(site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(site_dir)
    staging = _temporary(site_dir, BUILDING)
    spare = spare_of(site_dir)
    if keep and spare.is_dir() and not spare.is_symlink():
        spare.rename(staging)  # a build killed from now on leaves it as a leftover: deleted, never reused
    elif spare.exists() or spare.is_symlink():
        _delete_in_background(_set_aside(spare, site_dir), detached=True)
    try:
        ok = build(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not ok or not staging.is_dir():
        shutil.rmtree(staging, ignore_errors=True)
        return False
    old = publish(staging, site_dir)
    if old is not None and keep and old == staging:
        old.rename(spare)
    elif old is not None:
        _delete_in_background(old, detached=True)  # the new site is live: the old one can go at its own pace
    return True


SPARE = "spare"
"""The site the last build replaced, kept for the next build to bring up to date."""


def spare_of(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.{SPARE}"


def _set_aside(path: Path, site_dir: Path) -> Path:
    """``path`` renamed as a leftover (deleted by the next build if this one cannot)."""
    aside = _temporary(site_dir, OLD)
    path.rename(aside)
    return aside


BUILDING = "building"
"""A build's output until it is published; after an exchange, the old site until it is deleted."""
OLD = "old"
"""A site replaced without an exchange, until it is deleted."""
RELEASE = "release"
"""Where ``site`` links to, where the file system cannot exchange folders."""
LINK = "link"
"""A link to a new release, until it is renamed over ``site``."""


def _prefix(site_dir: Path, kind: str) -> str:
    return f".{site_dir.name}.{kind}-"


def _temporary(site_dir: Path, kind: str) -> Path:
    """A new name beside ``site_dir``: ``.site.KIND-PID-RANDOM``. The random part keeps it new where every build
    has one PID (PID 1 in a container), so a previous build's background deleter never deletes this one's files."""
    return site_dir.parent / f"{_prefix(site_dir, kind)}{os.getpid()}-{secrets.token_hex(4)}"


def _site_path(site_dir: Path) -> Path:
    """``site_dir``, absolute. A link made by :func:`publish` is kept (it is switched); a link of the user's own
    is followed, and the folder it names is replaced."""
    site_dir = Path(os.path.abspath(site_dir))
    if site_dir.is_symlink() and _release_linked(site_dir) is None:
        return site_dir.resolve()
    return site_dir


def _release_linked(site_dir: Path) -> Path | None:
    """The release folder beside ``site_dir`` that it links to, if it is such a link."""
    try:
        target = os.readlink(site_dir)
    except OSError:  # not a link
        return None
    if os.sep in target or not target.startswith(_prefix(site_dir, RELEASE)):
        return None
    return site_dir.parent / target


def clear_leftovers(site_dir: Path) -> list[Path]:
    """Delete what builds stopped part-way left beside ``site_dir`` (killed while building, or before their old
    site was deleted), except the release it links to. Call holding the build lock. Returns what was there."""
    site_dir = _site_path(site_dir)
    live = _release_linked(site_dir)
    prefixes = tuple(_prefix(site_dir, kind) for kind in (BUILDING, OLD, RELEASE, LINK))
    try:
        entries = [entry for entry in site_dir.parent.iterdir() if entry.name.startswith(prefixes)]
    except FileNotFoundError:
        return []
    left = [entry for entry in entries if entry != live]
    for entry in left:
        if entry.is_symlink() or not entry.is_dir():
            entry.unlink(missing_ok=True)
        else:
            # A previous build's background deleter may be deleting it too: neither minds the other's deletions.
            shutil.rmtree(entry, ignore_errors=True)
    return left


def publish(staging: Path, site_dir: Path) -> Path | None:
    """Put the folder ``staging`` in place of ``site_dir``, so that a reader sees the whole old or the whole new
    site, never a missing or mixed one. Returns the old site's folder, now under another name, to delete.

    - ``site_dir`` does not exist yet: ``staging`` is renamed to it.
    - ``site_dir`` is a folder: the two are exchanged in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``,
      Linux 3.15+ on ext4, XFS, Btrfs, tmpfs and most local file systems); the old site is left at ``staging``.
    - Where that is not available (another OS, an older C library, a file system such as NFS): ``site_dir`` becomes
      a link to a release folder beside it, and a new link replaces it in one ``rename``. Turning the folder into
      a link the first time takes two renames (a moment without a site); each later build switches the link.
    """
    if not os.path.lexists(site_dir):
        staging.rename(site_dir)
        return None
    live = _release_linked(site_dir)
    if live is None and exchange(staging, site_dir):
        return staging
    release = _temporary(site_dir, RELEASE)
    staging.rename(release)
    link = _temporary(site_dir, LINK)
    os.symlink(release.name, link)  # relative: the project can be moved
    if live is not None:
        os.replace(link, site_dir)
        return live
    old = _temporary(site_dir, OLD)
    site_dir.rename(old)
    os.replace(link, site_dir)
    return old


AT_FDCWD = -100
RENAME_EXCHANGE = 2
_CANNOT_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


def exchange(first: Path, second: Path) -> bool:
    """Swap the names of two existing paths atomically; False where the platform or file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _CANNOT_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


@functools.cache
def _renameat2():  # type: ignore[no-untyped-def]
    """The C library's ``renameat2`` (glibc 2.28+, musl 1.2.2+), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


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
    """Empty ``site`` as MkDocs cleans a site folder (dot-entries stay, but a kept folder's entries hidden by a build
    that stopped part-way: ``frontline.build.kept_site``), at once: move its entries
    into a new folder under ``holding`` (on the same file system), or a hidden one inside ``site``."""
    if not site.is_dir():
        return None
    entries = [e for e in site.iterdir() if not e.name.startswith(".") or e.name.startswith((DELETING, HIDDEN))]
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


def delete_in_background(*folders: Path) -> None:
    """Delete ``folders`` in a low-priority process that outlives this one."""
    _delete_in_background(*folders, detached=True)


def _modified_before(path: Path, moment: float) -> bool:
    try:
        return path.stat().st_mtime < moment
    except FileNotFoundError:  # deleted meanwhile
        return False


def _delete_in_background(*folders: Path, detached: bool = False) -> subprocess.Popen | None:
    """Delete ``folders`` in another process; ``detached``: at low priority and in a session of its own,
    so it outlives this process (and a Ctrl+C given to it). Returns the process, to wait for when not detached."""
    existing = []
    for folder in folders:
        if folder.is_symlink():
            continue
        if folder.is_dir():
            existing.append(str(folder))
        elif folder.is_file():  # what a process stopped mid-write left: gone at once, rmtree would leave it
            with contextlib.suppress(OSError):
                folder.unlink()
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
