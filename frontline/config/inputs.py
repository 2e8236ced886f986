"""What a build reads, as one digest (``project_inputs``): two builds of the same digest, at moments a site's pages
hold between, write the same site. ``frontline build`` notes it with the site and looks at the site instead of
building it when nothing changed; a preview serves its kept folder at once. Cheap to import: the command line
works it out before it starts a build."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from frontline.build.versions import code_digest
from frontline.config.project import config_chain, read_project

CLOCK_VARIABLES = ("FRONTLINE_NOW", "SOURCE_DATE_EPOCH", "FRONTLINE_PREVIEW")


def project_inputs(config_file: Path, engine: str) -> tuple[str, int] | None:
    """A digest of everything a build reads and runs: the config files and the variables their ``!ENV`` tags name,
    every file and folder under docs/, the stories' folder, the theme's ``custom_dir``, the config's ``watch``
    folders, each hook's folder (a module it imports beside it) and ``pymdownx.snippets``' ``base_path`` (name,
    size, modification and change times, inode: as the story memo tells an unchanged file), the Python modules beside
    the config and in the folders ``PYTHONPATH`` names, the engine (each writes its own pages alike, not its own),
    the variables that set the build's clock or where Python finds modules, Frontline's code and every installed
    distribution (a plugin or Markdown extension the config names is one); with the latest status-change time among
    the files (which no user can set back). ``None`` when the config cannot be read (nothing is then current). Code
    installed in editable mode elsewhere is seen by its metadata only: its folder goes in ``watch``."""
    try:
        project = read_project(config_file)
        chain = config_chain(config_file)
    except Exception:  # noqa: BLE001 (any config the build itself would refuse: never current)
        return None
    root = project.root
    raw = project.raw
    places = [project.layout.docs_dir, project.layout.stories_dir, *project.template_dirs]
    listed = raw.get("watch")
    places += [root / str(item) for item in listed] if isinstance(listed, list) else []
    listed = raw.get("hooks")
    hooks = [(root / str(item)).parent for item in listed] if isinstance(listed, list) else []
    places += [folder for folder in hooks if folder.resolve() != root.resolve()]  # beside the config: below
    places += [root / str(item) for item in _snippet_folders(raw.get("markdown_extensions"))]
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{engine}\0".encode())
    newest = 0
    variables = [*CLOCK_VARIABLES, "PYTHONPATH", "PYTHONHOME"]
    for path in chain:
        text = path.read_bytes()
        h.update(f"{path}\0".encode())
        h.update(text)
        newest = max(newest, path.stat().st_ctime_ns)
        variables += _env_tag_names(text)
    for name in dict.fromkeys(variables):
        h.update(f"{name}={os.environ.get(name)}\0".encode())
    searched = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    beside = [config_file.parent, *(Path(folder) for folder in searched if folder)]
    h.update(repr([code_digest(), sys.path, _installed(), [_modules_beside(folder) for folder in beside]]).encode())
    for place in dict.fromkeys(os.path.normpath(place) for place in places):  # `watch` names the stories again
        h.update(f"\0{place}\0".encode())
        newest = max(newest, _walk_into(h, str(place)))
    return h.hexdigest(), newest


def _modules_beside(folder: Path) -> list[tuple[str, int, int, int]]:
    """The Python files in ``folder`` (beside the config: the engine runs in its folder, which Python searches for
    modules first, as it does ``PYTHONPATH``'s: a Markdown extension kept there), by name, size, modification time
    and inode."""
    found = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".py") and entry.is_file():
                status = entry.stat()
                found.append((entry.name, status.st_size, status.st_mtime_ns, status.st_ino))
    return sorted(found)


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


def _installed() -> list[tuple[str, str, int, int]]:
    """Every distribution installed where this Python finds packages, by its metadata folder (whose name holds its
    version, and whose modification time and inode change when it is installed again), and the ``.pth`` and ``.egg``
    entries beside them: any of them may shape the output (a plugin, a Markdown extension). One listing a folder."""
    found = set()
    for folder in sys.path:
        with contextlib.suppress(OSError), os.scandir(folder or ".") as entries:
            for entry in entries:
                if entry.name.endswith((".dist-info", ".egg-info", ".pth", ".egg")):
                    status = entry.stat()
                    found.add((folder, entry.name, status.st_mtime_ns, status.st_ino))
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
