"""Caches that cannot be turned against the build: the story memo is data read into the model's own records
(never code), a story's change is seen whatever its file's modification time says, and a cached page is
published only while it holds what was stored."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontline.build.cache import PageCache
from frontline.content.dates import VIETNAM
from frontline.content.images import ImageVariant
from frontline.content.loader import Layout, load_content
from frontline.content.memo import RECORDS, Reading, StoryMemo
from frontline.content.model import Correction, Image, Story, pack_body
from frontline.content.problems import Problem
from frontline.engine.mkdocs import MEMO_FILE
from tests.sites import REPO, make_site, story


def _all_values(value: object) -> list[object]:
    """``value`` and everything it holds."""
    found = [value]
    if isinstance(value, tuple | list):
        for item in value:
            found += _all_values(item)
    elif type(value) in RECORDS:
        for field in fields(value):
            if field.init:
                found += _all_values(getattr(value, field.name))
    return found


def _assert_round_trip(memo: StoryMemo, path: Path) -> StoryMemo:
    memo.changed = True
    memo.save(path)
    loaded = StoryMemo.load(path)
    assert loaded.context == memo.context
    assert loaded.readings == memo.readings
    for name, reading in memo.readings.items():
        # Equal and spelled alike: cache keys are digests of repr() (a nameless +07:00 would change every key).
        assert repr(loaded.readings[name]) == repr(reading)
        if reading.story is not None:
            assert loaded.readings[name].story.url == reading.story.url
    allowed = {*RECORDS, str, bytes, int, bool, type(None), tuple, datetime, date}
    assert {type(value) for reading in loaded.readings.values() for value in _all_values(reading)} <= allowed
    return loaded


def test_every_demo_story_reads_back_from_the_memo_as_it_was_read(tmp_path):
    memo = StoryMemo()
    content, problems = load_content(Layout.for_project(REPO), memo=memo)
    assert len(content.stories) > 40 and problems == []
    assert any(story.image is not None and story.image.variants for story in content.stories)
    loaded = _assert_round_trip(memo, tmp_path / MEMO_FILE)
    again, _ = load_content(Layout.for_project(REPO), memo=loaded)
    assert again.stories == content.stories and not loaded.changed  # every reading used, none read again


def test_a_memo_holds_problems_and_a_file_name_that_is_not_utf8(newsroom_memo, tmp_path):
    memo, _ = newsroom_memo
    assert any(reading.problems for reading in memo.readings.values())
    memo.readings[os.fsdecode(b"stories/2021/05/t\xean-c\xfc.md")] = next(iter(memo.readings.values()))
    _assert_round_trip(memo, tmp_path / MEMO_FILE)


@pytest.fixture
def newsroom_memo(tmp_path):
    site = make_site(tmp_path / "newsroom")
    site.write(
        "stories/2021/05/a.md", story("Bài A", "2021-05-20T09:00", corrections="[{date: 2021-05-21, text: Sửa}]")
    )
    site.write("stories/2021/05/b.md", story("Bài B", "2021-05-21", image="anh.jpg", image_alt="Ảnh"))  # no image
    memo = StoryMemo()
    load_content(Layout.for_project(site.root), memo=memo)
    return memo, site


text = st.text(max_size=12)


moments = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)).map(
    lambda moment: moment.replace(tzinfo=VIETNAM, fold=0)  # as the loader's astimezone() gives
)


numbers = st.integers(min_value=-(2**70), max_value=2**70)


stamps = st.none() | st.tuples(numbers, numbers, numbers, numbers)


texts = st.lists(text, max_size=3).map(tuple)


images = st.builds(
    Image,
    site_path=text,
    file_path=text,
    alt=text,
    caption=text,
    size=numbers,
    media_type=text,
    width=st.none() | numbers,
    height=st.none() | numbers,
    variants=st.lists(st.builds(ImageVariant, site_path=text, width=numbers), max_size=3).map(tuple),
)


stories = st.builds(
    Story,
    id=text,
    source=text,
    title=text,
    date=moments,
    has_time=st.booleans(),
    authors=texts,
    slug=text,
    packed_body=st.text(max_size=200).map(pack_body),
    summary=text,
    summary_given=st.booleans(),
    campaign=st.none() | text,
    location=st.none() | text,
    unit=st.none() | text,
    tags=texts,
    image=st.none() | images,
    milestone=st.booleans(),
    draft=st.booleans(),
    updated=st.none() | moments,
    corrections=st.lists(st.builds(Correction, date=moments, text=text), max_size=3).map(tuple),
    aliases=texts,
)


readings = st.builds(
    Reading,
    stamp=stamps,
    digest=st.none() | text,
    looked_at=st.lists(st.tuples(text, stamps, st.none() | text), max_size=2).map(tuple),
    story=st.none() | stories,
    problems=st.lists(st.builds(Problem, path=text, line=numbers, field=text, message=text), max_size=3).map(tuple),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(context=text, found=st.dictionaries(text, readings, max_size=4))
def test_any_readings_read_back_equal(tmp_path, context, found):
    memo = StoryMemo(context)
    memo.readings = found
    _assert_round_trip(memo, tmp_path / "memo.json")


class _Marker:
    """Unpickling this runs ``open(path, "w")``: what a crafted pickle in a shared cache could do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def _variants(saved: bytes, poison: str, marker: Path) -> dict[str, bytes]:
    """Crafted memo files from ``saved`` (one this code wrote): the story titled ``Bài A`` is retitled ``poison``."""
    header, context_line, *lines = saved.splitlines()
    context = json.loads(context_line)
    readings = dict(json.loads(line) for line in lines)
    title = [field.name for field in fields(Story) if field.init].index("title")
    story_at = [field.name for field in fields(Reading)].index("story")
    problems_at = [field.name for field in fields(Reading)].index("problems")
    for reading in readings.values():
        if reading[story_at] is not None and reading[story_at][title] == "Bài A":
            reading[story_at][title] = poison

    def crafted(head: bytes = header, value: object = None) -> bytes:
        """The memo file's form: its header, the context, then one ``[path, reading]`` a line."""
        written_context, written = [context, readings] if value is None else value
        lines = [json.dumps(written_context), *(json.dumps([path, r]) for path, r in written.items())]
        return head + b"\n" + "\n".join(lines).encode() + b"\n"

    one = next(iter(readings))
    first = readings[one]
    extra_value = {**readings, one: [*first[:story_at], [*first[story_at], "thừa"], *first[story_at + 1 :]]}
    named = {**readings, one: {"__class__": "os.system", "args": ["touch " + str(marker)]}}
    wrong_type = {**readings, one: [*first[:problems_at], "không phải danh sách", *first[problems_at + 1 :]]}
    date_at = [field.name for field in fields(Story) if field.init].index("date")
    naive_story = [value if at != date_at else "2021-05-20T09:00" for at, value in enumerate(first[story_at])]
    naive = {**readings, one: [*first[:story_at], naive_story, *first[story_at + 1 :]]}
    return {
        "control": crafted(),
        "pickle": pickle.dumps(_Marker(marker)),
        "another version": crafted(head=header.replace(b"memo 4", b"memo 5")),
        "another code": crafted(head=header[:-4] + b"0000"),
        "a field too many": crafted(value=[context, extra_value]),
        "a class named": crafted(value=[context, named]),
        "a wrong type": crafted(value=[context, wrong_type]),
        "a time without offset": crafted(value=[context, naive]),
        "truncated": crafted()[: len(crafted()) // 2],
        "nested deep": header + b"\n" + b"[" * 100_000 + b"]" * 100_000,
    }


def test_crafted_memo_files_are_read_as_an_empty_memo(newsroom_memo, tmp_path):
    memo, _ = newsroom_memo
    path = tmp_path / MEMO_FILE
    memo.save(path)
    marker = tmp_path / "ran"
    crafted = _variants(path.read_bytes(), "BỊ CHÈN", marker)
    path.write_bytes(crafted.pop("control"))  # the control: read, so the variants below would show if read
    assert any(r.story and r.story.title == "BỊ CHÈN" for r in StoryMemo.load(path).readings.values())
    for name, data in crafted.items():
        path.write_bytes(data)
        loaded = StoryMemo.load(path)
        assert loaded.readings == {} and loaded.context == "", name
    assert not marker.exists()


def test_cache_entries_are_checked_whenever_used(tmp_path):
    folder, site = tmp_path / "pages", tmp_path / "site"
    site.mkdir()
    key = "ab" * 20
    page = site / "trang.html"
    page.write_text("<p>trang</p>", encoding="utf-8")
    cache = PageCache(folder)
    cache.store(key, page)
    cache.store(key, page, suffix=".atom")
    cache.keep_fragments([(key, "<p>thân bài</p>")])
    (entry,) = folder.glob(f"{key}-*.html")
    assert os.path.samefile(entry, page) and entry.stat().st_mode & 0o777 == 0o444

    fetched = tmp_path / "lay" / "trang.html"
    assert PageCache(folder).fetch(key, fetched) and fetched.read_text(encoding="utf-8") == "<p>trang</p>"
    assert PageCache(folder).fragment(key) == "<p>thân bài</p>"

    entry.chmod(0o644)  # made writable, unchanged: used, and read-only again
    assert PageCache(folder).fetch(key, tmp_path / "lai.html") and entry.stat().st_mode & 0o777 == 0o444

    entry.chmod(0o644)
    entry.write_text("<p>trang</p><script>x()</script>", encoding="utf-8")
    (atom,) = folder.glob(f"{key}-*.atom")
    atom.chmod(0o644)
    atom.write_text("<feed/>", encoding="utf-8")
    with sqlite3.connect(folder / "bodies.sqlite") as bodies:
        bodies.execute("UPDATE body SET html = '<p>khác</p>'")
    bodies.close()
    cache = PageCache(folder)
    again = tmp_path / "lan-nua.html"
    assert not cache.fetch(key, again) and not again.exists() and not entry.exists()
    assert not cache.fetch(key, tmp_path / "feed.atom", suffix=".atom") and not atom.exists()
    assert cache.fragment(key) is None


def test_a_memo_appends_what_changed_and_reads_back_as_the_memo_it_was(newsroom_memo, tmp_path):
    """A story re-read is one line appended to the memo file, a story gone a line naming it with no reading; read
    back, the memo is the one saved. Once the lines are past ``COMPACT_AFTER`` times the readings, or another
    process wrote the file, it is written anew."""
    import dataclasses

    from frontline.content import memo as memo_module

    memo, site = newsroom_memo
    path = tmp_path / MEMO_FILE
    memo.save(path)
    first = path.read_bytes()
    loaded = StoryMemo.load(path)
    assert loaded.readings == memo.readings

    name = next(name for name, reading in loaded.readings.items() if reading.story is not None)
    edited = dataclasses.replace(loaded.readings[name], fingerprint="ghi-chu")
    loaded.readings[name] = edited
    loaded._mark(name)
    gone = next(other for other in loaded.readings if other != name)
    loaded.use_root(site.root)
    loaded.keep_only({os.path.join(str(site.root), other) for other in loaded.readings if other != gone})
    inode = path.stat().st_ino
    loaded.save(path)
    assert path.stat().st_ino == inode and path.read_bytes().startswith(first)  # appended, not written anew
    assert len(path.read_bytes().splitlines()) == len(first.splitlines()) + 2
    again = StoryMemo.load(path)
    assert again.readings == loaded.readings and gone not in again.readings and again.readings[name] == edited

    other = path.with_name("other")
    other.write_bytes(path.read_bytes())
    os.replace(other, path)  # another process wrote the memo meanwhile (another inode): written anew
    again.readings[name] = dataclasses.replace(edited, fingerprint="khac")
    again._mark(name)
    again.save(path)
    assert len(path.read_bytes().splitlines()) == 2 + len(again.readings)
    assert StoryMemo.load(path).readings == again.readings

    compacted = StoryMemo.load(path)
    for turn in range(int(memo_module.COMPACT_AFTER * len(compacted.readings)) + 70):
        compacted.readings[name] = dataclasses.replace(edited, fingerprint=f"lan-{turn}")
        compacted._mark(name)
        compacted.save(path)
    assert len(path.read_bytes().splitlines()) <= 2 + memo_module.COMPACT_AFTER * len(compacted.readings) + 64
    assert StoryMemo.load(path).readings == compacted.readings


def test_a_memo_is_not_appended_to_another_memos_file_nor_after_a_cut_line(newsroom_memo, tmp_path):
    """A file with this memo's device, inode, size and modification time but another context (an inode is reused
    when files are replaced) is written anew, not appended to; so is one whose last line an append did not end."""
    import dataclasses

    memo, _ = newsroom_memo
    path = tmp_path / MEMO_FILE
    memo.save(path)
    loaded = StoryMemo.load(path)
    name = next(name for name, reading in loaded.readings.items() if reading.story is not None)

    status = path.stat()
    data = path.read_bytes()
    header, context, rest = data.split(b"\n", 2)
    other = context[:-2] + (b"0" if context[-2:-1] != b"0" else b"1") + context[-1:]  # same length, another context
    with path.open("r+b") as handle:  # in place: the same inode and size
        handle.write(header + b"\n" + other + b"\n" + rest)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    loaded.readings[name] = dataclasses.replace(loaded.readings[name], fingerprint="moi")
    loaded._mark(name)
    loaded.save(path)
    again = StoryMemo.load(path)
    assert again.context == loaded.context and again.readings == loaded.readings
    assert len(path.read_bytes().splitlines()) == 2 + len(loaded.readings)  # written anew

    path.write_bytes(path.read_bytes()[:-1])  # an append stopped before its line's end
    cut = StoryMemo.load(path)
    assert cut.readings == loaded.readings  # the line is whole but for its end: read
    cut.readings[name] = dataclasses.replace(cut.readings[name], fingerprint="sau")
    cut._mark(name)
    cut.save(path)
    assert StoryMemo.load(path).readings == cut.readings
    assert len(path.read_bytes().splitlines()) == 2 + len(cut.readings)
