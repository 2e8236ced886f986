"""``frontline cms``'s arguments, apart from the command (``command.py``), so that ``frontline`` parses its
arguments without importing the editor's server and the content model."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_PORT = 8001
DEFAULT_BACKEND_PORT = 8081


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        choices=("serve", "config"),
        default="serve",
        metavar="VIỆC",
        help="serve: mở trình soạn thảo tại http://127.0.0.1:CỔNG/quan-tri/ (mặc định); config: in config.yml",
    )
    parser.add_argument("-p", "--port", type=int, default=DEFAULT_PORT, metavar="CỔNG", help="cổng trang soạn bài")
    parser.add_argument(
        "--backend-port",
        type=int,
        default=DEFAULT_BACKEND_PORT,
        metavar="CỔNG",
        help="cổng của decap-server, chương trình ghi tệp vào dự án",
    )
    parser.add_argument("-o", "--output", type=Path, metavar="TỆP", help="với config: ghi vào tệp thay vì in ra")
