"""The source's JSON answers: the content API, the rolling-news API, the older rolling-news
list and the column API (SOURCE.md §2, §4).

Answers come as JSON, as JSONP ``callback({...})`` or as a script ``var ajaxResult={...};``.
Each parser returns what the answer holds, or raises :class:`AnswerShapeError` naming what a
known answer should have and this one lacks (a shape miss: the site changed).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crawler.parsing.content import clean_title

_CODE = re.compile(r"^\d{17,18}$", re.A)
_CODE_IN_PATH = re.compile(r"(\d{17,18})(?:_\d+)?\.html$", re.A)
# JSONP: callback({...}) or callback({...});
_JSONP = re.compile(r"^[\w$.]+\s*\((.*)\)\s*;?$", re.S)
# A script: var ajaxResult={...};
_SCRIPT = re.compile(r"^(?:var\s+)?[\w$.]+\s*=\s*(.*?);?$", re.S)
_HEAD = re.compile(r"^【([^】]*)】\s*")
_SENTENCE_END = re.compile(r"[。！？!?]")
TITLE_FROM_SUMMARY_MAX = 60


class AnswerShapeError(ValueError):
    """The answer lacks what a known answer of its kind has (the message says what)."""


class EmptyRecordError(ValueError):
    """The content API answered in its shape, but with an empty record (no such article)."""


@dataclass(frozen=True)
class ContentRecord:
    """An article as the content API gives it."""

    title: str
    body_html: str
    media: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True)
class NewsRecord:
    """One record of the rolling news or of a column API page."""

    code: str  # 17 or 18 digits
    title: str  # "" when the record has none
    summary: str  # "" when the record has none
    time: str | None  # as the API writes it: "2026-08-17 20:16:43"
    url: str | None  # the article page the record names, as written (may be relative)
    media: str | None


@dataclass(frozen=True)
class RecordPage:
    """One API page of records."""

    records: tuple[NewsRecord, ...]
    cursor: str | None = None  # the rolling-news API's sortEnd for the next (older) page
    skipped: int = 0  # records without a usable article code


def load_answer(text: str) -> Any:
    """The value of a JSON answer, a JSONP answer or a ``var name = ...;`` script."""
    text = text.strip().lstrip("\ufeff").strip()
    if not text.startswith(("{", "[")):
        match = _JSONP.match(text) or _SCRIPT.match(text)
        if not match:
            raise AnswerShapeError("the answer is neither JSON, JSONP nor a var script")
        text = match.group(1).strip()
    try:
        return json.loads(text)
    except ValueError as exc:
        raise AnswerShapeError(f"the answer is not JSON: {exc}") from exc


def parse_content_api(text: str) -> ContentRecord:
    """The content API's article (``/NewsData/GetNewsText.do?id=NW…``)."""
    data = load_answer(text)
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        data = data["data"]  # some API versions wrap the record
    if not isinstance(data, dict):
        raise AnswerShapeError("the answer is not a JSON object")
    fields = {str(key).lower(): value for key, value in data.items()}
    if "title" not in fields:
        raise AnswerShapeError("the answer has no Title field")
    title = clean_title(_str(fields.get("title")))
    # `content` is the body as the article page has it (charts, auto-links unwrapped later).
    body = _str(fields.get("content")) or _str(fields.get("text"))
    if not title and not body:
        raise EmptyRecordError("the content API answered an empty record")
    if not title:
        raise AnswerShapeError("the answer's Title is empty")
    media = clean_title(_str(fields.get("medianame")) or _str(fields.get("from"))) or None
    date = fields.get("date") or fields.get("showtime")
    return ContentRecord(
        title=title,
        body_html=body,
        media=media,
        published=str(date) if date not in (None, "") else None,
        url=_str(fields.get("url")) or None,
    )


def parse_fast_news(text: str) -> RecordPage:
    """A rolling-news API page: ``{"code": "1", "data": {"sortEnd", "fastNewsList"}}``."""
    data = _np_data(load_answer(text))
    records = _list(data, "fastNewsList", "data.fastNewsList")
    page = _records(records)
    if not records:
        return page
    # The next page starts after the last record: the answer's sortEnd is its realSort.
    cursor = _scalar(data.get("sortEnd")) or _scalar(records[-1].get("realSort"))
    return RecordPage(page.records, cursor or None, page.skipped)


def parse_kuaixun(text: str) -> RecordPage:
    """A page of the older rolling-news list: ``var ajaxResult={"rc":1,"LivesList":[...]};``."""
    data = load_answer(text)
    if not isinstance(data, dict):
        raise AnswerShapeError("the answer is not a JSON object")
    if str(data.get("rc")) != "1":
        raise AnswerShapeError(f"rc is {data.get('rc')!r}, not 1")
    return _records(_list(data, "LivesList", "LivesList"))


def parse_column_api(text: str) -> RecordPage:
    """A column API page: ``{"code": "1", "data": {"list": [...]}}``."""
    return _records(_list(_np_data(load_answer(text)), "list", "data.list"))


def record_title_and_summary(title: str, summary: str) -> tuple[str, str]:
    """A record's title and summary as stored: an empty title is the summary's ``【…】`` head
    or its first sentence; the head is removed from the summary when it repeats the title."""
    title, summary = clean_title(title), clean_title(summary)
    head = _HEAD.match(summary)
    if head:
        head_text = clean_title(head.group(1))
        title = title or head_text
        if head_text == title:
            summary = summary[head.end() :]
    if not title and summary:
        title = first_sentence(summary)
    return title, summary


def first_sentence(text: str, limit: int = TITLE_FROM_SUMMARY_MAX) -> str:
    """The text up to its first full stop (without it), cut at ``limit`` characters."""
    end = _SENTENCE_END.search(text)
    sentence = (text[: end.start()] if end else text).strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _np_data(answer: Any) -> dict[str, Any]:
    """The ``data`` of an np-*.eastmoney.com answer, whose success is the string ``"1"``."""
    if not isinstance(answer, dict):
        raise AnswerShapeError("the answer is not a JSON object")
    if str(answer.get("code")) != "1":
        raise AnswerShapeError(f'code is {answer.get("code")!r}, not "1"')
    data = answer.get("data")
    if not isinstance(data, dict):
        raise AnswerShapeError("the answer has no data object")
    return data


def _list(data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    records = data.get(key)
    if not isinstance(records, list):
        raise AnswerShapeError(f"the answer has no {where} list")
    return [record for record in records if isinstance(record, dict)]


def _records(raw: list[dict[str, Any]]) -> RecordPage:
    records = []
    for record in raw:
        fields = {str(key).lower(): value for key, value in record.items()}
        url = next(
            (
                _str(fields.get(key))
                for key in ("url_w", "uniqueurl", "url")
                if _str(fields.get(key))
            ),
            None,
        )
        code = _record_code(fields, url)
        if code is None:
            continue
        records.append(
            NewsRecord(
                code=code,
                title=_str(fields.get("title")),
                summary=_str(fields.get("summary")) or _str(fields.get("digest")),
                time=_str(fields.get("showtime")) or None,
                url=url,
                media=clean_title(_str(fields.get("medianame"))) or None,
            )
        )
    return RecordPage(tuple(records), skipped=len(raw) - len(records))


def _record_code(fields: dict[str, Any], url: str | None) -> str | None:
    for key in ("code", "newsid", "id"):
        value = _scalar(fields.get(key))
        if _CODE.match(value):
            return value
    match = _CODE_IN_PATH.search(urlsplit(url).path) if url else None
    return match.group(1) if match else None


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _scalar(value: Any) -> str:
    """A string or number field as text ("" for anything else)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()
