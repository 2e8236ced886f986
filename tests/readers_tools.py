"""The tools the readers' tests run for real, installed by ``make install`` from ``tests/tools/package.json``:
the Nu Html Checker (``vnu-jar``, run with Debian's Java), axe-core and TimelineJS. Missing, a test fails and says
how to install them, rather than skipping."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sites import FixtureSite, jpeg_bytes, make_hostile_site, story

REPO = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO / "tests" / "tools" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
TIMELINEJS = NODE_MODULES / "@knight-lab" / "timelinejs" / "dist"
NOW = "2021-12-31T00:00:00+07:00"


def tool(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: `make install` installs the readers' test tools (tests/tools/package.json)")
    return path


def build_demo(site_dir: Path) -> Path:
    """The repository's demo site built into ``site_dir`` at a fixed 'now'."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(site_dir)]
    result = subprocess.run(
        command, cwd=REPO, env={**os.environ, "FRONTLINE_NOW": NOW}, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"demo build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


def build_every_kind(root: Path) -> FixtureSite:
    """A fixture site with the page kinds the demo lacks: a second page of a listing, an alias's redirect page, a
    story and a docs page with a table of contents, a campaign in two places (its filter), every text field
    holding markup (``make_hostile_site``), a story with a lead image and one without, a very long word."""
    site = make_hostile_site(root)
    site.write("docs/assets/logo.png", jpeg_bytes(60, 60))  # and so the picture of a page without one of its own
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    logo: assets/logo.png\n", encoding="utf-8")
    long_word = "https://example.vn/" + "tai-lieu-" * 20  # no space to wrap at: it must not widen a phone's page
    body = f"Mở đầu.\n\n## Diễn biến\n\nNội dung {long_word}.\n\n### Chi tiết\n\nThêm.\n\n## Kết quả\n\nHết."
    for day, place in ((21, "Hà Nội"), (22, "Bắc Giang"), (23, "Đà Nẵng")):
        site.write(
            f"stories/2021/05/ngay-{day}.md",
            story(f"Diễn biến ngày {day}", f"2021-05-{day}T08:00", location=place, campaign="bac-giang", body=body),
        )
    result = site.build(now=NOW)
    assert result.returncode == 0, result.stderr
    return site


@contextlib.contextmanager
def every_kind_served(site: FixtureSite, root: Path) -> Iterator[tuple[Path, str]]:
    """``build_every_kind``'s built ``site`` served at ``/tin/`` as its ``site_url`` says (from a folder made in
    ``root``): its folder and its address (no slash)."""
    from tests.e2e.browser.conftest import serving

    www = root / "www"
    www.mkdir()
    (www / "tin").symlink_to(site.site_dir, target_is_directory=True)
    with serving(www) as url:
        yield site.site_dir, url + "/tin"


def page_paths(site_dir: Path) -> list[str]:
    """The site path of every HTML page of ``site_dir`` but redirects (which show nothing before leaving)."""
    paths = []
    for file in sorted(site_dir.rglob("*.html")):
        if 'http-equiv="refresh"' not in file.read_text(encoding="utf-8"):
            paths.append("/" + file.relative_to(site_dir).as_posix().removesuffix("index.html"))
    return paths


def page_kind(path: str) -> tuple[str, int]:
    """What kind of page ``path`` is, by its address: a story (``/2021/05/slug/``), or its top folder and depth
    (``/places/`` and ``/places/da-nang/`` are two kinds, ``/places/hue/`` one of the second)."""
    parts = [part for part in path.split("/") if part]
    if parts and parts[0].isdigit():
        return "story", 3
    return (parts[0] if parts else ""), len(parts)


def one_of_each_kind(site_dir: Path) -> list[str]:
    """The first page of each kind (``page_kind``), and of stories one with a lead image and one without."""
    chosen: dict[object, str] = {}
    for path in page_paths(site_dir):
        kind = page_kind(path)
        if kind[0] == "story":
            text = (site_dir / path.strip("/") / "index.html").read_text(encoding="utf-8")
            kind = (kind, 'class="fl-lead"' in text)
        chosen.setdefault(kind, path)
    return list(chosen.values())


def vnu_errors(files: list[Path]) -> list[str]:
    """Every error the Nu Html Checker finds in ``files`` (one JVM for all), as ``file:line: message``."""
    java = shutil.which("java")
    assert java, "the Nu Html Checker needs Java (`make install` installs Debian's)"
    command = [java, "-jar", str(tool(VNU_JAR)), "--errors-only", "--format", "json", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr)  # vnu writes its JSON report on stderr
    return [
        f"{message.get('url', '').removeprefix('file:')}:{message.get('lastLine', '?')}: {message['message']}"
        for message in report["messages"]
        if message["type"] in {"error", "non-document-error"}
    ]
