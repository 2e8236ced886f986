"""The content model, loaded and validated without MkDocs."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta

import pytest

from frontline.content.loader import Layout, load_content
from frontline.content.memo import StoryMemo
from tests.sites import jpeg_bytes, make_site, story


@pytest.fixture
def newsroom(tmp_path):
    return make_site(tmp_path / "n")


def load(site):
    return load_content(Layout.for_project(site.root))


def test_story_fields_are_typed_and_normalised(newsroom):
    newsroom.write(
        "stories/2021/05/ngay-dau.md",
        story(
            "Ngày đầu ở Bắc Giang",
            "2021-05-20T09:30",
            campaign="bac-giang",
            location="Bắc Giang",
            unit="Bệnh viện 19-8",
            tags="[y tế, bệnh viện dã chiến]",
            body="Đoạn **đầu** tiên có [liên kết](https://example.vn).\n\nĐoạn hai.",
        ),
    )
    content, problems = load(newsroom)
    assert problems == []
    [item] = content.stories
    assert item.id == "2021/05/ngay-dau"
    assert item.slug == "ngay-dau-o-bac-giang"
    assert item.url == "2021/05/ngay-dau-o-bac-giang/"
    assert item.date.isoformat() == "2021-05-20T09:30:00+07:00"
    assert item.has_time is True
    assert item.tags == ("y tế", "bệnh viện dã chiến")
    assert item.summary == "Đoạn đầu tiên có liên kết."
    assert item.summary_given is False
    assert content.campaigns["bac-giang"].phases[0].title == "Cao điểm thứ nhất"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2021-08-20", "2021-08-20T00:00:00+07:00"),
        ("2021-08-20T09:30", "2021-08-20T09:30:00+07:00"),
        ("'2021-08-20 09:30:00'", "2021-08-20T09:30:00+07:00"),
        ("2021-08-20T02:30:00Z", "2021-08-20T09:30:00+07:00"),
        ("2021-08-20T10:30:00+08:00", "2021-08-20T09:30:00+07:00"),
    ],
)
def test_dates_are_vietnam_time(newsroom, written, expected):
    newsroom.write("stories/a.md", story("Tin", written))
    content, problems = load(newsroom)
    assert problems == []
    assert content.stories[0].date.isoformat() == expected


def test_every_problem_is_reported_at_once_with_file_line_and_field(newsroom):
    newsroom.write("stories/ok.md", story("Bài tốt", "2021-05-20"))
    newsroom.write("stories/campaign.md", story("Sai chiến dịch", "2021-05-20", campaign="bac-giang-2022"))
    newsroom.write("stories/author.md", story("Sai tác giả", "2021-05-20", authors="[ha, khong-co]"))
    newsroom.write("stories/title.md", "---\ndate: 2021-05-20\nauthors: [ha]\n---\nThân bài.\n")
    newsroom.write("stories/date.md", story("Sai ngày", "20/8/2021"))
    newsroom.write("stories/yaml.md", "---\ntitle: Tiêu đề: có dấu hai chấm\ndate: 2021-05-20\n---\n")
    newsroom.write("stories/image.md", story("Ảnh", "2021-05-20", image="images/khong-co.jpg", image_alt="Ảnh"))
    newsroom.write("stories/2021/05/x.md", story("Trùng", "2021-05-20"))
    newsroom.write("stories/2021/05/y.md", story("Trùng", "2021-05-21"))
    newsroom.write("stories/id1.md", story("Một", "2021-05-20", id="vn-1"))
    newsroom.write("stories/id2.md", story("Hai", "2021-05-20", id="vn-1"))
    content, problems = load(newsroom)
    shown = [str(problem) for problem in problems]
    expected = [
        ("stories/campaign.md:4: campaign:", "bac-giang-2022", "Có phải ý bạn là 'bac-giang'"),
        ("stories/author.md:4: authors:", "khong-co", "stories/authors.yml"),
        ("stories/title.md:1: title:", "thiếu title"),
        ("stories/date.md:3: date:", "2021-08-20"),
        ("stories/yaml.md:2: YAML:", "cú pháp YAML"),
        ("stories/image.md:4: image:", "không tìm thấy ảnh"),
        ("stories/2021/05/y.md:1: slug:", "trùng với stories/2021/05/x.md"),
        ("stories/id2.md:1: id:", "vn-1"),
    ]
    for parts in expected:
        assert any(all(part in line for part in parts) for line in shown), (parts, shown)
    assert len(shown) == len(expected)
    assert [item.title for item in content.stories if item.source == "stories/ok.md"] == ["Bài tốt"]


def test_drafts_and_scheduled_stories_are_not_published(newsroom):
    newsroom.write("stories/a.md", story("Đã đăng", "2021-05-20"))
    newsroom.write("stories/b.md", story("Nháp", "2021-05-20", draft="true"))
    newsroom.write("stories/c.md", story("Hẹn giờ", "2021-05-22T08:00"))
    content, problems = load(newsroom)
    assert problems == []
    now = datetime.fromisoformat("2021-05-21T00:00:00+07:00")
    assert [item.title for item in content.published(now)] == ["Đã đăng"]
    later = now + timedelta(days=2)
    assert [item.title for item in content.published(later)] == ["Hẹn giờ", "Đã đăng"]


def test_image_relative_to_story_is_found_and_escaping_paths_refused(newsroom):
    newsroom.write("stories/2021/05/images/anh.jpg", jpeg_bytes(640, 360))
    newsroom.write("stories/2021/05/images/hong.jpg", b"\xff\xd8\xff\xe0not-a-jpeg")
    newsroom.write("stories/hong.md", story("Hỏng", "2021-05-20", image="2021/05/images/hong.jpg", image_alt="x"))
    newsroom.write(
        "stories/2021/05/co-anh.md",
        story("Có ảnh", "2021-05-20", image="images/anh.jpg", image_alt="Y bác sĩ", image_caption="'Ảnh: TTXVN'"),
    )
    newsroom.write("stories/tron.md", story("Trốn", "2021-05-20", image="../../../etc/passwd", image_alt="x"))
    content, problems = load(newsroom)
    assert [(p.path, p.field) for p in problems] == [("stories/hong.md", "image"), ("stories/tron.md", "image")]
    assert "tệp hỏng" in problems[0].message and "ngoài thư mục dự án" in problems[1].message
    image = content.stories[0].image
    assert image is not None and image.site_path == "stories/2021/05/images/anh.jpg"
    assert (image.media_type, image.width, image.height) == ("image/jpeg", 640, 360)
    assert [(v.site_path, v.width) for v in image.variants] == [
        ("stories/2021/05/images/anh-480w.jpg", 480),
        ("stories/2021/05/images/anh.jpg", 640),
    ]


def test_campaign_problems_are_reported(newsroom):
    newsroom.write(
        "docs/campaigns/sai.md",
        "---\ntitle: Sai\nstart: 2021-06-10\nend: 2021-06-01\nphases:\n  - title: P\n    start: 2021-06-02\n---\n",
    )
    _, problems = load(newsroom)
    fields = sorted((p.path, p.field) for p in problems)
    assert fields == [("docs/campaigns/sai.md", "end"), ("docs/campaigns/sai.md", "phases[1]")]


def test_an_authors_file_in_another_encoding_is_reported_not_raised(newsroom):
    newsroom.write("stories/authors.yml", "ha:\n  name: Nguyễn Thu Hà\n".encode("utf-16"))
    newsroom.write("stories/a.md", story("Tin", "2021-05-20"))
    _, problems = load(newsroom)
    assert [(p.path, p.field) for p in problems][0] == ("stories/authors.yml", "mã hóa")


def _load_with(site, memo):
    return load_content(Layout.for_project(site.root), memo=memo)


def test_the_memo_rereads_what_changed_and_still_reports_every_problem(newsroom, tmp_path):
    newsroom.write("stories/2021/05/a.md", story("Bài A", "2021-05-20T09:00"))
    newsroom.write("stories/2021/05/b.md", story("Bài B", "2021-05-21T09:00", image="anh.jpg", image_alt="Ảnh"))
    newsroom.write("stories/2021/05/c.md", story("Bài C", "2021-05-22T09:00", authors="[moi]"))
    saved = tmp_path / "memo.json"
    memo = StoryMemo()
    content, problems = _load_with(newsroom, memo)
    assert [s.title for s in content.stories] == ["Bài A"]
    assert {(p.path, p.field) for p in problems} == {
        ("stories/2021/05/b.md", "image"),
        ("stories/2021/05/c.md", "authors"),
    }
    memo.save(saved)

    memo = StoryMemo.load(saved)  # the next build, another process
    again, problems_again = _load_with(newsroom, memo)
    assert again.stories == content.stories and problems_again == problems
    assert not memo.changed  # nothing was read again

    newsroom.write("stories/2021/05/a.md", story("Bài A đã sửa", "2021-05-20T09:00"))  # the file changes
    newsroom.write("stories/2021/05/anh.jpg", jpeg_bytes(640, 360))  # the image b looked for appears
    authors = newsroom.root / "stories/authors.yml"
    authors.write_text(authors.read_text(encoding="utf-8") + "moi:\n  name: Phóng viên mới\n", encoding="utf-8")
    content, problems = _load_with(newsroom, memo)
    assert problems == []
    assert [s.title for s in content.stories] == ["Bài C", "Bài B", "Bài A đã sửa"]

    (newsroom.root / "stories/2021/05/c.md").unlink()
    content, _ = _load_with(newsroom, memo)
    assert [s.title for s in content.stories] == ["Bài B", "Bài A đã sửa"]
    assert not any(path.endswith("c.md") for path in memo.readings)


def test_an_unreadable_memo_is_ignored(newsroom, tmp_path):
    newsroom.write("stories/2021/05/a.md", story("Bài A", "2021-05-20T09:00"))
    saved = tmp_path / "memo.json"
    saved.write_bytes(b"\x80\x05not a memo")
    content, problems = _load_with(newsroom, StoryMemo.load(saved))
    assert [s.title for s in content.stories] == ["Bài A"] and problems == []


def test_a_fresh_checkout_of_the_same_content_reuses_the_memo_and_an_edit_hidden_from_the_status_does_not(tmp_path):
    """The memo recognises a file by its status, or else by its content: a CI runner's fresh checkout (every file
    new to the file system, the project elsewhere) parses nothing, while a change whose status looks old (a file
    replaced with one of the same size and time) is read again, and so is a story whose lead image changed."""
    first = make_site(tmp_path / "runner-1")
    first.write("stories/2021/05/a.md", story("Bài A", "2021-05-20T09:00"))
    first.write("stories/2021/05/anh.jpg", jpeg_bytes(640, 360))
    first.write("stories/2021/05/b.md", story("Bài B", "2021-05-21T09:00", image="anh.jpg", image_alt="Ảnh"))
    saved = tmp_path / "memo.json"
    memo = StoryMemo()
    content, _ = _load_with(first, memo)
    memo.save(saved)

    second = make_site(tmp_path / "elsewhere" / "runner-2")
    shutil.copytree(first.root / "stories", second.root / "stories", dirs_exist_ok=True, copy_function=shutil.copy)
    memo = StoryMemo.load(saved)
    again, _ = _load_with(second, memo)
    assert memo.read == 0
    assert again.stories == content.stories
    [image] = [s.image for s in again.stories if s.image]
    assert image.file_path == "stories/2021/05/anh.jpg"
    assert (second.root / image.file_path).is_file()
    memo.save(saved)  # with the files' new status

    a = second.root / "stories/2021/05/a.md"
    status = a.stat()
    a.write_text(a.read_text(encoding="utf-8").replace("Bài A", "Bài Z"), encoding="utf-8")  # same size
    os.utime(a, ns=(status.st_atime_ns, status.st_mtime_ns))
    picture = second.root / "stories/2021/05/anh.jpg"
    picture.write_bytes(jpeg_bytes(360, 640))  # another picture, its status set back as far as a user can
    os.utime(picture, ns=(status.st_atime_ns, status.st_mtime_ns))
    memo = StoryMemo.load(saved)
    content, _ = _load_with(second, memo)
    assert memo.read == 2
    assert {s.title for s in content.stories} == {"Bài Z", "Bài B"}
    [image] = [s.image for s in content.stories if s.image]
    assert (image.width, image.height) == (360, 640)


def test_a_fifo_named_like_a_story_or_pointed_at_as_its_image_is_reported_and_never_waited_on(newsroom):
    """Something that is not a file (a FIFO: opening it to read waits for a writer) is reported in Vietnamese, as
    an image outside the project is, and the rest of the content loads."""
    newsroom.write("stories/2021/05/a.md", story("Bài A", "2021-05-20T09:00"))
    os.mkfifo(newsroom.root / "stories/2021/05/ong.md")
    os.mkfifo(newsroom.root / "stories/2021/05/anh.jpg")
    newsroom.write("stories/2021/05/b.md", story("Bài B", "2021-05-21T09:00", image="anh.jpg", image_alt="Ảnh"))
    memo = StoryMemo()
    content, problems = _load_with(newsroom, memo)
    assert [s.title for s in content.stories] == ["Bài A"]
    assert {(p.path, p.field) for p in problems} == {
        ("stories/2021/05/ong.md", "tệp"),
        ("stories/2021/05/b.md", "image"),
    }
    assert "không phải tệp văn bản thường" in next(p.message for p in problems if p.field == "tệp")
