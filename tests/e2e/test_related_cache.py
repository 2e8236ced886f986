"""A warm build takes every story's related stories from the cache while no story moved (the same ids, dates,
places, units, tags and campaigns: edits of words), and ranks them all again once one did; either way its site is
a build's from nothing, file for file."""

from __future__ import annotations

import json
import os

import pytest

from frontline.engine.related_cache import RELATED_FILE
from tests.sites import make_site, story
from tests.snapshots import differences

pytestmark = pytest.mark.e2e

PLACES = ["Bắc Giang", "Đà Nẵng", "Hà Nội"]


def _story(n: int, **fields: str) -> str:
    fields.setdefault("location", PLACES[n % 3])
    fields.setdefault("tags", f"[chủ đề {n % 4}, y tế]")
    body = fields.pop("body", f"Đoạn mở đầu của bài {n}.")
    return story(f"Bài số {n}", f"2021-05-{10 + n:02d}T08:00", body=body, **fields)


def _related(files: dict, n: int) -> str:
    """The related stories a story's page lists."""
    html = files[f"2021/05/bai-so-{n}/index.html"].decode("utf-8")
    return html[html.index('class="fl-related"') : html.index("</aside>", html.index('class="fl-related"'))]


def _digest(kept) -> str:
    return json.loads(kept.read_text(encoding="utf-8"))["digest"]


def test_related_stories_come_from_the_cache_until_a_story_moves(tmp_path):
    site = make_site(tmp_path / "newsroom")
    for n in range(14):
        site.write(f"stories/2021/05/bai-{n}.md", _story(n))
    assert site.build().returncode == 0
    kept = site.root / ".cache" / "frontline" / RELATED_FILE
    first, digest = os.stat(kept), _digest(kept)

    site.write("stories/2021/05/bai-5.md", _story(5, body="Đoạn mới, cùng chủ đề."))  # words only
    warm = site.built()
    assert os.stat(kept).st_mtime_ns == first.st_mtime_ns, "taken, not ranked again"
    assert not differences(warm, site.built(fresh=True, site_dir=tmp_path / "clean-1"))

    # It moves among the places and topics: the lists change (a kept one would be another build's).
    site.write("stories/2021/05/bai-5.md", _story(5, location="Cần Thơ", tags="[xét nghiệm]"))
    before = warm
    warm = site.built()
    assert _digest(kept) != digest
    assert [n for n in range(14) if n != 5 and _related(warm, n) != _related(before, n)]
    assert not differences(warm, site.built(fresh=True, site_dir=tmp_path / "clean-2"))


def test_a_previews_first_build_takes_the_related_stories_a_build_of_the_same_stories_kept(tmp_path):
    """A preview's first build (no build before it in the process to take them from) takes them from the cache when
    its stories are placed as the kept ones' were, and ranks them itself when they are not (a draft it shows)."""
    site = make_site(tmp_path / "newsroom")
    for n in range(14):
        site.write(f"stories/2021/05/bai-{n}.md", _story(n))
    assert site.build().returncode == 0
    kept = site.root / ".cache" / "frontline" / RELATED_FILE
    document = json.loads(kept.read_text(encoding="utf-8"))
    ranked = document["related"]
    target = next(story_id for story_id in ranked if story_id.endswith("bai-3"))
    others = [story_id for story_id in ranked if story_id != target]
    chosen = [other for other in others if other not in ranked[target]][:2]  # no ranking would choose these
    document["related"][target] = chosen
    kept.write_text(json.dumps(document), encoding="utf-8")

    preview = site.built(preview=True, site_dir=tmp_path / "preview")
    shown = _related(preview, 3)
    assert all(f"bai-so-{other.rsplit('-', 1)[1]}/" in shown for other in chosen), shown

    site.write("stories/2021/05/bai-14.md", story("Bài nháp", "2021-05-24T08:00", draft="true", location="Hà Nội"))
    preview = site.built(preview=True, site_dir=tmp_path / "preview-2")
    assert _related(preview, 3) != shown
    assert not differences(preview, site.built(preview=True, fresh=True, site_dir=tmp_path / "preview-clean"))
