"""The Jinja filters Frontline's templates print content with: dates the Vietnamese way, ISO moments, slugs, JSON
inside a script element. The engine adds those that need a build (links relative to a page, a story's status
at the build's clock); a test renders the templates with these alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from frontline.content import dates
from frontline.content.slugs import slugify_vi
from frontline.views.structured import script_json


def _iso(moment: date) -> str:
    return moment.isoformat()


def content_filters() -> dict[str, Callable[..., Any]]:
    return {
        "vi_date": dates.format_date_vi,
        "vi_datetime": dates.format_datetime_vi,
        "vi_short_date": dates.format_short_date_vi,
        "clock": dates.format_time,
        "iso": _iso,
        "slug": slugify_vi,
        "script_json": script_json,
    }
