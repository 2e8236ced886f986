"""A campaign's activity chart: stories per day, week or month, with phases shaded.

Geometry is computed here, once per campaign; the template only draws it as inline SVG."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from frontline.content.model import Campaign, Story

WIDTH = 640
HEIGHT = 160
PLOT_TOP = 10
PLOT_BOTTOM = 130
UNIT_LABELS = {"day": "ngày", "week": "tuần", "month": "tháng"}


@dataclass(frozen=True, slots=True)
class Bar:
    start: date
    count: int
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True, slots=True)
class Band:
    title: str
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class ActivityChart:
    unit: str
    bars: tuple[Bar, ...]
    bands: tuple[Band, ...]
    ticks: tuple[Tick, ...]
    peak: int
    summary: str
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = PLOT_BOTTOM

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]


def _bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next(day: date, unit: str) -> date:
    if unit == "day":
        return day + timedelta(days=1)
    if unit == "week":
        return day + timedelta(days=7)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _label(day: date, unit: str) -> str:
    return f"{day.month}/{day.year}" if unit == "month" else f"{day.day}/{day.month}"


def activity_chart(campaign: Campaign, stories: list[Story], today: date) -> ActivityChart | None:
    """``stories``: the campaign's published stories. ``None`` when there is nothing to draw."""
    if not stories:
        return None
    first = min(campaign.start, min(s.date.date() for s in stories))
    last = max(campaign.end or today, max(s.date.date() for s in stories))
    span = (last - first).days + 1
    unit = "day" if span <= 62 else "week" if span <= 730 else "month"
    counts = Counter(_bin_start(s.date.date(), unit) for s in stories)
    starts = []
    cursor = _bin_start(first, unit)
    while cursor <= last:
        starts.append(cursor)
        cursor = _next(cursor, unit)
    origin, end = starts[0], _next(starts[-1], unit)
    scale = WIDTH / max(1, (end - origin).days)
    peak = max(counts.values())
    plot_height = PLOT_BOTTOM - PLOT_TOP

    def x_of(day: date) -> float:
        return round((day - origin).days * scale, 2)

    bars = []
    for start in starts:
        count = counts.get(start, 0)
        height = round(plot_height * count / peak, 2)
        width = max(1.0, round((_next(start, unit) - start).days * scale - 1, 2))
        label = f"{UNIT_LABELS[unit].capitalize()} {_label(start, unit)}: {count} bài"
        bars.append(Bar(start, count, x_of(start), round(PLOT_BOTTOM - height, 2), width, height, label))
    bands = tuple(
        Band(phase.title, x_of(phase.start), round((phase.end - phase.start).days * scale + scale, 2))
        for phase in campaign.phases
    )
    step = max(1, len(starts) // 6)
    ticks = tuple(Tick(x_of(start), _label(start, unit)) for start in starts[::step])
    busiest = max(starts, key=lambda start: (counts.get(start, 0), -start.toordinal()))
    summary = (
        f"Biểu đồ số bài theo {UNIT_LABELS[unit]} của chiến dịch {campaign.title}: {len(stories)} bài "
        f"từ {first.day}/{first.month}/{first.year} đến {last.day}/{last.month}/{last.year}; "
        f"nhiều nhất {peak} bài vào {UNIT_LABELS[unit]} {_label(busiest, unit)}"
        + (
            f"; các đợt cao điểm được tô màu: {', '.join(p.title for p in campaign.phases)}."
            if campaign.phases
            else "."
        )
    )
    return ActivityChart(unit, tuple(bars), bands, ticks, peak, summary)
