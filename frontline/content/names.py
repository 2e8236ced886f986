"""What content may name: ids that become folders and links, old addresses, templates.

Everything here ends up in a path the build writes or in an ``href``, so a name is checked against what is
allowed rather than cleaned of what is not."""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Iterable
from pathlib import Path

from frontline.content import urls
from frontline.content.slugs import MAX_SLUG_LENGTH, slugify_vi

MAX_ID_LENGTH = MAX_SLUG_LENGTH
_ID = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{MAX_ID_LENGTH - 1}}}")
_PATH_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
"""A segment of a story's file path, when the path is the story's id (feed readers key items by it)."""
ALIAS_SEGMENT = re.compile(r"(?:[\w.~-]|%[0-9A-Fa-f]{2})+")
"""A segment of an old address: letters, digits, ``-._~`` and percent-escapes (no spaces, quotes or ``<>``)."""

BUILD_FILES = urls.ROOT_FILES
"""Files the build writes at the site's root."""
BUILD_FOLDERS = urls.ROOT_FOLDERS
"""Folders the build writes at the site's root."""


def is_valid_id(name: object) -> bool:
    """An author or campaign id: lowercase ASCII letters, digits and ``-``, as folder names and links hold it."""
    return isinstance(name, str) and _ID.fullmatch(name) is not None


def id_rules(example: str) -> str:
    """How to write an id, with ``example`` (or a made-up one) as the suggestion."""
    suggestion = slugify_vi(example) or "nguyen-van-a"
    return (
        f"chỉ dùng chữ thường không dấu, số và dấu '-' (tối đa {MAX_ID_LENGTH} ký tự), không có '/', "
        f"khoảng trắng hay dấu ngoặc; ví dụ: {suggestion}"
    )


def path_id_problem(relative: str) -> str | None:
    """Why a story's path (below the stories folder, without ``.md``) cannot be its id, or None."""
    parts = relative.split("/")
    if all(_PATH_SEGMENT.fullmatch(part) for part in parts):
        return None
    suggestion = "/".join(slugify_vi(part) or "bai-viet" for part in parts)
    return (
        f"đường dẫn tệp '{relative}.md' có khoảng trắng, chữ có dấu hoặc ký tự đặc biệt nên không làm mã bài (id) "
        f"được: đổi tên thành {suggestion}.md, hoặc thêm một dòng id: <mã riêng của bài> vào thông tin đầu bài."
    )


def alias_clash(alias: str, docs_pages: Iterable[str] = ()) -> str | None:
    """What the build itself publishes at ``alias`` (a normalised old address), or None when it is free."""
    first = alias.split("/", 1)[0].lower()
    if first in BUILD_FILES:
        return f"/{first} là tệp trang tự tạo"
    if first in BUILD_FOLDERS:
        return f"/{first}/ là thư mục trang tự tạo"
    if alias in docs_pages:
        return f"/{alias} là địa chỉ của một trang trong docs/"
    return None


def docs_page_urls(docs_dir: Path, names: Iterable[str]) -> frozenset[str]:
    """The address of each Markdown page among ``names`` (files below ``docs_dir``), as MkDocs publishes it."""
    urls = set()
    for name in names:
        path = Path(name)
        if path.suffix != ".md":
            continue
        relative = path.relative_to(docs_dir).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] in ("index", "README"):
            parts.pop()
        if parts:
            urls.add("/".join(parts) + "/")
    return frozenset(urls)


@functools.cache
def material_templates() -> Path | None:
    """Material for MkDocs' templates folder, found without importing it (nor MkDocs)."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "templates"


def template_problem(written: object, template_dirs: Iterable[Path] | None) -> str | None:
    """Why ``written`` cannot be a page's ``template:``, or None. It must be a file name ending ``.html``
    found in one of ``template_dirs`` (the project's overrides) or in Material's templates; with
    ``template_dirs`` None only its form is checked."""
    if not isinstance(written, str) or not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*\.html", written):
        return (
            f"'{written}' không phải tên mẫu trang: cần tên một tệp .html, không có thư mục, ví dụ template: "
            "campaign.html (để trống để dùng mẫu mặc định)."
        )
    if template_dirs is None:
        return None
    folders = [*template_dirs, material_templates()]
    if any(folder is not None and (Path(folder) / written).is_file() for folder in folders):
        return None
    return f"không có mẫu trang '{written}' trong overrides/ hay trong giao diện Material; kiểm tra lại tên tệp."


def is_utf8(text: str) -> bool:
    """Whether ``text`` came as UTF-8 (a file name, a terminal's argument): Python holds other bytes as lone
    surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(name: str) -> str:
    """A name as it can be printed: bytes that are not UTF-8 written as ``\\xe1``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
