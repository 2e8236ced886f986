"""Publishing to S3-compatible storage: moto's S3 server on a loopback port, checked through plain HTTP GETs (what a
reader or a CDN gets) and through boto3: objects, headers, what is sent, order, deletions, rollback, a publish killed
at random moments, and credentials never shown."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest

from frontline.deploy.base import FEED, IMMUTABLE, PAGE, Release, SiteFile, read_site
from frontline.deploy.failures import TargetFailed
from frontline.deploy.s3 import S3Target, release_objects
from tests.remote_servers import digests, kill_group, s3_server
from tests.sites import make_site, story

pytestmark = pytest.mark.e2e

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ACCESS_KEY = "AKIAFRONTLINETEST9Q7Z"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with s3_server(tmp_path_factory.mktemp("moto")) as running:
        yield running


@pytest.fixture
def bucket(server, monkeypatch, request):
    """A fresh bucket readers may GET from (as a bucket behind a CDN or website endpoint is), and the environment
    boto3 reads: endpoint, region, a secret-looking key pair."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", server.endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    name = "tin-" + hashlib.sha256(request.node.name.encode()).hexdigest()[:12]
    client = boto3.client("s3")
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/*"}
        ],
    }
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
    return name


def get(server, bucket: str, key: str) -> tuple[int, dict[str, str], bytes]:
    """A reader's plain GET (asking for gzip, as browsers do): status, headers (lower-case names), raw body."""
    request = urllib.request.Request(f"{server.endpoint}/{bucket}/{key}", headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {}, b""


def live_bodies(bucket: str, prefix: str) -> dict[str, bytes]:
    """The site's objects under ``prefix`` (less ``.frontline/``) and what a reader gets of each (decoded)."""
    client = boto3.client("s3")
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            key = item["Key"][len(prefix) :]
            if key.startswith(".frontline/"):
                continue
            answer = client.get_object(Bucket=bucket, Key=item["Key"])
            body = answer["Body"].read()
            found[key] = gzip.decompress(body) if answer.get("ContentEncoding") == "gzip" else body
    return found


def live_keys(bucket: str, prefix: str) -> dict[str, str]:
    """The site's objects under ``prefix`` and the sha256 of what a reader gets."""
    return {key: hashlib.sha256(body).hexdigest() for key, body in live_bodies(bucket, prefix).items()}


def served_site(site: Path) -> dict[str, str]:
    """What readers should get for a site folder: every file but the ``.gz`` twins, which are folded into theirs."""
    return {k: v for k, v in digests(site).items() if not (k.endswith(".gz") and (site / k[:-3]).exists())}


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def test_publish_uploads_changes_only_with_headers_deletes_stale_last_and_rolls_back(server, bucket, tmp_path):
    site = tmp_path / "site"
    page = "<!doctype html><title>Trang chủ</title>" + "Tin tức Đà Nẵng. " * 50
    write_files(
        site,
        {
            "index.html": page,
            "index.html.gz": gzip.compress(page.encode(), mtime=0),
            "a/index.html": "bài a",
            "b/index.html": "bài b",
            "feed.xml": "<rss/>",
            "assets/app.0123abcd.min.css": "body{}",
            "images/anh.jpg": b"\xff\xd8\xff jpeg",
        },
    )
    target = S3Target(f"s3://{bucket}/tin")
    client = boto3.client("s3")

    first = read_site(site, T0)
    planned = target.publish(site, first, dry_run=True)
    assert (planned.sent_files, planned.dry_run) == (6, True)
    assert client.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0  # a dry run writes nothing

    told: list[tuple[int, int, int]] = []
    target.progress = lambda done, total, sent: told.append((done, total, sent))
    report = target.publish(site, first)
    assert (report.sent_files, report.unchanged_files, report.deleted_files) == (6, 0, 0)
    assert [(done, total) for done, total, _ in told] == [(n, 12) for n in range(1, 13)]  # six stored, six made live
    assert told[-1][2] == report.sent_bytes
    assert live_keys(bucket, "tin/") == served_site(site)

    status, headers, body = get(server, bucket, "tin/index.html")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8" and headers["cache-control"] == PAGE
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body).decode() == page
    status, headers, body = get(server, bucket, "tin/a/index.html")
    assert body == "bài a".encode() and "content-encoding" not in headers
    assert get(server, bucket, "tin/feed.xml")[1]["cache-control"] == FEED
    assert get(server, bucket, "tin/assets/app.0123abcd.min.css")[1]["cache-control"] == IMMUTABLE
    assert get(server, bucket, "tin/images/anh.jpg")[1]["content-type"] == "image/jpeg"
    assert get(server, bucket, "tin/index.html.gz")[0] == 404  # the twin is the body of index.html, not an object
    pointer = json.loads(client.get_object(Bucket=bucket, Key="tin/.frontline/current.json")["Body"].read())
    assert pointer == {"release": first.id}
    manifest = json.loads(
        client.get_object(Bucket=bucket, Key=f"tin/.frontline/releases/{first.id}.json")["Body"].read()
    )
    assert manifest["files"] == json.loads(first.manifest())["files"]
    assert manifest["objects"]["index.html"]["encoding"] == "gzip"

    second = read_site(site, T0 + timedelta(minutes=1))
    again = target.publish(site, second)
    assert (again.sent_files, again.sent_bytes, again.unchanged_files) == (0, 0, 6)

    (site / "a" / "index.html").write_text("bài a, đã sửa", encoding="utf-8")
    (site / "b" / "index.html").unlink()
    write_files(site, {"c/index.html": "bài c"})
    edited = read_site(site, T0 + timedelta(minutes=2))
    assert target.changes(site, edited) == [
        ("+", "a/index.html", len("bài a, đã sửa".encode())),
        ("+", "c/index.html", len("bài c".encode())),
        ("-", "b/index.html", 0),
    ]
    server.record(True)
    report = target.publish(site, edited)
    server.record(False)
    assert (report.sent_files, report.unchanged_files, report.deleted_files) == (2, 4, 1)
    assert report.sent_bytes == len("bài a, đã sửa".encode()) + len("bài c".encode())
    assert live_keys(bucket, "tin/") == served_site(site)
    assert get(server, bucket, "tin/b/index.html")[0] == 404

    # What moto received, in order: bodies stored, the pages made live, the pointer moved, and only then the stale
    # page deleted (DeleteObjects is a POST ?delete).
    steps = []
    for entry in server.requests():
        path = urllib.parse.urlsplit(entry["url"]).path.removeprefix(f"/{bucket}/")
        if entry["method"] == "PUT" or (entry["method"] == "POST" and "delete" in entry["url"]):
            steps.append((entry["method"], path))
    assert steps.index(("PUT", "tin/a/index.html")) < steps.index(("PUT", "tin/.frontline/current.json"))
    assert steps.index(("PUT", "tin/c/index.html")) < steps.index(("PUT", "tin/.frontline/current.json"))
    deletion = next(i for i, step in enumerate(steps) if step[0] == "POST")
    assert deletion > steps.index(("PUT", "tin/.frontline/current.json"))

    assert [(r.id, r.files, r.live) for r in target.releases()] == [
        (first.id, 7, False),
        (second.id, 7, False),
        (edited.id, 7, True),
    ]
    assert target.live_release() == edited

    back = target.rollback()  # to the second release: its content, restored from the bucket alone
    assert (back.id, back.live) == (second.id, True)
    assert get(server, bucket, "tin/b/index.html")[2] == "bài b".encode()
    assert get(server, bucket, "tin/a/index.html")[2] == "bài a".encode()
    assert get(server, bucket, "tin/c/index.html")[0] == 404
    # ``first`` has the live release's files (``second`` published them again): going back to it would change nothing.
    with pytest.raises(TargetFailed, match="không có bản phát hành nào trước"):
        target.rollback()

    assert target.publish(site, edited).sent_files == 2  # forward again: the edited pages
    assert live_keys(bucket, "tin/") == served_site(site)
    assert target.prune(1) == [first.id, second.id]
    assert [r.id for r in target.releases()] == [edited.id]
    stored = {
        item["Key"] for item in client.list_objects_v2(Bucket=bucket, Prefix="tin/.frontline/objects/")["Contents"]
    }
    assert f"tin/.frontline/objects/{hashlib.sha256('bài b'.encode()).hexdigest()}" not in stored
    assert len(stored) == 6  # the bodies the kept release uses, and no other


def test_assets_go_live_before_pages_and_pages_before_feeds(server, bucket, tmp_path):
    """And the search index's files that name others (each part's entry, the list of parts) after those others."""
    site = tmp_path / "site"
    write_files(site, {"index.html": "1", "feed.xml": "1", "sitemap.xml": "1", "x/index.html": "1", "s.css": "1"})
    write_files(site, {"pagefind/fragment/vi_0123456789.pf_fragment": b"1", "images/a.png": b"1"})
    write_files(site, {"pagefind/phan.json": "{}", "pagefind/pagefind-entry.json": "{}"})
    write_files(site, {"pagefind/phan-sua/pagefind-entry.json": "{}", "pagefind/phan-sua/index/vi_1.pf_index": b"1"})
    server.record(True)
    S3Target(f"s3://{bucket}").publish(site, read_site(site, T0))
    server.record(False)
    live = [
        urllib.parse.urlsplit(entry["url"]).path.removeprefix(f"/{bucket}/")
        for entry in server.requests()
        if entry["method"] == "PUT" and "x-amz-copy-source" in {k.lower() for k in entry["headers"]}
    ]
    assert sorted(live) == sorted(served_site(site))
    entries = ("phan.json", "pagefind-entry.json")
    waves = [
        2 if key.endswith(".html") else 3 if key.endswith(".xml") else 1 if key.endswith(entries) else 0 for key in live
    ]
    assert waves == sorted(waves), live
    assert waves.count(1) == 3


DRIVER = textwrap.dedent(
    """\
    import sys
    from datetime import datetime
    from pathlib import Path
    from frontline.deploy.base import read_site
    from frontline.deploy.s3 import S3Target

    site = Path(sys.argv[2])
    S3Target(sys.argv[1]).publish(site, read_site(site, datetime.fromisoformat(sys.argv[3])))
    """
)


def writes(server, bucket: str) -> list[tuple[str, str]]:
    """What moto has been asked to write since recording started, in order: ("store", key) for a body stored,
    ("live", key) for an object made live (a server-side copy), ("put", key) for the rest."""
    found = []
    for entry in server.requests():
        if entry["method"] != "PUT":
            continue
        key = urllib.parse.urlsplit(entry["url"]).path.removeprefix(f"/{bucket}/")
        copied = "x-amz-copy-source" in {name.lower() for name in entry["headers"]}
        found.append(("live" if copied else "store" if "/.frontline/objects/" in key else "put", key))
    return found


def kill_when(publishing: subprocess.Popen, server, bucket: str, reached) -> None:
    """Kills the publish once moto has received the writes ``reached`` waits for (or it has ended)."""
    for _ in range(3000):  # bounded: a minute at most
        if publishing.poll() is not None or reached(writes(server, bucket)):
            break
        time.sleep(0.02)
    kill_group(publishing)


def test_a_publish_killed_at_random_moments_never_breaks_the_served_site(server, bucket, tmp_path):
    rng = random.Random(24)
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, version in ((old, "cu"), (new, "moi")):
        css = f"assets/app.{hashlib.sha256(version.encode()).hexdigest()[:8]}.min.css"
        files: dict[str, str | bytes] = {css: f"/* {version} */"}
        for n in range(60):
            files[f"{n}/index.html"] = f'<link href="/{css}">bài {n} {version} ' + "chữ " * rng.randrange(50, 500)
        files["feed.xml"] = f"<rss>{version}</rss>"
        write_files(folder, files)
    url = f"s3://{bucket}/web"
    subprocess.run([sys.executable, "-c", DRIVER, url, str(old), T0.isoformat()], check=True)
    client = boto3.client("s3")
    old_live, new_live = served_site(old), served_site(new)

    def pointer() -> str:
        return json.loads(client.get_object(Bucket=bucket, Key="web/.frontline/current.json")["Body"].read())["release"]

    first_id = pointer()
    stored, pages = rng.randint(1, 20), rng.randint(1, 30)
    moments = [
        ("while bodies are stored", lambda seen: sum(kind == "store" for kind, _ in seen) >= stored),
        ("amid the pages", lambda seen: sum(kind == "live" and key.endswith(".html") for kind, key in seen) >= pages),
        ("as the pointer moves", lambda seen: any(key.endswith("/current.json") for _, key in seen)),
    ]
    for attempt, (moment, reached) in enumerate(moments):
        server.record(True)
        created = (T0 + timedelta(minutes=attempt + 1)).isoformat()
        publishing = subprocess.Popen([sys.executable, "-c", DRIVER, url, str(new), created], start_new_session=True)
        kill_when(publishing, server, bucket, reached)
        server.record(False)
        bodies = live_bodies(bucket, "web/")
        live = {key: hashlib.sha256(body).hexdigest() for key, body in bodies.items()}
        # Each object is whole, of one release or the other; every page's stylesheet is there.
        assert all(live[k] in (old_live.get(k), new_live.get(k)) for k in live), moment
        for key, body in bodies.items():
            if key.endswith(".html"):
                stylesheet = body.decode().split('href="/', 1)[1].split('"', 1)[0]
                assert stylesheet in live, f"{moment}: {key} names {stylesheet}, not in the bucket"
        if pointer() == first_id:
            # The old release is live: all of it is there, and its feed, until the new pages all are.
            assert set(old_live) <= set(live) and live["feed.xml"] == old_live["feed.xml"], moment
        if attempt == 0:
            assert live == old_live and pointer() == first_id  # killed before any page: readers see no change
        if attempt == 1:
            assert pointer() == first_id
            assert any(live[k] == new_live[k] != old_live[k] for k in live if k.endswith(".html"))

    final = read_site(new, T0 + timedelta(hours=1))
    S3Target(url).publish(new, final)
    assert live_keys(bucket, "web/") == new_live
    assert pointer() == final.id
    assert "Contents" not in client.list_objects_v2(Bucket=bucket, Prefix="web/.frontline/incoming.json")


def test_a_built_site_then_one_edited_story_sends_few_objects_and_rollback_restores_it(server, bucket, tmp_path):
    newsroom = make_site(tmp_path / "newsroom")
    for n in range(6):
        newsroom.write(f"stories/2021/05/bai-{n}.md", story(f"Bài số {n}", f"2021-05-{10 + n}", location="Bắc Giang"))
    assert newsroom.build().returncode == 0
    target = S3Target(f"s3://{bucket}/")
    first = target.publish(newsroom.site_dir, read_site(newsroom.site_dir, T0))
    assert first.sent_files > 50
    assert live_keys(bucket, "") == served_site(newsroom.site_dir)
    story_page = next(key for key in served_site(newsroom.site_dir) if key.endswith("/bai-so-3/index.html"))
    old_page = (newsroom.site_dir / story_page).read_bytes()

    assert newsroom.build().returncode == 0
    assert target.publish(newsroom.site_dir, read_site(newsroom.site_dir, T0 + timedelta(minutes=1))).sent_files == 0

    edited_story = story("Bài số 3", "2021-05-13", body="Nội dung mới.", location="Bắc Giang")
    newsroom.write("stories/2021/05/bai-3.md", edited_story)
    assert newsroom.build().returncode == 0
    edited = target.publish(newsroom.site_dir, read_site(newsroom.site_dir, T0 + timedelta(minutes=2)))
    assert live_keys(bucket, "") == served_site(newsroom.site_dir)
    assert 1 <= edited.sent_files < first.sent_files // 3
    assert "Nội dung mới." in _read(server, bucket, story_page).decode()

    target.rollback()
    assert _read(server, bucket, story_page) == old_page


def _read(server, bucket: str, key: str) -> bytes:
    """What a browser shows of an object: the build's gzip twin is sent encoded, and decoded by the browser."""
    _status, headers, body = get(server, bucket, key)
    return gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body


def test_credentials_appear_nowhere_not_in_the_bucket_output_or_errors(server, bucket, tmp_path):
    site = tmp_path / "site"
    write_files(site, {"index.html": "trang chủ", "feed.xml": "<rss/>"})
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, f"s3://{bucket}/tin", str(site), T0.isoformat()],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0
    missing = subprocess.run(
        [sys.executable, "-c", DRIVER, "s3://khong-co-bucket/tin", str(site), T0.isoformat()],
        capture_output=True,
        text=True,
        env=env,
    )
    assert missing.returncode != 0 and "NoSuchBucket" in missing.stderr
    with pytest.raises(TargetFailed) as raised:
        S3Target("s3://khong-co-bucket/tin").releases()
    with pytest.raises(TargetFailed, match="không được chứa thông tin đăng nhập"):
        S3Target(f"s3://{ACCESS_KEY}:{SECRET_KEY}@{bucket}/tin")

    client = boto3.client("s3")
    stored = b"".join(
        client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in client.list_objects_v2(Bucket=bucket)["Contents"]
    )
    for secret in (SECRET_KEY, ACCESS_KEY):
        for text in (done.stdout, done.stderr, missing.stdout, missing.stderr, str(raised.value)):
            assert secret not in text
        assert secret.encode() not in stored


def test_objects_of_a_release_fold_text_twins_and_keep_others():
    release = read_site_of({"a.html": b"a", "a.html.gz": b"gz", "b.jpg": b"b", "b.jpg.gz": b"x", "c.gz": b"c"})
    objects = release_objects(release)
    assert sorted(objects) == ["a.html", "b.jpg", "b.jpg.gz", "c.gz"]
    assert objects["a.html"].encoding == "gzip" and objects["a.html"].size == 2
    assert objects["b.jpg"].encoding == ""


def read_site_of(files: dict[str, bytes]) -> Release:
    return Release("x", T0, tuple(SiteFile(p, hashlib.sha256(b).hexdigest(), len(b)) for p, b in sorted(files.items())))


def test_credentials_from_a_named_profile(server, bucket, tmp_path, monkeypatch):
    profile_key, profile_secret = "AKIAPROFILETUYENDAU01", "profileSECRETvalue/abcdefghijklmnopqrstu"
    credentials = tmp_path / "credentials"
    credentials.write_text(
        f"[tuyendau]\naws_access_key_id = {profile_key}\naws_secret_access_key = {profile_secret}\n", encoding="utf-8"
    )
    (tmp_path / "config").write_text("[profile tuyendau]\nregion = ap-southeast-1\n", encoding="utf-8")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_PROFILE", "tuyendau")
    site = tmp_path / "site"
    write_files(site, {"index.html": "trang chủ"})
    server.record(True)
    S3Target(f"s3://{bucket}/tin").publish(site, read_site(site, T0))
    server.record(False)
    assert get(server, bucket, "tin/index.html")[2] == "trang chủ".encode()
    signed = [entry["headers"].get("Authorization", "") for entry in server.requests()]
    assert signed and all(f"Credential={profile_key}/" in header for header in signed)  # the profile's key signed
    with pytest.raises(TargetFailed) as raised:
        S3Target("s3://khong-co-bucket/tin").publish(site, read_site(site, T0))
    assert "NoSuchBucket" in str(raised.value)
    assert profile_secret not in str(raised.value) and profile_key not in str(raised.value)


def test_a_site_published_again_after_a_rollback_is_skipped_by_rollback_and_counted_once_by_prune(
    server, bucket, tmp_path
):
    site = tmp_path / "site"
    write_files(site, {"index.html": "bản một", "x.css": "css"})
    target = S3Target(f"s3://{bucket}/tin")
    first = read_site(site, T0)
    target.publish(site, first)
    one = live_keys(bucket, "tin/")
    write_files(site, {"index.html": "bản hai"})
    target.publish(site, read_site(site, T0 + timedelta(minutes=1)))
    two = live_keys(bucket, "tin/")
    assert target.rollback().id == first.id and live_keys(bucket, "tin/") == one
    for minute in (2, 3, 4):  # the second build, rolled back from, published again each time
        target.publish(site, read_site(site, T0 + timedelta(minutes=minute)))
        assert live_keys(bucket, "tin/") == two
        if minute < 4:
            target.rollback()
            assert live_keys(bucket, "tin/") == one
    assert target.prune(2) == []  # four releases of "bản hai", one of "bản một": two sites
    assert target.rollback().id == first.id and live_keys(bucket, "tin/") == one


def test_the_sites_keys_are_listed_around_the_stored_bodies_and_missing_bodies_are_asked_for_one_by_one(
    bucket, server, monkeypatch
):
    """A publish lists the site's keys, not the thousands of bodies under .frontline/ (every body ever made live),
    and asks for the few bodies it needs rather than listing them: yet no key is missed, whatever it sorts beside."""
    client = boto3.client("s3")
    site_keys = ["tin/!dau.html", "tin/-gach.txt", "tin/.a", "tin/.well-known/x", "tin/a/index.html", "tin/ảnh.jpg"]
    stored = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(30)]
    for key in [*site_keys, *(f"tin/.frontline/objects/{sha}" for sha in stored), "tin/.frontline/current.json"]:
        client.put_object(Bucket=bucket, Key=key, Body=b"x")
    client.put_object(Bucket=bucket, Key="khac/index.html", Body=b"x")  # another prefix's
    target = S3Target(f"s3://{bucket}/tin")
    server.record(True)
    assert sorted(target._site_keys()) == sorted(key.removeprefix("tin/") for key in site_keys)
    server.record(False)
    listings = [entry for entry in server.requests() if entry["method"] == "GET" and "list-type" in entry["url"]]
    assert len(listings) == 2  # up to .frontline/, then from past it
    absent = hashlib.sha256(b"absent").hexdigest()
    server.record(True)
    assert target._not_stored({stored[3], stored[17], absent}) == {absent}
    server.record(False)
    asked = [entry for entry in server.requests() if entry["method"] == "HEAD"]
    assert len(asked) == 3 and not any("list-type" in entry["url"] for entry in server.requests())
    monkeypatch.setattr("frontline.deploy.s3._LIST_PAGE", 2)  # more than a listing's page: listed instead
    assert target._not_stored({stored[3], stored[17], absent}) == {absent}
