"""Rebuilds a site the way ``frontline preview`` does (``serve --dirty``: one process,
one kept site folder, the hooks object reused), once per line read from stdin.

Usage: ``python -m tests.e2e.drivers.preview_builds mkdocs.yml SITE_DIR``; prints ``built`` (and the warnings logged, if
any: ``built, warned: …``) or ``failed …`` after each build, so a test can edit files in between."""

from __future__ import annotations

import logging
import os
import sys

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError


def main(config_file: str, site_dir: str) -> None:
    os.environ["FRONTLINE_PREVIEW"] = "1"
    errors: list[str] = []
    warnings: list[str] = []
    handler = logging.Handler(logging.WARNING)

    def keep(record: logging.LogRecord) -> None:
        (errors if record.levelno >= logging.ERROR else warnings).append(record.getMessage())

    handler.emit = keep  # type: ignore[method-assign]
    logging.getLogger("mkdocs").addHandler(handler)
    started = False
    while True:
        config = load_config(config_file, site_dir=site_dir)
        if not started:
            config.plugins.on_startup(command="serve", dirty=True)
            started = True
        errors.clear()
        warnings.clear()
        try:
            build(config, serve_url=config.site_url, dirty=True)
            warned = ", warned: " + " | ".join(warnings).replace("\n", " ") if warnings else ""  # one line a build
            print("built" + warned, flush=True)
        except (Abort, PluginError) as error:
            print("failed", " ".join([*errors, str(error)]).replace("\n", " "), flush=True)
        if not sys.stdin.readline():
            config.plugins.on_shutdown()
            return


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
