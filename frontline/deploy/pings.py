"""Telling subscribers and search engines, once a release is live, what it changed.

- WebSub (PubSubHubbub): for each feed whose bytes changed, a form POST ``hub.mode=publish&hub.url=<feed>`` to the
  hub (``extra.frontline.websub_hub``); the hub fetches the feed and pushes it to its subscribers.
- IndexNow: one JSON POST (``{host, key, keyLocation, urlList}``, at most 10,000 addresses a request) of the pages
  added, changed or removed, when ``extra.frontline.indexnow_key`` is set, to ``indexnow_endpoint`` (by default
  ``https://api.indexnow.org/indexnow``, which shares it with the engines taking part). The key must also be served
  by the site: ``docs/<key>.txt`` holding the key, or where ``keyLocation`` says.

A ping that fails is reported (``Ping.ok`` false, with why) and never raised: the release is live whatever a hub
answers. Nothing is sent when nothing changed."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from frontline.config.settings import INDEXNOW_ENDPOINT
from frontline.deploy.base import Release

INDEXNOW_BATCH = 10_000  # the protocol's limit of addresses in one request
_FEED = re.compile(r"(^|/)(feed\.xml|atom\.xml|feed\.json)$")
_NOT_PAGES = frozenset({"404.html"})
_AGENT = "Frontline/0.1 (publish ping)"


@dataclass(frozen=True)
class Ping:
    """One request sent to a hub or a search engine, and how it went."""

    kind: str  # "websub" or "indexnow"
    endpoint: str
    subject: str  # the feed's address, or how many pages
    ok: bool
    detail: str  # the HTTP status, or why it failed

    def __str__(self) -> str:
        what = "WebSub" if self.kind == "websub" else "IndexNow"
        outcome = "đã báo" if self.ok else "KHÔNG báo được"
        return f"{what}: {outcome} {self.subject} tới {self.endpoint} ({self.detail})"


def changed_paths(previous: Release | None, new: Release) -> tuple[list[str], list[str]]:
    """Paths of files ``new`` adds or changes over ``previous``, and paths it no longer has."""
    before = {f.path: f.digest for f in previous.files} if previous is not None else {}
    after = {f.path: f.digest for f in new.files}
    changed = sorted(path for path, digest in after.items() if before.get(path) != digest)
    removed = sorted(path for path in before if path not in after)
    return changed, removed


def page_url(site_url: str, path: str) -> str | None:
    """The address a reader uses for the file at ``path`` if it is a page (``a/index.html`` is ``…/a/``)."""
    if not path.endswith(".html") or path in _NOT_PAGES:
        return None
    base = site_url if site_url.endswith("/") else site_url + "/"
    if path == "index.html" or path.endswith("/index.html"):
        return base + urllib.parse.quote(path.removesuffix("index.html"))
    return base + urllib.parse.quote(path)


def changed_feeds(previous: Release | None, new: Release, site_url: str) -> list[str]:
    """The addresses of the feeds (RSS, Atom, JSON Feed) ``new`` adds or changes."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    changed, _removed = changed_paths(previous, new)
    return [base + urllib.parse.quote(path) for path in changed if _FEED.search(path)]


def changed_pages(previous: Release | None, new: Release, site_url: str) -> list[str]:
    """The addresses of the pages ``new`` adds, changes or removes (a removed page is news to a search engine)."""
    changed, removed = changed_paths(previous, new)
    return [url for path in changed + removed if (url := page_url(site_url, path)) is not None]


def send_pings(
    previous: Release | None,
    new: Release,
    site_url: str,
    *,
    websub_hub: str | None = None,
    indexnow_key: str | None = None,
    indexnow_endpoint: str = INDEXNOW_ENDPOINT,
    indexnow_key_location: str | None = None,
    dry_run: bool = False,
    timeout: float = 10.0,
) -> list[Ping]:
    """Pings the hub for every feed ``new`` changed over ``previous`` (None: every feed is new) and IndexNow with
    the pages it changed; each request's outcome, in order. With ``dry_run``, what would be sent, sending nothing."""
    pings: list[Ping] = []
    if websub_hub:
        for feed in changed_feeds(previous, new, site_url):
            form = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed}).encode("ascii")
            request = urllib.request.Request(
                websub_hub, data=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
            )
            pings.append(_send("websub", request, feed, dry_run, timeout))
    pages = changed_pages(previous, new, site_url) if indexnow_key else []
    for start in range(0, len(pages), INDEXNOW_BATCH):
        batch = pages[start : start + INDEXNOW_BATCH]
        document: dict[str, object] = {
            "host": urllib.parse.urlsplit(site_url).hostname or "",
            "key": indexnow_key,
            "urlList": batch,
        }
        if indexnow_key_location:
            document["keyLocation"] = indexnow_key_location
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            indexnow_endpoint, data=body, headers={"Content-Type": "application/json; charset=utf-8"}
        )
        pings.append(_send("indexnow", request, f"{len(batch)} trang", dry_run, timeout))
    return pings


def _send(kind: str, request: urllib.request.Request, subject: str, dry_run: bool, timeout: float) -> Ping:
    endpoint = _without_secrets(request.full_url)
    if dry_run:
        return Ping(kind, endpoint, subject, True, "chạy thử, chưa gửi")
    request.add_header("User-Agent", _AGENT)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Ping(kind, endpoint, subject, True, f"HTTP {answer.status}")
    except urllib.error.HTTPError as error:
        return Ping(kind, endpoint, subject, False, f"HTTP {error.code}")
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Ping(kind, endpoint, subject, False, f"không kết nối được: {reason}")


def _without_secrets(url: str) -> str:
    """``url`` as it may be shown: without a user name, password or query (which may carry a token)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urllib.parse.urlunsplit((parts.scheme, host + port, parts.path, "", ""))
