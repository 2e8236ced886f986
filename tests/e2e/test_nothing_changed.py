"""``frontline build`` with nothing changed since the last build (a scheduled rebuild with nothing due) looks at the
site instead of building it: the same folder stays, as a clean build would write it. Anything a build reads that
changed, a site folder changed by hand, or a clock past the first moment the pages would change by (a scheduled
story, the next day, a story leaving the news sitemap) builds as before."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from tests.sites import make_site, story
from tests.snapshots import differences, snapshot

pytestmark = pytest.mark.e2e

LOOKED = "Không có gì thay đổi từ lần dựng trước"


def _newsroom(root):
    site = make_site(root)
    for n in range(3):
        site.write(f"stories/2021/05/bai-{n}.md", story(f"Bài số {n}", f"2021-05-{16 + n}T09:00", campaign="bac-giang"))
    return site


def _build(site, *args: str, now: str = "2021-12-31T00:00:00+07:00", env: dict | None = None) -> str:
    """``frontline build ARGS --now NOW``: the clock as the command's option (a variable setting it is an input)."""
    result = site.frontline("build", *args, "--now", now, now=None, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _clean(site, tmp_path, *args: str, **options) -> dict[str, bytes | None]:
    """The site a build into a new folder writes now."""
    target = tmp_path / "clean"
    shutil.rmtree(target, ignore_errors=True)
    _build(site, *args, "--site-dir", str(target / "site"), **options)
    return snapshot(target / "site")


def test_with_nothing_changed_a_build_looks_at_the_site_and_leaves_it_as_a_clean_build(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    assert LOOKED not in _build(site)
    folder = os.stat(site.site_dir).st_ino
    before = snapshot(site.site_dir)
    assert LOOKED in _build(site)
    assert os.stat(site.site_dir).st_ino == folder, "the same folder, not a new one"
    assert not (site.root / ".site.spare").exists(), "no build ran: none replaced the site"
    assert differences(snapshot(site.site_dir), before) == []
    assert differences(snapshot(site.site_dir), _clean(site, tmp_path)) == []
    assert LOOKED not in _build(site, "--fresh"), "--fresh builds all the same"


@pytest.mark.parametrize("change", ["page edited", "file added", "file deleted", "link added", "folder added"])
def test_a_site_changed_by_hand_is_built_again(tmp_path, change):
    site = _newsroom(tmp_path / "newsroom")
    _build(site)
    page = site.site_dir / "2021/05/bai-so-1/index.html"
    if change == "page edited":
        with page.open("a", encoding="utf-8") as file:
            file.write("<script>alert('sửa tay')</script>")
    elif change == "file added":
        (site.site_dir / "them.html").write_text("<p>thêm</p>", encoding="utf-8")
    elif change == "file deleted":
        page.unlink()
    elif change == "link added":
        (site.site_dir / "lien-ket").symlink_to(site.root / "stories")
    else:
        (site.site_dir / "2021/trong").mkdir()
    assert LOOKED not in _build(site)
    assert differences(snapshot(site.site_dir), _clean(site, tmp_path)) == []
    assert LOOKED in _build(site), "the folder the build mended is looked at next"


@pytest.mark.parametrize("change", ["story touched", "docs added", "config edited", "engine", "variable"])
def test_anything_a_build_reads_that_changed_builds(tmp_path, change):
    site = _newsroom(tmp_path / "newsroom")
    config = site.config.read_text(encoding="utf-8")
    site.write("mkdocs.yml", config.replace("site_name: Tuyến đầu thử nghiệm", "site_name: !ENV [TEN_TRANG, Tin]"))
    env = {"TEN_TRANG": "Tin tuyến đầu"}
    _build(site, env=env)
    assert LOOKED in _build(site, env=env)
    args: tuple[str, ...] = ()
    if change == "story touched":  # its text unchanged: a build tells that by reading it, not the look at the site
        path = site.root / "stories/2021/05/bai-1.md"
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    elif change == "docs added":
        site.write("docs/gioi-thieu.md", "# Giới thiệu\n\nToà soạn.\n")
    elif change == "config edited":
        site.write("mkdocs.yml", site.config.read_text(encoding="utf-8").replace("per_page: 2", "per_page: 3"))
    elif change == "engine":
        args = ("--engine", "properdocs")
    else:
        env = {"TEN_TRANG": "Tin tuyến đầu mới"}
    assert LOOKED not in _build(site, *args, env=env)
    assert LOOKED in _build(site, *args, env=env), "and the next build with nothing changed looks again"
    assert differences(snapshot(site.site_dir), _clean(site, tmp_path, *args, env=env)) == []
    if change == "variable":
        assert "Tin tuyến đầu mới" in (site.site_dir / "index.html").read_text(encoding="utf-8")


def test_a_clock_past_the_first_moment_the_pages_change_by_builds(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    site.write("stories/2021/06/hen-gio.md", story("Bài hẹn giờ", "2021-06-02T09:00"))
    _build(site, now="2021-06-01T08:00:00+07:00")
    assert LOOKED in _build(site, now="2021-06-01T23:59:00+07:00")
    assert LOOKED not in _build(site, now="2021-06-02T00:00:00+07:00"), "the next day: campaign figures count days"
    assert LOOKED in _build(site, now="2021-06-02T08:59:00+07:00")
    assert not (site.site_dir / "2021/06/bai-hen-gio").exists()
    assert LOOKED not in _build(site, now="2021-06-02T09:00:00+07:00"), "the scheduled story's moment"
    assert (site.site_dir / "2021/06/bai-hen-gio/index.html").is_file()
    assert "bai-hen-gio" in (site.site_dir / "news-sitemap.xml").read_text(encoding="utf-8")
    assert LOOKED not in _build(site, now="2021-06-04T08:00:00+07:00"), "a new day"
    assert LOOKED in _build(site, now="2021-06-04T08:59:00+07:00")
    # Two days after its moment the story leaves the news sitemap, in the middle of a day.
    assert LOOKED not in _build(site, now="2021-06-04T09:00:00+07:00")
    assert "bai-hen-gio" not in (site.site_dir / "news-sitemap.xml").read_text(encoding="utf-8")
    assert LOOKED not in _build(site, now="2021-06-01T08:00:00+07:00"), "a clock set back builds"
    assert not (site.site_dir / "2021/06/bai-hen-gio").exists()


# Found by a reviewer helper; each failed before its fix.


def test_a_later_moment_of_the_same_day_leaves_the_opml_and_an_empty_feed_as_a_build_writes_them(tmp_path):
    """Their time is the newest story's, which the content sets, not the build's "now", which no look can follow."""
    site = _newsroom(tmp_path / "newsroom")
    site.write("docs/campaigns/trong.md", "---\ntitle: Chiến dịch chưa có bài\nstart: 2021-05-15\n---\n\nTrống.\n")
    _build(site, now="2021-12-31T00:00:00+07:00")
    later = "2021-12-31T12:34:56+07:00"
    assert LOOKED in _build(site, now=later)
    found = differences(snapshot(site.site_dir), _clean(site, tmp_path, now=later))
    assert found == [], found


# sitemap.xml's lastmod of MkDocs' own pages is the build's day by its clock, not MkDocs' ``get_build_date()`` (the
# wall clock's UTC date, which turns at 07:00 in Vietnam, after the day a look holds until began). The shim stands
# in for that UTC date, as MkDocs reads it, and nothing else.
SHIM = """\
import os
day = os.environ.get("UTC_DAY_OF_THE_TEST")
if day:
    import mkdocs.structure.pages as pages
    pages.get_build_date = lambda: day
"""


def test_a_look_after_the_utc_date_turned_leaves_the_sitemap_as_a_build_writes_it(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(SHIM, encoding="utf-8")
    path = os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(shim)]))
    before = {"PYTHONPATH": path, "UTC_DAY_OF_THE_TEST": "2021-12-30"}  # 06:59 in Vietnam: 23:59 UTC the day before
    after = {"PYTHONPATH": path, "UTC_DAY_OF_THE_TEST": "2021-12-31"}  # 07:01 in Vietnam: 00:01 UTC
    _build(site, now="2021-12-31T06:59:00+07:00", env=before)
    assert LOOKED in _build(site, now="2021-12-31T07:01:00+07:00", env=after)
    found = differences(snapshot(site.site_dir), _clean(site, tmp_path, now="2021-12-31T07:01:00+07:00", env=after))
    assert found == [], found


# Every form of the ``!ENV`` tag YAML and MkDocs accept names its variables as inputs.
@pytest.mark.parametrize(
    "written",
    [
        "site_name: !ENV\n  - TEN_TRANG\n  - Tin\n",  # a block sequence
        "site_name: !ENV &ten [TEN_TRANG, Tin]\n",  # an anchor between the tag and its value
    ],
)
def test_a_variable_an_env_tag_reads_in_another_form_is_an_input(tmp_path, written):
    site = _newsroom(tmp_path / "newsroom")
    config = site.config.read_text(encoding="utf-8")
    site.write("mkdocs.yml", config.replace("site_name: Tuyến đầu thử nghiệm\n", written))
    _build(site, env={"TEN_TRANG": "Tin cũ"})
    assert LOOKED not in _build(site, env={"TEN_TRANG": "Tin mới"})
    assert "Tin mới" in (site.site_dir / "index.html").read_text(encoding="utf-8")


# A file pymdownx.snippets includes from outside docs/ and stories/ (its base_path is the project's folder) is an
# input (another extension's files go in the config's ``watch``, as for MkDocs' own preview).
def test_a_snippet_file_outside_docs_is_an_input(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    config = site.config.read_text(encoding="utf-8")
    extensions = "  - frontline.markdown_ext\n"
    site.write("mkdocs.yml", config.replace(extensions, extensions + "  - pymdownx.snippets\n"))
    site.write("includes/chen.md", "Đoạn chèn cũ\n")
    site.write("docs/index.md", '---\ntitle: Trang chủ\n---\n\n--8<-- "includes/chen.md"\n')
    _build(site)
    site.write("includes/chen.md", "Đoạn chèn mới\n")
    _build(site)
    assert "Đoạn chèn mới" in (site.site_dir / "index.html").read_text(encoding="utf-8")


# publish builds a site older than its content (a modification time after the build's start), then refuses it if
# it still is. A story stamped a few seconds ahead of the clock (a skewed file server, an archive unpacked in another
# time zone) is behind the clock at the next publish, whose build must run rather than look at the site: a look
# keeps the old start, and every publish would refuse.
def test_publish_of_a_story_stamped_ahead_of_the_clock_publishes_once_that_moment_is_past(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    path = site.root / "stories/2021/05/bai-1.md"
    ahead = time.time_ns() + 3_000_000_000
    os.utime(path, ns=(ahead, ahead))
    time.sleep(0.2)
    built = site.frontline("build")  # FRONTLINE_NOW set, as publish's own build has it
    assert built.returncode == 0, built.stderr
    time.sleep(max(0.0, (ahead - time.time_ns()) / 1e9) + 1)
    dest = tmp_path / "www"
    dest.mkdir()
    published = site.frontline("publish", str(dest))
    assert published.returncode == 0, published.stderr


# A folder of site/ the look cannot read (a user who is not root, a folder the web server made) does not stop the
# build with a traceback: the build goes ahead (the site is exchanged out, not read). The wrapper stands in for
# ``chmod 000``, which root ignores, in the command's process only.
WRAPPER = """\
import os, sys
real = os.scandir
def scandir(path="."):
    if str(path).endswith(os.path.join("newsroom", "site", "2021")):
        raise PermissionError(13, "Permission denied", str(path))
    return real(path)
os.scandir = scandir
from frontline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_folder_of_the_site_that_cannot_be_read_does_not_stop_the_build(tmp_path):
    site = _newsroom(tmp_path / "newsroom")
    _build(site)
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "FRONTLINE_NOW"}
    now = "2021-12-31T00:00:00+07:00"
    command = [sys.executable, str(wrapper), "--config", str(site.config), "build", "--now", now]
    result = subprocess.run(command, cwd=site.root, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    assert result.returncode == 0, result.stdout + result.stderr[-600:]


# Found by a second reviewer helper; each failed before its fix. Code the build runs is an input too.
EXTENSION = """\
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
TEXT = "{text}"
class _Tail(Preprocessor):
    def run(self, lines):
        return lines + ["", TEXT]
class _Ext(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_Tail(md), "tail", 5)
def makeExtension(**kwargs):
    return _Ext(**kwargs)
"""


def _pages_saying(site, text: str) -> int:
    return sum(text in path.read_text("utf-8") for path in site.site_dir.rglob("index.html"))


def test_a_module_a_hook_imports_from_its_folder_is_an_input(tmp_path):
    """MkDocs puts a hook's folder on sys.path while it loads the hook, so a hook may import its neighbours."""
    site = _newsroom(tmp_path / "newsroom")
    site.write(
        "hooks/my_hook.py",
        "import helper\ndef on_page_markdown(markdown, **_):\n    return markdown + '\\n\\n' + helper.TEXT\n",
    )
    site.write("hooks/helper.py", 'TEXT = "TRỢ-GIÚP-1"\n')
    config = site.config.read_text("utf-8")
    site.write("mkdocs.yml", config.replace("hooks:\n", "hooks:\n  - hooks/my_hook.py\n", 1))
    _build(site)
    assert _pages_saying(site, "TRỢ-GIÚP-1") > 0
    time.sleep(0.1)
    site.write("hooks/helper.py", 'TEXT = "TRỢ-GIÚP-2"\n')
    time.sleep(0.1)
    assert LOOKED not in _build(site), "the hook's helper changed: the pages say something else now"


@pytest.mark.parametrize("where", ["next to mkdocs.yml", "an editable install (same dist-info name)"])
def test_a_markdown_extension_whose_code_changed_is_an_input(tmp_path, where):
    site = _newsroom(tmp_path / "newsroom")
    if where == "next to mkdocs.yml":  # importable: `frontline` runs the engine with `python -m` in the project
        folder, env = site.root, None
    else:  # a plugin a newsroom develops beside its site: `pip install -e ../tail` leaves tail-1.0.dist-info as is
        folder = tmp_path / "plugin"
        (folder / "tail-1.0.dist-info").mkdir(parents=True)
        (folder / "tail-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: tail\nVersion: 1.0\n")
        env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))}
    (folder / "tail.py").write_text(EXTENSION.format(text="ĐUÔI-1"), "utf-8")
    config = site.config.read_text("utf-8")
    site.write("mkdocs.yml", config.replace("markdown_extensions:\n", "markdown_extensions:\n  - tail\n", 1))
    _build(site, env=env)
    assert _pages_saying(site, "ĐUÔI-1") > 0
    time.sleep(0.1)
    (folder / "tail.py").write_text(EXTENSION.format(text="ĐUÔI-2"), "utf-8")
    time.sleep(0.1)
    assert LOOKED not in _build(site, env=env), "the extension's code changed: the pages say something else now"


HOOK = "def on_page_markdown(markdown, **_):\n    return markdown + '\\n\\n{text}\\n'\n"


def test_an_edited_hook_changes_every_page_it_touches(tmp_path):
    """A hook beside the config is an input of the look, and its code part of every page's key (the page cache)."""
    site = _newsroom(tmp_path / "newsroom")
    site.write("my_hook.py", HOOK.format(text="MÓC-1"))
    config = site.config.read_text("utf-8")
    site.write("mkdocs.yml", config.replace("hooks:\n", "hooks:\n  - my_hook.py\n", 1))
    _build(site)
    time.sleep(0.1)
    site.write("my_hook.py", HOOK.format(text="MÓC-2"))
    time.sleep(0.1)
    assert LOOKED not in _build(site, "--fresh")
    stale = sorted(
        str(path.relative_to(site.site_dir))
        for path in site.site_dir.rglob("*")
        if path.is_file()
        and path.suffix in (".html", ".xml", ".json")
        and "MÓC-1" in path.read_text("utf-8", "replace")
    )
    assert stale == []
