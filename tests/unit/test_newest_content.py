"""What publish takes for the content's last change (a site older than it is built again): every file and folder
under stories/ and docs/ and mkdocs.yml itself, hidden folders left out, stories/ followed when it is a link."""

from __future__ import annotations

import os
import random
from pathlib import Path

from frontline.deploy.command import newest_content


def reference(sources: list[Path]) -> tuple[float, Path | None]:
    """The same, the plain way: os.walk (links to folders listed, not followed), lstat each entry."""
    newest, which = 0.0, None
    for source in sources:
        if not source.exists():
            continue
        entries = [source]
        if source.is_dir():
            for folder, dirs, names in os.walk(source):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                entries += [Path(folder, name) for name in [*dirs, *names]]
        for entry in entries:
            moment = entry.lstat().st_mtime
            if moment > newest:
                newest, which = moment, entry
    return newest, which


def test_the_last_change_is_found_as_a_plain_walk_finds_it(tmp_path):
    rng = random.Random(7)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "2021").mkdir(parents=True)
    (elsewhere / "2021" / "bai.md").write_text("x")
    root = tmp_path / "project"
    (root / "docs" / ".obsidian").mkdir(parents=True)
    (root / "docs" / ".obsidian" / "state.json").write_text("{}")
    (root / "mkdocs.yml").write_text("site_name: x\n")
    os.symlink(elsewhere, root / "stories")  # a newsroom's folder, linked
    folders = [root / "docs", elsewhere / "2021"]
    for n in range(60):
        folder = rng.choice(folders)
        if rng.random() < 0.3:
            folder = folder / f"{'.' if rng.random() < 0.2 else ''}thu-muc-{n}"
            folder.mkdir()
            folders.append(folder)
        (folder / f"{'.' if rng.random() < 0.1 else ''}tep-{n}.md").write_text(str(n))
    os.symlink(root / "docs", root / "docs" / "vong")  # a link to a folder: listed, never followed
    sources = [root / "stories", root / "docs", root / "mkdocs.yml", root / "khong-co"]
    paths = [p for p in [*root.rglob("*"), *elsewhere.rglob("*")] if not p.is_symlink()]
    for _ in range(20):
        touched = rng.choice(paths)
        moment = 1_800_000_000 + rng.randrange(10**6)
        os.utime(touched, (moment, moment))
        assert newest_content(root, sources) == reference(sources)
