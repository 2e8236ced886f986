"""What reading a story file gave last time, reused while the file is unchanged.

A story is re-read when its file changed, when a file it looked at (its lead image) appeared, disappeared or
changed, or when anything a read depends on besides the file changed: authors, campaigns, iframe hosts, or the
loader's own code. A file is unchanged when its status is (modification and status-change times, inode, size), or
else when its content's digest is: a fresh checkout of the same content (another CI runner restoring
``.cache/frontline/``, every file new to its file system) reads every story's bytes but parses none. Files are named
relative to the project, so a checkout in another folder uses the memo too. The memo lives in memory during a
preview and on disk between builds (``.cache/frontline/stories.json``); a memo that cannot be read is ignored.

On disk the memo is JSON, read by a decoder that builds only the model's own records from plain values:
a shared ``.cache`` folder (as CI runs keep) must not be able to run code in the build, as a pickle could."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import hashlib
import json
import os
import stat
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from frontline.build.versions import installed_version
from frontline.content.dates import VIETNAM
from frontline.content.images import ImageVariant
from frontline.content.model import Correction, Image, Story
from frontline.content.problems import Problem

Stamp = tuple[int, int, int, int] | None
"""``(mtime_ns, ctime_ns, inode, size)`` of a file, ``None`` when there is no file. The modification time
alone can be set back (``touch -d``) and a same-size edit then goes unseen; the status-change time cannot
be set by a user, and an editor that saves by renaming gives the file a new inode."""

MEMO_FILE = "stories.json"
"""The memo's name in the project's cache folder: the build writes it, ``verify`` reads it."""

FORMAT = b"frontline-story-memo 4"
"""The first line of the file, before the code digest: what is decoded after it is known to be ours."""

_LIBRARIES = ("pyyaml", "python-slugify", "text-unidecode", "babel", "pillow")


def stamp(path: Path | str) -> Stamp:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_size)


def content_digest(path: Path | str) -> str | None:
    """The digest of a regular file's bytes (SHA-256: the processors' SHA instructions make it the fastest here over
    large images); ``None`` for anything else, without waiting on it (a FIFO or a device named where a story's image
    was looked for)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    with open(descriptor, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None
            return hashlib.file_digest(handle, "sha256").hexdigest()[:32]
        except OSError:
            return None


def looked_at(root: Path | str, paths: list[Path]) -> tuple[tuple[str, Stamp, str | None], ...]:
    """What a reading saw of the other files it looked at, each named relative to ``root``: status first (a file
    saved after is then seen as changed), then content, which is read only inside the project (the loader looks
    where a story points before refusing a place outside it)."""
    seen = []
    for path in paths:
        status = stamp(path)
        name = os.path.relpath(path, root)
        inside = name != os.pardir and not name.startswith(os.pardir + os.sep)
        seen.append((name, status, content_digest(path) if status is not None and inside else None))
    return tuple(seen)


@functools.cache  # the code this process runs
def code_digest() -> str:
    """The loader's code and libraries: a memo written by other code is not trusted."""
    h = hashlib.blake2b(digest_size=16)
    content = Path(__file__).parent  # the whole package rather than a list of modules that could fall behind
    for path in [*sorted(content.glob("*.py")), content.parent / "build" / "paths.py"]:
        h.update(path.read_bytes())
    for library in _LIBRARIES:
        h.update(f"{library}={installed_version(library)};".encode())
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Listing:
    """The files below some folders as a load of this process listed them (``files``: the stories among them)."""

    roots: tuple[str, ...]
    """The folders, each ending with a separator."""
    files: list[str]
    links: frozenset[str]
    """Files below them that were symbolic links (a link's target may change with no event under its name)."""
    linked_folders: tuple[str, ...]
    """Symbolic links to folders below them, each ending with a separator (what is below them is not watched)."""

    def holds(self, path: str) -> bool:
        """Whether ``path`` is a file of these folders that is no link and is reached through none."""
        return path.startswith(self.roots) and path not in self.links and not path.startswith(self.linked_folders)

    def with_folder(self, root: str, links: set[str]) -> Listing:
        """This listing and the folder ``root``, listed now with ``links`` (``files_under``'s)."""
        return Listing(
            (*self.roots, root),
            self.files,
            self.links | {link for link in links if not link.endswith(os.sep)},
            (*self.linked_folders, *(link for link in links if link.endswith(os.sep))),
        )


@dataclass(frozen=True, slots=True)
class Since:
    """What a watcher of the project's folders (a preview's) saw change since the last load of the same process.

    A file of the folders listed (``Listing.holds``: the stories' as last listed, docs/ as now), when they are
    ``watched``, and not in ``changed``, is as that load saw it; ``listing`` tells whether a file was created,
    deleted or moved since (the story files must be listed again)."""

    changed: frozenset[str]
    listing: bool
    watched: tuple[str, ...]
    """The watched folders, each ending with a separator."""

    def vouches_for(self, root: str, path: str, reading: Reading, listed: Listing) -> bool:
        if any(folder not in self.watched for folder in listed.roots):
            return False
        if path in self.changed or not listed.holds(path):
            return False
        for name, _, _ in reading.looked_at:
            other = os.path.normpath(os.path.join(root, name))
            if other in self.changed or not listed.holds(other):
                return False
        return True


@dataclass(frozen=True, slots=True)
class Reading:
    """One file's reading: its story (``None`` when it had problems) and its problems."""

    stamp: Stamp
    digest: str | None
    """The file's content digest, taken before it was read (as ``stamp``): a save during the read is a change."""
    looked_at: tuple[tuple[str, Stamp, str | None], ...]
    """Other files the reading depends on, relative to the project: name, status, content digest."""
    story: Story | None
    problems: tuple[Problem, ...]
    fingerprint: str | None = None
    """The story's digest as the build's fingerprinter noted it (``Fingerprinter.note``): a later build takes it
    back rather than digesting the unchanged story again."""

    def _unchanged(self, root: str, path: str) -> bool:
        return stamp(path) == self.stamp and all(
            stamp(os.path.join(root, other)) == was for other, was, _ in self.looked_at
        )

    def _same_content(self, root: str, path: str) -> Reading | None:
        """This reading with the files' new status, when their content is what it was read from (each status taken
        before its digest: a save in between leaves a status the next build sees as changed)."""
        status = stamp(path)
        if self.digest is None or content_digest(path) != self.digest:
            return None
        seen = []
        for other, was, digest in self.looked_at:
            full = os.path.join(root, other)
            now = stamp(full)
            if now != was and (digest is None or now is None or content_digest(full) != digest):
                return None  # appeared, vanished, outside the project, or other bytes
            seen.append((other, now, digest))
        return dataclasses.replace(self, stamp=status, looked_at=tuple(seen))


class StoryMemo:
    """Readings by file name relative to the project root (``use_root``); ``get`` and ``put`` take full paths."""

    def __init__(self, context: str = "") -> None:
        self.context = context
        self.readings: dict[str, Reading] = {}
        self.changed = False
        self._root = ""
        self.read = 0
        """Files the last load read again (the others' readings were reused): the build's timings show it."""
        self._dirty: set[str] = set()
        """Names whose reading changed (or went) since the memo was loaded or saved: what ``save`` appends."""
        self._file: tuple[int, int, int, int] | None = None
        """The memo file as this memo last read or wrote it (device, inode, size, modification time): appended to
        only while it is, and while its first lines are this memo's header and context (an inode is reused)."""
        self._lines = 0
        """Reading lines in that file (a name's later line stands for its earlier ones)."""
        self.listing: Listing | None = None
        """The story files the last load of this process listed (``files_under`` below the stories' folder)."""

    def _mark(self, name: str) -> None:
        self._dirty.add(name)
        self.changed = True

    def use_root(self, root: Path | str) -> None:
        self._root = os.path.join(str(root), "")

    def _name(self, path: Path | str) -> str:
        path = str(path)
        return path[len(self._root) :] if self._root and path.startswith(self._root) else path

    def use_context(self, context: str) -> None:
        """Forget every reading when what reads depend on (authors, campaigns…) changed."""
        if context != self.context:
            self.context = context
            self.readings.clear()
            self.changed = True
            self._file = None  # written anew: the context is the file's second line

    def get(self, path: Path | str, since: Since | None = None, listed: Listing | None = None) -> Reading | None:
        """The reading of ``path`` if it still holds; ``since`` (a watcher's) vouches for the files it does not name
        among those ``listed``, which are then not looked at."""
        name = self._name(path)
        reading = self.readings.get(name)
        if reading is None:
            return None
        if since is not None and listed is not None and since.vouches_for(self._root, str(path), reading, listed):
            return reading
        if reading._unchanged(self._root, str(path)):
            return reading
        reading = reading._same_content(self._root, str(path))
        if reading is not None:  # kept with the new status, so the next build needs no digest
            self.readings[name] = reading
            self._mark(name)
        return reading

    def put(self, path: Path | str, reading: Reading) -> None:
        name = self._name(path)
        self.readings[name] = reading
        self._mark(name)

    def note_fingerprints(self, note: Callable[[Story], str | None]) -> None:
        """Keep each story's fingerprint as ``note`` gives it (``Fingerprinter.note``), where it has one."""
        for name, reading in self.readings.items():
            if reading.story is not None and (noted := note(reading.story)) and noted != reading.fingerprint:
                self.readings[name] = dataclasses.replace(reading, fingerprint=noted)
                self._mark(name)

    def keep_only(self, paths: set[str]) -> None:
        """Drop the readings of files that are gone (``paths``: full paths)."""
        for gone in set(self.readings) - {self._name(path) for path in paths}:
            del self.readings[gone]
            self._mark(gone)

    @classmethod
    def load(cls, path: Path) -> StoryMemo:
        """The memo saved at ``path``; an empty one when it is missing, from other code, or anything
        but exactly what ``save`` writes (no migration: the stories are read again).

        One JSON line a reading, decoded as it is read, so that a large archive's memo is never in memory twice
        (as the file's text and its parsed form). A later line of a name stands for its earlier ones (``save``
        appends what changed), a name with no reading is one gone."""
        header = _header()
        try:
            with path.open("rb") as handle:
                if handle.readline(len(header) + 1) != header + b"\n":  # before anything else is decoded
                    return cls()
                memo = cls(_decode_context(json.loads(handle.readline())))
                whole = True
                for line in handle:
                    whole = line.endswith(b"\n")  # a last line an append stopped in: not appended to
                    name, reading = _decode_line(json.loads(line.decode("utf-8", "surrogatepass")))
                    if reading is None:
                        memo.readings.pop(name, None)
                    else:
                        memo.readings[name] = reading
                    memo._lines += 1
                status = os.fstat(handle.fileno())
                memo._file = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns) if whole else None
        except Exception:  # unreadable, truncated, or not what this code writes
            return cls()
        return memo

    def save(self, path: Path) -> None:
        """Write what changed: appended to the file this memo read or wrote last, while it is that file and its
        lines stay within ``COMPACT_AFTER`` times the readings; else the whole memo, in a new file renamed over it.
        (A 100,000-story memo is hundreds of megabytes: one story's edit appends one line.)"""
        if not self.changed:
            return
        if self._append(path):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            with temporary.open("wb") as handle:
                handle.write(_header() + b"\n")
                handle.write(_line(self.context))
                for name, reading in self.readings.items():
                    handle.write(_line([name, reading]))
                handle.flush()
                status = os.fstat(handle.fileno())
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
        self._file = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)
        self._lines = len(self.readings)
        self._dirty.clear()
        self.changed = False

    def _append(self, path: Path) -> bool:
        if (
            self._file is None
            or not self._dirty
            or self._lines + len(self._dirty) > COMPACT_AFTER * len(self.readings) + 64
        ):
            return False
        try:
            status = os.stat(path)
        except OSError:
            return False
        if (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns) != self._file:  # written since
            return False
        opening = _header() + b"\n" + _line(self.context)
        data = b"".join(_line([name, self.readings.get(name)]) for name in sorted(self._dirty))
        descriptor = os.open(path, os.O_RDWR | os.O_APPEND)
        try:
            if os.pread(descriptor, len(opening), 0) != opening:  # another memo's file on a reused inode
                return False
            written = 0
            while written < len(data):
                written += os.write(descriptor, data[written:])
            after = os.fstat(descriptor)
        finally:
            os.close(descriptor)
        self._file = (after.st_dev, after.st_ino, after.st_size, after.st_mtime_ns)
        self._lines += len(self._dirty)
        self._dirty.clear()
        self.changed = False
        return True


COMPACT_AFTER = 1.25
"""A memo's file is written anew once it holds this many lines a reading (appended readings replace earlier ones)."""


def _line(value: object) -> bytes:
    """``value`` as one line of JSON (a file name undecodable in UTF-8 keeps its surrogates)."""
    text = json.dumps(value, default=_plain, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass") + b"\n"


def _header() -> bytes:
    return FORMAT + b" " + code_digest().encode("ascii")


# -- the file's form -------------------------------------------------------------------------
#
# A record is a JSON list of its fields' values in the dataclass's order (not an object: no names to read
# or repeat); a datetime is its ISO string with offset, a date its ISO date, bytes (a packed body) base64, a
# tuple a list. Each field is decoded by what its annotation says, and nothing but these records is ever built.

RECORDS = (Story, Image, Correction, ImageVariant, Problem, Reading)


def _plain(value: object) -> object:
    """``json.dumps``' fallback for what JSON has no form of."""
    if type(value) in _FIELDS:
        return [getattr(value, name) for name in _FIELDS[type(value)]]
    if isinstance(value, datetime):
        if value.utcoffset() != VIETNAM.utcoffset(None):
            raise TypeError(f"a memo holds Vietnam time only, not {value!r}")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"a memo cannot hold {type(value).__name__}")


Decoder = Callable[[Any], Any]


def _exact(kind: type) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"{kind.__name__} expected")
        return value

    return decode


def _datetime(value: Any) -> datetime:
    if type(value) is not str:
        raise TypeError("datetime expected")
    moment = datetime.fromisoformat(value)
    if moment.utcoffset() != VIETNAM.utcoffset(None):  # the loader gives Vietnam time: its name too (repr, %Z)
        raise ValueError("Vietnam time expected")
    return moment.replace(tzinfo=VIETNAM)


def _date(value: Any) -> date:
    if type(value) is not str:
        raise TypeError("date expected")
    return date.fromisoformat(value)


def _bytes(value: Any) -> bytes:
    if type(value) is not str:
        raise TypeError("base64 expected")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise ValueError("base64 expected") from None


def _optional(inner: Decoder) -> Decoder:
    return lambda value: None if value is None else inner(value)


def _sequence(inner: Decoder) -> Decoder:
    def decode(value: Any) -> tuple:
        if type(value) is not list:
            raise TypeError("list expected")
        return tuple(map(inner, value))

    return decode


def _fixed(inners: tuple[Decoder, ...]) -> Decoder:
    def decode(value: Any) -> tuple:
        if type(value) is not list or len(value) != len(inners):
            raise TypeError(f"list of {len(inners)} expected")
        return tuple(inner(item) for inner, item in zip(inners, value, strict=True))

    return decode


def _record(kind: type) -> Decoder:
    checked: tuple[tuple[int, type], ...] = ()
    converted: tuple[tuple[int, Decoder], ...] = ()
    count = len(_FIELDS[kind])

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != count:
            raise TypeError(f"{kind.__name__} expected")
        for index, exact in checked:  # most fields are strings: checked here rather than by a call each
            if type(value[index]) is not exact:
                raise TypeError(f"{kind.__name__}: {exact.__name__} expected")
        for index, convert in converted:
            value[index] = convert(value[index])
        return kind(*value)

    def complete() -> None:  # once every record's decoder exists (they refer to each other)
        nonlocal checked, converted
        hints = typing.get_type_hints(kind)
        plain = [(index, hints[name]) for index, name in enumerate(_FIELDS[kind])]
        checked = tuple((index, hint) for index, hint in plain if hint in (str, int, bool))
        converted = tuple((index, _decoder(hint)) for index, hint in plain if hint not in (str, int, bool))

    _COMPLETE.append(complete)
    return decode


def _decoder(hint: Any) -> Decoder:
    if hint in _RECORD_DECODERS:
        return _RECORD_DECODERS[hint]
    if hint in (str, int, bool):
        return _exact(hint)
    if hint is datetime:
        return _datetime
    if hint is date:
        return _date
    if hint is bytes:
        return _bytes
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType) and len(arguments) == 2 and type(None) in arguments:
        return _optional(_decoder(next(a for a in arguments if a is not type(None))))
    if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        return _sequence(_decoder(arguments[0]))
    if origin is tuple:
        return _fixed(tuple(_decoder(argument) for argument in arguments))
    raise TypeError(f"no memo form for {hint!r}")  # a new field's type: give it one here


_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(field.name for field in dataclasses.fields(kind) if field.init) for kind in RECORDS
}
_COMPLETE: list[Callable[[], None]] = []
_RECORD_DECODERS: dict[type, Decoder] = {kind: _record(kind) for kind in RECORDS}
for _complete in _COMPLETE:
    _complete()
_READING = _RECORD_DECODERS[Reading]


def _decode_context(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("context expected")
    return value


def _decode_line(value: Any) -> tuple[str, Reading | None]:
    if type(value) is not list or len(value) != 2 or type(value[0]) is not str:
        raise TypeError("reading expected")
    return value[0], None if value[1] is None else _READING(value[1])
