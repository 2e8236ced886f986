"""One URL scheme: records, listings and names agree with ``frontline.content.urls``, and no template builds a URL."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime

import pytest

from frontline.content import urls
from frontline.content.model import Author, Campaign, Story, pack_body
from frontline.content.names import alias_clash
from frontline.views.sections import build_sections, paginate
from frontline.views.structured import story_breadcrumbs
from tests.sites import REPO

OVERRIDES = REPO / "overrides"
VN = datetime.fromisoformat("2021-01-01T00:00:00+07:00").tzinfo
AUTHORS = {"ha": Author("ha", "Nguyễn Thu Hà")}

# -- the template check ------------------------------------------------------------------------

_TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.DOTALL)
_LINK_FILTER = re.compile(r"\|\s*(?:url|absolute_url)\b")
_PLAIN_VALUE = re.compile(r"\(?\s*[A-Za-z_]\w*(?:\.\w+|\[\d+\])*\s*\)?\s*")
"""What the ``url`` filter may get: a variable or an attribute of one (``story.place_url``, ``feeds[0].rss_path``)."""
_PATH_LITERAL = re.compile(r"""(['"])(?:[^'"]*/[^'"]*|[\w.-]*\.(?:xml|json|opml|txt|gz|css|js|html))\1""")
"""A quoted string that looks like a site path: it holds a ``/`` or names a file the site publishes."""
_URL_ATTRIBUTE = re.compile(r"""\b(?:href|src|srcset|action|data-bundle)\s*=\s*"([^"]*)\"""")
_TEMPLATE_REFERENCE = re.compile(r"^\s*-?\s*(?:include|extends|import|from)\b")


def url_building(template: str) -> list[str]:
    """What in ``template`` (Jinja source) makes a URL out of pieces rather than printing one it was given."""
    found = []
    for match in _TAG.finditer(template):
        expression = (match[1] if match[1] is not None else match[2]).strip("-+ \n")
        if _TEMPLATE_REFERENCE.match(expression):
            continue  # a template's name, not an address
        if literal := _PATH_LITERAL.search(expression):
            found.append(f"a path written in the template: {literal[0]} in {match[0]!r}")
        for filtered in _LINK_FILTER.finditer(expression):
            if not _PLAIN_VALUE.fullmatch(_operand(expression[: filtered.start()])):
                found.append(f"a URL built before the url filter: {match[0]!r}")
    for attribute in _URL_ATTRIBUTE.finditer(template):
        value = attribute[1]
        if value.startswith("#"):
            continue  # an anchor in the page itself
        literal = _TAG.sub("", value)
        if re.search(r"[/.:?]", literal):
            found.append(f"an address written around the template's values: {attribute[0]!r}")
    return found


def _operand(text: str) -> str:
    """The expression a filter applies to: what follows the last unbalanced ``(`` or the tag's start."""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            if depth == 0:
                return text[index + 1 :]
            depth -= 1
    return text


@pytest.mark.parametrize(
    "line",
    [
        """<a href="{{ ('places/' ~ story.location_slug ~ '/') | url }}">""",
        """<a rel="tag" href="{{ ('topics/' ~ (tag | slug) ~ '/') | url }}">""",
        """<a href="{{ (section.url.split('/')[0] ~ '/') | url }}">""",
        """<a href="{{ (campaign.url ~ 'timeline.json') | url | e }}">""",
        """<a href="{{ 'archive/' | url }}">""",
        """<a href="{{ 'feeds.opml' | url }}" download>""",
        """<div data-bundle="{{ 'pagefind/' | url }}">""",
        """<a href="{{ story.url }}feed.xml">""",
        """<a href="places/{{ story.location_slug }}/">""",
        """{% set link = 'units/' ~ story.unit_slug %}""",
        """<a href="{{ tag | slug | url }}">""",
        """<link href="{{ (page_url + 'atom.xml') | absolute_url }}">""",
    ],
)
def test_the_template_check_finds_a_url_built_in_a_template(line):
    assert url_building(line), line


@pytest.mark.parametrize(
    "line",
    [
        """<a href="{{ story.place_url | url }}">""",
        """<a href="{{ frontline.feeds[0].rss_path | url | e }}">RSS</a>""",
        """<link href="{{ channel.atom_path | absolute_url | e }}">""",
        """<a href="#noi-{{ place | slug }}" data-place="{{ place | slug }}">""",
        """{% include "partials/frontline/status.html" %}""",
        """<img srcset="{% for v in image.variants %}{{ v.site_path | url | e }} {{ v.width }}w{% endfor %}">""",
        """<a href="{{ href }}">""",
    ],
)
def test_the_template_check_lets_a_printed_url_pass(line):
    assert url_building(line) == []


# Material's own templates, copied with a line changed (tests/test_readers_templates.py keeps them so): its code.
MATERIAL_COPIES = {"base.html", "partials/toc.html", "partials/copyright.html", "partials/languages/vi.html"}


def test_no_template_builds_a_url():
    templates = sorted(
        p for p in OVERRIDES.rglob("*.html") if p.relative_to(OVERRIDES).as_posix() not in MATERIAL_COPIES
    )
    assert len(templates) > 10
    found = {
        str(path.relative_to(OVERRIDES)): problems
        for path in templates
        if (problems := url_building(path.read_text(encoding="utf-8")))
    }
    assert found == {}


# -- records and the scheme ---------------------------------------------------------------------


def make_story(ident: str, when: str, **fields) -> Story:
    defaults = dict(
        id=ident,
        source=f"stories/{ident}.md",
        title=f"Bài {ident}",
        date=datetime.fromisoformat(when).astimezone(VN),
        has_time=True,
        authors=("ha",),
        slug=ident,
        body="",
        summary="",
    )
    defaults.update(fields)
    defaults["packed_body"] = pack_body(defaults.pop("body"))
    return Story(**defaults)


STORIES = [
    make_story("c", "2021-06-02T08:00", location="Đà Nẵng", unit="Bệnh viện 19-8", tags=("Y tế CAND", "xét nghiệm")),
    make_story("b", "2021-05-20T09:30", location="Đà Nẵng", tags=("Y tế CAND",)),
    make_story("a", "2021-05-17T06:00", location="Bắc Giang", unit="Bệnh viện 19-8", tags=("Y tế CAND",)),
]


def test_a_storys_links_lead_to_the_sections_listing_it():
    sections = build_sections(STORIES, AUTHORS)
    by_url = {section.url: section for items in sections.values() for section in items}
    for story in STORIES:
        assert story.url == f"{story.date:%Y/%m}/{story.slug}/"
        listing = [by_url[story.place_url], by_url[story.unit_url]] if story.unit else [by_url[story.place_url]]
        listing += [by_url[url] for _, url in story.topic_links]
        listing.append(by_url[story_breadcrumbs(story, None)[-1].url])
        listing += [by_url[AUTHORS[a].url] for a in story.authors]
        assert all(story in section.stories for section in listing)
        assert [tag for tag, _ in story.topic_links] == list(story.tags)
    assert make_story("d", "2021-05-01").place_url is None and make_story("d", "2021-05-01").unit_url is None


def test_listings_are_where_the_scheme_puts_them():
    sections = build_sections(STORIES, AUTHORS)
    for kind, items in sections.items():
        for section in items:
            assert section.url == urls.section_url(kind, section.key)
            assert section.index_url == urls.section_index_url(kind) == section.url.split("/")[0] + "/"
            pages = paginate(section, 1)
            assert [page.url for page in pages] == [
                urls.section_page_url(section.url, n) for n in range(1, len(pages) + 1)
            ]
    place = next(s for s in sections["place"] if s.key == "da-nang")
    assert [page.url for page in paginate(place, 1)] == ["places/da-nang/", "places/da-nang/page/2/"]
    assert [s.url for s in sections["month"]] == ["archive/2021/06/", "archive/2021/05/"]


def test_a_campaign_and_its_timeline_data():
    campaign = Campaign("bac-giang", "docs/campaigns/bac-giang.md", "Bắc Giang", date(2021, 5, 15))
    assert campaign.url == "campaigns/bac-giang/"
    assert campaign.timeline_url == "campaigns/bac-giang/timeline.json"
    assert urls.campaign_source(campaign.id) == "campaigns/bac-giang.md"
    crumbs = story_breadcrumbs(make_story("x", "2021-05-20T09:00", campaign="bac-giang"), campaign)
    assert [crumb.url for crumb in crumbs] == [urls.HOME, urls.CAMPAIGNS_INDEX, campaign.url]


def test_no_old_address_may_take_what_the_build_publishes():
    addresses = [
        urls.rss_url(urls.HOME),
        urls.atom_url(urls.HOME),
        urls.SITE_JSON_FEED,
        urls.OPML,
        urls.ROBOTS,
        urls.SITEMAP,
        urls.SITEMAP_GZ,
        urls.sitemap_part_url(2),
        urls.NEWS_SITEMAP,
        urls.NOT_FOUND,
        urls.SEARCH_PAGE,
        urls.SUBSCRIBE_PAGE,
        urls.CAMPAIGNS_INDEX,
        urls.campaign_url("moi"),
        urls.campaign_timeline_url("moi"),
        urls.SEARCH_BUNDLE + "pagefind.js",
        urls.STYLESHEET,
        urls.SEARCH_SCRIPT,
        urls.STORY_PREFIX + "2021/05/anh.jpg",
        *(urls.section_index_url(kind) for kind in urls.SECTION_ROOTS),
        urls.section_page_url(urls.place_url("Đà Nẵng"), 2),
        urls.month_url(date(2021, 5, 1)),
    ]
    links = [getattr(urls.LINKS, field.name) for field in dataclasses.fields(urls.LINKS) if field.name != "home"]
    assert urls.LINKS.home == urls.HOME
    for address in [*addresses, *links]:
        assert alias_clash(address) is not None, address
