"""A campaign's timeline: its stories and milestones, by day, under its phases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import groupby

from frontline.content.dates import VIETNAM
from frontline.content.model import Campaign, Milestone, Phase, Story
from frontline.views.live import LiveEntry


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A story, a milestone or a live page; exactly one of the three is set."""

    moment: datetime
    has_time: bool
    story: Story | None = None
    milestone: Milestone | None = None
    live: LiveEntry | None = None

    @property
    def is_milestone(self) -> bool:
        """Milestones are the campaign's own events and stories flagged ``milestone: true``."""
        return self.milestone is not None or bool(self.story and self.story.milestone)

    @property
    def title(self) -> str:
        if self.live is not None:
            return self.live.title
        return self.story.title if self.story else self.milestone.title  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class TimelineDay:
    day: date
    entries: tuple[TimelineEntry, ...]


@dataclass(frozen=True, slots=True)
class TimelineSegment:
    """A run of days inside one phase, or between phases (``phase is None``)."""

    phase: Phase | None
    days: tuple[TimelineDay, ...] = field(default_factory=tuple)

    @property
    def anchor(self) -> str:
        first = self.phase.start if self.phase else self.days[0].day
        return f"giai-doan-{first:%Y-%m-%d}"


@dataclass(frozen=True, slots=True)
class Timeline:
    campaign: Campaign
    segments: tuple[TimelineSegment, ...]

    @property
    def entries(self) -> list[TimelineEntry]:
        return [entry for segment in self.segments for day in segment.days for entry in day.entries]


def build_timeline(campaign: Campaign, stories: list[Story], live: tuple[LiveEntry, ...] = ()) -> Timeline:
    """Chronological timeline of ``campaign``; ``stories`` are the published stories, ``live`` its live pages
    (each an entry at its start).

    Stories of other campaigns are ignored; ties keep a stable order (time, then title)."""
    entries = [
        TimelineEntry(story.date, story.has_time, story=story) for story in stories if story.campaign == campaign.id
    ]
    entries += [TimelineEntry(entry.start, True, live=entry) for entry in live]
    entries += [TimelineEntry(m.date, m.has_time, milestone=m) for m in campaign.milestones]
    entries.sort(key=lambda entry: (entry.moment, entry.milestone is None, entry.title))

    segments: list[TimelineSegment] = []
    for phase, in_phase in groupby(entries, key=lambda entry: campaign.phase_of(entry.moment.date())):
        days = tuple(
            TimelineDay(day, tuple(day_entries))
            for day, day_entries in groupby(in_phase, key=lambda entry: entry.moment.date())
        )
        segments.append(TimelineSegment(phase, days))
    shown = {segment.phase for segment in segments if segment.phase}
    segments += [TimelineSegment(phase) for phase in campaign.phases if phase not in shown]
    segments.sort(key=_segment_start)
    return Timeline(campaign, tuple(segments))


def _segment_start(segment: TimelineSegment) -> datetime:
    if segment.days:
        return segment.days[0].entries[0].moment
    assert segment.phase is not None
    return datetime.combine(segment.phase.start, time(), VIETNAM)
