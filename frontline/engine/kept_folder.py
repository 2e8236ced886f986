"""The folder ``frontline preview`` serves, kept in the project's cache between previews (``.cache/frontline/
preview-site/``), with what Frontline wrote there (``SiteFolder``): a preview started after another writes only the
pages whose keys changed since, instead of linking every page of the archive into a new temporary folder.

The record is saved in the folder when a preview stops, and deleted as the next one reads it: a preview that was
killed leaves none, and the next one empties the folder first (as a new folder), so the folder never holds more than
its record says. Two previews of one project at once: the second serves from a temporary folder, as the engine does."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from frontline.build.cache import CACHE_FOLDER
from frontline.build.kept_site import Signature, prune_records, record_file
from frontline.build.paths import inside
from frontline.config.project import config_chain, read_project
from frontline.content.clock import ClockError, build_now
from frontline.content.sanitize import policy_digest
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


CLOCK_VARIABLES = ("FRONTLINE_NOW", "SOURCE_DATE_EPOCH", "FRONTLINE_PREVIEW")


def project_inputs(config_file: Path, engine: str) -> tuple[str, int] | None:
    """A digest of everything a build reads: the config files and the variables their ``!ENV`` tags name, every file
    and folder under docs/, the stories' folder, the theme's ``custom_dir``, the config's ``watch`` folders and
    ``hooks`` (name, size, modification and change times, inode: as the story memo tells an unchanged file), the
    engine (each writes its own pages alike, not its own), the variables that set the build's clock, Frontline's
    code and every installed distribution's version (a plugin or Markdown extension the config names is one); with
    the latest status-change time among the files (which no user can set back). ``None`` when the config cannot be
    read (nothing is then current)."""
    try:
        project = read_project(config_file)
        chain = config_chain(config_file)
    except Exception:  # noqa: BLE001 (any config the build itself would refuse: never current)
        return None
    root = project.root
    raw = project.raw
    places = [project.layout.docs_dir, project.layout.stories_dir, *project.template_dirs]
    for key in ("watch", "hooks"):
        listed = raw.get(key)
        if isinstance(listed, list):
            places += [root / str(item) for item in listed]
    places += [root / str(item) for item in _snippet_folders(raw.get("markdown_extensions"))]
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{engine}\0".encode())
    newest = 0
    variables = list(CLOCK_VARIABLES)
    for path in chain:
        text = path.read_bytes()
        h.update(f"{path}\0".encode())
        h.update(text)
        newest = max(newest, path.stat().st_ctime_ns)
        variables += _env_tag_names(text)
    for name in dict.fromkeys(variables):
        h.update(f"{name}={os.environ.get(name)}\0".encode())
    h.update(repr([code_digest(), policy_digest(), _installed()]).encode())
    for place in dict.fromkeys(os.path.normpath(place) for place in places):  # `watch` names the stories again
        h.update(f"\0{place}\0".encode())
        newest = max(newest, _walk_into(h, str(place)))
    return h.hexdigest(), newest


def _env_tag_names(config: bytes) -> list[str]:
    """The environment variables a config's ``!ENV`` tags read (``!ENV NAME``, ``!ENV [NAME, OTHER, default]`` in
    any YAML form: a default's words counted too, which only makes a change of an unrelated variable rebuild); the
    config composed, not loaded, as MkDocs reads its tags. Every variable when it is not YAML (the build refuses it)."""
    try:
        root = yaml.compose(config.decode("utf-8"), Loader=yaml.SafeLoader)
    except (UnicodeDecodeError, yaml.YAMLError):
        return sorted(os.environ)
    names: list[str] = []
    nodes = [root] if root is not None else []
    seen: set[int] = set()
    while nodes:
        node = nodes.pop()
        if id(node) in seen:  # an alias is the node it names
            continue
        seen.add(id(node))
        if node.tag == "!ENV":
            scalars = node.value if isinstance(node, yaml.SequenceNode) else [node]
            names += [str(item.value) for item in scalars if isinstance(item, yaml.ScalarNode)]
        elif isinstance(node, yaml.SequenceNode):
            nodes += node.value
        elif isinstance(node, yaml.MappingNode):
            nodes += [part for pair in node.value for part in pair]
    return names


def _snippet_folders(extensions: Any) -> list[str]:
    """The folders ``pymdownx.snippets`` reads included files from (its ``base_path``, the project's folder unless
    set): any file there may be in a page. Files another extension reads go in the config's ``watch``."""
    named: dict[str, Any] = {}
    for item in extensions if isinstance(extensions, list) else [extensions]:
        if isinstance(item, dict):
            named.update(item)
        elif isinstance(item, str):
            named[item] = None
    if "pymdownx.snippets" not in named:
        return []
    options = named["pymdownx.snippets"]
    base = options.get("base_path", ".") if isinstance(options, dict) else "."
    return [str(path) for path in base] if isinstance(base, list) else [str(base)]


def _installed() -> list[tuple[str, str]]:
    """Every distribution installed beside Frontline, with its version: any of them may shape the output."""
    found = {(str(dist.metadata["Name"] or ""), str(dist.version)) for dist in metadata.distributions()}
    return sorted(found)


def _walk_into(h: Any, top: str) -> int:
    found: list[Any] = []
    try:
        status = os.stat(top)
    except OSError:
        h.update(b"-")
        return 0
    newest = status.st_ctime_ns
    found.append((status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_size))
    folders = [top] if os.path.isdir(top) else []
    while folders:
        try:
            with os.scandir(folders.pop()) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            found.append(None)
            continue
        for entry in entries:
            try:
                status = entry.stat()
            except OSError:  # a dangling link: its name still counts
                found.append(entry.path)
                continue
            found.append((entry.path, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_size))
            newest = max(newest, status.st_ctime_ns)
            if entry.is_dir():
                folders.append(entry.path)
    h.update(repr(found).encode())
    return newest


UNSURE_NS = 50_000_000
"""How long before a build's start a change may still be stamped on a file changed after it: the kernel stamps files
from a clock that lags the one ``time.time_ns`` reads by up to a tick."""
UNSURE_WHOLE_SECONDS_NS = 2_000_000_000
"""The same where the latest change time is a whole second (a file system that keeps seconds only)."""


def inputs_read_by(config_file: Path, engine: str, started_ns: int) -> str | None:
    """The inputs (``project_inputs``) a build that started at ``started_ns`` read, if nothing of them has changed
    since (checked once, when the preview stops, rather than at every rebuild; ``frontline build`` asks just before
    it starts one); ``None`` if something may have."""
    found = project_inputs(config_file, engine)
    if found is None:
        return None
    unsure = UNSURE_WHOLE_SECONDS_NS if found[1] % 1_000_000_000 == 0 else UNSURE_NS
    if found[1] >= started_ns - unsure:
        return None
    return found[0]


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
