"""The folder ``frontline preview`` serves, kept in the project's cache between previews (``.cache/frontline/
preview-site/``), with what Frontline wrote there (``SiteFolder``): a preview started after another writes only the
pages whose keys changed since, instead of linking every page of the archive into a new temporary folder.

The record is saved in the folder when a preview stops, and deleted as the next one reads it: a preview that was
killed leaves none, and the next one empties the folder first (as a new folder), so the folder never holds more than
its record says. Two previews of one project at once: the second serves from a temporary folder, as the engine does."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from frontline.build.cache import CACHE_FOLDER
from frontline.build.paths import inside
from frontline.engine.site_key import code_digest, engine_versions

VARIABLE = "FRONTLINE_PREVIEW_FOLDER"
"""Set by the preview's server (``frontline.engine.serve``) to the folder it serves from when it holds it."""
FOLDER = "preview-site"
FORMAT = "frontline-preview-site 1"


def folder_for(root: Path) -> Path:
    return root / CACHE_FOLDER / FOLDER


def kept_folder() -> str | None:
    return os.environ.get(VARIABLE) or None


RECORD = ".frontline-preview.json"
"""The record's name inside the folder, so that deleting the folder deletes it; it is there only while no preview
serves the folder (taken as a preview starts), so it is never served."""


def _record_path(folder: str) -> Path:
    return Path(folder) / RECORD


def _stamp() -> list[Any]:
    """What the record was written by: another Frontline or engine may have written the folder otherwise (a theme's
    files it no longer has, say)."""
    return [FORMAT, code_digest(), engine_versions()]  # lists, as JSON gives them back


def take_record(folder: str) -> dict[str, Any] | None:
    """The record saved for ``folder``, deleted as it is read (a preview killed from now on leaves none); ``None``
    when there is none, or it is not what this code writes, or it names a file outside the folder."""
    path = _record_path(folder)
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    try:
        if data["stamp"] != _stamp() or data["path"] != folder:
            return None
        files = [written for written, _ in data["pages"].values()] + data["others"]
        if not all(isinstance(name, str) and inside(os.path.normpath(name), folder) for name in files):
            return None
        return data
    except (KeyError, TypeError, AttributeError, ValueError):
        return None


def save_record(folder: str, record: dict[str, Any]) -> None:
    path = _record_path(folder)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_text(json.dumps({"stamp": _stamp(), "path": folder, **record}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:  # no record: the next preview starts from an empty folder
        temporary.unlink(missing_ok=True)
