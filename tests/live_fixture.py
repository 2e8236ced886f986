"""A fixture newsroom with a live page ("Trực tiếp") on its campaign's peak day."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.sites import FixtureSite, jpeg_bytes, make_site, story

LIVE_ID = "bac-giang-cao-diem"
LIVE_URL = f"truc-tiep/{LIVE_ID}/"


def live_index(*, end: str | None = None, **fields: str) -> str:
    lines = [
        "---",
        "title: Bắc Giang ngày cao điểm",
        "campaign: bac-giang",
        "location: Bắc Giang",
        "start: 2021-05-20T06:00",
        "summary: Tường thuật trực tiếp ngày cao điểm chi viện Bắc Giang.",
    ]
    if end:
        lines.append(f"end: {end}")
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n---\n"


def update(time: str, body: str, *, authors: str = "[ha]", **fields: str) -> str:
    lines = ["---", f"time: {time}", f"authors: {authors}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body).strip() + "\n"


def make_live_site(root: Path, *, end: str | None = None) -> FixtureSite:
    """A site with one story and a live page of four updates over two days, the second one pinned, one with an
    image, one written with a UTC offset (shown in Vietnam time)."""
    site = make_site(root)
    opening = story("Mở bệnh viện dã chiến", "2021-05-19T08:00", campaign="bac-giang")
    site.write("stories/2021/05/mo-benh-vien.md", opening)
    folder = f"stories/live/{LIVE_ID}"
    site.write(f"{folder}/index.md", live_index(end=end))
    site.write(f"{folder}/0630-xuat-phat.md", update("2021-05-20T06:30", "Đoàn công tác **xuất phát** từ Hà Nội."))
    site.write(
        f"{folder}/0900-tiep-nhan.md",
        update(
            "2021-05-20T09:00",
            "Bệnh viện tiếp nhận 120 bệnh nhân đầu tiên. [Chi tiết](https://example.org/tin)",
            authors="[ha, duc]",
            title="Tiếp nhận bệnh nhân đầu tiên",
            pinned="true",
        ),
    )
    site.write(f"{folder}/anh/khu-dieu-tri.jpg", jpeg_bytes(800, 450))
    site.write(
        f"{folder}/1400-khu-dieu-tri.md",
        update(
            "2021-05-20T07:00:00Z",  # 14:00 in Vietnam
            "Khu điều trị thứ hai đi vào hoạt động.",
            authors="[duc]",
            image="anh/khu-dieu-tri.jpg",
            image_alt="Khu điều trị thứ hai",
        ),
    )
    site.write(f"{folder}/0800-ngay-hai.md", update("2021-05-21T08:00", "Ngày thứ hai: 40 ca xuất viện."))
    return site
