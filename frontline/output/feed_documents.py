"""RSS 2.0 and Atom documents of the site's channels, built with feedgen from the content model.

Titles, descriptions and names are text. RSS does not say whether its titles and descriptions are text or HTML,
and readers (feedparser among them) read them as HTML: decoding entities, dropping tags. So text goes into RSS
escaped as HTML (then as XML, by lxml) and readers show the text; Atom says what each element holds (``text``
when no type is given), and gets the text as it is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.ext.dc import DcEntryExtension, DcExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from frontline.config.settings import SiteInfo
from frontline.content.model import Author, Campaign, Story
from frontline.views.feeds import FeedChannel, channel_updated, story_guid
from frontline.views.live import live_page_guid

FEED_GENERATOR = "Frontline"


class _HubFeed(BaseExtension):
    """The WebSub hub readers may subscribe through: ``<atom:link rel="hub">`` in RSS, ``<link rel="hub">`` in Atom
    (feedgen writes no link but ``self`` in RSS)."""

    href = ""

    def extend_rss(self, feed):
        etree.SubElement(feed[0], "{http://www.w3.org/2005/Atom}link", href=self.href, rel="hub")
        return feed

    def extend_atom(self, feed):
        etree.SubElement(feed, "link", href=self.href, rel="hub")
        return feed


class _IconFeed(BaseExtension):
    """The site's square icon as RSS's channel ``<image>``, before the items, titled and linked as the channel is
    (the W3C validator warns when they differ). Not through feedgen's ``image``, which also makes it Atom's
    ``<logo>``, an image twice as wide as it is high: Atom gets it as ``<icon>``."""

    url = ""

    def extend_rss(self, feed):
        channel = feed[0]
        image = etree.Element("image")
        for name, text in (("url", self.url), ("title", channel.findtext("title")), ("link", channel.findtext("link"))):
            etree.SubElement(image, name).text = text
        first_item = channel.find("item")
        if first_item is None:
            channel.append(image)
        else:
            first_item.addprevious(image)
        return feed

    def extend_atom(self, feed):
        return feed


def with_icon(generator: FeedGenerator, site: SiteInfo) -> None:
    """The site's icon (``extra.frontline.icon``) in ``generator``'s RSS and Atom, when it has one."""
    if site.icon:
        generator.register_extension("site_icon", _IconFeed, BaseEntryExtension)
        generator.site_icon.url = site.icon_url
        generator.icon(site.icon_url)


class _EnclosureFeed(BaseExtension):
    """Feed-level half of the enclosure extension (nothing to add)."""


class _EnclosureEntry(BaseEntryExtension):
    """Lead images as enclosures.

    feedgen 1.0.0 drops ``rel``, ``type`` and ``length`` from Atom entry links, which
    would turn an enclosure into a second alternate link; this writes both forms itself."""

    def __init__(self) -> None:
        self.image: tuple[str, str, str] | None = None

    def extend_rss(self, item):
        if self.image:
            url, length, media_type = self.image
            etree.SubElement(item, "enclosure", url=url, length=length, type=media_type)
        return item

    def extend_atom(self, entry):
        if self.image:
            url, length, media_type = self.image
            # Unqualified, as feedgen writes every Atom element (its feed states the namespace as a plain xmlns
            # attribute): a qualified one came out as <ns0:link xmlns:ns0=…>, which validators warn about.
            etree.SubElement(entry, "link", href=url, rel="enclosure", type=media_type, length=length)
        return entry


class _SharedEntry(FeedEntry):
    """A story's entry as every channel carrying it shows it: its RSS item and Atom entry are built once
    and put in each channel (feedgen would build them again for each). Not copied: lxml moves an element
    appended to another tree, so the item leaves the channel written before, which is only serialized
    once (``render_feed``)."""

    def __init__(self) -> None:
        super().__init__()
        self._built: dict[str, etree._Element] = {}

    def rss_entry(self, extensions: bool = True) -> etree._Element:
        return self._built_once("rss", extensions, self._rss_item)

    def _rss_item(self, extensions: bool) -> etree._Element:
        item = super().rss_entry(extensions)
        item.find("title").text = escape(self.title())  # RSS: escaped (module docstring)
        return item

    def atom_entry(self, extensions: bool = True) -> etree._Element:
        return self._built_once("atom", extensions, super().atom_entry)

    def _built_once(self, form: str, extensions: bool, build: Callable[[bool], etree._Element]) -> etree._Element:
        key = f"{form}{extensions}"
        if key not in self._built:
            self._built[key] = build(extensions)
        return self._built[key]


class FeedEntries:
    """Each story's feed entry, made the first time a channel asks for it: a story is in several channels (the
    site's, its campaign's, place's and topics'), so one ``FeedEntries`` serves all the channels of a build."""

    def __init__(
        self,
        site: SiteInfo,
        authors: dict[str, Author],
        campaigns: dict[str, Campaign],
        html_of: Callable[[Story], str],
    ) -> None:
        self.site, self.authors, self.campaigns, self.html_of = site, authors, campaigns, html_of
        self._entries: dict[str, _SharedEntry] = {}

    def __call__(self, story: Story) -> FeedEntry:
        entry = self._entries.get(story.id)
        if entry is None:
            entry = self._entries[story.id] = self._make(story)
        return entry

    def _make(self, story: Story) -> _SharedEntry:
        site = self.site
        entry = _SharedEntry()
        # Registered by class: feedgen's load_extension("dc") first tries to import a module that does not
        # exist, feedgen.ext.dc_entry, searching the whole import path for each story.
        entry.register_extension("dc", DcEntryExtension)
        entry.register_extension("lead_image", _EnclosureEntry)
        entry.guid(story_guid(story, site), permalink=False)
        entry.title(story.title)  # Atom's title is text (no type given); the RSS item's is escaped by _SharedEntry
        entry.link(href=site.absolute(story.url), rel="alternate")
        # The standfirst: text in Atom's <summary type="text">, escaped in the RSS <description> (module docstring).
        # feedgen sets the RSS description from the summary too, so it is set after.
        entry.summary(story.summary or story.title, type="text")
        entry.description(escape(story.summary or story.title), isSummary=False)
        # The body as escaped HTML, type="html": feedgen's type="CDATA" wrote <content type="CDATA">, a type Atom
        # does not have (feedparser reads it as "cdata", not HTML).
        entry.content(self.html_of(story), type="html")
        entry.published(story.date)
        entry.updated(story.last_modified)
        for author_id in story.authors:
            author = self.authors[author_id]
            entry.author(name=author.name, uri=site.absolute(author.url))
            entry.dc.dc_creator(author.name)
        for term in _categories(story, self.campaigns):
            entry.category(term=term)
        if story.image:
            entry.lead_image.image = (
                site.absolute(story.image.site_path),
                str(story.image.size),
                story.image.media_type,
            )
        return entry


def render_feed(channel: FeedChannel, entries: FeedEntries, fallback_updated: datetime) -> tuple[bytes, bytes]:
    """Return ``(rss, atom)`` bytes, the items made by ``entries`` (body HTML with absolute URLs).

    Output depends only on the inputs (no clock), so builds are reproducible."""
    site = entries.site
    generator = FeedGenerator()
    generator.register_extension("dc", DcExtension, DcEntryExtension)
    generator.register_extension("lead_image", _EnclosureFeed, _EnclosureEntry)
    page = site.absolute(channel.page_url)
    generator.id(page)
    description = channel.description or channel.title
    generator.title(escape(channel.title))  # RSS: escaped (module docstring)
    generator.description(escape(description))
    generator.language(site.language)
    generator.generator(FEED_GENERATOR)
    generator.updated(channel_updated(channel, fallback_updated))
    for story in channel.stories:
        generator.add_entry(entries(story), order="append")
    for live in channel.live:  # a live page is one item; its updates are in its own feeds
        entry = _SharedEntry()  # its RSS title escaped, as a story's (module docstring)
        entry.guid(live_page_guid(live.id, site), permalink=False)
        entry.title(live.title)
        entry.link(href=site.absolute(live.url), rel="alternate")
        entry.summary(live.summary, type="text")
        entry.description(escape(live.summary), isSummary=False)
        entry.content(escape(live.summary), type="html")  # Atom's content as a story's: HTML (escaped text is)
        entry.published(live.start)
        entry.updated(live.start)
        entry.author(name=site.name, uri=site.url)  # written by the newsroom: its updates name their reporters
        generator.add_entry(entry, order="append")
    if site.hub:
        generator.register_extension("websub", _HubFeed, BaseEntryExtension)
        generator.websub.href = site.hub
    with_icon(generator, site)
    # feedgen takes the RSS <link> from the last link added: the page, after the self link.
    generator.link(href=site.absolute(channel.rss_path), rel="self")
    generator.link(href=page, rel="alternate")
    rss = generator.rss_str(pretty=True)
    generator.title(channel.title)  # Atom's <title> and <subtitle> are text (no type given)
    generator.subtitle(description)
    generator.link(href=site.absolute(channel.atom_path), rel="self", replace=True)
    generator.link(href=page, rel="alternate")
    atom = generator.atom_str(pretty=True)
    return rss, atom


def _categories(story: Story, campaigns: dict[str, Campaign]) -> Sequence[str]:
    terms = [campaigns[story.campaign].title] if story.campaign in campaigns else []
    return list(dict.fromkeys(terms + list(story.tags)))
