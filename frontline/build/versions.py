"""The installed version of a library, for the keys that must change when a library does (page keys, the memo,
the sanitizer's scan, the preview folder's record)."""

from __future__ import annotations

from importlib import metadata


def installed_version(name: str) -> str:
    """``name``'s installed version, or ``""`` when it is not installed (a key then differs from any installed one)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
