"""Content fingerprints: stable digests of the data a page is rendered from.

Used as cache keys, so two pages built from equal data get equal keys and any change
to that data (a title, a neighbour, a related story's summary) gives a new key."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

_CODE = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()


class Fingerprinter:
    """Digests of arbitrary model data. Values of the ``whole`` types (stories: the bulk of the data, reached
    from many pages) are digested once per object, from their ``repr``; a fingerprinter made ``after`` another
    (a preview's rebuild) takes its digests of those objects, which a rebuild reuses where their file is unchanged."""

    def __init__(self, salt: str = "", whole: tuple[type, ...] = (), after: Fingerprinter | None = None) -> None:
        self.salt = salt
        self.whole = whole
        self._stories: dict[str, tuple[object, bytes]] = {}
        """Each whole value's digest by its ``id``, with the value: an edited story is a new object of the same id."""
        if after is not None and (after.salt, after.whole) == (salt, whole):
            self._stories = dict(after._stories)
        self._objects: dict[int, tuple[object, bytes]] = {}
        self._tag = hashlib.blake2b(
            repr((_CODE, salt, [kind.__qualname__ for kind in whole])).encode(), digest_size=8
        ).hexdigest()
        """Names this code and these settings in a ``note``: a note another fingerprinter made is not adopted."""

    def note(self, value: Any) -> str | None:
        """The digest of the whole value ``value`` as another build can take it back (``adopt``); None when it was
        not digested (or another object of its id was)."""
        known = self._stories.get(value.id)
        return f"{self._tag}:{known[1].hex()}" if known is not None and known[0] is value else None

    def adopt(self, value: Any, note: str) -> None:
        """Take ``note`` (``note``'s, of a value equal to ``value``: the story memo's reading of an unchanged file)
        as the digest of ``value``, so that it is not digested again; a note of other code or settings is ignored."""
        tag, _, digest = note.partition(":")
        known = self._stories.get(value.id)
        if tag != self._tag or len(digest) != 32 or (known is not None and known[0] is value):
            return
        try:
            self._stories[value.id] = (value, bytes.fromhex(digest))
        except ValueError:  # not a note this code wrote (a damaged memo): digested when asked
            return

    def _whole(self, value: Any) -> bytes:
        known = self._stories.get(value.id)
        if known is not None and known[0] is value:
            return known[1]
        digest = hashlib.blake2b((self.salt + repr(value)).encode("utf-8"), digest_size=16).digest()
        self._stories[value.id] = (value, digest)
        return digest

    def digest(self, value: Any) -> str:
        h = hashlib.blake2b(digest_size=20)
        self._feed(h, value)
        return h.hexdigest()

    def _feed(self, h: Any, value: Any) -> None:
        kind = type(value)
        if kind is str or kind is int or value is None or kind is bool or kind is float:  # most values: first
            h.update(repr(value).encode("utf-8"))
            h.update(b"\x00")
        elif kind is tuple or kind is list:
            h.update(b"[")
            for item in value:
                self._feed(h, item)
            h.update(b"]")
        elif (fields := _key_fields(kind)) is not None:
            h.update(
                b"S" + self._whole(value)
                if self.whole and isinstance(value, self.whole)
                else self._dataclass(value, fields)
            )
        elif isinstance(value, (str, int, float, bool, date, datetime, Enum)):
            h.update(repr(value).encode("utf-8"))
            h.update(b"\x00")
        elif isinstance(value, dict):
            h.update(b"{")
            for key in sorted(value, key=repr):
                self._feed(h, key)
                self._feed(h, value[key])
            h.update(b"}")
        elif isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
            h.update(b"[")
            for item in items:
                self._feed(h, item)
            h.update(b"]")
        else:
            raise TypeError(f"cannot fingerprint {type(value).__name__}")

    def _dataclass(self, value: Any, fields: tuple[tuple[str, bytes], ...]) -> bytes:
        cached = self._objects.get(id(value))
        if cached is not None and cached[0] is value:
            return cached[1]
        h = hashlib.blake2b(digest_size=16)
        h.update(type(value).__qualname__.encode())
        for name, encoded in fields:
            h.update(encoded)
            self._feed(h, getattr(value, name))
        digest = h.digest()
        self._objects[id(value)] = (value, digest)  # keep `value` alive so its id is not reused
        return digest


@functools.cache
def _key_fields(kind: type) -> tuple[tuple[str, bytes], ...] | None:
    """A dataclass's fields that are key inputs (all but those marked ``key: False``: derived from the rest, as in
    ``frontline.views.pages``), with their names encoded; ``None`` for a type that is not a dataclass."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(
        (field.name, field.name.encode())
        for field in dataclasses.fields(kind)
        if field.metadata.get("key", True) is not False
    )
