"""The bench's Hugo reference site (issue 27): a generated corpus converted into a Hugo project whose content
files name the same stories, addresses, taxonomy terms and campaigns as Frontline's own reading of the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from frontline.content.loader import Layout, load_content
from frontline.views.sections import build_sections
from tests.bench_scripts import script

hugo_site = script("hugo_site")
gen_corpus = script("gen_corpus")

DRAFT = "stories/2021/03/ban-nhap.md"
ODD = "stories/2021/03/gio-ha-noi.md"


def read(path: Path) -> tuple[dict, str]:
    head, _, body = path.read_text(encoding="utf-8")[4:].partition("\n---\n")
    return yaml.safe_load(head), body


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """A 40-story corpus, plus a draft and a story dated without an offset, with an explicit slug and a tag that
    needs transliterating; converted into a Hugo project."""
    corpus = tmp_path_factory.mktemp("corpus")
    gen_corpus.write_corpus(corpus, gen_corpus.corpus_files(40, 3))
    authors = list(yaml.safe_load((corpus / "stories/authors.yml").read_text(encoding="utf-8")))
    (corpus / DRAFT).parent.mkdir(parents=True, exist_ok=True)
    (corpus / DRAFT).write_text(
        f"---\ntitle: Bản nháp\ndate: 2021-03-02T08:00\nauthors: [{authors[0]}]\ndraft: true\n---\n\nChưa đăng.\n",
        encoding="utf-8",
    )
    (corpus / ODD).write_text(
        f"---\ntitle: Giờ Hà Nội\ndate: 2021-03-31T23:30\nauthors: [{authors[1]}, {authors[2]}]\nslug: gio-ha-noi\n"
        "location: Đắk Lắk\ntags: [Đường dây nóng, y tế CAND]\n---\n\nĐoạn **một**.\n",
        encoding="utf-8",
    )
    hugo = tmp_path_factory.mktemp("hugo") / "project"
    done = hugo_site.convert(corpus, hugo)
    content, problems = load_content(Layout.for_project(corpus))
    assert problems == []
    content.stories[:] = [story for story in content.stories if not story.draft]  # what Frontline publishes
    return corpus, hugo, done, content


def test_every_published_story_has_its_frontline_address_date_and_terms(converted):
    corpus, hugo, done, content = converted
    assert done.stories == len(content.stories) == 41 and done.drafts == 1
    for story in content.stories:
        meta, body = read(hugo / "content" / story.source)
        assert body == read(corpus / story.source)[1]  # the Markdown is Hugo's to render, as written
        assert meta["title"] == story.title
        assert meta["url"] == "/" + story.url
        assert meta["date"] == story.date.isoformat()
        assert meta["authors"] == list(story.authors)
        assert meta["archive"] == [f"{story.date:%Y-%m}"]
        assert meta.get("places") == ([story.location_slug] if story.location else None)
        assert meta.get("campaign") == story.campaign
        assert meta.get("campaign-stories") == ([story.campaign] if story.campaign else None)
        assert "draft" not in meta


def test_a_story_without_offset_is_vietnam_time_and_a_draft_stays_a_draft(converted):
    _, hugo, _, _ = converted
    meta, body = read(hugo / "content" / ODD)
    assert meta["date"] == "2021-03-31T23:30:00+07:00"
    assert meta["url"] == "/2021/03/gio-ha-noi/"
    assert meta["places"] == ["dak-lak"] and meta["location"] == "Đắk Lắk"
    assert meta["topics"] == ["duong-day-nong", "y-te-cand"] and meta["tags"] == ["Đường dây nóng", "y tế CAND"]
    assert body == "\nĐoạn **một**.\n"
    draft, _ = read(hugo / "content" / DRAFT)
    assert draft["draft"] is True


def test_a_term_page_for_every_section_frontline_lists_with_feeds_where_frontline_has_them(converted):
    corpus, hugo, done, content = converted
    sections = build_sections(content.stories, content.authors)
    for kind, plural in hugo_site.TAXONOMIES.items():
        folder = hugo / "content" / plural
        keys = {section.key.replace("/", "-") for section in sections[kind]}
        assert {path.name for path in folder.iterdir() if path.is_dir()} == keys, plural
        assert done.terms[plural] == len(keys)
        for section in sections[kind]:
            meta, _ = read(folder / section.key.replace("/", "-") / "_index.md")
            assert meta["title"] == section.title
            assert meta["outputs"] == (
                ["HTML", "RSS", "Atom"] if plural in ("places", "authors", "topics") else ["HTML"]
            )
            if kind == "month":
                assert meta["url"] == "/archive/" + section.key + "/"
    author_id = next(iter(content.authors))
    meta, _ = read(hugo / "content/authors" / author_id / "_index.md")
    assert meta.get("bio") == content.authors[author_id].bio


def test_campaigns_keep_their_address_dates_and_timeline(converted):
    corpus, hugo, done, content = converted
    assert done.campaigns == len(content.campaigns) == 3
    for campaign_id, campaign in content.campaigns.items():
        meta, body = read(hugo / "content/campaigns" / f"{campaign_id}.md")
        assert meta["title"] == campaign.title
        assert meta["url"] == "/" + campaign.url
        assert meta["outputs"] == ["HTML", "RSS", "Atom", "Timeline"]
        assert [item["title"] for item in meta["milestones"]] == [m.title for m in campaign.milestones]
        assert all(item["date"].endswith("+07:00") for item in meta["milestones"])
        assert body.strip() and body.strip() in (corpus / "docs/campaigns" / f"{campaign_id}.md").read_text("utf-8")
    assert (hugo / "hugo.yaml").is_file() and (hugo / "layouts/stories/single.html").is_file()
    assert (hugo / "static/images/anh-1.png").read_bytes() == (corpus / "docs/images/anh-1.png").read_bytes()


def test_a_folder_it_did_not_make_is_left_alone(tmp_path):
    (tmp_path / "mine.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SystemExit):
        hugo_site.convert(tmp_path, tmp_path)
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "x"


def test_page_set_sorts_a_built_site_by_kind(tmp_path):
    files = {
        "index.html": "<html>",
        "2021/03/a/index.html": "<html>",
        "stories/2021/03/b/index.html": "<html>",
        "places/index.html": "<html>",
        "places/da-nang/index.html": "<html>",
        "places/da-nang/page/2/index.html": "<html>",
        "places/da-nang/page/1/index.html": '<html><meta http-equiv="refresh" content="0; url=/places/da-nang/">',
        "archive/2021/03/index.html": "<html>",
        "places/da-nang/feed.xml": "<rss/>",
        "campaigns/x/atom.xml": "<feed/>",
        "feed.json": "{}",
        "feed.json.gz": "",
        "campaigns/x/timeline.json": "{}",
        "dieu-khoan/index.html": "<html>",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = hugo_site.page_set(tmp_path)
    assert found == {
        "home": 1,
        "story pages": 2,
        "section indexes": 1,
        "term pages": 1,
        "term pages 2+": 1,
        "redirects": 1,
        "archive term pages": 1,
        "RSS feeds": 1,
        "Atom feeds": 1,
        "JSON feeds": 1,
        "campaign timelines": 1,
        "other pages": 1,
    }
    table = hugo_site.page_set_table({"A": found, "B": found})
    assert "| story pages | 2 | 2 |" in table and "| **all but redirects** | **12** | **12** |" in table
