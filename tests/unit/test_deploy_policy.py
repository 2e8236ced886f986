"""The server settings say what ``headers_for`` says; the build's gzip twins; which target a DEST names."""

from __future__ import annotations

import gzip
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontline.build.precompress import MIN_BYTES, precompress_site
from frontline.deploy import base
from frontline.deploy.command import DeployError, target_for
from frontline.deploy.folder import FolderTarget
from frontline.deploy.git import GitTarget, redact
from frontline.deploy.servers import (
    address_rules,
    cache_control_of_address,
    caddy_snippet,
    header_rules,
    headers_file,
    nginx_snippet,
)

SITE = [
    "index.html",
    "404.html",
    "2021/05/benh-vien/index.html",
    "2021/05/benh-vien/index.html.gz",
    "campaigns/bac-giang/index.html",
    "campaigns/bac-giang/feed.xml",
    "campaigns/bac-giang/atom.xml",
    "campaigns/bac-giang/timeline.json",
    "places/bac-giang/index.html",
    "places/bac-giang/feed.xml",
    "feed.xml",
    "feed.json",
    "feeds.opml",
    "sitemap.xml",
    "sitemap.xml.gz",
    "news-sitemap.xml",
    "robots.txt",
    "sitemaps/sitemap-1.xml",
    "assets/javascripts/bundle.79ae519e.min.js",
    "assets/javascripts/bundle.79ae519e.min.js.map",
    "assets/javascripts/frontline-search.js",
    "assets/stylesheets/main.484c7ddc.min.css",
    "assets/images/favicon.png",
    "pagefind/pagefind.js",
    "pagefind/pagefind-entry.json",
    "pagefind/index/vi_4ce0b5e2b1.pf_index",
    "pagefind/fragment/vi_1a2b3c4d5e.pf_fragment",
    "pagefind/pagefind.vi_3c4d5e6f7a.pf_meta",
    "pagefind/wasm.unknown.pagefind",
    "stories/2021/05/images/anh.jpg",
    "stories/2021/05/tai-lieu/bao-cao.pdf",
]


@pytest.mark.parametrize("path", SITE)
def test_the_snippets_rules_send_what_the_policy_says(path):
    expected = base.headers_for(path)["Cache-Control"]
    assert cache_control_of_address("/" + path) == expected
    assert cache_control_of_address("/tin/" + path) == expected  # a site under a sub-path
    if path.endswith("/index.html"):
        assert cache_control_of_address("/" + path.removesuffix("index.html")) == base.PAGE


def test_every_policy_is_used_and_the_snippets_carry_each_rule():
    assert {base.headers_for(path)["Cache-Control"] for path in SITE} == {
        base.IMMUTABLE,
        base.PAGE,
        base.FEED,
        base.OTHER,
    }
    nginx = nginx_snippet("/srv/tuyendau/current")
    caddy = caddy_snippet("/srv/tuyendau/current")
    for rule in address_rules():
        assert f'location ~ "{rule.regex}" {{\n    add_header Cache-Control "{rule.cache_control}" always;' in nginx
        assert f"path_regexp `{rule.regex}`" in caddy
    assert "gzip_static on;" in nginx and "precompressed gzip" in caddy
    assert 'root "/srv/tuyendau/current";' in nginx and 'root * "/srv/tuyendau/current"' in caddy
    assert 'header @type15 Content-Type "text/html; charset=utf-8"' in caddy


def _matches(pattern: str, address: str) -> bool:
    """Netlify's and Cloudflare's rule matching: ``*`` matches anything, the rest literally."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), address) is not None


def test_the_headers_file_gives_each_address_one_rule_with_the_policys_headers():
    rules = header_rules(SITE)
    twins = {path for path in SITE if path.endswith(".gz") and path[:-3] in SITE}
    addresses = {"/" + path: path for path in SITE if path not in twins}
    addresses |= {"/" + path.removesuffix("index.html"): path for path in SITE if path.endswith("index.html")}
    for address, path in addresses.items():
        matching = [rule for rule in rules if _matches(rule.pattern, address)]
        assert len(matching) == 1, (address, matching)
        assert dict(matching[0].headers) == base.headers_for(path), address
    patterns = [rule.pattern for rule in rules]
    assert "/2021/*" in patterns and "/sitemaps/*" in patterns  # a folder of one kind is one rule
    text = headers_file(SITE)
    assert (
        "/2021/*\n  Cache-Control: public, max-age=300, must-revalidate\n  Content-Type: text/html; charset=utf-8"
        in text
    )


_NAME = st.sampled_from(
    [
        "index.html",
        "feed.xml",
        "sitemap-2.xml",
        "bundle.79ae519e.min.js",
        "vi_4ce0b5e2b1.pf_index",
        "a.pf_fragment",
        "wasm.0123456789ab.pagefind",
        "anh.jpg",
        "robots.txt",
        "x_deadbeef.pf_meta",
        "main.484c7ddc.min.css.map",
    ]
)
_FOLDER = st.sampled_from(["assets", "pagefind", "2021", "campaigns", "tin", "a_deadbeef00", "x.0123456789ab"])


@given(top=_FOLDER, middle=st.lists(_FOLDER, max_size=3), other=st.lists(_FOLDER, max_size=3), name=_NAME)
def test_a_files_headers_follow_from_its_top_folder_and_name_as_the_headers_file_assumes(top, middle, other, name):
    """``header_rules`` works a file's headers out once per top folder and name."""
    one, two = "/".join([top, *middle, name]), "/".join([top, *other, name])
    assert base.headers_for(one) == base.headers_for(two)


def test_precompressed_twins_are_deterministic_cached_and_checked(tmp_path):
    site = tmp_path / "site"
    page = "<p>Bệnh viện dã chiến số 2</p>\n" * 100
    (site / "2021").mkdir(parents=True)
    (site / "2021" / "index.html").write_text(page, encoding="utf-8")
    (site / "small.html").write_text("<p>ngắn</p>", encoding="utf-8")
    (site / "anh.png").write_bytes(b"\x89PNG" + bytes(4000))
    cache = tmp_path / "cache"
    assert precompress_site(site, cache) == 1
    twin = site / "2021" / "index.html.gz"
    first = twin.read_bytes()
    assert gzip.decompress(first).decode("utf-8") == page and first[4:8] == b"\0\0\0\0"  # mtime 0
    assert not (site / "small.html.gz").exists() and not (site / "anh.png.gz").exists()
    assert len(page.encode()) > MIN_BYTES
    # A second site with the same page gets the same bytes, even from a cache entry someone changed.
    (entry,) = (cache / "precompressed").iterdir()
    entry.chmod(0o644)
    entry.write_bytes(gzip.compress(b"<script>alert(1)</script>", mtime=0))
    other = tmp_path / "other"
    (other / "2021").mkdir(parents=True)
    (other / "2021" / "index.html").write_text(page, encoding="utf-8")
    precompress_site(other, cache)
    assert (other / "2021" / "index.html.gz").read_bytes() == first


def test_dest_names_its_target(tmp_path):
    assert isinstance(target_for(str(tmp_path / "srv"), tmp_path), FolderTarget)
    folder = target_for(f"file://{tmp_path}/srv%20tin", tmp_path)
    assert isinstance(folder, FolderTarget) and folder.root == tmp_path / "srv tin"
    git = target_for("git+https://example.vn/tin.git#pages", tmp_path)
    assert isinstance(git, GitTarget) and (git.url, git.branch) == ("https://example.vn/tin.git", "pages")
    assert target_for("git+file:///srv/tin.git", tmp_path).branch == "gh-pages"
    with pytest.raises(DeployError, match="không biết đăng lên 'ftp://'"):
        target_for("ftp://example.vn/tin", tmp_path)
    with pytest.raises(DeployError, match="file:///"):
        target_for("file://may-khac/srv", tmp_path)
    with pytest.raises(DeployError) as refused:
        target_for("gopher://bien-tap:mat-khau@example.vn/", tmp_path)
    assert "mat-khau" not in str(refused.value)
    assert redact("https://user:tok@host/x.git và ssh://a@b") == "https://***@host/x.git và ssh://***@b"


def test_the_snippets_keep_a_folder_one_argument_and_refuse_a_control_character():
    nginx, caddy = nginx_snippet('/srv/báo "tuyến" đầu'), caddy_snippet("/srv/báo tuyến đầu")
    assert 'root "/srv/báo \\"tuyến\\" đầu";' in nginx and 'root * "/srv/báo tuyến đầu"' in caddy
    for snippet in (nginx_snippet, caddy_snippet):
        with pytest.raises(ValueError, match="ký tự điều khiển"):
            snippet("/srv/a\n}\nserver {")


def test_release_ids_sort_as_made_within_one_second(tmp_path):
    from datetime import UTC, datetime, timedelta

    from frontline.deploy.base import read_site
    from frontline.deploy.folder import _is_id

    made = datetime(2026, 12, 6, 18, 57, 36, 900_000, tzinfo=UTC)
    ids = []
    for n, at in enumerate((made, made + timedelta(milliseconds=50))):
        (tmp_path / f"s{n}").mkdir()
        (tmp_path / f"s{n}" / "index.html").write_text(f"bản {n}", encoding="utf-8")
        ids.append(read_site(tmp_path / f"s{n}", at).id)
    assert sorted(ids) == ids and ids[0].startswith("20261206T185736900Z-")
    assert all(_is_id(i) for i in [*ids, "20261206T185736Z-5d6fa98f"])  # and a release named before milliseconds
    assert not _is_id("20261206T18573Z-5d6fa98f") and not _is_id("../x")
