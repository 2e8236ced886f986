"""The content model: typed, immutable records, free of any site engine."""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from frontline.content import urls
from frontline.content.images import ImageVariant
from frontline.content.slugs import slugify_vi


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
        return urls.author_url(self.id)


@dataclass(frozen=True, slots=True)
class Image:
    """A lead image: ``site_path`` is where it is published, ``file_path`` where it is read, relative to the project
    (``source_in``), as a story's ``source``: the model holds no absolute path, so a checkout in another folder (another
    CI runner) reads the same model from the memo and renders pages with the same keys."""

    site_path: str
    file_path: str
    alt: str
    caption: str = ""
    size: int = 0
    media_type: str = "image/jpeg"
    width: int | None = None
    height: int | None = None
    variants: tuple[ImageVariant, ...] = ()
    """Smaller copies for ``srcset`` (empty when the image is not resizable)."""

    def source_in(self, root: Path | str) -> str:
        """Where the file is, for the project at ``root``."""
        return os.path.join(root, self.file_path)


@dataclass(frozen=True, slots=True)
class Correction:
    """An "Đính chính" notice: what was corrected, and when."""

    date: datetime
    text: str


BODY_COMPRESSION = 1
"""zlib's fastest level: a story's body packs to about a quarter of its size in memory either way."""


LINK_MARKS = ("](", "]:", "=")
"""What any link or image a body holds must contain (inline, by reference, or a raw HTML attribute)."""
_LINKS, _NO_LINKS = b"L", b"-"


def pack_body(markdown: str) -> bytes:
    """A story's Markdown body as a story holds it: one byte telling whether it may hold a link (``may_link``),
    then the compressed UTF-8. Most bodies are prose: each build asks every story where its links lead, and
    the answer is then known without decompressing it."""
    mark = _LINKS if any(sign in markdown for sign in LINK_MARKS) else _NO_LINKS
    return mark + zlib.compress(markdown.encode("utf-8"), BODY_COMPRESSION)


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
    packed_body: bytes
    """The Markdown body (``body``), packed by ``pack_body``: a build holds every story at once, and in every
    process it forks; bodies as text were most of a large archive's memory."""
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
    corrections: tuple[Correction, ...] = ()
    aliases: tuple[str, ...] = ()
    """Old site-relative URLs (``2021/08/ten-cu/``) that redirect here."""
    url: str = field(init=False, repr=False, compare=False)
    """Site-relative URL, e.g. ``2021/08/ten-bai/`` (made once: builds ask for it often)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", urls.story_url(self.date, self.slug))

    @property
    def body(self) -> str:
        """The Markdown after the front matter."""
        return zlib.decompress(self.packed_body[1:]).decode("utf-8")

    @property
    def may_link(self) -> bool:
        """False when the body holds no link nor image (none of ``LINK_MARKS``)."""
        return self.packed_body[:1] != _NO_LINKS

    @property
    def last_modified(self) -> datetime:
        """The latest of ``date``, ``updated`` and every correction: the feed's ``updated``."""
        if self.updated is None and not self.corrections:  # most stories; asked for by every listing page they are on
            return self.date
        moments = [self.date, *(c.date for c in self.corrections)]
        if self.updated:
            moments.append(self.updated)
        return max(moments)

    @property
    def modified(self) -> datetime | None:
        """``last_modified`` when the story changed after publication, else ``None``."""
        return self.last_modified if self.last_modified > self.date else None

    @property
    def location_slug(self) -> str | None:
        return slugify_vi(self.location) if self.location else None

    @property
    def unit_slug(self) -> str | None:
        return slugify_vi(self.unit) if self.unit else None

    @property
    def place_url(self) -> str | None:
        """The section of its place (``location``), if it has one."""
        return urls.place_url(self.location) if self.location else None

    @property
    def unit_url(self) -> str | None:
        return urls.unit_url(self.unit) if self.unit else None

    @property
    def topic_links(self) -> list[tuple[str, str]]:
        """``(tag, URL of the tag's section)`` for each of its tags."""
        return [(tag, urls.topic_url(tag)) for tag in self.tags]

    def is_published(self, now: datetime) -> bool:
        """Drafts never, scheduled stories only from their date on."""
        return not self.draft and self.date <= now

    def status(self, now: datetime) -> str | None:
        """``"draft"``, ``"scheduled"`` or ``None`` (published): shown in previews."""
        if self.draft:
            return "draft"
        return "scheduled" if self.date > now else None


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
        return urls.campaign_url(self.id)

    @property
    def timeline_url(self) -> str:
        """Its TimelineJS data."""
        return urls.campaign_timeline_url(self.id)

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
    live: dict[str, LivePage] = field(default_factory=dict)
    """Live coverage pages by id, each with every valid update (scheduled ones too)."""

    def published(self, now: datetime) -> list[Story]:
        return [story for story in self.stories if story.is_published(now)]


@dataclass(frozen=True, slots=True)
class LiveUpdate:
    """One short, timestamped update of a live page: one file of its folder, so two reporters never edit the same
    file. ``id`` is the file's name without ``.md``: its anchor on the page and, with the page's id, its feed id."""

    id: str
    source: str
    time: datetime
    """In Vietnam time (+07:00), whatever offset was written."""
    authors: tuple[str, ...]
    body: str
    title: str = ""
    pinned: bool = False
    image: Image | None = None

    @property
    def anchor(self) -> str:
        return urls.live_update_anchor(self.id)


@dataclass(frozen=True, slots=True)
class LivePage:
    """A live coverage page ("Trực tiếp"): ``stories/live/<id>/index.md`` and its updates, newest first."""

    id: str
    source: str
    title: str
    start: datetime
    summary: str
    location: str | None = None
    end: datetime | None = None
    """Coverage ended at this moment; live while absent."""
    campaign: str | None = None
    image: Image | None = None
    updates: tuple[LiveUpdate, ...] = ()

    @property
    def url(self) -> str:
        return urls.live_url(self.id)

    def is_live(self, now: datetime) -> bool:
        return self.start <= now and (self.end is None or now < self.end)

    def is_published(self, now: datetime) -> bool:
        return self.start <= now

    def shown_updates(self, now: datetime) -> tuple[LiveUpdate, ...]:
        """The updates published by ``now`` (one dated later is scheduled), newest first."""
        return tuple(update for update in self.updates if update.time <= now)

    @property
    def last_modified(self) -> datetime:
        return max([self.start, *(update.time for update in self.updates)])
