"""Index sections (authors, places, units, topics, months) and their paginated pages."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from frontline.content import urls
from frontline.content.model import Author, Story
from frontline.content.slugs import slugify_vi
from frontline.content.urls import SECTION_ROOTS, SectionKind

SECTION_LABELS: dict[SectionKind, str] = {
    "author": "Tác giả",
    "place": "Địa phương",
    "unit": "Đơn vị",
    "topic": "Chủ đề",
    "month": "Lưu trữ",
}


@dataclass(frozen=True, slots=True)
class Section:
    """All published stories sharing one author, place, unit, topic or month, newest first."""

    kind: SectionKind
    key: str
    title: str
    stories: tuple[Story, ...]
    author: Author | None = None

    @property
    def url(self) -> str:
        return urls.section_url(self.kind, self.key)

    @property
    def index_url(self) -> str:
        """The page listing every section of its kind."""
        return urls.section_index_url(self.kind)

    @property
    def label(self) -> str:
        return SECTION_LABELS[self.kind]


@dataclass(frozen=True, slots=True)
class SectionPage:
    """One page of a section's listing."""

    section: Section
    number: int
    count: int
    stories: tuple[Story, ...]

    @property
    def url(self) -> str:
        return urls.section_page_url(self.section.url, self.number)

    @property
    def previous_url(self) -> str | None:
        return urls.section_page_url(self.section.url, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return urls.section_page_url(self.section.url, self.number + 1) if self.number < self.count else None


def section_keys(story: Story, authors: dict[str, Author]) -> list[tuple[SectionKind, str, str]]:
    """The ``(kind, key, title)`` of every section that lists ``story`` (none where the key is empty)."""
    keys: list[tuple[SectionKind, str, str]] = [("author", a, authors[a].name) for a in story.authors if a in authors]
    if story.location:
        keys.append(("place", urls.section_key(story.location), story.location))
    if story.unit:
        keys.append(("unit", urls.section_key(story.unit), story.unit))
    keys += [("topic", urls.section_key(tag), tag) for tag in story.tags]
    keys.append(("month", urls.month_key(story.date), f"Tháng {story.date.month}/{story.date.year}"))
    return keys


def build_sections(stories: list[Story], authors: dict[str, Author]) -> dict[SectionKind, list[Section]]:
    """Group ``stories`` (newest first) into every kind of section, each sorted by title."""
    groups: dict[tuple[SectionKind, str], list[Story]] = defaultdict(list)
    titles: dict[tuple[SectionKind, str], str] = {}
    for story in stories:
        for kind, key, title in section_keys(story, authors):
            if key:
                groups[(kind, key)].append(story)
                titles.setdefault((kind, key), title)
    sections: dict[SectionKind, list[Section]] = {kind: [] for kind in SECTION_ROOTS}
    for (kind, key), members in groups.items():
        sections[kind].append(
            Section(kind, key, titles[(kind, key)], tuple(members), authors.get(key) if kind == "author" else None)
        )
    for kind, items in sections.items():
        if kind == "month":
            items.sort(key=lambda section: section.key, reverse=True)
        else:
            items.sort(key=lambda section: (slugify_vi(section.title), section.key))
    return sections


def substituted_sections(
    sections: dict[SectionKind, list[Section]], stories: list[Story], authors: dict[str, Author]
) -> dict[SectionKind, list[Section]]:
    """``sections`` with ``stories`` in place of the stories of their ids, each listed by the sections it was and in
    the same place (its date and the keys of ``section_keys`` unchanged)."""
    by_id = {story.id: story for story in stories}
    touched = {(kind, key) for story in stories for kind, key, _ in section_keys(story, authors) if key}
    result: dict[SectionKind, list[Section]] = {}
    for kind, items in sections.items():
        result[kind] = [
            dataclasses.replace(section, stories=tuple(by_id.get(story.id, story) for story in section.stories))
            if (kind, section.key) in touched
            else section
            for section in items
        ]
    return result


def paginate(section: Section, per_page: int) -> list[SectionPage]:
    count = max(1, -(-len(section.stories) // per_page))
    return [
        SectionPage(section, number, count, section.stories[(number - 1) * per_page : number * per_page])
        for number in range(1, count + 1)
    ]
