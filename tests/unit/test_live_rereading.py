"""A process that loads the content again (a preview's rebuild) parses again only the live updates whose files
changed, and what it loads is what a fresh load of the same files gives, mistakes included."""

from __future__ import annotations

import os

from frontline.content import live
from frontline.content.loader import Layout, load_content
from tests.live_fixture import LIVE_ID, make_live_site, update

FOLDER = f"stories/live/{LIVE_ID}"


def _load(site):
    content, problems = load_content(Layout.for_project(site.root))
    return content.live.get(LIVE_ID), [str(p) for p in problems]


def _parsed(monkeypatch) -> list[str]:
    parsed: list[str] = []
    read = live.read_document

    def counting(path, shown, max_bytes=None):
        if os.path.basename(path) != "index.md":  # the page's own file is read every time
            parsed.append(os.path.basename(path))
        return read(path, shown, max_bytes)

    monkeypatch.setattr(live, "read_document", counting)
    return parsed


def test_an_unchanged_update_is_not_parsed_again_and_a_changed_one_is(tmp_path, monkeypatch):
    site = make_live_site(tmp_path / "newsroom")
    first, _ = _load(site)
    parsed = _parsed(monkeypatch)
    again, _ = _load(site)
    assert parsed == [] and again == first

    # The same number of bytes: the file's stamp (its times, not its size) tells the change.
    path = site.root / FOLDER / "0630-xuat-phat.md"
    text = path.read_text(encoding="utf-8")
    site.write(f"{FOLDER}/0630-xuat-phat.md", text.replace("xuất phát", "XUẤT PHÁT"))
    changed, _ = _load(site)
    assert parsed == ["0630-xuat-phat.md"]
    assert changed != first
    assert "XUẤT PHÁT" in next(u.body for u in changed.updates if u.id == "0630-xuat-phat")


def test_a_mistake_is_reported_at_every_load_until_mended(tmp_path):
    site = make_live_site(tmp_path / "newsroom")
    site.write(f"{FOLDER}/0900-loi.md", update("2021-05-20T09:00", "Nội dung.", authors="[khong-co-ai]"))
    loads = [_load(site) for _ in range(3)]
    assert all(any("0900-loi.md" in problem for problem in problems) for _, problems in loads)
    assert loads[0] == loads[1] == loads[2]
    os.unlink(site.root / FOLDER / "0900-loi.md")
    page, problems = _load(site)
    assert not any("0900-loi.md" in problem for problem in problems)
    assert page is not None and "0900-loi" not in {u.id for u in page.updates}
