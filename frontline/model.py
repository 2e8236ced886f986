"""The content model: typed, immutable records, free of any site engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from frontline.slugs import slugify_vi


@dataclass(frozen=True, slots=True)
class Author:
    id: str
    name: str
    role: str = ""
    unit: str = ""
    bio: str = ""
    avatar: str | None = None

    @property
    def url(self) -> str:
        return f"authors/{self.id}/"


@dataclass(frozen=True, slots=True)
class Image:
    """A lead image: ``site_path`` is where it is published, ``file_path`` where it is read."""

    site_path: str
    file_path: str
    alt: str
    caption: str = ""
    size: int = 0
    media_type: str = "image/jpeg"


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    source: str
    """Path of the file under the project root, e.g. ``stories/2021/08/ten-bai.md``."""
    title: str
    date: datetime
    has_time: bool
    authors: tuple[str, ...]
    slug: str
    body: str
    summary: str
    """The reporter's ``summary``, or else the body's first paragraph (for lists and feeds)."""
    summary_given: bool = False
    """Whether ``summary`` was written (then the story page shows it as a standfirst)."""
    campaign: str | None = None
    location: str | None = None
    unit: str | None = None
    tags: tuple[str, ...] = ()
    image: Image | None = None
    milestone: bool = False
    draft: bool = False
    updated: datetime | None = None

    @property
    def url(self) -> str:
        """Site-relative URL, e.g. ``2021/08/ten-bai/``."""
        return f"{self.date:%Y}/{self.date:%m}/{self.slug}/"

    @property
    def last_modified(self) -> datetime:
        return max(self.date, self.updated) if self.updated else self.date

    @property
    def location_slug(self) -> str | None:
        return slugify_vi(self.location) if self.location else None

    @property
    def unit_slug(self) -> str | None:
        return slugify_vi(self.unit) if self.unit else None

    def is_published(self, now: datetime) -> bool:
        """Drafts never, scheduled stories only from their date on."""
        return not self.draft and self.date <= now


@dataclass(frozen=True, slots=True)
class Phase:
    title: str
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Milestone:
    date: datetime
    has_time: bool
    title: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Campaign:
    id: str
    source: str
    title: str
    start: date
    end: date | None = None
    summary: str = ""
    phases: tuple[Phase, ...] = ()
    milestones: tuple[Milestone, ...] = ()

    @property
    def url(self) -> str:
        return f"campaigns/{self.id}/"

    def is_ongoing(self, today: date) -> bool:
        return self.start <= today and (self.end is None or today <= self.end)

    def phase_of(self, day: date) -> Phase | None:
        return next((phase for phase in self.phases if phase.contains(day)), None)


@dataclass(slots=True)
class Content:
    """Everything the newsroom has written, validated, as one value.

    ``stories`` holds every valid story, drafts and scheduled ones included,
    newest first; ``published(now)`` is what a build shows."""

    stories: list[Story] = field(default_factory=list)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    authors: dict[str, Author] = field(default_factory=dict)

    def published(self, now: datetime) -> list[Story]:
        return [story for story in self.stories if story.is_published(now)]
