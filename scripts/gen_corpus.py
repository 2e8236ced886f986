#!/usr/bin/env python3
"""Generate a deterministic synthetic Frontline newsroom for benchmarks.

    python scripts/gen_corpus.py OUT_DIR --stories 1000 [--seed 1]

writes a complete project into OUT_DIR: ``mkdocs.yml`` (using this repository's
hooks and theme overrides), ``docs/index.md``, ``docs/campaigns/<id>.md``,
``docs/images/*.png``, ``stories/authors.yml`` and N stories
``stories/YYYY/MM/<slug>.md`` written in Vietnamese. The same seed and N always
give byte-identical files. Standard library and PyYAML only; no network.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import struct
import sys
import time
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
MARKER = ".frontline-corpus"
"""A file naming the generator; OUT_DIR is only wiped when it holds one (or is empty)."""

FIRST_DAY = date(2020, 1, 1)
LAST_DAY = date(2025, 12, 31)
MAX_SLUG_LENGTH = 80
AUTHOR_COUNT = 40
IMAGE_COUNT = 5

# -- vocabulary ----------------------------------------------------------------------------

PROVINCES: tuple[tuple[str, str], ...] = (
    # (place as written in `location:`, how "Công an …" names it)
    ("Hà Nội", "thành phố Hà Nội"),
    ("TP Hồ Chí Minh", "TP Hồ Chí Minh"),
    ("Đà Nẵng", "thành phố Đà Nẵng"),
    ("Hải Phòng", "thành phố Hải Phòng"),
    ("Cần Thơ", "thành phố Cần Thơ"),
    ("Bắc Giang", "tỉnh Bắc Giang"),
    ("Bắc Ninh", "tỉnh Bắc Ninh"),
    ("Hải Dương", "tỉnh Hải Dương"),
    ("Quảng Ninh", "tỉnh Quảng Ninh"),
    ("Vĩnh Phúc", "tỉnh Vĩnh Phúc"),
    ("Hưng Yên", "tỉnh Hưng Yên"),
    ("Thái Bình", "tỉnh Thái Bình"),
    ("Nam Định", "tỉnh Nam Định"),
    ("Ninh Bình", "tỉnh Ninh Bình"),
    ("Thanh Hóa", "tỉnh Thanh Hóa"),
    ("Nghệ An", "tỉnh Nghệ An"),
    ("Hà Tĩnh", "tỉnh Hà Tĩnh"),
    ("Quảng Bình", "tỉnh Quảng Bình"),
    ("Quảng Trị", "tỉnh Quảng Trị"),
    ("Thừa Thiên Huế", "tỉnh Thừa Thiên Huế"),
    ("Quảng Nam", "tỉnh Quảng Nam"),
    ("Quảng Ngãi", "tỉnh Quảng Ngãi"),
    ("Bình Định", "tỉnh Bình Định"),
    ("Phú Yên", "tỉnh Phú Yên"),
    ("Khánh Hòa", "tỉnh Khánh Hòa"),
    ("Bình Thuận", "tỉnh Bình Thuận"),
    ("Đắk Lắk", "tỉnh Đắk Lắk"),
    ("Gia Lai", "tỉnh Gia Lai"),
    ("Lâm Đồng", "tỉnh Lâm Đồng"),
    ("Bình Dương", "tỉnh Bình Dương"),
    ("Đồng Nai", "tỉnh Đồng Nai"),
    ("Bà Rịa - Vũng Tàu", "tỉnh Bà Rịa - Vũng Tàu"),
    ("Tây Ninh", "tỉnh Tây Ninh"),
    ("Long An", "tỉnh Long An"),
    ("Tiền Giang", "tỉnh Tiền Giang"),
    ("Bến Tre", "tỉnh Bến Tre"),
    ("An Giang", "tỉnh An Giang"),
    ("Kiên Giang", "tỉnh Kiên Giang"),
    ("Đồng Tháp", "tỉnh Đồng Tháp"),
    ("Cà Mau", "tỉnh Cà Mau"),
    ("Lạng Sơn", "tỉnh Lạng Sơn"),
    ("Lào Cai", "tỉnh Lào Cai"),
)

UNITS: tuple[str, ...] = (
    "Bệnh viện 19-8",
    "Bệnh viện 30-4",
    "Bệnh viện Y học cổ truyền CAND",
    "Cục Y tế Bộ Công an",
    "Bộ Tư lệnh Cảnh sát cơ động",
    "Trung đoàn Cảnh sát cơ động Thủ đô",
    "Trung đoàn Cảnh sát cơ động Nam Bộ",
    "Cục Cảnh sát giao thông",
    "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
    "Cục Quản lý xuất nhập cảnh",
    "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "Cục Cảnh sát quản lý trại giam",
    "Học viện Cảnh sát nhân dân",
    "Học viện An ninh nhân dân",
    "Học viện Chính trị CAND",
    "Trường Đại học Cảnh sát nhân dân",
    "Trường Đại học Phòng cháy chữa cháy",
    "Đoàn Thanh niên Bộ Công an",
    "Báo Công an nhân dân",
    "Phòng Cảnh sát giao thông Công an TP Hồ Chí Minh",
    "Phòng Cảnh sát cơ động Công an TP Hồ Chí Minh",
    "Phòng Cảnh sát giao thông Công an thành phố Hà Nội",
    "Công an tỉnh Bắc Giang",
    "Công an tỉnh Bình Dương",
    "Công an tỉnh Đồng Nai",
    "Công an thành phố Đà Nẵng",
    "Công an tỉnh Hải Dương",
    "Công an tỉnh Long An",
    "Công an phường Bến Nghé",
    "Công an xã Tân Thông Hội",
)

TAGS: tuple[str, ...] = (
    "bệnh viện dã chiến",
    "chốt kiểm soát",
    "xét nghiệm",
    "tiêm vaccine",
    "truy vết",
    "khu cách ly",
    "phong tỏa",
    "luồng xanh",
    "an sinh xã hội",
    "hậu cần",
    "y tế CAND",
    "cảnh sát cơ động",
    "cảnh sát giao thông",
    "công an xã",
    "pháo đài chống dịch",
    "khu công nghiệp",
    "nông sản",
    "oxy y tế",
    "điều dưỡng",
    "thanh niên tình nguyện",
    "gương sáng",
    "hậu COVID",
    "chi viện",
    "người lao động",
    "giãn cách xã hội",
)

WARDS: tuple[str, ...] = (
    "Phúc Xá",
    "Hàng Bồ",
    "Bến Nghé",
    "Thạnh Mỹ Lợi",
    "Hòa Cường Bắc",
    "Tân Định",
    "Võ Thị Sáu",
    "Láng Hạ",
    "Trần Phú",
    "Quang Trung",
    "Hoàng Văn Thụ",
    "An Khánh",
    "Thủ Thiêm",
    "Phước Long",
    "Linh Trung",
    "Bình Hưng Hòa",
    "Hiệp Bình Chánh",
    "Đông Hưng Thuận",
    "Nghĩa Đô",
    "Thạch Thang",
)

HOSPITALS: tuple[str, ...] = (
    "Bệnh viện 19-8",
    "Bệnh viện 30-4",
    "Bệnh viện Y học cổ truyền CAND",
    "Bệnh viện dã chiến số 2",
    "Bệnh viện dã chiến số 5",
    "Bệnh viện dã chiến thu dung điều trị COVID-19",
)

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE_NAMES = ("Văn", "Thị", "Minh", "Thu", "Hoàng", "Thanh", "Ngọc", "Quang", "Đức", "Hữu", "Thùy", "Mai", "Anh")
GIVEN_NAMES = (
    "Hà", "Đức", "Nam", "Lan", "Tùng", "Hương", "Hùng", "Linh", "Trang", "Dũng", "Phương", "Hải",
    "Tuấn", "Hạnh", "Long", "Yến", "Sơn", "Thảo", "Khánh", "Quân", "Huyền", "Bình", "Nga", "Vinh",
)  # fmt: skip
RANKS = ("Đại tá", "Thượng tá", "Trung tá", "Thiếu tá", "Đại úy", "Thượng úy", "Trung úy")

AUTHOR_ROLES = ("Phóng viên", "Phóng viên", "Phóng viên ảnh", "Biên tập viên", "Phóng viên thường trú")
AUTHOR_DESKS = (
    "Ban Thời sự",
    "Ban An ninh trật tự",
    "Ban Ảnh",
    "Ban Điện tử",
    "Văn phòng đại diện miền Trung",
    "Văn phòng đại diện phía Nam",
)
AUTHOR_BEATS = (
    "mảng y tế Công an nhân dân",
    "công tác bảo đảm an ninh, trật tự",
    "trật tự an toàn giao thông",
    "lực lượng Cảnh sát cơ động",
    "công an cơ sở",
    "các tỉnh Đồng bằng sông Cửu Long",
)

OPENERS = (
    "Từ sáng sớm,",
    "Trong những ngày cao điểm của đợt dịch,",
    "Suốt đêm qua,",
    "Ngay sau khi nhận được chỉ đạo của Bộ Công an,",
    "Những ngày này,",
    "Theo ghi nhận của phóng viên,",
    "Dưới cái nắng gay gắt,",
    "Giữa cơn mưa tầm tã,",
    "Từ đầu tuần,",
    "Trước diễn biến phức tạp của dịch bệnh,",
    "Thực hiện phương châm “bốn tại chỗ”,",
    "Sau hơn một tháng chi viện,",
    "Tại {place},",
    "Trong ca trực kéo dài mười hai tiếng,",
    "Khi thành phố thực hiện giãn cách xã hội,",
    "Bất chấp nguy cơ lây nhiễm,",
)

SUBJECTS = (
    "cán bộ, chiến sĩ Công an phường {ward}",
    "lực lượng Cảnh sát cơ động",
    "đội ngũ y bác sĩ của {hospital}",
    "các tổ công tác của {unit}",
    "những chiến sĩ Cảnh sát giao thông",
    "đoàn viên thanh niên Công an {admin}",
    "công an xã chính quy",
    "các tổ truy vết",
    "những nữ điều dưỡng trẻ",
    "học viên Học viện Cảnh sát nhân dân",
    "lực lượng chức năng",
    "tổ tuần tra kiểm soát",
    "các tình nguyện viên",
    "cán bộ, chiến sĩ {unit}",
)

PREDICATES = (
    "túc trực ngày đêm tại chốt kiểm soát dịch bệnh ở cửa ngõ {place}",
    "phối hợp với ngành y tế tổ chức xét nghiệm nhanh cho {n} người dân",
    "hỗ trợ tiêm vaccine cho người cao tuổi và người có bệnh nền",
    "vận chuyển nhu yếu phẩm vào khu phong tỏa",
    "đi từng ngõ, gõ cửa từng nhà để rà soát người về từ vùng dịch",
    "tiếp nhận và điều trị cho {n} bệnh nhân COVID-19",
    "kê thêm {n} giường bệnh tại bệnh viện dã chiến",
    "bảo đảm an ninh, trật tự tại các khu cách ly tập trung",
    "mở luồng xanh cho xe chở nông sản và hàng hóa thiết yếu",
    "đi chợ hộ người dân trong khu phong tỏa",
    "trao túi an sinh cho các hộ gia đình có hoàn cảnh khó khăn",
    "hướng dẫn người dân khai báo y tế và thực hiện nghiêm quy định 5K",
    "truy vết các trường hợp tiếp xúc gần với ca bệnh",
    "vận chuyển bình oxy y tế đến các trạm y tế lưu động",
    "tuần tra, kiểm soát để nhắc nhở các trường hợp ra đường không cần thiết",
    "hỗ trợ đưa công nhân về quê an toàn",
    "tổ chức lấy mẫu xét nghiệm tại khu công nghiệp",
    "phun khử khuẩn các tuyến phố và khu dân cư",
    "tiếp sức cho đồng nghiệp ở tuyến đầu",
    "dựng lều dã chiến ngay bên quốc lộ để kiểm soát phương tiện",
)

TAILS = (
    ", góp phần kiềm chế sự lây lan của dịch bệnh",
    ", bảo đảm an toàn cho hàng nghìn hộ dân",
    " trong điều kiện thời tiết khắc nghiệt",
    " mà không quản ngại khó khăn, vất vả",
    ", để người dân yên tâm ở nhà",
    " theo đúng tinh thần “chống dịch như chống giặc”",
    " suốt nhiều tuần liền",
    ", không để ai bị bỏ lại phía sau",
    "",
    "",
)

FIGURES = (
    "lấy {n} mẫu xét nghiệm",
    "tiêm {n} liều vaccine",
    "kiểm tra {n} lượt phương tiện qua chốt",
    "trao {n} suất ăn miễn phí cho người dân",
    "hỗ trợ {n} người lao động trở về địa phương",
    "vận chuyển {n} tấn hàng hóa thiết yếu",
)

SINCE = ("Tính đến ngày {day}/{month}", "Chỉ riêng trong tháng {month}", "Trong tuần qua", "Từ đầu đợt dịch")

SCENES = (
    "Những bộ đồ bảo hộ ướt đẫm mồ hôi được thay ra rồi mặc lại sau mỗi ca trực",
    "Tiếng còi xe cứu thương vang lên liên tục trong đêm",
    "Nhiều chiến sĩ đã hoãn cưới, gửi con nhỏ cho ông bà để lên đường làm nhiệm vụ",
    "Bữa cơm vội vàng bên lề đường đã trở thành quen thuộc với các chiến sĩ",
    "Ánh đèn ở khu điều trị sáng suốt đêm",
    "Trên những chiếc xe chuyên dụng, hàng tấn gạo và rau xanh được chuyển đến từng khu dân cư",
    "Người dân mang nước uống, bánh mì ra tận chốt để cảm ơn các chiến sĩ",
    "Chiếc lều bạt dựng tạm bên đường là nơi nghỉ ngơi duy nhất của tổ công tác",
    "Những tấm biển “Vùng phong tỏa” được dựng lên ở đầu mỗi con hẻm",
    "Trên bảng trực, tên các ca kíp được ghi kín từ sáng đến khuya",
    "Những cuộc gọi video ngắn ngủi với gia đình là nguồn động viên lớn nhất",
    "Dòng xe chở công nhân nối dài qua chốt kiểm soát trong đêm",
)

QUOTES = (
    "Chúng tôi xác định còn dịch thì còn trực, không có ngày nghỉ",
    "Nhìn bệnh nhân khỏi bệnh xuất viện là niềm vui lớn nhất của anh em",
    "Người dân tin tưởng mình thì mình phải cố gắng hơn nữa",
    "Có những đêm cả tổ chỉ chợp mắt được vài tiếng rồi lại tiếp tục lên đường",
    "Áp lực rất lớn nhưng không ai chùn bước",
    "Mỗi chuyến xe qua chốt đều phải được kiểm soát chặt chẽ nhưng vẫn bảo đảm thông suốt",
    "Điều chúng tôi lo nhất là người già neo đơn trong khu phong tỏa",
    "Gia đình là hậu phương vững chắc để tôi yên tâm công tác",
    "Chưa bao giờ tôi thấy tình quân dân gắn bó như những ngày này",
)

POSITIONS = (
    "Phó Giám đốc {hospital}",
    "Trưởng Công an phường {ward}",
    "Đội trưởng Đội Cảnh sát giao thông",
    "Trưởng khoa Hồi sức tích cực",
    "Tổ trưởng tổ truy vết",
    "Chỉ huy chốt kiểm soát",
)

SAY_VERBS = ("chia sẻ", "cho biết", "tâm sự", "khẳng định", "kể lại")

HEADINGS = (
    "Những ca trực không ngày nghỉ",
    "Hậu phương vững chắc",
    "Luồng xanh giữa mùa dịch",
    "Sát cánh cùng người dân",
    "Chia sẻ từ tuyến đầu",
    "Khó khăn chồng chất",
    "Những con số biết nói",
    "Niềm vui ngày xuất viện",
    "Không để ai bị bỏ lại phía sau",
    "Trở về sau chiến dịch",
)

LIST_ITEMS = (
    "Lấy {n} mẫu xét nghiệm cho người dân trên địa bàn",
    "Tiêm {n} liều vaccine cho người từ 18 tuổi trở lên",
    "Trao {n} túi an sinh cho hộ nghèo, hộ cận nghèo",
    "Kiểm tra {n} lượt phương tiện ra vào thành phố",
    "Vận chuyển {n} bình oxy đến các trạm y tế lưu động",
    "Hỗ trợ {n} công nhân về quê an toàn",
    "Lập {n} tổ Covid cộng đồng tại các khu dân cư",
)

TITLE_ACTORS = (
    "Cảnh sát cơ động",
    "Công an phường {ward}",
    "Y bác sĩ {hospital}",
    "Cảnh sát giao thông",
    "Công an xã chính quy",
    "Đoàn viên thanh niên Công an {admin}",
    "Tổ truy vết",
    "Học viên Học viện Cảnh sát nhân dân",
)

TITLE_ACTIONS = (
    "trắng đêm giữ chốt",
    "hỗ trợ tiêm vaccine cho người dân",
    "đi chợ hộ người dân",
    "mở luồng xanh cho nông sản",
    "lấy mẫu xét nghiệm xuyên đêm",
    "vận chuyển oxy y tế",
    "trao quà cho người lao động",
    "truy vết ca bệnh",
    "dựng bệnh viện dã chiến",
    "bảo vệ khu cách ly",
)

TITLE_TEMPLATES = (
    "{actor} {action} tại {place}",
    "{actor} {action} ở {place}",
    "Những người lính áo xanh trên tuyến đầu chống dịch ở {place}",
    "{hospital} tiếp nhận {n} bệnh nhân COVID-19",
    "Ngày đầu vận hành bệnh viện dã chiến ở {place}",
    "Chuyện những chiến sĩ {tag} ở {place}",
    "{place}: {actor} {action}",
    "Cùng {actor_lower} {action}",
    "Nơi tuyến đầu {place} không ngủ",
)

CAMPAIGN_TITLES = (
    "Chi viện {place} chống dịch",
    "Bệnh viện dã chiến {place}",
    "Giữ vững chốt chặn {place}",
    "Chiến dịch tiêm chủng tại {place}",
    "Luồng xanh {place}",
    "Pháo đài chống dịch {place}",
)

PHASE_TITLES = ("Thiết lập và tiếp nhận", "Cao điểm điều trị", "Tăng cường lực lượng", "Thu hẹp và bàn giao")

MILESTONE_TITLES = (
    "Bộ Công an quyết định thành lập đoàn công tác chi viện {place}",
    "Khu điều trị được bổ sung thêm {n} giường bệnh",
    "{place} cơ bản kiểm soát dịch tại các khu công nghiệp",
    "Đoàn công tác tổng kết nhiệm vụ, trở về đơn vị",
    "Hoàn thành tiêm mũi một cho người dân trên địa bàn",
)

IMAGE_ALTS = (
    "Cán bộ, chiến sĩ mặc đồ bảo hộ làm nhiệm vụ tại chốt kiểm soát",
    "Y bác sĩ chăm sóc bệnh nhân tại bệnh viện dã chiến",
    "Xe chở nông sản đi qua luồng xanh",
    "Chiến sĩ Cảnh sát cơ động trao túi an sinh cho người dân",
    "Điểm tiêm vaccine lưu động trong khu dân cư",
)

# -- helpers --------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Mirror ``frontline.content.slugs.slugify_vi`` (python-slugify, max 80, word boundary) with the stdlib."""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) < MAX_SLUG_LENGTH:
        return slug
    truncated = ""
    for word in slug.split("-"):
        if len(truncated) + len(word) < MAX_SLUG_LENGTH:
            truncated += word + "-"
        elif len(truncated) + len(word) == MAX_SLUG_LENGTH:
            truncated += word
            break
        else:
            break
    return truncated.strip("-")


_PLAIN_SCALAR = re.compile(r"[^\W\d_][^:#\"'\[\]{}\n]*[^\s:]", re.UNICODE)


def scalar(text: str) -> str:
    """A YAML scalar: plain when safely so, else double-quoted (JSON strings are valid YAML)."""
    if _PLAIN_SCALAR.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_list(items: Sequence[str]) -> str:
    for item in items:
        if any(ch in item for ch in ",[]{}:#\"'"):
            raise ValueError(f"not a plain flow item: {item!r}")
    return "[" + ", ".join(items) + "]"


def unique(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``… whichever is still free; records it as taken.

    A numbered slug stays shorter than ``MAX_SLUG_LENGTH`` (whole words are dropped to make room),
    so that it is still a valid ``slug:``."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        words = slug.split("-")
        while len(words) > 1 and len("-".join(words)) + len(suffix) >= MAX_SLUG_LENGTH:
            words.pop()
        candidate = "-".join(words) + suffix
    taken.add(candidate)
    return candidate


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def moment(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(5, 22), rng.choice((0, 15, 30, 45)), rng.randint(0, 59))


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S") + "+07:00"


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A small truecolour PNG: a vertical gradient of ``colour``, made with zlib alone."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = bytearray()
    for y in range(height):
        shade = 0.45 + 0.55 * y / max(1, height - 1)
        rows.append(0)  # filter: none
        rows.extend(bytes(int(c * shade) for c in colour) * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


# -- the model of the corpus ----------------------------------------------------------------


@dataclass
class CampaignPlan:
    id: str
    title: str
    place: tuple[str, str]
    start: date
    end: date | None

    @property
    def last_day(self) -> date:
        return self.end or LAST_DAY


@dataclass
class Writer:
    """Vietnamese prose from the vocabulary above, drawn from one seeded generator."""

    rng: random.Random
    authors: list[str] = field(default_factory=list)

    def fill(self, template: str, place: tuple[str, str]) -> str:
        rng = self.rng
        values = {
            "place": place[0],
            "admin": place[1],
            "ward": rng.choice(WARDS),
            "hospital": rng.choice(HOSPITALS),
            "unit": rng.choice(UNITS),
            "n": self.number(),
            "tag": rng.choice(TAGS),
        }
        return template.format_map(values)

    def number(self) -> str:
        value = self.rng.choice((self.rng.randint(12, 99), self.rng.randint(100, 999), self.rng.randint(1000, 25000)))
        return f"{value:,}".replace(",", ".")  # Vietnamese thousands separator

    def sentence(self, place: tuple[str, str], when: date) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.45:
            opener = self.fill(rng.choice(OPENERS), place) + " " if rng.random() < 0.6 else ""
            subject = self.fill(rng.choice(SUBJECTS), place)
            text = f"{opener}{subject} đã {self.fill(rng.choice(PREDICATES), place)}{rng.choice(TAILS)}."
        elif kind < 0.6:
            subject = self.fill(rng.choice(SUBJECTS), place)
            figure = self.fill(rng.choice(FIGURES), place)
            since = rng.choice(SINCE).format(day=when.day, month=when.month)
            text = f"{since}, {subject} đã {figure}."
        elif kind < 0.85:
            text = rng.choice(SCENES) + "."
        else:
            speaker = f"{rng.choice(RANKS)} {person_name(rng)}, {self.fill(rng.choice(POSITIONS), place)}"
            text = f"“{rng.choice(QUOTES)}”, {speaker} {rng.choice(SAY_VERBS)}."
        return capitalize(text)

    def paragraph(self, words: int, place: tuple[str, str], when: date) -> str:
        sentences: list[str] = []
        count = 0
        while count < words:
            sentence = self.sentence(place, when)
            sentences.append(sentence)
            count += len(sentence.split())
        return " ".join(sentences)

    def bullet_list(self, place: tuple[str, str]) -> str:
        items = self.rng.sample(LIST_ITEMS, self.rng.randint(3, 5))
        lines = [f"- {self.fill(item, place)};" for item in items]
        lines[-1] = lines[-1][:-1] + "."
        intro = f"Chỉ trong một tuần, {self.fill(self.rng.choice(SUBJECTS), place)} đã:"
        return capitalize(intro) + "\n\n" + "\n".join(lines)

    def body(self, place: tuple[str, str], when: date) -> str:
        """2–6 paragraphs, sometimes a subheading or a list: 400–900 words in all."""
        rng = self.rng
        remaining = rng.randint(400, 860)  # the last sentence may overshoot by a few dozen words
        count = rng.randint(2, 6)
        extras: list[str] = []
        if rng.random() < 0.2:
            extras.append(self.bullet_list(place))
            remaining -= len(extras[-1].split())
        blocks: list[str] = []
        for left in range(count, 0, -1):
            blocks.append(self.paragraph(remaining // left, place, when))
            remaining -= len(blocks[-1].split())
        if count >= 3 and rng.random() < 0.35:
            blocks.insert(rng.randint(2, count - 1), "## " + rng.choice(HEADINGS))
        for extra in extras:
            blocks.insert(rng.randint(1, len(blocks)), extra)
        return "\n\n".join(blocks) + "\n"

    def title(self, place: tuple[str, str]) -> str:
        rng = self.rng
        actor = self.fill(rng.choice(TITLE_ACTORS), place)
        template = rng.choice(TITLE_TEMPLATES)
        text = template.replace("{actor_lower}", actor[:1].lower() + actor[1:]).replace("{actor}", actor)
        return capitalize(self.fill(text.replace("{action}", rng.choice(TITLE_ACTIONS)), place))


# -- files ----------------------------------------------------------------------------------


def mkdocs_yml() -> str:
    return f"""\
site_name: Tuyến đầu – bản thử tải
site_url: https://bench.example.vn/
theme:
  name: material
  language: vi
  custom_dir: {REPO / "overrides"}
hooks:
  - {REPO / "hooks" / "frontline_hooks.py"}
plugins: []  # search is Frontline's Pagefind index, as in the demo site
watch:
  - stories
nav:
  - Trang chủ: index.md
  - Chiến dịch: campaigns/index.md
extra:
  frontline:
    feed_id_authority: bench.example.vn
"""


def authors_yml(rng: random.Random) -> tuple[str, list[str]]:
    names: list[str] = []
    while len(names) < AUTHOR_COUNT:
        name = person_name(rng)
        if name not in names:
            names.append(name)
    taken: set[str] = set()
    lines = ["# Tác giả của bản thử tải (tạo tự động bởi scripts/gen_corpus.py).", ""]
    ids: list[str] = []
    for name in names:
        author_id = unique(slugify(name), taken)
        ids.append(author_id)
        lines += [
            f"{author_id}:",
            f"  name: {name}",
            f"  role: {rng.choice(AUTHOR_ROLES)}",
            f"  unit: {rng.choice(AUTHOR_DESKS)}",
            f"  bio: Theo dõi {rng.choice(AUTHOR_BEATS)} từ năm {rng.randint(2008, 2019)}.",
            "",
        ]
    return "\n".join(lines), ids


def plan_campaigns(rng: random.Random, count: int) -> list[CampaignPlan]:
    """``count`` campaigns spread over 2020–2025; the last one is ongoing (no end)."""
    taken: set[str] = set()
    plans: list[CampaignPlan] = []
    span = (date(2025, 6, 30) - FIRST_DAY).days
    for index in range(count):
        place = rng.choice(PROVINCES)
        ongoing = index == count - 1
        if ongoing:
            start, end = date(2025, 7, 1) + timedelta(days=rng.randint(0, 60)), None
        else:
            start = FIRST_DAY + timedelta(days=span * index // max(1, count - 1) + rng.randint(0, 20))
            end = min(start + timedelta(days=rng.randint(30, 150)), LAST_DAY)
        campaign_id = unique(f"{slugify(place[0])}-{start.year}", taken)
        title = rng.choice(CAMPAIGN_TITLES).format(place=place[0])
        plans.append(CampaignPlan(campaign_id, title, place, start, end))
    return plans


def campaign_md(plan: CampaignPlan, writer: Writer) -> str:
    rng = writer.rng
    lines = ["---", f"title: {scalar(plan.title)}", f"start: {plan.start.isoformat()}"]
    if plan.end:
        lines.append(f"end: {plan.end.isoformat()}")
    summary = f"Lực lượng Công an nhân dân cùng người dân {plan.place[0]} trên tuyến đầu chống dịch COVID-19."
    lines.append(f"summary: {scalar(summary)}")
    last = plan.last_day
    parts = rng.randint(1, 3)
    length = (last - plan.start).days + 1
    if length >= parts * 2:
        lines.append("phases:")
        for number in range(parts):
            first = plan.start + timedelta(days=length * number // parts)
            final = plan.start + timedelta(days=length * (number + 1) // parts - 1)
            lines += [
                f"  - title: {PHASE_TITLES[number if number < parts - 1 else -1]}",
                f"    start: {first.isoformat()}",
                f"    end: {final.isoformat()}",
            ]
    lines.append("milestones:")
    count = rng.randint(2, 4)
    days = sorted(random_day(rng, plan.start, last) for _ in range(count))
    for day, title in zip(days, rng.sample(MILESTONE_TITLES, count), strict=True):
        written = stamp(moment(day, rng)) if rng.random() < 0.7 else day.isoformat()
        lines += [f"  - date: {written}", f"    title: {scalar(writer.fill(title, plan.place))}"]
        if rng.random() < 0.5:
            lines.append(f"    text: {scalar(writer.paragraph(25, plan.place, day))}")
    lines += ["---", ""]
    intro = [writer.paragraph(rng.randint(60, 120), plan.place, plan.start) for _ in range(rng.randint(2, 3))]
    return "\n".join(lines) + "\n" + "\n\n".join(intro) + "\n"


@dataclass
class StoryFile:
    path: str
    text: str


def story_file(
    writer: Writer, index: int, campaign: CampaignPlan | None, month_slugs: dict[str, set[str]]
) -> StoryFile:
    rng = writer.rng
    if campaign is not None:
        day = random_day(rng, campaign.start, campaign.last_day)
        place = campaign.place if rng.random() < 0.7 else rng.choice(PROVINCES)
    else:
        months = (LAST_DAY.year - FIRST_DAY.year + 1) * 12
        month = index % months  # round robin: every month of 2020–2025 gets stories
        first = date(FIRST_DAY.year + month // 12, month % 12 + 1, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        day = random_day(rng, first, last)
        place = rng.choice(PROVINCES)
    when = moment(day, rng)
    title = writer.title(place)
    folder = f"{when:%Y/%m}"
    derived = slugify(title)
    slug = unique(derived, month_slugs.setdefault(folder, set()))
    meta = [f"title: {scalar(title)}", f"date: {stamp(when)}"]
    meta.append(f"authors: {flow_list(sorted(rng.sample(writer.authors, rng.choice((1, 1, 1, 2)))))}")
    if campaign is not None:
        meta.append(f"campaign: {campaign.id}")
    meta.append(f"location: {scalar(place[0])}")
    if rng.random() < 0.85:
        meta.append(f"unit: {scalar(rng.choice(UNITS))}")
    meta.append(f"tags: {flow_list(rng.sample(TAGS, rng.randint(1, 3)))}")
    if rng.random() < 0.2:
        meta.append(f"summary: {scalar(writer.paragraph(30, place, day))}")
    if rng.random() < 0.02:
        number = rng.randrange(IMAGE_COUNT)
        meta += [f"image: images/anh-{number + 1}.png", f"image_alt: {scalar(IMAGE_ALTS[number])}"]
        if rng.random() < 0.5:
            meta.append(f"image_caption: {scalar('Ảnh: ' + person_name(rng))}")
    if campaign is not None and rng.random() < 0.05:
        meta.append("milestone: true")
    if slug != derived or rng.random() < 0.05:
        meta.append(f"slug: {slug}")
    if rng.random() < 0.05:
        meta.append(f"updated: {stamp(when + timedelta(hours=rng.randint(1, 72)))}")
    if rng.random() < 0.005:
        meta.append("draft: true")
    text = "---\n" + "\n".join(meta) + "\n---\n\n" + writer.body(place, day)
    return StoryFile(f"stories/{folder}/{slug}.md", text)


def corpus_files(stories: int, seed: int) -> dict[str, str | bytes]:
    """Every file of the corpus, by path relative to OUT_DIR (pure: no I/O)."""
    rng = random.Random(seed)
    files: dict[str, str | bytes] = {
        MARKER: f"Generated by scripts/gen_corpus.py --stories {stories} --seed {seed}\n",
        "mkdocs.yml": mkdocs_yml(),
        "docs/index.md": "---\ntitle: Trang chủ\n---\n",
    }
    files["stories/authors.yml"], author_ids = authors_yml(rng)
    writer = Writer(rng, author_ids)
    colours = ((178, 34, 34), (30, 90, 160), (40, 130, 70), (200, 140, 20), (90, 60, 140))
    for number, colour in enumerate(colours[:IMAGE_COUNT], 1):
        files[f"docs/images/anh-{number}.png"] = png(160, 90, colour)
    campaigns = plan_campaigns(rng, max(3, round(stories / 200)))
    for plan in campaigns:
        files[f"docs/campaigns/{plan.id}.md"] = campaign_md(plan, writer)
    month_slugs: dict[str, set[str]] = {}
    for index in range(stories):
        campaign = rng.choice(campaigns) if rng.random() < 0.7 else None
        story = story_file(writer, index, campaign, month_slugs)
        files[story.path] = story.text
    return files


def clear(out: Path) -> None:
    """Empty ``out`` if it is empty or a previous corpus; refuse to touch anything else."""
    if not out.exists():
        return
    if any(out.iterdir()) and not (out / MARKER).is_file():
        raise SystemExit(f"{out} is not empty and was not made by gen_corpus.py; choose another folder.")
    for child in out.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def write_corpus(out: Path, files: dict[str, str | bytes]) -> None:
    clear(out)
    for relative in sorted(files):
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        content = files[relative]
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(unicodedata.normalize("NFC", content).encode("utf-8"))


def check_yaml(files: dict[str, str | bytes], parse: Callable[[str], object] = yaml.safe_load) -> None:
    """Fail early if a front matter we wrote does not parse (a generator bug, not a Frontline one)."""
    for relative, content in files.items():
        if isinstance(content, str) and relative.endswith(".md") and content.startswith("---\n"):
            head = content.split("\n---\n", 1)[0][4:]
            if not isinstance(parse(head), dict):
                raise ValueError(f"{relative}: front matter is not a mapping")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the project into (wiped if it holds a corpus)")
    parser.add_argument("--stories", type=int, required=True, help="number of stories (N)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="also parse every front matter with PyYAML")
    args = parser.parse_args(argv)
    if args.stories < 1:
        parser.error("--stories must be at least 1")
    started = time.perf_counter()
    files = corpus_files(args.stories, args.seed)
    if args.check:
        check_yaml(files)
    write_corpus(args.out, files)
    elapsed = time.perf_counter() - started
    stories = sum(1 for path in files if path.startswith("stories/") and path.endswith(".md"))
    campaigns = sum(1 for path in files if path.startswith("docs/campaigns/"))
    print(f"wrote {stories} stories, {campaigns} campaigns into {args.out} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
