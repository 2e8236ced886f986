"""Publishing to S3-compatible object storage: ``s3://bucket/prefix``, with boto3.

The endpoint and credentials are boto3's own: ``AWS_ENDPOINT_URL_S3`` or ``AWS_ENDPOINT_URL`` for a storage other
than Amazon's, ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` (and ``AWS_SESSION_TOKEN``) or ``AWS_PROFILE``, the
region from ``AWS_REGION``/``AWS_DEFAULT_REGION`` or the profile. The prefix belongs to the site: an object under
it that the live release does not hold is deleted.

What the bucket holds, under the prefix:

- the site's objects, each at its path (``2021/05/bai/index.html``), with ``Content-Type`` and ``Cache-Control``
  from ``headers_for``;
- ``.frontline/objects/<sha256>``: every object body ever made live, named by its content. A live object is a
  server-side copy of one, so rollback copies the earlier bodies back without the earlier site on disk;
- ``.frontline/releases/<id>.json``: a release's manifest (its site files, and each object's digest and headers);
- ``.frontline/current.json``: which release is live; ``.frontline/incoming.json``: the manifest of a publish (or
  rollback) under way, deleted when it has finished.

A publish compares the new objects with the live manifest (digests and headers, never times) and with the listing
of the prefix, and makes live only those that differ or are missing; with ``incoming.json`` left by a publish that
was killed, every object it may have changed is sent again. Bodies are stored first, then objects made live in
three waves: assets (styles, scripts, images, search chunks), then pages, then feeds and sitemaps, so a page never
names an asset not yet there and a feed never names a page; then the manifest and the pointer; stale objects are
deleted last, once the new pages are live. Each object is replaced whole (S3 writes an object at once), but the
site is many objects: while the pages wave runs, readers may get some pages of the new release and some of the
old, each whole, with all their assets. A publish killed before the pages wave leaves the old pages and the old
pointer; killed at any point, the next publish completes the release.

Precompressed twins: S3 serves an object's bytes as stored and chooses nothing by ``Accept-Encoding``. Where the
site has ``x.html.gz`` beside ``x.html`` (text: HTML, CSS, JS, XML, JSON, SVG…), the object ``x.html`` holds the gzip
bytes with ``Content-Encoding: gzip``, and the twin itself is not uploaded: browsers, feed readers and crawlers all
send ``Accept-Encoding: gzip``; a client that does not still gets gzip (neither S3 nor a CDN decodes it), the price
of storing and sending a quarter of the bytes for text, without a CDN compressing each object again. Other files
are stored as they are."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from frontline.content.urls import SEARCH_BUNDLE, SEARCH_PARTS_FILE
from frontline.deploy.base import (
    FEED,
    PublishReport,
    Release,
    ReleaseInfo,
    headers_for,
    release_before,
    releases_to_prune,
)
from frontline.deploy.failures import TargetFailed, scrub
from frontline.deploy.manifests import release_from_manifest

_META = ".frontline"
_TEXT = ("text/", "application/json", "application/xml", "application/javascript", "image/svg+xml")
_WORKERS = 8
_LIST_PAGE = 1000
"""Keys a listing request returns at most."""
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


@dataclass(frozen=True)
class _Object:
    """One object of a release: where its body comes from and how it is served."""

    key: str  # relative to the prefix
    sha256: str  # of the body as stored
    size: int
    content_type: str
    cache_control: str
    encoding: str  # "gzip" or ""

    def entry(self) -> dict[str, object]:
        return {
            "sha256": self.sha256,
            "size": self.size,
            "type": self.content_type,
            "cache": self.cache_control,
            "encoding": self.encoding,
        }


def release_objects(release: Release) -> dict[str, _Object]:
    """The objects ``release`` is stored as: a text file with a ``.gz`` twin holds the twin's bytes, gzip-encoded."""
    files = {f.path: f for f in release.files}
    objects = {}
    for file in release.files:
        plain = file.path.removesuffix(".gz")
        if plain != file.path and plain in files and _is_text(plain):
            continue  # the twin is the body of its plain object
        headers = headers_for(file.path)
        twin = files.get(file.path + ".gz")
        body = twin if twin is not None and _is_text(file.path) else file
        objects[file.path] = _Object(
            file.path,
            body.digest,
            body.size,
            headers["Content-Type"],
            headers["Cache-Control"],
            "gzip" if body is twin else "",
        )
    return objects


def _is_text(path: str) -> bool:
    return headers_for(path)["Content-Type"].startswith(_TEXT)


_SEARCH_ENTRIES = re.compile(
    rf"(^|/){re.escape(SEARCH_BUNDLE)}(.*/)?({re.escape(SEARCH_PARTS_FILE)}|pagefind-entry\.json)$"
)
"""The search index's files that name its others (each part's entry, the list of parts): a reader's search fetches
the ones they name, so they go live after them."""


def _wave(key: str) -> int:
    """0 for assets, 1 for the search index's entry files, 2 for pages, 3 for feeds and sitemaps: the order objects
    are made live in."""
    if key.endswith(".html"):
        return 2
    if headers_for(key)["Cache-Control"] == FEED:
        return 3
    return 1 if _SEARCH_ENTRIES.search(key) else 0


class S3Target:
    """A bucket (and prefix) of S3-compatible storage; see the module's text for what it holds."""

    def __init__(self, url: str, *, progress: Callable[[int, int, int], None] | None = None) -> None:
        if "@" in url:
            raise TargetFailed(
                "địa chỉ S3 không được chứa thông tin đăng nhập: dùng biến môi trường AWS hoặc AWS_PROFILE"
            )
        parts = urlsplit(url)
        if parts.scheme != "s3" or not _BUCKET.fullmatch(parts.netloc):
            raise TargetFailed(f"địa chỉ S3 phải có dạng s3://tên-bucket/thư-mục, không phải {url!r}")
        self.bucket = parts.netloc
        self.prefix = posixpath.normpath(parts.path.strip("/")) + "/" if parts.path.strip("/") else ""
        if self.prefix.startswith("../") or self.prefix == "./":
            raise TargetFailed(f"thư mục trong địa chỉ S3 không hợp lệ: {url!r}")
        self._client = None
        self._secrets: list[str] = []
        self.progress = progress
        """Told ``(done, total, bytes sent)`` after each upload and copy of a publish, for a progress bar."""
        self._done = 0
        self._total = 0
        self._sent = 0
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    # What the target does.

    def publish(
        self, site: Path, release: Release, *, dry_run: bool = False, ready: Callable[[], None] = lambda: None
    ) -> PublishReport:
        if not dry_run:
            ready()  # the first upload replaces what readers get
        document, bodies = _document(site, release)
        with self._errors():
            sent, sent_bytes, unchanged, deleted = self._make_live(document, bodies, dry_run=dry_run)
        return PublishReport(release.id, sent, sent_bytes, unchanged, deleted, dry_run)

    def changes(self, site: Path, release: Release) -> list[tuple[str, str, int]]:
        """What a publish would do, for ``--dry-run``: ``("+", key, bytes)`` made live (bytes to upload, 0 when the
        bucket has the body already), ``("-", key, 0)`` deleted."""
        document, bodies = _document(site, release)
        with self._errors():
            changed, stale, to_store = self._plan(document, bodies)
        wanted = document["objects"]
        sent = [("+", key, wanted[key]["size"] if wanted[key]["sha256"] in to_store else 0) for key in changed]
        return sent + [("-", key, 0) for key in stale]

    def rollback(self) -> ReleaseInfo:
        with self._errors():
            live = self._live_id()
            previous = release_before(self._release_ids(), live)
            if previous is None:
                raise TargetFailed(f"{self.name}: không có bản phát hành nào trước bản đang chạy để quay lại")
            document = self._read_json(self._manifest_key(previous))
            if document is None:
                raise TargetFailed(f"{self.name}: không đọc được bản kê của {previous}")
            self._make_live(document, {}, dry_run=False)
        return ReleaseInfo(previous, len(document["files"]), True)

    def releases(self) -> list[ReleaseInfo]:
        with self._errors():
            live = self._live_id()
            found = []
            for release_id in self._release_ids():
                document = self._read_json(self._manifest_key(release_id)) or {"files": {}}
                found.append(ReleaseInfo(release_id, len(document["files"]), release_id == live))
        return found

    def live_release(self) -> Release | None:
        """The live release as its manifest tells (None before the first publish): what a publish replaces."""
        with self._errors():
            live = self._live_id()
            if live is None:
                return None
            data = self._get(self._manifest_key(live))
        return release_from_manifest(data) if data is not None else None

    def prune(self, keep: int) -> list[str]:
        """Deletes all but the release manifests of the newest ``keep`` contents (never the live one's) and the
        stored bodies only they used; returns the release ids deleted."""
        with self._errors():
            live = self._live_id()
            ids = self._release_ids()
            doomed = releases_to_prune(ids, live, keep)
            if not doomed:  # the bodies no kept release uses go with the releases that used them
                return doomed
            self._delete([self._manifest_key(r) for r in doomed])
            needed: set[str] = set()
            for release_id in [r for r in ids if r not in doomed]:
                needed |= {
                    e["sha256"]
                    for e in (self._read_json(self._manifest_key(release_id)) or {}).get("objects", {}).values()
                }
            pending = self._read_json(self._meta("incoming.json"))
            if pending is not None:
                needed |= {e["sha256"] for e in pending["objects"].values()}
            stored = self._list(self._meta("objects/"))
            self._delete([self._meta(f"objects/{sha}") for sha in stored if sha not in needed])
        return doomed

    # How.

    def _plan(self, document: dict, bodies: dict[str, Path]) -> tuple[list[str], list[str], set[str]]:
        """For the release ``document`` describes: the keys to make live, the stale keys, and the digests of the
        bodies to upload (``bodies`` has their files; none for a rollback: every body it needs was stored when it
        was first made live)."""
        wanted: dict[str, dict] = document["objects"]
        live_id = self._live_id()
        live = (self._read_json(self._manifest_key(live_id)) or {}) if live_id else {}
        pending = self._read_json(self._meta("incoming.json"))
        present = set(self._site_keys())
        live_objects = live.get("objects", {})
        pending_objects = pending.get("objects", {}) if pending is not None else {}
        changed = [
            key
            for key, entry in wanted.items()
            if key not in present
            or live_objects.get(key) != entry
            or (pending is not None and pending_objects.get(key, entry) != entry)
        ]
        stale = sorted(present - set(wanted))
        to_store = self._not_stored({wanted[key]["sha256"] for key in changed})
        missing = [sha for sha in to_store if sha not in bodies]
        if missing:
            raise TargetFailed(f"{self.name}: thiếu {len(missing)} bản lưu trong .frontline/objects/ để quay lại")
        return changed, stale, to_store

    def _make_live(self, document: dict, bodies: dict[str, Path], *, dry_run: bool) -> tuple[int, int, int, int]:
        """Makes the release ``document`` describes live (see ``_plan``); what it sent, left and deleted."""
        wanted: dict[str, dict] = document["objects"]
        changed, stale, to_store = self._plan(document, bodies)
        sent_bytes = sum(bodies[sha].stat().st_size for sha in to_store)
        if dry_run:
            return len(changed), sent_bytes, len(wanted) - len(changed), len(stale)

        self._put(self._meta("incoming.json"), _json(document), "application/json")
        self._done, self._total, self._sent = 0, len(to_store) + len(changed), 0
        self._parallel(lambda sha: self._store(sha, bodies[sha]), sorted(to_store))
        for wave in (0, 1, 2, 3):
            keys = [key for key in changed if _wave(key) == wave]
            self._parallel(lambda key: self._copy_live(key, wanted[key]), keys)
        self._put(self._manifest_key(document["release"]), _json(document), "application/json")
        self._put(self._meta("current.json"), _json({"release": document["release"]}), "application/json")
        self._delete([self.prefix + key for key in stale])
        self._delete([self._meta("incoming.json")])
        return len(changed), sent_bytes, len(wanted) - len(changed), len(stale)

    def _store(self, sha: str, path: Path) -> None:
        body = path.read_bytes()
        if hashlib.sha256(body).hexdigest() != sha:  # a body is named by its digest: never store another under it
            raise TargetFailed(f"{path}: tệp đã thay đổi từ khi bản phát hành được đọc; hãy xuất bản lại")
        self._s3().put_object(
            Bucket=self.bucket, Key=self._meta(f"objects/{sha}"), Body=body, ContentType="application/octet-stream"
        )
        with self._lock:
            self._sent += len(body)

    def _copy_live(self, key: str, entry: dict) -> None:
        extra = {"ContentType": entry["type"], "CacheControl": entry["cache"]}
        if entry["encoding"]:
            extra["ContentEncoding"] = entry["encoding"]
        self._s3().copy_object(
            Bucket=self.bucket,
            Key=self.prefix + key,
            CopySource={"Bucket": self.bucket, "Key": self._meta(f"objects/{entry['sha256']}")},
            MetadataDirective="REPLACE",
            **extra,
        )

    def _parallel(self, work: Callable[[str], None], items: Iterable[str]) -> None:
        def step(item: str) -> None:
            work(item)
            with self._lock:
                self._done += 1
                if self.progress is not None:
                    self.progress(self._done, self._total, self._sent)

        items = list(items)
        if not items:
            return
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            for _ in pool.map(step, items):
                pass

    def _live_id(self) -> str | None:
        pointer = self._read_json(self._meta("current.json"))
        return str(pointer["release"]) if pointer else None

    def _release_ids(self) -> list[str]:
        return sorted(
            name.removesuffix(".json") for name in self._list(self._meta("releases/")) if name.endswith(".json")
        )

    def _manifest_key(self, release_id: str) -> str:
        return self._meta(f"releases/{release_id}.json")

    def _meta(self, name: str) -> str:
        return f"{self.prefix}{_META}/{name}"

    def _not_stored(self, digests: set[str]) -> set[str]:
        """Those of ``digests`` whose body ``.frontline/objects/`` lacks: asked of each (after an edit, a few dozen)
        rather than listing every body ever made live, unless there are more than a listing's page holds."""
        if len(digests) > _LIST_PAGE:
            return digests - set(self._list(self._meta("objects/")))
        missing: set[str] = set()

        def ask(sha: str) -> None:
            try:
                self._s3().head_object(Bucket=self.bucket, Key=self._meta(f"objects/{sha}"))
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchKey", "NotFound"):
                    raise
                with self._lock:
                    missing.add(sha)

        if digests:
            with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
                for _ in pool.map(ask, sorted(digests)):
                    pass
        return missing

    def _site_keys(self) -> list[str]:
        """The site's keys under the prefix, less it, listed around ``.frontline/`` rather than through it (it holds
        every body ever made live): S3 lists keys in order, and those under ``.frontline/`` sort together."""
        meta = self._meta("")
        found = []
        paginator = self._s3().get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            keys = [item["Key"] for item in page.get("Contents", [])]
            found += [key for key in keys if key < meta]
            if keys and keys[-1] >= meta:
                break
        # After every key under .frontline/: a key's UTF-8 never goes past U+10FFFF's.
        after = meta + "\U0010ffff" * 4
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix, StartAfter=after):
            found += [item["Key"] for item in page.get("Contents", []) if not item["Key"].startswith(meta)]
        return [key[len(self.prefix) :] for key in found]

    def _list(self, start: str) -> list[str]:
        """Keys beginning with ``start``, less it (the site's own keys: ``_site_keys``)."""
        pages = self._s3().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start)
        return [item["Key"][len(start) :] for page in pages for item in page.get("Contents", [])]

    def _get(self, key: str) -> bytes | None:
        try:
            return self._s3().get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise

    def _read_json(self, key: str) -> dict | None:
        data = self._get(key)
        return json.loads(data.decode("utf-8")) if data is not None else None

    def _put(self, key: str, data: bytes, content_type: str) -> None:
        self._s3().put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, CacheControl="no-cache")

    def _delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # DeleteObjects takes at most 1,000 keys
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            answer = self._s3().delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            if answer.get("Errors"):
                first = answer["Errors"][0]
                raise TargetFailed(f"{self.name}: không xóa được {first.get('Key')} ({first.get('Code')})")

    def _s3(self):  # type: ignore[no-untyped-def]
        if self._client is None:
            session = boto3.session.Session()
            credentials = session.get_credentials()
            if credentials is not None:
                frozen = credentials.get_frozen_credentials()
                self._secrets = [v for v in (frozen.access_key, frozen.secret_key, frozen.token) if v]
            config = Config(retries={"max_attempts": 5, "mode": "standard"}, max_pool_connections=_WORKERS * 2)
            self._client = session.client("s3", config=config)
        return self._client

    def _errors(self):  # type: ignore[no-untyped-def]
        return _Errors(self)


class _Errors:
    """Turns boto3's exceptions into one Vietnamese line, scrubbed of every credential value known."""

    def __init__(self, target: S3Target) -> None:
        self.target = target

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _trace) -> bool:  # type: ignore[no-untyped-def]
        if error is None or not isinstance(error, BotoCoreError | ClientError):
            return False
        if isinstance(error, NoCredentialsError):
            message = (
                "không tìm thấy thông tin đăng nhập (AWS_ACCESS_KEY_ID và AWS_SECRET_ACCESS_KEY, hoặc AWS_PROFILE)"
            )
        elif isinstance(error, ClientError):
            detail = error.response.get("Error", {})
            message = f"máy chủ S3 từ chối: {detail.get('Code', '?')} {detail.get('Message', '')}".strip()
        else:
            message = f"không làm việc được với máy chủ S3 ({type(error).__name__}: {error})"
        text = f"{self.target.name}: {message}"
        for secret in self.target._secrets:
            text = text.replace(secret, "***")
        raise TargetFailed(scrub(text)) from None


def _document(site: Path, release: Release) -> tuple[dict, dict[str, Path]]:
    """The manifest stored for ``release`` (its files, and its objects' digests and headers), and the file each
    body is read from, by digest."""
    objects = release_objects(release)
    bodies = {obj.sha256: site / (obj.key + ".gz" if obj.encoding == "gzip" else obj.key) for obj in objects.values()}
    document = {**json.loads(release.manifest()), "objects": {key: obj.entry() for key, obj in objects.items()}}
    return document, bodies


def _json(document: dict) -> bytes:
    # Without an indent: json's C encoder, not its Python one (a second for a 10,000-story site's manifest).
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
