"""``frontline build``'s engine process: the engine's own ``build`` command, told the build's "now" as an
argument, so the command line and the build it starts agree on one moment (a story scheduled for the minute
the command starts is either in both or in neither).

Usage: ``python -m frontline.engine.build ENGINE NOW BUILD-ARGUMENTS…`` (NOW in ISO 8601 with its offset)."""

from __future__ import annotations

import importlib
import sys
from datetime import datetime

from frontline.engine import session


def main(argv: list[str]) -> None:
    engine, now, *arguments = argv
    session.CLOCK.now = datetime.fromisoformat(now)
    try:
        cli = importlib.import_module(f"{engine}.__main__").cli
    except ModuleNotFoundError:
        sys.exit(f"frontline build: chưa cài {engine}. Chạy make site (hoặc pip install {engine}) rồi thử lại.")
    cli(["build", *arguments], prog_name=engine)


if __name__ == "__main__":
    main(sys.argv[1:])
