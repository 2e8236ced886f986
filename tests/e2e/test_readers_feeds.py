"""Every feed of the demo site and of a markup-everywhere fixture follows the rules the W3C Feed Validation Service
checks, as far as they can be run here (the service is not available offline): feedparser reads each without
complaint (its ``bozo`` flag), and the rules below are RFC 4287 (Atom), RSS 2.0 with the validator's own advice
(``atom:link`` to itself, no namespace prefixes of its own making, absolute URLs in content), and JSON Feed 1.1."""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree, html

pytestmark = pytest.mark.e2e

ATOM = "http://www.w3.org/2005/Atom"
RSS_NAMESPACES = {
    "atom": ATOM,
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
ATOM_CONTENT_TYPES = {"text", "html", "xhtml"}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def sites(demo_site, every_kind_site) -> list[tuple[Path, str]]:
    """``(site folder, site_url)`` of the demo and of the fixture."""
    return [(demo_site, "https://tuyendau.example.vn/"), (every_kind_site.site_dir, "https://example.vn/tin/")]


def feeds(sites, name: str) -> list[tuple[Path, str]]:
    """Every file called ``name`` in the sites, with the address it is published at."""
    found = [(path, url + path.relative_to(site).as_posix()) for site, url in sites for path in site.rglob(name)]
    assert found, f"no {name}"
    return sorted(found)


def absolute(url: str) -> bool:
    return urlsplit(url).scheme in {"http", "https"} and bool(urlsplit(url).netloc)


def relative_urls_in(markup: str) -> list[str]:
    """The links and image sources of an HTML fragment that are not absolute (in-page anchors are fine)."""
    if not markup.strip():
        return []
    tree = html.fragment_fromstring(markup, create_parent="div")
    found = []
    for element in tree.iter():
        for attribute in ("href", "src"):
            value = element.get(attribute)
            if value is not None and not (absolute(value) or value.startswith(("#", "mailto:", "tel:"))):
                found.append(f"<{element.tag} {attribute}={value!r}>")
    return found


def icon_problems(sites, url: str, where: str) -> list[str]:
    """What is wrong with a feed's icon at ``url``: not absolute, not a file of its own site, not square (Atom's
    ``<icon>``, JSON Feed's ``icon`` and ``favicon`` should be; RSS's ``<image>`` is the same picture)."""
    from PIL import Image

    for site, site_url in sites:
        if url.startswith(site_url):
            path = site / url.removeprefix(site_url)
            if not path.is_file():
                return [f"{where}: icon {url} is not in the site"]
            with Image.open(path) as image:
                width, height = image.size
            return [] if width == height else [f"{where}: icon {url} is {width}×{height}, not square"]
    return [f"{where}: icon {url!r} is not an address of the site"]


def no_generated_prefixes(text: str, where: str) -> list[str]:
    """lxml's made-up prefixes (``ns0:``) for elements whose namespace had no prefix: validators warn on them."""
    return [f"{where}: {match}" for match in sorted(set(re.findall(r"</?ns\d+:\w+", text)))]


def test_atom_feeds(sites):
    problems = []
    for path, url in feeds(sites, "atom.xml"):
        text = path.read_text(encoding="utf-8")
        problems += no_generated_prefixes(text, url)
        parsed = feedparser.parse(text)
        if parsed.bozo:
            problems.append(f"{url}: feedparser: {parsed.bozo_exception}")
        root = etree.fromstring(path.read_bytes())
        if root.tag != f"{{{ATOM}}}feed" or root.prefix is not None:
            problems.append(f"{url}: root is {root.tag}, prefix {root.prefix}")
        for element in root.iter(f"{{{ATOM}}}*"):
            if element.prefix is not None:
                problems.append(f"{url}: prefixed Atom element {element.prefix}:{etree.QName(element).localname}")
        feed = {etree.QName(child).localname: child for child in root}
        for required in ("id", "title", "updated"):
            if required not in feed:
                problems.append(f"{url}: feed has no {required}")
        if "icon" in feed:
            problems += icon_problems(sites, feed["icon"].text or "", url)
        if "logo" in feed:  # RFC 4287: twice as wide as high; the site's icon is square
            problems.append(f"{url}: a logo")
        self_links = [link.get("href") for link in root.findall(f"{{{ATOM}}}link[@rel='self']")]
        if self_links != [url]:
            problems.append(f"{url}: self link {self_links}")
        feed_author = root.find(f"{{{ATOM}}}author") is not None
        for entry in root.findall(f"{{{ATOM}}}entry"):
            entry_id = entry.findtext(f"{{{ATOM}}}id", "")
            where = f"{url} {entry_id}"
            if not re.match(r"^[a-z][a-z0-9+.-]*:", entry_id):
                problems.append(f"{where}: id is not an IRI")
            if not entry.findtext(f"{{{ATOM}}}title"):
                problems.append(f"{where}: no title")
            for date in ("updated", "published"):
                value = entry.findtext(f"{{{ATOM}}}{date}")
                if value is None or not RFC3339.match(value):
                    problems.append(f"{where}: {date} {value!r} is not RFC 3339")
            if not feed_author and entry.find(f"{{{ATOM}}}author/{{{ATOM}}}name") is None:
                problems.append(f"{where}: no author")
            links = entry.findall(f"{{{ATOM}}}link")
            alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]  # RFC 4287 4.2.7.2
            if len(alternates) != 1 or not absolute(alternates[0].get("href", "")):
                problems.append(f"{where}: {len(alternates)} alternate links")
            for enclosure in entry.findall(f"{{{ATOM}}}link[@rel='enclosure']"):
                if not (absolute(enclosure.get("href", "")) and enclosure.get("type") and enclosure.get("length")):
                    problems.append(f"{where}: enclosure {dict(enclosure.attrib)}")
                elif not enclosure.get("length").isdigit():
                    problems.append(f"{where}: enclosure length {enclosure.get('length')!r}")
            content = entry.find(f"{{{ATOM}}}content")
            if content is None or content.get("type", "text") not in ATOM_CONTENT_TYPES:
                problems.append(f"{where}: content type {None if content is None else content.get('type')!r}")
            else:
                problems += [f"{where}: relative URL {found}" for found in relative_urls_in(content.text or "")]
        for entry in parsed.entries:
            if [content.type for content in entry.get("content", [])] != ["text/html"]:
                problems.append(f"{url} {entry.get('id')}: feedparser reads the content as {entry.get('content')}")
    assert problems == [], "\n".join(problems[:40])


def test_rss_feeds(sites):
    problems = []
    for path, url in feeds(sites, "feed.xml"):
        text = path.read_text(encoding="utf-8")
        problems += no_generated_prefixes(text, url)
        parsed = feedparser.parse(text)
        if parsed.bozo:
            problems.append(f"{url}: feedparser: {parsed.bozo_exception}")
        root = etree.fromstring(path.read_bytes())
        if root.tag != "rss" or root.get("version") != "2.0":
            problems.append(f"{url}: root {root.tag} version {root.get('version')}")
        unknown = {prefix: ns for prefix, ns in root.nsmap.items() if RSS_NAMESPACES.get(prefix) != ns}
        if unknown:
            problems.append(f"{url}: namespaces of no known prefix {unknown}")
        channel = root.find("channel")
        for required in ("title", "link", "description", "language"):
            if not channel.findtext(required):
                problems.append(f"{url}: channel has no {required}")
        self_links = [link.get("href") for link in channel.findall(f"{{{ATOM}}}link[@rel='self']")]
        if self_links != [url]:
            problems.append(f"{url}: atom:link self {self_links}")
        for image in channel.findall("image"):
            # RSS 2.0: url, title and link required; the validator warns when the title or link is not the channel's.
            if [child.tag for child in image] != ["url", "title", "link"]:
                problems.append(f"{url}: image holds {[child.tag for child in image]}")
            named = [image.findtext(tag) == channel.findtext(tag) for tag in ("title", "link")]
            if not all(named):
                problems.append(f"{url}: image titled or linked otherwise than its channel")
            problems += icon_problems(sites, image.findtext("url", ""), url)
        if len(channel.findall("image")) > 1:
            problems.append(f"{url}: more than one image")
        guids = []
        for item in channel.findall("item"):
            guid = item.find("guid")
            where = f"{url} {None if guid is None else guid.text}"
            if guid is None or not guid.text:
                problems.append(f"{where}: item has no guid")
            else:
                guids.append(guid.text)
                if guid.get("isPermaLink", "true") == "true" and not absolute(guid.text):
                    problems.append(f"{where}: a permalink guid that is not a URL")
            if not item.findtext("title") or not absolute(item.findtext("link", "")):
                problems.append(f"{where}: title or link missing")
            try:
                parsedate_to_datetime(item.findtext("pubDate", ""))
            except (TypeError, ValueError):
                problems.append(f"{where}: pubDate {item.findtext('pubDate')!r} is not RFC 822")
            for enclosure in item.findall("enclosure"):
                if not (absolute(enclosure.get("url", "")) and enclosure.get("type")):
                    problems.append(f"{where}: enclosure {dict(enclosure.attrib)}")
                if not enclosure.get("length", "").isdigit():
                    problems.append(f"{where}: enclosure length {enclosure.get('length')!r}")
            if len(item.findall("enclosure")) > 1:
                problems.append(f"{where}: more than one enclosure (RSS readers take one)")
            encoded = item.findtext(f"{{{RSS_NAMESPACES['content']}}}encoded") or ""
            problems += [f"{where}: relative URL {found}" for found in relative_urls_in(encoded)]
        if len(guids) != len(set(guids)):
            problems.append(f"{url}: the same guid twice")
    assert problems == [], "\n".join(problems[:40])


def test_json_feeds(sites):
    problems = []
    for path, url in feeds(sites, "feed.json"):
        feed = json.loads(path.read_text(encoding="utf-8"))
        if feed.get("version") != "https://jsonfeed.org/version/1.1":
            problems.append(f"{url}: version {feed.get('version')!r}")
        if not isinstance(feed.get("title"), str) or not feed["title"]:
            problems.append(f"{url}: no title")
        if feed.get("feed_url") != url or not absolute(feed.get("home_page_url", "")):
            problems.append(f"{url}: feed_url {feed.get('feed_url')!r}, home_page_url {feed.get('home_page_url')!r}")
        for key in ("icon", "favicon"):
            if key in feed and not absolute(feed[key]):
                problems.append(f"{url}: {key} {feed[key]!r}")
            elif key in feed:
                problems += icon_problems(sites, feed[key], url)
        if "author" in feed or not isinstance(feed.get("items"), list):
            problems.append(f"{url}: 1.0's author, or no items list")
        ids = []
        for item in feed.get("items", []):
            where = f"{url} {item.get('id')}"
            if not isinstance(item.get("id"), str) or not item["id"]:
                problems.append(f"{where}: id must be a non-empty string")
            ids.append(item.get("id"))
            if not ("content_html" in item or "content_text" in item):
                problems.append(f"{where}: neither content_html nor content_text")
            if "author" in item:
                problems.append(f"{where}: 1.0's author (1.1 has authors)")
            for author in item.get("authors", []):
                if not isinstance(author, dict) or not author.get("name") or not absolute(author.get("url", "x:")):
                    problems.append(f"{where}: author {author!r}")
            for key in ("url", "image", "banner_image", "external_url"):
                if key in item and not absolute(item[key]):
                    problems.append(f"{where}: {key} {item[key]!r} is not absolute")
            for key in ("date_published", "date_modified"):
                if key in item:
                    if not RFC3339.match(item[key]):
                        problems.append(f"{where}: {key} {item[key]!r} is not RFC 3339")
                    else:
                        datetime.fromisoformat(item[key])
            if not all(isinstance(tag, str) for tag in item.get("tags", [])):
                problems.append(f"{where}: tags must be strings")
            problems += [f"{where}: relative URL {found}" for found in relative_urls_in(item.get("content_html", ""))]
        if len(ids) != len(set(ids)):
            problems.append(f"{url}: the same id twice")
    assert problems == [], "\n".join(problems[:40])


def test_every_page_names_the_json_feed_for_feed_readers(sites):
    for site, url in sites:
        for page in ("index.html", "campaigns/index.html"):
            head = html.fromstring((site / page).read_bytes()).head
            links = [link.get("href") for link in head.findall("link[@type='application/feed+json']")]
            assert links == [url + "feed.json"], (site, page)


def test_every_feed_of_the_demo_shows_its_square_icon(sites):
    """``extra.frontline.icon`` (the demo's ``assets/bieu-tuong.png``) in every feed: RSS ``<image>``, Atom
    ``<icon>``, JSON Feed ``icon`` and ``favicon``, site feeds, section feeds and live pages' feeds alike."""
    demo, url = sites[0]
    icon = url + "assets/bieu-tuong.png"
    missing = []
    for path in sorted(demo.rglob("feed.xml")):
        if etree.parse(str(path)).findtext("channel/image/url") != icon:
            missing.append(path.relative_to(demo).as_posix())
    for path in sorted(demo.rglob("atom.xml")):
        if etree.parse(str(path)).findtext(f"{{{ATOM}}}icon") != icon:
            missing.append(path.relative_to(demo).as_posix())
    for path in sorted(demo.rglob("feed.json")):
        feed = json.loads(path.read_text(encoding="utf-8"))
        if (feed.get("icon"), feed.get("favicon")) != (icon, icon):
            missing.append(path.relative_to(demo).as_posix())
    assert missing == []
    assert len(list(demo.rglob("feed.json"))) > 1  # the site's and a live page's
    # feedparser reads it as the channel's image and icon.
    assert feedparser.parse((demo / "feed.xml").read_bytes()).feed.image.href == icon
    assert feedparser.parse((demo / "atom.xml").read_bytes()).feed.icon == icon
