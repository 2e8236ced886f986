"""``frontline``: the reporters' and editors' command line (messages in Vietnamese)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from frontline.cms.arguments import add_arguments as add_cms_arguments
from frontline.deploy.arguments import add_deploy_commands

if TYPE_CHECKING:
    from datetime import datetime

    from frontline.build.fanout import AndThen
    from frontline.build.manifest import SiteListing
    from frontline.config.project import Project
    from frontline.content.memo import StoryMemo
    from frontline.content.model import Content
    from frontline.content.problems import Problem
    from frontline.views.site import SiteView

# Every command starts by parsing its arguments, and imports only what the command it runs uses (in its function
# below): the content model, the engine, the CMS and the deploy targets cost more to import than most commands take.
ENGINES = ("mkdocs", "properdocs")


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix="cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Vietnamese words for its own messages."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._optionals.title = "tùy chọn"
        self._positionals.title = "tham số"

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {_vietnamese(message)}\n")


# argparse's own messages (Python 3.11-3.13), told in Vietnamese; one it adds later is printed as it is.
_ARGPARSE = (
    (re.compile(r"the following arguments are required: (.+)"), r"thiếu \1"),
    (re.compile(r"argument LỆNH: invalid choice: (.+?) \(choose from (.+)\)"), r"lệnh không có: \1 (các lệnh: \2)"),
    (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"), r"\1: không có lựa chọn \2 (chọn: \3)"),
    (re.compile(r"argument (.+?): expected one argument"), r"\1 cần một giá trị"),
    (re.compile(r"argument (.+?): invalid (\w+) value: (.+)"), r"\1: giá trị không dùng được: \3"),
    (re.compile(r"unrecognized arguments: (.+)"), r"không hiểu: \1"),
    (re.compile(r"ambiguous option: (.+?) could match (.+)"), r"tùy chọn \1 chưa rõ, có thể là: \2"),
    (re.compile(r"argument (.+?): not allowed with argument (.+)"), r"\1 không dùng cùng \2"),
)


def _vietnamese(message: str) -> str:
    for pattern, replacement in _ARGPARSE:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return message


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="frontline",
        description="Frontline: viết, kiểm tra, xem trước và xuất bản trang tin.",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")
    parser.add_argument(
        "-f", "--config", type=Path, metavar="TỆP_CẤU_HÌNH", help="tệp cấu hình (mặc định: mkdocs.yml gần nhất)"
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh", parser_class=_Parser)

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary, add_help=False)
        sub.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")
        return sub

    new = command("new", "tạo bài viết mới (bản nháp) với đầy đủ thông tin đầu bài")
    new.add_argument("title", metavar="TIÊU_ĐỀ", help='tiêu đề bài, đặt trong ngoặc kép: "Tiêu đề bài viết"')
    new.add_argument(
        "--author",
        action="append",
        metavar="MÃ",
        help="mã tác giả trong stories/authors.yml; lặp lại cho nhiều tác giả: --author ha --author duc",
    )
    new.add_argument("--campaign", metavar="MÃ", help="mã chiến dịch (tên tệp trong docs/campaigns/)")
    new.add_argument("--location", metavar="NƠI", help="tỉnh hoặc thành phố, ví dụ: Bắc Giang")
    new.add_argument("--unit", metavar="ĐƠN_VỊ", help="đơn vị được nói tới, ví dụ: Bệnh viện 199")
    new.add_argument(
        "--slug", metavar="TÊN", help="tên tệp và đường dẫn bài, ví dụ: ten-bai (mặc định: làm từ tiêu đề)"
    )

    check = command("check", "kiểm tra nội dung, không dựng trang")
    check.add_argument("paths", nargs="*", type=Path, metavar="ĐƯỜNG_DẪN", help="tệp hoặc thư mục (mặc định: tất cả)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="dạng kết quả (json cho công cụ)")

    preview = command("preview", "xem trước trực tiếp, kể cả bài nháp và bài hẹn giờ (có đánh dấu)")
    preview.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="ĐỊA_CHỈ", help="địa chỉ:cổng")
    preview.add_argument("--engine", choices=ENGINES, default="mkdocs", help="bộ dựng trang")
    preview.add_argument(
        "--poll",
        action="store_true",
        help="dò thay đổi bằng cách quét tệp (cho thư mục mạng, nơi hệ điều hành không báo)",
    )

    build = command("build", "dựng trang để xuất bản (thay site/ chỉ khi dựng thành công)")
    build.add_argument("-d", "--site-dir", type=Path, metavar="THƯ_MỤC", help="thư mục kết quả (mặc định: site)")
    build.add_argument("--engine", choices=ENGINES, default="mkdocs", help="bộ dựng trang")
    build.add_argument(
        "--no-wait",
        action="store_true",
        help="nếu một lần dựng khác đang chạy trong dự án: thoát ngay (mã 1), không chờ",
    )
    build.add_argument(
        "--fresh",
        action="store_true",
        help="dựng lại vào thư mục mới, kể cả khi không có gì thay đổi; không cập nhật bản site đã giữ lại từ lần "
        "dựng trước (.site.spare)",
    )

    build.set_defaults(look=True)  # publish's own build does not look at the site first (``deploy.command``)

    live = command("live", "trang tường thuật trực tiếp: tạo trang, thêm cập nhật")
    live_commands = live.add_subparsers(dest="live_command", metavar="VIỆC", title="các việc", parser_class=_Parser)
    live_new = live_commands.add_parser("new", help="tạo trang trực tiếp mới", add_help=False)
    live_new.add_argument("id", metavar="MÃ", help="mã trang, trong địa chỉ /truc-tiep/<mã>/, ví dụ: bac-giang-19-5")
    live_new.add_argument("title", metavar="TIÊU_ĐỀ", help='tiêu đề, đặt trong ngoặc kép: "Tiêu đề"')
    live_new.add_argument("--campaign", metavar="MÃ", help="mã chiến dịch (tên tệp trong docs/campaigns/)")
    live_new.add_argument("--location", metavar="NƠI", help="tỉnh hoặc thành phố, ví dụ: Bắc Giang")
    live_new.add_argument("--summary", metavar="CÂU", help="một câu giới thiệu trang")
    live_add = live_commands.add_parser(
        "add", help="thêm một cập nhật (giờ hiện tại), in đường dẫn tệp", add_help=False
    )
    live_add.add_argument("id", metavar="MÃ", help="mã trang trực tiếp")
    live_add.add_argument("body", metavar="NỘI_DUNG", help='nội dung cập nhật, đặt trong ngoặc kép: "Nội dung"')
    live_add.add_argument("--author", action="append", metavar="MÃ", help="mã tác giả trong stories/authors.yml")
    live_add.add_argument("--pinned", action="store_true", help="ghim cập nhật quan trọng lên đầu trang")
    live_add.add_argument("--title", metavar="TIÊU_ĐỀ", help="tiêu đề ngắn của cập nhật (tùy chọn)")
    for sub in (live_new, live_add):
        sub.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")
        sub.add_argument("--now", metavar="THỜI_ĐIỂM", help="coi như bây giờ là thời điểm này (ISO 8601)")

    verify = command("verify", "đối chiếu trang đã dựng với nội dung: không thiếu bài, không lộ bản nháp")
    verify.add_argument("-d", "--site-dir", type=Path, metavar="THƯ_MỤC", help="thư mục đã dựng (mặc định: site)")
    cms = command("cms", "viết bài trên trình duyệt (Decap CMS), chỉ trên máy này")
    add_cms_arguments(cms)
    for sub in (new, check, build, verify):
        sub.add_argument("--now", metavar="THỜI_ĐIỂM", help="coi như bây giờ là thời điểm này (ISO 8601)")
    add_deploy_commands(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        # One "now" for the whole command, handed to what uses it: a bad --now, FRONTLINE_NOW or
        # SOURCE_DATE_EPOCH stops every command, not only the ones that use it.
        args.clock = _clock(getattr(args, "now", None))
        project = _project(args.config)
        return _COMMANDS[args.command](project, args)
    except _Stop as stop:
        print(stop, file=sys.stderr)
        return stop.code
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        from frontline.build.fanout import WorkerError

        if not isinstance(error, WorkerError):
            raise
        print(error, file=sys.stderr)  # a reader process died (the machine out of memory)
        return 1


class _Stop(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _project(config: Path | None) -> Project:
    import yaml

    from frontline.config.options import OptionsError
    from frontline.config.project import find_config, read_project

    path = config or find_config(Path.cwd())
    if path is None or not path.is_file():
        raise _Stop("Không tìm thấy mkdocs.yml: hãy chạy lệnh trong thư mục dự án hoặc dùng --config.")
    try:
        return read_project(path)
    except OptionsError as error:
        raise _Stop(str(error)) from None
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise _Stop(f"{path}: không đọc được cấu hình: {error}") from None


def _clock(written: str | None) -> datetime:
    """``--now`` when given, else the build's clock (``FRONTLINE_NOW``, ``SOURCE_DATE_EPOCH``, the time)."""
    from frontline.content.clock import ClockError, build_now
    from frontline.content.dates import DateError, parse_when

    if written:
        try:
            return parse_when(written)[0]
        except DateError as error:
            raise _Stop(f"--now: {error}", 2) from None
    try:
        return build_now()
    except ClockError as error:
        raise _Stop(str(error)) from None


def _new(project: Project, args: argparse.Namespace) -> int:
    from frontline.content.loader import load_authors, load_campaigns
    from frontline.content.names import is_utf8
    from frontline.content.scaffold import NewStory, create_story, story_path, story_slug
    from frontline.content.slugs import is_valid_slug, slugify_vi

    problems: list[Problem] = []
    authors = load_authors(project.layout, problems)
    campaigns = load_campaigns(project.layout, problems)
    chosen = tuple(args.author or ())
    errors = [
        f"{option}: '{value.encode('utf-8', 'replace').decode('utf-8')}' không phải chữ UTF-8 (bảng mã của cửa sổ "
        "lệnh khác UTF-8?); hãy đặt bảng mã UTF-8 (ví dụ LANG=vi_VN.UTF-8) rồi gõ lại."
        for option, value in (
            ("tiêu đề", args.title),
            *(("--author", author) for author in chosen),
            ("--campaign", args.campaign),
            ("--location", args.location),
            ("--unit", args.unit),
            ("--slug", args.slug),
        )
        if value is not None and not is_utf8(value)
    ]
    if errors:
        raise _Stop("\n".join(errors))
    if not " ".join(args.title.split()):
        errors.append("Tiêu đề không được để trống.")
    elif args.slug is not None and not is_valid_slug(args.slug):
        suggestion = slugify_vi(args.slug)
        errors.append(
            f"--slug '{args.slug}' không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu '-'"
            + (f", ví dụ --slug {suggestion}." if suggestion else ", ví dụ --slug ten-bai.")
        )
    elif not story_slug(args.title, args.slug):
        errors.append(
            f"Tiêu đề '{args.title}' không có chữ cái hay chữ số nào để làm tên tệp và đường dẫn bài: "
            "hãy đặt tiêu đề có chữ, hoặc thêm --slug ten-bai."
        )
    if not chosen:
        errors.append(f"Cần ít nhất một --author. Các mã tác giả: {', '.join(sorted(authors)) or '(chưa có)'}.")
    errors += [f"Không có tác giả '{a}' trong stories/authors.yml." for a in chosen if a not in authors]
    if args.campaign and args.campaign not in campaigns:
        errors.append(f"Không có chiến dịch '{args.campaign}'. Các chiến dịch: {', '.join(sorted(campaigns))}.")
    if errors:
        raise _Stop("\n".join(errors))
    now = args.clock
    story = NewStory(args.title, chosen, args.campaign, args.location, args.unit, args.slug)
    try:
        path = create_story(project.layout, story, now)
    except FileExistsError:
        existing = story_path(project.layout, args.title, now, args.slug)
        raise _Stop(f"Đã có tệp {project.layout.display(existing)}; không ghi đè. Hãy đổi tiêu đề.") from None
    print(project.layout.display(path))
    return 0


def _live(project: Project, args: argparse.Namespace) -> int:
    """``frontline live new|add``: the folder of a live page, or one update file (its path printed)."""
    from frontline.content.live_scaffold import LiveScaffoldError, NewLivePage, add_update, create_live_page
    from frontline.content.loader import load_authors, load_campaigns
    from frontline.content.names import is_utf8

    if args.live_command is None:
        raise _Stop('Cần chọn việc: frontline live new <mã> "Tiêu đề" hoặc frontline live add <mã> "nội dung"', 2)
    texts = [args.id, getattr(args, "title", None), getattr(args, "body", None), *(getattr(args, "author", None) or ())]
    if any(text is not None and not is_utf8(text) for text in texts):
        raise _Stop("Chữ gõ vào không phải UTF-8; hãy đặt bảng mã UTF-8 (ví dụ LANG=vi_VN.UTF-8) rồi gõ lại.")
    problems: list[Problem] = []
    layout = project.layout
    try:
        if args.live_command == "new":
            campaigns = load_campaigns(layout, problems)
            if args.campaign and args.campaign not in campaigns:
                raise _Stop(f"Không có chiến dịch '{args.campaign}'. Các chiến dịch: {', '.join(sorted(campaigns))}.")
            page = NewLivePage(args.id, args.title, args.campaign, args.location, args.summary)
            path = create_live_page(layout, page, args.clock)
        else:
            authors = load_authors(layout, problems)
            chosen = tuple(args.author or ())
            if not chosen:
                raise _Stop(f"Cần ít nhất một --author. Các mã tác giả: {', '.join(sorted(authors)) or '(chưa có)'}.")
            unknown = [author for author in chosen if author not in authors]
            if unknown:
                raise _Stop("\n".join(f"Không có tác giả '{a}' trong stories/authors.yml." for a in unknown))
            path = add_update(layout, args.id, args.body, chosen, args.clock, pinned=args.pinned, title=args.title)
    except LiveScaffoldError as error:
        raise _Stop(str(error)) from None
    except FileExistsError:
        raise _Stop(f"Đã có trang trực tiếp '{args.id}'; không ghi đè.") from None
    print(layout.display(path))
    return 0


def _load(project: Project, *, memo: StoryMemo | None = None) -> tuple[Content, list[Problem]]:
    """Everything the project's content holds, read and checked as the build reads it (a story file unchanged
    since the build's ``memo`` read it is not read again)."""
    from frontline.build.fanout import worker_count
    from frontline.content.loader import configured_files, load_content
    from frontline.content.sanitize import markdown_settings_from_yaml

    return load_content(
        project.layout,
        memo=memo,
        iframe_hosts=project.options.iframe_hosts,
        workers=worker_count(),
        max_story_bytes=project.options.max_story_bytes,
        template_dirs=project.template_dirs,
        markdown=markdown_settings_from_yaml(project.raw),
        trusted_files=configured_files(project.raw),
    )


def _check(project: Project, args: argparse.Namespace) -> int:
    from frontline.build.cache import CACHE_FOLDER
    from frontline.content.addresses import ADDRESSES_FILE, load_addresses, moved_stories
    from frontline.content.problems import errors, format_problems, problems_as_json

    content, problems = _load(project)
    # A published story moved since the last build: the build refuses it, so check does too.
    previous = load_addresses(project.root / CACHE_FOLDER / ADDRESSES_FILE)
    problems += moved_stories(project.root, content.published(args.clock), previous)
    if args.paths:
        wanted = [path.resolve() for path in args.paths]
        missing = [str(path) for path in args.paths if not path.exists()]
        if missing:
            raise _Stop(f"Không có tệp hoặc thư mục: {', '.join(missing)}")
        problems = [p for p in problems if _within((project.root / p.path).resolve(), wanted)]
        sources = {s.source for s in content.stories} | {c.source for c in content.campaigns.values()}
        sources |= {p.path for p in problems}
        checked = len([source for source in sources if _within((project.root / source).resolve(), wanted)])
        counted = f"đã kiểm tra {checked} tệp trong {', '.join(str(path) for path in args.paths)}"
    else:
        live = f", {len(content.live)} trang trực tiếp" if content.live else ""
        counted = f"{len(content.stories)} bài, {len(content.campaigns)} chiến dịch{live}"
    if args.format == "json":
        print(problems_as_json(problems))
    elif errors(problems):
        print(format_problems(problems))
        print(f"({counted}.)")
    else:
        print(f"Không có lỗi ({counted}).")
        if problems:
            print(format_problems(problems))
    return 1 if errors(problems) else 0


def _within(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def _build(project: Project, args: argparse.Namespace) -> int:
    import subprocess
    import time

    from frontline.build.atomic import build_atomically
    from frontline.build.cache import CACHE_FOLDER
    from frontline.build.locks import Busy, build_busy, build_lock, build_waiting
    from frontline.build.precompress import site_is_current
    from frontline.config.inputs import inputs_read_by

    site_dir = args.site_dir or project.root / str(project.raw.get("site_dir", "site"))
    env = {**os.environ}
    env.pop("FRONTLINE_PREVIEW", None)

    def run(staging: Path) -> bool:
        # The engine runs in its own process, told the command's "now" as an argument: it changes what is the whole
        # process's (logging's level names, MkDocs' Abort, the collector's thresholds, its freeze at exit, the session's
        # clock), and publish, which builds when there is no site, then verifies with the engine's memory given back.
        command = [sys.executable, "-m", "frontline.engine.build", args.engine, args.clock.isoformat(), inputs or "-"]
        command += ["--strict", "-f", str(project.config_file), "-d", str(staging)]
        return subprocess.run(command, env=env).returncode == 0

    lock = build_lock(project.root)
    try:  # builds share the project's caches and site folder: one at a time
        lock.acquire(wait=not args.no_wait, on_wait=lambda pid: print(build_waiting(pid), file=sys.stderr, flush=True))
    except Busy as busy:
        raise _Stop(build_busy(busy.holder)) from None
    with lock:
        # What the build reads, as found before it starts, is noted with the site: a build with nothing changed since,
        # at a moment the site's pages still hold (a scheduled rebuild with nothing due), looks at the site instead.
        # Publish's own build, which always builds, notes nothing (the next `frontline build` then builds once).
        inputs = inputs_read_by(project.config_file.resolve(), args.engine, time.time_ns()) if args.look else None
        if inputs and not args.fresh and site_is_current(site_dir, project.root / CACHE_FOLDER, inputs, args.clock):
            print(f"Không có gì thay đổi từ lần dựng trước: {site_dir} đã đúng, không dựng lại (--fresh để dựng lại).")
            return 0
        built = build_atomically(site_dir, run, keep=not args.fresh)  # into the site kept last time, brought up to date
    if built:
        print(f"Đã xuất bản vào {site_dir}.")
        return 0
    print(f"Dựng trang thất bại; {site_dir} vẫn giữ nguyên bản trước.", file=sys.stderr)
    return 1


def _preview(project: Project, args: argparse.Namespace) -> int:
    env = {**os.environ, "FRONTLINE_PREVIEW": "1"}
    # --dirty keeps the served folder between rebuilds: Frontline then rewrites only what a save changed.
    serve = ["--livereload", "--dirty", "-f", str(project.config_file), "-a", args.dev_addr]
    command = [sys.executable, "-m", "frontline.engine.serve", args.engine, *(["--poll"] if args.poll else []), *serve]
    print(f"Xem trước tại http://{args.dev_addr}/ (bài nháp và bài hẹn giờ có đánh dấu). Ctrl+C để dừng.", flush=True)
    os.execve(command[0], command, env)  # the server replaces this process: stopping one stops the other


def _verified_view(project: Project, args: argparse.Namespace) -> SiteView:
    """What the site should be, as verify checks it: the content as it is now (read through the build's memo), at the
    command's "now"; a mistake in it stops verify as it stops a build."""
    from frontline.content.problems import errors, format_problems
    from frontline.views.site import SiteView

    content, problems = _load(project, memo=_build_memo(project))
    if errors(problems):
        raise _Stop(format_problems(problems))
    return SiteView(content, args.clock, project.settings)


def _verify(project: Project, args: argparse.Namespace) -> int:
    from frontline.output.verify import describe, verify_site

    view = _verified_view(project, args)
    site_dir = _site_dir(project, args)
    if not site_dir.is_dir():
        raise _Stop(f"{site_dir}: không có thư mục trang đã dựng ở đây; chạy frontline build trước, hoặc chỉ đúng -d.")
    findings = verify_site(view, site_dir, project.layout)
    print(describe(view))
    for finding in findings:
        print(f"  {finding}")
    print("Không thiếu bài nào, không lộ bài chưa xuất bản." if not findings else f"{len(findings)} vấn đề.")
    return 1 if findings else 0


def _build_memo(project: Project) -> StoryMemo:
    """The last build's readings of the story files, read, never written here: verify checks the site against what
    the content says, and a story file unchanged since the build read it says what it said then (the memo checks
    each file's stamps and the code that read it)."""
    from frontline.build.cache import CACHE_FOLDER
    from frontline.content.memo import MEMO_FILE, StoryMemo

    return StoryMemo.load(project.root / CACHE_FOLDER / MEMO_FILE)


def _site_dir(project: Project, args: argparse.Namespace) -> Path:
    return getattr(args, "site_dir", None) or project.root / str(project.raw.get("site_dir", "site"))


def _verifier(project: Project, args: argparse.Namespace) -> Callable[[SiteListing], AndThen]:
    """Publish's ``frontline verify``, in two steps: the content read and what needs only it checked now, then the
    built site checked against it as ``list_site`` found it, where files whose digest verify read before are not
    read again (``VerifyMemo``, written after the findings are given)."""
    from frontline.build.cache import CACHE_FOLDER
    from frontline.build.fanout import AndThen
    from frontline.output.verify import VERIFY_MEMO, Verification, VerifyMemo

    verification = Verification(_verified_view(project, args), _site_dir(project, args), project.layout)
    memo_path = project.root / CACHE_FOLDER / VERIFY_MEMO
    memo = VerifyMemo.load(memo_path)

    def check(listing: SiteListing) -> AndThen:
        findings = verification.check(listing=listing, memo=memo)
        return AndThen(findings, lambda: memo.save(memo_path, listing))

    return check


def _cms(project: Project, args: argparse.Namespace) -> int:
    from frontline.cms import command as cms_command

    return cms_command.run(project, args, _load)


def _deploy(project: Project, args: argparse.Namespace) -> int:
    """``publish``, ``rollback`` or ``releases`` (``frontline.deploy.command``), given the command line's pieces."""
    from frontline.deploy.command import deploy_commands

    return deploy_commands(_Stop, _build, _verifier, _site_dir)[args.command](project, args)


_COMMANDS = {
    "new": _new,
    "check": _check,
    "build": _build,
    "preview": _preview,
    "verify": _verify,
    "live": _live,
    "cms": _cms,
    "publish": _deploy,
    "rollback": _deploy,
    "releases": _deploy,
}

if __name__ == "__main__":
    sys.exit(main())
