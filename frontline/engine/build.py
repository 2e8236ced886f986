"""``frontline build``'s engine process: the engine's own ``build`` command, told the build's "now" as an
argument, so the command line and the build it starts agree on one moment (a story scheduled for the minute
the command starts is either in both or in neither).

Usage: ``python -m frontline.engine.build ENGINE NOW INPUTS BUILD-ARGUMENTS…`` (NOW in ISO 8601 with its offset;
INPUTS the digest of the project's inputs the command found, or ``-``)."""

from __future__ import annotations

import importlib
import logging
import re
import sys
from datetime import datetime
from typing import Any

from frontline.engine import session

_ABORTS = {
    "Aborted with a BuildError!": "Dựng trang dừng lại vì lỗi ở trên.",
    "Aborted with a configuration error!": "Dựng trang dừng lại: cấu hình có lỗi (ở trên).",
}
_STRICT = re.compile(r"Aborted with (.+) in '?strict'? mode!")


def vietnamese_abort(message: str) -> str:
    """The engine's last line when it stops, in the newsroom's language (unknown ones as the engine wrote them)."""
    if message in _ABORTS:
        return _ABORTS[message]
    if strict := _STRICT.fullmatch(message):  # "1 warnings", "2 errors, 1 warnings", "3 configuration warnings"
        count = sum(int(number) for number in re.findall(r"\d+", strict.group(1)))
        return f"Dựng trang dừng lại: {count} cảnh báo ở trên (frontline build coi cảnh báo là lỗi)."
    return message


def _speak_vietnamese(engine: str) -> None:
    """What a failed build prints around Frontline's own Vietnamese problems: the level of each logged line and
    the closing "Aborted with…" line."""
    abort = importlib.import_module(f"{engine}.exceptions").Abort

    def show(self: Any, *args: Any, **kwargs: Any) -> None:
        print("\n" + vietnamese_abort(self.format_message()), flush=True)

    abort.show = show
    logging.addLevelName(logging.ERROR, "LỖI")
    logging.addLevelName(logging.WARNING, "CẢNH BÁO ")  # the engine pads level names to 8


def main(argv: list[str]) -> None:
    engine, now, inputs, *arguments = argv
    session.CLOCK.now = datetime.fromisoformat(now)
    session.CLOCK.inputs = None if inputs == "-" else inputs
    try:
        cli = importlib.import_module(f"{engine}.__main__").cli
    except ModuleNotFoundError:
        sys.exit(f"frontline build: chưa cài {engine}. Chạy make site (hoặc pip install {engine}) rồi thử lại.")
    _speak_vietnamese(engine)
    cli(["build", *arguments], prog_name=engine)


if __name__ == "__main__":
    main(sys.argv[1:])
