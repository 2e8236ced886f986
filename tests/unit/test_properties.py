"""Property-based tests of the parsing helpers: slugs, dates, front matter."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone

import yaml
from hypothesis import given
from hypothesis import strategies as st

from frontline.content.dates import VIETNAM, parse_when
from frontline.content.frontmatter import decode_text, parse_document
from frontline.content.slugs import slugify_vi

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
vietnamese_text = st.text(
    alphabet=VIETNAMESE + VIETNAMESE.upper() + " -,.:!?0123456789'\"<>&/", min_size=0, max_size=60
)
SLUG = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*)?$")


def test_known_transliterations():
    assert slugify_vi("Đà Nẵng") == "da-nang"
    assert slugify_vi("Đường phố TP Hồ Chí Minh") == "duong-pho-tp-ho-chi-minh"
    assert slugify_vi('Bệnh viện 19-8: "3-4 tại chỗ"') == "benh-vien-19-8-3-4-tai-cho"


@given(vietnamese_text)
def test_slugs_are_safe_and_stable(text):
    slug = slugify_vi(text)
    assert SLUG.match(slug)
    assert "/" not in slug and ".." not in slug
    assert slugify_vi(slug) == slug
    assert slugify_vi(unicodedata.normalize("NFD", text)) == slug


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_any_offset_is_converted_to_vietnam_time(moment, offset_minutes):
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    parsed, has_time = parse_when(aware.isoformat())
    assert parsed == aware
    assert parsed.utcoffset() == timedelta(hours=7)
    assert has_time


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)).map(lambda d: d.replace(microsecond=0))
)
def test_times_without_offset_are_vietnam_wall_time(moment):
    for text in (moment.isoformat(), moment.isoformat(sep=" ")):
        parsed, _ = parse_when(text)
        assert parsed.replace(tzinfo=None) == moment and parsed.tzinfo == VIETNAM
    day, has_time = parse_when(moment.date().isoformat())
    assert (day.date(), day.hour, has_time) == (moment.date(), 0, False)


@given(
    title=vietnamese_text.filter(lambda t: t.strip()),
    tags=st.lists(vietnamese_text, max_size=4),
    crlf=st.booleans(),
    body=vietnamese_text,
)
def test_front_matter_round_trips(title, tags, crlf, body):
    meta = {"title": title, "tags": tags, "draft": False}
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    document, problems = parse_document(decode_text(("\ufeff" + text).encode("utf-8")), "x.md")
    assert problems == []
    assert document.meta["title"] == unicodedata.normalize("NFC", title)
    assert document.meta["tags"] == [unicodedata.normalize("NFC", tag) for tag in tags]
    assert document.line_of("title") == 2
    assert document.body.rstrip("\n") == unicodedata.normalize("NFC", body).rstrip("\n")
