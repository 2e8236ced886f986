"""A folder as data: every file's relative path and bytes, and the differences between two such snapshots.

Every byte-identity test (serial and parallel, cold and warm, MkDocs and ProperDocs, a preview and a clean build)
compares snapshots, so they all mean the same thing by "the same site"."""

from __future__ import annotations

from pathlib import Path


def snapshot(folder: Path, *, skip: Path | None = None, folders: bool = False) -> dict[str, bytes | None]:
    """``{relative path: bytes}`` of every file below ``folder`` (POSIX paths, sorted), leaving out what is below
    ``skip``; with ``folders``, every folder too, as ``"path/": None`` (an empty folder is a difference then)."""
    files: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and path.is_relative_to(skip):
            continue
        relative = path.relative_to(folder).as_posix()
        if path.is_file():
            files[relative] = path.read_bytes()
        elif folders and path.is_dir():
            files[relative + "/"] = None
    return files


def differences(one: dict[str, bytes | None], other: dict[str, bytes | None]) -> list[str]:
    """The paths in only one of the snapshots, then those in both whose bytes differ: ``[]`` when they are equal."""
    return sorted(set(one) ^ set(other)) + [path for path in one if path in other and one[path] != other[path]]
