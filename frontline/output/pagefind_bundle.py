"""Pagefind's bundle put in one fixed form, so that two builds of the same records are the same bytes.

Pagefind 1.5 keeps its filters in hash maps seeded at random in each run: a filter file lists its values, and the
metadata file lists the filter files, in another order each time. The files are content-addressed (a file's name is
the start of the SHA-1 of its content, the metadata's name is in ``pagefind-entry.json``), so one different order
renames them all. Here each filter file's values are sorted (by value; each value's pages are already in page
order), the metadata lists the filters by name, and the names are worked out again as Pagefind works them out.

The files are gzipped CBOR after a ``pagefind_dcd`` signature. Only what is needed of CBOR is read (what Pagefind's
``minicbor`` writes: definite lengths, shortest integers); every file is checked to encode back to its own bytes
before anything is changed, so a format this code does not know stops the build instead of publishing a broken
index."""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from collections.abc import Sequence
from pathlib import PurePosixPath

SIGNATURE = b"pagefind_dcd"
ENTRY = PurePosixPath("pagefind-entry.json")
FILTER_HASH_LENGTH = 7
META_HASH_LENGTH = 10


class BundleFormatError(ValueError):
    """The bundle is not what this module knows how to put in order."""


def full_hash(data: bytes) -> str:
    """Pagefind's file hash: SHA-1, each byte in lower-case hex *without* its leading zero (Rust's ``{:x?}``)."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def unpack(data: bytes) -> object:
    """A Pagefind file's CBOR value (``data`` gzipped or not, with the signature)."""
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if not raw.startswith(SIGNATURE):
        raise BundleFormatError("tệp chỉ mục thiếu chữ ký pagefind_dcd")
    body = raw[len(SIGNATURE) :]
    value, end = _decode(body, 0)
    if end != len(body):
        raise BundleFormatError("tệp chỉ mục có dữ liệu thừa")
    if encode(value) != body:
        raise BundleFormatError("tệp chỉ mục viết theo cách mã CBOR chưa biết")
    return value


def pack(value: object) -> bytes:
    """``value`` as a Pagefind file: signature, CBOR, gzip with no time in its header."""
    return gzip.compress(SIGNATURE + encode(value), compresslevel=9, mtime=0)


def canonical(files: Sequence[tuple[PurePosixPath, bytes]]) -> list[tuple[PurePosixPath, bytes]]:
    """``files`` (a bundle: paths relative to its folder) with its filter files and metadata in one fixed order and
    named after their content; a bundle without filters comes back as it is."""
    by_path = dict(files)
    if ENTRY not in by_path:
        raise BundleFormatError("thiếu pagefind-entry.json")
    entry_text = by_path[ENTRY].decode("utf-8")
    entry = json.loads(entry_text)
    replaced: dict[PurePosixPath, tuple[PurePosixPath, bytes]] = {}
    for language in sorted(entry.get("languages", {})):
        old_meta = entry["languages"][language]["hash"]
        meta_path = PurePosixPath(f"pagefind.{old_meta}.pf_meta")
        if meta_path not in by_path:
            raise BundleFormatError(f"thiếu {meta_path}")
        meta = unpack(by_path[meta_path])
        if not (isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list)):
            raise BundleFormatError(f"{meta_path}: không có danh sách bộ lọc")
        if not meta[3]:
            continue
        prefix = old_meta.rsplit("_", 1)[0] + "_" if "_" in old_meta else ""
        taken: set[str] = set()
        filters = []
        for name, old_hash in sorted(meta[3], key=lambda pair: pair[0]):
            path = PurePosixPath(f"filter/{old_hash}.pf_filter")
            if path not in by_path:
                raise BundleFormatError(f"thiếu {path}")
            index = unpack(by_path[path])
            if not (isinstance(index, list) and len(index) == 2 and index[0] == name and isinstance(index[1], list)):
                raise BundleFormatError(f"{path}: không phải bộ lọc {name}")
            ordered = [name, sorted(index[1], key=lambda value: value[0])]
            new_hash = _short(prefix, full_hash(encode(ordered)), FILTER_HASH_LENGTH, taken)
            replaced[path] = (PurePosixPath(f"filter/{new_hash}.pf_filter"), pack(ordered))
            filters.append([name, new_hash])
        meta = [*meta[:3], filters, *meta[4:]]
        new_meta = prefix + full_hash(encode(meta))[:META_HASH_LENGTH]
        replaced[meta_path] = (PurePosixPath(f"pagefind.{new_meta}.pf_meta"), pack(meta))
        old_field, new_field = (json.dumps({"hash": h}, separators=(",", ":"))[1:-1] for h in (old_meta, new_meta))
        if entry_text.count(old_field) != 1:
            raise BundleFormatError("pagefind-entry.json không nêu tệp siêu dữ liệu đúng một lần")
        entry_text = entry_text.replace(old_field, new_field)
    if not replaced:
        return list(files)
    replaced[ENTRY] = (ENTRY, entry_text.encode("utf-8"))
    return [replaced.get(path, (path, data)) for path, data in files]


def _short(prefix: str, digest: str, length: int, taken: set[str]) -> str:
    """``prefix`` and the first ``length`` characters of ``digest``, more where another file already has them."""
    while prefix + digest[:length] in taken and length < len(digest):
        length += 1
    name = prefix + digest[:length]
    taken.add(name)
    return name


def encode(value: object) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _head(major: int, argument: int, out: bytearray) -> None:
    if argument < 24:
        out.append(major << 5 | argument)
    elif argument < 1 << 8:
        out += bytes((major << 5 | 24, argument))
    elif argument < 1 << 16:
        out.append(major << 5 | 25)
        out += struct.pack(">H", argument)
    elif argument < 1 << 32:
        out.append(major << 5 | 26)
        out += struct.pack(">I", argument)
    else:
        out.append(major << 5 | 27)
        out += struct.pack(">Q", argument)


def _encode(value: object, out: bytearray) -> None:
    if value is False or value is True or value is None:
        out.append({False: 0xF4, True: 0xF5, None: 0xF6}[value])
    elif isinstance(value, int) and value >= 0:
        _head(0, value, out)
    elif isinstance(value, int):
        _head(1, -1 - value, out)
    elif isinstance(value, bytes):
        _head(2, len(value), out)
        out += value
    elif isinstance(value, str):
        data = value.encode("utf-8")
        _head(3, len(data), out)
        out += data
    elif isinstance(value, list):
        _head(4, len(value), out)
        for item in value:
            _encode(item, out)
    elif isinstance(value, dict):
        _head(5, len(value), out)
        for key, item in value.items():
            _encode(key, out)
            _encode(item, out)
    else:
        raise BundleFormatError(f"không mã hóa được {type(value).__name__}")


def _decode(data: bytes, at: int) -> tuple[object, int]:
    if at >= len(data):
        raise BundleFormatError("tệp chỉ mục bị cắt cụt")
    initial = data[at]
    major, minor = initial >> 5, initial & 0x1F
    at += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if minor not in simple:
            raise BundleFormatError(f"giá trị CBOR chưa biết: {initial:#x}")
        return simple[minor], at
    if minor < 24:
        argument = minor
    elif minor <= 27:
        size = 1 << (minor - 24)
        if at + size > len(data):
            raise BundleFormatError("tệp chỉ mục bị cắt cụt")
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise BundleFormatError(f"độ dài CBOR không xác định: {initial:#x}")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        if at + argument > len(data):
            raise BundleFormatError("tệp chỉ mục bị cắt cụt")
        chunk = data[at : at + argument]
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            mapping[key], at = _decode(data, at)
        return mapping, at
    raise BundleFormatError(f"kiểu CBOR chưa biết: {major}")
