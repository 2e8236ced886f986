"""The build's idea of "now": overridable, so scheduled stories and reproducible builds are testable."""

from __future__ import annotations

import os
from datetime import datetime

from frontline.content.dates import FIRST_YEAR, LAST_YEAR, VIETNAM, DateError, parse_when, vietnam_now


class ClockError(ValueError):
    """The build's "now" set to something that is not a moment; the message names the variable and what to write."""


def build_now(environ: dict[str, str] | None = None) -> datetime:
    """``FRONTLINE_NOW`` (ISO 8601) wins, then ``SOURCE_DATE_EPOCH``, then the clock.

    Raises ``ClockError`` (a ``ValueError``) when the variable in use holds no moment."""
    environ = os.environ if environ is None else environ
    if environ.get("FRONTLINE_NOW"):
        try:
            return parse_when(environ["FRONTLINE_NOW"])[0]
        except DateError as error:
            raise ClockError(f"FRONTLINE_NOW: {error}") from None
    if environ.get("SOURCE_DATE_EPOCH"):
        return _from_epoch(environ["SOURCE_DATE_EPOCH"])
    return vietnam_now()


def _from_epoch(written: str) -> datetime:
    """``SOURCE_DATE_EPOCH``: whole seconds since 1970-01-01 UTC (reproducible-builds.org)."""
    text = written.strip()
    moment = None
    if text.isascii() and text.isdigit():
        try:
            moment = datetime.fromtimestamp(int(text), VIETNAM)
        except (OverflowError, OSError, ValueError):  # past year 9999, or what the system's clock can hold
            moment = None
    if moment is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ClockError(
            f"SOURCE_DATE_EPOCH: '{written}' không dùng được: cần số giây kể từ 1970-01-01 UTC "
            f"(một thời điểm trong các năm {FIRST_YEAR}–{LAST_YEAR}), ví dụ SOURCE_DATE_EPOCH=1629426600."
        )
    return moment
