#!/usr/bin/env python3
"""Screenshots of the demo site for the README: home, a story, a campaign, search and a listing, on a desktop
and on a phone.

    .venv/bin/python scripts/screenshots.py [--out docs/assets/anh-trang]

Builds the demo at a fixed "now" into a temporary folder, serves it on 127.0.0.1 and shoots each page with
Chromium (``/usr/bin/chromium``, driven by Playwright) as JPEG, what a reader sees first (not the whole page).
Nothing leaves the machine: requests to other hosts are refused."""

from __future__ import annotations

import argparse
import contextlib
import functools
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
NOW = "2021-12-31T00:00:00+07:00"
CHROMIUM = "/usr/bin/chromium"
SIZES = {"may-tinh": (1280, 860), "dien-thoai": (390, 844)}
PAGES = {
    "trang-chu": "",
    "bai-viet": "2021/05/ba-ngay-dung-benh-vien-da-chien-o-viet-yen/",
    "chien-dich": "campaigns/bac-giang-2021/",
    "tim-kiem": "tim-kiem/?q=" + quote("bệnh viện dã chiến"),
    "danh-sach": "places/bac-giang/",
}
LOCAL = re.compile(r"^https?://127\.0\.0\.1[:/]")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build_demo(site_dir: Path) -> None:
    command = [sys.executable, "-m", "frontline.cli", "build", "--now", NOW, "-d", str(site_dir)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the demo did not build:\n{result.stdout}\n{result.stderr}")


def shoot(site_dir: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serving(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for size, (width, height) in SIZES.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="vi-VN", device_scale_factor=1
            )
            context.route(
                re.compile(r".*"), lambda route: route.continue_() if LOCAL.match(route.request.url) else route.abort()
            )
            page = context.new_page()
            for name, url in PAGES.items():
                page.goto(base + url, wait_until="networkidle")
                if name == "tim-kiem":
                    page.wait_for_selector(".fl-search__results li", timeout=15_000)
                target = out / f"{name}-{size}.jpg"
                page.screenshot(path=str(target), type="jpeg", quality=70)
                written.append(target)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "assets" / "anh-trang")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        site_dir = Path(temporary) / "site"
        build_demo(site_dir)
        for path in shoot(site_dir, args.out):
            print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
