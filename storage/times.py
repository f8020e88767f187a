"""China time: the one time zone of the source, and the one form in which the store keeps it.

Source times carry no offset and mean China Standard Time (SOURCE.md §2); the store keeps
every time as ``YYYY-MM-DDTHH:MM:SS+08:00``, so text order is time order.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "CST")


def to_china(moment: datetime) -> datetime:
    """Give a datetime the +08:00 offset: naive means China time, aware is converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(CHINA_TZ)


def isoformat_china(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS+08:00``: the one form the store keeps."""
    return to_china(moment).replace(microsecond=0).isoformat()


def parse_stored_time(value: str | None) -> datetime | None:
    """A stored time as an aware datetime in China time; None when empty or unreadable."""
    if not value:
        return None
    try:
        return to_china(datetime.fromisoformat(value.strip()))
    except ValueError:
        return None


def has_seconds(value: str) -> bool:
    """Whether a stored time names a second within its minute (``…09:09:43…``, not ``…09:09:00…``)."""
    return value[17:19] not in ("", "00")


def more_precise(first: str | None, second: str | None) -> str | None:
    """Of two stored times of one article, the one to keep.

    ``first``, unless both name the same minute and only ``second`` has its seconds: list and
    article pages show minutes, the APIs seconds, and a copy read from a page must not round
    away what another copy said to the second.
    """
    same_minute = bool(first and second and first[:16] == second[:16])
    if same_minute and has_seconds(second or "") and not has_seconds(first or ""):
        return second
    return first or second
