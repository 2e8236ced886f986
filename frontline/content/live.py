"""Live coverage pages ("Trực tiếp"): reading and validating ``stories/live/<id>/``.

A live page is a folder: ``index.md`` (the page: title, start, optional end…) and one file per update, so two
reporters adding updates at once never edit the same file. Every problem is collected with its file and line, as
for stories; an update's body is scanned by the same ``BodyScan`` (so the same policy) as a story's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from frontline.content.assets import link_targets, local_path
from frontline.content.dates import DateError, parse_when
from frontline.content.frontmatter import Document, read_document
from frontline.content.loader import (
    LIVE_FOLDER,
    Layout,
    StoryReader,
    body_problems,
    files_under,
    flag_field,
    optional_text,
    title_field,
    unknown_field_message,
    unknown_id_message,
)
from frontline.content.memo import Stamp, stamp
from frontline.content.model import Author, Campaign, LivePage, LiveUpdate
from frontline.content.names import id_rules, is_valid_id
from frontline.content.problems import Problem
from frontline.content.sanitize import BodyScan

INDEX = "index.md"
PAGE_FIELDS = ("title", "campaign", "location", "start", "end", "summary", "image", "image_alt", "image_caption")
UPDATE_FIELDS = ("time", "authors", "title", "pinned", "image", "image_alt", "image_caption")
MAX_UPDATE_WORDS = 600
"""An update is a few paragraphs: a longer one is a story, and would bury the updates after it."""


_Read = tuple[Document | None, list[Problem]]
_UPDATES_READ: dict[tuple[str, str, int], tuple[Stamp, _Read]] = {}
"""Update files as last read by this process, with their stamps (``frontline.content.memo``): a preview's rebuild
after one update is saved parses that one, not the page's hundreds (they are checked again all the same)."""


def _read_update(path: Path, shown: str, max_bytes: int, seen: set[tuple[str, str, int]]) -> _Read:
    """``read_document`` of an update file, reused while the file's stamp is the same (it names a new inode, size,
    modification or status-change time); nothing read is changed by the checks that follow."""
    key = (str(path), shown, max_bytes)
    seen.add(key)
    now = stamp(path)
    kept = _UPDATES_READ.get(key)
    if kept is not None and now is not None and kept[0] == now:
        document, problems = kept[1]
        return document, list(problems)
    document, problems = read_document(path, shown, max_bytes)
    if now is not None and now == stamp(path):  # not changed while it was read
        _UPDATES_READ[key] = (now, (document, list(problems)))
    return document, problems


def live_dir(layout: Layout) -> Path:
    return layout.stories_dir / LIVE_FOLDER


def load_live_pages(
    layout: Layout,
    authors: dict[str, Author],
    campaigns: dict[str, Campaign],
    scan: BodyScan,
    problems: list[Problem],
    max_bytes: int,
) -> dict[str, LivePage]:
    """Every valid live page by id, with its valid updates newest first; each mistake appended to ``problems``."""
    folder = live_dir(layout)
    if not folder.is_dir():
        return {}
    pages: dict[str, LivePage] = {}
    seen: set[tuple[str, str, int]] = set()
    for entry in sorted(folder.iterdir()):
        shown = layout.display(entry)
        if entry.name.startswith((".", "_")):
            continue
        if not entry.is_dir():
            if entry.suffix == ".md":
                problems.append(
                    Problem(
                        shown,
                        1,
                        "tệp",
                        f"mỗi trang trực tiếp là một thư mục: hãy chuyển tệp này vào "
                        f"{layout.display(folder)}/<mã-trang>/ (tạo bằng lệnh frontline live new).",
                    )
                )
            continue
        page = _LiveReader(layout, authors, campaigns, scan, max_bytes, seen).page(entry, problems)
        if page is not None:
            pages[page.id] = page
    for gone in _UPDATES_READ.keys() - seen:  # deleted, or under another page's folder now
        del _UPDATES_READ[gone]
    return pages


class _LiveReader:
    def __init__(
        self,
        layout: Layout,
        authors: dict[str, Author],
        campaigns: dict[str, Campaign],
        scan: BodyScan,
        max_bytes: int,
        seen: set[tuple[str, str, int]] | None = None,
    ) -> None:
        self.layout, self.authors, self.campaigns, self.scan, self.max_bytes = (
            layout,
            authors,
            campaigns,
            scan,
            max_bytes,
        )
        self.seen: set[tuple[str, str, int]] = set() if seen is None else seen
        # The story reader's checks of authors and images, so that an update is held to a story's rules.
        self.fields = StoryReader(layout, authors, campaigns, scan.policy.iframe_hosts, max_bytes, scan)

    def page(self, folder: Path, problems: list[Problem]) -> LivePage | None:
        before = len(problems)
        index = folder / INDEX
        if not is_valid_id(folder.name):
            problems.append(
                Problem(
                    self.layout.display(folder),
                    1,
                    "tên thư mục",
                    f"tên thư mục là mã trang trực tiếp (trong địa chỉ /truc-tiep/<mã>/): {id_rules(folder.name)}; "
                    "hãy đổi tên thư mục.",
                )
            )
            return None
        if not index.is_file():
            problems.append(
                Problem(
                    self.layout.display(index),
                    1,
                    "index.md",
                    "thư mục trang trực tiếp cần tệp index.md (tiêu đề, thời gian bắt đầu…); "
                    f'tạo bằng: frontline live new {folder.name} "Tiêu đề"',
                )
            )
            return None
        document, found = read_document(index, self.layout.display(index), self.max_bytes)
        problems.extend(found)
        if document is None:
            return None
        head = self._head(document, index, problems)
        # A mistake in one update leaves that update out, not the page: a preview, which goes on with the valid
        # content, shows the page with its other updates (the build still refuses, as for any problem).
        head_problems = len(problems) > before
        updates = []
        for name in files_under(folder):
            path = Path(name)
            if path == index or path.suffix != ".md" or path.name.startswith((".", "_")):
                continue
            if path.parent != folder:
                problems.append(
                    Problem(
                        self.layout.display(path),
                        1,
                        "tệp",
                        "tệp cập nhật phải nằm ngay trong thư mục của trang trực tiếp, không trong thư mục con.",
                    )
                )
                continue
            update = self._update(path, head, problems)
            if update is not None:
                updates.append(update)
        if head_problems or head is None:
            return None
        updates.sort(key=lambda update: (update.time, update.id), reverse=True)
        return LivePage(id=folder.name, updates=tuple(updates), **head)

    def _head(self, doc: Document, path: Path, problems: list[Problem]) -> dict | None:
        meta = doc.meta
        for key in sorted(set(meta) - set(PAGE_FIELDS)):
            problems.append(doc.problem(key, unknown_field_message(key, PAGE_FIELDS)))
        title = title_field(doc, problems)
        start = self._moment(doc, "start", problems, required=True)
        end = self._moment(doc, "end", problems, required=False)
        if start and end and end <= start:
            problems.append(doc.problem("end", "thời điểm kết thúc (end) phải sau thời điểm bắt đầu (start)."))
        campaign = optional_text(doc, "campaign", problems)
        if campaign and campaign not in self.campaigns:
            problems.append(
                doc.problem(
                    "campaign", unknown_id_message("chiến dịch", campaign, self.campaigns, "docs/campaigns/<id>.md")
                )
            )
        summary = optional_text(doc, "summary", problems)
        if not summary:
            problems.append(doc.problem("summary", "thiếu summary: một câu giới thiệu trang trực tiếp."))
        location = optional_text(doc, "location", problems)
        image = self._image(doc, path, problems)
        problems.extend(body_problems(self.scan, doc.path, doc.body, doc.body_line))
        if doc.body.strip():
            problems.append(
                Problem(
                    doc.path,
                    doc.body_line,
                    "nội dung",
                    "index.md của trang trực tiếp chỉ có phần thông tin đầu trang; "
                    "mỗi diễn biến là một tệp cập nhật riêng (frontline live add).",
                )
            )
        if title is None or start is None or not summary:
            return None
        return {
            "source": doc.path,
            "title": title,
            "start": start,
            "end": end,
            "summary": summary,
            "location": location,
            "campaign": campaign,
            "image": image,
        }

    def _update(self, path: Path, head: dict | None, problems: list[Problem]) -> LiveUpdate | None:
        shown = self.layout.display(path)
        update_id = path.stem
        if not is_valid_id(update_id):
            problems.append(
                Problem(
                    shown,
                    1,
                    "tên tệp",
                    f"tên tệp là mã của cập nhật (neo #cap-nhat-<mã> và mã trong nguồn tin): {id_rules(update_id)}.md; "
                    "hãy đổi tên tệp.",
                )
            )
            return None
        before = len(problems)
        document, found = _read_update(path, shown, self.max_bytes, self.seen)
        problems.extend(found)
        if document is None:
            return None
        doc = document
        for key in sorted(set(doc.meta) - set(UPDATE_FIELDS)):
            problems.append(doc.problem(key, unknown_field_message(key, UPDATE_FIELDS)))
        moment = self._moment(doc, "time", problems, required=True, needs_clock=True)
        if moment is not None and head is not None:
            if moment < head["start"]:
                problems.append(
                    doc.problem(
                        "time",
                        f"cập nhật lúc {moment:%Y-%m-%dT%H:%M} trước khi trang bắt đầu "
                        f"(start: {head['start']:%Y-%m-%dT%H:%M}).",
                    )
                )
            elif head["end"] is not None and moment > head["end"]:
                problems.append(
                    doc.problem(
                        "time",
                        f"cập nhật lúc {moment:%Y-%m-%dT%H:%M} sau khi trang đã kết thúc "
                        f"(end: {head['end']:%Y-%m-%dT%H:%M}); sửa giờ hoặc dời end.",
                    )
                )
        self.fields.problems = problems
        authors = self.fields.read_authors(doc)
        title = optional_text(doc, "title", problems) or ""
        pinned = flag_field(doc, "pinned", problems)
        image = self._image(doc, path, problems)
        if not doc.body.strip():
            problems.append(Problem(shown, doc.body_line, "nội dung", "cập nhật chưa có nội dung; hãy viết vài câu."))
        elif len(doc.body.split()) > MAX_UPDATE_WORDS:
            problems.append(
                Problem(
                    shown,
                    doc.body_line,
                    "nội dung",
                    f"cập nhật dài {len(doc.body.split())} chữ, quá {MAX_UPDATE_WORDS}; "
                    "hãy viết ngắn lại hoặc viết thành một bài riêng.",
                )
            )
        problems.extend(body_problems(self.scan, doc.path, doc.body, doc.body_line))
        problems.extend(_relative_links(doc))
        if len(problems) > before or moment is None or not authors:
            return None
        return LiveUpdate(
            id=update_id,
            source=doc.path,
            time=moment,
            authors=tuple(authors),
            body=doc.body,
            title=title,
            pinned=pinned,
            image=image,
        )

    def _image(self, doc: Document, path: Path, problems: list[Problem]):
        self.fields.problems = problems
        return self.fields.read_image(doc, path)

    def _moment(
        self, doc: Document, key: str, problems: list[Problem], *, required: bool, needs_clock: bool = False
    ) -> datetime | None:
        value = doc.meta.get(key)
        if value in (None, ""):
            if required:
                problems.append(doc.problem(key, f"thiếu {key}; ví dụ: {key}: 2021-07-19T00:00 (giờ Việt Nam)."))
            return None
        try:
            moment, has_time = parse_when(value)
        except DateError as error:
            problems.append(doc.problem(key, str(error)))
            return None
        if needs_clock and not has_time:
            problems.append(doc.problem(key, f"{key} cần cả giờ phút, ví dụ: {key}: 2021-07-19T09:30."))
            return None
        return moment


def _relative_links(doc: Document) -> Iterable[Problem]:
    """A link to a file of the site (a relative path) in an update: updates are shown on their live page, in its
    feeds and in updates.json, three places where a relative link leads elsewhere, so only full addresses."""
    for target in link_targets(doc.body):
        if local_path(target) is not None:
            at = doc.body.find(target)
            line = doc.body_line + (doc.body.count("\n", 0, at) if at >= 0 else 0)
            yield Problem(
                doc.path,
                line,
                "liên kết",
                f"'{target}': trong cập nhật trực tiếp chỉ dùng liên kết đầy đủ (https://…); "
                "ảnh thì đặt ở trường image của cập nhật.",
            )
