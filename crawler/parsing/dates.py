"""Turn every time format the source uses into an aware datetime in China time.

Source times carry no offset and mean China Standard Time (SOURCE.md §2). The crawl's clock
is passed in (``now``) so that year-less list times are inferred the same way in tests,
in cron runs and when re-parsing old pages.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from dateutil import parser as dateutil_parser

from storage.times import CHINA_TZ, to_china

# A year-less time up to this far ahead of the clock is this year's (clock skew, a list
# published a minute after midnight); anything further ahead must be last year's.
FUTURE_TOLERANCE = timedelta(days=1)

_CHINESE_FULL = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?)?"
)
_CHINESE_YEARLESS = re.compile(
    r"^(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?)?$"
)
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_ISO_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


class DateParseError(ValueError):
    """The text holds no time finews can read."""


def parse_china_time(value: str | int | float, now: datetime) -> datetime:
    """Parse a source time into an aware datetime in China time (+08:00).

    ``now`` is the crawl's clock; it is used only to infer the year of ``02月07日 09:09``.
    Raises :class:`DateParseError` for text that is not a time.
    """
    if isinstance(value, bool):
        raise DateParseError(f"not a time: {value!r}")
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    text = " ".join(str(value).split())
    if not text:
        raise DateParseError("empty time")
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    match = _CHINESE_FULL.search(text)
    if match:
        return _build(int(match["y"]), match)
    match = _CHINESE_YEARLESS.match(text)
    if match:
        return _infer_year(match, now)
    if _ISO_LIKE.match(text):
        try:
            parsed = dateutil_parser.isoparse(text.replace(" ", "T", 1))
        except ValueError:
            try:
                parsed = dateutil_parser.parse(text)
            except (ValueError, OverflowError) as exc:
                raise DateParseError(f"not a time: {text!r}") from exc
        return to_china(parsed)
    raise DateParseError(f"not a time: {text!r}")


def _from_epoch(number: float) -> datetime:
    seconds = number / 1000 if number >= 1e11 else number
    try:
        return datetime.fromtimestamp(seconds, UTC).astimezone(CHINA_TZ)
    except (OverflowError, OSError, ValueError) as exc:
        raise DateParseError(f"epoch out of range: {number!r}") from exc


def _build(year: int, match: re.Match[str]) -> datetime:
    try:
        return datetime(
            year,
            int(match["m"]),
            int(match["d"]),
            int(match["H"] or 0),
            int(match["M"] or 0),
            int(match["S"] or 0),
            tzinfo=CHINA_TZ,
        )
    except ValueError as exc:
        raise DateParseError(f"not a date: {match.group(0)!r}") from exc


def _infer_year(match: re.Match[str], now: datetime) -> datetime:
    """The latest year that does not put the time more than a day ahead of the clock."""
    today = to_china(now)
    for year in (today.year + 1, today.year, today.year - 1):
        try:
            candidate = _build(year, match)
        except DateParseError:
            continue  # 02月29日 in a year without it
        if candidate <= today + FUTURE_TOLERANCE:
            return candidate
    # 02月29日 seen in a non-leap year: the last leap year is the only reading.
    year = today.year - 1
    while year > today.year - 8:
        try:
            return _build(year, match)
        except DateParseError:
            year -= 1
    raise DateParseError(f"not a date: {match.group(0)!r}")
