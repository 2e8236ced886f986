"""``frontline cms``: the browser editor, served on this machine only.

Two servers on 127.0.0.1: Decap's ``decap-server`` (the local backend, which reads and writes the project's files)
and this module's own, which serves the admin page, the configuration made fresh from the content on every load
(a new author or campaign is offered after a reload) and the site's stylesheets for the preview pane. Neither has
a login, so neither listens beyond the loopback address, and this one answers only requests addressed to it by
name (a page elsewhere cannot reach it by a rebinding DNS name).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import glob
import http.server
import json
import mimetypes
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from frontline.content.names import material_templates

ADMIN_PATH = "/quan-tri/"
HOST = "127.0.0.1"
CMS_DIR = Path(__file__).resolve().parents[2] / "cms"
"""The Frontline checkout's ``cms/`` folder: the admin page, and Decap's packages installed there by ``npm ci``."""
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


class CmsUnavailable(Exception):
    """The editor cannot start (its packages not installed, a port taken); the message says what to do."""


@dataclass(frozen=True, slots=True)
class CmsFiles:
    """Where the files the admin page loads are read from."""

    admin: Path
    decap: Path
    locale: Path
    server: Path
    guard: Path

    @classmethod
    def find(cls, cms_dir: Path = CMS_DIR) -> CmsFiles:
        modules = cms_dir / "node_modules"
        files = cls(
            admin=cms_dir / "admin",
            decap=modules / "decap-cms" / "dist",
            locale=modules / "decap-cms-locales" / "dist" / "esm" / "vi" / "index.js",
            server=modules / ".bin" / "decap-server",
            guard=cms_dir / "origin-guard.cjs",
        )
        needed = (files.decap / "decap-cms.js", files.server, files.locale, files.guard)
        if not all(path.exists() for path in needed):
            raise CmsUnavailable(
                f"Chưa cài trình soạn thảo (Decap CMS) trong {cms_dir}: chạy make install "
                f"(hoặc cd {cms_dir} && npm ci --ignore-scripts)."
            )
        return files


def site_stylesheets(theme_dirs: tuple[Path, ...]) -> dict[str, Path]:
    """The site's own CSS for the preview pane: Material's, then the project's theme overrides."""
    sheets: dict[str, Path] = {}
    material = material_templates()
    if material is not None:
        for name, pattern in (("material.css", "main.*.min.css"), ("palette.css", "palette.*.min.css")):
            found = sorted(glob.glob(str(material / "assets" / "stylesheets" / pattern)))
            if found:
                sheets[name] = Path(found[0])
    for folder in theme_dirs:
        own = folder / "assets" / "stylesheets" / "frontline.css"
        if own.is_file():
            sheets["frontline.css"] = own
    return sheets


def make_handler(
    files: CmsFiles, config: Callable[[], str], stylesheets: dict[str, Path], port: int
) -> type[http.server.BaseHTTPRequestHandler]:
    allowed_hosts = {f"{HOST}:{port}", f"localhost:{port}"}

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "frontline-cms"

        def log_message(self, format, *args):  # noqa: A002 (the base class's name)
            pass

        def do_GET(self) -> None:  # noqa: N802 (the base class's name)
            if self.headers.get("Host", "") not in allowed_hosts:
                self._send(421, b"", "text/plain")
                return
            path = self.path.split("?", 1)[0]
            if path == "/favicon.ico":
                self._send(204, b"", "image/x-icon")
                return
            if path in ("/", ADMIN_PATH.rstrip("/")):
                self.send_response(302)
                self.send_header("Location", ADMIN_PATH)
                self.end_headers()
                return
            if not path.startswith(ADMIN_PATH):
                self._send(404, "Không có trang này.".encode(), "text/plain; charset=utf-8")
                return
            name = path.removeprefix(ADMIN_PATH)
            if name in ("", "index.html"):
                self._file(files.admin / "index.html")
            elif name == "config.yml":
                self._send(200, config().encode("utf-8"), "text/yaml; charset=utf-8")
            elif name in ("frontline-cms.js", "vi-bo-sung.js"):
                self._file(files.admin / name)
            elif name == "decap-locale-vi.js":
                self._file(files.locale)
            elif name.startswith("giao-dien/") and name.removeprefix("giao-dien/") in stylesheets:
                self._file(stylesheets[name.removeprefix("giao-dien/")])
            elif name.startswith("decap/") and _FILE_NAME.fullmatch(file := name.removeprefix("decap/")):
                self._file(files.decap / file)
            else:
                self._send(404, "Không có tệp này.".encode(), "text/plain; charset=utf-8")

        def _file(self, path: Path) -> None:
            try:
                body = path.read_bytes()
            except OSError:
                self._send(404, "Không có tệp này.".encode(), "text/plain; charset=utf-8")
                return
            kind = "text/javascript" if path.suffix in (".js", ".mjs") else mimetypes.guess_type(path.name)[0]
            kind = kind or "application/octet-stream"
            self._send(200, body, kind + ("; charset=utf-8" if kind.startswith("text/") else ""))

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("X-Frame-Options", "SAMEORIGIN")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def _die_with_parent() -> None:
    """Run in decap-server's process before it starts: it writes into the project, so it must not outlive
    ``frontline cms``, even one killed outright (Linux's parent-death signal; elsewhere only a clean stop)."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def local_backend(
    files: CmsFiles, project_root: Path, writable: Sequence[Path], port: int, admin_port: int
) -> Iterator[subprocess.Popen]:
    """``decap-server`` writing into ``project_root``, on ``HOST:port``, until the block ends; it answers only the
    admin page served on ``admin_port`` (``cms/origin-guard.cjs``), not any page the reporter has open, and
    writes only below the ``writable`` folders."""
    if _listening(port):
        raise CmsUnavailable(f"Cổng {port} đã có chương trình khác dùng; chọn cổng khác bằng --backend-port.")
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": HOST,
        "GIT_REPO_DIRECTORY": str(project_root),
        "MODE": "fs",  # files written as they are, no git commit: the reporter or editor commits
        "LOG_LEVEL": "warn",
        "NODE_OPTIONS": f"{os.environ.get('NODE_OPTIONS', '')} --require {json.dumps(str(files.guard))}".strip(),
        "FRONTLINE_CMS_ORIGINS": f"http://{HOST}:{admin_port} http://localhost:{admin_port}",
        "FRONTLINE_CMS_HOSTS": f"{HOST}:{port} localhost:{port}",
        "FRONTLINE_CMS_WRITABLE": " ".join(str(folder.resolve()) for folder in writable),
    }
    process = subprocess.Popen(
        [str(files.server)], cwd=project_root, env=env, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent
    )
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):
            if process.poll() is not None:
                stopped = f"decap-server dừng ngay khi chạy (mã {process.returncode}); xem thông báo ở trên."
                raise CmsUnavailable(stopped)
            if time.monotonic() > deadline:
                raise CmsUnavailable(f"decap-server không mở cổng {port} sau 30 giây.")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def admin_server(handler: type[http.server.BaseHTTPRequestHandler], port: int) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="frontline-cms", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}{ADMIN_PATH}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
