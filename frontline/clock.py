"""The build's idea of "now": overridable, so scheduled stories and reproducible builds are testable."""

from __future__ import annotations

import os
from datetime import datetime

from frontline.dates import VIETNAM, DateError, parse_when, vietnam_now


def build_now(environ: dict[str, str] | None = None) -> datetime:
    """``FRONTLINE_NOW`` (ISO 8601) wins, then ``SOURCE_DATE_EPOCH``, then the clock."""
    environ = os.environ if environ is None else environ
    if environ.get("FRONTLINE_NOW"):
        try:
            return parse_when(environ["FRONTLINE_NOW"])[0]
        except DateError as error:
            raise ValueError(f"FRONTLINE_NOW: {error}") from None
    if environ.get("SOURCE_DATE_EPOCH"):
        return datetime.fromtimestamp(int(environ["SOURCE_DATE_EPOCH"]), VIETNAM)
    return vietnam_now()
