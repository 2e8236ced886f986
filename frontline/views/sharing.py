"""What a page shows when it is shared (OpenGraph and Twitter cards) and the structured data of the pages that are
not stories (schema.org ``WebSite``, ``CollectionPage`` with an ``ItemList``): pure data, printed by
``overrides/main.html``. A story's ``NewsArticle`` is ``structured.story_json_ld``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from frontline.content import urls
from frontline.views.feeds import SiteInfo

OG_LOCALE = "vi_VN"


@dataclass(frozen=True, slots=True)
class Sharing:
    """The site-wide part of every page's card: the site, and the picture of a page without one of its own
    (``extra.frontline.share_image``, else the logo: a path under docs/ or an address)."""

    site: SiteInfo
    image: str | None = None
    logo: str | None = None

    def absolute(self, path: str) -> str:
        return self.site.absolute(path)


@dataclass(frozen=True, slots=True)
class Card:
    """One page's OpenGraph and Twitter card. ``title`` is None where the page's own Markdown gives its title
    (the template prints the page's title then); URLs are absolute."""

    kind: str
    """``og:type``: ``article`` for a story, ``website`` for every other page."""
    title: str | None
    description: str
    url: str
    image: str | None
    image_alt: str
    own_image: bool
    """Whether the picture is the page's own (a large card) rather than the site's (a small one)."""
    site_name: str
    locale: str = OG_LOCALE

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.own_image else "summary"


def card(
    sharing: Sharing,
    url: str,
    title: str | None,
    description: str | None,
    *,
    kind: str = "website",
    image: str | None = None,
    image_alt: str = "",
) -> Card:
    """The card of the page at site-relative ``url``; without an ``image`` of its own it shows the site's."""
    site = sharing.site
    picture = image or sharing.image
    return Card(
        kind=kind,
        title=title,
        description=description or site.description,
        url=site.absolute(url),
        image=sharing.absolute(picture) if picture else None,
        image_alt=image_alt if image else site.name,
        own_image=image is not None,
        site_name=site.name,
    )


def website_json_ld(sharing: Sharing) -> dict[str, Any]:
    """The home page's ``WebSite``, with the search page as its ``SearchAction`` (``?q=`` runs a search)."""
    site = sharing.site
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": site.absolute(urls.HOME) + "#website",
        "name": site.name,
        "url": site.absolute(urls.HOME),
        "inLanguage": site.language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": site.absolute(urls.SEARCH_PAGE) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    if site.description:
        data["description"] = site.description
    if sharing.logo:
        data["publisher"] = {
            "@type": "Organization",
            "name": site.name,
            "url": site.url,
            "logo": {"@type": "ImageObject", "url": sharing.absolute(sharing.logo)},
        }
    return data


def collection_json_ld(
    sharing: Sharing, url: str, name: str, description: str, items: Iterable[tuple[str, str]], *, about: Any = None
) -> dict[str, Any]:
    """A listing's ``CollectionPage`` whose main entity is the ``ItemList`` of ``items`` (name, site-relative URL)
    in the order the page shows them."""
    site = sharing.site
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "@id": site.absolute(url),
        "url": site.absolute(url),
        "name": name,
        "inLanguage": site.language,
        "isPartOf": {"@type": "WebSite", "@id": site.absolute(urls.HOME) + "#website", "name": site.name},
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": index, "name": item_name, "url": site.absolute(item_url)}
                for index, (item_name, item_url) in enumerate(items, 1)
            ],
        },
    }
    if description:
        data["description"] = description
    if about is not None:
        data["about"] = about
    return data
