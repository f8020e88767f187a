"""The API answers: JSON, JSONP and script forms, records, cursors and shape errors."""

from __future__ import annotations

import json

import pytest

from crawler.parsing.apis import (
    AnswerShapeError,
    EmptyRecordError,
    first_sentence,
    load_answer,
    parse_column_api,
    parse_content_api,
    parse_fast_news,
    parse_kuaixun,
    record_title_and_summary,
)

CODE = "202608202493123456"
FAST = {
    "code": "1",
    "message": "success",
    "data": {
        "sortEnd": "2026082017123456",
        "fastNewsList": [
            {"code": CODE, "title": "快讯", "summary": "【快讯】正文。", "showTime": "2026-08-20 17:12:34", "realSort": "2026082017123456", "stockList": ["0.002230"]},
            {"code": "bad", "title": "没有代码", "summary": "", "showTime": "2026-08-20 17:10:00"},
        ],
    },
}  # fmt: skip


@pytest.mark.parametrize(
    "wrap",
    [
        lambda text: text,
        lambda text: f"jQuery35106_1700000000000({text})",
        lambda text: f"callback({text});\n",
        lambda text: f"var ajaxResult={text};",
        lambda text: "\ufeff " + text,
    ],
    ids=["json", "jsonp", "jsonp;", "script", "bom"],
)
def test_every_wrapping_loads(wrap) -> None:
    assert load_answer(wrap(json.dumps(FAST, ensure_ascii=False))) == FAST


def test_the_rolling_news_records_and_cursor() -> None:
    page = parse_fast_news(json.dumps(FAST, ensure_ascii=False))
    (record,) = page.records
    assert (record.code, record.title, record.summary, record.time) == (
        CODE,
        "快讯",
        "【快讯】正文。",
        "2026-08-20 17:12:34",
    )
    assert (record.url, record.media, page.skipped, page.cursor) == (
        None,
        None,
        1,
        "2026082017123456",
    )


def test_the_cursor_is_the_last_realsort_when_the_answer_has_no_sortend() -> None:
    answer = json.loads(json.dumps(FAST))
    del answer["data"]["sortEnd"]
    answer["data"]["fastNewsList"][-1]["realSort"] = 2026082017100000
    assert parse_fast_news(json.dumps(answer)).cursor == "2026082017100000"
    answer["data"]["fastNewsList"] = []
    assert parse_fast_news(json.dumps(answer)).records == ()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"code": "0", "message": "fail", "data": None}, "code is '0', not \"1\""),
        ({"code": "1", "data": None}, "no data object"),
        ({"code": "1", "data": {"list": []}}, "no data.fastNewsList list"),
        ([1, 2], "not a JSON object"),
    ],
)
def test_a_rolling_news_answer_out_of_shape(answer, message) -> None:
    with pytest.raises(AnswerShapeError, match=message):
        parse_fast_news(json.dumps(answer))


def test_not_json_at_all() -> None:
    with pytest.raises(AnswerShapeError, match="neither JSON"):
        load_answer("<html>blocked</html>")
    with pytest.raises(AnswerShapeError, match="not JSON"):
        load_answer("callback({broken)")


def test_the_kuaixun_script() -> None:
    records = [
        {"newsid": CODE, "title": "", "digest": "【标题在头】正文", "showtime": "2026-08-20 17:12:34", "column": "100,102", "url_w": f"http://finance.eastmoney.com/a/{CODE}.html"},
        {"id": "x", "title": "只有链接", "digest": "", "showtime": "2026-08-20 17:00:00", "url_w": "/news/1354,20170701752100652.html"},
    ]  # fmt: skip
    page = parse_kuaixun("var ajaxResult=" + json.dumps({"rc": 1, "LivesList": records}) + ";")
    first, second = page.records
    assert (first.code, first.summary, first.url) == (CODE, "【标题在头】正文", records[0]["url_w"])
    assert (second.code, second.title) == ("20170701752100652", "只有链接")
    with pytest.raises(AnswerShapeError, match="rc is 0"):
        parse_kuaixun('var ajaxResult={"rc":0,"LivesList":[]};')


def test_the_column_api() -> None:
    answer = {"code": "1", "data": {"list": [{"code": CODE, "showTime": "2026-08-20 07:00:00", "title": "财经早餐", "mediaName": "东方财富研究中心", "summary": "摘要", "url": f"http://finance.eastmoney.com/a/{CODE}.html", "uniqueUrl": f"http://finance.eastmoney.com/a/{CODE}.html"}]}}  # fmt: skip
    (record,) = parse_column_api(json.dumps(answer, ensure_ascii=False)).records
    assert (record.media, record.time, record.title) == (
        "东方财富研究中心",
        "2026-08-20 07:00:00",
        "财经早餐",
    )
    with pytest.raises(AnswerShapeError, match="no data.list list"):
        parse_column_api('{"code":"1","data":{"items":[]}}')


def test_the_content_api() -> None:
    record = parse_content_api(
        '{"Title":" 标题 ","Date":"2022-02-07 09:09:43","medianame":"南昌日报","text":"<p>正文</p>"}'
    )
    assert (record.title, record.published, record.media, record.body_html) == (
        "标题",
        "2022-02-07 09:09:43",
        "南昌日报",
        "<p>正文</p>",
    )
    assert parse_content_api('{"data":{"title":"包起来","content":"<p>x</p>"}}').title == "包起来"
    with pytest.raises(EmptyRecordError):
        parse_content_api('{"Title":"","Date":"","text":"","content":""}')
    with pytest.raises(AnswerShapeError, match="no Title field"):
        parse_content_api('{"Headline":"x"}')


@pytest.mark.parametrize(
    ("title", "summary", "expected"),
    [
        ("快讯标题", "【快讯标题】正文。", ("快讯标题", "正文。")),
        ("快讯标题", "【别的标题】正文。", ("快讯标题", "【别的标题】正文。")),
        ("", "【头里的标题】正文。", ("头里的标题", "正文。")),
        (
            "",
            "没有头的摘要，第一句。第二句。",
            ("没有头的摘要，第一句", "没有头的摘要，第一句。第二句。"),
        ),
        ("  ", "", ("", "")),
    ],
)
def test_record_titles_and_summaries(title, summary, expected) -> None:
    assert record_title_and_summary(title, summary) == expected


def test_a_long_first_sentence_is_cut() -> None:
    assert first_sentence("长" * 80) == "长" * 59 + "…"
