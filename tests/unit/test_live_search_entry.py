"""A live page's search record: its pinned updates first, then the others from the first one, so that the usual
save (one more update, newest, not pinned) leaves the record, and so the search index, as it was."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from frontline.content.model import LivePage, LiveUpdate
from frontline.views.search_entries import LIVE_KIND, live_entry

VIETNAM = timezone(timedelta(hours=7))
START = datetime(2021, 5, 20, 6, 0, tzinfo=VIETNAM)


def _update(minute: int, body: str, *, pinned: bool = False) -> LiveUpdate:
    return LiveUpdate(f"u{minute}", f"u{minute}.md", START + timedelta(minutes=minute), ("ha",), body, pinned=pinned)


def _page(*updates: LiveUpdate) -> LivePage:
    ordered = tuple(sorted(updates, key=lambda update: update.time, reverse=True))
    return LivePage("cao-diem", "index.md", "Ngày cao điểm", START, "Tường thuật.", updates=ordered)


def test_pinned_words_then_the_first_updates_and_a_new_update_changes_nothing():
    first = _update(1, "một hai ba")
    key = _update(30, "tin chính", pinned=True)
    second = _update(45, "bốn năm sáu")
    entry = live_entry(_page(first, key, second), words=5)
    assert (entry.kind, entry.url, entry.title, entry.summary) == (
        LIVE_KIND,
        "truc-tiep/cao-diem/",
        "Ngày cao điểm",
        "Tường thuật.",
    )
    assert entry.text == "tin chính một hai ba" and entry.date == START.date()
    assert live_entry(_page(first, key, second, _update(90, "mới nhất")), words=5) == entry
    assert live_entry(_page(first, key, second, _update(90, "ghim mới", pinned=True)), words=5) != entry
