from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.parsing.dates import DateParseError, parse_china_time
from storage.times import CHINA_TZ, isoformat_china

NOW = datetime(2022, 2, 8, 12, 0, tzinfo=CHINA_TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-02-07 09:09:43", "2022-02-07T09:09:43+08:00"),
        ("2022年02月07日 09:09", "2022-02-07T09:09:00+08:00"),
        ("2022年2月7日 9:09", "2022-02-07T09:09:00+08:00"),
        ("2022年02月07日", "2022-02-07T00:00:00+08:00"),
        ("02月07日 09:09", "2022-02-07T09:09:00+08:00"),
        ("2022-02-07T09:09:43", "2022-02-07T09:09:43+08:00"),
        ("2022-02-07T01:09:43Z", "2022-02-07T09:09:43+08:00"),
        ("2022-02-07T09:09:43+08:00", "2022-02-07T09:09:43+08:00"),
        ("2022-02-06 20:09:43-05:00", "2022-02-07T09:09:43+08:00"),
        ("2022-02-07 09:09:43 +0800", "2022-02-07T09:09:43+08:00"),
        ("2022-02-07 09:09:43.250", "2022-02-07T09:09:43+08:00"),
        ("1644196183000", "2022-02-07T09:09:43+08:00"),
        ("1644196183", "2022-02-07T09:09:43+08:00"),
        ("  2022-02-07\n 09:09:43 ", "2022-02-07T09:09:43+08:00"),
    ],
)
def test_every_source_format_becomes_china_time(text: str, expected: str) -> None:
    assert isoformat_china(parse_china_time(text, NOW)) == expected


def test_epoch_milliseconds_as_number() -> None:
    assert isoformat_china(parse_china_time(1644196183000, NOW)) == "2022-02-07T09:09:43+08:00"


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        # A list read on 2 January showing 12月31日 is last year's.
        (
            datetime(2023, 1, 2, 10, 0, tzinfo=CHINA_TZ),
            "12月31日 22:15",
            "2022-12-31T22:15:00+08:00",
        ),
        (
            datetime(2023, 1, 2, 10, 0, tzinfo=CHINA_TZ),
            "01月01日 00:05",
            "2023-01-01T00:05:00+08:00",
        ),
        (
            datetime(2023, 1, 2, 10, 0, tzinfo=CHINA_TZ),
            "01月02日 08:00",
            "2023-01-02T08:00:00+08:00",
        ),
        # A clock a few minutes behind the site on New Year's Eve: next year's 1 January.
        (
            datetime(2022, 12, 31, 23, 58, tzinfo=CHINA_TZ),
            "01月01日 00:01",
            "2023-01-01T00:01:00+08:00",
        ),
        (
            datetime(2022, 12, 31, 23, 58, tzinfo=CHINA_TZ),
            "12月31日 23:50",
            "2022-12-31T23:50:00+08:00",
        ),
        # Months back in the same year stay in it.
        (
            datetime(2022, 11, 25, 9, 0, tzinfo=CHINA_TZ),
            "05月01日 10:00",
            "2022-05-01T10:00:00+08:00",
        ),
        # The clock in UTC is already the next day in China.
        (datetime(2022, 12, 31, 17, 0, tzinfo=UTC), "01月01日 00:30", "2023-01-01T00:30:00+08:00"),
        # 29 February read in a year without it belongs to the last leap year.
        (
            datetime(2023, 3, 1, 9, 0, tzinfo=CHINA_TZ),
            "02月29日 09:00",
            "2020-02-29T09:00:00+08:00",
        ),
        (
            datetime(2024, 3, 1, 9, 0, tzinfo=CHINA_TZ),
            "02月29日 09:00",
            "2024-02-29T09:00:00+08:00",
        ),
    ],
)
def test_year_less_times_take_the_year_from_the_clock(
    now: datetime, text: str, expected: str
) -> None:
    assert isoformat_china(parse_china_time(text, now)) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "yesterday", "2022年13月40日", "13月40日 09:09", "2022-02-30 09:00:00", "abc123"],
)
def test_garbage_is_an_error_not_a_guess(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_china_time(text, NOW)


def test_offsets_are_converted_not_dropped() -> None:
    moment = parse_china_time("2022-02-07T09:09:43+09:00", NOW)
    assert moment.utcoffset() == timedelta(hours=8)
    assert moment == datetime(2022, 2, 7, 0, 9, 43, tzinfo=UTC)
    assert moment.tzinfo is not None and moment.tzinfo.utcoffset(None) == timezone(
        timedelta(hours=8)
    ).utcoffset(None)
