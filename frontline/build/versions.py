"""The installed version of a library, and the digest of Frontline's own code, for the keys that must change when
either does (page keys, the memo, the sanitizer's scan, the preview folder's record, a build's inputs)."""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

import frontline


def installed_version(name: str) -> str:
    """``name``'s installed version, or ``""`` when it is not installed (a key then differs from any installed one)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def folder_digest(folder: Path | None, pattern: str = "*") -> str:
    """A digest of the files under ``folder`` matching ``pattern``: their paths and their bytes."""
    h = hashlib.blake2b(digest_size=16)
    if folder and folder.is_dir():
        for path in sorted(folder.rglob(pattern)):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()


@functools.cache  # the code this process runs
def code_digest() -> str:
    """Frontline's own code, every module: a page rendered by other code (an escaping fix, say) is not reused
    from a cache, even one shared between machines."""
    return folder_digest(Path(frontline.__file__).parent, "*.py")
