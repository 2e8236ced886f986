"""What reading a story file gave last time, reused while the file is unchanged.

A story is re-read when its file's size or modification time differs, when a file it
looked at (its lead image) appeared, disappeared or changed, or when anything a read
depends on besides the file changed: authors, campaigns, iframe hosts, or the
loader's own code. The memo lives in memory during a preview and on disk between
builds (``.cache/frontline/stories.pickle``); a memo that cannot be read is ignored."""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from frontline.model import Story
from frontline.problems import Problem

Stamp = tuple[int, int] | None
"""``(mtime_ns, size)`` of a file, ``None`` when there is no file."""

_CODE = (
    "memo.py",
    "loader.py",
    "model.py",
    "problems.py",
    "frontmatter.py",
    "dates.py",
    "slugs.py",
    "sanitize.py",
    "summaries.py",
    "images.py",
    "assets.py",
    "paths.py",
    "names.py",
)
_LIBRARIES = ("pyyaml", "python-slugify", "text-unidecode", "babel", "pillow")


def stamp(path: Path | str) -> Stamp:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


def code_digest() -> str:
    """The loader's code and libraries: a memo written by other code is not trusted."""
    h = hashlib.blake2b(digest_size=16)
    folder = Path(__file__).parent
    for name in _CODE:
        h.update((folder / name).read_bytes())
    for library in _LIBRARIES:
        try:
            h.update(f"{library}={metadata.version(library)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{library}=;".encode())
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Reading:
    """One file's reading: its story (``None`` when it had problems) and its problems."""

    stamp: Stamp
    looked_at: tuple[tuple[str, Stamp], ...]
    story: Story | None
    problems: tuple[Problem, ...]

    def still_valid(self, path: Path | str) -> bool:
        return stamp(path) == self.stamp and all(stamp(other) == was for other, was in self.looked_at)


class StoryMemo:
    def __init__(self, context: str = "") -> None:
        self.context = context
        self.readings: dict[str, Reading] = {}
        self.changed = False

    def use_context(self, context: str) -> None:
        """Forget every reading when what reads depend on (authors, campaigns…) changed."""
        if context != self.context:
            self.context = context
            self.readings.clear()
            self.changed = True

    def get(self, path: Path | str) -> Reading | None:
        reading = self.readings.get(str(path))
        return reading if reading is not None and reading.still_valid(path) else None

    def put(self, path: Path | str, reading: Reading) -> None:
        self.readings[str(path)] = reading
        self.changed = True

    def keep_only(self, paths: set[str]) -> None:
        """Drop the readings of files that are gone."""
        for gone in set(self.readings) - paths:
            del self.readings[gone]
            self.changed = True

    @classmethod
    def load(cls, path: Path) -> StoryMemo:
        try:
            with path.open("rb") as handle:
                code, context, readings = pickle.load(handle)
        except Exception:  # missing, truncated or from another version: start afresh
            return cls()
        if code != code_digest():
            return cls()
        memo = cls(context)
        memo.readings = readings
        return memo

    def save(self, path: Path) -> None:
        if not self.changed:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            with temporary.open("wb") as handle:
                pickle.dump((code_digest(), self.context, self.readings), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
        self.changed = False
