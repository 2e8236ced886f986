"""A cache file nested deeper than the JSON parser goes (a `.cache` shared between CI runs is not trusted) is not
ours: each reader starts afresh, as it does for a file it cannot parse, instead of failing the build."""

from __future__ import annotations

from pathlib import Path

import pytest

DEEP = "[" * 100_000 + "]" * 100_000


def _related(path: Path) -> object:
    from frontline.engine.related_cache import take_related

    return take_related(path.parent, None, "digest")  # type: ignore[arg-type]


def _manifest(path: Path) -> object:
    from frontline.build.manifest import _read_json

    return _read_json(path)


def _twins_memo(path: Path) -> object:
    from frontline.build.precompress import _read_memo

    return _read_memo(path)


def _addresses(path: Path) -> object:
    from frontline.content.addresses import load_addresses

    return load_addresses(path)


def _kept_record(path: Path) -> object:
    from frontline.engine.kept_folder import _taken

    return _taken(path)


def _verify_memo(path: Path) -> object:
    from frontline.output.verify import VerifyMemo

    return VerifyMemo.load(path) == VerifyMemo()


@pytest.mark.parametrize(
    ("read", "name", "afresh"),
    [
        (_related, "related.json", False),
        (_manifest, "listed.json", {}),
        (_twins_memo, "precompressed.json", ({}, {})),
        (_addresses, "addresses.json", {}),
        (_kept_record, "record.json", None),
        (_verify_memo, "verify.json", True),
    ],
)
def test_a_cache_file_nested_too_deep_is_read_as_none_of_ours(tmp_path, read, name, afresh):
    path = tmp_path / name
    path.write_text(DEEP, encoding="utf-8")
    assert read(path) == afresh
