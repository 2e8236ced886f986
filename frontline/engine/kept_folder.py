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
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from frontline.build.cache import CACHE_FOLDER
from frontline.build.kept_site import Signature, prune_records, record_file
from frontline.build.paths import inside
from frontline.config.inputs import project_inputs
from frontline.content.clock import ClockError, build_now
from frontline.engine.site_key import code_digest, engine_versions

VARIABLE = "FRONTLINE_PREVIEW_FOLDER"
"""Set by the preview's server (``frontline.engine.serve``) to the folder it serves from when it holds it."""
FOLDER = "preview-site"
FORMAT = "frontline-preview-site 2"


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
    data = _taken(_record_path(folder))
    return data if data is not None and _valid(data, folder) else None


def _taken(path: Path) -> Any:
    """The JSON document at ``path``, deleted as it is read (``None`` if there is none to read)."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):  # nested past the parser's depth: not ours
        return None
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def _valid(data: Any, folder: str) -> bool:
    try:
        if data["stamp"] != _stamp() or data["path"] != folder:
            return False
        files = [written for written, _ in data["pages"].values()] + data["others"]
        return all(isinstance(name, str) and inside(os.path.normpath(name), folder) for name in files)
    except (KeyError, TypeError, AttributeError, ValueError):
        return False


def save_record(folder: str, record: dict[str, Any]) -> None:
    path = _record_path(folder)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_text(json.dumps({"stamp": _stamp(), "path": folder, **record}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:  # no record: the next preview starts from an empty folder
        temporary.unlink(missing_ok=True)


def current_until(record: dict[str, Any], config_file: Path, engine: str) -> bool:
    """Whether the folder a record describes is what a build would write now: written by a build that completed,
    of the same inputs (``project_inputs``), and the clock still before the first moment its pages would change
    by (``SiteView.next_change``)."""
    try:
        inputs, built, until = record["inputs"], record["built"], record["until"]
        found = project_inputs(config_file, engine)
        if inputs is None or found is None or inputs != found[0]:
            return False
        now = build_now()
        return datetime.fromisoformat(built) <= now < datetime.fromisoformat(until)
    except (KeyError, TypeError, ValueError, ClockError):
        return False


def peek_record(folder: str) -> dict[str, Any] | None:
    """The record saved for ``folder`` if it is this code's and names no file outside it, left in place (the
    preview's first build takes it)."""
    try:
        data = json.loads(_record_path(folder).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    return data if _valid(data, folder) else None


WRITING: list[Callable[[], None]] = []
"""Called before a build first changes the folder (the preview's server then holds pages until the build ends)."""


def writing_begins() -> None:
    while WRITING:
        WRITING.pop()()


# -- the site folder ``frontline build`` keeps (``frontline.build.kept_site``) ------------------------------------

SITE_FORMAT = "frontline-kept-site 2"


def take_site_record(cache: Path, folder: Path, present: Mapping[str, Signature]) -> dict[str, Any] | None:
    """The record of the folder a production build writes into (``frontline.build.kept_site``), deleted as it is
    read; ``None`` when there is none, it is another code's or engine's, it names a file outside the folder, or the
    folder's own entries changed since it was written (its modification time). A page or feed whose file changed
    since (its size, modification time or inode: edited in the site, which is the page cache's file) is left out:
    it is written again, as in a new folder. ``present``: the folder's files with their signatures
    (``kept_site.signatures``)."""

    path = record_file(cache, folder)
    data = _taken(path) if path is not None else None
    try:
        if data["stamp"] != [SITE_FORMAT, *_stamp()[1:]] or data["mtime_ns"] != os.stat(folder).st_mtime_ns:
            return None
        pages = {}
        for uri, (relative, key, recorded) in data["pages"].items():
            written = os.path.join(folder, os.path.normpath(relative))
            if not inside(written, str(folder)):
                return None
            if _as_listed(present.get(written)) == recorded:
                pages[str(uri)] = (written, str(key))
        feeds = _outputs_left(data["feeds"], folder, present)
        exports = _outputs_left(data["exports"], folder, present)
    except (OSError, KeyError, TypeError, AttributeError, ValueError):
        return None
    return {"pages": pages, "feeds": feeds, "exports": exports}


def _outputs_left(recorded: dict[str, Any], folder: Path, present: Mapping[str, Signature]) -> dict[str, str]:
    """Of the outputs a record lists (a feed's files, a campaign's timeline), by name, the keys of those whose
    every file is as the record says."""
    left = {}
    for name, (key, files) in recorded.items():
        if files and all(
            _as_listed(present.get(os.path.join(folder, os.path.normpath(file)))) == sig for file, sig in files
        ):
            left[str(name)] = str(key)
    return left


def save_site_record(
    cache: Path,
    folder: Path,
    pages: dict[str, tuple[str, str]],
    feeds: dict[str, str],
    feed_files: dict[str, tuple[str, ...]],
    present: Mapping[str, Signature],
    exports: dict[str, str],
    export_files: dict[str, tuple[str, ...]],
) -> None:
    """Write the record of ``folder`` once the build wrote its last file into it: pages by ``src_uri`` with their
    file and key, feeds' keys by channel (``feed_files``: each channel's files) and campaign timelines' keys by
    campaign (``export_files``), each file with its signature from ``present`` (every file of the folder, as
    ``precompress.finish_site`` found them last)."""
    path = record_file(cache, folder)
    if path is None:
        return
    prefix = os.path.join(str(folder), "")

    def relative(name: str) -> str:  # the files' paths are the folder's, joined: what follows it (relpath is slow)
        return name[len(prefix) :] if name.startswith(prefix) else os.path.relpath(name, folder)

    record = {
        "stamp": [SITE_FORMAT, *_stamp()[1:]],
        "mtime_ns": os.stat(folder).st_mtime_ns,
        "pages": {
            uri: [relative(written), key, _as_listed(present.get(written))] for uri, (written, key) in pages.items()
        },
        # The channels and campaigns the site has now only: one gone (its files swept) and back is written again.
        "feeds": {
            channel: [key, [[relative(name), _as_listed(present.get(name))] for name in feed_files[channel]]]
            for channel, key in feeds.items()
            if channel in feed_files
        },
        "exports": {
            campaign: [key, [[relative(name), _as_listed(present.get(name))] for name in export_files[campaign]]]
            for campaign, key in exports.items()
            if campaign in export_files
        },
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:  # no record: the next build writes into a new folder
        temporary.unlink(missing_ok=True)
    prune_records(cache)


def _as_listed(signature: Signature | None) -> list[int] | None:
    """A file's signature as the record's JSON holds it."""
    return list(signature) if signature is not None else None
