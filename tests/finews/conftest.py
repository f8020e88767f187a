"""A small store for the search, Datasette and index tests of the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import ArticleRecord, Category, Store

NANCHANG = Category("nanchangribao", "南昌日报", "media")
CAILIAN = Category("cailianshe", "财联社", "media")


def _article(number: int, title: str, body: str, day: int, media: Category) -> ArticleRecord:
    return ArticleRecord(
        id=f"NW202202{day:02d}22675752{number:02d}",
        title=title,
        published=f"2022-02-{day:02d}T09:{number:02d}:00+08:00",
        body_html=f"<p>{body}</p>",
        body_text=body,
        url=f"https://finance.eastmoney.com/a/202202{day:02d}22675752{number:02d}.html",
        media=media.name,
        categories=[media],
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "finews.db"
    with Store.open(path) as store:
        store.save_articles(
            [
                _article(1, "数字经济一号工程", "南昌坚定不移实施数字经济战略。", 7, NANCHANG),
                _article(2, "券商观点", "数字经济板块走强，券商看好。", 8, CAILIAN),
                _article(3, "茅台", "与数字无关的经济新闻：数字，经济。", 9, NANCHANG),
                _article(4, "银行", "银行板块，数字经济概念股。" * 3, 10, NANCHANG),
            ],
            "2022-02-11T12:00:00+08:00",
        )
    return path
