"""Read and validate all content once, collecting every problem.

``load_content`` is the single entry point: it returns the content model and
the full list of problems, so a reporter sees every mistake in one run.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import mimetypes
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from frontline.build.fanout import map_forked
from frontline.content import urls
from frontline.content.assets import broken_links, publishable
from frontline.content.dates import DateError, parse_day, parse_when
from frontline.content.frontmatter import Document, engine_front_matter, parse_document, read_document, read_text
from frontline.content.images import RESIZABLE, plan_variants, probe
from frontline.content.layout import Layout, is_absolute_path
from frontline.content.memo import Listing, Reading, Since, StoryMemo, content_digest, looked_at, stamp
from frontline.content.model import Author, Campaign, Content, Correction, Image, Milestone, Phase, Story, pack_body
from frontline.content.names import (
    ALIAS_SEGMENT,
    alias_clash,
    docs_page_urls,
    id_rules,
    is_utf8,
    is_valid_id,
    material_templates,
    path_id_problem,
    shown_name,
    template_problem,
)
from frontline.content.problems import Problem, errors
from frontline.content.sanitize import BodyScan, MarkdownSettings, Policy, version_key
from frontline.content.slugs import is_valid_slug, slugify_vi
from frontline.content.summaries import first_paragraph_text

NEW_STORY_PLACEHOLDERS = ("Đoạn mở đầu: ai, việc gì, ở đâu, khi nào.", "Nội dung chính của bài.")
"""The body ``frontline new`` writes: a story still holding one of these lines is not ready to publish."""

STORY_FIELDS = (
    "title",
    "date",
    "authors",
    "campaign",
    "location",
    "unit",
    "tags",
    "summary",
    "image",
    "image_alt",
    "image_caption",
    "milestone",
    "draft",
    "slug",
    "id",
    "updated",
    "corrections",
    "aliases",
)
CAMPAIGN_FIELDS = ("title", "start", "end", "summary", "phases", "milestones", "template")
AUTHOR_FIELDS = ("name", "role", "unit", "bio", "avatar")
_TRUE_WORDS = {"true", "yes", "có", "1"}
_FALSE_WORDS = {"false", "no", "không", "0"}
_URI_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
DEFAULT_MAX_STORY_BYTES = 2_000_000
MAX_TITLE_CHARS = 300
MAX_AUTHORS_FILE_CHARS = 2_000_000
LIVE_FOLDER = "live"
"""Live coverage pages' folder under the stories' (``frontline.content.live``), not read as stories."""


def files_under(folder: Path, links: set[str] | None = None) -> list[str]:
    """The path of every file below ``folder``, sorted (strings: at tens of thousands of
    files, making and sorting ``Path`` objects costs more than listing them); those that are symbolic links are
    added to ``links``. A link to a folder is not followed (as ``os.walk`` does not), and added to ``links`` with a
    separator at its end."""
    found: list[str] = []
    pending = [str(folder)]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:  # gone meanwhile, or not a folder: as os.walk, nothing below it
            continue
        with entries:
            for entry in entries:
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                if is_folder:
                    if not entry.is_symlink():
                        pending.append(entry.path)
                    elif links is not None:
                        links.add(os.path.join(entry.path, ""))
                    continue
                found.append(entry.path)
                if links is not None and entry.is_symlink():
                    links.add(entry.path)
    return sorted(found)


def story_names(layout: Layout, links: set[str] | None = None) -> list[str]:
    """Every story file's path, in a stable order (README and ``_``-prefixed files are not stories, nor the live
    pages' files under ``stories/live/``); symbolic links below the folder are added to ``links`` (``files_under``)."""
    live = str(layout.stories_dir / LIVE_FOLDER) + os.sep
    return [
        name
        for name in files_under(layout.stories_dir, links)
        if name.endswith(".md")
        and not (base := os.path.basename(name)).startswith(("_", "."))
        and base != "README.md"
        and not name.startswith(live)
    ]


def campaign_files(layout: Layout) -> list[Path]:
    if not layout.campaigns_dir.is_dir():
        return []
    return sorted(path for path in layout.campaigns_dir.glob("*.md") if path.name != "index.md")


def load_content(
    layout: Layout,
    paths: Iterable[Path] | None = None,
    iframe_hosts: Iterable[str] = (),
    memo: StoryMemo | None = None,
    workers: int = 1,
    max_story_bytes: int = DEFAULT_MAX_STORY_BYTES,
    template_dirs: Iterable[Path] | None = None,
    markdown: MarkdownSettings = (),
    trusted_files: Iterable[str] = (),
    since: Since | None = None,
) -> tuple[Content, list[Problem]]:
    """Load authors, campaigns and stories; return the valid ones and every problem.

    ``paths`` restricts which story files are read (``frontline check FILE``);
    authors and campaigns are always read since stories refer to them.
    ``iframe_hosts`` are the hosts whose iframes a story body may embed; ``markdown`` the extensions bodies are
    rendered with (MkDocs' built-in ones when empty): what cleaning would remove from a body is a problem.
    With a ``memo``, unchanged story files are not read again (their problems are
    still reported), and the memo is brought up to date. Files are read in up to ``workers``
    processes when there are many (a cold build of a large archive). A story file larger than
    ``max_story_bytes`` is refused; a campaign's ``template:`` must be in ``template_dirs`` (the
    project's overrides) or Material's templates (with None, only its form is checked). A page, an SVG or a
    script in docs/ is a problem unless it is one of ``trusted_files`` (named by the configuration). ``since``: what
    a watcher saw change since the memo's last load in this process (a preview's rebuild), which spares listing and
    looking at the files it vouches for."""
    problems: list[Problem] = []
    hosts = frozenset(iframe_hosts)
    scan = BodyScan(Policy(hosts), markdown)
    authors = load_authors(layout, problems)
    campaigns = load_campaigns(layout, problems, template_dirs, scan)
    scan_pages(layout, scan, problems, template_dirs)
    problems.extend(_links_out_of(layout))
    docs_links: set[str] = set()
    docs_names = files_under(layout.docs_dir, docs_links)
    docs_pages = docs_page_urls(layout.docs_dir, docs_names)
    docs_files = frozenset(
        Path(name).relative_to(layout.docs_dir).as_posix() for name in docs_names if not name.endswith(".md")
    )
    problems.extend(_active_docs_files(layout, docs_files, trusted_files))
    problems.extend(_docs_files_the_build_writes(layout, docs_files))
    reader = StoryReader(layout, authors, campaigns, hosts, max_story_bytes, scan)
    stories_root = os.path.join(str(layout.stories_dir), "")
    if paths is not None or (memo is not None and memo.listing is not None and memo.listing.roots != (stories_root,)):
        since = None  # a check of the files named, or the configuration names another folder since the last load
    listed = False
    if paths is not None:
        files = [str(path) for path in paths]
    elif memo is not None and memo.listing is not None and since is not None and not since.listing:
        files = memo.listing.files  # no file created, deleted or moved since the last load
    else:
        links: set[str] = set()
        files = story_names(layout, links)
        listed = True
        if memo is not None:
            memo.listing = Listing(
                (stories_root,),
                files,
                frozenset(link for link in links if not link.endswith(os.sep)),
                tuple(link for link in links if link.endswith(os.sep)),
            )
    if memo is not None:
        memo.use_root(layout.root)
        memo.use_context(_reading_context(layout, authors, campaigns, hosts, max_story_bytes, scan.markdown))
    seen = (  # what ``since`` can vouch for: the stories' folder as listed, docs/ as listed now
        memo.listing.with_folder(os.path.join(str(layout.docs_dir), ""), docs_links)
        if memo is not None and memo.listing is not None and since is not None
        else None
    )
    readings = {name: memo.get(name, since, seen) if memo is not None else None for name in files}
    unread = [name for name, reading in readings.items() if reading is None]
    if memo is not None:
        memo.read = len(unread)
    fresh = map_forked(lambda name: reader.reading(Path(name)), unread, workers=workers, min_per_worker=250)
    for name, reading in zip(unread, fresh, strict=True):
        readings[name] = reading
        if memo is not None:
            memo.put(name, reading)
    stories: list[Story] = []
    for reading in readings.values():
        assert reading is not None
        problems.extend(reading.problems)
        if reading.story is not None:
            stories.append(reading.story)
    if memo is not None and listed:
        memo.keep_only(set(files))
    _check_unique(stories, problems)
    _check_aliases_against_pages(stories, docs_pages, docs_files, layout, problems)
    stories.sort(key=lambda story: (story.date, story.id), reverse=True)
    from frontline.content.live import load_live_pages  # it reads with this module's helpers

    live = load_live_pages(layout, authors, campaigns, scan, problems, max_story_bytes)
    return Content(stories=stories, campaigns=campaigns, authors=authors, live=live), problems


def _reading_context(
    layout: Layout,
    authors: dict[str, Author],
    campaigns: dict[str, Campaign],
    iframe_hosts: frozenset[str],
    max_story_bytes: int,
    markdown: MarkdownSettings,
) -> str:
    """Everything a story's reading depends on besides its own file (see ``StoryMemo``)."""
    described = repr(
        (
            [layout.display(layout.stories_dir), layout.display(layout.docs_dir)],  # not where the project is
            sorted(authors.items()),
            sorted(campaigns.items()),
            sorted(iframe_hosts),
            max_story_bytes,
            markdown,
            version_key(),
        )
    )
    return hashlib.blake2b(described.encode("utf-8"), digest_size=16).hexdigest()


# -- authors ------------------------------------------------------------------------------


def load_authors(layout: Layout, problems: list[Problem]) -> dict[str, Author]:
    path = layout.authors_file
    shown = layout.display(path)
    if not path.exists():
        problems.append(Problem(shown, 1, "authors", "chưa có tệp danh sách tác giả stories/authors.yml."))
        return {}
    file_text, found = read_text(path, shown)
    problems.extend(found)
    if file_text is None:
        return {}
    document, found = parse_document("---\n" + file_text + "\n---\n", shown, max_chars=MAX_AUTHORS_FILE_CHARS)
    # parse_document counts the added opening line; shift lines back to the file's own.
    problems.extend(Problem(p.path, max(1, p.line - 1), p.field, p.message) for p in found)
    if document is None:
        return {}
    authors: dict[str, Author] = {}
    for author_id, data in document.meta.items():
        line = max(1, document.line_of(author_id) - 1)
        if not is_valid_id(author_id):
            problems.append(
                Problem(shown, line, author_id, f"mã tác giả '{author_id}' không hợp lệ: {id_rules(author_id)}.")
            )
            continue
        if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
            problems.append(Problem(shown, line, author_id, "mỗi tác giả cần ít nhất 'name: Họ và tên'."))
            continue
        unknown = sorted(set(data) - set(AUTHOR_FIELDS))
        for key in unknown:
            problems.append(Problem(shown, line, f"{author_id}.{key}", unknown_field_message(key, AUTHOR_FIELDS)))
        authors[author_id] = Author(
            id=author_id,
            name=data["name"].strip(),
            role=str(data.get("role") or ""),
            unit=str(data.get("unit") or ""),
            bio=str(data.get("bio") or ""),
            avatar=data.get("avatar"),
        )
    return authors


# -- campaigns ----------------------------------------------------------------------------


def load_campaigns(
    layout: Layout,
    problems: list[Problem],
    template_dirs: Iterable[Path] | None = None,
    scan: BodyScan | None = None,
) -> dict[str, Campaign]:
    """Every campaign page; with a ``scan``, what cleaning would remove from an intro is a problem too."""
    campaigns: dict[str, Campaign] = {}
    for path in campaign_files(layout):
        shown = layout.display(path)
        if not is_valid_id(path.stem):
            problems.append(
                Problem(
                    shown,
                    1,
                    "tên tệp",
                    f"tên tệp là mã chiến dịch (trong địa chỉ trang): {id_rules(path.stem)}.md; hãy đổi tên tệp.",
                )
            )
            continue
        document, found = read_document(path, shown)
        problems.extend(found)
        if document is None:
            continue
        # MkDocs renders the page from its own reading of the file: where that reads no front matter, the fields
        # would show as the introduction's text, unchecked.
        text, _ = read_text(path, shown)
        if text is not None and not found and engine_front_matter(text, shown)[0] is None:
            problems.append(
                Problem(
                    shown,
                    1,
                    "front matter",
                    "MkDocs không đọc được phần thông tin đầu trang này (thường là một ngày không có thật, ví dụ "
                    "2021-02-30, hay một giá trị YAML viết sai); hãy sửa giá trị đó hoặc đặt nó trong ngoặc kép.",
                )
            )
            continue
        campaign = _campaign_from(document, path.stem, problems, template_dirs, scan)
        if campaign is not None:
            campaigns[campaign.id] = campaign
    return campaigns


def _campaign_from(
    doc: Document,
    campaign_id: str,
    problems: list[Problem],
    template_dirs: Iterable[Path] | None = None,
    scan: BodyScan | None = None,
) -> Campaign | None:
    before = len(problems)
    if scan is not None:
        problems.extend(body_problems(scan, doc.path, doc.body, doc.body_line))
    meta = doc.meta
    for key in sorted(set(meta) - set(CAMPAIGN_FIELDS)):
        problems.append(doc.problem(key, unknown_field_message(key, CAMPAIGN_FIELDS)))
    if meta.get("template") not in (None, "") and (wrong := template_problem(meta["template"], template_dirs)):
        problems.append(doc.problem("template", wrong))
    title = title_field(doc, problems)
    start = _day(doc, "start", problems, required=True)
    end = _day(doc, "end", problems, required=False)
    if start and end and end < start:
        problems.append(doc.problem("end", f"ngày kết thúc {end} trước ngày bắt đầu {start}."))
    phases = _phases(doc, start, end, problems)
    milestones = _milestones(doc, problems)
    if len(problems) > before or title is None or start is None:
        return None
    return Campaign(
        id=campaign_id,
        source=doc.path,
        title=title,
        start=start,
        end=end,
        summary=optional_text(doc, "summary", problems) or "",
        phases=phases,
        milestones=milestones,
    )


def _phases(doc: Document, start, end, problems: list[Problem]) -> tuple[Phase, ...]:
    items = doc.meta.get("phases") or []
    if not isinstance(items, list):
        problems.append(doc.problem("phases", "phases phải là một danh sách các đợt {title, start, end}."))
        return ()
    phases: list[Phase] = []
    for number, item in enumerate(items, 1):
        where = f"phases[{number}]"
        if not isinstance(item, dict) or not all(item.get(key) for key in ("title", "start", "end")):
            problems.append(Problem(doc.path, doc.line_of("phases"), where, "mỗi đợt cần title, start và end."))
            continue
        try:
            phase = Phase(str(item["title"]).strip(), parse_day(item["start"]), parse_day(item["end"]))
        except DateError as error:
            problems.append(Problem(doc.path, doc.line_of("phases"), where, str(error)))
            continue
        if phase.end < phase.start:
            problems.append(Problem(doc.path, doc.line_of("phases"), where, "ngày kết thúc trước ngày bắt đầu."))
            continue
        if (start and phase.start < start) or (end and phase.end > end):
            problems.append(
                Problem(doc.path, doc.line_of("phases"), where, "đợt cao điểm phải nằm trong thời gian của chiến dịch.")
            )
        phases.append(phase)
    phases.sort(key=lambda phase: phase.start)
    for earlier, later in zip(phases, phases[1:], strict=False):
        if later.start <= earlier.end:
            problems.append(
                Problem(
                    doc.path,
                    doc.line_of("phases"),
                    "phases",
                    f"hai đợt '{earlier.title}' và '{later.title}' chồng lên nhau.",
                )
            )
    return tuple(phases)


def _milestones(doc: Document, problems: list[Problem]) -> tuple[Milestone, ...]:
    items = doc.meta.get("milestones") or []
    if not isinstance(items, list):
        problems.append(doc.problem("milestones", "milestones phải là một danh sách {date, title, text}."))
        return ()
    milestones: list[Milestone] = []
    for number, item in enumerate(items, 1):
        where = f"milestones[{number}]"
        if not isinstance(item, dict) or not item.get("date") or not str(item.get("title") or "").strip():
            problems.append(Problem(doc.path, doc.line_of("milestones"), where, "mỗi mốc cần date và title."))
            continue
        try:
            moment, has_time = parse_when(item["date"])
        except DateError as error:
            problems.append(Problem(doc.path, doc.line_of("milestones"), where, str(error)))
            continue
        milestones.append(Milestone(moment, has_time, str(item["title"]).strip(), str(item.get("text") or "").strip()))
    return tuple(sorted(milestones, key=lambda milestone: milestone.date))


# -- stories ------------------------------------------------------------------------------


class StoryReader:
    """Reads one story file at a time; ``problems`` and ``looked_at`` are that file's."""

    def __init__(
        self,
        layout: Layout,
        authors: dict[str, Author],
        campaigns: dict[str, Campaign],
        iframe_hosts: frozenset[str] = frozenset(),
        max_story_bytes: int = DEFAULT_MAX_STORY_BYTES,
        scan: BodyScan | None = None,
    ) -> None:
        self.iframe_hosts = iframe_hosts
        self.max_story_bytes = max_story_bytes
        self.scan = scan or BodyScan(Policy(iframe_hosts))
        self.layout = layout
        self.authors = authors
        self.campaigns = campaigns
        self.problems: list[Problem] = []
        self.looked_at: list[Path] = []

    def reading(self, path: Path) -> Reading:
        """Read one story file: its story (if it has no problems), problems and the files it looked at."""
        file_stamp = stamp(path)  # before reading: a save during the read makes the next build read again
        digest = content_digest(path)
        self.problems, self.looked_at = [], []
        document, found = read_document(path, self.layout.display(path), self.max_story_bytes)
        self.problems.extend(found)
        story = self._story_from(document, path) if document is not None else None
        return Reading(
            stamp=file_stamp,
            digest=digest,
            looked_at=looked_at(self.layout.root, self.looked_at),
            story=story if not errors(self.problems) else None,
            problems=tuple(self.problems),
        )

    def _story_from(self, doc: Document, path: Path) -> Story | None:
        problems = self.problems
        meta = doc.meta
        for key in sorted(set(meta) - set(STORY_FIELDS)):
            problems.append(doc.problem(key, unknown_field_message(key, STORY_FIELDS)))
        title = title_field(doc, problems)
        moment = has_time = None
        if meta.get("date") in (None, ""):
            problems.append(doc.problem("date", "thiếu ngày đăng. Thêm ví dụ: date: 2021-08-20T09:30"))
        else:
            try:
                moment, has_time = parse_when(meta["date"])
            except DateError as error:
                problems.append(doc.problem("date", str(error)))
        updated = None
        if meta.get("updated") not in (None, ""):
            try:
                updated, _ = parse_when(meta["updated"])
            except DateError as error:
                problems.append(doc.problem("updated", str(error)))
            if updated and moment and updated < moment:
                problems.append(doc.problem("updated", "ngày cập nhật không thể trước ngày đăng (date)."))
        authors = self.read_authors(doc)
        campaign = optional_text(doc, "campaign", problems)
        if campaign and campaign not in self.campaigns:
            problems.append(
                doc.problem(
                    "campaign", unknown_id_message("chiến dịch", campaign, self.campaigns, "docs/campaigns/<id>.md")
                )
            )
        if campaign in self.campaigns and moment is not None:
            problems.extend(_outside_campaign(doc, self.campaigns[campaign], moment.date()))
        slug = self._slug(doc, title)
        story_id = self._story_id(doc, path)
        image = self.read_image(doc, path)
        tags = _text_list(doc, "tags", problems)
        milestone = flag_field(doc, "milestone", problems)
        draft = flag_field(doc, "draft", problems)
        given_summary = optional_text(doc, "summary", problems)
        location = optional_text(doc, "location", problems)
        unit = optional_text(doc, "unit", problems)
        for key, names in (("tags", tags), ("location", [location]), ("unit", [unit])):
            for name in names:
                if name and not slugify_vi(name):
                    problems.append(doc.problem(key, _no_slug_message(name)))
        corrections = self._corrections(doc)
        aliases = self._aliases(doc)
        problems.extend(body_problems(self.scan, doc.path, doc.body, doc.body_line))
        if not draft:
            problems.extend(_placeholders(doc))
        links, looked = broken_links(doc.body, doc.path, self.layout)
        self.looked_at.extend(Path(path) for path in looked)
        for line, message in links:
            problems.append(Problem(doc.path, doc.body_line + line - 1, "liên kết", message))
        if title is None or moment is None or not authors or slug is None:
            return None
        return Story(
            id=story_id,
            source=doc.path,
            title=title,
            date=moment,
            has_time=bool(has_time),
            authors=tuple(authors),
            slug=slug,
            packed_body=pack_body(doc.body),
            summary=given_summary or first_paragraph_text(doc.body),
            summary_given=bool(given_summary),
            campaign=campaign,
            location=location,
            unit=unit,
            tags=tuple(tags),
            image=image,
            milestone=milestone,
            draft=draft,
            updated=updated,
            corrections=corrections,
            aliases=aliases,
        )

    def _corrections(self, doc: Document) -> tuple[Correction, ...]:
        items = doc.meta.get("corrections") or []
        if not isinstance(items, list):
            items = [None]
        corrections: list[Correction] = []
        for number, item in enumerate(items, 1):
            if not isinstance(item, dict) or not item.get("date") or not str(item.get("text") or "").strip():
                self.problems.append(
                    doc.problem(
                        "corrections", f"đính chính thứ {number} cần dạng {{date: 2021-08-21, text: Nội dung}}."
                    )
                )
                continue
            try:
                moment, _ = parse_when(item["date"])
            except DateError as error:
                self.problems.append(doc.problem("corrections", f"đính chính thứ {number}: {error}"))
                continue
            corrections.append(Correction(moment, " ".join(str(item["text"]).split())))
        return tuple(sorted(corrections, key=lambda correction: correction.date))

    def _aliases(self, doc: Document) -> tuple[str, ...]:
        aliases: list[str] = []
        for written in _text_list(doc, "aliases", self.problems):
            alias = normalize_alias(written)
            if alias is None:
                self.problems.append(
                    doc.problem(
                        "aliases",
                        f"'{written}' không phải đường dẫn cũ hợp lệ: viết dạng 2021/08/ten-cu/ "
                        "(tương đối so với gốc trang, không có '..', không có http://; chỉ dùng chữ, số, "
                        "dấu - . _ ~ và mã %XX, không có khoảng trắng, dấu ngoặc kép hay < >).",
                    )
                )
            elif clash := alias_clash(alias):
                self.problems.append(
                    doc.problem(
                        "aliases",
                        f"đường dẫn cũ '{written}' không dùng được: {clash}, một bài không thể chuyển hướng từ đó.",
                    )
                )
            else:
                aliases.append(alias)
        return tuple(aliases)

    def read_authors(self, doc: Document) -> list[str]:
        """The document's valid author ids; each mistake appended to ``problems`` (a live update's too)."""
        if doc.meta.get("authors") in (None, "", []):
            self.problems.append(
                doc.problem(
                    "authors", "thiếu tác giả. Thêm ví dụ: authors: [nguyen-thu-ha] (mã trong stories/authors.yml)."
                )
            )
            return []
        ids = _text_list(doc, "authors", self.problems)
        for author_id in ids:
            if author_id not in self.authors:
                self.problems.append(
                    doc.problem(
                        "authors", unknown_id_message("tác giả", author_id, self.authors, "stories/authors.yml")
                    )
                )
        return ids

    def _slug(self, doc: Document, title: str | None) -> str | None:
        written = doc.meta.get("slug")
        if written in (None, ""):
            slug = slugify_vi(title or "")
            if title and not slug:
                self.problems.append(
                    doc.problem("title", "không tạo được đường dẫn từ tiêu đề; thêm trường slug: ten-bai-viet.")
                )
                return None
            return slug or None
        if not isinstance(written, str) or not is_valid_slug(written):
            suggestion = slugify_vi(str(written))
            self.problems.append(
                doc.problem(
                    "slug",
                    f"slug '{written}' không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu '-', "
                    f"không có '/' hay '..'" + (f"; ví dụ: {suggestion}" if suggestion else "") + ".",
                )
            )
            return None
        return written

    def _story_id(self, doc: Document, path: Path) -> str:
        written = doc.meta.get("id")
        if written not in (None, ""):
            text = str(written).strip()
            if not text or any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in text):
                self.problems.append(doc.problem("id", "id không được chứa khoảng trắng hay ký tự điều khiển."))
            return text
        stories_dir = self.layout.stories_dir
        relative = (
            path.relative_to(stories_dir)
            if path.is_relative_to(stories_dir)
            else path.resolve().relative_to(stories_dir)
        )
        derived = relative.with_suffix("").as_posix()
        if wrong := path_id_problem(derived):
            self.problems.append(Problem(doc.path, 1, "id", wrong))
        return derived

    def read_image(self, doc: Document, path: Path) -> Image | None:
        """The document's picture, checked as a story's; each mistake appended to ``problems``."""
        written = doc.meta.get("image")
        if written in (None, ""):
            return None
        if not isinstance(written, str):
            self.problems.append(doc.problem("image", "image phải là đường dẫn tới tệp ảnh, ví dụ images/anh.jpg."))
            return None
        if is_absolute_path(written) or _URI_SCHEME.match(written):
            self.problems.append(
                doc.problem(
                    "image",
                    f"'{written}' là đường dẫn tuyệt đối; hãy dùng đường dẫn tương đối so với bài viết, "
                    "ví dụ images/anh.jpg.",
                )
            )
            return None
        root = self.layout.root
        candidates = [(path.parent / written).resolve(), (self.layout.docs_dir / written).resolve()]
        self.looked_at.extend(candidates)
        if any(not candidate.is_relative_to(root) for candidate in candidates):
            self.problems.append(
                doc.problem("image", f"'{written}' trỏ ra ngoài thư mục dự án; ảnh phải nằm trong stories/ hoặc docs/.")
            )
            return None
        found = next((candidate for candidate in candidates if candidate.is_file()), None)
        if found is None:
            self.problems.append(
                doc.problem(
                    "image",
                    f"không tìm thấy ảnh '{written}' (tìm cạnh bài viết và trong docs/). "
                    "Kiểm tra tên tệp, kể cả chữ hoa/thường.",
                )
            )
            return None
        alt = optional_text(doc, "image_alt", self.problems)
        if not alt:
            self.problems.append(
                doc.problem("image_alt", "ảnh đầu bài cần mô tả cho người khiếm thị: thêm image_alt: <mô tả ảnh>.")
            )
            return None
        if found.is_relative_to(self.layout.stories_dir):
            site_path = "stories/" + found.relative_to(self.layout.stories_dir).as_posix()
        elif found.is_relative_to(self.layout.docs_dir):
            site_path = found.relative_to(self.layout.docs_dir).as_posix()
        else:  # in the project, beside them (its config file…): not published
            self.problems.append(
                doc.problem(
                    "image", f"'{written}' nằm ngoài stories/ và docs/; ảnh phải nằm trong một trong hai thư mục đó."
                )
            )
            return None
        media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if not media_type.startswith("image/") or not publishable(found.name):
            # SVG is an image that can carry script: opened at its own address, it would run it on the site's origin.
            self.problems.append(
                doc.problem(
                    "image", f"'{written}' không dùng làm ảnh đầu bài được: cần ảnh JPEG, PNG, WebP, GIF hoặc AVIF."
                )
            )
            return None
        dimensions = probe(found) if media_type != "image/svg+xml" else None
        if media_type in RESIZABLE and dimensions is None:
            self.problems.append(doc.problem("image", f"không đọc được ảnh '{written}': tệp hỏng hoặc sai định dạng."))
            return None
        width, height = dimensions or (None, None)
        return Image(
            site_path=site_path,
            file_path=self.layout.display(found),
            alt=alt,
            caption=optional_text(doc, "image_caption", self.problems) or "",
            size=found.stat().st_size,
            media_type=media_type,
            width=width,
            height=height,
            variants=plan_variants(site_path, width, media_type) if width else (),
        )


def _links_out_of(layout: Layout) -> list[Problem]:
    """Symbolic links in docs/ that lead out of the project (MkDocs copies what they point at into the site, so a
    link to a folder of the build machine's would publish it), and names holding control characters (a newline in
    a name would add lines to the headers file a publish writes)."""
    root = layout.root.resolve()
    found = []
    for folder, folders, files in os.walk(layout.docs_dir):
        for name in [*folders, *files]:
            path = Path(folder, name)
            if not is_utf8(name):
                found.append(
                    Problem(
                        shown_name(layout.display(path)),
                        1,
                        "tệp",
                        "tên tệp không phải chữ UTF-8 (có lẽ chép từ máy dùng bảng mã khác): địa chỉ của nó trên trang "
                        "không viết được. Hãy đổi tên tệp (chữ tiếng Việt có dấu vẫn được).",
                    )
                )
            elif any(ord(character) < 32 or ord(character) == 127 for character in name):
                found.append(
                    Problem(
                        layout.display(path).encode("unicode_escape").decode("ascii"),
                        1,
                        "tệp",
                        "tên tệp có ký tự điều khiển (xuống dòng, tab…): máy chủ sẽ đọc sai các dòng cấu hình viết "
                        "tên này (_headers). Hãy đổi tên tệp.",
                    )
                )
            elif path.is_symlink() and not path.resolve().is_relative_to(root):
                found.append(
                    Problem(
                        layout.display(path),
                        1,
                        "tệp",
                        "là liên kết tượng trưng trỏ ra ngoài dự án: nội dung ở đó sẽ bị chép lên trang. "
                        "Hãy xoá liên kết, hoặc chép tệp thật vào docs/.",
                    )
                )
    return found


def _outside_campaign(doc: Document, campaign: Campaign, day: date) -> list[Problem]:
    if campaign.start <= day and (campaign.end is None or day <= campaign.end):
        return []
    span = f"{campaign.start:%d/%m/%Y}" + (f"–{campaign.end:%d/%m/%Y}" if campaign.end else " đến nay")
    problem = doc.problem(
        "date",
        f"ngày đăng {day:%d/%m/%Y} nằm ngoài thời gian của chiến dịch '{campaign.id}' ({span}); "
        "kiểm tra lại ngày đăng hoặc mã chiến dịch.",
    )
    return [replace(problem, warning=True)]


def _placeholders(doc: Document) -> list[Problem]:
    return [
        Problem(
            doc.path,
            doc.body_line + number,
            "nội dung",
            "đoạn mẫu của frontline new vẫn còn; hãy viết nội dung bài thay cho nó (hoặc giữ draft: true).",
        )
        for number, line in enumerate(doc.body.split("\n"))
        if line.strip() in NEW_STORY_PLACEHOLDERS
    ]


def body_problems(scan: BodyScan, shown: str, body: str, body_line: int) -> list[Problem]:
    """What cleaning would remove from ``body``'s HTML, on the lines of the file it is written on."""
    return [
        Problem(shown, body_line + finding.line - 1, "nội dung", finding.message) for finding in scan.findings(body)
    ]


FRONTLINE_TEMPLATES = frozenset(
    {"story.html", "section.html", "sections.html", "campaign.html", "campaigns.html", "home.html", "search.html"}
    | {"subscribe.html", "redirect.html", "search-record.html", "live.html"}
)
"""Templates of the pages Frontline makes, which print what it gives them: a page of docs/ naming one breaks."""


def _page_front_matter_problems(text: str, shown: str, template_dirs: Iterable[Path] | None) -> list[Problem]:
    """What MkDocs or Material would fail on in a docs/ page's front matter: a ``template:`` that is not a page
    template of the site, an ``icon:`` Material does not have."""
    if not text.startswith("---\n"):
        return []
    document, _ = parse_document(text, shown)
    if document is None:
        return []
    found = []
    template = document.meta.get("template")
    if template is not None:
        if template in FRONTLINE_TEMPLATES:
            message = f"'{template}' là mẫu của trang Frontline tự tạo, không dùng cho trang docs/; hãy xóa dòng này."
        else:
            message = template_problem(template, template_dirs)
        if message:
            found.append(document.problem("template", message))
    icon = document.meta.get("icon")
    if icon is not None and not _icon_exists(icon, template_dirs):
        found.append(
            document.problem(
                "icon", f"không có biểu tượng '{icon}' trong giao diện Material; ví dụ icon: material/newspaper."
            )
        )
    return found


def _icon_exists(icon: object, template_dirs: Iterable[Path] | None) -> bool:
    if not isinstance(icon, str) or not re.fullmatch(r"[a-z0-9-]+(?:/[a-z0-9._-]+)+", icon) or ".." in icon:
        return False
    folders = [*(template_dirs or ()), material_templates()]
    return any(folder is not None and (Path(folder) / ".icons" / f"{icon}.svg").is_file() for folder in folders)


def scan_pages(
    layout: Layout, scan: BodyScan, problems: list[Problem], template_dirs: Iterable[Path] | None = None
) -> None:
    """The editors' Markdown pages in docs/ (campaign pages are read with the campaigns): the build cleans them
    as it cleans stories, so what it would remove is reported the same way; and their front matter's
    ``template:`` and ``icon:`` are checked, which MkDocs and Material take as they are."""
    campaigns = {str(path) for path in campaign_files(layout)}
    for name in files_under(layout.docs_dir) if layout.docs_dir.is_dir() else []:
        if not name.endswith(".md") or name in campaigns or "/." in name.replace(os.sep, "/"):
            continue
        path = Path(name)
        shown = layout.display(path)
        text, found = read_text(path, shown)
        problems.extend(found)
        if text is None:
            continue
        problems.extend(_page_front_matter_problems(text, shown, template_dirs))
        # The body MkDocs renders: after the front matter if it reads one, else the whole text, block included.
        end, refused = engine_front_matter(text, shown) if not found else (None, None)
        if refused is not None:
            problems.append(refused)
            continue
        body, body_line = (text, 1) if end is None else ("\n".join(text.split("\n")[end:]), end + 1)
        problems.extend(body_problems(scan, shown, body, body_line))


def normalize_alias(written: str) -> str | None:
    """An old address as a site-relative path: ``/2021/08/cu`` → ``2021/08/cu/``,
    ``/tin/cu.html`` stays a file. ``None`` for absolute URLs or paths escaping the site."""
    text = written.strip()
    if not text or _URI_SCHEME.match(text) or text.startswith("//") or any(ch in text for ch in "\\?#"):
        return None
    parts = [part for part in text.strip("/").split("/") if part not in ("", ".")]
    if not parts or ".." in parts or not all(ALIAS_SEGMENT.fullmatch(part) for part in parts):
        return None
    if parts[-1] == "index.html":
        parts.pop()
    elif parts[-1].endswith((".html", ".htm")):
        return "/".join(parts)
    return "/".join(parts) + "/" if parts else None


def redirect_file(alias: str) -> str:
    """The file an alias is published as."""
    return alias if alias.endswith((".html", ".htm")) else alias + "index.html"


ACTIVE_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml", ".xht", ".xml", ".svg", ".svgz", ".js", ".mjs"})
"""Files that run script when opened at their own address on the site's origin (MkDocs copies docs/ files as is)."""


FEED_FOLDERS = frozenset({urls.CAMPAIGNS, urls.LIVE, *urls.SECTION_ROOTS.values()})
"""Folders whose sub-folders get feeds and exports of their own (a campaign's, a live page's, a section's)."""
CHANNEL_FILES = frozenset(
    {urls.RSS_FILE, urls.ATOM_FILE, urls.JSON_FEED_FILE, urls.TIMELINE_FILE, urls.LIVE_UPDATES_FILE}
)
ROOT_FILES = frozenset(
    {
        urls.RSS_FILE,
        urls.ATOM_FILE,
        urls.JSON_FEED_FILE,
        urls.OPML,
        urls.ROBOTS,
        urls.SITEMAP,
        urls.SITEMAP_GZ,
        urls.NEWS_SITEMAP,
    }
)
BUILD_FOLDERS = frozenset({urls.PREVIEW_FOLDER, urls.SEARCH_BUNDLE_FOLDER, urls.SITEMAP_FOLDER})


def _docs_files_the_build_writes(layout: Layout, docs_files: frozenset[str]) -> list[Problem]:
    """A docs/ file where the build writes one of its own (a feed, ``robots.txt``, the search bundle, the preview's
    problem list) would be replaced without a word after MkDocs copied it: say so instead."""
    found = []
    for name in sorted(docs_files):
        parts = name.split("/")
        if (
            parts[0] in BUILD_FOLDERS
            or (len(parts) == 1 and parts[0] in ROOT_FILES)
            or (len(parts) == 3 and parts[0] in FEED_FOLDERS and parts[2] in CHANNEL_FILES)
        ):
            found.append(
                Problem(
                    layout.display(layout.docs_dir / name),
                    1,
                    "tệp",
                    f"Frontline tự tạo tệp /{name} khi dựng trang, nên tệp này sẽ bị ghi đè: hãy đổi tên hoặc "
                    "chuyển nó sang thư mục khác (robots.txt, bản tin RSS và sơ đồ trang do Frontline viết).",
                )
            )
    return found


def _active_docs_files(layout: Layout, docs_files: frozenset[str], trusted: Iterable[str]) -> list[Problem]:
    """docs/ is content too: a page, an SVG or a script there is published as is and runs on the site's origin.
    Only the files the configuration names (``extra_javascript``, the theme's logo…) may be such files."""
    allowed = {name.lstrip("/") for name in trusted}
    return [
        Problem(
            layout.display(layout.docs_dir / name),
            1,
            "tệp",
            f"tệp {Path(name).suffix} trong docs/ được chép nguyên vào trang, và trang web, ảnh SVG hay mã JavaScript "
            "ở đó chạy trên tên miền của trang: hãy viết nội dung thành trang Markdown (.md), dùng ảnh PNG/JPEG/WebP, "
            "hoặc, nếu ban biên tập tin tệp này, khai báo nó trong mkdocs.yml (extra_javascript, theme.logo…).",
        )
        for name in sorted(docs_files)
        if Path(name).suffix.lower() in ACTIVE_SUFFIXES and name not in allowed
    ]


def configured_files(config: Any) -> frozenset[str]:
    """The files of docs/ the configuration names (theme logo and favicon, ``extra_css``, ``extra_javascript``,
    ``extra.frontline.logo``): trusted as the configuration is. ``config`` is mkdocs.yml as read (a mapping),
    or MkDocs' validated config."""
    named: list[Any] = []
    theme = config.get("theme")
    for key in ("logo", "favicon"):
        with contextlib.suppress(KeyError, TypeError):
            named.append(theme[key] if theme is not None and not isinstance(theme, str) else None)
    for key in ("extra_css", "extra_javascript"):
        for item in config.get(key) or []:
            named.append(item.get("path") if isinstance(item, dict) else getattr(item, "path", item))
    extra = config.get("extra")
    frontline = extra.get("frontline") if isinstance(extra, dict) else None
    if isinstance(frontline, dict):
        named.append(frontline.get("logo"))
    return frozenset(str(name).lstrip("/") for name in named if isinstance(name, str) and name)


def _check_aliases_against_pages(
    stories: list[Story],
    docs_pages: frozenset[str],
    docs_files: frozenset[str],
    layout: Layout,
    problems: list[Problem],
) -> None:
    """An alias may not take a page or a file of docs/. Checked after reading, not in each story's reading: the
    memo then does not read every story again when an editor adds a page."""
    bad = set()
    for story in stories:
        for alias in story.aliases:
            clash = alias_clash(alias, docs_pages)
            if clash is None and redirect_file(alias) in docs_files:
                clash = f"/{redirect_file(alias)} là một tệp của docs/"
            if clash:
                try:
                    text = (layout.root / story.source).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    text = ""
                at = text.find(alias.strip("/"))
                line = text.count("\n", 0, at) + 1 if at != -1 else 1
                message = f"đường dẫn cũ '{alias}' không dùng được: {clash}, một bài không thể chuyển hướng từ đó."
                problems.append(Problem(story.source, line, "aliases", message))
                bad.add(story.source)
    stories[:] = [story for story in stories if story.source not in bad]


def _check_unique(stories: list[Story], problems: list[Problem]) -> None:
    """Ids and URLs are claimed once: by a story's own URL first, then by aliases."""
    ordered = sorted(stories, key=lambda story: story.source)
    by_id: dict[str, Story] = {}
    by_url: dict[str, Story] = {}
    bad: set[str] = set()
    for story in ordered:
        if (first := by_id.setdefault(story.id, story)) is not story:
            problems.append(
                Problem(
                    story.source, 1, "id", f"id '{story.id}' đã được dùng cho {first.source}; mỗi bài cần một id riêng."
                )
            )
            bad.add(story.source)
        if (first := by_url.setdefault(story.url, story)) is not story:
            problems.append(
                Problem(
                    story.source,
                    1,
                    "slug",
                    f"slug '{story.slug}' trùng với {first.source} (cùng đường dẫn /{story.url}); "
                    "đặt slug khác cho một trong hai bài.",
                )
            )
            bad.add(story.source)
    claimed = dict(by_url)
    for story in ordered:
        for alias in story.aliases:
            owner = claimed.setdefault(alias, story)
            if owner is not story or (alias == story.url):
                problems.append(
                    Problem(
                        story.source,
                        1,
                        "aliases",
                        f"đường dẫn cũ /{alias} đã là đường dẫn của {owner.source}; "
                        "mỗi đường dẫn chỉ được trỏ tới một bài.",
                    )
                )
                bad.add(story.source)
    stories[:] = [story for story in stories if story.source not in bad]


# -- field helpers ------------------------------------------------------------------------


def _required_text(doc: Document, key: str, problems: list[Problem]) -> str | None:
    value = doc.meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(doc.problem(key, f"thiếu {key} hoặc {key} chỉ có khoảng trắng; hãy điền nội dung."))
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.append(doc.problem(key, f"{key} phải là một dòng chữ."))
        return None
    return " ".join(str(value).split())


def title_field(doc: Document, problems: list[Problem]) -> str | None:
    title = _required_text(doc, "title", problems)
    if title is not None and len(title) > MAX_TITLE_CHARS:
        problems.append(
            doc.problem("title", f"tiêu đề dài {len(title)} ký tự, quá giới hạn {MAX_TITLE_CHARS}; hãy viết ngắn lại.")
        )
        return None
    return title


def _no_slug_message(name: str) -> str:
    return (
        f"'{name}' không có chữ cái hay chữ số nào để làm địa chỉ trang (ví dụ /topics/y-te/); "
        "hãy viết bằng chữ, ví dụ Y tế."
    )


def optional_text(doc: Document, key: str, problems: list[Problem]) -> str | None:
    value = doc.meta.get(key)
    if value is None or value == "":
        return None
    return _required_text(doc, key, problems)


def _text_list(doc: Document, key: str, problems: list[Problem]) -> list[str]:
    value: Any = doc.meta.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list) or not all(
        isinstance(item, (str, int)) and not isinstance(item, bool) for item in value
    ):
        problems.append(doc.problem(key, f"{key} phải là danh sách, ví dụ: {key}: [a, b]."))
        return []
    items = [" ".join(str(item).split()) for item in value]
    return list(dict.fromkeys(item for item in items if item))


def flag_field(doc: Document, key: str, problems: list[Problem]) -> bool:
    value = doc.meta.get(key)
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
        return value.strip().lower() in _TRUE_WORDS
    problems.append(doc.problem(key, f"{key} chỉ nhận true hoặc false (không đặt trong ngoặc kép)."))
    return False


def _day(doc: Document, key: str, problems: list[Problem], *, required: bool):
    value = doc.meta.get(key)
    if value in (None, ""):
        if required:
            problems.append(doc.problem(key, f"thiếu {key}; ví dụ: {key}: 2021-05-15"))
        return None
    try:
        return parse_day(value)
    except DateError as error:
        problems.append(doc.problem(key, str(error)))
        return None


def unknown_field_message(key: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f" Có phải ý bạn là '{close[0]}'?" if close else f" Các trường hợp lệ: {', '.join(known)}."
    return "trường không được hỗ trợ." + hint


def unknown_id_message(kind: str, value: str, known: dict, where: str) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    hint = f" Có phải ý bạn là '{close[0]}'?" if close else ""
    return f"không có {kind} '{value}' (khai báo trong {where}).{hint}"
