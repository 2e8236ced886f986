"""``frontline publish``, ``rollback`` and ``releases``' arguments: apart from the commands (``command.py``), so that
``frontline`` lists them and parses its arguments without importing the targets (git, SSH, S3's boto3)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

DEFAULT_KEEP = 5


def add_deploy_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """``publish``, ``rollback`` and ``releases``, added by ``command(name, summary)`` to ``frontline``'s parser."""
    dest_help = (
        "nơi đăng: /thư/mục, file:///thư/mục, git+ĐỊA_CHỈ#nhánh, ssh://người@máy:cổng/đường/dẫn, s3://bucket/thư-mục"
    )
    publish_ = command("publish", "đăng trang đã dựng (kiểm tra trước), đổi sang bản mới trong một bước")
    publish_.add_argument("dest", metavar="NƠI_ĐĂNG", help=dest_help)
    publish_.add_argument("--dry-run", action="store_true", help="chỉ cho biết sẽ gửi và xoá gì, không thay đổi gì")
    publish_.add_argument(
        "--keep", type=int, default=DEFAULT_KEEP, metavar="N", help=f"giữ N bản mới nhất (mặc định {DEFAULT_KEEP})"
    )
    publish_.add_argument(
        "--force",
        action="store_true",
        help="đăng trang như đã dựng, không dựng lại dù nội dung đã đổi sau lần dựng cuối",
    )
    publish_.add_argument("-d", "--site-dir", type=Path, metavar="THƯ_MỤC", help="thư mục đã dựng (mặc định: site)")
    rollback_ = command("rollback", "quay lại bản đăng trước bản đang chạy")
    rollback_.add_argument("dest", metavar="NƠI_ĐĂNG", help=dest_help)
    releases_ = command("releases", "liệt kê các bản đã đăng, đánh dấu bản đang chạy")
    releases_.add_argument("dest", metavar="NƠI_ĐĂNG", help=dest_help)
