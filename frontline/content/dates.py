"""Dates: parsing what reporters write, and writing dates the Vietnamese way."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, time, timedelta, timezone

from babel.dates import format_datetime as _babel_format_datetime

VIETNAM = timezone(timedelta(hours=7), "ICT")
"""Vietnam time, +07:00, no daylight saving."""

FIRST_YEAR, LAST_YEAR = 1900, 2200
"""Years a date may fall in: outside them it is a typing mistake (and near year 1 or 9999, moving it to
Vietnam time leaves the calendar)."""

_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(.*)$")


class DateError(ValueError):
    """A date a reporter wrote that cannot be understood; the message says how to fix it."""


def parse_when(value: object) -> tuple[datetime, bool]:
    """Parse an ISO 8601 date or date-time into an aware datetime in Vietnam time.

    Returns ``(moment, has_time)``. A time without offset is Vietnam time; a
    ``Z`` or another offset is converted. A plain date means midnight."""
    if isinstance(value, datetime):
        moment, has_time = value, True
    elif isinstance(value, date):
        moment, has_time = datetime.combine(value, time()), False
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        match = _DAY_FIRST.match(text)
        if match:
            day, month, year, rest = match.groups()
            hint = f"{int(year):04d}-{int(month):02d}-{int(day):02d}{rest.strip() and ' ' + rest.strip()}"
            raise DateError(
                f"'{text}' viết theo kiểu ngày/tháng/năm; hãy viết theo ISO 8601: {hint} "
                "(năm-tháng-ngày, giờ tùy chọn)."
            )
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise DateError(
                f"không hiểu ngày '{text}'. Viết theo ISO 8601, ví dụ 2021-08-20 hoặc 2021-08-20T09:30 "
                "(giờ Việt Nam) hoặc 2021-08-20T02:30:00Z."
            ) from None
        has_time = bool(re.search(r"\d[T ]\d", text))
    else:
        raise DateError("cần một ngày theo ISO 8601, ví dụ 2021-08-20 hoặc 2021-08-20T09:30.")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise DateError(_year_message(moment.year))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    try:
        moment = moment.astimezone(VIETNAM)
    except (OverflowError, ValueError):  # a time zone offset larger than a day cannot be written in ISO 8601
        raise DateError(_year_message(moment.year)) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:  # 2200-12-31T23:00Z is 2201 in Vietnam
        raise DateError(_year_message(moment.year))
    return moment, has_time


def _year_message(year: int) -> str:
    return (
        f"năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}; kiểm tra lại năm, "
        "ví dụ 2021-08-20 hoặc 2021-08-20T09:30."
    )


def parse_day(value: object) -> date:
    """Parse a calendar day (campaign and phase bounds)."""
    moment, _ = parse_when(value)
    return moment.date()


def vietnam_now() -> datetime:
    return datetime.now(VIETNAM)


@functools.lru_cache(maxsize=1 << 16)  # Babel takes tens of microseconds; a date shows on a dozen pages
def format_date_vi(moment: date | datetime) -> str:
    """``Thứ Sáu, 20/8/2021``."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(), VIETNAM)
    return _babel_format_datetime(moment, "EEEE, d/M/yyyy", tzinfo=VIETNAM, locale="vi")


@functools.lru_cache(maxsize=1 << 16)
def format_datetime_vi(moment: datetime, has_time: bool = True) -> str:
    """``Thứ Sáu, 20/8/2021, 09:30 (GMT+7)``, or the date alone when no time was given."""
    if not has_time:
        return format_date_vi(moment)
    return _babel_format_datetime(moment, "EEEE, d/M/yyyy, HH:mm '(GMT+7)'", tzinfo=VIETNAM, locale="vi")


def format_short_date_vi(moment: date | datetime) -> str:
    """``20/8/2021``."""
    return f"{moment.day}/{moment.month}/{moment.year}"


def format_time(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"
