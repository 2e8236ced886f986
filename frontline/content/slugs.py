"""Slugs that transliterate Vietnamese correctly ("Đà Nẵng" → "da-nang")."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

MAX_SLUG_LENGTH = 80
SLUG_PATTERN = rf"^(?=.{{1,{MAX_SLUG_LENGTH}}}$)[a-z0-9]+(?:-[a-z0-9]+)*$"
"""What ``is_valid_slug`` accepts, as a regular expression both Python and JavaScript read (the browser editor)."""


@lru_cache(maxsize=65536)
def slugify_vi(text: str) -> str:
    """A lowercase ASCII slug; đ/Đ become d, diacritics are dropped, NFD equals NFC."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    return _slugify(text, max_length=MAX_SLUG_LENGTH, word_boundary=True, save_order=True)


def is_valid_slug(slug: str) -> bool:
    """What a reporter may write in ``slug:``: the output of ``slugify_vi`` on itself."""
    return bool(slug) and slugify_vi(slug) == slug
