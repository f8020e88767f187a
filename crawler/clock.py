"""The crawl's clock, read once at the edge and passed in everywhere else."""

from __future__ import annotations

from datetime import datetime

from crawler.parsing.dates import DateParseError, parse_china_time
from storage.times import CHINA_TZ, to_china


def crawl_clock(setting: str | None) -> datetime:
    """``FINEWS_NOW`` when set (tests, re-runs of old pages), else the wall clock, in China time."""
    if setting:
        try:
            return parse_china_time(setting, datetime.now(CHINA_TZ))
        except DateParseError as exc:
            raise ValueError(f"FINEWS_NOW is not a time: {setting!r}") from exc
    return to_china(datetime.now(CHINA_TZ)).replace(microsecond=0)
