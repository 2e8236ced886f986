"""Timeline, feeds and sections: pure functions of the content model, tested without MkDocs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import feedparser
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from frontline.config.settings import SiteInfo
from frontline.content.model import Author, Campaign, Milestone, Phase, Story, pack_body
from frontline.content.summaries import leading_words
from frontline.output.exports import sitemap_files
from frontline.output.feed_documents import FeedEntries, render_feed
from frontline.output.files import write_sitemaps
from frontline.views.campaigns import campaign_neighbours, stories_by_campaign
from frontline.views.feeds import FeedChannel, story_guid
from frontline.views.sections import build_sections, paginate
from frontline.views.structured import reading_minutes
from frontline.views.timeline import build_timeline

VN = datetime.fromisoformat("2021-01-01T00:00:00+07:00").tzinfo
SITE = SiteInfo(url="https://example.vn/", name="Tuyến đầu", id_authority="example.vn")
AUTHORS = {"ha": Author("ha", "Nguyễn Thu Hà"), "duc": Author("duc", "Trần Minh Đức")}


def make_story(ident: str, when: str, **fields) -> Story:
    moment = datetime.fromisoformat(when).astimezone(VN)
    defaults = dict(
        id=ident,
        source=f"stories/{ident}.md",
        title=f"Bài {ident}",
        date=moment,
        has_time=True,
        authors=("ha",),
        slug=ident,
        body="",
        summary=f"Tóm tắt {ident}",
    )
    defaults.update(fields)
    defaults["packed_body"] = pack_body(defaults.pop("body"))
    return Story(**defaults)


CAMPAIGN = Campaign(
    id="bg",
    source="docs/campaigns/bg.md",
    title="Bắc Giang",
    start=date(2021, 5, 15),
    end=date(2021, 6, 30),
    phases=(
        Phase("Cao điểm", date(2021, 5, 20), date(2021, 5, 31)),
        Phase("Đợt cuối", date(2021, 6, 20), date(2021, 6, 30)),
    ),
    milestones=(Milestone(datetime(2021, 5, 20, 7, 0, tzinfo=VN), True, "Khai trương bệnh viện"),),
)


def test_timeline_groups_stories_and_milestones_by_phase_and_day():
    stories = [
        make_story("c", "2021-05-21T08:00:00+07:00", campaign="bg"),
        make_story("a", "2021-05-17T10:00:00+07:00", campaign="bg"),
        make_story("b", "2021-05-20T09:00:00+07:00", campaign="bg", milestone=True),
        make_story("x", "2021-05-20T09:30:00+07:00", campaign="other"),
        make_story("d", "2021-06-02T23:30:00+00:00", campaign="bg"),  # 3 June in Vietnam
    ]
    timeline = build_timeline(CAMPAIGN, stories)
    assert [entry.title for entry in timeline.entries] == ["Bài a", "Khai trương bệnh viện", "Bài b", "Bài c", "Bài d"]
    assert [(s.phase.title if s.phase else None) for s in timeline.segments] == [None, "Cao điểm", None, "Đợt cuối"]
    peak = timeline.segments[1]
    assert [day.day for day in peak.days] == [date(2021, 5, 20), date(2021, 5, 21)]
    assert [e.is_milestone for e in peak.days[0].entries] == [True, True]
    assert timeline.segments[2].days[0].day == date(2021, 6, 3)
    assert timeline.segments[3].days == ()


def test_neighbours_follow_campaign_order():
    stories = [
        make_story("b", "2021-05-20T09:00:00+07:00", campaign="bg"),
        make_story("a", "2021-05-17T10:00:00+07:00", campaign="bg"),
        make_story("z", "2021-05-18T10:00:00+07:00"),
    ]
    neighbours = campaign_neighbours(stories_by_campaign(stories))
    assert neighbours["a"].previous is None and neighbours["a"].next.id == "b"
    assert neighbours["b"].previous.id == "a" and neighbours["b"].next is None
    assert "z" not in neighbours


def test_feed_is_valid_newest_first_with_stable_guids():
    older = make_story("2021/05/a", "2021-05-17T10:00:00+07:00", campaign="bg", tags=("y tế",))
    newer = make_story(
        "urn:uuid:6f1c",
        "2021-05-20T09:00:00+07:00",
        updated=datetime(2021, 5, 22, 18, 0, tzinfo=VN),
        authors=("ha", "duc"),
    )
    channel = FeedChannel("site", "Tuyến đầu", "Tin", "", (newer, older))
    entries = FeedEntries(SITE, AUTHORS, {"bg": CAMPAIGN}, lambda s: f'<p><a href="{SITE.url}x">{s.title}</a></p>')
    rss, atom = render_feed(channel, entries, newer.date)
    for payload in (rss, atom):
        parsed = feedparser.parse(payload)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert [entry.id for entry in parsed.entries] == ["urn:uuid:6f1c", "tag:example.vn,2020:2021/05/a"]
        assert parsed.entries[1].published_parsed[:5] == (2021, 5, 17, 3, 0)  # 10:00 +07:00 in UTC
        assert {tag.term for tag in parsed.entries[1].tags} == {"Bắc Giang", "y tế"}
    assert b"<pubDate>Thu, 20 May 2021 09:00:00 +0700</pubDate>" in rss
    assert b"<updated>2021-05-22T18:00:00+07:00</updated>" in atom
    assert b'<atom:link href="https://example.vn/feed.xml" rel="self"/>' in rss
    assert b'<link href="https://example.vn/atom.xml" rel="self"/>' in atom
    assert b"<link>https://example.vn/</link>" in rss


def test_a_story_in_several_channels_is_the_same_whole_item_in_each():
    """Entries are made once a build and shared by the channels (site, campaign, place, topic feeds)."""
    first = make_story("2021/05/a", "2021-05-17T10:00:00+07:00", campaign="bg", tags=("y tế",))
    second = make_story("2021/05/b", "2021-05-18T10:00:00+07:00", authors=("ha", "duc"))
    entries = FeedEntries(SITE, AUTHORS, {"bg": CAMPAIGN}, lambda s: f"<p>Nội dung {s.title}</p>")
    site_feed = FeedChannel("site", "Tuyến đầu", "Tin", "", (second, first))
    campaign_feed = FeedChannel("bg", "Bắc Giang", "Chiến dịch", "campaigns/bg/", (first,))
    rendered = [render_feed(channel, entries, second.date) for channel in (site_feed, campaign_feed, site_feed)]
    assert rendered[0] == rendered[2]
    for rss, atom in rendered:
        for payload in (rss, atom):
            parsed = feedparser.parse(payload)
            assert not parsed.bozo, parsed.get("bozo_exception")
            item = parsed.entries[-1]
            assert item.id == "tag:example.vn,2020:2021/05/a" and item.title == first.title
            assert {tag.term for tag in item.tags} == {"Bắc Giang", "y tế"}
            assert f"Nội dung {first.title}" in item.content[0].value
    site_rss = feedparser.parse(rendered[0][0])
    assert [len(entry.authors) for entry in site_rss.entries] == [2, 1]
    for (rss, atom), count in zip(rendered, (2, 1, 2), strict=True):
        assert len(etree.fromstring(rss).findall("channel/item/guid")) == count
        atom_feed = etree.fromstring(atom)
        assert len(atom_feed.findall("{http://www.w3.org/2005/Atom}entry")) == count
        assert atom_feed.find("item") is None  # an RSS item built for the same story must not leak in


def test_guid_survives_title_and_slug_changes():
    before = make_story("2021/05/a", "2021-05-17T10:00:00+07:00")
    after = make_story("2021/05/a", "2021-05-17T10:00:00+07:00", title="Tiêu đề mới", slug="moi")
    assert story_guid(before, SITE) == story_guid(after, SITE) == "tag:example.vn,2020:2021/05/a"


def test_sections_group_and_paginate():
    stories = [
        make_story(str(n), f"2021-05-{n:02d}T10:00:00+07:00", location="Đà Nẵng", tags=("y tế",)) for n in range(1, 6)
    ]
    stories.reverse()
    sections = build_sections(stories, AUTHORS)
    [place] = sections["place"]
    assert (place.key, place.title, place.url) == ("da-nang", "Đà Nẵng", "places/da-nang/")
    pages = paginate(place, 2)
    assert [len(page.stories) for page in pages] == [2, 2, 1]
    assert pages[0].previous_url is None and pages[0].next_url == "places/da-nang/page/2/"
    assert pages[2].previous_url == "places/da-nang/page/2/" and pages[2].next_url is None
    assert [s.key for s in sections["month"]] == ["2021/05"]


def test_related_stories_are_scored_deterministic_and_never_the_story_itself():
    from frontline.views.related import RelatedIndex

    base = make_story("base", "2021-05-20T09:00:00+07:00", campaign="bg", location="Bắc Giang", tags=("y tế",))
    same_campaign = make_story("c1", "2021-05-21T09:00:00+07:00", campaign="bg")
    same_place_tag = make_story("p1", "2021-05-22T09:00:00+07:00", location="Bắc Giang", tags=("y tế",))
    tag_only_far = make_story("t1", "2020-01-01T09:00:00+07:00", tags=("y tế",))
    tag_only_near = make_story("t2", "2021-05-19T09:00:00+07:00", tags=("y tế",))
    unrelated = make_story("u1", "2021-05-20T10:00:00+07:00", location="Hà Nội")
    stories = [same_place_tag, same_campaign, base, tag_only_near, tag_only_far, unrelated]
    index = RelatedIndex(stories)
    assert [s.id for s in index.related(base)] == ["c1", "p1", "t2", "t1"]
    assert [s.id for s in RelatedIndex(list(reversed(stories))).related(base)] == ["c1", "p1", "t2", "t1"]
    assert [s.id for s in index.related(base, limit=2)] == ["c1", "p1"]
    assert index.related(unrelated) == []


@given(
    st.lists(
        st.tuples(
            st.integers(0, 40),  # day
            st.sampled_from(["", "bg", "dn"]),  # campaign
            st.sampled_from([None, "Hà Nội", "Đà Nẵng"]),  # place
            st.sampled_from([None, "Công an", "Quân y"]),  # unit
            st.lists(st.sampled_from(["y tế", "vaccine", "phong tỏa"]), max_size=2, unique=True),  # tags
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 6),
)
def test_related_keeps_the_best_matches_of_a_full_ranking(rows, limit):
    """The top-``limit`` shortcut equals ranking every candidate by score, then closeness in time, then id."""
    from frontline.views.related import WEIGHTS, RelatedIndex, _keys

    base = datetime(2021, 5, 1, 8, tzinfo=VN)
    stories = [
        make_story(
            f"s{n:02d}",
            base.isoformat(),
            date=base + timedelta(days=day),
            campaign=campaign or None,
            location=place,
            unit=unit,
            tags=tuple(tags),
        )
        for n, (day, campaign, place, unit, tags) in enumerate(rows)
    ]
    index = RelatedIndex(stories, window=5)
    for story in stories:
        scores: dict[str, float] = {}
        for key in _keys(story):
            at = index.position[(key, story.id)]
            for other in index.members[key][max(0, at - 5) : at + 6]:
                if other.id != story.id:
                    scores[other.id] = scores.get(other.id, 0.0) + WEIGHTS[key[0]]
        by_id = {s.id: s for s in stories}
        ranked = sorted(scores, key=lambda i: (-scores[i], abs((by_id[i].date - story.date).total_seconds()), i))
        assert [s.id for s in index.related(story, limit)] == ranked[:limit]


def test_a_sitemap_past_the_protocol_limit_becomes_an_index_of_parts(tmp_path):
    """Search engines take at most 50,000 URLs a sitemap file: a larger archive gets a sitemap index."""
    site = SiteInfo(url="https://example.vn/tin/", name="Tin")
    entries = [(f"2021/05/bai-{n}/", f"2021-05-0{n}") for n in range(1, 6)]
    assert list(sitemap_files(entries, site, per_file=5)) == ["sitemap.xml"]
    files = sitemap_files(entries, site, per_file=2)
    index = etree.fromstring(files["sitemap.xml"])
    assert etree.QName(index).localname == "sitemapindex"
    listed_parts = [(item.findtext("{*}loc"), item.findtext("{*}lastmod")) for item in index]
    assert listed_parts == [
        ("https://example.vn/tin/sitemaps/sitemap-1.xml", "2021-05-02"),
        ("https://example.vn/tin/sitemaps/sitemap-2.xml", "2021-05-04"),
        ("https://example.vn/tin/sitemaps/sitemap-3.xml", "2021-05-05"),
    ]
    parts = [etree.fromstring(files[f"sitemaps/sitemap-{n}.xml"]) for n in (1, 2, 3)]
    assert [len(part) for part in parts] == [2, 2, 1]
    assert [loc.text for part in parts for loc in part.iter("{*}loc")] == [site.absolute(path) for path, _ in entries]
    # a kept site folder (a preview) loses the parts once the site fits one file again
    view = SimpleNamespace(settings=SimpleNamespace(site=site))
    write_sitemaps(view, tmp_path, entries, per_file=2)
    assert sorted(p.name for p in (tmp_path / "sitemaps").iterdir()) == [f"sitemap-{n}.xml" for n in (1, 2, 3)]
    write_sitemaps(view, tmp_path, entries[:2], per_file=2)
    assert not (tmp_path / "sitemaps").exists()
    assert etree.QName(etree.parse(str(tmp_path / "sitemap.xml")).getroot()).localname == "urlset"


def test_a_records_leading_words_are_the_text_a_reader_sees_block_by_block():
    body = (
        "## Diễn biến\n\nĐoàn **y bác sĩ** đến [Bắc Giang](https://example.vn/bg) lúc _5 giờ_ sáng.\n\n"
        "- <b>Lấy mẫu</b> xét nghiệm\n- Tiêm `vaccine`\n\n"
        "[Không phải\n\nliên kết](x) vì một đoạn mới bắt đầu."
    )
    assert leading_words(body, 9) == "Diễn biến Đoàn y bác sĩ đến Bắc Giang"
    assert leading_words(body, 19).endswith("Bắc Giang lúc 5 giờ sáng. Lấy mẫu xét nghiệm Tiêm vaccine")
    assert leading_words(body, 200).endswith("[Không phải liên kết](x) vì một đoạn mới bắt đầu.")


def test_reading_time_counts_the_words_between_spaces_at_220_a_minute():
    assert reading_minutes("") == 1
    assert reading_minutes(" ".join(["chữ"] * 220)) == 1
    assert reading_minutes(" ".join(["chữ"] * 221)) == 2
    # a word is what stands between spaces or line breaks, as `wc -w` counts: "COVID-19" is one
    assert reading_minutes("COVID-19\n\n" * 440) == 2
    assert reading_minutes("COVID-19 " * 441) == 3
