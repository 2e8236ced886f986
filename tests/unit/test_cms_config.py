"""The browser editor's configuration agrees with the loader: the same fields, the same required ones, the same
address rules, and the authors and campaigns the content holds (issue 26)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontline.cms.config import DATETIME_FORMAT, STORY_PATH, _same_names, cms_config
from frontline.content.loader import CAMPAIGN_FIELDS, STORY_FIELDS, Layout, load_content, normalize_alias
from frontline.content.slugs import SLUG_PATTERN, is_valid_slug, slugify_vi
from tests.sites import make_site, story

BACKEND = "http://127.0.0.1:8081/api/v1"


@pytest.fixture
def newsroom(tmp_path):
    site = make_site(tmp_path / "n")
    site.write(
        "stories/2021/05/ngay-dau.md",
        story("Ngày đầu", "2021-05-20T09:30", location="Bắc Giang", unit="Bệnh viện 19-8", tags="[y tế, cách ly]"),
    )
    second = story("Ngày hai", "2021-05-21T09:30", location="Bắc Giang", tags="[y tế]")
    site.write("stories/2021/05/ngay-hai.md", second)
    return site


def _config(site) -> dict:
    layout = Layout.for_project(site.root)
    content, problems = load_content(layout)
    assert problems == []
    return cms_config(content, layout, BACKEND)


def _collection(config: dict, name: str) -> dict:
    return next(collection for collection in config["collections"] if collection["name"] == name)


def test_the_story_form_has_the_loaders_fields_in_its_order_then_the_body(newsroom):
    stories = _collection(_config(newsroom), "stories")
    assert [field["name"] for field in stories["fields"]] == [*STORY_FIELDS, "body"]
    assert all(field["label"] and field["widget"] for field in stories["fields"])
    assert (stories["folder"], stories["path"], stories["slug"]) == ("stories", STORY_PATH, "{{fields.slug}}")
    campaigns = _collection(_config(newsroom), "campaigns")
    assert [field["name"] for field in campaigns["fields"]] == [*CAMPAIGN_FIELDS, "body"]
    assert campaigns["folder"] == "docs/campaigns"


def test_what_the_form_requires_is_what_check_refuses_to_miss(newsroom):
    fields = {field["name"]: field for field in _collection(_config(newsroom), "stories")["fields"]}
    required = {name for name, field in fields.items() if field["required"]} - {"body"}
    # slug is required by the editor only: a story written there keeps its address when retitled.
    assert required == {"title", "date", "authors", "slug"}
    full = newsroom.root / "stories/2021/05/ngay-dau.md"
    for name in required - {"slug"}:
        text = full.read_text(encoding="utf-8")
        newsroom.write("stories/2021/05/thieu.md", re.sub(rf"^{name}: .*\n", "", text, flags=re.MULTILINE))
        _, problems = load_content(Layout.for_project(newsroom.root))
        assert any(p.path.endswith("thieu.md") and p.field == name for p in problems), name
    assert fields["date"]["format"] == DATETIME_FORMAT and fields["date"]["format"].endswith("Z")


def test_authors_and_campaigns_are_offered_as_the_content_holds_them(newsroom):
    fields = {field["name"]: field for field in _collection(_config(newsroom), "stories")["fields"]}
    assert fields["authors"]["options"] == [
        {"label": "Nguyễn Thu Hà (ha)", "value": "ha"},
        {"label": "Trần Minh Đức (duc)", "value": "duc"},
    ]
    assert fields["authors"]["multiple"] is True and fields["authors"]["min"] == 1
    assert fields["campaign"]["options"] == [{"label": "Bệnh viện dã chiến Bắc Giang", "value": "bac-giang"}]
    # Values already used are suggested, the most used first.
    assert "Đã dùng: y tế, cách ly." in fields["tags"]["hint"]
    assert "Đã dùng: Bắc Giang." in fields["location"]["hint"]
    authors = _collection(_config(newsroom), "authors")["files"][0]
    assert authors["file"] == "stories/authors.yml"
    assert [field["name"] for field in authors["fields"]] == ["ha", "duc"]


def test_the_editor_is_in_vietnamese_and_writes_through_the_local_backend(newsroom):
    config = _config(newsroom)
    assert config["locale"] == "vi"
    assert config["local_backend"] == {"url": BACKEND}


def test_a_field_the_loader_learns_and_the_editor_does_not_describe_stops_the_configuration():
    with pytest.raises(ValueError, match="trường bài viết: byline"):
        _same_names("bài viết", {"title": {}}, ("title", "byline"))


@given(st.text(alphabet="abcđez09- ĐÀ_/.", max_size=90))
def test_the_slug_pattern_the_browser_checks_is_the_loaders_rule(written):
    assert (re.fullmatch(SLUG_PATTERN, written) is not None) == is_valid_slug(written)


@given(st.text(min_size=1, max_size=120))
def test_every_slug_the_loader_makes_passes_the_browsers_pattern(title):
    slug = slugify_vi(title)
    if slug:
        assert re.fullmatch(SLUG_PATTERN, slug)


@pytest.mark.parametrize(
    ("written", "accepted"),
    [
        ("2021/08/ten-cu/", True),
        ("/2021/08/ten-cu", True),
        ("tin/c%C3%A1ch-ly/", True),
        ("a b/", False),
        ('a"b', False),
    ],
)
def test_the_old_address_pattern_accepts_what_the_loader_does(newsroom, written, accepted):
    field = next(f for f in _collection(_config(newsroom), "stories")["fields"] if f["name"] == "aliases")
    pattern = field["field"]["pattern"][0]
    assert (re.fullmatch(pattern, written) is not None) is accepted
    assert (normalize_alias(written) is not None) is accepted
