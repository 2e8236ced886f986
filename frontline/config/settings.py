"""The site's settings as values: what mkdocs.yml's ``site_url``, ``site_name`` and ``extra.frontline`` say,
read and checked by ``frontline.config.options``; every view and serialiser takes them from here."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

INDEXNOW_ENDPOINT = "https://api.indexnow.org/indexnow"
"""Where a release's changed addresses are announced when ``extra.frontline.indexnow_key`` is set."""


_UNPLAIN = re.compile(r"[?#:\\]|//|/\.")
"""What ``urljoin`` reads in a path beyond its segments: a query, a fragment, a scheme, empty or dot segments."""


@functools.cache
def _plain_base(base: str) -> bool:
    return base.endswith("/") and urljoin(base, "x") == base + "x"


def _join(base: str, path: str) -> str:
    """``urljoin(base, path)``; a plain site-relative path under a base ending with "/" is appended as it is
    (every page asks for twenty absolute addresses, and ``urljoin`` parses both each time)."""
    if (
        path
        and path[0] not in "/. "
        and path[-1] != " "
        and not _UNPLAIN.search(path)
        and path.isprintable()  # urljoin drops tabs and line breaks
        and _plain_base(base)
    ):
        return base + path
    return urljoin(base, path)


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What feeds need to know about the site. ``url`` ends with a slash."""

    url: str
    name: str
    description: str = ""
    language: str = "vi"
    id_authority: str = ""
    """Authority of the ``tag:`` URIs used as feed ids; keep it when the domain changes."""
    id_date: str = "2020"
    hub: str = ""
    """The WebSub hub the feeds name (``extra.frontline.websub_hub``), where readers may subscribe; '' for none."""
    icon: str = ""
    """The feeds' square icon (``extra.frontline.icon``), a path under docs/; '' for none."""

    def absolute(self, path: str) -> str:
        return _join(self.url, path)

    @property
    def icon_url(self) -> str:
        """The feeds' icon, absolute; '' for none."""
        return self.absolute(self.icon) if self.icon else ""

    @property
    def authority(self) -> str:
        return self.id_authority or urlsplit(self.url).hostname or "localhost"


@dataclass(frozen=True, slots=True)
class Settings:
    """Editorial settings of a site (``extra.frontline`` in mkdocs.yml)."""

    site: SiteInfo
    per_page: int = 20
    feed_size: int = 50
    section_feed_size: int = 20
    home_size: int = 20
    logo: str | None = None
    """Publisher logo, a path under docs/ (for JSON-LD)."""
    share_image: str | None = None
    """What a shared page without an image of its own shows: a path under docs/ or an address (else the logo)."""
