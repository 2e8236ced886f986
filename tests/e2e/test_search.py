"""The search records: what a story puts in the Pagefind index (folded text) and what a result shows (metadata)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from frontline.output.pagefind_service import (
    PAGEFIND_ALLOCATOR,
    PAGEFIND_ALLOCATOR_SETTING,
    PagefindService,
    pagefind_executable,
)
from frontline.output.search import RECORD_WORDS, exact_words, fold, index_form
from tests.cli import run_frontline
from tests.sites import REPO, make_site, search_documents, story


def test_fold_drops_diacritics_and_curly_quotes_and_turns_đ_into_d():
    assert fold("Đà Nẵng, “Mỗi chuyến xe”") == "Da Nang, Moi chuyen xe"
    assert fold(unicodedata.normalize("NFD", "Bệnh viện dã chiến Điện Biên")) == "Benh vien da chien Dien Bien"


def test_fold_is_decomposition_without_marks_for_every_character_and_mixed_text():
    """The fold goes by a table, one character at a time: it must give what decomposing the whole text
    and dropping its combining marks gives (the search page folds queries that way)."""

    def by_decomposition(text: str) -> str:
        bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
        return bare.replace("đ", "d").replace("Đ", "D").translate(str.maketrans("", "", "“”‘’«»"))

    characters = [chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000]
    assert [fold(c) for c in characters] == [by_decomposition(unicodedata.normalize("NFC", c)) for c in characters]
    mixed = "Ngày 20/5, y bác sĩ tiếp nhận Ǆ ﬁ Å Ω e\u0301\u0323 Đ\u0303 “Mỗi” " + "".join(characters[0x300:0x370])
    for text in (mixed, unicodedata.normalize("NFD", mixed)):
        assert fold(text) == by_decomposition(unicodedata.normalize("NFC", text))


def test_fold_drops_the_particle_đã_only():
    assert fold("Đã tiêm, đã xong; ĐÃ. Đà Nẵng dã chiến đá") == "tiem, xong; . Da Nang da chien da"


def test_index_form_folds_text_but_keeps_attribute_values():
    record = '<p data-pagefind-meta="title:Đà Nẵng &amp; “Huế”"></p><h1>Đà Nẵng &amp; “Huế”</h1>'
    heading = "<h1>Da Nang &amp; Hue ‿da‿dfz ‿nang‿wxz ‿hue‿asz</h1>"  # folded, then the exact words
    assert index_form(record) == '<p data-pagefind-meta="title:Đà Nẵng &amp; “Huế”"></p>' + heading


def test_exact_words_are_the_words_with_diacritics_coded():
    assert exact_words("Hải Vân, Hải Dương; ĐƯỜNG đã xong COVID-19 café") == (
        "‿hai‿rz ‿van‿az ‿hai‿rz ‿duong‿wwz ‿duong‿dfwwz ‿cafe‿sz"
    )
    # The two places of a tone are one word; "đa" and "đà" are two, neither the start of the other, nor of "hai".
    assert exact_words("hoà") == exact_words("hòa") == "‿hoa‿fz"
    assert (exact_words("đa"), exact_words("đà"), exact_words("hà"), exact_words("hài")) == (
        "‿da‿dz",
        "‿da‿dfz",
        "‿ha‿fz",
        "‿hai‿fz",
    )
    assert exact_words("Covid vaccine 2021") == ""


FILLER = " ".join(["chữ"] * RECORD_WORDS)


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, dict]:
    """The fragments of a newsroom's Pagefind index, by title (content: the folded record text)."""
    site = make_site(tmp_path_factory.mktemp("search") / "newsroom", with_campaign=False)
    site.write(
        "stories/2021/06/sapo.md",
        story(
            "Tin có sapo",
            "2021-06-01T08:00",
            location="Điện Biên",
            unit="Công an tỉnh Điện Biên",
            tags="[phòng chống thiên tai]",
            summary="Sapo nhắc đến Mường Tè.",
            body=f"Mở đầu nhắc đến Sìn Hồ.\n\n{FILLER} Quỳnh Lưu.",
        ),
    )
    site.write(
        "stories/2021/06/mo-dau.md",
        story("Tin không sapo", "2021-06-02T08:00", body=f"Mở đầu nhắc đến Mộc Châu.\n\n{FILLER} Yên Thế."),
    )
    site.write(
        "stories/2021/06/dai.md",
        story("Tin mở đầu dài", "2021-06-03T08:00", body=f"Mở đầu nhắc đến Bảo Lạc {FILLER} Tam Đảo."),
    )
    result = site.build()
    assert result.returncode == 0, result.stderr
    return {doc["meta"]["title"]: doc for doc in search_documents(site.site_dir)}


def words(doc: dict) -> set[str]:
    """The folded words of a record (its exact words, ``‿…``, left out)."""
    return {word for word in doc["content"].replace(".", " ").replace(",", " ").split() if not word.startswith("‿")}


def test_a_record_holds_title_place_unit_tags_standfirst_and_lede_folded(records):
    with_standfirst = words(records["Tin có sapo"])
    for word in ["Tin", "co", "sapo", "Dien", "Bien", "Cong", "tinh", "phong", "chong", "thien", "tai"]:
        assert word in with_standfirst
    assert {"Muong", "Te"} <= with_standfirst  # the standfirst
    assert {"Sin", "Ho"} <= with_standfirst  # the lede
    assert {"Moc", "Chau"} <= words(records["Tin không sapo"])  # the lede, when it is also the standfirst
    assert {"Bao", "Lac"} <= words(records["Tin mở đầu dài"])


def test_exact_words_follow_the_title_and_weighted_fields_only(records):
    content = records["Tin có sapo"]["content"]
    for shown in ("Tin có sapo", "Điện Biên", "Công an tỉnh Điện Biên", "Sapo nhắc đến Mường Tè."):
        assert exact_words(shown) in content
    assert exact_words("chữ") not in content  # the body past the lede: folded only


def test_a_record_stops_after_the_first_words_of_the_body(records):
    assert not {"Quynh", "Luu"} & words(records["Tin có sapo"])
    assert not {"Yen", "The"} & words(records["Tin không sapo"])
    assert not {"Tam", "Dao"} & words(records["Tin mở đầu dài"])  # a first paragraph counts in those words


def test_a_lede_that_is_the_standfirst_is_indexed_once(records):
    content = records["Tin không sapo"]["content"]
    assert content.count("Moc Chau") == 1 and content.count(exact_words("Mộc Châu")) == 1


def test_a_result_shows_accented_metadata(records):
    assert records["Tin có sapo"]["meta"] == {
        "kind": "Bài viết",
        "title": "Tin có sapo",
        "date": "2021-06-01",
        "place": "Điện Biên",
        "standfirst": "Sapo nhắc đến Mường Tè.",
    }
    assert records["Tin mở đầu dài"]["meta"]["standfirst"].endswith("chữ chữ …")
    assert len(records["Tin mở đầu dài"]["meta"]["standfirst"].split()) == 25


def test_a_failing_indexer_stops_the_build_with_its_message_and_keeps_the_old_site(tmp_path):
    site = make_site(tmp_path / "newsroom", with_campaign=False)
    site.write("stories/2021/06/tin.md", story("Tin bất kỳ", "2021-06-01T08:00"))
    old = site.write("site/index.html", "bản cũ")
    broken = site.write("pagefind-hong", "#!/bin/sh\necho 'ổ đĩa đầy' >&2\nexit 3\n")
    broken.chmod(0o755)
    result = run_frontline("build", cwd=site.root, env={"PAGEFIND_BINARY_PATH": str(broken)})
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "Pagefind không tạo được chỉ mục tìm kiếm" in result.stderr
    assert "ổ đĩa đầy" in result.stderr
    assert old.read_text(encoding="utf-8") == "bản cũ"


CANCELLED_JOB = """
import sys, threading, time
from pathlib import Path
from types import SimpleNamespace
from frontline.output.search import SearchJob

folder, host = Path(sys.argv[1]), sys.argv[2]
if host == "threaded":  # as under mkdocs serve: the job runs in a thread
    threading.Thread(target=threading.Event().wait, daemon=True).start()

def slow_record(story):
    time.sleep(0.02)
    return f"<html lang='vi'><body><main><h1>{story.url}</h1></main></body></html>"

stories = [SimpleNamespace(url=f"/2021/06/tin-{n}/") for n in range(100)]
finished = SearchJob.start(stories[:3], slow_record, lambda items: "a", folder / "finished", folder / "cache-a")
finished.finish()
cancelled = SearchJob.start(stories, slow_record, lambda items: "b", folder / "cancelled", folder / "cache-b")
print(type(cancelled.worker).__name__)
time.sleep(0.3)
cancelled.cancel()
time.sleep(2.5)  # longer than the 100 records would have taken
"""


@pytest.mark.parametrize("host", ["forked", "threaded"])
def test_a_cancelled_index_stops_and_writes_nothing(tmp_path, host):
    """A build that fails part-way cancels its indexer, which must not write into the discarded folder."""
    result = subprocess.run(
        [sys.executable, "-c", CANCELLED_JOB, str(tmp_path), host], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == {"forked": "ForkProcess", "threaded": "Thread"}[host]
    assert (tmp_path / "finished/pagefind/pagefind.js").is_file()  # what a cancelled job must not leave
    assert not (tmp_path / "cancelled").exists()
    assert not (tmp_path / "cache-b").exists()


REUSED_JOB = """
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from frontline.output.search import SearchJob

folder = Path(sys.argv[1])
asked = []

def digest(items):
    asked.append(True)
    return "d1"

def record(story):
    return f"<html lang='vi'><body><main><h1>{story.url}</h1></main></body></html>"

stories = [SimpleNamespace(url=f"/2021/06/tin-{n}/") for n in range(3)]
cold = SearchJob.start(stories, record, digest, folder / "site1", folder / "cache")
print("cold", cold.worker is not None, len(asked))
cold.finish()
print("kept", *sorted(entry.name for entry in (folder / "cache/search").iterdir()), len(asked))
warm = SearchJob.start(stories, record, digest, folder / "site2", folder / "cache")
print("warm", warm.worker is not None, len(asked))
warm.finish()
"""


def test_with_no_bundle_cached_indexing_starts_at_once_and_the_next_build_reuses_the_bundle(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", REUSED_JOB, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    # Cold: indexing started before the digest was asked; it names the bundle when the job finishes.
    # Warm: the digest is asked first, matches, and nothing is indexed.
    assert result.stdout.splitlines() == ["cold True 0", "kept d1 1", "warm False 2"]
    for site in ("site1", "site2"):
        assert (tmp_path / site / "pagefind/pagefind.js").is_file()


CRASHING_JOB = """
import os, sys, time
from pathlib import Path
from types import SimpleNamespace
from frontline.output.search import SearchIndexError, SearchJob

folder = Path(sys.argv[1])
stories = [SimpleNamespace(url="/a/")]
job = SearchJob.start(stories, lambda story: os._exit(9), lambda items: "c", folder / "site", folder / "cache")
started = time.monotonic()
try:
    job.finish(timeout=60)
except SearchIndexError as error:
    print(f"{time.monotonic() - started:.1f}", error)
"""


def test_an_indexer_that_dies_fails_the_build_at_once(tmp_path):
    result = subprocess.run([sys.executable, "-c", CRASHING_JOB, str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    seconds, message = result.stdout.strip().split(" ", 1)
    assert float(seconds) < 10
    assert message == "Pagefind không tạo được chỉ mục tìm kiếm: tiến trình lập chỉ mục dừng đột ngột"


def test_the_index_is_rebuilt_when_its_record_template_changes_not_a_page_template(tmp_path):
    """Indexing a large archive takes a while: a design change to the pages reuses the cached bundle."""
    theme = tmp_path / "overrides"
    shutil.copytree(REPO / "overrides", theme)
    site = make_site(tmp_path / "newsroom", with_campaign=False)
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(REPO / "overrides"), str(theme)), encoding="utf-8")
    site.write("stories/2021/06/tin.md", story("Tin bất kỳ", "2021-06-01T08:00"))
    bundles = site.root / ".cache/frontline/search"

    def bundle_after_build() -> tuple[str, int]:
        assert site.build().returncode == 0
        [bundle] = bundles.iterdir()
        return bundle.name, bundle.stat().st_ino

    first = bundle_after_build()
    page = theme / "story.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Theo dõi:", "Theo dõi tiếp:"), encoding="utf-8")
    assert bundle_after_build() == first
    assert "Theo dõi tiếp:" in (site.site_dir / "2021/06/tin-bat-ky/index.html").read_text(encoding="utf-8")
    record = theme / "search-record.html"
    record.write_text(record.read_text(encoding="utf-8").replace("<h1>", "<h1 data-changed>"), encoding="utf-8")
    assert bundle_after_build()[0] != first[0]


@pytest.mark.skipif(not Path("/proc/self/environ").is_file(), reason="reads a process's environment in /proc")
@pytest.mark.parametrize("own", [None, "tcache_max:65536"])
def test_pagefind_runs_with_its_allocator_setting_unless_the_caller_set_one(monkeypatch, own):
    if own is None:
        monkeypatch.delenv(PAGEFIND_ALLOCATOR_SETTING, raising=False)
    else:
        monkeypatch.setenv(PAGEFIND_ALLOCATOR_SETTING, own)
    service = PagefindService()
    process = Path("/proc") / str(service.process.pid)
    try:
        # Until the child has exec'd Pagefind, /proc shows the environment it was forked with (this process's).
        program = os.path.realpath(pagefind_executable())
        for _ in range(2000):
            with contextlib.suppress(OSError):
                if os.path.realpath(process / "exe") == program:
                    break
            time.sleep(0.005)
        environment = (process / "environ").read_bytes().split(b"\0")
    finally:
        service.close()
    expected = f"{PAGEFIND_ALLOCATOR_SETTING}={own or PAGEFIND_ALLOCATOR}".encode()
    assert [entry for entry in environment if entry.startswith(PAGEFIND_ALLOCATOR_SETTING.encode())] == [expected]


def test_pagefind_is_found_where_its_own_api_finds_it_and_then_on_the_path(monkeypatch, tmp_path):
    from pagefind.service import get_executable  # the API Frontline does not import while building

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert pagefind_executable() == get_executable() is not None
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "pagefind-rieng"))
    assert pagefind_executable() == tmp_path / "pagefind-rieng"
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)  # no Pagefind package installed
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pagefind_executable() is None
    program = tmp_path / "pagefind"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    assert pagefind_executable() == program
