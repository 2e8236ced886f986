"""A release's manifest is written a line at a time, and must stay byte for byte what ``json.dumps`` with an indent
wrote (stored manifests are compared by digest, and read back by every target)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from frontline.deploy.base import Release, SiteFile
from frontline.deploy.manifests import release_from_manifest

PATHS = ["index.html", "b/c.html", "báo tuyến đầu/ê.txt", 'q"u\\o\te.html', "Z.css", "\u2028x", "a b/c", "ü/ß"]


def _as_json_wrote(release: Release) -> bytes:
    document = {
        "release": release.id,
        "created": release.created.isoformat(),
        "files": {f.path: {"sha256": f.digest, "size": f.size} for f in release.files},
    }
    return json.dumps(document, ensure_ascii=False, indent=0, sort_keys=True).encode("utf-8")


def test_the_manifest_is_what_json_wrote_and_reads_back_as_the_release():
    created = datetime(2026, 12, 6, 13, 40, 10, 512000, tzinfo=UTC)
    for count in range(len(PATHS) + 1):
        files = tuple(SiteFile(path, f"{number:064x}", number * 1000 + 7) for number, path in enumerate(PATHS[:count]))
        release = Release("20261206T134010512Z-77ea5560", created, files)
        assert release.manifest() == _as_json_wrote(release)
        again = release_from_manifest(release.manifest())
        assert (again.id, again.created, sorted(again.files, key=lambda f: f.path)) == (
            release.id,
            created,
            sorted(files, key=lambda f: f.path),
        )
