"""How the search index is cut into parts (``frontline.output.search.partition``): by day from the oldest, parts of
a fixed size, the newest part holding the rest and the undated pages, so that new and edited stories leave the other
parts' records as they were; with a recent size, the newest stories in a part of that size to twice it, so that an edit
to one of them re-indexes few records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from frontline.output.search import PART_RECORDS, PART_SIZE_VARIABLE, part_records, partition, search_day


def stories(count: int, start: datetime = datetime(2021, 1, 1, 8, tzinfo=UTC)) -> list[SimpleNamespace]:
    return [SimpleNamespace(url=f"/2021/tin-{n:03d}/", date=start + timedelta(days=n)) for n in range(count)]


def urls(part) -> list[str]:
    return [item.url for item in part.items]


def test_parts_fill_from_the_oldest_and_the_newest_holds_the_rest_and_the_undated_pages():
    items = stories(7)
    page = SimpleNamespace(url="/gioi-thieu/", date=None)
    parts = partition([page, *reversed(items)], 3)
    assert [part.folder for part in parts] == ["", "phan-2/", "phan-1/"]
    assert [urls(part) for part in parts] == [
        ["/2021/tin-006/", "/gioi-thieu/"],
        ["/2021/tin-003/", "/2021/tin-004/", "/2021/tin-005/"],
        ["/2021/tin-000/", "/2021/tin-001/", "/2021/tin-002/"],
    ]


def test_a_new_story_or_an_edited_one_leaves_the_other_parts_as_they_were():
    items = stories(10)
    before = partition(items, 3)
    after = partition([*items, *stories(1, datetime(2022, 1, 1, tzinfo=UTC))], 3)
    assert after[1:] == before[1:]
    assert urls(after[0]) == [*urls(before[0]), "/2021/tin-000/"]  # the new one's address sorts first, but is newest
    edited = [*items]
    edited[4] = SimpleNamespace(url=items[4].url, date=items[4].date, title="sửa")
    changed = [old != new for old, new in zip(before, partition(edited, 3), strict=True)]
    assert changed == [False, False, True, False]


def test_one_part_when_the_records_fit_and_days_are_the_sort_values():
    items = stories(4)
    assert [part.folder for part in partition(items, 4)] == [""]
    assert partition([], 4) == [partition([], 4)[0]] and partition([], 4)[0].items == ()
    assert search_day(SimpleNamespace(date=datetime(2021, 5, 20, 23, 30))) == "2021-05-20"
    assert search_day(SimpleNamespace(date=date(2021, 5, 15))) == "2021-05-15"
    assert search_day(SimpleNamespace(url="/")) is None


def test_the_part_size_is_set_by_one_variable(monkeypatch):
    monkeypatch.delenv(PART_SIZE_VARIABLE, raising=False)
    assert part_records() == PART_RECORDS
    monkeypatch.setenv(PART_SIZE_VARIABLE, "2")
    assert part_records() == 2
    for unusable in ("hai", "0", "²", "-3"):  # a part of no records, or a digit int() does not read
        monkeypatch.setenv(PART_SIZE_VARIABLE, unusable)
        assert part_records() == PART_RECORDS


def dated(part) -> int:
    return sum(item.date is not None for item in part.items)


def test_the_newest_stories_are_a_small_part_and_those_before_them_a_middle_one():
    items = stories(17)
    parts = partition([SimpleNamespace(url="/gioi-thieu/", date=None), *items], 6, recent=2)
    assert [part.folder for part in parts] == ["", "phan-3/", "phan-2/", "phan-1/"]
    assert [urls(part) for part in parts] == [
        ["/2021/tin-014/", "/2021/tin-015/", "/2021/tin-016/", "/gioi-thieu/"],
        ["/2021/tin-012/", "/2021/tin-013/"],
        [f"/2021/tin-{n:03d}/" for n in range(6, 12)],
        [f"/2021/tin-{n:03d}/" for n in range(6)],
    ]


def test_with_a_recent_size_every_archive_keeps_its_newest_part_small_and_its_parts_stable():
    size, recent = 6, 2
    for count in range(40):
        items = stories(count)
        parts = partition(items, size, recent=recent)
        newest, *older = parts
        assert [item for part in reversed(parts) for item in part.items] == items  # all, oldest first, once
        assert min(count, recent) <= dated(newest) <= max(2 * recent - 1, count if count < recent else 0)
        assert len(parts) <= max(1, -(-count // size)) + 1
        middle = [part for part in older if len(part.items) != size]
        assert middle in ([], older[:1])  # only the part just before the newest may be a middle one
        assert all(0 < len(part.items) < size and len(part.items) % recent == 0 for part in middle)
        assert [part.folder for part in reversed(older)] == [f"phan-{n}/" for n in range(1, len(older) + 1)]
        # A new story: the other parts as they were, unless the newest part was full.
        after = partition([*items, *stories(1, datetime(2022, 1, 1, tzinfo=UTC))], size, recent=recent)
        if dated(newest) < 2 * recent - 1 or count < recent:
            assert after[1:] == older
        # An edit to the newest story re-indexes the newest part only, at most 2 × recent - 1 records.
        if items:
            edited = [*items[:-1], SimpleNamespace(url=items[-1].url, date=items[-1].date, title="sửa")]
            changed = [old != new for old, new in zip(parts, partition(edited, size, recent=recent), strict=True)]
            assert changed == [True] + [False] * len(older)


def test_the_default_recent_size_is_a_tenth_of_a_part():
    parts = partition(stories(10_007), 5000)
    assert [len(part.items) for part in parts] == [507, 4500, 5000]
    assert [len(part.items) for part in partition(stories(10_500), 5000)] == [500, 5000, 5000]


def test_stories_of_one_day_are_in_the_order_of_their_times_so_a_new_one_joins_the_newest_part():
    day = datetime(2021, 7, 1, 6, tzinfo=UTC)
    # Addresses in the reverse order of the times: the later a story, the earlier its address sorts.
    items = [
        SimpleNamespace(url=f"/2021/07/tin-{99 - n:02d}/", date=day + timedelta(minutes=10 * n)) for n in range(24)
    ]
    before = partition(items, 20, recent=2)
    later = SimpleNamespace(url="/2021/07/tin-00a/", date=day + timedelta(hours=12))
    after = partition([*items, later], 20, recent=2)
    assert after[1:] == before[1:] and after[0].items == (*before[0].items, later)
    assert [item.date for part in reversed(after) for item in part.items] == sorted(i.date for i in [*items, later])
