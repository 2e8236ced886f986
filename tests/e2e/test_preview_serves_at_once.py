"""`frontline preview` started with nothing changed since the last preview stopped serves its kept folder at once,
while its first build runs; the folder is trusted only when its record says it is what that build would write. A
story edited, a template or the config changed, another Frontline's record, a corrupt record, or the clock past a
scheduled story's moment: the preview then serves nothing before its first build, and what it serves first is the
new content. Each served site is compared with a clean build's."""

from __future__ import annotations

import json
import shutil
import signal
import time

import pytest

from tests.cli import REPO, start_frontline
from tests.e2e.test_preview import _free_port, _get
from tests.sites import make_site, story
from tests.snapshots import differences, snapshot

pytestmark = pytest.mark.e2e

NOW = "2021-12-31T00:00:00+07:00"
LATER = "2022-01-10T00:00:00+07:00"
KEPT = ".cache/frontline/preview-site"
RECORD = KEPT + "/.frontline-preview.json"
AT_ONCE = "phục vụ ngay bản xem trước đã dựng"
"""What the preview's log says when it serves its kept folder before its first build."""


class Preview:
    def __init__(self, site, tmp_path, name: str, now: str = NOW, engine: str = "mkdocs"):
        self.port = _free_port()
        self.log = tmp_path / f"{name}.log"
        with self.log.open("wb") as output:
            self.process = start_frontline(
                "preview", "--engine", engine, "-a", f"127.0.0.1:{self.port}",
                cwd=site.root, config=site.config, now=now, stdout=output, stderr=output,
            )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}/tin/"

    def first_answer(self, path: str) -> str | None:
        """The page at ``path``, asked as soon as the server answers at all (its home page)."""
        deadline = time.monotonic() + 120
        while _get(self.base) is None:
            assert self.process.poll() is None, self.text()
            assert time.monotonic() < deadline, self.text()
            time.sleep(0.05)
        return _get(self.base + path)

    def built(self) -> None:
        deadline = time.monotonic() + 120
        while "Documentation built" not in self.text():
            assert time.monotonic() < deadline, self.text()
            time.sleep(0.1)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def _newsroom(tmp_path):
    site = make_site(tmp_path / "newsroom")
    theme = tmp_path / "overrides"
    shutil.copytree(REPO / "overrides", theme)  # a theme of its own, for the test that edits a template
    site.write("mkdocs.yml", site.config.read_text(encoding="utf-8").replace(str(REPO / "overrides"), str(theme)))
    site.write("stories/2021/05/bai-1.md", story("Bài số một", "2021-05-11T09:00", slug="bai-so-1"))
    site.write("stories/2021/05/bai-2.md", story("Bài số hai", "2021-05-12T09:00", slug="bai-so-2"))
    site.write("stories/2022/01/hen-gio.md", story("Bài hẹn giờ", "2022-01-05T09:00", slug="hen-gio"))
    return site, theme


def _preview_once(site, tmp_path, name: str, now: str = NOW, engine: str = "mkdocs") -> None:
    preview = Preview(site, tmp_path, name, now, engine)
    try:
        preview.first_answer("")
        preview.built()
    finally:
        preview.stop()
    assert (site.root / RECORD).is_file()


def _clean(site, tmp_path, name: str, now: str = NOW, engine: str = "mkdocs") -> dict[str, bytes]:
    return site.built(site_dir=tmp_path / name, now=now, preview=True, strict=False, engine=engine)


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_with_nothing_changed_a_preview_serves_its_kept_folder_at_once_and_it_is_a_clean_build(tmp_path, engine):
    site, _ = _newsroom(tmp_path)
    _preview_once(site, tmp_path, "first", engine=engine)
    second = Preview(site, tmp_path, "second", engine=engine)
    try:
        assert "Bài số một" in (second.first_answer("2021/05/bai-so-1/") or "")
        second.built()
        assert AT_ONCE in second.text()
        assert differences(snapshot(site.root / KEPT), _clean(site, tmp_path, "clean", engine=engine)) == []
    finally:
        second.stop()
    record = json.loads((site.root / RECORD).read_text(encoding="utf-8"))
    assert record["inputs"] and record["built"].startswith("2021-12-31") and record["until"].startswith("2022-01-01")


def _retitle(site, theme):
    site.write("stories/2021/05/bai-1.md", story("Bài số một đã sửa", "2021-05-11T09:00", slug="bai-so-1"))
    return "2021/05/bai-so-1/", "Bài số một đã sửa"


def _template(site, theme):
    base = theme / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- mau-moi --></body>"), encoding="utf-8")
    return "2021/05/bai-so-2/", "mau-moi"


def _config(site, theme):
    site.write("mkdocs.yml", site.config.read_text(encoding="utf-8").replace("Tuyến đầu thử nghiệm", "Tuyến đầu mới"))
    return "2021/05/bai-so-2/", "Tuyến đầu mới"


def _other_code(site, theme):
    record = site.root / RECORD
    data = json.loads(record.read_text(encoding="utf-8"))
    data["stamp"][1] = "0" * 32  # written by another Frontline
    record.write_text(json.dumps(data), encoding="utf-8")
    return "2021/05/bai-so-2/", "Bài số hai"


def _corrupt(site, theme):
    (site.root / RECORD).write_bytes(b'{"stamp": [\x00 not json')
    return "2021/05/bai-so-2/", "Bài số hai"


def _forged_inputs(site, theme):
    """A record claiming inputs it was not written with (a page of it edited by hand meanwhile)."""
    record = site.root / RECORD
    data = json.loads(record.read_text(encoding="utf-8"))
    data["inputs"] = "f" * 32
    record.write_text(json.dumps(data), encoding="utf-8")
    return "2021/05/bai-so-2/", "Bài số hai"


@pytest.mark.parametrize(
    "change", [_retitle, _template, _config, _other_code, _corrupt, _forged_inputs], ids=lambda f: f.__name__
)
def test_a_kept_folder_that_is_not_current_is_not_served_before_the_build(tmp_path, change):
    site, theme = _newsroom(tmp_path)
    _preview_once(site, tmp_path, "first")
    path, expected = change(site, theme)
    second = Preview(site, tmp_path, "second")
    try:
        assert expected in (second.first_answer(path) or "")
        second.built()
        assert AT_ONCE not in second.text()
        assert differences(snapshot(site.root / KEPT), _clean(site, tmp_path, "clean")) == []
    finally:
        second.stop()


def test_a_kept_folder_is_not_served_at_once_once_the_clock_passes_a_scheduled_story(tmp_path):
    site, _ = _newsroom(tmp_path)
    _preview_once(site, tmp_path, "first")  # 31 Dec: "Bài hẹn giờ" is scheduled (5 Jan)
    first = json.loads((site.root / RECORD).read_text(encoding="utf-8"))
    assert first["until"].startswith("2022-01-01")  # the next day comes before the story's moment
    later = Preview(site, tmp_path, "later", now=LATER)
    try:
        page = later.first_answer("2022/01/hen-gio/") or ""
        assert "Bài hẹn giờ" in page
        later.built()
        assert AT_ONCE not in later.text()
        assert differences(snapshot(site.root / KEPT), _clean(site, tmp_path, "clean", now=LATER)) == []
    finally:
        later.stop()
    # A preview the same day, before the story's moment, is current again; one at the story's moment is not.
    _preview_once(site, tmp_path, "same-day", now="2022-01-05T08:00:00+07:00")
    record = json.loads((site.root / RECORD).read_text(encoding="utf-8"))
    assert record["until"] == "2022-01-05T09:00:00+07:00"
    on_time = Preview(site, tmp_path, "on-time", now="2022-01-05T09:00:00+07:00")
    try:
        on_time.first_answer("")
        on_time.built()
        assert AT_ONCE not in on_time.text()
        assert (
            differences(
                snapshot(site.root / KEPT), _clean(site, tmp_path, "clean-on-time", "2022-01-05T09:00:00+07:00")
            )
            == []
        )
    finally:
        on_time.stop()


def test_after_a_save_rebuilt_in_the_preview_the_next_preview_serves_at_once(tmp_path):
    site, _ = _newsroom(tmp_path)
    first = Preview(site, tmp_path, "first")
    try:
        first.first_answer("")
        first.built()
        _retitle(site, None)
        deadline = time.monotonic() + 120
        while "Bài số một đã sửa" not in (_get(first.base + "2021/05/bai-so-1/") or ""):
            assert time.monotonic() < deadline, first.text()
            time.sleep(0.1)
    finally:
        first.stop()
    second = Preview(site, tmp_path, "second")
    try:
        assert "Bài số một đã sửa" in (second.first_answer("2021/05/bai-so-1/") or "")
        second.built()
        assert AT_ONCE in second.text()
        assert differences(snapshot(site.root / KEPT), _clean(site, tmp_path, "clean")) == []
    finally:
        second.stop()


def test_a_change_after_the_last_build_started_is_not_trusted_even_if_no_rebuild_followed(tmp_path):
    """The theme's own folder is not watched by the preview: a template edited while it runs is not rebuilt, and the
    record the preview keeps when it stops must not claim the folder holds that template's pages."""
    site, theme = _newsroom(tmp_path)
    first = Preview(site, tmp_path, "first")
    try:
        first.first_answer("")
        first.built()
        path, expected = _template(site, theme)
        time.sleep(1)  # a rebuild, had the edit been watched, would have begun
    finally:
        first.stop()
    second = Preview(site, tmp_path, "second")
    try:
        assert expected in (second.first_answer(path) or "")
        second.built()
        assert differences(snapshot(site.root / KEPT), _clean(site, tmp_path, "clean")) == []
    finally:
        second.stop()


def test_a_folder_another_engine_wrote_is_not_served_at_once(tmp_path):
    """MkDocs and ProperDocs write their own pages (the home page, 404.html) each in its own way."""
    site, _ = _newsroom(tmp_path)
    _preview_once(site, tmp_path, "first", engine="mkdocs")
    second = Preview(site, tmp_path, "second", engine="properdocs")
    try:
        second.first_answer("")
        second.built()
        assert AT_ONCE not in second.text()
        assert differences(snapshot(site.root / KEPT), _clean(site, tmp_path, "clean", engine="properdocs")) == []
    finally:
        second.stop()
