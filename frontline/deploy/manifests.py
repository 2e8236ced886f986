"""A release read back from the manifest a target stored (``Release.manifest()``): what is live, to compare with."""

from __future__ import annotations

import json
from datetime import datetime

from frontline.deploy.base import Release, SiteFile


def release_from_manifest(data: bytes) -> Release:
    """The release ``data`` (a manifest written by ``Release.manifest()``, perhaps with more keys) describes."""
    document = json.loads(data.decode("utf-8"))
    files = tuple(
        SiteFile(path, str(entry["sha256"]), int(entry["size"])) for path, entry in sorted(document["files"].items())
    )
    return Release(str(document["release"]), datetime.fromisoformat(document["created"]), files)
