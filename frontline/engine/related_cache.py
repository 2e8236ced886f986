"""Every story's related stories, kept in the project's cache from one build to the next under the digest of what
they depend on (``views.related.placements_digest``, with Frontline's code): a warm build after stories' words were
edited, the usual edit, takes them instead of ranking every story of the archive again."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from frontline.engine.site_key import code_digest
from frontline.views.related import placements_digest
from frontline.views.site import SiteView

RELATED_FILE = "related.json"


def related_digest(view: SiteView) -> str:
    return hashlib.blake2b(f"{placements_digest(view.stories)} {code_digest()}".encode(), digest_size=16).hexdigest()


def take_related(cache: Path, view: SiteView, digest: str) -> bool:
    """Give ``view`` the related stories kept for ``digest``; whether there were."""
    try:
        document = json.loads((cache / RELATED_FILE).read_text(encoding="utf-8"))
        if document.get("digest") != digest or not isinstance(document.get("related"), dict):
            return False
        found = {str(key): [str(other) for other in ids] for key, ids in document["related"].items()}
    except (OSError, ValueError, AttributeError, TypeError, RecursionError):  # nested past the parser's depth
        return False
    view.take_related(found)
    return True


def save_related(cache: Path, view: SiteView, digest: str) -> None:
    """Keep ``view``'s related stories for ``digest``, once it chose every story's."""
    found = view.related_ids()
    if found is None:
        return
    path = cache / RELATED_FILE
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_text(json.dumps({"digest": digest, "related": found}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:  # none kept: the next build ranks them again
        temporary.unlink(missing_ok=True)
