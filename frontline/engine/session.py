"""A build session: what one build holds and does between MkDocs' events, and what a kept site folder
(``frontline preview``) carries from one build to the next."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from mkdocs.structure.files import File

from frontline.model import Story
from frontline.views.site import SiteView


@dataclass(slots=True)
class Baseline:
    """The last build that completed into a site folder: a rebuild with the same
    site-wide inputs only re-keys the pages a change can reach."""

    site_key: str
    view: SiteView
    story_keys: dict[str, str]


@dataclass(slots=True)
class SiteFolder:
    """What Frontline wrote into one site folder. Kept across builds only while the folder
    is (``serve --dirty``, as ``frontline preview`` runs): a build then writes only what
    changed. Each record is dropped before its file is written, so it never claims more
    than the folder holds, even after a build that stopped part-way."""

    path: str
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Frontline page ``src_uri`` → (file, key) written there."""
    feeds: dict[str, str] = field(default_factory=dict)
    """Channel key → key of the RSS and Atom files written there."""
    sitemap: list[tuple[str, str]] | None = None
    files: dict[str, tuple[Story | None, File]] = field(default_factory=dict)
    """Frontline's virtual files by ``src_uri``, with the story each was made from."""
    baseline: Baseline | None = None


class Stopwatch:
    """Where a build's time goes, by phase (``FRONTLINE_TIMINGS=1`` logs it after each build).
    A phase is the time since the mark before it; "MkDocs:" phases run between the hooks."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.phases: list[tuple[str, float]] = []

    def mark(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases.append((phase, now - self.last))
        self.last = now

    def summary(self) -> str:
        total = sum(seconds for _, seconds in self.phases)
        return f"Frontline: {total:.2f} s: " + ", ".join(f"{phase} {seconds:.2f}" for phase, seconds in self.phases)
