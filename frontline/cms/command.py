"""The ``frontline cms`` command: print the editor's configuration, or serve the editor until Ctrl+C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable

from frontline.cms.config import config_yaml, writable_folders
from frontline.cms.serve import (
    HOST,
    CmsFiles,
    CmsUnavailable,
    admin_server,
    local_backend,
    make_handler,
    site_stylesheets,
)
from frontline.config.project import Project
from frontline.content.model import Content
from frontline.content.problems import Problem


def run(project: Project, args: argparse.Namespace, load: Callable[[Project], tuple[Content, list[Problem]]]) -> int:
    backend_url = f"http://{HOST}:{args.backend_port}/api/v1"

    def config() -> str:
        # Made again on every load of the page: a new author or campaign is offered after a reload.
        content, _ = load(project)
        return config_yaml(content, project.layout, backend_url)

    if args.action == "config":
        if args.output is None:
            sys.stdout.write(config())
        else:
            args.output.write_text(config(), encoding="utf-8")
        return 0
    try:
        files = CmsFiles.find()
        handler = make_handler(files, config, site_stylesheets(project.template_dirs), args.port)
        # Stopped by its parent (a test, a service manager): leave the same way as Ctrl+C, stopping decap-server.
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        with (
            local_backend(files, project.root, writable_folders(project.layout), args.backend_port, args.port),
            admin_server(handler, args.port) as url,
        ):
            print(f"Trình soạn thảo tại {url} (chỉ trên máy này). Ctrl+C để dừng.", flush=True)
            print(f"Xem trước trang: chạy frontline preview trong một cửa sổ khác. Tệp ghi vào {project.root}.")
            threading.Event().wait()
    except CmsUnavailable as problem:
        print(problem, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Không mở được trình soạn thảo: {error}", file=sys.stderr)
        return 1
    return 0
