"""Text from content is text everywhere: every field of every kind, written with markup and quotes, comes out
of every page, feed and export as the same text, never as an element or attribute of its own.

An end-to-end hostile site (tests/sites.py ``make_hostile_site``) is built and every output read back the way a
browser, a feed reader or a machine does; property tests push arbitrary text through each serializer."""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader
from lxml import etree

from frontline.cli import main
from frontline.config.settings import SiteInfo
from frontline.content.model import Author, Campaign, Correction, Image, Milestone, Phase, Story, pack_body
from frontline.content.slugs import slugify_vi
from frontline.output import exports
from frontline.output.feed_documents import FeedEntries, render_feed
from frontline.views.feeds import FeedChannel
from frontline.views.filters import content_filters
from frontline.views.structured import script_json, story_breadcrumbs, story_json_ld
from frontline.views.timeline import build_timeline
from tests.sites import HOSTILE_HEADING, REPO, hostile, make_hostile_site, make_site, search_documents, story

SITE_NAME = "Tuyến đầu thử nghiệm"
BUILD_NOW = "2021-12-31T00:00:00+07:00"  # FixtureSite.build's
LABELS = [
    "campaign.title",
    "campaign.summary",
    "phase.title",
    "milestone.title",
    "milestone.text",
    "story.title",
    "story2.title",
    "story.location",
    "story.unit",
    "story.tag1",
    "story.tag2",
    "story.summary",
    "story.image_alt",
    "story.image_caption",
    "story.correction",
    "author.name",
    "author.role",
    "author.unit",
    "author.bio",
    "author2.name",
    "docs.title",
    "docs.description",
]
ORIGINALS = sorted({hostile(label) for label in LABELS} | {HOSTILE_HEADING}, key=len, reverse=True)


def leftover(text: str) -> str:
    """``text`` without the fields' original texts: what remains must hold no trace of their markup (a tag
    read as an element, or text escaped twice, leaves ``alert(``/``onerror`` behind)."""
    for original in ORIGINALS:
        text = text.replace(original, "")
    return text


def assert_intact(text: str, where: str) -> None:
    rest = leftover(text)
    assert "alert(" not in rest and "onerror=" not in rest, f"{where}: a field's text is not intact in {text!r}"


# -- the hostile site, built ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    site = make_hostile_site(tmp_path_factory.mktemp("hostile") / "newsroom")
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory):
    """The same kinds of pages with plain text: what Material and Frontline put on a page themselves."""
    site = make_site(tmp_path_factory.mktemp("clean") / "newsroom")
    site.write("docs/trang.md", "# Trang\n\nNội dung.\n")
    for slug, place in (("mot", "Bắc Giang"), ("hai", "Hà Nội")):
        fields = {"campaign": "bac-giang", "location": place, "slug": slug}
        site.write(f"stories/2021/05/{slug}.md", story(f"Bài {slug}", "2021-05-20T09:30", **fields))
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


def pages(site_dir: Path) -> list[Path]:
    return sorted(path for path in site_dir.rglob("*.html") if "pagefind" not in path.parts)


def scripts_of(soup: BeautifulSoup) -> tuple[set[str], set[str]]:
    """The page's script sources and inline scripts (JSON-LD aside, read as data)."""
    sources, inline = set(), set()
    for script in soup.find_all("script"):
        if script.get("src"):
            sources.add(script["src"].rsplit("/", 1)[-1])
        elif script.get("type") != "application/ld+json":
            inline.add(re.sub(r"\s+", " ", script.get_text()).strip())
    return sources, inline


def test_hostile_site_checks_clean(hostile_site, capsys):
    """Markup in text fields is no problem for ``frontline check``: they are text."""
    assert main(["--config", str(hostile_site.root / "mkdocs.yml"), "check"]) == 0, capsys.readouterr()


def test_no_page_runs_or_loads_anything_from_a_field(hostile_site, clean_site):
    clean_sources, clean_inline = set(), set()
    for path in pages(clean_site.site_dir):
        sources, inline = scripts_of(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
        clean_sources |= sources
        clean_inline |= inline
    checked = 0
    for path in pages(hostile_site.site_dir):
        where = path.relative_to(hostile_site.site_dir).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        sources, inline = scripts_of(soup)
        assert sources <= clean_sources, (where, sources - clean_sources)
        assert inline <= clean_inline, (where, inline - clean_inline)
        for element in soup.find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert not handlers, (where, element.name, handlers)
            assert not (element.name == "img" and element.get("src") == "x"), where
            for name, value in element.attrs.items():
                values = value if isinstance(value, list) else [value]
                for item in values:
                    assert_intact(item, f"{where} <{element.name} {name}>")
        for text in soup.find_all(string=True):
            if text.parent.name != "script":
                assert_intact(str(text), f"{where} <{text.parent.name}>")
        for script in soup.find_all("script", type="application/ld+json"):
            json.loads(script.string)
        checked += 1
    assert checked > 10


def test_titles_show_as_text_on_every_kind_of_page(hostile_site):
    site = hostile_site

    def title(url: str) -> str:
        return site.html(url).title.get_text()

    assert title("campaigns/bac-giang/") == f"{hostile('campaign.title')} - {SITE_NAME}"
    assert title("tieu-de/") == f"{hostile('docs.title')} - {SITE_NAME}"
    assert title("dong-dau/") == f"{HOSTILE_HEADING} - {SITE_NAME}"
    assert title("2021/05/bai-viet/") == f"{hostile('story.title')} - {SITE_NAME}"
    place = site.html(f"places/{slugify_vi(hostile('story.location'))}/")
    assert place.title.get_text().startswith(hostile("story.location"))
    for url, text in (("tieu-de/", hostile("docs.title")), ("campaigns/bac-giang/", hostile("campaign.title"))):
        soup = site.html(url)
        topic = soup.select_one(".md-header__topic[data-md-component=header-topic] .md-ellipsis")
        assert topic.get_text().strip() == text, url
    docs = site.html("tieu-de/")
    assert docs.find("meta", attrs={"name": "description"})["content"] == hostile("docs.description")
    assert docs.select_one("article h1").get_text() == hostile("docs.title")
    nav = [link.get_text().strip() for link in site.html("dong-dau/").select("nav.md-nav--primary a.md-nav__link")]
    assert hostile("docs.title") in nav and HOSTILE_HEADING in nav
    assert site.html("dong-dau/").select_one("article h1").get_text() == HOSTILE_HEADING


def test_every_field_shows_as_its_text(hostile_site):
    site = hostile_site
    campaign = site.html("campaigns/bac-giang/")
    assert campaign.select_one(".fl-campaign h1").get_text() == hostile("campaign.title")
    assert campaign.select_one(".fl-campaign .fl-standfirst").get_text() == hostile("campaign.summary")
    assert campaign.select_one(".fl-phase__title").contents[0].strip() == hostile("phase.title")
    milestone = campaign.select_one(".fl-entry[data-kind=milestone]")
    assert milestone.select_one(".fl-entry__title").get_text() == hostile("milestone.title")
    assert milestone.select_one(".fl-entry__summary").get_text() == hostile("milestone.text")
    places = [link.get_text() for link in campaign.select(".fl-filter a[data-place]")][1:]
    assert hostile("story.location") in places
    assert all(re.fullmatch(r"[a-z0-9-]*", link["data-place"]) for link in campaign.select(".fl-filter a"))

    page = site.html("2021/05/bai-viet/")
    assert page.select_one(".fl-story h1").get_text() == hostile("story.title")
    assert page.select_one(".fl-standfirst").get_text() == hostile("story.summary")
    assert page.select_one(".fl-place").get_text() == hostile("story.location")
    assert page.select_one(".fl-unit").get_text() == hostile("story.unit")
    assert [a.get_text() for a in page.select(".fl-tags a")] == [hostile("story.tag1"), hostile("story.tag2")]
    assert page.select_one(".fl-lead img")["alt"] == hostile("story.image_alt")
    assert page.select_one(".fl-lead figcaption").get_text() == hostile("story.image_caption")
    assert page.select_one(".fl-corrections li").get_text().endswith(": " + hostile("story.correction"))
    assert [a.get_text() for a in page.select(".fl-byline a")] == [hostile("author.name"), hostile("author2.name")]
    assert page.select_one(".fl-badge").get_text() == hostile("campaign.title")
    assert page.find("meta", property="og:title")["content"] == hostile("story.title")
    assert page.find("meta", property="og:image:alt")["content"] == hostile("story.image_alt")
    assert page.find("meta", attrs={"name": "description"})["content"] == hostile("story.summary")
    article, crumbs = json.loads(page.find("script", type="application/ld+json").string)
    assert article["headline"] == hostile("story.title")[:110]
    assert article["description"] == hostile("story.summary")
    assert article["contentLocation"]["name"] == hostile("story.location")
    assert crumbs["itemListElement"][2]["name"] == hostile("campaign.title")

    author = site.html("authors/ha/")
    assert author.select_one(".fl-section__header h1").get_text() == hostile("author.name")
    assert author.select_one(".fl-profile").get_text() == f"{hostile('author.role')}, {hostile('author.unit')}"
    assert author.select_one(".fl-profile + p").get_text() == hostile("author.bio")
    unit = site.html(f"units/{slugify_vi(hostile('story.unit'))}/")
    assert unit.select_one(".fl-section__header h1").get_text() == hostile("story.unit")
    topics = [a.get_text() for a in site.html("topics/").select(".fl-sections a")]
    assert hostile("story.tag1") in topics and hostile("story.tag2") in topics
    home = site.html("")
    assert hostile("story.title") in [a.get_text() for a in home.select("a")]
    redirect = site.html("2021/05/ten-cu/")
    assert redirect.title.get_text() == redirect.a.get_text() == hostile("story.title")


def feed_text(detail) -> str:
    """What a reader shows of a feedparser text construct: HTML is read as HTML (and must hold no element)."""
    if detail.type == "text/html":
        fragment = BeautifulSoup(detail.value, "html.parser")
        assert fragment.find(True) is None, detail.value
        return fragment.get_text()
    return detail.value


def test_feeds_give_back_the_text(hostile_site):
    titles = {hostile("story.title"), hostile("story2.title")}
    feeds = sorted(hostile_site.site_dir.rglob("feed.xml")) + sorted(hostile_site.site_dir.rglob("atom.xml"))
    assert len(feeds) > 6
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert_intact(feed_text(parsed.feed.title_detail), str(path))
        assert_intact(feed_text(parsed.feed.subtitle_detail), str(path))
        for entry in parsed.entries:
            assert feed_text(entry.title_detail) in titles, path
            assert feed_text(entry.summary_detail) == hostile("story.summary"), path
            assert "<script" not in entry.content[0].value
            assert {tag.term for tag in entry.tags} == {
                hostile("campaign.title"),
                hostile("story.tag1"),
                hostile("story.tag2"),
            }
            assert entry.author_detail.name in {hostile("author.name"), hostile("author2.name")}
    campaign = feedparser.parse((hostile_site.site_dir / "campaigns/bac-giang/feed.xml").read_bytes())
    assert feed_text(campaign.feed.title_detail) == f"{hostile('campaign.title')} – {SITE_NAME}"
    assert feed_text(campaign.feed.subtitle_detail) == hostile("campaign.summary")


def test_json_feed_opml_sitemaps_and_timeline_give_back_the_text(hostile_site):
    site_dir = hostile_site.site_dir
    feed = json.loads((site_dir / "feed.json").read_text(encoding="utf-8"))
    assert {item["title"] for item in feed["items"]} == {hostile("story.title"), hostile("story2.title")}
    for item in feed["items"]:
        assert item["summary"] == hostile("story.summary")
        assert set(item["tags"]) == {hostile("story.tag1"), hostile("story.tag2")}
        assert [a["name"] for a in item["authors"]] == [hostile("author.name"), hostile("author2.name")]
        assert "<script" not in item["content_html"] and "onerror" not in item["content_html"]

    opml = etree.parse(str(site_dir / "feeds.opml"))
    outlines = opml.findall(".//outline[@type='rss']")
    texts = [outline.get("text") for outline in outlines]
    assert f"{hostile('campaign.title')} – {SITE_NAME}" in texts
    for text in texts:
        assert_intact(text, "feeds.opml")

    for name in ("sitemap.xml", "news-sitemap.xml"):
        tree = etree.parse(str(site_dir / name))
        for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
            assert loc.text.startswith("https://example.vn/tin/") and not re.search(r"[<>\"'\s]", loc.text), loc.text

    timeline = json.loads((site_dir / "campaigns/bac-giang/timeline.json").read_text(encoding="utf-8"))
    strings: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            strings.append(value)

    walk(timeline)
    for value in strings:
        assert "<" not in value and ">" not in value, value
    shown = {html.unescape(value) for value in strings}
    for label in ("campaign.title", "campaign.summary", "phase.title", "milestone.title", "milestone.text"):
        assert hostile(label) in shown, label
    for label in ("story.title", "story.summary", "story.location", "story.image_alt", "story.image_caption"):
        assert hostile(label) in shown, label


def test_search_records_hold_the_text(hostile_site):
    documents = search_documents(hostile_site.site_dir)
    if not documents:
        pytest.skip("no search index was built (Pagefind missing)")
    for document in documents:
        meta = document["meta"]
        if meta["kind"] != "Bài viết":  # the campaign and the pages of docs/: their titles, as text
            assert meta["title"] in {hostile("campaign.title"), hostile("docs.title"), HOSTILE_HEADING}
            continue
        assert meta["title"] in {hostile("story.title"), hostile("story2.title")}
        if "place" in meta:
            assert meta["place"] in {hostile("story.location"), "Bắc Giang"}
        assert meta["standfirst"].startswith(hostile("story.summary")[:20])


# -- property tests: every serializer, arbitrary text ------------------------------------------------------

SPECIALS = ["<", ">", "&", '"', "'", "&amp;", "&lt;", "]]>", "</script>", "<!--", "-->", "<b>", "Đà Nẵng", "ờ"]
_PLAIN = st.characters(whitelist_categories=("L", "M", "N", "P", "S", "Zs"))
TEXT = (
    st.lists(st.one_of(st.sampled_from(SPECIALS), st.text(_PLAIN, min_size=1, max_size=6)), min_size=1, max_size=8)
    .map(lambda parts: " ".join("".join(parts).split()))  # the loader collapses runs of whitespace
    .filter(bool)
)
VN = datetime.fromisoformat("2021-01-01T00:00:00+07:00").tzinfo
SITE = SiteInfo(url="https://example.vn/", name="Tuyến đầu", id_authority="example.vn")
MOMENT = datetime(2021, 5, 20, 9, 30, tzinfo=VN)


def text_story(text: str, **fields) -> Story:
    values = dict(
        id="2021/05/a",
        source="stories/2021/05/a.md",
        title=text,
        date=MOMENT,
        has_time=True,
        authors=("ha",),
        slug="a",
        body="Nội dung.",
        summary=text,
        summary_given=True,
        campaign="bg",
        location=text,
        unit=text,
        tags=(text,),
        image=Image("2021/05/a/lead.jpg", "lead.jpg", alt=text, caption=text, width=10, height=10),
        corrections=(Correction(MOMENT + timedelta(days=1), text),),
    )
    values.update(fields)
    values["packed_body"] = pack_body(values.pop("body"))
    return Story(**values)


def text_campaign(text: str) -> Campaign:
    return Campaign(
        id="bg",
        source="docs/campaigns/bg.md",
        title=text,
        start=date(2021, 5, 15),
        end=date(2021, 6, 30),
        summary=text,
        phases=(Phase(text, date(2021, 5, 18), date(2021, 5, 31)),),
        milestones=(Milestone(MOMENT - timedelta(days=3), True, text, text),),
    )


def read_as(text: str) -> set[str]:
    """What feedparser may give back for ``text`` written correctly in a UTF-8 feed: the text, or the text "repaired"
    by its guess that UTF-8 was read as Latin-1 and encoded again (``Â¡`` comes back as ``¡``), which it applies to
    some elements and not others. The feed's own bytes are checked exactly by ``test_feed_bytes_hold_any_text``."""
    try:
        return {text, text.encode("iso-8859-1").decode("utf-8")}
    except (UnicodeEncodeError, UnicodeDecodeError):
        return {text}


@settings(max_examples=60, deadline=None)
@given(TEXT)
@example("Â¡")  # feedparser gives back "¡" for some elements: see read_as
def test_feeds_give_back_any_text(text):
    story = text_story(text)
    authors = {"ha": Author("ha", text)}
    entries = FeedEntries(SITE, authors, {"bg": text_campaign(text)}, lambda s: "<p>Nội dung.</p>")
    rss, atom = render_feed(FeedChannel("bg", text, text, "campaigns/bg/", (story,)), entries, MOMENT)
    for payload in (rss, atom):
        parsed = feedparser.parse(payload)
        assert not parsed.bozo, parsed.get("bozo_exception")
        read = read_as(text)
        assert feed_text(parsed.feed.title_detail) in read
        assert feed_text(parsed.feed.subtitle_detail) in read
        entry = parsed.entries[0]
        assert feed_text(entry.title_detail) in read
        assert feed_text(entry.summary_detail) in read
        assert entry.author_detail.name in read
        assert len(entry.tags) == 1 and entry.tags[0].term in read


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_feed_bytes_hold_any_text(text):
    """The feeds' XML, read by an XML parser, holds the text exactly where a reader takes it from (RSS titles and
    descriptions, and Atom text marked ``type="html"``, as HTML: what a reader shows of them)."""
    story = text_story(text)
    authors = {"ha": Author("ha", text)}
    entries = FeedEntries(SITE, authors, {"bg": text_campaign(text)}, lambda s: "<p>Nội dung.</p>")
    rss, atom = render_feed(FeedChannel("bg", text, text, "campaigns/bg/", (story,)), entries, MOMENT)
    channel = etree.fromstring(rss).find("channel")
    item = channel.find("item")
    for shown in (channel.findtext("title"), channel.findtext("description"), item.findtext("title")):
        assert html.unescape(shown) == text
    assert item.findtext("category") == text
    atom_ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = etree.fromstring(atom)
    entry = feed.find("a:entry", atom_ns)
    for element in (feed.find("a:title", atom_ns), feed.find("a:subtitle", atom_ns), entry.find("a:title", atom_ns)):
        assert (html.unescape(element.text) if element.get("type") == "html" else element.text) == text
    assert entry.findtext("a:author/a:name", namespaces=atom_ns) == text
    assert entry.find("a:category", atom_ns).get("term") == text


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_exports_give_back_any_text(text):
    story = text_story(text)
    authors = {"ha": Author("ha", text)}
    channel = FeedChannel("bg", text, text, "campaigns/bg/", (story,))
    feed = json.loads(exports.json_feed(channel, SITE, authors, lambda s: "<p>x</p>"))
    assert feed["title"] == feed["description"] == feed["items"][0]["title"] == feed["items"][0]["summary"] == text
    assert feed["items"][0]["authors"][0]["name"] == feed["items"][0]["tags"][0] == text

    opml = etree.fromstring(exports.opml([(text, [channel])], SITE, MOMENT))
    group = opml.find("body/outline")
    assert group.get("text") == group.get("title") == group.find("outline").get("text") == text

    news = etree.fromstring(exports.news_sitemap([story], SITE, MOMENT + timedelta(hours=1)))
    assert news.findtext(".//{http://www.google.com/schemas/sitemap-news/0.9}title") == text

    timeline = json.loads(exports.timelinejs(build_timeline(text_campaign(text), [story]), SITE))
    event = next(event for event in timeline["events"] if "media" in event)
    milestone = next(event for event in timeline["events"] if event["group"] == "Dấu mốc")
    values = [
        timeline["title"]["text"]["headline"],
        timeline["title"]["text"]["text"],
        timeline["eras"][0]["text"]["headline"],
        event["text"]["headline"],
        event["text"]["text"],
        event["group"],
        event["media"]["alt"],
        event["media"]["caption"],
        milestone["text"]["headline"],
        milestone["text"]["text"],
    ]
    for value in values:
        assert "<" not in value and html.unescape(value) == text


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_json_ld_stays_data_inside_its_script_element(text):
    story = text_story(text)
    campaign = text_campaign(text)
    data = story_json_ld(story, {"ha": Author("ha", text)}, campaign, story_breadcrumbs(story, campaign), SITE, None)
    page = f'<html><head><script type="application/ld+json">{script_json(data)}</script></head><body><p>x</p></body>'
    soup = BeautifulSoup(page, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and soup.body.get_text() == "x"
    assert json.loads(scripts[0].string) == json.loads(json.dumps(data))


def template_environment() -> Environment:
    """Frontline's templates as MkDocs loads them (no autoescape), with the filters they use."""
    env = Environment(loader=FileSystemLoader(str(REPO / "overrides")), autoescape=False)
    env.filters.update(
        content_filters(),
        url=lambda path: "/" + str(path),
        story_status=lambda story: story.status(MOMENT + timedelta(days=30)),
    )
    return env


ENV = template_environment()


@settings(max_examples=40, deadline=None)
@given(TEXT)
def test_templates_show_any_text_as_text(text):
    story = text_story(text)
    card = BeautifulSoup(
        ENV.get_template("partials/frontline/story-card.html").render(story=story, heading="h2", href="/a/"),
        "html.parser",
    )
    assert card.select_one(".fl-card__title a").get_text() == text
    assert card.select_one(".fl-place").get_text() == text
    assert card.select_one(".fl-card__summary").get_text() == text

    image = BeautifulSoup(
        ENV.get_template("partials/frontline/lead-image.html").render(image=story.image, eager=True), "html.parser"
    )
    assert image.img["alt"] == text and image.figcaption.get_text() == text

    timeline = build_timeline(text_campaign(text), [story])
    part = BeautifulSoup(
        ENV.get_template("partials/frontline/timeline.html").render(timeline=timeline),
        "html.parser",
    )
    assert part.select_one(".fl-phase__title").contents[0].strip() == text
    assert [e.get_text() for e in part.select(".fl-entry__title")] == [text, text]
    assert [e.get_text() for e in part.select(".fl-entry__summary")] == [text, text]

    record = BeautifulSoup(ENV.get_template("search-record.html").render(story=story, text="Nội dung."), "html.parser")
    metas = dict(p["data-pagefind-meta"].split(":", 1) for p in record.select("[data-pagefind-meta]"))
    assert metas["title"] == metas["place"] == text
    assert record.h1.get_text() == record.title.get_text() == text
    for soup in (card, image, part, record):
        assert not soup.find("script") and not soup.find("b"), soup


def test_properdocs_escapes_the_same(hostile_site, tmp_path):
    """ProperDocs (a MkDocs fork: its own ``Page.title``) gives the same pages, titles escaped the same."""
    target = tmp_path / "properdocs"
    result = hostile_site.build(engine="properdocs", site_dir=target, now=BUILD_NOW)
    assert result.returncode == 0, result.stderr
    generator = re.compile(r'<meta name="generator" content="[^"]*">')
    for path in pages(hostile_site.site_dir):
        relative = path.relative_to(hostile_site.site_dir)
        theirs = (target / relative).read_text(encoding="utf-8")
        assert generator.sub("", theirs) == generator.sub("", path.read_text(encoding="utf-8")), relative


def test_search_script_builds_results_from_text():
    """The search page shows the records' metadata (text) through DOM calls: nothing parses it as HTML, and
    Pagefind's excerpt (HTML) is not used; the standfirst's marks are built from its text."""
    script = (REPO / "overrides/assets/javascripts/frontline-search.js").read_text(encoding="utf-8")
    code = re.sub(r"//.*", "", script)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "createContextualFragment"):
        assert sink not in code, sink
    assert ".excerpt" not in code and "textContent = meta.title" in code


def test_feeds_carry_the_body_as_html():
    """The body, raw HTML that may hold "]]>" (in a comment, say), is HTML in both feeds, whole."""
    body = "<p>Nội dung</p><!-- ]]> --><p>tiếp</p>"
    story = text_story("Tin")
    entries = FeedEntries(SITE, {"ha": Author("ha", "Hà")}, {}, lambda s: body)
    rss, atom = render_feed(FeedChannel("site", "Tin", "Tin", "", (story,)), entries, MOMENT)
    for payload in (rss, atom):
        parsed = feedparser.parse(payload)
        assert not parsed.bozo and parsed.entries[0].content[0].type == "text/html"
        assert "tiếp" in parsed.entries[0].content[0].value
