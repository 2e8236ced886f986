"""After a publish: WebSub pings for the feeds that changed and an IndexNow ping of the pages that changed, sent to a
small HTTP server on a loopback port that records what it receives; a failing ping is reported, never raised."""

from __future__ import annotations

import json
import threading
import urllib.parse
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from lxml import etree

from frontline.config.options import Options, OptionsError
from frontline.deploy.base import Release, SiteFile, read_site
from frontline.deploy.pings import changed_feeds, changed_pages, send_pings
from tests.remote_servers import free_port
from tests.sites import make_site, story

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
SITE = "https://example.vn/tin/"


class Recorder(ThreadingHTTPServer):
    """Answers each POST with the status its path names (``/204/hub`` answers 204) and keeps what it got."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[dict] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append(
            {"path": self.path, "type": self.headers.get("Content-Type"), "body": body.decode("utf-8")}
        )
        self.send_response(int(self.path.split("/")[1]))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def recorder():
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def release(files: dict[str, str], minutes: int = 0) -> Release:
    return Release(
        f"r{minutes}", T0 + timedelta(minutes=minutes), tuple(SiteFile(p, d, 1) for p, d in sorted(files.items()))
    )


BEFORE = {
    "index.html": "1",
    "a/index.html": "1",
    "b/index.html": "1",
    "404.html": "1",
    "feed.xml": "1",
    "atom.xml": "1",
    "places/ha-noi/feed.xml": "1",
    "places/hue/feed.xml": "1",
    "assets/x.css": "1",
}
AFTER = {**BEFORE, "a/index.html": "2", "feed.xml": "2", "places/hue/feed.xml": "2", "c/index.html": "1"}
del AFTER["b/index.html"]
AFTER["404.html"] = "2"


def test_the_feeds_and_pages_a_release_changed():
    before, after = release(BEFORE), release(AFTER, 1)
    assert changed_feeds(before, after, SITE) == [SITE + "feed.xml", SITE + "places/hue/feed.xml"]
    assert changed_pages(before, after, SITE) == [SITE + "a/", SITE + "c/", SITE + "b/"]
    assert changed_feeds(None, before, SITE) == [SITE + "atom.xml", SITE + "feed.xml"] + [
        SITE + "places/ha-noi/feed.xml",
        SITE + "places/hue/feed.xml",
    ]
    assert changed_feeds(after, release(AFTER, 2), SITE) == []


def test_hub_and_indexnow_get_what_changed_and_nothing_when_nothing_did(recorder):
    before, after = release(BEFORE), release(AFTER, 1)
    pings = send_pings(
        before,
        after,
        SITE,
        websub_hub=f"{recorder.base}/204/hub",
        indexnow_key="3f2a9c0d7b1e4a6f",
        indexnow_endpoint=f"{recorder.base}/202/indexnow",
    )
    assert [(p.kind, p.ok, p.detail) for p in pings] == [
        ("websub", True, "HTTP 204"),
        ("websub", True, "HTTP 204"),
        ("indexnow", True, "HTTP 202"),
    ]
    hub = [r for r in recorder.received if r["path"] == "/204/hub"]
    assert [urllib.parse.parse_qs(r["body"]) for r in hub] == [
        {"hub.mode": ["publish"], "hub.url": [SITE + "feed.xml"]},
        {"hub.mode": ["publish"], "hub.url": [SITE + "places/hue/feed.xml"]},
    ]
    assert all(r["type"] == "application/x-www-form-urlencoded" for r in hub)
    (indexnow,) = [r for r in recorder.received if r["path"] == "/202/indexnow"]
    assert indexnow["type"] == "application/json; charset=utf-8"
    assert json.loads(indexnow["body"]) == {
        "host": "example.vn",
        "key": "3f2a9c0d7b1e4a6f",
        "urlList": [SITE + "a/", SITE + "c/", SITE + "b/"],
    }

    recorder.received.clear()
    same = send_pings(after, release(AFTER, 2), SITE, websub_hub=f"{recorder.base}/204/hub", indexnow_key="k" * 8)
    assert same == [] and recorder.received == []
    assert send_pings(before, after, SITE) == []  # neither configured: nothing sent
    planned = send_pings(before, after, SITE, websub_hub=f"{recorder.base}/204/hub", dry_run=True)
    assert len(planned) == 2 and recorder.received == []


def test_a_failing_ping_is_reported_and_the_others_are_still_sent(recorder):
    closed = f"http://127.0.0.1:{free_port()}/hub"
    pings = send_pings(
        release(BEFORE),
        release(AFTER, 1),
        SITE,
        websub_hub=closed,
        indexnow_key="3f2a9c0d7b1e4a6f",
        indexnow_endpoint=f"{recorder.base}/500/indexnow",
    )
    assert [(p.kind, p.ok) for p in pings] == [("websub", False), ("websub", False), ("indexnow", False)]
    assert "không kết nối được" in pings[0].detail and "KHÔNG báo được" in str(pings[0])
    assert pings[2].detail == "HTTP 500"
    assert len(recorder.received) == 1  # the engine was still told, though the hub was down


def test_ping_settings_are_checked_with_the_other_options():
    options = Options.from_mapping({"websub_hub": "https://hub.example.vn/", "indexnow_key": "3f2a9c0d7b1e4a6f"})
    assert (options.websub_hub, options.indexnow_key) == ("https://hub.example.vn/", "3f2a9c0d7b1e4a6f")
    with pytest.raises(OptionsError) as raised:
        Options.from_mapping({"websub_hub": "hub.example.vn", "indexnow_key": "ngắn", "indexnow_endpoint": "ftp://x"})
    assert [p.field for p in raised.value.problems] == [
        "extra.frontline.indexnow_endpoint",
        "extra.frontline.indexnow_key",
        "extra.frontline.websub_hub",
    ]


@pytest.mark.e2e
def test_one_edited_story_pings_the_feeds_it_is_in_and_its_page(recorder, tmp_path):
    newsroom = make_site(tmp_path / "newsroom")
    newsroom.write("stories/2021/05/hue.md", story("Tin Huế", "2021-05-10", location="Huế", authors="[duc]"))
    newsroom.write("stories/2021/05/ha-noi.md", story("Tin Hà Nội", "2021-05-11", location="Hà Nội"))
    assert newsroom.build().returncode == 0
    before = read_site(newsroom.site_dir, T0)
    newsroom.write(
        "stories/2021/05/hue.md", story("Tin Huế", "2021-05-10", location="Huế", authors="[duc]", body="Mới.")
    )
    assert newsroom.build().returncode == 0
    after = read_site(newsroom.site_dir, T0 + timedelta(minutes=1))

    send_pings(
        before,
        after,
        "https://example.vn/tin/",
        websub_hub=f"{recorder.base}/204/hub",
        indexnow_key="3f2a9c0d7b1e4a6f",
        indexnow_endpoint=f"{recorder.base}/200/indexnow",
    )
    feeds = {urllib.parse.parse_qs(r["body"])["hub.url"][0] for r in recorder.received if r["path"] == "/204/hub"}
    assert "https://example.vn/tin/feed.xml" in feeds
    assert any("/places/hue/" in feed for feed in feeds) and any("/authors/duc/" in feed for feed in feeds)
    assert not any("/places/ha-noi/" in feed or "/authors/ha/" in feed for feed in feeds)
    (indexnow,) = [json.loads(r["body"]) for r in recorder.received if r["path"] == "/200/indexnow"]
    assert "https://example.vn/tin/2021/05/tin-hue/" in indexnow["urlList"]
    assert "https://example.vn/tin/2021/05/tin-ha-noi/" not in indexnow["urlList"]


@pytest.mark.e2e
def test_feeds_name_the_hub_when_one_is_set_and_only_then(tmp_path):
    hubbed = make_site(tmp_path / "hubbed")
    config = (hubbed.root / "mkdocs.yml").read_text(encoding="utf-8")
    hubbed.write(
        "mkdocs.yml", config.replace("    per_page: 2\n", "    per_page: 2\n    websub_hub: https://hub.example.vn/\n")
    )
    plain = make_site(tmp_path / "plain")
    for newsroom in (hubbed, plain):
        newsroom.write("stories/2021/05/hue.md", story("Tin Huế", "2021-05-10", location="Huế"))
        assert newsroom.build().returncode == 0, newsroom.build().stderr
    atom = "{http://www.w3.org/2005/Atom}"
    for feed in ("feed.xml", "places/hue/feed.xml"):
        channel = etree.parse(hubbed.site_dir / feed).getroot().find("channel")
        assert [link.get("href") for link in channel.iter(f"{atom}link") if link.get("rel") == "hub"] == [
            "https://hub.example.vn/"
        ]
        assert not [link for link in etree.parse(plain.site_dir / feed).iter(f"{atom}link") if link.get("rel") == "hub"]
    links = etree.parse(hubbed.site_dir / "atom.xml").getroot().findall(f"{atom}link")
    assert {link.get("rel"): link.get("href") for link in links}["hub"] == "https://hub.example.vn/"
    assert json.loads((hubbed.site_dir / "feed.json").read_text())["hubs"] == [
        {"type": "WebSub", "url": "https://hub.example.vn/"}
    ]
    assert "hubs" not in json.loads((plain.site_dir / "feed.json").read_text())
    assert 'rel="hub"' not in (plain.site_dir / "atom.xml").read_text()
